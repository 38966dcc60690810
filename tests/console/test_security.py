"""CSRF, cross-site posts, Content-Security-Policy and every role limit, on the server."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sync.server.console import accounts
from sync.server.models import Tally
from tests.console.conftest import log_in
from tests.sync.conftest import ServerThread


def _tally_count(console) -> int:  # type: ignore[no-untyped-def]
    with console.central.session() as session:
        return session.scalar(select(func.count()).select_from(Tally)) or 0


def _post_from_page(page, path: str, fields: dict[str, str]) -> int:  # type: ignore[no-untyped-def]
    """POST a form from the logged-in page's own origin with fetch; returns the status."""
    return page.evaluate(
        """async ([path, fields]) => (await fetch(path, {method: "POST",
             headers: {"Content-Type": "application/x-www-form-urlencoded"},
             body: new URLSearchParams(fields)})).status""",
        [path, fields],
    )


def _csrf(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator('input[name="csrf_token"]').first.get_attribute("value")


def test_a_form_without_the_sessions_token_is_refused_and_changes_nothing(console, page):
    console.add_user("olle", "organiser")
    log_in(page, console, "olle")
    page.goto(f"{console.url}/console/tallies")
    fields = {"source": "paper", "count": "5"}
    assert _post_from_page(page, "/console/tallies", fields) == 403
    assert _post_from_page(page, "/console/tallies", {**fields, "csrf_token": "x" * 43}) == 403
    assert _tally_count(console) == 0
    assert _post_from_page(page, "/console/tallies", {**fields, "csrf_token": _csrf(page)}) == 200
    assert _tally_count(console) == 1


def test_a_post_from_another_site_is_refused_even_with_the_cookie(console, page):
    """Another origin (another port of 127.0.0.1) auto-submits a form to the console."""
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse

    console.add_user("olle", "organiser")
    log_in(page, console, "olle")
    page.goto(f"{console.url}/console/tallies")
    token = _csrf(page)  # even a stolen token does not help a cross-site post
    evil = FastAPI()

    @evil.get("/")
    def attack() -> HTMLResponse:
        return HTMLResponse(
            f'<form method="post" action="{console.url}/console/tallies">'
            f'<input name="source" value="evil"><input name="count" value="99">'
            f'<input name="csrf_token" value="{token}"><button>go</button></form>'
        )

    with ServerThread(evil) as evil_url:
        page.goto(evil_url.replace("127.0.0.1", "localhost"))
        with page.expect_navigation():
            page.get_by_role("button", name="go").click()
    assert _tally_count(console) == 0


def test_pages_have_a_strict_csp_and_run_without_violations(console, page):
    console.add_user("ada", "admin")
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    log_in(page, console, "ada")
    answer = page.goto(f"{console.url}/console/export")
    csp = answer.headers["content-security-policy"]
    assert "script-src 'self' 'wasm-unsafe-eval'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert answer.headers["x-content-type-options"] == "nosniff"
    for path in ("/console/", "/console/kiosks", "/console/withdrawals", "/console/audit"):
        page.goto(f"{console.url}{path}")
    assert violations == []


ORGANISER_FORMS = [
    ("/console/kiosks", {"name": "sneaky"}),
    ("/console/tallies", {"source": "paper", "count": "3"}),
    ("/console/events", {"name": "X", "place": "Y", "date": "2026-07-01"}),
    ("/console/goal", {"goal": "5"}),
    ("/console/export/opened", {"rows": "1", "kind": "signatures"}),
]
ADMIN_FORMS = [
    ("/console/withdrawals", {"code": "WTZPP-KFGXF"}),
    ("/console/users", {"name": "mallory", "role": "admin", "password": "x" * 12,
                        "password_again": "x" * 12}),
    ("/console/users/1/role", {"role": "admin"}),
    ("/console/users/1/password", {"password": "x" * 12, "password_again": "x" * 12}),
    ("/console/users/1/remove", {"confirm": "yes"}),
]  # fmt: skip


@pytest.mark.parametrize("role", ["viewer", "organiser"])
def test_every_route_checks_the_role_on_the_server(console, page, role):
    console.add_user("who", role)
    log_in(page, console, "who")
    page.get_by_role("heading", name="Översikt").wait_for()
    token = _csrf(page)
    forbidden_forms = ORGANISER_FORMS + ADMIN_FORMS if role == "viewer" else ADMIN_FORMS
    for path, fields in forbidden_forms:
        assert _post_from_page(page, path, {**fields, "csrf_token": token}) == 403, path
    forbidden_pages = ["/console/withdrawals", "/console/audit", "/console/audit.csv",
                       "/console/users", "/console/users/1", "/console/users/1/remove"]  # fmt: skip
    if role == "viewer":
        forbidden_pages += [
            "/console/kiosks",
            "/console/events",
            "/console/tallies",
            "/console/export",
            "/console/export/sealed.json",
            "/console/export/signatures.csv",
        ]
    for path in forbidden_pages:
        assert page.request.get(f"{console.url}{path}").status == 403, path
    links = page.get_by_role("navigation").get_by_role("link").all_inner_texts()
    assert ("Kiosker" in links) == (role == "organiser")
    assert "Granskningslogg" not in links
    assert _tally_count(console) == 0
    with console.central.session() as session:  # "who" is user 1: still there, unchanged
        assert [(u.name, u.role) for u in accounts.list_users(session)] == [("who", role)]


def test_the_admin_reads_the_audit_log_of_logins_and_failures(console, page):
    console.add_user("ada", "admin")
    log_in(page, console, "ada", "not the password")
    log_in(page, console, "ada")
    page.goto(f"{console.url}/console/audit")
    rows = page.locator("#audit tbody tr").all_inner_texts()
    assert any("login.failed" in row for row in rows) and any("\tlogin\t" in row for row in rows)
    csv_text = page.request.get(f"{console.url}/console/audit.csv").text()
    assert "login.failed" in csv_text and "not the password" not in csv_text
