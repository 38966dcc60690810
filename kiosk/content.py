"""The campaign's content: commitments, staircase, URLs and consent texts.

Everything a volunteer may want to reword lives in resources/, not in code.
This module reads it and checks it once at start-up, so a typo in the
content file stops the app with a message that names the line to fix
instead of showing a half-empty screen to a passer-by.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kiosk.i18n import OFFERED_BY_DEFAULT as OFFERED_BY_DEFAULT  # for volunteer settings
from kiosk.i18n import SOURCE_LANGUAGE, languages
from kiosk.paths import RESOURCES_DIR

# Every language with a catalogue in resources/locale (Swedish first).
LANGUAGES: tuple[str, ...] = languages()
DEFAULT_CONTENT_FILE = RESOURCES_DIR / "content" / "pledge.toml"
CONSENT_DIR = RESOURCES_DIR / "texts" / "consent"
# Texts are never edited once used: a new wording is a new version, so the
# hash a signature recorded always matches a file here.
CURRENT_CONSENT_VERSION = "v2"
# A consent file may open with a note for translators, never shown (strip_notes).
NOTE_START, NOTE_END = "<!--", "-->"
_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")


class ContentError(ValueError):
    """The content file is not usable; the message says what to fix."""


@dataclass(frozen=True)
class Text:
    """One text in any number of languages; Swedish is always there.

    A language the content file does not cover falls back to Swedish, so a
    new catalogue language works before every commitment is translated;
    `untranslated_texts` says which texts fall back.
    """

    texts: Mapping[str, str]
    where: str = field(default="", compare=False)

    def __call__(self, language: str) -> str:
        return self.texts.get(language) or self.texts[SOURCE_LANGUAGE]

    def has(self, language: str) -> bool:
        return bool(self.texts.get(language))


@dataclass(frozen=True)
class Commitment:
    id: str
    theme_id: str
    text: Text


@dataclass(frozen=True)
class Theme:
    id: str
    title: Text
    commitments: tuple[Commitment, ...]


@dataclass(frozen=True)
class StaircaseStep:
    step: int
    title: Text
    text: Text


@dataclass(frozen=True)
class UpcomingEvent:
    """An event the campaign invites people to; flyers list the ones still ahead."""

    date: date
    title: Text
    place: Text | None = None


@dataclass(frozen=True)
class Campaign:
    name: Text
    call: Text
    goal: Text
    goal_short: Text
    why: Text
    lagom: Text
    community_url: str
    website_url: str
    # The withdrawal page; None: the enrolled central store's /aterkalla.
    withdrawal_url: str | None = None
    # The campaign's total when this file was last edited: a fresh kiosk's attract
    # screen counts from it until its first sync brings the central store's total.
    last_known_total: int = 0


@dataclass(frozen=True)
class Content:
    campaign: Campaign
    themes: tuple[Theme, ...]
    staircase: tuple[StaircaseStep, ...]
    source: Path
    upcoming_events: tuple[UpcomingEvent, ...] = ()

    def events_from(self, day: date) -> tuple[UpcomingEvent, ...]:
        """Upcoming events on or after `day`, soonest first (a flyer never lists past ones)."""
        return tuple(e for e in self.upcoming_events if e.date >= day)

    @property
    def commitments(self) -> tuple[Commitment, ...]:
        return tuple(c for theme in self.themes for c in theme.commitments)

    def commitment(self, commitment_id: str) -> Commitment:
        for commitment in self.commitments:
            if commitment.id == commitment_id:
                return commitment
        raise KeyError(commitment_id)

    def commitment_text(self, commitment_id: str, language: str) -> str:
        """The commitment's text, or its id when it was removed from the file."""
        try:
            return self.commitment(commitment_id).text(language)
        except KeyError:
            return commitment_id


@dataclass(frozen=True)
class ConsentText:
    """The exact consent text a signer was shown; its hash proves which one."""

    version: str
    language: str
    text: str

    @property
    def sha256(self) -> str:
        import hashlib  # noqa: PLC0415 - at the first save: OpenSSL's ~2 ms are not the first frame's

        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def _text(raw: object, where: str) -> Text:
    if not isinstance(raw, dict):
        raise ContentError(f'{where}: expected {{ sv = "…", en = "…" }}')
    if not str(raw.get(SOURCE_LANGUAGE, "")).strip():
        raise ContentError(f"{where}: missing text for {SOURCE_LANGUAGE}")
    texts: dict[str, str] = {}
    for language, text in raw.items():
        if not isinstance(language, str) or not _LANGUAGE_CODE.match(language):
            raise ContentError(f"{where}: {language!r} is not a language code such as sv or ar")
        if not isinstance(text, str):
            raise ContentError(f"{where}: the {language} text must be in quotes")
        if text.strip():
            texts[language] = text.strip()
    return Text(texts, where)


def untranslated_texts(content: Content, language: str) -> list[str]:
    """Where the content file has no `language` text, so Swedish is shown instead.

    For the volunteer panel's content check: each entry names the place in
    the file ("themes #2 commitment #1 text"), and the consent text when
    there is none in `language`; empty when all is translated.
    """
    missing = [text.where for text in _all_texts(content) if not text.has(language)]
    if untranslated_consent(language):
        missing.append(f"consent text ({consent_path(language).name})")
    return missing


def _all_texts(content: Content) -> list[Text]:
    campaign = content.campaign
    texts = [campaign.name, campaign.call, campaign.goal, campaign.goal_short]
    texts += [campaign.why, campaign.lagom]
    for theme in content.themes:
        texts.append(theme.title)
        texts += [commitment.text for commitment in theme.commitments]
    for step in content.staircase:
        texts += [step.title, step.text]
    for event in content.upcoming_events:
        texts += [event.title] + ([event.place] if event.place else [])
    return texts


def _id(raw: object, where: str, seen: set[str]) -> str:
    if not isinstance(raw, str) or not _ID_PATTERN.match(raw):
        raise ContentError(f"{where}: id {raw!r} must be lower-case letters, digits and -")
    if raw in seen:
        raise ContentError(f"{where}: id {raw!r} is used twice")
    seen.add(raw)
    return raw


def load_content(path: Path = DEFAULT_CONTENT_FILE) -> Content:
    """Read and check the content file; raise ContentError naming the problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ContentError(f"{path}: file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{path}: {exc}") from exc

    raw_campaign = data.get("campaign")
    if not isinstance(raw_campaign, dict):
        raise ContentError(f"{path}: the [campaign] table is missing")
    text_fields = ("name", "call", "goal", "goal_short", "why", "lagom")
    campaign = Campaign(
        **{key: _text(raw_campaign.get(key), f"campaign.{key}") for key in text_fields},
        community_url=_url(raw_campaign.get("community_url"), "campaign.community_url"),
        website_url=_url(raw_campaign.get("website_url"), "campaign.website_url"),
        withdrawal_url=_url(raw_campaign["withdrawal_url"], "campaign.withdrawal_url")
        if "withdrawal_url" in raw_campaign
        else None,
        last_known_total=_count(
            raw_campaign.get("last_known_total", 0), "campaign.last_known_total"
        ),
    )

    seen: set[str] = set()
    themes: list[Theme] = []
    for t_index, raw_theme in enumerate(_tables(data, "themes"), start=1):
        where = f"themes #{t_index}"
        theme_id = _id(raw_theme.get("id"), where, seen)
        commitments = tuple(
            Commitment(
                id=_id(raw.get("id"), f"{where} commitment #{c_index}", seen),
                theme_id=theme_id,
                text=_text(raw.get("text"), f"{where} commitment #{c_index} text"),
            )
            for c_index, raw in enumerate(
                _tables(raw_theme, "commitments", f"{where} ({theme_id})"), start=1
            )
        )
        if not commitments:
            raise ContentError(f"{where} ({theme_id}): has no commitments")
        themes.append(Theme(theme_id, _text(raw_theme.get("title"), f"{where} title"), commitments))
    if not themes:
        raise ContentError(f"{path}: no [[themes]] with commitments")

    staircase = tuple(
        StaircaseStep(
            step=_step(raw.get("step", index), f"staircase #{index}"),
            title=_text(raw.get("title"), f"staircase #{index} title"),
            text=_text(raw.get("text"), f"staircase #{index} text"),
        )
        for index, raw in enumerate(_tables(data, "staircase"), start=1)
    )
    upcoming = tuple(
        sorted(
            (
                _upcoming_event(raw, f"upcoming_events #{index}")
                for index, raw in enumerate(data.get("upcoming_events", []), start=1)
            ),
            key=lambda event: event.date,
        )
    )
    return Content(campaign, tuple(themes), staircase, path, upcoming)


def _count(raw: object, where: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise ContentError(f"{where}: must be a whole number, 0 or more")
    return raw


def _upcoming_event(raw: object, where: str) -> UpcomingEvent:
    if not isinstance(raw, dict):
        raise ContentError(f"{where}: expected date = 2030-01-31 and a title")
    when = raw.get("date")
    if isinstance(when, datetime):
        when = when.date()
    if not isinstance(when, date):
        raise ContentError(f"{where}: date must be written like 2030-01-31 (no quotes)")
    place = raw.get("place")
    return UpcomingEvent(
        date=when,
        title=_text(raw.get("title"), f"{where} title"),
        place=_text(place, f"{where} place") if place is not None else None,
    )


def _tables(parent: dict[str, Any], key: str, where: str = "") -> list[dict[str, Any]]:
    """The [[key]] blocks under parent; anything else is a mistake to name."""
    raw = parent.get(key, [])
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise ContentError(f"{where + ': ' if where else ''}{key} must be [[{key}]] blocks")
    return raw


def _step(raw: object, where: str) -> int:
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise ContentError(f"{where}: step must be a whole number, not {raw!r}")
    return raw


def _url(raw: object, where: str) -> str:
    if not isinstance(raw, str) or not raw.startswith(("https://", "http://")):
        raise ContentError(f"{where}: expected a web address starting with https://")
    return raw


def load_consent(language: str, version: str = CURRENT_CONSENT_VERSION) -> ConsentText:
    """The consent text in `language`, or the Swedish one where none is written yet.

    The returned `language` is the one actually shown, so the recorded hash
    always matches the text the signer read.
    """
    path = consent_path(language, version)
    if not path.exists():
        language = SOURCE_LANGUAGE
        path = consent_path(language, version)
    # Bytes decoded as they are (no newline translation): the hash is of exactly
    # what the signer is shown, the file's text after its notes for translators.
    text = strip_notes(path.read_bytes().decode("utf-8"))
    return ConsentText(version=version, language=language, text=text)


def consent_path(language: str, version: str = CURRENT_CONSENT_VERSION) -> Path:
    return CONSENT_DIR / f"consent-{version}.{language}.md"


def strip_notes(text: str) -> str:
    """The consent file without its leading <!-- … --> note for translators and reviewers.

    The note ("written by a non-native speaker, needs review") is never shown,
    so it is not part of the hash either: removing it after the review leaves
    the recorded hashes true. Files without a note are returned unchanged.
    """
    if not text.startswith(NOTE_START):
        return text
    end = text.find(NOTE_END)
    if end < 0:
        raise ContentError(f"a consent text's note has no closing {NOTE_END}")
    return text[end + len(NOTE_END) :].lstrip("\n")


def untranslated_consent(language: str, version: str = CURRENT_CONSENT_VERSION) -> bool:
    """True when signers in `language` are shown the Swedish consent text."""
    return language != SOURCE_LANGUAGE and not consent_path(language, version).exists()
