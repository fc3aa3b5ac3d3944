"""The parts of a file of pages: the notice, what was issued with it, what was filed with it.

An archive's file often holds more than the notice: a Kế hoạch or Quy chế issued with a
decision ("ban hành kèm theo Quyết định số …") and, in a dossier, the phiếu trình, the draft
or the citizen's application it answered. Each such document opens on a page of its own with
a header (the Quốc hiệu, the issuer) or a `PHỤ LỤC`, after the notice's own footer. What was
issued with the notice says so in its title block (`kèm theo`); anything else is the dossier.
Pages that open no document continue the one before them.
"""
from __future__ import annotations

import re

from pipeline.ingest.layout import Line, fold
from pipeline.ingest.motto import motto_like
from pipeline.vietnamese import strip_marks

NOTICE, ATTACHMENT, DOSSIER = "notice", "attachment", "dossier"
TOP_ROWS = 8                      # a document's header stands in the first rows of its page
TITLE_ROWS = 14                   # …and its title block, with `(Kèm theo …)`, a few rows further

_ISSUED_WITH = re.compile(r"\bkem\s+theo\b")
_ANNEX = re.compile(r"^\s*phu\s+luc\b")
_DRAFT = re.compile(r"\bdu\s+thao\b")


def opens_document(rows: list[list[Line]]) -> bool:
    top = [" ".join(ln.text for ln in row) for row in rows[:TOP_ROWS]]
    return any(motto_like(ln.text) for row in rows[:TOP_ROWS] for ln in row) \
        or any(_ANNEX.match(strip_marks(fold(t))) for t in top)


def says_issued_with(text: str) -> bool:
    """A title line that says what the document was issued with (`(Kèm theo Quyết định …)`)."""
    return bool(_ISSUED_WITH.search(strip_marks(fold(text))))


def _issued_with(rows: list[list[Line]]) -> bool:
    title = strip_marks(fold(" ".join(ln.text for row in rows[:TITLE_ROWS] for ln in row)))
    return bool(_ISSUED_WITH.search(title) or _ANNEX.search(title)) and not _DRAFT.search(title)


def page_parts(rows: list[list[list[Line]]], footer_seen) -> list[str]:
    """The part each page belongs to. `rows` are each page's rows; `footer_seen(rows)` says
    whether a page holds a footer mark (`Nơi nhận`, an authority line), after which another
    document may begin."""
    opening = [n for n in range(1, len(rows)) if opens_document(rows[n])]
    if not opening:
        return [NOTICE] * len(rows)          # the common case: no page opens another document
    kinds: list[str] = []
    footer = False
    for n, page_rows in enumerate(rows):
        if n in opening and footer:
            kinds.append(ATTACHMENT if _issued_with(page_rows) else DOSSIER)
        else:
            kinds.append(kinds[-1] if kinds else NOTICE)
        footer = footer or footer_seen(page_rows)
    return kinds
