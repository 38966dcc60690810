"""signature_counts (PostgreSQL): the number of kiosk signatures, kept by triggers

Revision ID: d8f2b6c4a1e9
Revises: b5c3e7a1d9f2
Create Date: 2026-12-04 11:00:00

Every upload answers the campaign's total, which was count(*) over every stored
signature: a scan of the whole table per upload, longer with each one (2.5 ms a
batch at 10,000 rows on average in bench_sync_scaleout, a seventh of
PostgreSQL's time there, 25 ms at 100,000). Now each INSERT and DELETE on
signatures adds one row to signature_counts with how many rows it inserted or
deleted (a statement-level trigger reading its transition table), and the total
is their sum. Uploads never wait for each other (each appends its own row; a
counter row they all updated would serialise them until commit), and every
writer counts, whatever path it takes. One insert in 256 folds the committed
rows into one, under an advisory lock so only one transaction folds at a time.

SQLite keeps count(*): one writer at a time, and no table to fold.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "d8f2b6c4a1e9"
down_revision: str | Sequence[str] | None = "b5c3e7a1d9f2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Any constant no other advisory lock of the store uses (repository: _ERASURES_LOCK).
FOLD_LOCK = 0x6B74_0002
FOLD_EVERY = 256


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE TABLE signature_counts (id BIGSERIAL PRIMARY KEY, delta BIGINT NOT NULL)")
    op.execute(f"""
        CREATE FUNCTION signature_counts_add() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            changed_rows bigint;
            added bigint;
        BEGIN
            SELECT count(*) INTO changed_rows FROM changed;
            IF changed_rows = 0 THEN
                RETURN NULL;
            END IF;
            IF TG_OP = 'DELETE' THEN
                changed_rows := -changed_rows;
            END IF;
            INSERT INTO signature_counts (delta) VALUES (changed_rows) RETURNING id INTO added;
            IF added % {FOLD_EVERY} = 0 AND pg_try_advisory_xact_lock({FOLD_LOCK}) THEN
                WITH folded AS (DELETE FROM signature_counts WHERE id < added RETURNING delta)
                INSERT INTO signature_counts (delta)
                SELECT sum(delta) FROM folded HAVING count(*) > 0;
            END IF;
            RETURN NULL;
        END
        $$
    """)
    op.execute(
        "CREATE TRIGGER signatures_counted_insert AFTER INSERT ON signatures "
        "REFERENCING NEW TABLE AS changed FOR EACH STATEMENT "
        "EXECUTE FUNCTION signature_counts_add()"
    )
    op.execute(
        "CREATE TRIGGER signatures_counted_delete AFTER DELETE ON signatures "
        "REFERENCING OLD TABLE AS changed FOR EACH STATEMENT "
        "EXECUTE FUNCTION signature_counts_add()"
    )
    op.execute(
        "INSERT INTO signature_counts (delta) SELECT count(*) FROM signatures HAVING count(*) > 0"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER signatures_counted_delete ON signatures")
    op.execute("DROP TRIGGER signatures_counted_insert ON signatures")
    op.execute("DROP FUNCTION signature_counts_add()")
    op.execute("DROP TABLE signature_counts")
