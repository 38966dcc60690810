"""From a question ("this event" / "these dates") to a summary PDF.

The one entry point the command line and the kiosk's volunteer panel share,
so both refuse an unknown event or an empty range with the same words.
"""

from __future__ import annotations

from datetime import date, datetime

from kiosk.content import Content
from kiosk.documents.summary import make_summary, scope_line_for_event, scope_line_for_range
from kiosk.i18n import Translator
from kiosk.store.engine import Store
from kiosk.store.repository import find_event
from kiosk.store.summary_queries import SummaryScope, summarise


class SummaryError(ValueError):
    """Nothing to summarise; `key` and `values` name the message in strings.toml."""

    def __init__(self, key: str, **values: object):
        super().__init__(key)
        self.key = key
        self.values = values

    def message(self, tr: Translator) -> str:
        return tr(self.key, **self.values)


def build_summary(
    store: Store,
    content: Content,
    *,
    event_name: str | None = None,
    start: date | None = None,
    end: date | None = None,
    language: str = "sv",
    made_at: datetime | None = None,
) -> bytes:
    """Summary PDF for the newest event called `event_name`, or for start..end."""
    with store.read_session() as session:
        if event_name is not None:
            event = find_event(session, event_name)
            if event is None:
                raise SummaryError("print.error_unknown_event", name=event_name)
            scope = SummaryScope(event_id=event.id)
            line = scope_line_for_event(event.name, event.place, event.date, language)
        else:
            if start is None or end is None:
                raise ValueError("give an event name or both start and end")
            scope = SummaryScope(start=start, end=end)
            line = scope_line_for_range(start, end, language)
        data = summarise(session, scope)
    if data.total == 0:
        raise SummaryError("print.error_empty", where=line)
    return make_summary(content, data, scope_line=line, language=language, made_at=made_at)
