"""clock unreliable: signatures saved while the laptop's clock was implausible

Revision ID: 9d4b6e1a2c37
Revises: 7a3d2c9e4f10
Create Date: 2026-11-27 10:00:00

Rows already saved with a clock before 2020 (or from 2100 on, kiosk/clock.py)
are marked. Those this kiosk refused to send only because of their year
(the upload protocol allowed none before 2000) go back to pending: marked,
the store now accepts them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9d4b6e1a2c37"
down_revision: str | Sequence[str] | None = "7a3d2c9e4f10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IMPLAUSIBLE = "(created_at_utc < '2020-01-01' OR created_at_utc >= '2100-01-01')"
REFUSED_FOR_THE_YEAR = (
    "SELECT signature_id FROM sync_refusals WHERE reason LIKE "
    "'does not fit the upload protocol:%year must be between%'"
)


def upgrade() -> None:
    # A plain ADD COLUMN: a batch copy of the table would drop the summary triggers.
    op.add_column(
        "signatures",
        sa.Column("clock_unreliable", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.execute(f"UPDATE signatures SET clock_unreliable = 1 WHERE {IMPLAUSIBLE}")
    op.execute(
        "UPDATE signatures SET sync_state = 'pending' WHERE clock_unreliable = 1 "
        f"AND sync_state = 'refused' AND id IN ({REFUSED_FOR_THE_YEAR})"
    )
    op.execute(
        "DELETE FROM sync_refusals WHERE signature_id IN "
        "(SELECT id FROM signatures WHERE clock_unreliable = 1 AND sync_state = 'pending')"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE signatures DROP COLUMN clock_unreliable")
