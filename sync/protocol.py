"""The wire schema between kiosk and central store, version 1.

Both ends import these models, so a limit is written once and enforced on
both sides: the kiosk refuses to send what the store would refuse anyway
(and says so locally), the store answers 422 for anything outside it.

Requests are strict (unknown fields refused, so a typo never passes
silently); answers are read tolerantly (unknown fields ignored), so a newer
store that adds a field still works with this kiosk. Which versions work
together is said by the `Klimatavtal-Protocol` header both ends send
(`PROTOCOL_VERSION`, oldest understood `OLDEST_PROTOCOL`).

A record is keyed by the UUID the kiosk gave it when the pledge was saved;
that UUID is what makes retries safe. The store compares a digest of the
record's content (`record_digest`) to tell a retry from a conflict.

Limits (documented in the README as well):

- `MAX_BATCH_RECORDS` records per upload, `MAX_BODY_BYTES` per request body;
- text fields as long as the kiosk's own columns;
- `sealed` (name, email, postcode and drawn signature, sealed on the kiosk
  with the campaign's public key) base64, at most `MAX_SEALED_BYTES` bytes
  decoded; neither the store nor anyone on the way can read it;
- no control characters or lone surrogates in any text (they cannot be
  stored in PostgreSQL and can disguise names in a spreadsheet);
- dates between `MIN_YEAR` and `MAX_YEAR`, except in records marked
  `clock_unreliable` and the events that carry only such records.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Final, Literal
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    TypeAdapter,
    model_validator,
)
from pydantic_core import to_json

PROTOCOL_VERSION: Final = 1
# The oldest version of the other end this one still works with.
OLDEST_PROTOCOL = 1
PROTOCOL_HEADER = "Klimatavtal-Protocol"
API_PREFIX = "/api/v1"

MAX_BATCH_RECORDS = 500
MAX_BODY_BYTES = 16 * 1024 * 1024
MAX_STROKES_CHARS = 100_000
# A sealed document: strokes as above plus name, email, postcode, JSON and
# the 48 bytes of the sealed box.
MAX_SEALED_BYTES = MAX_STROKES_CHARS + 4_096
_MAX_SEALED_B64 = 4 * ((MAX_SEALED_BYTES + 2) // 3)
MAX_COMMITMENTS = 20
MAX_EVENTS_PER_BATCH = 100
MAX_RECONCILE_EVENTS = 200
MAX_IDS_PER_CHECK = 5_000
MAX_PRIVACY_CHANGES = 10_000  # per answer to GET /privacy?since=N; `more` says there are others
MIN_YEAR = 2000
MIN_CLOCK_YEAR = 1900  # records marked clock_unreliable
MAX_YEAR = 2999


# Unicode categories Cc (C0 and C1 controls) and Cs (surrogates), as one C-speed search.
_UNSTORABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _plain_text(value: str) -> str:
    """Refuse characters no signer types and no database stores safely."""
    if _UNSTORABLE.search(value):
        raise ValueError("must not contain control characters or lone surrogates")
    return value


def _sane_year(value: date) -> date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"year must be between {MIN_YEAR} and {MAX_YEAR}")
    return value


def _utc_naive(value: datetime) -> datetime:
    """Times travel as UTC; an offset, if given, is folded into UTC."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"year must be between {MIN_YEAR} and {MAX_YEAR}")
    return _utc_folded(value)


def _utc_folded(value: datetime) -> datetime:
    if not MIN_CLOCK_YEAR <= value.year <= MAX_YEAR:  # no clock reads earlier; no overflow
        raise ValueError(f"year must be between {MIN_CLOCK_YEAR} and {MAX_YEAR}")
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


PlainText = AfterValidator(_plain_text)
EventText = Annotated[str, Field(max_length=120), PlainText]
PostcodeArea = Annotated[str, Field(max_length=3), PlainText]
ConsentVersion = Annotated[str, Field(min_length=1, max_length=20), PlainText]
CommitmentId = Annotated[str, Field(min_length=1, max_length=64), PlainText]
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2}$")]
UtcOffsetMinutes = Annotated[StrictInt, Field(ge=-900, le=900)]


UtcTime = Annotated[datetime, AfterValidator(_utc_naive)]
# A signature's own times: any year when its kiosk marked its clock unreliable.
SignedTime = Annotated[datetime, AfterValidator(_utc_folded)]
Day = Annotated[date, AfterValidator(_sane_year)]
Hex64 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
WithdrawalCode = Annotated[str, Field(pattern=r"^[0-9A-HJKMNP-TV-Z]{10}$")]


# A sealed box travels as padded base64: checked by pydantic's regex (in Rust) and its
# size read from the text's length, never decoded to be checked. Decoding every box
# to prove it is base64 was a seventh of the kiosk's CPU in a 10,000-record sync
# and, as the store decodes it again to store it, 3% of the store's (bench_sync).
_BASE64 = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"


def _sealed_box(value: str) -> str:
    size = len(value) // 4 * 3 - value[-2:].count("=")
    if not 48 < size <= MAX_SEALED_BYTES:
        raise ValueError(f"must be a sealed box of at most {MAX_SEALED_BYTES} bytes")
    return value


Sealed = Annotated[
    str, Field(max_length=_MAX_SEALED_B64, pattern=_BASE64), AfterValidator(_sealed_box)
]


class _Strict(BaseModel):
    """What a kiosk sends: anything the protocol does not name is refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class _Answer(BaseModel):
    """What the store answers: fields this version does not know are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)


def _clock_year(value: date) -> date:
    if not MIN_CLOCK_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"year must be between {MIN_CLOCK_YEAR} and {MAX_YEAR}")
    return value


def plausible_day(value: date) -> bool:
    """A date a correct clock gives; others travel only with records marked
    `clock_unreliable`."""
    return MIN_YEAR <= value.year <= MAX_YEAR


# An event's date: any year a clock reads. A kiosk whose clock reset to 1970 makes
# events dated 1970; UploadBatch lets one through only with records marked
# clock_unreliable, so a typo'd date on a sound clock is still refused.
EventDay = Annotated[date, AfterValidator(_clock_year)]


class EventInfo(_Strict):
    """The market event a signature was collected at (the kiosk's event UUID)."""

    id: UUID
    name: EventText
    place: EventText = ""
    date: EventDay


class SignatureRecord(_Strict):
    """One signed pledge, as stored on the kiosk (practice signatures never travel)."""

    id: UUID
    event_id: UUID
    created_at_utc: SignedTime
    utc_offset_minutes: UtcOffsetMinutes
    local_date: date
    language: LanguageCode
    sealed: Sealed
    email_hmac: Hex64 | None = None
    withdrawal_code: WithdrawalCode
    postcode_area: PostcodeArea | None = None
    lives_or_works_in_helsingborg: StrictBool = False
    community_opt_in: StrictBool = False
    helper_opt_in: StrictBool = False
    consent_version: ConsentVersion
    consent_sha256: Hex64
    consent_given_at_utc: SignedTime
    commitments: list[CommitmentId] = Field(default_factory=list, max_length=MAX_COMMITMENTS)
    # The kiosk's clock was implausible at signing: times kept, marked, any year.
    clock_unreliable: StrictBool = False

    @model_validator(mode="after")
    def _sane_years(self) -> SignatureRecord:
        if not self.clock_unreliable:
            for moment in (self.created_at_utc, self.local_date, self.consent_given_at_utc):
                _sane_year(moment)
        return self


class UploadBatch(_Strict):
    """POST /api/v1/signatures: a batch of records from one kiosk."""

    protocol: Literal[1] = PROTOCOL_VERSION
    kiosk_uuid: UUID
    events: list[EventInfo] = Field(max_length=MAX_EVENTS_PER_BATCH)
    records: list[SignatureRecord] = Field(min_length=1, max_length=MAX_BATCH_RECORDS)

    @model_validator(mode="after")
    def _consistent(self) -> UploadBatch:
        ids = [record.id for record in self.records]
        if len(set(ids)) != len(ids):
            raise ValueError("a record UUID appears twice in this batch")
        known = {event.id for event in self.events}
        if len(known) != len(self.events):
            raise ValueError("an event UUID appears twice in this batch")
        unknown = {record.event_id for record in self.records} - known
        if unknown:
            raise ValueError(
                f"records refer to events not in this batch: {sorted(map(str, unknown))}"
            )
        implausible = {event.id for event in self.events if not plausible_day(event.date)}
        if any(r.event_id in implausible and not r.clock_unreliable for r in self.records):
            raise ValueError(
                f"an event dated outside {MIN_YEAR}-{MAX_YEAR} may only carry records "
                "marked clock_unreliable"
            )
        return self


RecordStatus = Literal["accepted", "duplicate", "refused", "erased"]


class RecordResult(_Answer):
    """`code` is the HTTP status this record would have had on its own:
    201 accepted, 200 duplicate (acknowledged again), 409 conflict, 410 erased
    (the signer withdrew: the kiosk deletes its copy; the store keeps nothing)."""

    id: UUID
    status: str = Field(description="one of RecordStatus; a kiosk keeps any other pending")
    code: int
    reason: str | None = None


class UploadResult(_Answer):
    """The store's answer: one result per record, in the batch's order."""

    protocol: int = PROTOCOL_VERSION
    accepted: int
    duplicates: int
    refused: int
    erased: int = 0
    results: list[RecordResult]
    total: int = Field(description="the campaign total after this batch, as /stats gives it")


class EventCountOut(_Answer):
    id: UUID
    name: str
    place: str
    date: date
    count: int


class Stats(_Answer):
    """GET /api/v1/stats: public counts for kiosks and the campaign website."""

    total: int = Field(description="kiosk signatures plus counts added per source")
    kiosk_signatures: int
    sources: dict[str, int] = Field(description="counts gathered elsewhere, per source")
    events: list[EventCountOut]
    unique_signers: int = Field(
        default=0, description="kiosk signers, a repeat signer (same email) counted once"
    )
    tallied: int = Field(default=0, description="the sum of `sources`")
    counter: int = Field(
        default=0, description="what the public counter shows: unique_signers + tallied"
    )
    goal: int | None = Field(default=None, description="the campaign's goal, when one is set")


class EventDigest(_Strict):
    event_id: UUID
    count: StrictInt = Field(ge=0)
    digest: Hex64


class ReconcileRequest(_Strict):
    """POST /api/v1/reconcile: per event, how many records the kiosk holds and their digest."""

    events: list[EventDigest] = Field(min_length=1, max_length=MAX_RECONCILE_EVENTS)


class EventReconciliation(_Answer):
    event_id: UUID
    held: int = Field(description="records of this event the store holds")
    matches: bool = Field(description="the store holds exactly the records the kiosk listed")


class ReconcileResult(_Answer):
    events: list[EventReconciliation]


class MissingRequest(_Strict):
    """POST /api/v1/signatures/missing: which of these UUIDs does the store lack?"""

    ids: list[UUID] = Field(min_length=1, max_length=MAX_IDS_PER_CHECK)


class MissingResult(_Answer):
    missing: list[UUID]


class PrivacyUpdate(_Answer):
    """GET /api/v1/privacy[?since=N]: what kiosks must forget and may recognise.

    `erased`: UUIDs of withdrawn signatures; a kiosk deletes any copy it holds.
    `email_hmacs`: email HMACs the store holds, so a kiosk can tell a repeat
    signer "you have already signed" without anyone's address.

    Without `since` (and to a kiosk of before the cursor) the answer is the
    whole state, `full`: the kiosk replaces what it knew. With `since=N`, the
    cursor an earlier answer gave, it holds only the changes after N (`full`
    false): new tombstones, new HMACs, and `forgotten_email_hmacs`, whose last
    signature was erased. `cursor` is what to send as `since` next time; `more`
    says another page follows at once. So a pass downloads what changed, not the
    store's size. A store of before the cursor sends neither field: `full`.
    No version bump: old kiosks ask without `since` and get what they always got.
    """

    erased: list[UUID]
    email_hmacs: list[Hex64]
    forgotten_email_hmacs: list[Hex64] = Field(default_factory=list)
    cursor: int | None = None
    full: bool = True
    more: bool = False


class DeviceInfo(_Answer):
    name: str
    created_at_utc: datetime


class ErrorBody(_Answer):
    detail: str


def ids_digest(ids: list[str] | list[UUID]) -> str:
    """The digest of an event's record UUIDs: sorted, lower-case, one per line."""
    lines = sorted(str(value).lower() for value in ids)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def record_digest(record: SignatureRecord) -> str:
    """A digest of a record's content, independent of JSON spelling."""
    return digests_of_json(records_as_json([record]))[0]


_RECORDS = TypeAdapter(list[SignatureRecord])
_SORTED_FIELDS = tuple(sorted(SignatureRecord.model_fields))


def records_as_json(records: list[SignatureRecord]) -> list[dict[str, Any]]:
    """Each record's fields as JSON values (UUIDs, days and times as text), the whole
    list in one call to pydantic's serializer, which runs in Rust."""
    contents: list[dict[str, Any]] = _RECORDS.dump_python(records, mode="json")
    return contents


def digests_of_json(contents: list[dict[str, Any]]) -> list[str]:
    """`record_digest` of each record given as `records_as_json` gives it: the
    canonical form is sorted keys, compact, UTF-8 unescaped (as `json.dumps(
    sort_keys=True, ensure_ascii=False, separators=(",", ":"))` spells it),
    `clock_unreliable` only when true. Each record is spelled by pydantic's JSON
    writer from a dict in sorted order: the same bytes (both escape only `"`, `\\`
    and control characters, which the protocol refuses), at half the cost of
    json.dumps (bench_sync's profile of the store)."""
    digests = []
    for content in contents:
        canonical = {
            key: content[key]
            for key in _SORTED_FIELDS
            if key != "clock_unreliable" or content[key]  # absent when False: older digests hold
        }
        digests.append(hashlib.sha256(to_json(canonical)).hexdigest())
    return digests
