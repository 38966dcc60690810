"""seal personal data: name, email, postcode and strokes only inside a sealed box

Revision ID: 7a3d2c9e4f10
Revises: 5e1f0c2a9b7d
Create Date: 2026-11-26 22:10:00

Existing rows are sealed with the campaign key this kiosk holds (the
development key when it has none yet), then the plaintext columns are
dropped. secure_delete is on for the connection, so the freed pages are
zeroed; the backup open_store wrote before this migration holds the
plaintext, so it is written only sealed (kiosk/store/backups.py).
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from kiosk.store.keys import configured_keys
from sync.privacy.sealing import personal_document
from sync.privacy.withdrawal import code_for

revision: str = "7a3d2c9e4f10"
down_revision: str | Sequence[str] | None = "5e1f0c2a9b7d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PLAINTEXT = ("name", "email", "postcode", "strokes")


def upgrade() -> None:
    connection = op.get_bind()
    op.add_column("signatures", sa.Column("sealed", sa.LargeBinary(), nullable=True))
    op.add_column("signatures", sa.Column("email_hmac", sa.String(length=64), nullable=True))
    op.add_column("signatures", sa.Column("withdrawal_code", sa.String(length=10), nullable=True))
    keys = configured_keys(connection)
    rows = connection.execute(
        sa.text("SELECT id, name, email, postcode, strokes FROM signatures")
    ).all()
    for signature_id, name, email, postcode, strokes in rows:
        document = personal_document(
            name=name, email=email, postcode=postcode, strokes=json.loads(strokes)
        )
        connection.execute(
            sa.text(
                "UPDATE signatures SET sealed = :sealed, email_hmac = :hmac, "
                "withdrawal_code = :code WHERE id = :id"
            ),
            {
                "sealed": keys.seal(document),
                "hmac": keys.email_hmac(email),
                "code": code_for(signature_id),
                "id": signature_id,
            },
        )
    for column in PLAINTEXT:
        op.execute(f"ALTER TABLE signatures DROP COLUMN {column}")
    op.create_index("ix_signatures_email_hmac", "signatures", ["email_hmac"])
    op.create_index("ix_signatures_withdrawal_code", "signatures", ["withdrawal_code"])


def downgrade() -> None:
    """Back to the old columns, left blank: a kiosk cannot unseal what it sealed."""
    op.drop_index("ix_signatures_withdrawal_code", "signatures")
    op.drop_index("ix_signatures_email_hmac", "signatures")
    op.add_column(
        "signatures", sa.Column("name", sa.String(100), nullable=False, server_default="")
    )
    op.add_column("signatures", sa.Column("email", sa.String(254), nullable=True))
    op.add_column("signatures", sa.Column("postcode", sa.String(6), nullable=True))
    op.add_column(
        "signatures", sa.Column("strokes", sa.Text(), nullable=False, server_default="[]")
    )
    for column in ("sealed", "email_hmac", "withdrawal_code"):
        op.execute(f"ALTER TABLE signatures DROP COLUMN {column}")
