"""Settings round-trip through the store, and bad ones are refused."""

from __future__ import annotations

from dataclasses import replace

from kiosk.content import DEFAULT_CONTENT_FILE
from kiosk.paths import database_path
from kiosk.volunteer.settings import (
    KioskSettings,
    check_settings,
    load_chosen_content,
    load_settings,
    peek_settings,
    save_settings,
)


def test_settings_round_trip(store):
    wanted = KioskSettings(
        languages=("en",),
        default_language="en",
        idle_seconds=90,
        large_text=True,
        high_contrast=True,
        onscreen_keyboard=False,
        printer_name="Stall printer",
    )
    with store.session() as session:
        assert load_settings(session) == KioskSettings()
        save_settings(session, wanted)
        session.commit()
    with store.session() as session:
        assert load_settings(session) == wanted


def test_a_broken_content_file_is_refused(tmp_path):
    broken = tmp_path / "pledge.toml"
    broken.write_text('[campaign]\nname = "unterminated\n', encoding="utf-8")
    _cleaned, problems = check_settings(KioskSettings(content_file=str(broken)))
    assert [(p.field, p.key) for p in problems] == [("content_file", "volunteer.settings_content")]
    assert str(broken) in problems[0].detail


def test_a_good_content_file_is_accepted_with_its_full_path(tmp_path, monkeypatch):
    copy = tmp_path / "pledge.toml"
    copy.write_text(DEFAULT_CONTENT_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    cleaned, problems = check_settings(KioskSettings(content_file="pledge.toml"))
    assert problems == []
    assert cleaned.content_file == str(copy)


def test_languages_and_times_are_checked():
    settings = KioskSettings()
    assert check_settings(replace(settings, languages=()))[1][0].field == "languages"
    problems = check_settings(replace(settings, languages=("en",), default_language="sv"))[1]
    assert [p.field for p in problems] == ["default_language"]
    problems = check_settings(replace(settings, idle_seconds=5, thanks_seconds=500))[1]
    assert [p.field for p in problems] == ["idle_seconds", "thanks_seconds"]


def test_peek_reads_the_stored_settings_before_anything_starts(store, data_dir):
    wanted = KioskSettings(onscreen_keyboard=False, default_language="en")
    with store.session() as session:
        save_settings(session, wanted)
        session.commit()
    assert peek_settings(database_path(data_dir)) == wanted


def test_peek_falls_back_to_defaults(tmp_path):
    assert peek_settings(tmp_path / "missing.sqlite3") == KioskSettings()
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 100)
    assert peek_settings(garbage) == KioskSettings()


def test_a_chosen_content_file_that_broke_since_falls_back_to_the_shipped_one(tmp_path, capsys):
    broken = tmp_path / "pledge.toml"
    broken.write_text("[campaign\n", encoding="utf-8")
    content = load_chosen_content(KioskSettings(content_file=str(broken)))
    assert content.source == DEFAULT_CONTENT_FILE
    assert str(broken) in capsys.readouterr().err
