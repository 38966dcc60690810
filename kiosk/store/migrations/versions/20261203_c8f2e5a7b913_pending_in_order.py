"""pending in order: the outbox reads pending records from an index, in order

Revision ID: c8f2e5a7b913
Revises: b4e7a1c9d352
Create Date: 2026-12-03 12:00:00

Every sync batch asks for the oldest pending records that are not practice
(kiosk/store/outbox.py). With an index on `sync_state` alone SQLite found
them and then sorted all of them for each batch: 11 ms a batch with 10,000
waiting, against 1 ms read from an index in the batch's own order. The
new index also serves every other lookup by `sync_state` (its first column),
so the old one goes.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "c8f2e5a7b913"
down_revision: str | Sequence[str] | None = "b4e7a1c9d352"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["sync_state", "practice", "created_at_utc", "id"]


def upgrade() -> None:
    op.create_index("ix_signatures_pending", "signatures", COLUMNS)
    op.drop_index("ix_signatures_sync_state", table_name="signatures")


def downgrade() -> None:
    op.create_index("ix_signatures_sync_state", "signatures", ["sync_state"])
    op.drop_index("ix_signatures_pending", table_name="signatures")
