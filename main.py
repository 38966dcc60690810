"""Entry point: `python main.py --help` lists the subcommands."""

from kiosk.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
