"""What the volunteer panel, `status` and `sync --check` show about sync: plain data."""

from __future__ import annotations

from dataclasses import dataclass

from sync.problems import SyncProblem


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool
    server_url: str | None
    pending: int
    refused: int
    last_success_utc: str | None
    last_error: SyncProblem | None
    store_total: int | None
    attract_count: int
    syncing: bool = False

    def as_json(self) -> dict[str, object]:
        return {
            "enrolled": self.enrolled,
            "server_url": self.server_url,
            "pending": self.pending,
            "refused": self.refused,
            "last_success_utc": self.last_success_utc,
            "last_error": self.last_error.message if self.last_error else None,
            "last_error_kind": self.last_error.kind.value if self.last_error else None,
            "store_total": self.store_total,
        }


@dataclass(frozen=True)
class EventCheck:
    """One event's reconciliation: "all 47 of 47 received", or how many are missing."""

    event_id: str
    name: str
    held_here: int
    received: int
    matches: bool
    requeued: int

    def describe(self) -> str:
        if self.matches:
            return f"{self.name}: all {self.received} of {self.held_here} received"
        return (
            f"{self.name}: {self.received} of {self.held_here} received, "
            f"{self.held_here - self.received} missing"
        )
