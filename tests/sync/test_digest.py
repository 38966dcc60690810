"""The store tells a retry from a conflict by a digest of the record's content: the
batch-wise digest must spell records exactly as the per-record one always did, or
every record stored before would look like a conflict when a kiosk resends it."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime

from sync.protocol import SignatureRecord, digests_of_json, record_digest, records_as_json


def _as_before(record: SignatureRecord) -> str:
    """The digest as the store computed it when these records were first stored."""
    content = record.model_dump(mode="json", exclude={"clock_unreliable"})
    if record.clock_unreliable:
        content["clock_unreliable"] = True
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _record(n: int) -> SignatureRecord:
    moment = datetime(1970 if n % 3 == 0 else 2026, 6, 13, 9, 0, n % 60, n * 7919 % 1_000_000)
    return SignatureRecord.model_validate(
        {
            "id": str(uuid.UUID(int=n + 1, version=4)),
            "event_id": str(uuid.UUID(int=99, version=4)),
            "created_at_utc": moment,
            "utc_offset_minutes": 120 - n,
            "local_date": moment.date(),
            "language": "sv",
            "sealed": "QUJD" * 20,
            "email_hmac": "ab" * 32 if n % 2 else None,
            "withdrawal_code": "ABCDEFGH12",
            "postcode_area": "252" if n % 4 else None,
            "community_opt_in": bool(n % 5),
            "consent_version": "v1",
            "consent_sha256": "cd" * 32,
            "consent_given_at_utc": moment,
            "commitments": [
                "cykla-kort",
                "äta-växter",
                "مرحبا",
                'citat "så"\\ / snedstreck',
                "emoji 🚲 \u2028 \u00a0 \u200b",
            ][: n % 6],
            "clock_unreliable": n % 3 == 0,
        }
    )


def test_batch_digests_match_the_digests_records_were_stored_with():
    records = [_record(n) for n in range(60)]
    assert digests_of_json(records_as_json(records)) == [_as_before(record) for record in records]
    assert record_digest(records[3]) == _as_before(records[3])
