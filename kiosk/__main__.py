"""`python -m kiosk`: the same command line as `klimatavtal` (the kiosk session uses it)."""

from kiosk.cli import main

raise SystemExit(main())
