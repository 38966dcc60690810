"""The kiosk's upload side against a real central store on 127.0.0.1."""

from __future__ import annotations

import json
import socket

import httpx
from sqlalchemy import delete, func, select

from kiosk.cli import main
from kiosk.privacy.local import kiosk_outbox
from kiosk.store import repository
from kiosk.store.models import Signature, SyncRefusal, SyncState
from kiosk.store.outbox import read_status
from sync.client import Uploader
from sync.privacy.keys import development_keys
from sync.problems import ProblemKind
from sync.server.models import StoredSignature
from tests.conftest import make_pledge, save
from tests.sync.conftest import enrolled


def sync_once(store, **options):  # type: ignore[no-untyped-def]
    with Uploader(kiosk_outbox(store), **options) as uploader:
        return uploader.sync_once()


def states(store) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with store.session() as session:
        rows = session.execute(
            select(Signature.sync_state, func.count()).group_by(Signature.sync_state)
        ).all()
    return dict(rows)


def test_pending_signatures_are_sent_and_counted_once(store, market_day, sqlite_live_store):
    enrolled(store, sqlite_live_store)
    for index in range(3):
        save(store, make_pledge(f"Signer {index}"), now=market_day)
    save(store, now=market_day, practice=True)
    with store.session() as session:
        assert repository.attract_count(session) == 3

    outcome = sync_once(store)

    assert (outcome.sent, outcome.pending, outcome.error) == (3, 0, None)
    assert states(store) == {SyncState.SENT: 3, SyncState.NEVER: 1}
    status = read_status(store)
    assert status.store_total == 3 and status.last_success_utc and status.last_error is None
    with store.session() as session:
        assert repository.attract_count(session) == 3  # store total 3 + 0 pending
    save(store, now=market_day)
    with store.session() as session:
        assert repository.attract_count(session) == 4  # 3 in the store + 1 pending here


def test_attract_count_includes_signatures_from_elsewhere(store, market_day, sqlite_live_store):
    enrolled(store, sqlite_live_store)
    assert (
        main(
            [
                "tally",
                "add",
                "--source",
                "paper",
                "--count",
                "100",
                "--database-url",
                sqlite_live_store.database_url,
            ]
        )
        == 0
    )
    save(store, now=market_day)
    sync_once(store)
    save(store, now=market_day)
    with store.session() as session:
        assert repository.attract_count(session) == 102


def test_unreachable_store_keeps_records_and_says_why(store, market_day):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with store.session() as session:
        repository.set_setting(session, "sync.server_url", f"http://127.0.0.1:{port}")
        repository.set_setting(session, "sync.token", "kt1_x")
        session.commit()
    save(store, now=market_day)
    outcome = sync_once(store, timeout=2)
    assert outcome.error.kind == "unreachable"
    assert states(store) == {SyncState.PENDING: 1}
    assert "cannot be reached" in read_status(store).last_error.message


def test_revoked_token_keeps_records_queued(store, market_day, sqlite_live_store, data_dir, capsys):
    enrolled(store, sqlite_live_store, "laptop-1")
    assert (
        main(["devices", "revoke", "laptop-1", "--database-url", sqlite_live_store.database_url])
        == 0
    )
    save(store, now=market_day)
    assert main(["sync", "--data-dir", str(data_dir), "--attempts", "3"]) == 1
    assert "wrong or revoked" in capsys.readouterr().out
    assert states(store) == {SyncState.PENDING: 1}
    assert main(["status", "--data-dir", str(data_dir), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["pending"] == 1
    assert "revoked" in status["last_error"]
    assert status["last_success_utc"] is None


def test_refused_record_is_marked_with_reason_not_deleted(store, market_day, sqlite_live_store):
    enrolled(store, sqlite_live_store)
    signature_id = save(store, make_pledge("Första"), now=market_day)
    sync_once(store)
    with store.session() as session:  # the same UUID now carries other content
        row = session.get(Signature, signature_id)
        row.community_opt_in, row.sync_state = True, SyncState.PENDING
        session.commit()
    save(store, now=market_day)
    outcome = sync_once(store)
    assert (outcome.sent, outcome.refused, outcome.pending) == (1, 1, 0)
    with store.session() as session:
        assert session.get(Signature, signature_id).sync_state == SyncState.REFUSED
        assert "conflict" in session.get(SyncRefusal, signature_id).reason
    assert read_status(store).refused == 1


def test_record_outside_protocol_limits_stays_pending_and_is_reported(
    store, market_day, sqlite_live_store
):
    """Only the store may refuse a record: one this kiosk cannot send waits, said plainly,
    and does not hold up the others."""
    enrolled(store, sqlite_live_store)
    bad = save(store, now=market_day)
    with store.session() as session:
        session.get(Signature, bad).withdrawal_code = "not a code"
        session.commit()
    good = save(store, now=market_day)
    outcome = sync_once(store)
    assert (outcome.sent, outcome.refused, outcome.pending) == (1, 0, 1)
    assert outcome.error.kind == ProblemKind.UNSENDABLE
    assert "withdrawal_code" in outcome.error.message
    with store.session() as session:
        assert session.get(Signature, good).sync_state == SyncState.SENT
        assert session.get(Signature, bad).sync_state == SyncState.PENDING
        assert session.get(SyncRefusal, bad) is None


def test_sync_command_exits_zero_only_when_nothing_is_pending(
    store, market_day, data_dir, sqlite_live_store, capsys
):
    save(store, now=market_day)
    assert main(["sync", "--data-dir", str(data_dir)]) == 2  # not enrolled
    token = sqlite_live_store.add_device("laptop-1")
    assert (
        main(
            [
                "enroll",
                "--data-dir",
                str(data_dir),
                "--server",
                sqlite_live_store.url,
                "--token",
                "kt1_wrong",
            ]
        )
        == 2
    )
    assert (
        main(
            [
                "enroll",
                "--data-dir",
                str(data_dir),
                "--server",
                sqlite_live_store.url,
                "--token",
                token,
            ]
        )
        == 0
    )
    assert main(["sync", "--data-dir", str(data_dir), "--check"]) == 0
    out = capsys.readouterr().out
    assert "Sent 1" in out and "all 1 of 1 received" in out
    assert main(["status", "--data-dir", str(data_dir), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["pending"] == 0 and status["last_error"] is None
    assert status["sync"]["store_total"] == 1


def test_reconcile_requeues_what_the_store_lost(store, market_day, sqlite_live_store):
    enrolled(store, sqlite_live_store)
    ids = [save(store, make_pledge(f"Signer {i}"), now=market_day) for i in range(3)]
    uploader = Uploader(kiosk_outbox(store))
    uploader.sync_once()
    with sqlite_live_store.central.session() as session:  # the store loses one
        session.execute(delete(StoredSignature).where(StoredSignature.id == ids[1]))
        session.commit()
    checks = uploader.reconcile()
    assert [(c.matches, c.received, c.held_here, c.requeued) for c in checks] == [(False, 2, 3, 1)]
    assert checks[0].describe().endswith("2 of 3 received, 1 missing")
    assert uploader.sync_once().sent == 1
    assert [c.describe() for c in uploader.reconcile()] == ["Stortorget: all 3 of 3 received"]
    uploader.close()


def test_enrolment_code_from_devices_add(store, data_dir, sqlite_live_store, capsys):
    assert (
        main(
            [
                "devices",
                "add",
                "laptop-9",
                "--server",
                sqlite_live_store.url,
                "--qr",
                "--database-url",
                sqlite_live_store.database_url,
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    code = next(
        line.strip()
        for line in printed.splitlines()
        if line.strip().startswith("klimatavtal-enrol:")
    )
    assert "█" in printed  # the QR code
    assert main(["enroll", "--data-dir", str(data_dir), "--code", code]) == 0
    assert read_status(store).enrolled


def test_one_record_the_store_finds_too_big_does_not_hold_up_the_rest(store, market_day, tmp_path):
    from sync.server.app import create_app
    from sync.server.settings import Settings
    from tests.sync.conftest import LiveStore, ServerThread

    url = f"sqlite:///{tmp_path / 'small.sqlite3'}"
    app = create_app(Settings(database_url=url, max_body_bytes=6_000))
    with ServerThread(app) as base:
        enrolled(store, LiveStore(url=base, database_url=url, central=app.state.store))
        ids = [save(store, make_pledge(f"Signer {i}"), now=market_day) for i in range(5)]
        with store.session() as session:  # a long signature, within the protocol's limits
            session.get(Signature, ids[2]).sealed = development_keys().seal(
                {"strokes": [[[i, i] for i in range(900)]]}
            )
            session.commit()
        outcome = sync_once(store)
    assert (outcome.sent, outcome.refused, outcome.pending) == (4, 0, 1), outcome.error
    assert "HTTP 413" in outcome.error.message
    with store.session() as session:  # a whole-request answer never refuses a record
        assert session.get(Signature, ids[2]).sync_state == SyncState.PENDING


class _LosesTheThirdUpload(httpx.HTTPTransport):
    """The real way there, except that the third upload of a pass never arrives."""

    def __init__(self) -> None:
        super().__init__()
        self.uploads: list[list[str]] = []
        self.fail_at: int | None = 3

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/signatures"):
            self.uploads.append([record["id"] for record in json.loads(request.read())["records"]])
            if len(self.uploads) == self.fail_at:
                raise httpx.ConnectError("the network went away", request=request)
        return super().handle_request(request)


def test_batches_read_while_another_is_on_its_way_are_sent_once_and_marked_only_when_answered(
    store, market_day, sqlite_live_store
):
    enrolled(store, sqlite_live_store)
    ids = {save(store, make_pledge(f"Signer {i}"), now=market_day) for i in range(7)}
    transport = _LosesTheThirdUpload()

    outcome = sync_once(store, batch_size=2, transport=transport)

    assert outcome.error is not None and outcome.error.kind == ProblemKind.UNREACHABLE
    sent = [key for upload in transport.uploads[:2] for key in upload]
    assert len(set(sent)) == 4 and not set(sent) & set(transport.uploads[2])
    assert (outcome.sent, outcome.pending) == (4, 3)
    with store.session() as session:
        marked = set(session.scalars(select(Signature.id).where(Signature.sync_state == "sent")))
    assert marked == set(sent)  # the lost batch stays pending, nothing read ahead is marked
    transport.fail_at = None
    assert sync_once(store, batch_size=2, transport=transport).done
    with sqlite_live_store.central.session() as session:
        assert set(session.scalars(select(StoredSignature.id))) == ids
    again = [key for upload in transport.uploads[3:] for key in upload]
    assert sorted(again) == sorted(ids - set(sent))  # each of the rest once


def test_every_sync_problem_has_words_in_both_languages():
    from kiosk.i18n import Translator, languages

    for language in languages():
        for kind in ProblemKind:
            assert Translator(language=language)(f"sync.error_{kind}")
