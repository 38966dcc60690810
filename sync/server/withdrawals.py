"""Finding the signatures an erasure request means, without opening anything sealed.

Households may share an email address, so "erase this address" can match
several signers. What an organiser may see to pick the right one is what
the store holds in the clear: event, date, kiosk and withdrawal code; the
names stay sealed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.privacy.withdrawal import display_code
from sync.server.models import Device, StoredSignature, StoreEvent


@dataclass(frozen=True)
class Match:
    id: str
    withdrawal_code: str
    event: str
    event_date: str
    device: str
    created_at_utc: str

    def describe(self) -> str:
        return (
            f"{display_code(self.withdrawal_code)}  {self.event_date}  {self.event}  "
            f"(kiosk {self.device}, signed {self.created_at_utc} UTC)"
        )


def signatures_with_email(session: Session, *, email_hmac: str) -> list[Match]:
    """Every stored signature with this email HMAC, oldest first."""
    query = (
        select(StoredSignature, StoreEvent, Device.name)
        .join(StoreEvent, StoreEvent.id == StoredSignature.event_id)
        .join(Device, Device.id == StoredSignature.device_id)
        .where(StoredSignature.email_hmac == email_hmac)
        .order_by(StoredSignature.created_at_utc, StoredSignature.id)
    )
    return [
        Match(
            id=signature.id,
            withdrawal_code=signature.withdrawal_code,
            event=event.name,
            event_date=event.date.isoformat(),
            device=device_name,
            created_at_utc=signature.created_at_utc.isoformat(sep=" ", timespec="minutes"),
        )
        for signature, event, device_name in session.execute(query)
    ]
