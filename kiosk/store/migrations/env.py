"""Alembic environment: runs on the engine `open_store` hands over.

For development, `make migration MSG="..."` autogenerates a revision
against a scratch database.
"""

from alembic import context
from sqlalchemy import create_engine

from kiosk.store.models import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # command-line use (autogenerate)
    from pathlib import Path

    from kiosk.store.engine import make_engine

    url = config.get_main_option("sqlalchemy.url")
    engine = create_engine(url) if url else make_engine(Path("scratch.sqlite3"))

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    context.run_migrations()
