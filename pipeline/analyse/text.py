"""Small text helpers shared by the entity finders: fold diacritics, fold spaces, build spans.

Every helper that changes characters keeps the length of the text, so that an offset found
in the folded text is an offset in the original (`fold`, `one_line`).
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from functools import lru_cache
from typing import Iterable, Optional

from pipeline.model import Span
from pipeline.vietnamese import strip_marks

_SPACES = re.compile(r"\s+")


def phrase_alternation(phrases: Iterable[str]) -> str:
    """A regex alternative of vocabulary phrases, longest first (so `Chủ tịch nước` wins over
    `Chủ tịch`), each space matching any run of white space as a wrapped line leaves it."""
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))


def fold(s: str) -> str:
    """Drop Vietnamese diacritics and read đ as d, one character for one: `Sở Tài chính` → `So Tai chinh`."""
    return strip_marks(s)


def fold_key(s: str) -> str:
    """A comparison key: folded, lower case, runs of spaces as one, `Ð` read as `Đ`."""
    return norm_space(fold(s)).lower()


def norm_space(s: str) -> str:
    """Runs of white space (line breaks included) as one space, ends stripped."""
    return _SPACES.sub(" ", s).strip()


def one_line(s: str) -> str:
    """Line breaks and tabs as spaces, keeping the length."""
    return s.replace("\r", " ").replace("\n", " ").replace("\t", " ")


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s).replace("\u00d0", "Đ")


def span(start: int, end: int, offset: int = 0, block: Optional[int] = None,
         page: Optional[int] = None) -> Span:
    """A Span of [start, end) in a text that itself starts at `offset` in the document."""
    return Span(start=start + offset, end=end + offset, block=block, page=page)


# OCR reads 1 as l, I or Ì and 0 as O; only used inside a date's fixed frame
_OCR_DIGITS = str.maketrans({"l": "1", "I": "1", "Ì": "1", "í": "1", "|": "1", "]": "1", "[": "1", "O": "0", "o": "0"})


def ocr_int(s: str) -> Optional[int]:
    """`l7` → 17, `lÌ` → 11; None when anything else than a digit or a known misread is left."""
    t = s.translate(_OCR_DIGITS)
    return int(t) if t.isdigit() else None


def overlaps(start: int, end: int, taken: Iterable[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in taken)


class Taken:
    """Stretches of a text that matches have claimed, none overlapping another, so whether a
    new one overlaps any is one binary search (a notice has dozens of dates)."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in spans:
            self.add(start, end)

    def overlaps(self, start: int, end: int) -> bool:
        # the stretch starting last before `end` ends last of those: no other can reach `start`
        i = bisect_left(self.starts, end)
        return i > 0 and self.ends[i - 1] > start

    def add(self, start: int, end: int) -> None:
        i = bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def is_capitalised(word: str) -> bool:
    """`Nguyễn` yes; `UBND`, `nguyễn`, `1` no."""
    return len(word) > 0 and word[0].isupper() and (len(word) == 1 or word[1:].islower())
