"""The kiosk's upload client: HTTP (httpx) with backoff, against an outbox. No Qt.

The outbox (`sync.outbox.Outbox`, implemented by the kiosk's store) holds
the records; a pledge is pending from the transaction that saved it.
`Uploader` sends pending records in batches and has them marked sent only
once the store has acknowledged them (accepted, or already held with the
same content). Anything that goes wrong leaves records pending, and a
problem (a kind plus plain words) is saved for the volunteer.

Only a per-record verdict from a central store may refuse a record (it is
then kept, with the reason, never deleted). A whole-request answer (422,
413, 404 ... from a proxy, a store of another version, a wrong address) is
a problem of the way there: the records stay pending. A store that says
"busy" (429/503) with Retry-After is left alone that long.

Retries are safe because every record carries the UUID it was saved with:
an answer lost after the store committed costs one more round trip, never
a duplicate.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar
from uuid import UUID

import httpx
from pydantic import BaseModel, ValidationError

from sync.outbox import CalendarEntry, EventHolding, Outbox, Verdicts
from sync.problems import (
    NEEDS_A_PERSON,
    NOT_ENROLLED,
    UNREADABLE_ANSWER,
    ProblemKind,
    SyncError,
    SyncProblem,
    problem_for_status,
    problem_for_transport,
    speaks_our_protocol,
    version_problem,
)
from sync.protocol import (
    API_PREFIX,
    MAX_BATCH_RECORDS,
    MAX_BODY_BYTES,
    MAX_IDS_PER_CHECK,
    MAX_RECONCILE_EVENTS,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    EventDigest,
    EventInfo,
    MissingRequest,
    MissingResult,
    PrivacyUpdate,
    ReconcileRequest,
    ReconcileResult,
    SignatureRecord,
    Stats,
    UploadBatch,
    UploadResult,
    ids_digest,
)
from sync.status import EventCheck

log = logging.getLogger(__name__)
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
ACKNOWLEDGED = ("accepted", "duplicate")
# Retrying at once would change nothing: a person must act, or the rest was sent.
STOP_RETRYING = NEEDS_A_PERSON | {ProblemKind.UNSENDABLE}


def request_headers(token: str) -> dict[str, str]:
    """Every request names the token and the protocol version this kiosk speaks."""
    return {
        "Authorization": f"Bearer {token}",
        "User-Agent": "klimatavtal-kiosk",
        PROTOCOL_HEADER: str(PROTOCOL_VERSION),
    }


# --- backoff ----------------------------------------------------------------------


class Backoff:
    """Exponential backoff with full jitter (a random wait in 0..min(cap, base*2^n)),
    so twenty kiosks coming back online at once do not knock together."""

    def __init__(
        self, *, base: float = 2.0, cap: float = 300.0, rng: random.Random | None = None
    ) -> None:
        self.base = base
        self.cap = cap
        self.failures = 0
        self._rng = rng or random.Random()

    def next_delay(self, problem: SyncProblem | None = None) -> float:
        """The next wait; at least what the store asked for with Retry-After."""
        ceiling = min(self.cap, self.base * 2 ** min(self.failures, 32))
        self.failures += 1
        delay = self._rng.uniform(0, ceiling)
        if problem is not None and problem.retry_after is not None:
            delay = max(delay, problem.retry_after)
        return delay

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


@dataclass
class _Tally:
    sent: int = 0
    duplicates: int = 0
    refused: int = 0


class _Stop(Exception):
    def __init__(self, problem: SyncProblem):
        super().__init__(problem.message)
        self.problem = problem


Model = TypeVar("Model", bound=BaseModel)


def _read(model: type[Model], response: httpx.Response) -> Model:
    """A 200 answer read tolerantly; anything unreadable is a protocol problem."""
    problem = version_problem(response)
    if problem is not None:
        raise _Stop(problem)
    try:
        return model.model_validate_json(response.content)
    except ValidationError as exc:
        log.warning("sync: unreadable answer from %s: %s", response.url.path, exc)
        raise _Stop(UNREADABLE_ANSWER) from exc


def _body(kiosk_uuid: str, records: list[SignatureRecord], events: list[EventInfo]) -> bytes:
    """An upload's JSON, checked as a whole batch (UUIDs once, events present)."""
    batch = UploadBatch.model_validate(
        {"kiosk_uuid": kiosk_uuid, "events": events, "records": records}
    )
    return batch.model_dump_json().encode()


@dataclass(frozen=True)
class _Upload:
    """A batch on its way, and its answer to come."""

    records: list[SignatureRecord]
    events: list[EventInfo]
    response: Future[httpx.Response]

    @cached_property
    def keys(self) -> dict[UUID, str]:
        """`_keys(records)`, spelled once for the batch's whole way."""
        return _keys(self.records)


def _keys(records: list[SignatureRecord]) -> dict[UUID, str]:
    """Each record's UUID as the outbox names it. Spelled once per batch: the pass
    spelled each UUID three times (skipped, asked, answered), 6% of the kiosk's CPU
    in bench_sync's 10,000-record sync."""
    return {record.id: str(record.id) for record in records}


class _Calendar(BaseModel):
    """`GET /api/v1/calendar`'s answer (sync.server.console.calendar_api)."""

    events: list[CalendarEntry]


class Uploader:
    """Sends the outbox's pending records; one instance keeps one HTTP connection."""

    def __init__(
        self,
        outbox: Outbox,
        *,
        batch_size: int = MAX_BATCH_RECORDS,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not 1 <= batch_size <= MAX_BATCH_RECORDS:
            raise ValueError(f"batch_size must be 1..{MAX_BATCH_RECORDS}")
        self.outbox = outbox
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
                headers=request_headers(token),
            )
            self._config = (server_url, token)
        return self._http

    # one pass ----------------------------------------------------------------

    def sync_once(self) -> SyncOutcome:
        """Upload everything pending, then refresh the store's total and privacy.
        Never raises for network or store trouble: the outcome says what happened.
        (Trouble with the kiosk's own database does raise: the caller reports it.)"""
        enrolment = self.outbox.enrolment()
        if enrolment is None:
            return self._finish(_Tally(), NOT_ENROLLED)
        http = self._client(enrolment.server_url, enrolment.token)
        tally = _Tally()
        held_back: dict[str, str] = {}
        try:
            self._upload(http, enrolment.kiosk_uuid, tally, held_back)
            self._refresh_total(http)
            self._privacy(http)
            self._calendar(http)
        except _Stop as stop:
            return self._finish(tally, stop.problem)
        except httpx.TransportError as exc:
            return self._finish(tally, problem_for_transport(exc))
        if held_back:
            return self._finish(tally, self._held_back_problem(held_back))
        return self._finish(tally, None)

    def _finish(self, tally: _Tally, problem: SyncProblem | None) -> SyncOutcome:
        log.info(
            "sync: %d sent, %d acknowledged again, %d refused, problem: %s",
            tally.sent,
            tally.duplicates,
            tally.refused,
            problem.kind if problem else "none",
        )
        pending = self.outbox.record_outcome(problem)
        return SyncOutcome(tally.sent, tally.duplicates, tally.refused, pending, problem)

    @staticmethod
    def _held_back_problem(held_back: dict[str, str]) -> SyncProblem:
        example = next(iter(held_back.values()))
        return SyncProblem(
            ProblemKind.UNSENDABLE,
            f"{len(held_back)} signature(s) could not be sent and wait here ({example[:200]}).",
        )

    @staticmethod
    def _within_body_limit(records: list[SignatureRecord]) -> list[SignatureRecord]:
        """As many records as fit half the body limit (at least one)."""
        kept: list[SignatureRecord] = []
        size = 0
        for record in records:
            size += len(record.sealed) + 2048
            if kept and size > MAX_BODY_BYTES // 2:
                break
            kept.append(record)
        return kept

    def _upload(
        self, http: httpx.Client, kiosk_uuid: str, tally: _Tally, held_back: dict[str, str]
    ) -> None:
        """Send every pending batch, one request at a time, the next batch read and
        spelled while the store answers the one on its way (and the last answer's
        verdicts saved while the store works on the next): bench_sync's profile had
        the kiosk's half of the time and the store's half one after the other.
        A batch skips the records on their way; they are marked only once answered.
        The kiosk's Qt worker syncs this way too: with the store's and the kiosk's
        CPU cut since, the GUI's longest gap beside it is 9-12 ms (bench_sync, twelve
        runs; 17-26 ms when this was first tried) and the pass a quarter shorter.
        Two batches at the store at once gained nothing there: the two processes
        already keep both cores busy."""
        sending: _Upload | None = None
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-upload") as sender:
            while True:
                on_the_way = held_back.keys() | (sending.keys.values() if sending else set())
                prepared = self._prepare(kiosk_uuid, on_the_way, held_back)
                result = None
                if sending is not None:
                    result = self._answer(
                        http,
                        kiosk_uuid,
                        sending.records,
                        sending.events,
                        sending.response.result(),
                        tally,
                        held_back,
                    )
                following = None
                if prepared is not None:
                    records, events, body = prepared
                    following = _Upload(records, events, sender.submit(self._post, http, body))
                if sending is not None and result is not None:
                    self._apply(sending.keys, result, tally)
                if following is None and sending is None:
                    return
                sending = following  # None: read again, nothing on its way to skip

    def _prepare(
        self, kiosk_uuid: str, skip: Collection[str], held_back: dict[str, str]
    ) -> tuple[list[SignatureRecord], list[EventInfo], bytes] | None:
        """The next batch to send (records, their events, the body), leaving out `skip`;
        None when nothing else is pending. Records that do not fit the protocol are
        held back, with the reason."""
        while True:
            batch = self.outbox.pending_batch(limit=self.batch_size, skip=skip)
            held_back.update(batch.unsendable)
            if batch.records:
                break
            if not batch.unsendable:
                return None
            skip = {*skip, *batch.unsendable}
        records = self._within_body_limit(batch.records)
        wanted = {record.event_id for record in records}
        events = [event for event in batch.events if event.id in wanted]
        return records, events, _body(kiosk_uuid, records, events)

    @staticmethod
    def _post(http: httpx.Client, body: bytes) -> httpx.Response:
        return http.post(
            f"{API_PREFIX}/signatures",
            content=body,
            headers={"Content-Type": "application/json"},
        )

    def _send(
        self,
        http: httpx.Client,
        kiosk_uuid: str,
        records: list[SignatureRecord],
        events: list[EventInfo],
        body: bytes | None,
        tally: _Tally,
        held_back: dict[str, str],
    ) -> None:
        """Send one batch (its body, if spelled already) and apply the answer, waiting."""
        response = self._post(http, body or _body(kiosk_uuid, records, events))
        result = self._answer(http, kiosk_uuid, records, events, response, tally, held_back)
        if result is not None:
            self._apply(_keys(records), result, tally)

    def _answer(
        self,
        http: httpx.Client,
        kiosk_uuid: str,
        records: list[SignatureRecord],
        events: list[EventInfo],
        response: httpx.Response,
        tally: _Tally,
        held_back: dict[str, str],
    ) -> UploadResult | None:
        """The store's verdicts on one batch, to be applied; None when there are none.
        A central store that finds the batch too large or malformed as a whole gets
        it in halves (sent and applied here); a single record it still will not take
        stays pending (held back for this pass, with the reason) so it never holds up
        the queue. Anything else that answers so stops the pass: nothing is marked."""
        if response.status_code in (413, 422) and speaks_our_protocol(response):
            if version_problem(response) is not None:
                raise _Stop(problem_for_status(response))
            if len(records) > 1:
                half = len(records) // 2
                for part in (records[:half], records[half:]):
                    wanted = {record.event_id for record in part}
                    self._send(
                        http,
                        kiosk_uuid,
                        part,
                        [event for event in events if event.id in wanted],
                        None,
                        tally,
                        held_back,
                    )
                return None
            held_back[str(records[0].id)] = problem_for_status(response).message
            return None
        if response.status_code != 200:
            raise _Stop(problem_for_status(response))
        return _read(UploadResult, response)

    def _apply(self, asked: dict[UUID, str], result: UploadResult, tally: _Tally) -> None:
        """Hand the store's per-record verdicts on the records `asked` (`_keys`) to the
        outbox, in one transaction. A verdict this version does not know, or on a
        record not asked about, leaves its record pending."""
        acknowledged: list[str] = []
        erased: list[str] = []
        refused: dict[str, str] = {}
        duplicates = 0
        for item in result.results:
            key = asked.get(item.id)
            if key is None:
                continue
            if item.status == "erased":
                erased.append(key)
            elif item.status in ACKNOWLEDGED:
                acknowledged.append(key)
                duplicates += item.status == "duplicate"
            elif item.status == "refused":
                refused[key] = item.reason or "refused by the central store"
        self.outbox.apply_verdicts(Verdicts(acknowledged, refused, erased, result.total))
        tally.sent += len(acknowledged) - duplicates
        tally.duplicates += duplicates
        tally.refused += len(refused)

    def _refresh_total(self, http: httpx.Client) -> None:
        response = http.get(f"{API_PREFIX}/stats")
        if response.status_code != 200:
            raise _Stop(problem_for_status(response))
        self.outbox.save_store_total(_read(Stats, response).total)

    def _privacy(self, http: httpx.Client) -> None:
        """Delete copies of withdrawn signatures, remember the known email HMACs,
        and clear sealed data past retention. Only the changes since the cursor the
        kiosk kept are asked for (all of them the first time), page by page, each
        page applied with its cursor. A store without /privacy is skipped."""
        since = self.outbox.privacy_cursor()
        while True:
            response = http.get(
                f"{API_PREFIX}/privacy", params=None if since is None else {"since": since}
            )
            if response.status_code == 404:
                return
            if response.status_code != 200:
                raise _Stop(problem_for_status(response))
            update = _read(PrivacyUpdate, response)
            forgotten, cleared = self.outbox.apply_privacy(update)
            log.info("privacy: %d withdrawn deleted, %d past retention cleared", forgotten, cleared)
            if not update.more or update.cursor is None or update.cursor == since:
                return
            since = update.cursor

    def _calendar(self, http: httpx.Client) -> None:
        """Hand the campaign's upcoming events to the outbox, so volunteers pick one
        instead of typing it. A store without a calendar (404) is skipped."""
        response = http.get(f"{API_PREFIX}/calendar")
        if response.status_code == 404:
            return
        if response.status_code != 200:
            raise _Stop(problem_for_status(response))
        self.outbox.save_calendar(_read(_Calendar, response).events)

    # reconciliation ------------------------------------------------------------

    def reconcile(self) -> list[EventCheck]:
        """Ask the store, per event, whether it holds exactly what this kiosk holds.

        Records the kiosk thinks were sent but the store lacks are put back in the
        queue. Raises SyncError (with a problem kind) when it cannot ask."""
        enrolment = self.outbox.enrolment()
        if enrolment is None:
            raise SyncError(NOT_ENROLLED)
        http = self._client(enrolment.server_url, enrolment.token)
        try:
            return self._reconcile(http, self.outbox.holdings())
        except _Stop as stop:
            raise SyncError(stop.problem) from stop
        except httpx.TransportError as exc:
            raise SyncError(problem_for_transport(exc)) from exc

    def _reconcile(self, http: httpx.Client, holdings: list[EventHolding]) -> list[EventCheck]:
        checks: list[EventCheck] = []
        by_id = {holding.event_id: holding for holding in holdings}
        for start in range(0, len(holdings), MAX_RECONCILE_EVENTS):
            chunk = holdings[start : start + MAX_RECONCILE_EVENTS]
            request = ReconcileRequest(
                events=[
                    EventDigest.model_validate(
                        {"event_id": h.event_id, "count": len(h.ids), "digest": ids_digest(h.ids)}
                    )
                    for h in chunk
                ]
            )
            response = http.post(
                f"{API_PREFIX}/reconcile",
                content=request.model_dump_json(),
                headers={"Content-Type": "application/json"},
            )
            if response.status_code != 200:
                raise _Stop(problem_for_status(response))
            for answer in _read(ReconcileResult, response).events:
                holding = by_id.get(str(answer.event_id))
                if holding is None:
                    continue
                missing = set() if answer.matches else set(self._missing(http, holding.ids))
                sent_but_missing = holding.sent & missing
                if sent_but_missing:
                    self.outbox.requeue(sent_but_missing)
                held = len(holding.ids)
                checks.append(
                    EventCheck(
                        event_id=holding.event_id,
                        name=holding.name,
                        held_here=held,
                        received=held - len(missing),
                        matches=answer.matches,
                        requeued=len(sent_but_missing),
                    )
                )
        return checks

    def _missing(self, http: httpx.Client, ids: Iterable[str]) -> list[str]:
        ids = list(ids)
        missing: list[str] = []
        for start in range(0, len(ids), MAX_IDS_PER_CHECK):
            request = MissingRequest.model_validate({"ids": ids[start : start + MAX_IDS_PER_CHECK]})
            response = http.post(
                f"{API_PREFIX}/signatures/missing",
                content=request.model_dump_json(),
                headers={"Content-Type": "application/json"},
            )
            if response.status_code != 200:
                raise _Stop(problem_for_status(response))
            missing.extend(str(value) for value in _read(MissingResult, response).missing)
        return missing


def sync_until_done(
    uploader: Uploader,
    *,
    attempts: int,
    backoff: Backoff,
    sleep: Callable[[float], None] = time.sleep,
) -> SyncOutcome:
    """Retry `sync_once` with backoff until nothing is pending or attempts run out.
    Stops at once for problems a retry cannot fix (not enrolled, wrong token,
    versions that do not work together, records that cannot be sent)."""
    outcome = uploader.sync_once()
    for _ in range(attempts - 1):
        if outcome.done or (
            outcome.error
            and (
                outcome.error.kind in NEEDS_A_PERSON or outcome.error.kind == ProblemKind.UNSENDABLE
            )
        ):
            break
        if outcome.error is None and outcome.pending:
            backoff.reset()  # new signatures arrived meanwhile: go on at once
        else:
            sleep(backoff.next_delay(outcome.error))
        outcome = uploader.sync_once()
    return outcome
