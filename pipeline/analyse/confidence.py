"""How surely each field of a notice was read, and whether an archivist should check it.

A field is as sure as the line it was read from: OCR's confidence in that line's words (a
typed file's lines are sure), found by where the field stands (the header's columns, the
signature column) and what it says. A notice whose key fields (those NĐ 30/2020 Phụ lục VI
asks an archive to enter: issuer, number and symbol, date, signer) are missing or doubtful,
or whose handwritten fields could not be read, is flagged for review with the reasons.
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from typing import Optional

from pipeline.model import Block, Notice, Region
from pipeline.vietnamese import strip_marks

KEY_FIELDS = ("issuer", "number", "symbol", "issued_date", "signer_name")
SURE = 0.85                       # a key field read less surely than this is checked by a person

# where each field is read from: the regions looked in, first the likeliest
_WHERE = {
    "issuer": (Region.HEADER_LEFT,), "issuer_parent": (Region.HEADER_LEFT,),
    "number": (Region.HEADER_LEFT, Region.HEADER_RIGHT, Region.BODY),
    "symbol": (Region.HEADER_LEFT, Region.HEADER_RIGHT, Region.BODY),
    "place": (Region.HEADER_RIGHT, Region.HEADER_LEFT, Region.BODY),
    "issued_date": (Region.HEADER_RIGHT, Region.HEADER_LEFT, Region.BODY),
    "doc_type": (Region.BODY, Region.HEADER_LEFT), "subject": (Region.BODY, Region.HEADER_LEFT),
    "sign_authority": (Region.FOOTER_RIGHT,), "signed_for": (Region.FOOTER_RIGHT,),
    "signer_title": (Region.FOOTER_RIGHT,), "signer_name": (Region.FOOTER_RIGHT, Region.BODY),
}


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", strip_marks(text).lower()).strip()


def _value_keys(field: str, value) -> list[str]:
    """What the field's line says, in the form it is looked for."""
    if isinstance(value, dt.date):
        return ["ngay"]
    if field == "doc_type":
        return []
    words = _key(str(value)).split()
    # `TL. KT.` stands on two lines: each line holds one of its words
    return [" ".join(words[:1 if field == "sign_authority" else 3])] if words else []


def _line_confidence(block: Block) -> float:
    return 1.0 if block.confidence is None else block.confidence / 100.0


def field_confidence(notice: Notice, blocks: list[Block]) -> dict[str, float]:
    """Each header and signature field that has a value → how surely its line was read (a
    field without a value has none: the review looks for the key fields missing)."""
    values = {**notice.model_dump(include=set(_WHERE)), **notice.signature.model_dump(include=set(_WHERE))}
    out: dict[str, float] = {}
    for field, value in values.items():
        if value is None:
            continue                  # not read, or not there (a head signing in person)
        keys = _value_keys(field, value)
        found = _find(blocks, _WHERE[field], keys)
        out[field] = round(_line_confidence(found), 3) if found is not None else (1.0 if not keys else 0.5)
    return out


def _find(blocks: list[Block], regions: tuple, keys: list[str]) -> Optional[Block]:
    for region in regions:
        for b in blocks:
            if b.region == region and keys and all(k in _key(b.text) for k in keys):
                return b
    return None


def review_reasons(notice: Notice, confidence: dict[str, float], warnings: list[str]) -> list[str]:
    """Why a person should check the notice against the paper; empty when nothing calls for it."""
    reasons = []
    for field in KEY_FIELDS:
        if confidence.get(field, 0.0) == 0.0:
            reasons.append(f"no {field.replace('_', ' ')} was read")
        elif confidence[field] < SURE:
            reasons.append(f"{field.replace('_', ' ')} read at {confidence[field]:.0%}")
    reasons += [w for w in warnings if "could not be read surely" in w]
    return reasons


def item_confidence(blocks: list[Block], start: Optional[int]) -> Optional[float]:
    """How surely the line at a character offset of the text was read (None where unknown)."""
    if start is None:
        return None
    k = bisect_right([b.start for b in blocks], start) - 1
    return round(_line_confidence(blocks[k]), 3) if 0 <= k < len(blocks) else None
