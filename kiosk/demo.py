"""Realistic made-up signatures for training, summaries and benchmarks.

Names are drawn from common Swedish names plus names from the languages
heard at Helsingborg's markets, so screens and documents are exercised with
å, ä, ö, accents, apostrophes, hyphens and Arabic script.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select

from kiosk.content import Content, load_consent
from kiosk.pledge import Details, Pledge
from kiosk.store.engine import Store
from kiosk.store.keys import configured_keys
from kiosk.store.models import Event, Signature, SignatureCommitment
from kiosk.store.repository import create_event, set_current_event, signature_rows

STOCKHOLM = ZoneInfo("Europe/Stockholm")
FIRST_NAMES = (
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Johan",
    "Åsa",
    "Örjan",
    "Märta",
    "Björn",
    "Elin",
    "Oskar",
    "Sofia",
    "Hugo",
    "Ingrid",
    "Nils",
    "Maja",
    "Per-Olof",
    "Zoë",
    "René",
    "Fatima",
    "Mohammed",
    "Amira",
    "Ali",
    "Leyla",
    "Dragan",
    "Ayşe",
    "Jiří",
    "Siobhán",
    "Chloé",
)
LAST_NAMES = (
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Lindström",
    "Åkesson",
    "Öberg",
    "Wästberg",
    "Malmqvist",
    "O'Brien",
    "Al-Hassan",
    "Hadžić",
    "Nguyen",
    "Kowalski",
    "Yılmaz",
    "Lindqvist-Ek",
)
ARABIC_NAMES = ("فاطمة الزهراء", "محمد علي", "ليلى حسن")
EVENTS = (
    ("Stortorget lördagsmarknad", "Stortorget"),
    ("Klimatfika på Dunkers", "Dunkers kulturhus"),
    ("Råå hamnmarknad", "Råå hamn"),
    ("Söderpunkten", "Söder"),
    ("Knutpunkten", "Knutpunkten"),
)
HELSINGBORG_POSTCODES = ("252", "253", "254", "255", "256", "257", "258", "260")


def _hourly_weights() -> list[tuple[int, float]]:
    """Market stalls are busiest around midday."""
    return [(9, 1), (10, 3), (11, 5), (12, 6), (13, 5), (14, 4), (15, 3), (16, 2), (17, 1)]


def demo_pledge(rng: random.Random, content: Content) -> Pledge:
    name = (
        rng.choice(ARABIC_NAMES)
        if rng.random() < 0.04
        else f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    )
    commitments = rng.sample([c.id for c in content.commitments], k=rng.choice((1, 1, 2, 2, 3, 4)))
    postcode = None
    if rng.random() < 0.7:
        area = (
            rng.choice(HELSINGBORG_POSTCODES) if rng.random() < 0.8 else str(rng.randint(100, 989))
        )
        postcode = f"{area} {rng.randint(0, 99):02d}"
    email = None
    if rng.random() < 0.6:
        local = name.split()[0].lower().encode("ascii", "ignore").decode() or "signer"
        email = f"{local}.{rng.randint(1, 9999)}@example.se"
    details = Details(
        name=name,
        email=email,
        postcode=postcode,
        lives_or_works_in_helsingborg=rng.random() < 0.85,
        community_opt_in=rng.random() < 0.45,
        helper_opt_in=rng.random() < 0.12,
        consent=True,
    )
    stroke = tuple((40 + i * 30, 400 + rng.randint(-120, 120)) for i in range(25))
    return Pledge(tuple(commitments), details, (stroke,), rng.choice(("sv", "sv", "sv", "en")))


def fill_demo(
    store: Store, content: Content, *, count: int, seed: int = 2030, today: date | None = None
) -> int:
    """Fill an empty store with `count` signatures over several events and days."""
    rng = random.Random(seed)
    today = today or date.today()
    consent = {lang: load_consent(lang) for lang in ("sv", "en")}
    with store.session() as session:
        keys = configured_keys(session)
        if session.scalar(select(func.count()).select_from(Signature)):
            raise ValueError("this data folder already holds signatures")
        event_count = max(1, min(len(EVENTS) * 2, count // 40 or 1))
        events: list[Event] = []
        for index in range(event_count):
            name, place = EVENTS[index % len(EVENTS)]
            day = today - timedelta(days=7 * (event_count - 1 - index))
            events.append(
                create_event(
                    session,
                    name=name,
                    place=place,
                    event_date=day,
                    now=datetime.combine(day, time(8, 30), STOCKHOLM),
                )
            )
        set_current_event(session, events[-1])
        session.commit()

    hours, weights = zip(*_hourly_weights(), strict=True)
    batch_size = 2000
    written = 0
    while written < count:
        rows: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        for _ in range(min(batch_size, count - written)):
            event = rng.choice(events)
            moment = datetime.combine(
                event.date,
                time(rng.choices(hours, weights)[0], rng.randint(0, 59), rng.randint(0, 59)),
                STOCKHOLM,
            )
            pledge = demo_pledge(rng, content)
            row, commitments = signature_rows(
                pledge, event_id=event.id, consent=consent[pledge.language], now=moment, keys=keys
            )
            # Ids from the seeded generator, like everything else about the rows.
            row["id"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            rows.append(row)
            links.extend({**link, "signature_id": row["id"]} for link in commitments)
        with store.session() as session:
            session.execute(insert(Signature), rows)
            session.execute(insert(SignatureCommitment), links)
            session.commit()
        written += len(rows)
    return written
