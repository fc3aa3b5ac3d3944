"""Fold Vietnamese text for search: lower case, no diacritics, `đ`/`Đ` → `d`.

DuckDB's `strip_accents` keeps `đ` (it is a letter of its own, not a `d` with a mark), so the
folding is done here, in Python, both for the indexed columns and for every query.
"""
from __future__ import annotations

import unicodedata

_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "Ð": "d", "ð": "d", "Ɖ": "d", "ɖ": "d"})


def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch.translate(_EXTRA))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def fold(text: str | None) -> str:
    """`Kế hoạch Khoa học ĐÀ NẴNG` → `ke hoach khoa hoc da nang`."""
    if not text:
        return ""
    return "".join(_fold_char(c) for c in text)


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Fold `text` and return, for each folded character, the offset of the character it came from."""
    out, where = [], []
    for i, ch in enumerate(text):
        f = _fold_char(ch)
        out.append(f)
        where.extend([i] * len(f))
    return "".join(out), where
