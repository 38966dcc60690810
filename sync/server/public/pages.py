"""Rendering the public pages from their Jinja2 templates with the page's words."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from sync.server.public.words import LANGUAGES, Words

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"

_environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True),
    undefined=StrictUndefined,
)


def other_language(lang: str) -> str:
    return next(code for code in LANGUAGES if code != lang)


def url(path: str, **query: str) -> str:
    present = {key: value for key, value in query.items() if value}
    return f"{path}?{urlencode(present)}" if present else path


def render(template: str, lang: str, **context: object) -> str:
    words = Words(lang)
    return _environment.get_template(template).render(
        _=words, lang=words.lang, other_lang=other_language(words.lang), **context
    )
