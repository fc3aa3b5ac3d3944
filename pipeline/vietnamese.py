"""Vietnamese letters: what the stages share about how a syllable is written.

`strip_marks` reads a text as a reader who ignores tone and vowel marks would (`Sở Tài chính`
→ `So Tai chinh`), one character for one, so an offset found in its output is an offset in
the input.
"""
from __future__ import annotations

import re
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


# Old and new tone placement spell one syllable (`hoà` = `hòa`, `Uỷ` = `Ủy`): the new places
# the mark on the first vowel of an open oa, oe or uy (not after q, where u belongs to the
# consonant). Both are correct Vietnamese; things compared or grouped use one.
# The mark must end the syllable: in `luận`, `hoặc` (NFD `a` + dot below + circumflex) a
# vowel's own hat follows the tone, and the syllable is not an open oa/oe/uy at all.
_OLD_TONE = re.compile(r"(?<![qQ])([oOuU])([aAeEyY])([\u0300\u0301\u0303\u0309\u0323])(?![\w\u0300-\u036f])")


def tone_new_style(text: str) -> str:
    """`hoà` → `hòa`, `Uỷ ban` → `Ủy ban`; everything else as it was."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFD", text)
        moved = _OLD_TONE.sub(lambda m: m.group(1) + m.group(3) + m.group(2), decomposed)
        if moved != decomposed:
            return unicodedata.normalize("NFC", moved)
    return text
