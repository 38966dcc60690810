"""The kiosk's side of sync: plain Python + httpx, no Qt.

The outbox is the signatures table itself: a pledge is saved with
sync_state 'pending' in the transaction that stores it. `Uploader` sends
pending records in batches and marks them 'sent' only once the store has
acknowledged them (accepted, or already held with the same content), in
one local transaction that also saves the store's new total. Anything
that goes wrong leaves records pending, and a plain-words reason is saved
for the volunteer; a record the store refuses is marked 'refused', with its
reason in `sync_refusals`, and is never deleted.

Retries are safe because every record carries the UUID it was saved with:
an answer lost after the store committed costs one more round trip, never
a duplicate.
"""

from __future__ import annotations

import base64
import logging
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from pydantic import ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kiosk.privacy.local import apply_retention, forget_signatures, remember_email_hmacs
from kiosk.privacy.sealing import install_keys
from kiosk.store.engine import Store
from kiosk.store.models import (
    Event,
    Signature,
    SignatureCommitment,
    SyncRefusal,
    SyncState,
)
from kiosk.store.repository import (
    STORE_TOTAL_KEY,
    attract_count,
    device_identity,
    get_setting,
    pending_count,
    set_setting,
)
from sync.privacy.keys import CampaignKeyError, CampaignKeys
from sync.protocol import (
    API_PREFIX,
    MAX_BATCH_RECORDS,
    MAX_BODY_BYTES,
    MAX_IDS_PER_CHECK,
    MAX_RECONCILE_EVENTS,
    DeviceInfo,
    EventInfo,
    MissingResult,
    PrivacyUpdate,
    ReconcileResult,
    SignatureRecord,
    Stats,
    UploadBatch,
    UploadResult,
    ids_digest,
)

log = logging.getLogger(__name__)
SERVER_URL_KEY = "sync.server_url"
TOKEN_KEY = "sync.token"
LAST_SUCCESS_KEY = "sync.last_success_utc"
LAST_ERROR_KEY = "sync.last_error"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# --- what a volunteer is told ---------------------------------------------------


@dataclass(frozen=True)
class SyncProblem:
    """Why the last sync did not finish. `kind` names a string for the UI
    (sync.error_<kind> in strings.toml); `message` is the same in plain English."""

    kind: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {"kind": self.kind, "message": self.message}


# Every `SyncProblem.kind`; strings.toml has sync.error_<kind> for each, in sv and en.
PROBLEM_KINDS = (
    "not_enrolled",
    "unreachable",
    "timeout",
    "unauthorized",
    "server_error",
    "refused_request",
    "protocol",
)

NOT_ENROLLED = SyncProblem(
    "not_enrolled", "This kiosk is not connected to a central store yet (enrol it first)."
)


def _problem_for_status(response: httpx.Response) -> SyncProblem:
    detail = ""
    try:
        detail = str(response.json().get("detail", ""))
    except ValueError:
        pass
    if response.status_code == 401:
        return SyncProblem(
            "unauthorized",
            "The central store does not accept this kiosk's token (wrong or revoked). "
            "Ask an organiser for a new one and enrol again.",
        )
    if response.status_code >= 500:
        return SyncProblem(
            "server_error",
            f"The central store has a problem (HTTP {response.status_code}); "
            "the signatures wait here and are sent later.",
        )
    return SyncProblem(
        "refused_request",
        f"The central store refused the upload (HTTP {response.status_code}: {detail[:200]}).",
    )


def _problem_for_transport(exc: httpx.TransportError) -> SyncProblem:
    if isinstance(exc, httpx.TimeoutException):
        return SyncProblem(
            "timeout",
            "The central store did not answer in time; the signatures wait here and are "
            "sent when the network is better.",
        )
    return SyncProblem(
        "unreachable",
        "The central store cannot be reached (no network?); the signatures wait here "
        "and are sent when it can.",
    )


# --- enrolment --------------------------------------------------------------------


class EnrolmentError(RuntimeError):
    """Enrolment failed; the message is for the volunteer."""


def enroll(
    store: Store,
    *,
    server_url: str,
    token: str,
    transport: httpx.BaseTransport | None = None,
    timeout: httpx.Timeout | float = 10.0,
) -> str:
    """Check the token with the store and remember both; returns the device's name."""
    server_url = server_url.strip().rstrip("/")
    if not server_url.startswith(("http://", "https://")):
        raise EnrolmentError("The server address must start with http:// or https://")
    token = token.strip()
    headers = {"Authorization": f"Bearer {token}"}
    try:
        with httpx.Client(
            base_url=server_url, timeout=timeout, transport=transport, headers=headers
        ) as http:
            response = http.get(f"{API_PREFIX}/devices/me")
            if response.status_code != 200:
                raise EnrolmentError(_problem_for_status(response).message)
            device = DeviceInfo.model_validate_json(response.content)
            keys = _campaign_keys_from(http)
    except httpx.TransportError as exc:
        raise EnrolmentError(_problem_for_transport(exc).message) from exc
    with store.session() as session:
        if keys is not None:
            install_keys(session, keys)
        set_setting(session, SERVER_URL_KEY, server_url)
        set_setting(session, TOKEN_KEY, token)
        set_setting(session, LAST_ERROR_KEY, None)
        device_identity(session)
        session.commit()
    return device.name


def _campaign_keys_from(http: httpx.Client) -> CampaignKeys | None:
    """The campaign key the store hands out, or None when it has none (`keys import`).

    Asked on the enrolling client, so it shares its connection, token and errors."""
    response = http.get(f"{API_PREFIX}/campaign-key")
    if response.status_code == 404:
        return None
    if response.status_code != 200:
        raise EnrolmentError(_problem_for_status(response).message)
    try:
        return CampaignKeys.from_json(response.json())
    except (CampaignKeyError, ValueError) as exc:
        raise EnrolmentError(f"The store's campaign key is not usable: {exc}") from exc


# --- status -----------------------------------------------------------------------


@dataclass(frozen=True)
class SyncStatus:
    """Everything the volunteer panel and `status` show about sync."""

    enrolled: bool
    server_url: str | None
    pending: int
    refused: int
    last_success_utc: str | None
    last_error: SyncProblem | None
    store_total: int | None
    attract_count: int
    syncing: bool = False

    def as_json(self) -> dict:
        return {
            "enrolled": self.enrolled,
            "server_url": self.server_url,
            "pending": self.pending,
            "refused": self.refused,
            "last_success_utc": self.last_success_utc,
            "last_error": self.last_error.message if self.last_error else None,
            "last_error_kind": self.last_error.kind if self.last_error else None,
            "store_total": self.store_total,
        }


def read_status(store: Store, *, syncing: bool = False) -> SyncStatus:
    with store.session() as session:
        error = get_setting(session, LAST_ERROR_KEY)
        refused = session.scalar(
            select(func.count())
            .select_from(Signature)
            .where(Signature.sync_state == SyncState.REFUSED)
        )
        return SyncStatus(
            enrolled=get_setting(session, TOKEN_KEY) is not None,
            server_url=get_setting(session, SERVER_URL_KEY),
            pending=pending_count(session),
            refused=refused or 0,
            last_success_utc=get_setting(session, LAST_SUCCESS_KEY),
            last_error=SyncProblem(**error) if error else None,
            store_total=get_setting(session, STORE_TOTAL_KEY),
            attract_count=attract_count(session),
            syncing=syncing,
        )


# --- backoff ----------------------------------------------------------------------


class Backoff:
    """Exponential backoff with full jitter (a random wait in 0..min(cap, base*2^n)),
    so twenty kiosks coming back online at once do not knock together."""

    def __init__(self, *, base: float = 2.0, cap: float = 300.0, rng: random.Random | None = None):
        self.base = base
        self.cap = cap
        self.failures = 0
        self._rng = rng or random.Random()

    def next_delay(self) -> float:
        ceiling = min(self.cap, self.base * 2 ** min(self.failures, 32))
        self.failures += 1
        return self._rng.uniform(0, ceiling)

    def reset(self) -> None:
        self.failures = 0


# --- upload -----------------------------------------------------------------------


@dataclass(frozen=True)
class SyncOutcome:
    sent: int
    duplicates: int
    refused: int
    pending: int
    error: SyncProblem | None

    @property
    def done(self) -> bool:
        return self.error is None and self.pending == 0


class _Stop(Exception):
    def __init__(self, problem: SyncProblem):
        super().__init__(problem.message)
        self.problem = problem


def _to_record(row: Signature, commitments: list[str]) -> SignatureRecord:
    return SignatureRecord(
        id=row.id,
        event_id=row.event_id,
        created_at_utc=row.created_at_utc,
        utc_offset_minutes=row.utc_offset_minutes,
        local_date=row.local_date,
        language=row.language,
        sealed=base64.b64encode(row.sealed or b"").decode("ascii"),
        email_hmac=row.email_hmac,
        withdrawal_code=row.withdrawal_code,
        postcode_area=row.postcode_area,
        lives_or_works_in_helsingborg=row.lives_or_works_in_helsingborg,
        community_opt_in=row.community_opt_in,
        helper_opt_in=row.helper_opt_in,
        consent_version=row.consent_version,
        consent_sha256=row.consent_sha256,
        consent_given_at_utc=row.consent_given_at_utc,
        commitments=commitments,
    )


def _mark_refused(session: Session, reasons: dict[str, str], now: datetime) -> None:
    if not reasons:
        return
    session.execute(
        update(Signature)
        .where(Signature.id.in_(list(reasons)), Signature.sync_state == SyncState.PENDING)
        .values(sync_state=SyncState.REFUSED)
    )
    for signature_id, reason in reasons.items():
        session.merge(SyncRefusal(signature_id=signature_id, reason=reason, refused_at_utc=now))


class Uploader:
    """Sends this kiosk's pending signatures; one instance keeps one HTTP connection."""

    def __init__(
        self,
        store: Store,
        *,
        batch_size: int = MAX_BATCH_RECORDS,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
    ):
        if not 1 <= batch_size <= MAX_BATCH_RECORDS:
            raise ValueError(f"batch_size must be 1..{MAX_BATCH_RECORDS}")
        self.store = store
        self.batch_size = batch_size
        self._timeout = timeout
        self._transport = transport
        self._http: httpx.Client | None = None
        self._config: tuple[str, str] | None = None

    def __enter__(self) -> Uploader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def _client(self, server_url: str, token: str) -> httpx.Client:
        if self._http is None or self._config != (server_url, token):
            self.close()
            self._http = httpx.Client(
                base_url=server_url,
                timeout=self._timeout,
                transport=self._transport,
                headers={"Authorization": f"Bearer {token}", "User-Agent": "klimatavtal-kiosk"},
            )
            self._config = (server_url, token)
        return self._http

    # one pass ----------------------------------------------------------------

    def sync_once(self) -> SyncOutcome:
        """Upload everything pending, then refresh the store's total. Never raises
        for network or store trouble: the outcome says what happened."""
        with self.store.session() as session:
            server_url = get_setting(session, SERVER_URL_KEY)
            token = get_setting(session, TOKEN_KEY)
            kiosk_uuid = device_identity(session).device_uuid
            session.commit()
        if not server_url or not token:
            return self._finish(0, 0, 0, NOT_ENROLLED)
        http = self._client(server_url, token)
        sent = duplicates = refused = 0
        try:
            while True:
                records, events, invalid = self._next_batch()
                if invalid:
                    with self.store.session() as session:
                        _mark_refused(session, invalid, _utc_now())
                        session.commit()
                    refused += len(invalid)
                if not records:
                    if not invalid:
                        break
                    continue
                counts = self._send(http, kiosk_uuid, records, events)
                sent += counts[0]
                duplicates += counts[1]
                refused += counts[2]
            self._refresh_total(http)
            self._privacy(http)
        except _Stop as stop:
            return self._finish(sent, duplicates, refused, stop.problem)
        except httpx.TransportError as exc:
            return self._finish(sent, duplicates, refused, _problem_for_transport(exc))
        return self._finish(sent, duplicates, refused, None)

    def _finish(
        self, sent: int, duplicates: int, refused: int, problem: SyncProblem | None
    ) -> SyncOutcome:
        log.info(
            "sync: %d sent, %d acknowledged again, %d refused, problem: %s",
            sent,
            duplicates,
            refused,
            problem.kind if problem else "none",
        )
        with self.store.session() as session:
            if problem is None:
                set_setting(session, LAST_SUCCESS_KEY, _utc_now().isoformat(timespec="seconds"))
            set_setting(session, LAST_ERROR_KEY, problem.as_json() if problem else None)
            session.commit()
            pending = pending_count(session)
        return SyncOutcome(sent, duplicates, refused, pending, problem)

    def _next_batch(self) -> tuple[list[SignatureRecord], list[EventInfo], dict[str, str]]:
        """The oldest pending records as protocol records; ones that break the
        protocol's limits come back apart, with the reason, to be marked refused."""
        with self.store.session() as session:
            rows = list(
                session.scalars(
                    select(Signature)
                    .where(Signature.sync_state == SyncState.PENDING, Signature.practice.is_(False))
                    .order_by(Signature.created_at_utc, Signature.id)
                    .limit(self.batch_size)
                )
            )
            ids = [row.id for row in rows]
            commitments: dict[str, list[str]] = {key: [] for key in ids}
            for signature_id, commitment_id in session.execute(
                select(SignatureCommitment.signature_id, SignatureCommitment.commitment_id)
                .where(SignatureCommitment.signature_id.in_(ids))
                .order_by(SignatureCommitment.signature_id, SignatureCommitment.position)
            ):
                commitments[signature_id].append(commitment_id)
            event_rows = session.scalars(
                select(Event).where(Event.id.in_({row.event_id for row in rows}))
            ).all()
            events = [
                EventInfo(id=e.id, name=e.name, place=e.place, date=e.date) for e in event_rows
            ]
        records: list[SignatureRecord] = []
        invalid: dict[str, str] = {}
        size = 0
        for row in rows:
            try:
                record = _to_record(row, commitments[row.id])
            except ValidationError as exc:
                invalid[row.id] = "does not fit the upload protocol: " + "; ".join(
                    f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()
                )
                continue
            size += len(record.sealed) + 2048
            if records and size > MAX_BODY_BYTES // 2:
                break
            records.append(record)
        return records, events, invalid

    def _send(
        self,
        http: httpx.Client,
        kiosk_uuid: str,
        records: list[SignatureRecord],
        events: list[EventInfo],
    ) -> tuple[int, int, int]:
        """Send one batch; a batch the store finds malformed is halved until the
        record at fault is found and marked refused, so one bad record never
        holds the queue up."""
        wanted = {record.event_id for record in records}
        batch = UploadBatch(
            kiosk_uuid=kiosk_uuid,
            events=[e for e in events if e.id in wanted],
            records=records,
        )
        response = http.post(
            f"{API_PREFIX}/signatures",
            content=batch.model_dump_json(),
            headers={"Content-Type": "application/json"},
        )
        if response.status_code in (413, 422):
            if len(records) > 1:
                half = len(records) // 2
                first = self._send(http, kiosk_uuid, records[:half], events)
                second = self._send(http, kiosk_uuid, records[half:], events)
                return tuple(a + b for a, b in zip(first, second, strict=True))  # type: ignore[return-value]
            problem = _problem_for_status(response)
            with self.store.session() as session:
                _mark_refused(session, {str(records[0].id): problem.message}, _utc_now())
                session.commit()
            return 0, 0, 1
        if response.status_code != 200:
            raise _Stop(_problem_for_status(response))
        try:
            result = UploadResult.model_validate_json(response.content)
        except ValidationError as exc:
            raise _Stop(
                SyncProblem(
                    "protocol",
                    "The central store answered in a way this kiosk does not understand.",
                )
            ) from exc
        return self._apply(records, result)

    def _apply(self, records: list[SignatureRecord], result: UploadResult) -> tuple[int, int, int]:
        """Mark acknowledged records sent and save the new total, in one transaction."""
        asked = {str(record.id) for record in records}
        acknowledged: list[str] = []
        erased: list[str] = []
        reasons: dict[str, str] = {}
        duplicates = 0
        for item in result.results:
            key = str(item.id)
            if key not in asked:
                continue
            if item.status == "erased":
                erased.append(key)
            elif item.status in ("accepted", "duplicate"):
                acknowledged.append(key)
                duplicates += item.status == "duplicate"
            else:
                reasons[key] = item.reason or "refused by the central store"
        now = _utc_now()
        with self.store.session() as session:
            if acknowledged:
                session.execute(
                    update(Signature)
                    .where(
                        Signature.id.in_(acknowledged), Signature.sync_state == SyncState.PENDING
                    )
                    .values(sync_state=SyncState.SENT, synced_at_utc=now)
                )
            _mark_refused(session, reasons, now)
            forget_signatures(session, erased)  # withdrawn: never stored there again
            set_setting(session, STORE_TOTAL_KEY, result.total)
            session.commit()
        return len(acknowledged) - duplicates, duplicates, len(reasons)

    def _refresh_total(self, http: httpx.Client) -> None:
        response = http.get(f"{API_PREFIX}/stats")
        if response.status_code != 200:
            raise _Stop(_problem_for_status(response))
        total = Stats.model_validate_json(response.content).total
        with self.store.session() as session:
            set_setting(session, STORE_TOTAL_KEY, total)
            session.commit()

    def _privacy(self, http: httpx.Client) -> None:
        """Delete copies of withdrawn signatures, remember the known email HMACs,
        and clear sealed data past retention. A store without /privacy is skipped."""
        response = http.get(f"{API_PREFIX}/privacy")
        if response.status_code == 404:
            return
        if response.status_code != 200:
            raise _Stop(_problem_for_status(response))
        update_ = PrivacyUpdate.model_validate_json(response.content)
        with self.store.session() as session:
            forgotten = forget_signatures(session, [str(value) for value in update_.erased])
            remember_email_hmacs(session, update_.email_hmacs)
            cleared = apply_retention(session, now=_utc_now())
            session.commit()
        log.info("privacy: %d withdrawn deleted, %d past retention cleared", forgotten, cleared)

    # reconciliation ------------------------------------------------------------

    def reconcile(self) -> list[EventCheck]:
        """Ask the store, per event, whether it holds exactly what this kiosk holds.

        Records the kiosk thinks were sent but the store lacks are put back in the
        queue. Raises EnrolmentError when not enrolled, httpx errors when offline.
        """
        with self.store.session() as session:
            server_url = get_setting(session, SERVER_URL_KEY)
            token = get_setting(session, TOKEN_KEY)
            rows = session.execute(
                select(Signature.event_id, Signature.id, Signature.sync_state, Event.name)
                .join(Event, Event.id == Signature.event_id)
                .where(Signature.practice.is_(False), Signature.sync_state != SyncState.REFUSED)
            ).all()
        if not server_url or not token:
            raise EnrolmentError(NOT_ENROLLED.message)
        http = self._client(server_url, token)
        per_event: dict[str, list[tuple[str, str]]] = {}
        names: dict[str, str] = {}
        for event_id, signature_id, state, name in rows:
            per_event.setdefault(event_id, []).append((signature_id, state))
            names[event_id] = name
        checks: list[EventCheck] = []
        event_ids = list(per_event)
        for start in range(0, len(event_ids), MAX_RECONCILE_EVENTS):
            chunk = event_ids[start : start + MAX_RECONCILE_EVENTS]
            body = {
                "events": [
                    {
                        "event_id": eid,
                        "count": len(per_event[eid]),
                        "digest": ids_digest([sid for sid, _ in per_event[eid]]),
                    }
                    for eid in chunk
                ]
            }
            response = http.post(f"{API_PREFIX}/reconcile", json=body)
            if response.status_code != 200:
                raise EnrolmentError(_problem_for_status(response).message)
            for answer in ReconcileResult.model_validate_json(response.content).events:
                eid = str(answer.event_id)
                records = per_event[eid]
                missing = [] if answer.matches else self._missing(http, [s for s, _ in records])
                sent_but_missing = {s for s, state in records if state == SyncState.SENT} & set(
                    missing
                )
                if sent_but_missing:
                    with self.store.session() as session:
                        session.execute(
                            update(Signature)
                            .where(Signature.id.in_(sent_but_missing))
                            .values(sync_state=SyncState.PENDING, synced_at_utc=None)
                        )
                        session.commit()
                checks.append(
                    EventCheck(
                        event_id=eid,
                        name=names[eid],
                        held_here=len(records),
                        received=len(records) - len(missing),
                        matches=answer.matches,
                        requeued=len(sent_but_missing),
                    )
                )
        return checks

    def _missing(self, http: httpx.Client, ids: Iterable[str]) -> list[str]:
        ids = list(ids)
        missing: list[str] = []
        for start in range(0, len(ids), MAX_IDS_PER_CHECK):
            response = http.post(
                f"{API_PREFIX}/signatures/missing",
                json={"ids": ids[start : start + MAX_IDS_PER_CHECK]},
            )
            if response.status_code != 200:
                raise EnrolmentError(_problem_for_status(response).message)
            missing.extend(
                str(value) for value in MissingResult.model_validate_json(response.content).missing
            )
        return missing


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


def sync_until_done(
    uploader: Uploader,
    *,
    attempts: int,
    backoff: Backoff,
    sleep: Callable[[float], None] = time.sleep,
) -> SyncOutcome:
    """Retry `sync_once` with backoff until nothing is pending or attempts run out.
    Stops at once for problems a retry cannot fix (not enrolled, wrong token)."""
    outcome = uploader.sync_once()
    for _ in range(attempts - 1):
        if outcome.done or (
            outcome.error and outcome.error.kind in ("not_enrolled", "unauthorized")
        ):
            break
        if outcome.error is None and outcome.pending:
            backoff.reset()  # new signatures arrived meanwhile: go on at once
        else:
            sleep(backoff.next_delay())
        outcome = uploader.sync_once()
    return outcome
