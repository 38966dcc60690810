"""The GUI thread's turns at Python's GIL while worker threads run Python.

A thread holding the GIL keeps it until it blocks or the interpreter asks it
to let go, after `sys.getswitchinterval()`: 5 ms by default. The GUI thread
hands the GIL over on every call into Qt and then waits for it, once per
thread in line before it. The kiosk always has such threads: at start-up
the thank-you screen's QR code (qrcode is pure Python) and the store's worker
(imports and migrations), then the sync's two while it sends
(one reads the next batch while the other waits for the store's answer), the
panel's and the printing's workers. A tap waits for the GUI thread.
"""

from __future__ import annotations

import sys

# bench_sync, the GUI thread's longest event-loop gap while the Qt worker syncs
# 10,000 signatures: 7-15 ms (median 11.5) at 5 ms, 6-11 ms (median 7) at 0.5 ms,
# the pass as fast. At start-up it roughly halved the longest wait.
GUI_SWITCH_INTERVAL_S = 0.0005


def favour_the_gui_thread() -> None:
    """Have any thread holding the GIL let go after 0.5 ms, for the kiosk's life."""
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
