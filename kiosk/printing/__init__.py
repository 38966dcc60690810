"""Sending finished PDFs to a printer.

`cups` is plain Python (lp to submit, IPP on 127.0.0.1:631 to watch the
printer and the job) and is what the command line uses. `qt_print` is the
Qt part for the kiosk: printer choice, preview, and a worker thread.
"""
