"""Keyboard only, a phone-sized screen, a label on every field, WCAG AA contrast.
Also takes the README's screenshots (docs/screenshots/console-*.png) from the real browser."""

from __future__ import annotations

from tests.browser import screenshot_folder
from tests.console.conftest import PASSWORD, log_in

PAGES = ("/console/", "/console/events", "/console/kiosks", "/console/tallies",
         "/console/export", "/console/withdrawals", "/console/audit",
         "/console/users", "/console/users/1", "/console/users/1/remove")  # fmt: skip

# For every visible text element: its colour against the first opaque background up
# the tree, by WCAG 2.x relative luminance. Returns the failures.
CONTRAST_JS = """() => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = (el) => { for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c; } return [255, 255, 255]; };
  const bad = [];
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || el.closest("svg")) continue;
    const a = lum(parse(style.color)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const text = el.textContent.trim().slice(0, 30);
    if (ratio < 4.5) bad.push(`${el.tagName} "${text}" ${ratio.toFixed(2)}`);
  }
  return bad;
}"""

UNLABELLED_JS = """() => [...document.querySelectorAll("input, select, textarea")]
  .filter((f) => f.type !== "hidden" && !(f.labels && f.labels.length))
  .map((f) => f.outerHTML)"""


def test_keyboard_only_login_and_navigation(console, page):
    console.add_user("ada", "admin")
    page.goto(f"{console.url}/console/login")
    assert page.evaluate("document.activeElement.id") == "name"  # the form is ready to type
    page.keyboard.type("ada")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Översikt").wait_for()
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Kiosker":
            break
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Kiosker", exact=True).wait_for()


def _tab_to(page, test: str) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until the focused element passes `test` (a JS expression on `el`)."""
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {test})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached {test}")


def test_keyboard_only_users_page(console, page):
    console.add_user("ada", "admin")
    log_in(page, console, "ada")
    page.goto(f"{console.url}/console/users")
    _tab_to(page, 'el.id === "user-name"')
    page.keyboard.type("bo")
    page.keyboard.press("Tab")
    page.keyboard.type("Betraktare")  # a select picks by typing its option
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.locator("#users tr", has_text="Betraktare").wait_for()
    _tab_to(page, 'el.textContent === "Ändra bo"')
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="bo", exact=True).wait_for()
    _tab_to(page, 'el.textContent === "Ta bort bo"')
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Ta bort bo?").wait_for()
    _tab_to(page, 'el.textContent === "Ja, ta bort bo"')
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Användare", exact=True).wait_for()
    assert page.locator("#users tbody tr").count() == 1
    assert "bo" not in page.locator("#users").inner_text()


def test_every_page_fits_a_phone_has_labels_and_aa_contrast(console, browser):
    console.add_user("ada", "admin")
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = context.new_page()
    try:
        for path in ("/console/login", *PAGES):
            if path != "/console/login" and "login" in page.url:
                log_in(page, console, "ada")
            page.goto(f"{console.url}{path}")
            page.locator("main h1").wait_for()
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (path, width)
            assert page.evaluate(UNLABELLED_JS) == [], path
            assert page.evaluate(CONTRAST_JS) == [], path
    finally:
        context.close()


def test_screenshots_for_the_readme(console, browser, tmp_path):
    """Not an assertion of looks: with KLIMATAVTAL_SCREENSHOTS=docs/screenshots it
    retakes the README's console-*.png from the code as it is."""
    from tests.console.test_export import _synced_store

    _synced_store(console, tmp_path / "kiosk", count=9)
    console.add_user("ada", "admin")
    shots = screenshot_folder(tmp_path)
    for name, viewport in (("desktop", {"width": 1200, "height": 900}),
                           ("phone", {"width": 390, "height": 844})):  # fmt: skip
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        log_in(page, console, "ada")
        page.get_by_role("heading", name="Översikt").wait_for()
        page.screenshot(path=shots / f"console-overview-{name}.png", full_page=name == "desktop")
        context.close()
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    log_in(page, console, "ada")
    page.goto(f"{console.url}/console/kiosks")
    page.get_by_label("Kioskens namn").fill("laptop-2")
    page.get_by_role("button", name="Lägg till").click()
    page.screenshot(path=shots / "console-kiosk-added.png", full_page=True)
    page.goto(f"{console.url}/console/export")
    page.screenshot(path=shots / "console-export.png", full_page=True)
    console.add_user("olle", "organiser")
    console.add_user("vera", "viewer")
    page.goto(f"{console.url}/console/users")
    page.screenshot(path=shots / "console-users.png", full_page=True)
    context.close()
