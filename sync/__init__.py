"""Exactly-once upload of signatures to the central store; no Qt here.

`protocol` is the wire schema both ends share, `client` the kiosk's upload
side (plain Python + httpx), `server` the central store (FastAPI).
"""
