"""The outbox: what the upload client needs from the kiosk's own database.

The client (`sync.client`) speaks HTTP and knows nothing of the kiosk's
tables; the kiosk's store implements this interface
(`kiosk.store.outbox.StoreOutbox`), so every SQL statement on the kiosk's
tables stays in the kiosk, and a test can hand the client any outbox.

Every method is one local transaction: a record is marked sent only once
the store acknowledged it, in the same transaction that saves the total.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from sync.privacy.keys import CampaignKeys
from sync.problems import SyncProblem
from sync.protocol import EventInfo, PrivacyUpdate, SignatureRecord


@dataclass(frozen=True)
class Enrolment:
    server_url: str
    token: str
    kiosk_uuid: str


@dataclass(frozen=True)
class OutboxBatch:
    """The oldest pending records as protocol records; `unsendable` holds those that do
    not fit the protocol (UUID -> why): they stay pending, reported, never refused."""

    records: list[SignatureRecord]
    events: list[EventInfo]
    unsendable: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdicts:
    """What the store said, per record, about one upload."""

    acknowledged: list[str]
    refused: dict[str, str]
    erased: list[str]
    store_total: int


@dataclass(frozen=True)
class EventHolding:
    """One event's records on this kiosk, for reconciliation (refused ones left out)."""

    event_id: str
    name: str
    sent: frozenset[str]
    others: frozenset[str]

    @property
    def ids(self) -> list[str]:
        return sorted(self.sent | self.others)


@dataclass(frozen=True)
class CalendarEntry:
    """One upcoming event from the campaign's calendar (`GET /api/v1/calendar`).

    A kiosk that runs it uses `id` as its own event id, so the counts meet
    on the console's overview.
    """

    id: str
    name: str
    place: str
    date: date


class Outbox(Protocol):
    def enrolment(self) -> Enrolment | None:
        """The store's address, this kiosk's token and UUID; None when not enrolled."""
        ...

    def enrol(self, *, server_url: str, token: str, keys: CampaignKeys | None) -> None:
        """Remember the store and token (and the campaign keys it handed out, if any)."""
        ...

    def pending_batch(self, *, limit: int, skip: Collection[str]) -> OutboxBatch:
        """Up to `limit` of the oldest pending records, leaving out `skip`."""
        ...

    def apply_verdicts(self, verdicts: Verdicts) -> None:
        """Mark acknowledged records sent, refused ones refused (with the reason), delete
        erased ones, save the store's total: one transaction."""
        ...

    def save_store_total(self, total: int) -> None: ...

    def save_calendar(self, events: list[CalendarEntry]) -> None:
        """Keep the campaign's upcoming events (replacing the last list) for the panel."""
        ...

    def privacy_cursor(self) -> int | None:
        """The cursor of the last privacy update applied from this store; None: ask for all."""
        ...

    def apply_privacy(self, update: PrivacyUpdate) -> tuple[int, int]:
        """Forget withdrawn records, remember known email HMACs, apply retention and keep
        the update's cursor, in one transaction; returns (forgotten, cleared)."""
        ...

    def record_outcome(self, problem: SyncProblem | None) -> int:
        """Save the last success or problem; returns how many records are pending."""
        ...

    def holdings(self) -> list[EventHolding]: ...

    def requeue(self, ids: Collection[str]) -> None:
        """Put records the store turned out not to hold back in the queue."""
        ...

    def retry_refused(self) -> int:
        """Queue every refused record again (their reasons are kept); returns how many."""
        ...
