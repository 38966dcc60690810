"""public pages: withdrawn codes, the withdrawal audit, rate counts, form-token key

Revision ID: c7e2a9d4b1f8
Revises: c0a5e1e2b7d4
Create Date: 2026-12-01 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c7e2a9d4b1f8"
down_revision: str | Sequence[str] | None = "c0a5e1e2b7d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "withdrawn_codes",
        sa.Column("code_sha256", sa.String(length=64), primary_key=True),
        sa.Column("withdrawn_at_utc", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "withdrawal_audit",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at_utc", sa.DateTime(), nullable=False),
        sa.Column("code_sha256", sa.String(length=64), nullable=False),
        sa.Column("records_erased", sa.Integer(), nullable=False),
    )
    op.create_index("ix_withdrawal_audit_code_sha256", "withdrawal_audit", ["code_sha256"])
    op.create_table(
        "rate_counts",
        sa.Column("key", sa.String(length=120), primary_key=True),
        sa.Column("window", sa.Integer(), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
    )
    op.create_table(
        "public_secrets",
        sa.Column("name", sa.String(length=40), primary_key=True),
        sa.Column("value", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("public_secrets")
    op.drop_table("rate_counts")
    op.drop_index("ix_withdrawal_audit_code_sha256", "withdrawal_audit")
    op.drop_table("withdrawal_audit")
    op.drop_table("withdrawn_codes")
