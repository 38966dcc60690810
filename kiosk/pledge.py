"""A signer's pledge as typed on screen, and the rules it must pass.

No Qt here: the flow controller calls these functions and shows the
returned message keys next to the fields, in the signer's language.
Sanitising happens here too, once, so every path into the store gets the
same treatment: Unicode normalised to NFC, control characters and bidi
overrides removed (they can disguise a name on a printed summary), white
space collapsed, lengths bounded.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

NAME_MAX = 100
EMAIL_MAX = 254
# Zero-width joiner and non-joiner are format characters that Persian,
# Arabic and Indic names legitimately need; every other format character
# (bidi embeddings, overrides and isolates, invisible separators) is dropped.
_KEEP_FORMAT_CHARS = {"\u200c", "\u200d"}
_EMAIL_PATTERN = re.compile(r"^[^@\s]{1,64}@(?=.{1,253}$)[^@\s.]+(\.[^@\s.]+)*\.[^@\s.]{2,}$")
_POSTCODE_PATTERN = re.compile(r"^([1-9]\d{2})\s?(\d{2})$")

# Signature strokes are stored in a 0..1000 square, whatever the pad's size.
PAD_SCALE = 1000
MIN_SIGNATURE_EXTENT = 40  # a bounding box this wide or tall in pad units
MIN_SIGNATURE_LENGTH = 120  # total pen travel in pad units
MAX_STROKE_POINTS = 5000

Point = tuple[int, int]
Stroke = tuple[Point, ...]


def clean_text(value: str, max_length: int) -> str:
    """Normalise, strip invisible controls and collapse white space."""
    value = unicodedata.normalize("NFC", value)
    kept = []
    for char in value:
        category = unicodedata.category(char)
        if category in ("Zl", "Zp") or char in "\t\n\r":
            kept.append(" ")
        elif category == "Cc" or (category == "Cf" and char not in _KEEP_FORMAT_CHARS):
            continue
        elif category in ("Cs", "Co", "Cn"):
            continue
        else:
            kept.append(char)
    collapsed = " ".join("".join(kept).split())
    return collapsed[: max_length + 1] if len(collapsed) > max_length else collapsed


def normalise_postcode(value: str) -> str | None:
    """'25221' or '252 21' -> '252 21'; None when it is not a Swedish postcode."""
    match = _POSTCODE_PATTERN.match(value.strip())
    if not match:
        return None
    return f"{match.group(1)} {match.group(2)}"


@dataclass(frozen=True)
class Details:
    """What the signer typed and ticked on the details screen, already cleaned."""

    name: str
    email: str | None = None
    postcode: str | None = None
    lives_or_works_in_helsingborg: bool = False
    community_opt_in: bool = False
    helper_opt_in: bool = False
    consent: bool = False


@dataclass(frozen=True)
class Pledge:
    """A complete pledge, ready to be stored."""

    commitments: tuple[str, ...]
    details: Details
    strokes: tuple[Stroke, ...]
    language: str = "sv"


@dataclass
class DetailsCheck:
    """The cleaned details and a message key per field that failed."""

    details: Details
    errors: dict[str, tuple[str, dict[str, object]]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def check_commitments(chosen: list[str] | tuple[str, ...]) -> str | None:
    """Message key when nothing is chosen, else None."""
    return None if chosen else "commitments.error_none"


def check_details(
    *,
    name: str,
    email: str = "",
    postcode: str = "",
    lives_or_works_in_helsingborg: bool = False,
    community_opt_in: bool = False,
    helper_opt_in: bool = False,
    consent: bool = False,
) -> DetailsCheck:
    errors: dict[str, tuple[str, dict[str, object]]] = {}
    clean_name = clean_text(name, NAME_MAX)
    if not clean_name:
        errors["name"] = ("details.error_name_required", {})
    elif len(clean_name) > NAME_MAX:
        errors["name"] = ("details.error_name_too_long", {"max": NAME_MAX})

    # A space inside an address is refused, not removed: joining the parts
    # could silently turn a typo into somebody else's address.
    clean_email = clean_text(email, EMAIL_MAX)
    if len(clean_email) > EMAIL_MAX:
        errors["email"] = ("details.error_email_too_long", {})
    elif clean_email and not _EMAIL_PATTERN.match(clean_email):
        errors["email"] = ("details.error_email_invalid", {})

    clean_postcode: str | None = None
    if postcode.strip():
        clean_postcode = normalise_postcode(clean_text(postcode, 10))
        if clean_postcode is None:
            errors["postcode"] = ("details.error_postcode_invalid", {})

    if not consent:
        errors["consent"] = ("details.error_consent_required", {})

    details = Details(
        name=clean_name[:NAME_MAX],
        email=clean_email or None,
        postcode=clean_postcode,
        lives_or_works_in_helsingborg=lives_or_works_in_helsingborg,
        community_opt_in=community_opt_in,
        helper_opt_in=helper_opt_in,
        consent=consent,
    )
    return DetailsCheck(details, errors)


def normalise_strokes(
    strokes: list[list[tuple[float, float]]], width: float, height: float
) -> tuple[Stroke, ...]:
    """Scale pad coordinates into the 0..1000 square, dropping empty strokes.

    Only the points are kept: no timing, no pressure, nothing that could
    serve as a biometric beyond the drawn shape.
    """
    scale = PAD_SCALE / max(width, height, 1.0)
    result: list[Stroke] = []
    for stroke in strokes:
        points: list[Point] = []
        for x, y in stroke[:MAX_STROKE_POINTS]:
            point = (
                min(PAD_SCALE, max(0, round(x * scale))),
                min(PAD_SCALE, max(0, round(y * scale))),
            )
            if not points or points[-1] != point:
                points.append(point)
        if points:
            result.append(tuple(points))
    return tuple(result)


def check_strokes(strokes: tuple[Stroke, ...]) -> str | None:
    """Message key when the pad is empty or holds only a dot or a tiny scribble."""
    points = [p for stroke in strokes for p in stroke]
    if not points:
        return "sign.error_empty"
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    extent = max(max(xs) - min(xs), max(ys) - min(ys))
    travel = sum(
        math.dist(a, b) for stroke in strokes for a, b in zip(stroke, stroke[1:], strict=False)
    )
    if extent < MIN_SIGNATURE_EXTENT or travel < MIN_SIGNATURE_LENGTH:
        return "sign.error_too_small"
    return None


def postcode_area(postcode: str | None) -> str | None:
    """The first three digits: enough for statistics, not enough to find a home."""
    return postcode[:3] if postcode else None
