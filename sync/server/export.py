"""CSV export for organisers, safe to open in a spreadsheet.

UTF-8 with a byte order mark, so Excel reads å, ä and ö right. Any cell
that starts with = + - @, a tab or a carriage return gets a leading
apostrophe, as OWASP advises against CSV (formula) injection: a signer
named "=HYPERLINK(...)" stays text. Spreadsheets skip leading spaces of
every kind, line breaks, zero-width characters and a byte order mark
before they look for a formula, and some read the full-width signs
(＝ ＋ － ＠) as their ASCII twins, so the check looks past the first and
folds the second (NFKC) before deciding. Drawn signatures are not exported.

The store cannot read names, emails or postcodes: they are sealed. Given
the campaign's private key (opened with its passphrase by the organiser
running the export) they are opened here, in memory, and written to the
file; without it the export has no personal columns at all. A record the
key cannot open (a kiosk that signed before `keys import`, a damaged
upload) is left out and named in an `Export.unopened` list, so one such
record never stops the export of all the others.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.privacy.keys import CampaignKeyError, CampaignPrivateKey
from sync.server.models import Device, StoredSignature, StoreEvent

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Invisible characters str.isspace() does not count as space: zero-width space,
# non-joiner and joiner, word joiner, byte order mark, soft hyphen.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
COLUMNS = (
    "id",
    "event",
    "place",
    "event_date",
    "created_at_utc",
    "local_date",
    "language",
    "name",
    "email",
    "postcode",
    "postcode_area",
    "duplicate_of",
    "withdrawal_code",
    "lives_or_works_in_helsingborg",
    "community_opt_in",
    "helper_opt_in",
    "commitments",
    "consent_version",
    "device",
    "received_at_utc",
)


def safe_cell(value: object) -> str:
    """A cell's text, escaped so no spreadsheet reads it as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return "'" + text if _starts_a_formula(text) else text


def _starts_a_formula(text: str) -> bool:
    if text.startswith(FORMULA_STARTS):
        return True
    visible = text
    while visible and (visible[0] in INVISIBLE or visible[0].isspace()):
        visible = visible[1:]
    return bool(visible) and unicodedata.normalize("NFKC", visible[0]).startswith(
        FORMULA_STARTS[:4]
    )


def event_names(session: Session) -> list[str]:
    return sorted(set(session.scalars(select(StoreEvent.name))))


PERSONAL = ("name", "email", "postcode")
UNOPENED_COLUMNS = ("id", "device", "event", "event_date", "received_at_utc")


@dataclass(frozen=True)
class Unopened:
    """A record the private key could not open: enough to find its kiosk, nothing personal."""

    id: str
    device: str
    event: str
    event_date: str
    received_at_utc: str


@dataclass
class Export:
    written: int = 0
    unopened: list[Unopened] = field(default_factory=list)


class NothingOpens(CampaignKeyError):
    """The key opened none of the records: most likely the wrong campaign's key."""


def export_csv(
    session: Session,
    *,
    out: Path,
    event_name: str | None = None,
    private_key: CampaignPrivateKey | None = None,
) -> Export:
    """Write the signatures (of one event name, or all) to `out`; say what was written
    and which records the key could not open (those are left out of the file).

    Every record is opened before the file is created: when the key opens
    none of them (though some hold sealed data), `NothingOpens` is raised and
    nothing is written, since that is a wrong key rather than a stray record.
    """
    query = (
        select(StoredSignature, StoreEvent, Device.name)
        .join(StoreEvent, StoreEvent.id == StoredSignature.event_id)
        .join(Device, Device.id == StoredSignature.device_id)
        .order_by(StoreEvent.date, StoredSignature.created_at_utc, StoredSignature.id)
    )
    if event_name is not None:
        query = query.where(StoreEvent.name == event_name)
    columns = COLUMNS if private_key else tuple(c for c in COLUMNS if c not in PERSONAL)
    rows = []
    result = Export()
    opened = 0
    for signature, event, device_name in session.execute(query).yield_per(1000):
        personal: dict[str, Any] = {}
        if private_key is not None and signature.sealed is not None:
            try:
                personal = private_key.open(signature.sealed)
            except CampaignKeyError:
                result.unopened.append(
                    Unopened(
                        id=signature.id,
                        device=device_name,
                        event=event.name,
                        event_date=event.date.isoformat(),
                        received_at_utc=signature.received_at_utc.isoformat(timespec="seconds"),
                    )
                )
                continue
            opened += 1
        rows.append(
            (
                signature.id,
                event.name,
                event.place,
                event.date.isoformat(),
                signature.created_at_utc.isoformat(timespec="seconds"),
                signature.local_date.isoformat(),
                signature.language,
                personal.get("name"),
                personal.get("email"),
                personal.get("postcode"),
                signature.postcode_area,
                signature.duplicate_of,
                signature.withdrawal_code,
                signature.lives_or_works_in_helsingborg,
                signature.community_opt_in,
                signature.helper_opt_in,
                "; ".join(json.loads(signature.commitments)),
                signature.consent_version,
                device_name,
                signature.received_at_utc.isoformat(timespec="seconds"),
            )
        )
    if result.unopened and not opened:
        raise NothingOpens(
            f"the key opens none of the {len(result.unopened)} sealed records: they were "
            "sealed with another campaign key (or this is the wrong private key)"
        )
    keep = [COLUMNS.index(column) for column in columns]
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([safe_cell(row[index]) for index in keep])
    result.written = len(rows)
    return result


def unopened_report_path(out: Path) -> Path:
    """Where the list of unopened records goes: beside the export, named after it."""
    return out.with_name(f"{out.stem}.unopened.csv")


def write_unopened_report(path: Path, unopened: list[Unopened]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(UNOPENED_COLUMNS)
        for record in unopened:
            writer.writerow([safe_cell(getattr(record, column)) for column in UNOPENED_COLUMNS])
