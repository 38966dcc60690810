"""The kiosk's local store: SQLite through SQLAlchemy, no Qt.

`open_store(data_dir)` is the only way in: it checks the file, backs it up,
migrates it and verifies the durability pragmas before anything is saved.
"""

from kiosk.store.engine import Store, StoreError, open_store

__all__ = ["Store", "StoreError", "open_store"]
