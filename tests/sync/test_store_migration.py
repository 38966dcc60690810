"""A central store from before sealing: plaintext rows are sealed and the columns dropped."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from sync.server import repository
from sync.server.db import alembic_config, make_engine, open_central_store
from tests.sealed import unseal

BEFORE_SEALING = "0f6dfabca6a4"


def insert_device_and_event(connection) -> None:  # type: ignore[no-untyped-def]
    """Device 1 ('laptop-1') and event 'e1', as every schema since the first has them."""
    connection.execute(
        text(
            "INSERT INTO devices (id, name, token_sha256, created_at_utc) "
            "VALUES (1, 'laptop-1', :token, '2026-06-13 09:00:00')"
        ),
        {"token": "ab" * 32},
    )
    connection.execute(
        text(
            "INSERT INTO events (id, name, place, date) VALUES "
            "('e1', 'Stortorget', 'Stortorget', '2026-06-13')"
        )
    )


def test_plaintext_rows_are_sealed_and_the_plaintext_columns_go(store_url):
    engine = make_engine(store_url)
    command.upgrade(alembic_config(engine), BEFORE_SEALING)
    with engine.begin() as connection:
        insert_device_and_event(connection)
        connection.execute(
            text(
                "INSERT INTO signatures (id, content_sha256, event_id, device_id, kiosk_uuid, "
                "received_at_utc, created_at_utc, utc_offset_minutes, local_date, language, "
                "name, email, postcode, postcode_area, lives_or_works_in_helsingborg, "
                "community_opt_in, helper_opt_in, consent_version, consent_sha256, "
                "consent_given_at_utc, strokes, commitments) VALUES ('s1', :digest, 'e1', 1, "
                "'k1', '2026-06-13 09:10:00', '2026-06-13 09:00:00', 120, '2026-06-13', 'sv', "
                "'Ingrid Marklund', 'ingrid@example.se', '252 21', '252', true, false, false, "
                "'v1', :digest, '2026-06-13 09:00:00', '[[[1, 2]]]', '[]')"
            ),
            {"digest": "cd" * 32},
        )
    engine.dispose()

    central = open_central_store(store_url)
    try:
        columns = {c["name"] for c in inspect(central.engine).get_columns("signatures")}
        with central.engine.connect() as connection:
            sealed, code, hmac_value = connection.execute(
                text("SELECT sealed, withdrawal_code, email_hmac FROM signatures")
            ).one()
    finally:
        central.close()
    assert not {"name", "email", "postcode", "strokes"} & columns
    assert unseal(bytes(sealed)) == {
        "name": "Ingrid Marklund",
        "email": "ingrid@example.se",
        "postcode": "252 21",
        "strokes": [[[1, 2]]],
    }
    assert len(code) == 10 and len(hmac_value) == 64


BEFORE_EMAIL_FIRST = "a9d2f4c8e1b6"


def insert_two_signatures(connection) -> None:  # type: ignore[no-untyped-def]
    """A device, an event and two signatures of one email HMAC, s2 received first."""
    insert_device_and_event(connection)
    for key, minute in (("s1", 10), ("s2", 5)):
        connection.execute(
            text(
                "INSERT INTO signatures (id, content_sha256, event_id, device_id, "
                "kiosk_uuid, received_at_utc, created_at_utc, utc_offset_minutes, "
                "local_date, language, sealed, email_hmac, withdrawal_code, "
                "lives_or_works_in_helsingborg, community_opt_in, helper_opt_in, "
                "consent_version, consent_sha256, consent_given_at_utc, commitments, "
                "clock_unreliable) VALUES (:key, :digest, 'e1', 1, 'k1', "
                ":received, '2026-06-13 09:00:00', 120, '2026-06-13', 'sv', NULL, "
                ":hmac, :code, true, false, false, 'v1', :digest, "
                "'2026-06-13 09:00:00', '[]', false)"
            ),
            {
                "key": key,
                "digest": "cd" * 32,
                "received": f"2026-06-13 09:{minute:02d}:00",
                "hmac": "ef" * 32,
                "code": f"{key.upper():0>10}",
            },
        )


def test_the_email_index_becomes_the_first_holders_index_and_keeps_the_rows(store_url):
    engine = make_engine(store_url)
    command.upgrade(alembic_config(engine), BEFORE_EMAIL_FIRST)
    with engine.begin() as connection:
        insert_two_signatures(connection)
    engine.dispose()

    central = open_central_store(store_url)
    try:
        indexes = {
            index["name"]: index["column_names"]
            for index in inspect(central.engine).get_indexes("signatures")
        }
        with central.engine.connect() as connection:
            first = connection.execute(
                text(
                    "SELECT id FROM signatures WHERE email_hmac = :hmac "
                    "ORDER BY received_at_utc, created_at_utc, id LIMIT 1"
                ),
                {"hmac": "ef" * 32},
            ).scalar_one()
        command.downgrade(alembic_config(central.engine), BEFORE_EMAIL_FIRST)
        downgraded = {index["name"] for index in inspect(central.engine).get_indexes("signatures")}
    finally:
        central.close()
    assert indexes["ix_signatures_email_first"] == [
        "email_hmac",
        "received_at_utc",
        "created_at_utc",
        "id",
    ]
    assert "ix_signatures_email_hmac" not in indexes
    assert first == "s2"
    assert "ix_signatures_email_hmac" in downgraded
    assert "ix_signatures_email_first" not in downgraded


BEFORE_COUNTS = "b5c3e7a1d9f2"


def test_the_signatures_held_are_counted_into_signature_counts(store_url):
    """PostgreSQL: the count starts from the rows held, and triggers keep it; SQLite
    counts rows as before and gets no table."""
    engine = make_engine(store_url)
    command.upgrade(alembic_config(engine), BEFORE_COUNTS)
    with engine.begin() as connection:
        insert_two_signatures(connection)
    engine.dispose()

    central = open_central_store(store_url)
    try:
        tables = set(inspect(central.engine).get_table_names())
        with central.session() as session:
            held = repository.kiosk_signature_count(session)
            session.execute(text("DELETE FROM signatures WHERE id = 's1'"))
            after_delete = repository.kiosk_signature_count(session)
            session.commit()
    finally:
        central.close()
    assert (held, after_delete) == (2, 1)
    assert ("signature_counts" in tables) == store_url.startswith("postgresql")
