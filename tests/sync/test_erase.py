"""`erase --email`: a household sharing an address is not erased together by mistake."""

from __future__ import annotations

from sqlalchemy import select

from kiosk.cli import main
from sync.privacy.withdrawal import display_code
from sync.server.models import Erasure, StoredSignature
from tests.sync.records import batch_json, event_json, record_json

UPLOAD = "/api/v1/signatures"
HOUSEHOLD = "familjen@example.se"


def held_ids(live) -> set[str]:  # type: ignore[no-untyped-def]
    with live.central.session() as session:
        return set(session.scalars(select(StoredSignature.id)))


def upload_household(live) -> list[dict]:  # type: ignore[no-untyped-def]
    """Three signers sharing an address (two events, two kiosks) and one other signer."""
    market, library = event_json(name="Råå hamnmarknad"), event_json(name="Stadsbiblioteket")
    market["date"], library["date"] = "2026-06-13", "2026-06-20"
    first = [record_json(market["id"], name=n, email=HOUSEHOLD) for n in ("Åsa", "Olle")]
    second = [record_json(library["id"], name="Kim", email=HOUSEHOLD)]
    other = record_json(library["id"], name="Nils", email="nils@example.se")
    for kiosk, event, records in (
        ("laptop-1", market, first),
        ("laptop-2", library, [*second, other]),
    ):
        with live.client(live.add_device(kiosk)) as http:
            batch = batch_json(0, event=event) | {"records": records}
            assert http.post(UPLOAD, json=batch).status_code == 200
    return [*first, *second, other]


def test_erase_by_a_shared_email_lists_the_matches_and_erases_nothing(sqlite_live_store, capsys):
    records = upload_household(sqlite_live_store)
    database = ["--database-url", sqlite_live_store.database_url]
    assert main(["erase", "--email", HOUSEHOLD, *database]) == 2
    captured = capsys.readouterr()
    assert (
        "3 signatures share this address" in captured.err and "nothing was changed" in captured.err
    )
    for record, event, date, kiosk in (
        (records[0], "Råå hamnmarknad", "2026-06-13", "laptop-1"),
        (records[1], "Råå hamnmarknad", "2026-06-13", "laptop-1"),
        (records[2], "Stadsbiblioteket", "2026-06-20", "laptop-2"),
    ):
        line = next(
            line
            for line in captured.out.splitlines()
            if display_code(record["withdrawal_code"]) in line
        )
        assert event in line and date in line and kiosk in line
    assert "Åsa" not in captured.out + captured.err  # names stay sealed
    assert held_ids(sqlite_live_store) == {r["id"] for r in records}


def test_erase_by_email_takes_the_one_chosen_by_its_code(sqlite_live_store, capsys):
    records = upload_household(sqlite_live_store)
    database = ["--database-url", sqlite_live_store.database_url]
    olle = display_code(records[1]["withdrawal_code"]).lower()
    assert main(["erase", "--email", HOUSEHOLD, "--code", olle, *database]) == 0
    assert "Erased 1 signature" in capsys.readouterr().out
    assert held_ids(sqlite_live_store) == {records[i]["id"] for i in (0, 2, 3)}
    with sqlite_live_store.central.session() as session:
        assert session.get(Erasure, records[1]["id"]) is not None

    # A code that is not one of this address's signatures changes nothing.
    nils = records[3]["withdrawal_code"]
    assert main(["erase", "--email", HOUSEHOLD, "--code", nils, *database]) == 2
    assert "not one of the 2 signatures with this address" in capsys.readouterr().err
    assert held_ids(sqlite_live_store) == {records[i]["id"] for i in (0, 2, 3)}


def test_erase_by_email_takes_all_only_when_asked(sqlite_live_store, capsys):
    records = upload_household(sqlite_live_store)
    database = ["--database-url", sqlite_live_store.database_url]
    assert main(["erase", "--all", *database]) == 2
    assert "--all goes with --email" in capsys.readouterr().err
    assert main(["erase", "--email", HOUSEHOLD, "--all", *database]) == 0
    assert "Erased 3 signature" in capsys.readouterr().out
    assert held_ids(sqlite_live_store) == {records[3]["id"]}
