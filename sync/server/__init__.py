"""The central store: FastAPI app factory, its database and the organisers' tools."""

from sync.server.app import create_app
from sync.server.settings import Settings

__all__ = ["Settings", "create_app"]
