"""sync refusals: why the central store refused a signature

Revision ID: 5e1f0c2a9b7d
Revises: 5c1e0a7d9b21
Create Date: 2026-11-26 21:15:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5e1f0c2a9b7d"
down_revision: str | Sequence[str] | None = "5c1e0a7d9b21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_refusals",
        sa.Column("signature_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("refused_at_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["signature_id"], ["signatures.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("signature_id"),
    )


def downgrade() -> None:
    op.drop_table("sync_refusals")
