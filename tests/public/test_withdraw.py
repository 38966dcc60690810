"""The withdrawal page over HTTP: the signer's own erasure, before and after the sync,
and every kind of bad input refused with nothing changed."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from sync.privacy.withdrawal import code_for, display_code
from sync.server.models import RateCount, WithdrawnCode
from sync.server.public.withdraw import WithdrawalLimits, get_withdrawal_limits
from sync.server.ratelimit import Limit
from tests.public.conftest import Visitor, a_record
from tests.sync.records import event_json


def words(response) -> str:  # type: ignore[no-untyped-def]
    """The page's text without tags, as a reader sees it."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))


def test_the_qr_code_fills_in_the_code_and_the_page_says_what_happens(public_store, visitor):
    page = visitor.open(kod="wtzpp-kfgxf")
    assert page.status_code == 200
    assert 'value="WTZPP-KFGXF"' in page.text
    text = words(page)
    assert "namn, din namnteckning och din e-postadress tas bort" in text
    assert "antalet underskrifter minskar med en" in text
    english = visitor.open(kod="WTZPP-KFGXF", lang="en")
    assert "your name, your signature and your email address are removed" in words(english)
    assert ">Svenska</a>" in english.text and ">English</a>" in page.text


def test_withdrawing_asks_once_then_erases_at_once_and_audits_only_a_hash(public_store, visitor):
    event = event_json()
    kept, withdrawn = a_record(event["id"]), a_record(event["id"], email="other@example.se")
    public_store.upload(kept, withdrawn, event=event)
    code = display_code(withdrawn["withdrawal_code"])

    token = visitor.token()
    asked = visitor.post({"kod": code, "lang": "sv", "csrf_token": token, "step": "check"})
    assert asked.status_code == 200
    assert "Vill du ta bort din underskrift?" in asked.text
    assert public_store.held() == 2  # asking changes nothing
    done = visitor.post({"kod": code, "lang": "sv", "csrf_token": token, "step": "confirm"})
    assert done.status_code == 200
    assert f"ingen underskrift kvar med koden {code}" in words(done)
    assert public_store.held() == 1

    with public_store.client(public_store.token) as http:
        privacy = http.get("/api/v1/privacy").json()
    assert withdrawn["id"] in privacy["erased"]  # kiosks delete their copies at next sync
    [audit] = public_store.audited()
    assert audit.records_erased == 1
    assert withdrawn["withdrawal_code"] not in audit.code_sha256
    assert re.fullmatch("[0-9a-f]{64}", audit.code_sha256)


def test_a_code_that_matches_nothing_gets_the_same_calm_answer(public_store, visitor):
    record = a_record()
    public_store.upload(record)
    real = visitor.withdraw(display_code(record["withdrawal_code"]))
    stranger = Visitor(public_store.url)
    unknown_code = code_for("00000000-0000-4000-8000-000000000000")
    unknown = stranger.withdraw(display_code(unknown_code))
    again = stranger.withdraw(display_code(record["withdrawal_code"]))
    stranger.close()
    assert real.status_code == unknown.status_code == again.status_code == 200

    def shape(response, code: str) -> str:  # type: ignore[no-untyped-def]
        page = response.text.replace(display_code(code), "CODE")
        return re.sub(r'value="[0-9a-f]{64}"', "", page)

    assert shape(real, record["withdrawal_code"]) == shape(unknown, unknown_code)
    assert shape(again, record["withdrawal_code"]) == shape(real, record["withdrawal_code"])


def test_withdrawn_before_the_kiosk_synced_the_record_is_never_stored(public_store, visitor):
    record = a_record()
    assert visitor.withdraw(display_code(record["withdrawal_code"])).status_code == 200
    with public_store.central.session() as session:
        hashes = list(session.scalars(select(WithdrawnCode.code_sha256)))
    assert len(hashes) == 1 and record["withdrawal_code"] not in hashes[0]

    answer = public_store.upload(record)
    assert answer["erased"] == 1 and answer["results"][0]["status"] == "erased"
    assert public_store.held() == 0
    assert public_store.upload(record)["erased"] == 1  # and on every retry
    with public_store.client(public_store.token) as http:
        assert record["id"] in http.get("/api/v1/privacy").json()["erased"]


def test_a_mistyped_code_is_caught_by_its_check_character(public_store, visitor):
    record = a_record()
    public_store.upload(record)
    code = record["withdrawal_code"]
    typo = code[:3] + ("A" if code[3] != "A" else "B") + code[4:]
    token = visitor.token()
    answer = visitor.post({"kod": typo, "lang": "sv", "csrf_token": token, "step": "confirm"})
    assert answer.status_code == 400
    assert "Kontrollera koden" in answer.text
    assert visitor.open(kod=typo, lang="en").status_code == 400
    assert "Check the code" in visitor.open(kod=typo, lang="en").text
    assert public_store.held() == 1 and public_store.audited() == []


BAD_CODES = [
    "X" * 100_000,
    "WTZPP-KFGX\x00F",
    "WTZPP\u202eKFGXF",
    "WTZPP-KFGXF\r\nSet-Cookie: x=1",
    "<script>alert(1)</script>",
    "'; DROP TABLE signatures; --",
    "",
]


@pytest.mark.parametrize("bad", BAD_CODES, ids=range(len(BAD_CODES)))
def test_bad_codes_get_a_4xx_and_change_nothing(public_store, visitor, bad):
    record = a_record()
    public_store.upload(record)
    token = visitor.token()
    answer = visitor.post({"kod": bad, "lang": "sv", "csrf_token": token, "step": "confirm"})
    assert 400 <= answer.status_code < 500
    assert "<script>alert" not in answer.text
    if len(bad) < 8000:
        page = visitor.open(kod=bad) if bad else visitor.open()
        assert page.status_code < 500 and "<script>alert" not in page.text
        assert "x=1" not in page.headers.get("set-cookie", "")
    assert public_store.held() == 1 and public_store.audited() == []


def test_forged_form_posts_are_refused_and_change_nothing(public_store, visitor):
    record = a_record()
    public_store.upload(record)
    code = display_code(record["withdrawal_code"])
    token = visitor.token()
    form = {"kod": code, "lang": "sv", "csrf_token": token, "step": "confirm"}
    forged = [
        visitor.post(form, **{"Sec-Fetch-Site": "cross-site"}),
        visitor.post(form, **{"Sec-Fetch-Site": "same-site"}),
        visitor.http.post("/aterkalla", data=form, headers={"Origin": "https://evil.example"}),
        visitor.http.post("/aterkalla", data=form, headers={"Origin": "null"}),
        visitor.post({**form, "csrf_token": "0" * 64}),
        visitor.post({k: v for k, v in form.items() if k != "csrf_token"}),
        visitor.post({**form, "extra": "1"}),
        visitor.post({**form, "step": "erase-everything"}),
        visitor.http.post("/aterkalla", json=form, headers={"Sec-Fetch-Site": "same-origin"}),
        visitor.http.post(
            "/aterkalla",
            content=b"kod=%FF%FE&token=1" + b"\xff",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
        visitor.http.post(
            "/aterkalla",
            content=b"kod=" + b"A" * 5000,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
    ]
    stranger = Visitor(public_store.url)  # a token from another browser's cookie
    forged.append(stranger.post(form))
    stranger.close()
    assert [r.status_code for r in forged] == [403] * 4 + [403, 403, 400, 400, 400, 400, 413, 403]
    assert "skickades från en annan webbplats" in forged[0].text  # web.error.cross_origin
    assert "Formuläret kom inte från den här sidan" in forged[4].text
    assert public_store.held() == 1 and public_store.audited() == []


def test_pages_carry_a_strict_policy_and_keep_the_code_out_of_referrers(public_store, visitor):
    page = visitor.open(kod="WTZPP-KFGXF")
    policy = page.headers["content-security-policy"]
    assert "unsafe-inline" not in policy and "script-src" not in policy  # no script at all
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert "<script" not in page.text and "style=" not in page.text


def test_floods_get_a_429_with_words_and_the_limit_holds_across_processes(public_store):
    """Two apps on one database stand in for `serve --workers 2`: the count is shared."""
    from sync.server.app import create_app
    from sync.server.settings import Settings
    from tests.sync.conftest import ServerThread

    small = WithdrawalLimits(
        page_per_address=Limit("t-page", 5, 3600),
        post_per_address=Limit("t-post", 3, 3600),
        post_overall=Limit("t-all", 5, 3600),
    )
    second_app = create_app(Settings(database_url=public_store.database_url))
    for app in (public_store.app, second_app):
        app.dependency_overrides[get_withdrawal_limits] = lambda: small
    record = a_record()
    public_store.upload(record)
    with ServerThread(second_app) as second_url:
        one, two = Visitor(public_store.url), Visitor(second_url)
        answers = [one.open().status_code, two.open().status_code, one.open().status_code]
        answers += [two.open().status_code, one.open().status_code, two.open().status_code]
        assert answers == [200] * 5 + [429]
        refused = one.open(lang="en")
        assert refused.status_code == 429
        assert "Too many tries right now" in refused.text
        assert int(refused.headers["retry-after"]) > 0
        form = {
            "kod": display_code(record["withdrawal_code"]),
            "csrf_token": "x",
            "step": "confirm",
        }
        posts = [v.post(form).status_code for v in (one, two, one, two)]
        assert posts == [403, 403, 403, 429]  # the fourth post from this address
        one.close()
        two.close()
    second_app.state.store.close()
    assert public_store.held() == 1 and public_store.audited() == []
    with public_store.central.session() as session:
        keys = list(session.scalars(select(RateCount.key)))
    assert not any("127.0.0.1" in key for key in keys)  # no address kept
