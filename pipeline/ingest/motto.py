"""The Quốc hiệu and tiêu ngữ (`CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM`, `Độc lập - Tự do - Hạnh
phúc`, rules/layout.yaml) as OCR reads them: the line that opens a document's header and its
right column (NĐ 30/2020 Phụ lục I), recognised with its words damaged or run into the left
column's."""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline.rules import data
from pipeline.vietnamese import strip_marks

MOTTO_SHARE = 0.6                 # words of the Quốc hiệu an OCR-damaged line must still have
MOTTO_OPENING = 4                 # words that open the Quốc hiệu or tiêu ngữ: enough to know it


@lru_cache(maxsize=1)
def _motto_words() -> tuple[frozenset, ...]:
    layout = data("layout.yaml")
    return tuple(frozenset(_words(m)) for m in layout["national_motto"] + layout["motto"][:1])


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", strip_marks(text).casefold())


@lru_cache(maxsize=1)
def _motto_openings() -> tuple[tuple[str, ...], ...]:
    layout = data("layout.yaml")
    return tuple(tuple(_words(m)[:MOTTO_OPENING]) for m in layout["national_motto"] + layout["motto"][:1])


def motto_start(words: list[str]) -> int | None:
    """Where, after other words, the Quốc hiệu or tiêu ngữ begins in a line of words (`UBND
    TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI …`): it always opens the header's right column, so a
    reader that ran the two columns into one line is cut there. One word of its opening may
    be misread."""
    folded = [" ".join(_words(w)) for w in words]
    return next((k for k in range(1, len(folded)) if folded[k] and _opens(folded[k:])), None)


def opens_motto(text: str) -> bool:
    """Does `text` begin with the Quốc hiệu or tiêu ngữ (one word of its opening misread)?"""
    return _opens([" ".join(_words(w)) for w in text.split()])


def _opens(folded: list[str]) -> bool:
    seq = [w for w in folded if w][:MOTTO_OPENING]
    return any(len(seq) == len(o) and sum(a == b for a, b in zip(seq, o)) >= len(o) - 1
               for o in _motto_openings())


def motto_like(text: str) -> bool:
    """The Quốc hiệu or tiêu ngữ, however OCR damaged it (`CÔNG HOA XA HỘI CHỦ NGA VIẾT NAM`):
    most of its words, in a line not much longer than it."""
    words = _words(text)
    for motto in _motto_words():
        if len(words) <= 1.6 * len(motto) and len(motto & set(words)) >= MOTTO_SHARE * len(motto):
            return True
    return False
