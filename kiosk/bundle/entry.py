"""The bundle's program: the `klimatavtal` command line (no command: the kiosk)."""

from kiosk.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
