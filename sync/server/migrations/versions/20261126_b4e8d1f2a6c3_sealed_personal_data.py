"""sealed personal data: the store keeps the kiosk's sealed box, tombstones for erasures

Revision ID: b4e8d1f2a6c3
Revises: 0f6dfabca6a4
Create Date: 2026-11-26 22:20:00

The store never held a real campaign's data before this revision, so rows
from development and demos are sealed with the DEVELOPMENT key.
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from sync.privacy.keys import development_keys
from sync.privacy.sealing import personal_document
from sync.privacy.withdrawal import code_for

revision: str = "b4e8d1f2a6c3"
down_revision: str | Sequence[str] | None = "0f6dfabca6a4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PLAINTEXT = ("name", "email", "postcode", "strokes")


def upgrade() -> None:
    connection = op.get_bind()
    op.add_column("signatures", sa.Column("sealed", sa.LargeBinary(), nullable=True))
    op.add_column("signatures", sa.Column("email_hmac", sa.String(length=64), nullable=True))
    op.add_column("signatures", sa.Column("withdrawal_code", sa.String(length=10), nullable=True))
    op.add_column("signatures", sa.Column("duplicate_of", sa.String(length=36), nullable=True))
    keys = development_keys()
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
    op.create_table(
        "erasures",
        sa.Column("signature_id", sa.String(length=36), nullable=False),
        sa.Column("erased_at_utc", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("signature_id"),
    )


def downgrade() -> None:
    op.drop_table("erasures")
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
    for column in ("sealed", "email_hmac", "withdrawal_code", "duplicate_of"):
        op.execute(f"ALTER TABLE signatures DROP COLUMN {column}")
