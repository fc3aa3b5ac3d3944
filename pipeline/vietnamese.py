"""Vietnamese letters: what the stages share about how a syllable is written.

`strip_marks` reads a text as a reader who ignores tone and vowel marks would (`Sở Tài chính`
→ `So Tai chinh`), one character for one, so an offset found in its output is an offset in
the input.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c in "đĐÐ":
        return "d" if c == "đ" else "D"
    base = unicodedata.normalize("NFD", c)[0]
    return base if len(base) == 1 else c


class _FoldTable(dict):
    """`str.translate` table of `_fold_char`, filled on first sight of each character: one
    C call a string instead of a Python call a character."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
        self[code] = folded = _fold_char(c) if code > 127 else c
        return folded


_FOLD = _FoldTable()


def strip_marks(s: str) -> str:
    """Drop Vietnamese diacritics and read đ as d, one character for one: `Sở Tài chính` → `So Tai chinh`."""
    return s.translate(_FOLD)
