"""Quoted text in a body: which paragraphs an item quotes (an amending article's new wording,
`1. Sửa đổi khoản 2 Điều 5 như sau:` / `“2. Việc nhận kết quả…` / `a) …` / `b) …”.`).

Labels inside the quotes are the amended text's, not this document's (../shared/eval/README.md,
*What real files add*): body.py reads those paragraphs as the quoting item's continuation.
The quotation marks are data (rules/quotes.yaml).
"""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline import rules

# A quote that stays open longer than this is no amendment's wording: a whole article with its
# khoản and điểm replaced runs to a few dozen paragraphs, not a whole body.
MAX_QUOTED = 80


@lru_cache(maxsize=1)
def _marks() -> tuple[str, str, str, re.Pattern]:
    q = rules.data("quotes.yaml")
    closing = "".join(q["closing"]) + "".join(q["both"])
    end = re.compile(f"[{re.escape(closing)}]\\s*{q['after_close']}\\s*$")
    return "".join(q["opening"]), "".join(q["closing"]), "".join(q["both"]), end


def _opens_here(text: str, k: int, depth: int) -> bool:
    """Whether a straight `"` (OCR's and plain text's mark for both) at `k` opens a quote: it
    does before a word after a space or a bracket, it closes after a word; else it turns the
    quote's state over, as a typist's alternating marks do."""
    before = text[k - 1] if k else " "
    after = text[k + 1] if k + 1 < len(text) else " "
    if (before.isspace() or before in "([:") and not after.isspace():
        return True
    if not before.isspace() and (after.isspace() or not after.isalnum()):
        return False
    return depth == 0


def _depth(text: str, depth: int) -> tuple[int, int]:
    """How deep in quotes `text` leaves a reader who enters it `depth` deep, and where the last
    quote that is left open opened (-1 if none)."""
    opening, closing, both, _ = _marks()
    opened: list[int] = []
    for k, c in enumerate(text):
        if c in opening or (c in both and _opens_here(text, k, depth)):
            depth += 1
            opened.append(k)
        elif c in closing or c in both:
            depth = max(0, depth - 1)
            if opened:
                opened.pop()
    return depth, opened[-1] if opened else -1


def starts_quoted(text: str) -> bool:
    """The paragraph opens with a quotation mark: quoted wording, whose label (`“6. Việc…`)
    is not one of this document's."""
    opening, _, both, _ = _marks()
    t = text.lstrip()
    return bool(t) and (t[0] in opening or t[0] in both)


def _leaves_open(text: str) -> bool:
    """The paragraph opens a quote it does not close, at its start, right after a colon
    (`…như sau: “2. Việc…`) or after a sentence's end (`a) Nội dung tại Điều 1. “Bãi bỏ toàn
    bộ các Nghị quyết` / `1. Nghị quyết số 39…` / `2. … 2020-2021.”`, qngai-09-ttr): where
    quoted wording begins. A quote left open in mid-sentence (`tổ chức “Ngày hội` with its
    closing mark lost) is a typo, not a span."""
    depth, at = _depth(text, 0)
    if depth == 0 or at < 0:
        return False
    before = text[:at].rstrip()
    return not before or before.endswith((":", "."))


def _closes(text: str) -> bool:
    """The paragraph ends the quote it is read in: its closing mark at its end (`…”.`, `…”./.`,
    `…";`), not balanced by a mark of its own (`gọi là “Ngày hội”.` stays inside)."""
    return _depth(text, 1)[0] == 0 and bool(_marks()[3].search(text))


def _closing(texts: list[str], start: int) -> int | None:
    """The paragraph that closes the quote `texts[start]` opens; None when none does within
    MAX_QUOTED paragraphs, or another paragraph opens a quote first (each paragraph quoted on
    its own, or a stray mark that never closes)."""
    for j in range(start + 1, min(len(texts), start + 1 + MAX_QUOTED)):
        if starts_quoted(texts[j]):
            return None
        if _closes(texts[j]):
            return j
    return None


def quoted_paragraphs(texts: list[str]) -> set[int]:
    """Positions of the paragraphs that are quoted wording: those opening with a quotation mark,
    and those from one that leaves a quote open to the one that closes it.

    The rule that keeps ordinary text with short quoted names (`"Ngày hội"`) from swallowing the
    body: a quote counts as a span only where it opens at a paragraph's start or after a colon,
    and only once its closing mark is found at a later paragraph's end before another paragraph
    opens a quote and within MAX_QUOTED paragraphs. A quote that never closes leaves the
    paragraphs after it to be read as they are: their labels (the document's own `2.`, `Điều
    2.`) are items again."""
    out: set[int] = set()
    k = 0
    while k < len(texts):
        if starts_quoted(texts[k]):
            out.add(k)
        end = _closing(texts, k) if _leaves_open(texts[k]) else None
        if end is not None:
            out.update(range(k + 1, end + 1))
            k = end + 1
            continue
        k += 1
    return out
