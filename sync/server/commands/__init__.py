"""The central store's commands, one module per command with a `register(subparsers)`.

`sync.server.cli.COMMANDS` lists them; the kiosk's command line registers
the same modules, so `python main.py serve` keeps working.
"""
