"""One module per command line command; see kiosk/cli.py."""
