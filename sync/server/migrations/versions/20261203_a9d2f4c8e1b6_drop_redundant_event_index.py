"""drop ix_signatures_event_id: the console's (event_id, device_id) index serves it

Revision ID: a9d2f4c8e1b6
Revises: e3f1a9c4d7b2
Create Date: 2026-12-03 10:00:00

Every query on `signatures.event_id` alone (reconciliation, the overview, the
events' foreign key) can use `ix_signatures_console_event_device`, whose first
column it is. The single-column index only cost each upload a third random
B-tree insert per record (bench_sync: the store's extra indexes).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "a9d2f4c8e1b6"
down_revision: str | Sequence[str] | None = "e3f1a9c4d7b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_signatures_event_id", "signatures")


def downgrade() -> None:
    op.create_index("ix_signatures_event_id", "signatures", ["event_id"])
