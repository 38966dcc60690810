"""Carrying signatures on a USB stick: `klimatavtal carry` writes the file on a real kiosk
store, `klimatavtal-store carry-in` imports it into a real central store (SQLite, and
PostgreSQL when KLIMATAVTAL_TEST_DATABASE_URL is set)."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.carry import last_carry, removable_drives
from kiosk.cli import main as kiosk_main
from kiosk.store.models import Signature, SyncState
from sync.carry import (
    CarryFileError,
    build_carry_file,
    read_carry_file,
    split_batches,
    token_sha256,
)
from sync.protocol import MAX_BATCH_RECORDS, EventInfo, SignatureRecord
from sync.server import repository as store_repository
from sync.server.cli import main as store_main
from sync.server.db import open_central_store
from sync.server.devices import add_device, hash_token, revoke_device
from sync.server.models import Device, StoredSignature
from tests.conftest import make_pledge, save
from tests.sync.conftest import enrolled
from tests.sync.records import event_json, record_json
from tests.sync.test_client import states, sync_once


def carry(data_dir: Path, out: Path) -> int:
    return kiosk_main(["--data-dir", str(data_dir), "carry", "--out", str(out)])


def carry_in(database_url: str, path: Path, *extra: str) -> int:
    return store_main(["carry-in", str(path), "--database-url", database_url, *extra])


def stored_count(database_url: str) -> int:
    central = open_central_store(database_url)
    try:
        with central.session() as session:
            return session.scalar(select(func.count()).select_from(StoredSignature)) or 0
    finally:
        central.close()


def only_file(folder: Path) -> Path:
    files = list(folder.glob("klimatavtal-carry-*.json"))
    assert len(files) == 1, files
    return files[0]


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    folder = tmp_path / "media" / "volunteer" / "USB-STICK"
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def carried(store, data_dir, market_day, live_store, stick) -> Path:  # type: ignore[no-untyped-def]
    """An enrolled kiosk with 3 pending signatures (and a practice one) carried to the stick."""
    enrolled(store, live_store)
    for index in range(3):
        save(store, make_pledge(f"Signer {index}"), now=market_day)
    save(store, now=market_day, practice=True)
    assert carry(data_dir, stick) == 0
    return only_file(stick)


def test_a_carried_file_is_imported_once_and_later_syncs_add_nothing(
    store, carried, live_store, capsys
):
    capsys.readouterr()
    assert states(store) == {SyncState.PENDING: 3, SyncState.NEVER: 1}  # nothing marked sent
    written = last_carry(store)
    assert written is not None and written.count == 3 and written.file == str(carried)
    url = live_store.database_url

    assert carry_in(url, carried) == 0
    out = capsys.readouterr().out
    assert "from laptop-1" in out and "added 3, already here 0" in out
    assert stored_count(url) == 3

    assert carry_in(url, carried) == 0  # the same file again adds nothing
    assert "added 0, already here 3" in capsys.readouterr().out
    assert stored_count(url) == 3

    outcome = sync_once(store)  # the kiosk gets online after all
    assert (outcome.sent, outcome.duplicates, outcome.pending) == (0, 3, 0)
    assert states(store) == {SyncState.SENT: 3, SyncState.NEVER: 1}
    assert stored_count(url) == 3


def test_status_says_when_signatures_were_last_saved_to_usb(store, data_dir, carried, capsys):
    capsys.readouterr()
    assert kiosk_main(["--data-dir", str(data_dir), "status"]) == 0
    out = capsys.readouterr().out
    assert "Saved to USB:     3 signature(s) at " in out and str(carried) in out
    assert "Waiting for sync: 3" in out  # the stick confirms nothing

    assert kiosk_main(["--data-dir", str(data_dir), "status", "--json"]) == 0
    saved = json.loads(capsys.readouterr().out)["last_carry"]
    assert saved["count"] == 3 and saved["file"] == str(carried)


def test_status_of_a_kiosk_that_never_carried_says_nothing_of_usb(store, data_dir, capsys):
    assert kiosk_main(["--data-dir", str(data_dir), "status"]) == 0
    assert "USB" not in capsys.readouterr().out
    assert kiosk_main(["--data-dir", str(data_dir), "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["last_carry"] is None


def test_a_signature_withdrawn_after_import_is_not_stored_again(carried, live_store, capsys):
    url = live_store.database_url
    assert carry_in(url, carried) == 0
    with live_store.central.session() as session:
        code = session.scalars(select(StoredSignature.withdrawal_code)).first()
        assert store_repository.erase(session, withdrawal_code=code)
        session.commit()
    capsys.readouterr()

    assert carry_in(url, carried) == 0

    out = capsys.readouterr().out
    assert "added 0, already here 2" in out and "withdrawn by their signers, not stored: 1" in out
    assert stored_count(url) == 2


def _rewrite(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    document = json.loads(path.read_bytes())
    change(document)
    path.write_text(json.dumps(document))


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    at = data.index(b'"sealed": "') + 40
    data[at] = ord("A") if data[at] != ord("A") else ord("B")
    path.write_bytes(bytes(data))


def _edit_count(path: Path) -> None:
    _rewrite(path, lambda doc: doc["payload"].update(count=30))


def _edit_count_and_checksum(path: Path) -> None:
    """A careful forger recomputes the checksum: the signature still gives it away."""

    def change(doc: dict) -> None:
        doc["payload"]["batches"][0]["records"].pop()
        doc["payload"]["count"] = 2
        doc["sha256"] = hashlib.sha256(canonical_json(doc["payload"])).hexdigest()

    _rewrite(path, change)


def canonical_json(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (_flip_a_byte, "checksum does not match"),
        (_edit_count, "checksum does not match"),
        (_edit_count_and_checksum, "signature matches no kiosk"),
        (_truncate, "not complete JSON"),
    ],
)
def test_a_damaged_or_changed_file_is_refused_whole(carried, live_store, capsys, damage, said):
    damage(carried)
    capsys.readouterr()

    assert carry_in(live_store.database_url, carried) == 2

    err = capsys.readouterr().err
    assert said in err and "nothing imported" in err
    assert stored_count(live_store.database_url) == 0


def test_a_file_from_a_revoked_kiosk_is_refused(carried, live_store, capsys):
    with live_store.central.session() as session:
        revoke_device(session, name="laptop-1")
        session.commit()

    assert carry_in(live_store.database_url, carried) == 2
    assert "revoked" in capsys.readouterr().err
    assert stored_count(live_store.database_url) == 0


def test_an_unenrolled_kiosk_writes_an_unsigned_file_an_organiser_must_vouch_for(
    store, data_dir, market_day, stick, tmp_path, capsys
):
    save(store, now=market_day)
    save(store, make_pledge("Bo Ek"), now=market_day)
    assert carry(data_dir, stick) == 0
    assert "unsigned" in capsys.readouterr().out
    path = only_file(stick)
    url = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    central = open_central_store(url)
    with central.session() as session:
        add_device(session, name="stall-laptop")
        session.commit()
    central.close()

    assert carry_in(url, path) == 2
    assert "not signed" in capsys.readouterr().err and stored_count(url) == 0
    assert carry_in(url, path, "--trust-unsigned", "no-such-laptop") == 2
    assert stored_count(url) == 0

    assert carry_in(url, path, "--trust-unsigned", "stall-laptop") == 0
    assert "from stall-laptop" in capsys.readouterr().out
    assert stored_count(url) == 2
    with store.session() as session:  # still pending: only a sync confirms
        pending = select(func.count()).where(Signature.sync_state == SyncState.PENDING)
        assert session.scalar(pending) == 2


def test_nothing_pending_writes_no_file(store, data_dir, stick, capsys):
    assert carry(data_dir, stick) == 0
    assert "Nothing waits" in capsys.readouterr().out
    assert list(stick.iterdir()) == []
    assert last_carry(store) is None


def test_a_missing_folder_is_said_plainly(store, data_dir, market_day, tmp_path, capsys):
    save(store, now=market_day)
    assert carry(data_dir, tmp_path / "not-mounted") == 2
    assert "no such folder" in capsys.readouterr().err
    assert states(store) == {SyncState.PENDING: 1}


def test_the_key_comes_from_the_token_hash_the_store_keeps():
    token = "kt1_" + uuid.uuid4().hex
    assert token_sha256(token) == hash_token(token)


def test_many_records_travel_in_batches_within_the_protocol_limits():
    event = EventInfo.model_validate(event_json())
    first = SignatureRecord.model_validate(record_json(str(event.id)))
    records = [first] + [
        first.model_copy(update={"id": uuid.uuid4()}) for _ in range(2 * MAX_BATCH_RECORDS)
    ]
    kiosk = str(uuid.uuid4())

    batches = split_batches(kiosk, records, [event])
    data = build_carry_file(
        kiosk_uuid=kiosk,
        written_at_utc=datetime(2026, 6, 13),
        batches=batches,
        token="kt1_x",
    )

    assert [len(b.records) for b in batches] == [MAX_BATCH_RECORDS, MAX_BATCH_RECORDS, 1]
    back = read_carry_file(data)
    assert back.count == len(records) and back.signed_with(token_sha256("kt1_x"))
    assert not back.signed_with(token_sha256("kt1_y"))
    with pytest.raises(CarryFileError, match="not a Klimatavtalet carry file"):
        read_carry_file(b'{"format": "something else"}')


def test_mounted_sticks_are_listed_by_name(tmp_path):
    media = tmp_path / "media" / "kim"
    for name in ("KINGSTON", "backup disk", ".hidden"):
        (media / name).mkdir(parents=True)
    run_media = tmp_path / "run-media" / "kim"
    (run_media / "SANDISK").mkdir(parents=True)

    found = removable_drives([media, run_media, tmp_path / "absent"])

    assert [path.name for path in found] == ["backup disk", "KINGSTON", "SANDISK"]


def test_device_rows_are_untouched_by_a_refused_file(carried, live_store):
    with live_store.central.session() as session:
        before = session.scalar(select(Device.last_seen_at_utc).where(Device.name == "laptop-1"))
    _truncate(carried)
    assert carry_in(live_store.database_url, carried) == 2
    with live_store.central.session() as session:
        after = session.scalar(select(Device.last_seen_at_utc).where(Device.name == "laptop-1"))
    assert before == after
