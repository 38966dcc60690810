"""Privacy end to end: nothing readable on either side, export with the key,
withdrawal on both ends, repeat signers, retention on schedule."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import inspect, select, text

from kiosk.cli import main
from kiosk.privacy.local import apply_retention, has_signed_before, kiosk_outbox
from kiosk.store import repository
from kiosk.store.keys import configured_keys
from kiosk.store.models import Signature, SyncState
from sync.client import Uploader
from sync.privacy.keys import KIOSK_FILE, development_keys, init_keys
from sync.privacy.withdrawal import code_for, display_code
from sync.server.app import create_app
from sync.server.models import Erasure, StoredSignature
from sync.server.settings import Settings
from tests.conftest import make_pledge, save
from tests.sealed import DEV_PRIVATE
from tests.sync.conftest import LiveStore, ServerThread, enrolled
from tests.sync.records import batch_json, event_json, record_json

SIGNERS = [
    ("Gunborg Tvärnqvist", "gunborg.tvarnqvist@example.se", "25221"),
    ("Zoë Ångström-Öhlin", "Zoe.Angstrom@Example.SE", "25467"),
    ("Mirjam Kvarnbäck", None, "26031"),
]


def sync_once(store):  # type: ignore[no-untyped-def]
    with Uploader(kiosk_outbox(store)) as uploader:
        return uploader.sync_once()


def spellings(value: str) -> list[bytes]:
    """Every form a string could take in a file: UTF-8, UTF-16, cases, JSON-escaped."""
    forms = {value, value.lower(), value.upper(), json.dumps(value)[1:-1]}
    found: list[bytes] = []
    for form in forms:
        found += [form.encode("utf-8"), form.encode("utf-16-le"), form.encode("utf-16-be")]
    return found


def personal_strings() -> list[str]:
    words = []
    for name, email, _postcode in SIGNERS:
        words += [name, *name.replace("-", " ").split()]
        if email:
            words += [email, email.split("@")[0]]
    return words


def assert_nothing_readable(blob: bytes, where: str) -> None:
    for word in personal_strings():
        for form in spellings(word):
            assert form not in blob, f"{word!r} readable in {where}"


def kiosk_files(data_dir: Path) -> list[Path]:
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert any(p.name.endswith("-wal") for p in files) or files
    return files


def sign_everyone(store, market_day) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        save(store, make_pledge(name, email=email or "", postcode=postcode), now=market_day)
        for name, email, postcode in SIGNERS
    ]


def test_after_signing_and_syncing_no_file_on_either_side_holds_a_name_or_email(
    store, data_dir, market_day, live_store
):
    enrolled(store, live_store)
    sign_everyone(store, market_day)
    assert sync_once(store).done
    # The kiosk's files as they are while it runs: main file, -wal, -shm, backups.
    for path in kiosk_files(data_dir):
        assert_nothing_readable(path.read_bytes(), str(path))
    if live_store.database_url.startswith("sqlite"):
        central = Path(live_store.database_url.removeprefix("sqlite:///"))
        for path in central.parent.glob(central.name + "*"):
            assert_nothing_readable(path.read_bytes(), str(path))
    else:  # PostgreSQL: every row of every table, as text
        engine = live_store.central.engine
        dump = []
        with engine.connect() as connection:
            for table in inspect(engine).get_table_names():
                dump += [
                    repr(tuple(row)) for row in connection.execute(text(f"SELECT * FROM {table}"))
                ]
        blob = "\n".join(dump).encode("utf-8")
        assert_nothing_readable(blob, "the PostgreSQL tables")
    with live_store.central.session() as session:
        stored = session.scalars(select(StoredSignature)).all()
    consent = {row.consent_sha256 for row in stored}
    with store.session() as session:
        assert consent == {row.consent_sha256 for row in session.scalars(select(Signature))}
    assert {row.postcode_area for row in stored} == {"252", "254", "260"}


def test_export_with_the_right_key_gives_everything_back(
    store, market_day, sqlite_live_store, tmp_path, monkeypatch, capsys
):
    enrolled(store, sqlite_live_store)
    sign_everyone(store, market_day)
    sync_once(store)
    out = tmp_path / "all.csv"
    monkeypatch.setattr(sys, "stdin", io.StringIO("development\n"))
    database = ["--database-url", sqlite_live_store.database_url]
    assert main(["export", "--out", str(out), "--private-key", str(DEV_PRIVATE), *database]) == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["name"]: row for row in csv.DictReader(handle)}
    assert set(rows) == {name for name, _e, _p in SIGNERS}
    assert rows["Zoë Ångström-Öhlin"]["email"] == "Zoe.Angstrom@Example.SE"
    assert rows["Gunborg Tvärnqvist"]["postcode"] == "252 21"
    assert rows["Mirjam Kvarnbäck"]["email"] == ""


def test_erasure_by_code_removes_the_record_on_both_ends_and_forever(
    store, market_day, sqlite_live_store, capsys
):
    enrolled(store, sqlite_live_store)
    first, second, third = sign_everyone(store, market_day)
    sync_once(store)
    database = ["--database-url", sqlite_live_store.database_url]
    code = display_code(code_for(second)).lower()  # as a signer might type it
    assert main(["erase", "--code", code, *database]) == 0
    assert "Erased 1" in capsys.readouterr().out
    with sqlite_live_store.central.session() as session:
        assert session.get(StoredSignature, second) is None
        assert session.get(Erasure, second) is not None
    with store.read_session() as session:
        assert repository.count_signatures(session) == 3  # until the next sync
    assert sync_once(store).done
    with store.read_session() as session:
        assert session.get(Signature, second) is None
        assert repository.count_signatures(session) == 2
        assert repository.attract_count(session) == 2
    # A copy uploaded again (another kiosk, a restored backup) is answered "erased".
    token = sqlite_live_store.add_device("laptop-2")
    event = event_json()
    again = batch_json(0, event=event) | {"records": [record_json(event["id"]) | {"id": second}]}
    with sqlite_live_store.client(token) as http:
        answer = http.post("/api/v1/signatures", json=again).json()
    assert answer["results"][0]["status"] == "erased" and answer["erased"] == 1
    with sqlite_live_store.central.session() as session:
        assert session.get(StoredSignature, second) is None
    assert main(["erase", "--code", code, *database]) == 2  # nothing left to erase
    assert main(["erase", "--code", "ABCDE-FGHJK", *database]) == 2  # check digit wrong
    assert "not a withdrawal code" in capsys.readouterr().err


def test_erasure_by_email_matches_however_the_address_is_typed(
    store, market_day, sqlite_live_store, capsys
):
    enrolled(store, sqlite_live_store)
    ids = sign_everyone(store, market_day)
    sync_once(store)
    database = ["--database-url", sqlite_live_store.database_url]
    assert main(["erase", "--email", " zoe.angstrom@example.se ", *database]) == 0
    sync_once(store)
    with store.read_session() as session:
        assert session.get(Signature, ids[1]) is None
        assert repository.count_signatures(session) == 2


def test_a_repeat_signer_is_flagged_at_the_store_and_recognised_by_kiosks(
    store, market_day, sqlite_live_store, tmp_path
):
    enrolled(store, sqlite_live_store)
    first = save(store, make_pledge("Åsa", email="asa@exempel.se"), now=market_day)
    sync_once(store)
    second = save(store, make_pledge("Åsa", email=" ASA@Exempel.SE"), now=market_day)
    sync_once(store)
    with sqlite_live_store.central.session() as session:
        assert session.get(StoredSignature, second).duplicate_of == first
        assert session.get(StoredSignature, first).duplicate_of is None
    # Another kiosk, which never saw Åsa, knows her after one sync.
    other = repository_store(tmp_path / "other")
    try:
        enrolled(other, sqlite_live_store, "laptop-2")
        with other.session() as session:
            keys = configured_keys(session)
            assert not has_signed_before(session, keys, "asa@exempel.se")
        sync_once(other)
        with other.session() as session:
            assert has_signed_before(session, keys, "Asa@Exempel.se ")
            assert not has_signed_before(session, keys, "someone@exempel.se")
    finally:
        other.close()


def repository_store(path: Path):  # type: ignore[no-untyped-def]
    from kiosk.store import open_store

    return open_store(path)


def test_retention_clears_sealed_data_on_schedule_and_keeps_the_counts(
    store, market_day, sqlite_live_store
):
    enrolled(store, sqlite_live_store)
    ids = sign_everyone(store, market_day)
    pending = save(store, now=market_day)
    with store.session() as session:  # only the first three were acknowledged
        session.query(Signature).filter(Signature.id == pending).update({"practice": True})
        session.commit()
    sync_once(store)
    with store.session() as session:
        synced = session.get(Signature, ids[0]).synced_at_utc
        assert apply_retention(session, now=synced + timedelta(days=6, hours=23)) == 0
        assert apply_retention(session, now=synced + timedelta(days=7, minutes=1)) == 3
        session.commit()
    with store.read_session() as session:
        rows = session.scalars(select(Signature).where(Signature.id.in_(ids))).all()
        assert all(row.sealed is None and row.sync_state == SyncState.SENT for row in rows)
        assert session.get(Signature, pending).sealed is not None  # never sent: kept
        assert repository.count_signatures(session) == 3


def test_the_store_clears_sealed_data_after_its_retention(tmp_path, store, market_day):
    url = f"sqlite:///{tmp_path / 'short.sqlite3'}"
    app = create_app(Settings(database_url=url, retention_days=30))
    with ServerThread(app) as base:
        live = LiveStore(url=base, database_url=url, central=app.state.store)
        enrolled(store, live)
        save(store, now=market_day)
        sync_once(store)
        from sync.server.repository import apply_retention as store_retention

        with live.central.session() as session:
            row = session.scalars(select(StoredSignature)).one()
            later = row.received_at_utc + timedelta(days=31)
            assert store_retention(session, days=30, now=later) == 1
            session.commit()
            assert session.scalars(select(StoredSignature)).one().sealed is None


def test_a_kiosk_gets_the_campaign_key_when_it_enrols(tmp_path, store):
    keys = init_keys(tmp_path / "keys", "campaign passphrase", opslimit=2, memlimit=8 << 20)
    url = f"sqlite:///{tmp_path / 'keyed.sqlite3'}"
    app = create_app(Settings(database_url=url, campaign_keys=keys))
    with ServerThread(app) as base:
        with store.read_session() as session:
            assert configured_keys(session).development
        enrolled(store, LiveStore(url=base, database_url=url, central=app.state.store))
    with store.read_session() as session:
        assert configured_keys(session) == keys
    assert (tmp_path / "keys" / KIOSK_FILE).exists()
    assert development_keys().development
