"""known email hmacs: the store's email HMACs in a table of their own

Revision ID: b4e7a1c9d352
Revises: 9d4b6e1a2c37
Create Date: 2026-12-02 12:00:00

The kiosk kept the email HMACs the central store knows (to tell a repeat
signer "you have already signed") as one JSON list in `settings`, rewritten
whole on every new HMAC: ~6.7 MB per write at 100,000 signers. A table with
one row per HMAC takes each privacy update as a few inserts and deletes.
The list is moved over and its setting dropped.
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b4e7a1c9d352"
down_revision: str | Sequence[str] | None = "9d4b6e1a2c37"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KEY = "privacy.known_email_hmacs"


def upgrade() -> None:
    known = op.create_table(
        "known_email_hmacs",
        sa.Column("email_hmac", sa.String(64), primary_key=True),
    )
    connection = op.get_bind()
    value = connection.execute(
        sa.text("SELECT value FROM settings WHERE key = :key"), {"key": OLD_KEY}
    ).scalar()
    hmacs = json.loads(value) if value else None
    if isinstance(hmacs, list):
        op.bulk_insert(known, [{"email_hmac": h} for h in sorted(set(hmacs)) if isinstance(h, str)])
    connection.execute(sa.text("DELETE FROM settings WHERE key = :key"), {"key": OLD_KEY})


def downgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT email_hmac FROM known_email_hmacs ORDER BY 1"))
    hmacs = [row[0] for row in rows]
    if hmacs:
        connection.execute(
            sa.text("INSERT OR REPLACE INTO settings (key, value) VALUES (:key, :value)"),
            {"key": OLD_KEY, "value": json.dumps(hmacs)},
        )
    op.drop_table("known_email_hmacs")
