"""Why a sync or an enrolment did not finish: a kind, and the same in plain English.

The volunteer panel picks its translated words from the kind
(`sync.error_<kind>` in strings.toml), never by reading the English text;
the English `message` is for the command line and the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import httpx

from sync.protocol import OLDEST_PROTOCOL, PROTOCOL_HEADER, PROTOCOL_VERSION


class ProblemKind(StrEnum):
    NOT_ENROLLED = "not_enrolled"
    BAD_ADDRESS = "bad_address"
    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    UNAUTHORIZED = "unauthorized"
    BUSY = "busy"
    SERVER_ERROR = "server_error"
    REFUSED_REQUEST = "refused_request"
    PROTOCOL = "protocol"
    UPDATE_KIOSK = "update_kiosk"
    UPDATE_STORE = "update_store"
    UNSENDABLE = "unsendable"
    LOCAL_ERROR = "local_error"


# Problems a retry cannot fix: a person has to act first.
NEEDS_A_PERSON = frozenset(
    {
        ProblemKind.NOT_ENROLLED,
        ProblemKind.BAD_ADDRESS,
        ProblemKind.UNAUTHORIZED,
        ProblemKind.UPDATE_KIOSK,
        ProblemKind.UPDATE_STORE,
    }
)


@dataclass(frozen=True)
class SyncProblem:
    """`retry_after`: seconds the store asked us to wait (Retry-After), if it said."""

    kind: ProblemKind
    message: str
    retry_after: float | None = None

    def as_json(self) -> dict[str, str]:
        return {"kind": self.kind.value, "message": self.message}

    @classmethod
    def from_json(cls, data: dict[str, str]) -> SyncProblem:
        """Read back a saved problem; a kind this version does not know reads as `protocol`."""
        try:
            kind = ProblemKind(data.get("kind", ""))
        except ValueError:
            kind = ProblemKind.PROTOCOL
        return cls(kind, str(data.get("message", "")))


NOT_ENROLLED = SyncProblem(
    ProblemKind.NOT_ENROLLED,
    "This kiosk is not connected to a central store yet (enrol it first).",
)


def _retry_after(response: httpx.Response) -> float | None:
    """Retry-After in seconds (RFC 9110 also allows a date; a store of ours sends seconds)."""
    value = response.headers.get("Retry-After", "")
    try:
        seconds = float(value)
    except ValueError:
        return None
    return min(max(seconds, 0.0), 3600.0)


def speaks_our_protocol(response: httpx.Response) -> bool:
    """True when the answer comes from a central store (it names its protocol version),
    not from a proxy, a firewall or some other server at that address."""
    return bool(response.headers.get(PROTOCOL_HEADER, "").strip().isdigit())


def version_problem(response: httpx.Response) -> SyncProblem | None:
    """Which end must be updated, when the store's version and ours cannot work together."""
    header = response.headers.get(PROTOCOL_HEADER, "").strip()
    if not header.isdigit():
        return None
    store_version = int(header)
    if store_version < OLDEST_PROTOCOL:
        return SyncProblem(
            ProblemKind.UPDATE_STORE,
            f"The central store speaks sync protocol {store_version}, older than this kiosk "
            f"understands ({OLDEST_PROTOCOL} to {PROTOCOL_VERSION}): the central store must be "
            "updated. The signatures wait here.",
        )
    if response.status_code == 400 and _detail_field(response, "update") == "kiosk":
        return SyncProblem(
            ProblemKind.UPDATE_KIOSK,
            f"The central store (sync protocol {store_version}) no longer works with this "
            f"kiosk's protocol {PROTOCOL_VERSION}: this kiosk's app must be updated. "
            "The signatures wait here.",
        )
    return None


def _detail_field(response: httpx.Response, name: str) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get(name, "")) if isinstance(body, dict) else ""


def problem_for_status(response: httpx.Response) -> SyncProblem:
    """What an answer other than 200 means for the volunteer."""
    version = version_problem(response)
    if version is not None:
        return version
    code = response.status_code
    if code == 401:
        return SyncProblem(
            ProblemKind.UNAUTHORIZED,
            "The central store does not accept this kiosk's token (wrong or revoked). "
            "Ask an organiser for a new one and enrol again.",
        )
    if code in (429, 503):
        return SyncProblem(
            ProblemKind.BUSY,
            f"The central store is busy (HTTP {code}); the signatures wait here and are "
            "sent when it asks.",
            _retry_after(response),
        )
    if code >= 500:
        return SyncProblem(
            ProblemKind.SERVER_ERROR,
            f"The central store has a problem (HTTP {code}); "
            "the signatures wait here and are sent later.",
            _retry_after(response),
        )
    if not speaks_our_protocol(response):
        return SyncProblem(
            ProblemKind.REFUSED_REQUEST,
            f"Something at the store's address that is not a central store answered HTTP "
            f"{code} (a proxy, a firewall, a mistyped address?). The signatures wait here.",
        )
    detail = _detail_field(response, "detail")
    return SyncProblem(
        ProblemKind.REFUSED_REQUEST,
        f"The central store refused the request (HTTP {code}: {detail[:200]}). "
        "The signatures wait here.",
    )


def problem_for_transport(exc: httpx.TransportError) -> SyncProblem:
    if isinstance(exc, httpx.TimeoutException):
        return SyncProblem(
            ProblemKind.TIMEOUT,
            "The central store did not answer in time; the signatures wait here and are "
            "sent when the network is better.",
        )
    return SyncProblem(
        ProblemKind.UNREACHABLE,
        "The central store cannot be reached (no network?); the signatures wait here "
        "and are sent when it can.",
    )


UNREADABLE_ANSWER = SyncProblem(
    ProblemKind.PROTOCOL,
    "The central store answered in a way this kiosk does not understand; the signatures wait here.",
)


class SyncError(RuntimeError):
    """A sync step (enrolment, reconciliation) could not be done; `problem` says why."""

    def __init__(self, problem: SyncProblem):
        super().__init__(problem.message)
        self.problem = problem
