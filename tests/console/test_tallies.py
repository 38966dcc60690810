"""Tallies: an organiser adds a count from paper sheets with a note, corrects it with a
negative count, and the overview's total follows; each is in the audit log."""

from __future__ import annotations

from sqlalchemy import select

from sync.server.console.audit import entries
from sync.server.models import Tally
from tests.console.conftest import log_in


def _add(page, source: str, count: str, note: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Källa").fill(source)
    page.get_by_label("Antal").fill(count)
    page.get_by_label("Anteckning").fill(note)
    page.get_by_role("button", name="Spara").click()


def test_a_count_and_its_correction_reach_the_overview_and_the_audit_log(console, page):
    console.add_user("olle", "organiser")
    log_in(page, console, "olle")
    page.get_by_role("navigation").get_by_role("link", name="Räkningar").click()
    _add(page, "papperslistor", "40", "Listor från Stortorget 13/6")
    assert page.locator("#tally-sources").inner_text().split("\n")[-1] == "papperslistor\t40"
    _add(page, "papperslistor", "\u22125", "En lista räknades två gånger")  # a typed minus sign
    assert page.locator("#tally-sources").inner_text().split("\n")[-1] == "papperslistor\t35"
    history = page.locator("#tally-history tbody tr").all_inner_texts()
    assert "-5\tEn lista räknades två gånger" in history[0]
    assert "+40\tListor från Stortorget 13/6" in history[1]

    _add(page, "papperslistor", "-100", "för mycket")  # would go below zero
    assert "Ingenting sparades" in page.get_by_role("alert").inner_text()
    with console.central.session() as session:
        assert [t.count for t in session.scalars(select(Tally).order_by(Tally.id))] == [40, -5]
        details = [e.detail for e in reversed(entries(session)) if e.action == "tally"]
    assert details == ["papperslistor +40", "papperslistor -5"]

    page.get_by_role("navigation").get_by_role("link", name="Översikt").click()
    assert page.locator("#total").inner_text() == "35"
    assert "papperslistor\t35" in page.locator("#sources").inner_text()
