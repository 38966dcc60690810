"""clock unreliable: signatures a kiosk saved while its clock was implausible

Revision ID: c7a2e9f4b1d8
Revises: b4e8d1f2a6c3
Create Date: 2026-11-27 10:00:00

Such records used to be refused for their year; they now arrive marked.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c7a2e9f4b1d8"
down_revision: str | Sequence[str] | None = "b4e8d1f2a6c3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "signatures",
        sa.Column("clock_unreliable", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_column("signatures", "clock_unreliable")
