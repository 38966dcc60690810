"""privacy cursor: numbered privacy changes, so kiosks download only what is new

Revision ID: e3f1a9c4d7b2
Revises: c7e2a9d4b1f8
Create Date: 2026-12-02 10:00:00

Tombstones and new email HMACs get a sequence number; `GET /api/v1/privacy?since=N`
answers the changes after N. Nothing is backfilled: a kiosk without a cursor gets
the whole state once (with the cursor), exactly as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e3f1a9c4d7b2"
down_revision: str | Sequence[str] | None = "c7e2a9d4b1f8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "privacy_changes",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    sequence = op.create_table(
        "privacy_sequence",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(sequence, [{"id": 1, "last": 0}])


def downgrade() -> None:
    op.drop_table("privacy_sequence")
    op.drop_table("privacy_changes")
