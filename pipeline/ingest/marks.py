"""Marks: what on a page is not the notice, set aside with what it tells.

A digital-signature box (`Ký bởi: …`, `Thời gian ký: …`), an incoming-document stamp (`CÔNG
VĂN ĐẾN`, `Số: 2352`, `Ngày: 21/3/18`), a picture laid over the page. Lines are gathered into
marks by where they stand (a box is a tight cluster of small lines); what each line says is
read by the rules of rules/page_marks.jsonl, so a new portal's box or another archive's
stamp is a line of data, not code.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Optional

from pipeline import rules
from pipeline.ingest.layout import Run, clean
from pipeline.model import BBox, Mark, MarkKind

_RULES = "page_marks.jsonl"
# fields that make a cluster of lines a signature box, and those that make it a stamp
_BOX_FIELDS = {"signed_by", "agency", "signed_at", "email"}
_STAMP_FIELDS = {"received_heading", "received_number", "received_date", "forwarded_to"}


@lru_cache(maxsize=1)
def _field_rules() -> tuple[tuple[str, re.Pattern], ...]:
    return tuple((r.kind or r.id, r.compile()) for r in rules.pattern_rules(_RULES))


def read_fields(lines: list[str]) -> dict[str, str]:
    """What a mark's lines say, field by field (the first line that says it wins); dates and
    times in ISO form when they can be read."""
    out: dict[str, str] = {}
    for line in lines:
        for kind, pattern in _field_rules():
            m = pattern.match(line)
            if m and kind not in out:
                out[kind] = _normalise(kind, m.group("value"))
                break
    return out


def _normalise(kind: str, value: str) -> str:
    value = clean(value)
    if kind == "signed_at":
        m = re.match(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?", value)
        if m:
            d, mo, y, hh, mm, ss = (int(g or 0) for g in m.groups())
            try:
                return dt.datetime(y, mo, d, hh, mm, ss).isoformat()
            except ValueError:
                return value
    if kind == "received_date":
        return _stamp_date(value) or value
    return value


def _stamp_date(value: str) -> Optional[str]:
    """`21/3/18` → `2018-03-21`: a stamp writes the year in two digits, or leaves it out."""
    parts = [int(p) for p in re.findall(r"\d+", value)]
    if len(parts) != 3:
        return None
    d, m, y = parts
    y = y + 2000 if y < 100 else y
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def kind_of(fields: dict[str, str]) -> Optional[MarkKind]:
    """A stamp when its lines say what a stamp says, a box when they say what a box says."""
    if _STAMP_FIELDS & fields.keys() and ("received_heading" in fields or len(_STAMP_FIELDS & fields.keys()) >= 2):
        return MarkKind.STAMP
    if _BOX_FIELDS & fields.keys():
        return MarkKind.BOX
    return None


def runs_to_marks(runs: list[Run], kind: MarkKind = MarkKind.BOX) -> list[Mark]:
    """Lines a program drew over a page → one mark per cluster of lines that stand together
    (a box's lines are a line apart, two boxes are further apart than that)."""
    clusters: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (r.page, r.y0, r.x0)):
        if not clean(run.text):
            continue
        home = next((c for c in clusters if _near(c, run)), None)
        if home is None:
            clusters.append([run])
        else:
            home.append(run)
    return [lines_mark(c, kind) for c in clusters]


def lines_mark(runs: list[Run], default: MarkKind, confidence: Optional[float] = None) -> Mark:
    """One mark from its lines, of the kind its fields say (else `default`)."""
    runs = sorted(runs, key=lambda r: (r.y0, r.x0))
    box = (min(r.x0 for r in runs), min(r.y0 for r in runs), max(r.x1 for r in runs), max(r.y1 for r in runs))
    return text_mark(runs[0].page, box, [r.text for r in runs], default, confidence)


def text_mark(page_no: int, box: tuple[float, float, float, float], lines: list[str],
              default: MarkKind = MarkKind.BOX, confidence: Optional[float] = None) -> Mark:
    """A mark of the kind its lines say (else `default`), standing in `box` (x0, y0, x1, y1)."""
    lines = [c for c in map(clean, lines) if c]
    fields = read_fields(lines)
    return Mark(kind=kind_of(fields) or default, page=page_no, text="\n".join(lines), fields=fields,
                bbox=_bbox(box), confidence=confidence)


def _bbox(box: tuple[float, float, float, float]) -> BBox:
    x0, y0, x1, y1 = box
    return BBox(x0=round(min(x0, x1), 1), y0=round(min(y0, y1), 1), x1=round(max(x0, x1), 1),
                y1=round(max(y0, y1), 1))


def _near(cluster: list[Run], run: Run) -> bool:
    for other in cluster:
        if other.page != run.page:
            continue
        em = max(other.y1 - other.y0, run.y1 - run.y0, 1.0)
        down = run.y0 - other.y1
        across = min(other.x1, run.x1) - max(other.x0, run.x0)
        if -em <= down <= 1.0 * em and across > -2 * em:
            return True
    return False


def image_mark(page_no: int, box: tuple[float, float, float, float]) -> Mark:
    return Mark(kind=MarkKind.IMAGE, page=page_no, bbox=_bbox(box))
