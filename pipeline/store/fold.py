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


class _FoldTable(dict):
    """Code point → folded text, filled on first sight: `str.translate` then folds a whole
    notice in C instead of one Python call per character (the writer folds every text)."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_TABLE = _FoldTable()


def fold(text: str | None) -> str:
    """`Kế hoạch Khoa học ĐÀ NẴNG` → `ke hoach khoa hoc da nang`."""
    if not text:
        return ""
    return text.translate(_TABLE)


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Fold `text` and return, for each folded character, the offset of the character it came from."""
    out, where = [], []
    for i, ch in enumerate(text):
        f = _fold_char(ch)
        out.append(f)
        where.extend([i] * len(f))
    return "".join(out), where
