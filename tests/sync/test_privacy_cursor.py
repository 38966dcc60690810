"""The privacy cursor: a sync pass downloads what changed since the last one, not
the store's size, and still carries every withdrawal and every repeat signer.

Two kiosks on one real store (SQLite and PostgreSQL): what one signs or what an
organiser erases reaches the other through `GET /api/v1/privacy?since=N`.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import httpx
from sqlalchemy import select

from kiosk.privacy.local import has_signed_before, kiosk_outbox
from kiosk.store import Store, open_store
from kiosk.store.keys import configured_keys
from kiosk.store.models import Signature
from kiosk.store.outbox import PRIVACY_CURSOR_KEY
from kiosk.store.repository import get_setting, set_setting
from sync.client import Uploader
from sync.privacy.withdrawal import code_for
from sync.server import repository as central_repository
from tests.conftest import make_pledge, save
from tests.sync.conftest import LiveStore, enrolled
from tests.sync.fill import fill_pending


class Recording(httpx.HTTPTransport):
    """The real transport, noting every /privacy answer the kiosk downloads."""

    def __init__(self) -> None:
        super().__init__()
        self.privacy: list[tuple[str, bytes]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if request.url.path.endswith("/privacy"):
            response.read()
            self.privacy.append((str(request.url.query, "ascii"), response.content))
        return response


def sync_pass(store: Store) -> Recording:
    recording = Recording()
    with Uploader(kiosk_outbox(store), transport=recording) as uploader:
        assert uploader.sync_once().done
    return recording


def recognised(store: Store, email: str) -> bool:
    with store.session() as session:
        return has_signed_before(session, configured_keys(session), email)


def erase(live: LiveStore, signature_id: str) -> None:
    with live.central.session() as session:
        central_repository.erase(session, withdrawal_code=code_for(signature_id))
        session.commit()


def test_a_pass_with_nothing_new_downloads_a_small_constant(live_store, tmp_path: Path):
    other = open_store(tmp_path / "other")
    fill_pending(other, count=300, seed=1)
    enrolled(other, live_store, "other")
    sync_pass(other)
    kiosk = open_store(tmp_path / "kiosk")
    enrolled(kiosk, live_store, "kiosk")

    first = sync_pass(kiosk).privacy
    assert [query for query, _ in first] == [""]  # no cursor yet: everything, once
    assert len(json.loads(first[0][1])["email_hmacs"]) == 150

    idle = sync_pass(kiosk).privacy
    answer = json.loads(idle[0][1])
    assert idle[0][0].startswith("since=")
    assert answer["erased"] == answer["email_hmacs"] == [] and answer["full"] is False
    assert len(idle[0][1]) < 200

    # The store grows; after the pass that hears of it, an idle pass costs the same.
    more = open_store(tmp_path / "more")
    fill_pending(more, count=300, seed=2)
    enrolled(more, live_store, "more")
    sync_pass(more)
    sync_pass(kiosk)
    assert len(sync_pass(kiosk).privacy[0][1]) == len(idle[0][1])
    for store in (other, kiosk, more):
        store.close()


def test_a_withdrawal_and_a_repeat_signer_from_elsewhere_reach_the_kiosk(
    live_store, tmp_path: Path, market_day: datetime
):
    here = open_store(tmp_path / "here")
    there = open_store(tmp_path / "there")
    enrolled(here, live_store, "here")
    enrolled(there, live_store, "there")
    mine = save(here, make_pledge("Gunborg Tvärnqvist", email="gunborg@example.se"), now=market_day)
    sync_pass(here)
    sync_pass(there)  # both kiosks now hold a cursor
    assert recognised(there, "gunborg@example.se")

    save(there, make_pledge("Zoë Ångström", email="zoe@example.se"), now=market_day)
    sync_pass(there)
    changes = sync_pass(here).privacy
    assert changes[0][0].startswith("since=")
    assert json.loads(changes[0][1])["email_hmacs"] == [
        configured_keys_hmac(here, "zoe@example.se")
    ]
    assert recognised(here, "zoe@example.se")

    erase(live_store, mine)  # an organiser erases it on the store
    sync_pass(here)
    with here.session() as session:
        assert session.get(Signature, mine) is None
    sync_pass(there)
    assert not recognised(there, "gunborg@example.se")  # the last one with it was erased
    assert recognised(there, "zoe@example.se")
    here.close()
    there.close()


def configured_keys_hmac(store: Store, email: str) -> str:
    with store.session() as session:
        value = configured_keys(session).email_hmac(email)
    assert value is not None
    return value


def test_the_cursor_is_kept_with_the_changes_and_belongs_to_one_store(live_store, tmp_path: Path):
    kiosk = open_store(tmp_path / "kiosk")
    fill_pending(kiosk, count=10, seed=3)
    enrolled(kiosk, live_store)
    sync_pass(kiosk)
    with kiosk.session() as session:
        kept = get_setting(session, PRIVACY_CURSOR_KEY)
        assert kept == {"server": live_store.url, "cursor": kept["cursor"]}
        assert kept["cursor"] >= 5  # five new email HMACs were numbered
        # Pointed at another store, the kiosk asks for everything again.
        set_setting(session, "sync.server_url", live_store.url + "/")
        session.commit()
    assert kiosk_outbox(kiosk).privacy_cursor() is None
    kiosk.close()


def test_an_old_kiosk_without_a_cursor_gets_everything(live_store, tmp_path: Path):
    kiosk = open_store(tmp_path / "kiosk")
    ids = fill_pending(kiosk, count=10, seed=4)
    token = enrolled(kiosk, live_store)
    sync_pass(kiosk)
    erase(live_store, ids[0])
    with live_store.client(token) as http:
        everything = http.get("/api/v1/privacy").json()
        cursor = everything["cursor"]
        assert everything["full"] is True and everything["erased"] == [ids[0]]
        assert len(everything["email_hmacs"]) == 5
        since = http.get("/api/v1/privacy", params={"since": cursor}).json()
        assert since["erased"] == since["email_hmacs"] == [] and since["cursor"] == cursor
        # A cursor this store never gave (a store restored from a backup): everything.
        ahead = http.get("/api/v1/privacy", params={"since": cursor + 1000}).json()
        assert ahead["full"] is True and ahead["cursor"] == cursor
        assert http.get("/api/v1/privacy", params={"since": -1}).status_code == 422
    sync_pass(kiosk)
    with kiosk.session() as session:
        assert session.scalar(select(Signature.id).where(Signature.id == ids[0])) is None
    kiosk.close()


def test_an_email_is_numbered_when_new_and_again_only_after_its_last_signature_went(
    live_store, tmp_path: Path, market_day: datetime
):
    """What decides "new": the store holding no other signature with that HMAC."""
    here = open_store(tmp_path / "here")
    there = open_store(tmp_path / "there")
    enrolled(here, live_store, "here")
    enrolled(there, live_store, "there")
    hmac_value = configured_keys_hmac(here, "gunborg@example.se")
    first = save(
        here, make_pledge("Gunborg Tvärnqvist", email="gunborg@example.se"), now=market_day
    )
    sync_pass(here)
    sync_pass(there)  # a cursor past the first number

    again = save(there, make_pledge("Gunborg T", email="gunborg@example.se"), now=market_day)
    changes = json.loads(sync_pass(there).privacy[0][1])
    assert changes["email_hmacs"] == []  # held already: nothing new to number

    erase(live_store, first)
    erase(live_store, again)
    changes = json.loads(sync_pass(there).privacy[0][1])
    assert changes["forgotten_email_hmacs"] == [hmac_value]

    save(here, make_pledge("Gunborg Tvärnqvist", email="gunborg@example.se"), now=market_day)
    sync_pass(here)
    changes = json.loads(sync_pass(there).privacy[0][1])
    assert changes["email_hmacs"] == [hmac_value] and changes["forgotten_email_hmacs"] == []
    assert recognised(there, "gunborg@example.se")
    here.close()
    there.close()
