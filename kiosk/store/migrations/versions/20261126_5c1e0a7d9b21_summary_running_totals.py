"""summary running totals kept by triggers

Revision ID: 5c1e0a7d9b21
Revises: 83b396c6a312
Create Date: 2026-11-26 21:25:00

A GROUP BY over every signature row grows with the campaign (each row also
carries its signature strokes, so a scan reads them all). These three small
tables hold the same counts, bucketed by event, local date and hour / area /
commitment, and SQLite triggers keep them exact on every insert, update and
delete of a counted signature, in the same transaction. Existing rows are
counted once here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5c1e0a7d9b21"
down_revision: str | Sequence[str] | None = "83b396c6a312"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HOUR = "CAST(strftime('%H', {r}.created_at_utc, {r}.utc_offset_minutes || ' minutes') AS INTEGER)"


def _hourly(row: str, sign: str) -> str:
    return f"""
    INSERT INTO summary_hourly (event_id, local_date, hour, signatures,
                                community_opt_ins, helper_opt_ins, in_helsingborg)
    VALUES ({row}.event_id, {row}.local_date, {HOUR.format(r=row)}, {sign}1,
            {sign}{row}.community_opt_in, {sign}{row}.helper_opt_in,
            {sign}{row}.lives_or_works_in_helsingborg)
    ON CONFLICT (event_id, local_date, hour) DO UPDATE SET
        signatures = signatures + excluded.signatures,
        community_opt_ins = community_opt_ins + excluded.community_opt_ins,
        helper_opt_ins = helper_opt_ins + excluded.helper_opt_ins,
        in_helsingborg = in_helsingborg + excluded.in_helsingborg;
    """


def _area(row: str, sign: str) -> str:
    return f"""
    INSERT INTO summary_areas (event_id, local_date, postcode_area, signatures)
    VALUES ({row}.event_id, {row}.local_date, coalesce({row}.postcode_area, ''), {sign}1)
    ON CONFLICT (event_id, local_date, postcode_area) DO UPDATE SET
        signatures = signatures + excluded.signatures;
    """


def _commitments_of(row: str, sign: str) -> str:
    """Count every commitment linked to signature `row` (+1 or -1)."""
    return f"""
    INSERT INTO summary_commitments (event_id, local_date, commitment_id, chosen)
    SELECT {row}.event_id, {row}.local_date, sc.commitment_id, {sign}1
    FROM signature_commitments AS sc WHERE sc.signature_id = {row}.id
    ON CONFLICT (event_id, local_date, commitment_id) DO UPDATE SET
        chosen = chosen + excluded.chosen;
    """


def _link(row: str, sign: str) -> str:
    """Count one signature_commitments row (+1 or -1) when its signature is counted."""
    return f"""
    INSERT INTO summary_commitments (event_id, local_date, commitment_id, chosen)
    SELECT s.event_id, s.local_date, {row}.commitment_id, {sign}1
    FROM signatures AS s WHERE s.id = {row}.signature_id AND s.practice = 0
    ON CONFLICT (event_id, local_date, commitment_id) DO UPDATE SET
        chosen = chosen + excluded.chosen;
    """


TRIGGERS = {
    "summary_signature_insert": f"""
        AFTER INSERT ON signatures WHEN NEW.practice = 0 BEGIN
        {_hourly("NEW", "+")} {_area("NEW", "+")} {_commitments_of("NEW", "+")} END""",
    # BEFORE: the commitments are still there to be counted down; the cascade
    # that deletes them next finds no signature and counts nothing twice.
    "summary_signature_delete": f"""
        BEFORE DELETE ON signatures WHEN OLD.practice = 0 BEGIN
        {_hourly("OLD", "-")} {_area("OLD", "-")} {_commitments_of("OLD", "-")} END""",
    "summary_signature_update_out": f"""
        BEFORE UPDATE OF event_id, local_date, created_at_utc, utc_offset_minutes,
            postcode_area, community_opt_in, helper_opt_in, lives_or_works_in_helsingborg,
            practice ON signatures WHEN OLD.practice = 0 BEGIN
        {_hourly("OLD", "-")} {_area("OLD", "-")} {_commitments_of("OLD", "-")} END""",
    "summary_signature_update_in": f"""
        AFTER UPDATE OF event_id, local_date, created_at_utc, utc_offset_minutes,
            postcode_area, community_opt_in, helper_opt_in, lives_or_works_in_helsingborg,
            practice ON signatures WHEN NEW.practice = 0 BEGIN
        {_hourly("NEW", "+")} {_area("NEW", "+")} {_commitments_of("NEW", "+")} END""",
    "summary_link_insert": f"""
        AFTER INSERT ON signature_commitments BEGIN {_link("NEW", "+")} END""",
    "summary_link_delete": f"""
        AFTER DELETE ON signature_commitments BEGIN {_link("OLD", "-")} END""",
}


def upgrade() -> None:
    op.create_table(
        "summary_hourly",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("signatures", sa.Integer(), nullable=False),
        sa.Column("community_opt_ins", sa.Integer(), nullable=False),
        sa.Column("helper_opt_ins", sa.Integer(), nullable=False),
        sa.Column("in_helsingborg", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "local_date", "hour"),
    )
    op.create_table(
        "summary_areas",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("postcode_area", sa.String(length=3), nullable=False),
        sa.Column("signatures", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "local_date", "postcode_area"),
    )
    op.create_table(
        "summary_commitments",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("commitment_id", sa.String(length=64), nullable=False),
        sa.Column("chosen", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "local_date", "commitment_id"),
    )
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    counted = "FROM signatures AS s WHERE s.practice = 0"
    op.execute(f"""
        INSERT INTO summary_hourly
        SELECT s.event_id, s.local_date, {HOUR.format(r="s")}, count(*),
               sum(s.community_opt_in), sum(s.helper_opt_in),
               sum(s.lives_or_works_in_helsingborg)
        {counted} GROUP BY 1, 2, 3""")
    op.execute(f"""
        INSERT INTO summary_areas
        SELECT s.event_id, s.local_date, coalesce(s.postcode_area, ''), count(*)
        {counted} GROUP BY 1, 2, 3""")
    op.execute("""
        INSERT INTO summary_commitments
        SELECT s.event_id, s.local_date, sc.commitment_id, count(*)
        FROM signature_commitments AS sc JOIN signatures AS s ON s.id = sc.signature_id
        WHERE s.practice = 0 GROUP BY 1, 2, 3""")


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("summary_commitments")
    op.drop_table("summary_areas")
    op.drop_table("summary_hourly")
