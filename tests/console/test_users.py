"""The Users page: an admin adds, changes and removes accounts in the browser, with the
same account functions as `users`; the store always keeps an admin; every change is
in the audit log."""

from __future__ import annotations

from sync.server.console import accounts
from sync.server.console.audit import entries
from tests.console.conftest import PASSWORD, http_login, log_in

NEW_PASSWORD = "a much longer secret"


def _user(console, name: str):  # type: ignore[no-untyped-def]
    with console.central.session() as session:
        user = accounts.user_named(session, name)
        return None if user is None else (user.role, user.password_hash)


def _user_changes(console) -> list[str]:  # type: ignore[no-untyped-def]
    with console.central.session() as session:
        return [e.detail for e in reversed(entries(session)) if e.action == "user.changed"]


def _fill_new_user(page, name: str, role: str, password: str, again: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Användarnamn").fill(name)
    page.get_by_label("Roll").select_option(role)
    page.get_by_label("Nytt lösenord").fill(password)
    page.get_by_label("Samma lösenord igen").fill(again)
    page.get_by_role("button", name="Lägg till användaren").click()


def test_an_admin_adds_changes_and_removes_a_user(console, page):
    console.add_user("ada", "admin")
    log_in(page, console, "ada")
    page.get_by_role("navigation").get_by_role("link", name="Användare").click()
    page.get_by_role("heading", name="Användare", exact=True).wait_for()
    assert "ada (du)" in page.locator("#users").inner_text()

    _fill_new_user(page, "bo", "organiser", PASSWORD, PASSWORD + "x")
    assert "De två lösenorden är olika" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Användarnamn").input_value() == "bo"  # what was typed stays
    _fill_new_user(page, "bo", "organiser", "short", "short")
    assert "minst 10 tecken" in page.get_by_role("alert").inner_text()
    _fill_new_user(page, "ada", "viewer", PASSWORD, PASSWORD)
    assert "finns redan" in page.get_by_role("alert").inner_text()
    assert _user(console, "bo") is None

    _fill_new_user(page, "bo", "organiser", PASSWORD, PASSWORD)
    assert "Organisatör" in page.locator("#users tr", has_text="bo").inner_text()
    bo = http_login(console, "bo")  # the account works at once
    assert bo.get("/console/kiosks").status_code == 200

    page.get_by_role("link", name="Ändra bo").click()
    page.get_by_label("Roll").select_option("viewer")
    page.get_by_role("button", name="Spara rollen").click()
    assert page.get_by_role("status").inner_text() == "Rollen är ändrad."
    assert _user(console, "bo")[0] == "viewer"
    assert bo.get("/console/kiosks").status_code == 403  # in force on the next request

    page.get_by_label("Nytt lösenord").fill(NEW_PASSWORD)
    page.get_by_label("Samma lösenord igen").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Spara lösenordet").click()
    assert page.get_by_role("status").inner_text() == "Lösenordet är bytt."
    assert accounts.password_matches(_user(console, "bo")[1], NEW_PASSWORD)
    assert bo.get("/console/", follow_redirects=False).status_code == 303  # bo's login ended
    bo.close()

    page.get_by_role("link", name="Ta bort bo").click()
    page.get_by_role("heading", name="Ta bort bo?").wait_for()
    assert _user(console, "bo") is not None  # asking is not removing
    page.get_by_role("button", name="Ja, ta bort bo").click()
    page.get_by_role("heading", name="Användare", exact=True).wait_for()
    assert "bo" not in page.locator("#users").inner_text()
    assert _user(console, "bo") is None
    assert _user_changes(console) == [
        "bo added as organiser",
        "bo: role organiser -> viewer",
        "bo: new password",
        "bo removed",
    ]


def test_the_last_admin_can_neither_remove_nor_demote_themselves(console, page):
    console.add_user("ada", "admin")
    log_in(page, console, "ada")
    page.goto(f"{console.url}/console/users")
    page.get_by_role("link", name="Ändra ada").click()
    page.get_by_label("Roll").select_option("organiser")
    page.get_by_role("button", name="Spara rollen").click()
    assert "minst en administratör" in page.get_by_role("alert").inner_text()
    page.get_by_role("link", name="Ta bort ada").click()
    page.get_by_role("button", name="Ja, ta bort ada").click()
    assert "minst en administratör" in page.get_by_role("alert").inner_text()
    assert _user(console, "ada")[0] == "admin"
    assert _user_changes(console) == []

    console.add_user("cecilia", "admin")  # with another admin, ada may step down
    page.goto(f"{console.url}/console/users")
    page.get_by_role("link", name="Ändra ada").click()
    page.get_by_label("Roll").select_option("organiser")
    page.get_by_role("button", name="Spara rollen").click()
    page.get_by_role("heading", name="Översikt").wait_for()
    assert "Användare" not in page.get_by_role("navigation").all_inner_texts()[0]
    assert page.request.get(f"{console.url}/console/users").status == 403


def test_errors_speak_the_pages_language(console, page):
    console.add_user("ada", "admin")
    log_in(page, console, "ada")
    page.goto(f"{console.url}/language/en?next=/console/users")
    page.get_by_label("User name").fill("bo")
    page.get_by_label("New password").fill("short")
    page.get_by_label("The same password again").fill("short")
    page.get_by_role("button", name="Add the user").click()
    assert page.get_by_role("alert").inner_text() == (
        "The password must have at least 10 characters. Nothing was changed."
    )


def test_an_own_new_password_keeps_this_login(console, page):
    console.add_user("ada", "admin")
    log_in(page, console, "ada")
    page.goto(f"{console.url}/console/users")
    page.get_by_role("link", name="Ändra ada").click()
    page.get_by_label("Nytt lösenord").fill(NEW_PASSWORD)
    page.get_by_label("Samma lösenord igen").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Spara lösenordet").click()
    assert page.get_by_role("status").inner_text() == "Lösenordet är bytt."
    page.goto(f"{console.url}/console/users")
    page.get_by_role("heading", name="Användare", exact=True).wait_for()
    http_login(console, "ada", NEW_PASSWORD).close()
