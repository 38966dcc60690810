"""ix_signatures_email_first: each email HMAC's holders in the order the first is chosen

Revision ID: b5c3e7a1d9f2
Revises: a9d2f4c8e1b6
Create Date: 2026-12-04 10:00:00

An upload asks, for each email HMAC it brings, which stored signature came first
(received, then created, then UUID). On the single-column index PostgreSQL read
every holder's row and sorted them: with 20 kiosks of one campaign ~1,000 rows a
batch, the costliest statement of bench_sync_scaleout. On (email_hmac,
received_at_utc, created_at_utc, id) the first is the first entry. It replaces
ix_signatures_email_hmac, whose queries (by HMAC, the distinct HMACs) it serves
as its first column, so each upload still updates as many indexes.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "b5c3e7a1d9f2"
down_revision: str | Sequence[str] | None = "a9d2f4c8e1b6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["email_hmac", "received_at_utc", "created_at_utc", "id"]


def upgrade() -> None:
    op.create_index("ix_signatures_email_first", "signatures", COLUMNS)
    op.drop_index("ix_signatures_email_hmac", "signatures")


def downgrade() -> None:
    op.create_index("ix_signatures_email_hmac", "signatures", ["email_hmac"])
    op.drop_index("ix_signatures_email_first", "signatures")
