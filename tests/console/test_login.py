"""Login, logout, lockout and idle expiry, in the real browser against a real server."""

from __future__ import annotations

import re

import httpx

from tests.console.conftest import PASSWORD, log_in


def test_login_shows_the_overview_and_logout_ends_the_session(console, page):
    console.add_user("alice", "viewer")
    page.goto(f"{console.url}/console/")
    assert page.url.endswith("/console/login")  # not logged in: to the login form
    log_in(page, console, "alice")
    page.get_by_role("heading", name="Översikt").wait_for()
    cookie = next(c for c in page.context.cookies() if c["name"] == "console_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and not cookie["secure"]
    page.get_by_role("button", name="Logga ut alice").click()
    page.get_by_role("heading", name="Logga in i organisatörskonsolen").wait_for()
    page.goto(f"{console.url}/console/")
    assert page.url.endswith("/console/login")


def test_english_is_a_tap_away(console, page):
    console.add_user("alice", "viewer")
    log_in(page, console, "alice")
    page.get_by_role("link", name="English").click()
    page.get_by_role("heading", name="Overview").wait_for()
    page.get_by_role("link", name="Svenska").click()
    page.get_by_role("heading", name="Översikt").wait_for()


def test_wrong_password_says_so_and_five_lock_the_account(console, page):
    console.add_user("alice", "admin")
    for _ in range(5):
        log_in(page, console, "alice", "wrong password!")
        page.get_by_text("Fel användarnamn eller lösenord.").wait_for()
    log_in(page, console, "alice")  # the right password, but locked now
    page.get_by_text(re.compile(r"För många felaktiga lösenord\. Vänta 30 sekunder")).wait_for()
    assert page.url.endswith("/console/login")
    console.clock.advance(seconds=31)
    log_in(page, console, "alice")
    page.get_by_role("heading", name="Översikt").wait_for()


def test_the_delay_grows_and_holds_per_address_across_accounts(console, page):
    console.add_user("alice", "admin")
    for name in ("a1", "a2", "a3", "a4", "a5"):  # five wrong tries from one address
        log_in(page, console, name, "guess guess")
    log_in(page, console, "alice")
    page.get_by_text(re.compile(r"Vänta 30 sekunder")).wait_for()  # another account, same address
    console.clock.advance(seconds=31)
    log_in(page, console, "a6", "guess guess")  # the sixth wrong one locks for twice as long
    log_in(page, console, "alice")
    page.get_by_text(re.compile(r"Vänta 60 sekunder")).wait_for()


def test_a_session_idle_for_30_minutes_ends(console, page):
    console.add_user("alice", "viewer")
    log_in(page, console, "alice")
    page.get_by_role("heading", name="Översikt").wait_for()
    console.clock.advance(minutes=29)
    page.goto(f"{console.url}/console/")
    assert page.url.endswith("/console/")
    console.clock.advance(minutes=31)
    page.goto(f"{console.url}/console/")
    assert page.url.endswith("/console/login")


def test_secure_cookie_only_over_https_and_forwarded_proto_only_behind_a_proxy(console):
    console.add_user("alice", "viewer")

    def login_cookie(headers: dict[str, str]) -> str:
        with httpx.Client(base_url=console.url) as client:
            form = client.get("/console/login").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
            answer = client.post(
                "/console/login",
                data={"name": "alice", "password": PASSWORD, "csrf_token": token},
                headers=headers,
            )
            assert answer.status_code == 303
            return next(
                c for c in answer.headers.get_list("set-cookie") if c.startswith("console_session=")
            )

    assert "; secure" not in login_cookie({"X-Forwarded-Proto": "https"}).lower()
    settings = console.app.state.settings
    console.app.state.settings = settings.model_copy(update={"behind_proxy": True})
    assert "; secure" in login_cookie({"X-Forwarded-Proto": "https"}).lower()
    assert "; secure" not in login_cookie({"X-Forwarded-Proto": "http"}).lower()
