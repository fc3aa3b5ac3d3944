"""Signature column (Nghị định 30/2020/NĐ-CP, Điều 13): authority words, on behalf of whom,
title, name. `TM. ỦY BAN NHÂN DÂN` / `KT. CHỦ TỊCH` / `PHÓ CHỦ TỊCH` / name →
`TM. KT.`, `Ủy ban nhân dân`, `Phó Chủ tịch`, name."""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline import rules
from pipeline.analyse.casing import body_case
from pipeline.analyse.text import fold_key
from pipeline.model import Signature


@lru_cache(maxsize=1)
def _authority_pattern() -> re.Pattern:
    """`TM.`, `KT.` (a dot, optional space after it) and party `T/M`, `K/T` (a space after)."""
    alts = []
    for row in sorted(rules.table("authorities.tsv"), key=lambda r: len(r["written"]), reverse=True):
        w = row["written"]
        alts.append(re.escape(w[:-1]) + r"\s*\." if w.endswith(".") else re.escape(w) + r"(?=\s)")
    return re.compile(r"^\s*(?P<word>" + "|".join(alts) + r")\s*(?P<rest>.*)$")


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def looks_like_name(text: str) -> bool:
    """A Vietnamese full name as signed: 2–6 capitalised syllables, no digits."""
    words = text.strip().split()
    if not 2 <= len(words) <= 6 or re.search(r"\d", text):
        return False
    return all(w[:1].isupper() for w in words) and not _is_upper(text)


def is_title(text: str) -> bool:
    """A post of the vocabulary (`GIÁM ĐỐC`, `Bộ trưởng`), not a body (`ỦY BAN NHÂN DÂN`)."""
    key = fold_key(text)
    return any(fold_key(row["title"]) == key for row in rules.table("titles.tsv"))


@lru_cache(maxsize=1)
def _titles_by_key() -> dict[str, str]:
    titles: dict[str, str] = {}
    for row in rules.table("titles.tsv"):
        titles.setdefault(fold_key(row["title"]), row["title"])
    return titles


def canonical_title(text: str) -> str:
    """A title as the vocabulary writes it (`PHÓ CHỦ TỊCH`, OCR's `PHO CHU TỊCH` →
    `Phó Chủ tịch`); one the vocabulary lacks (a body signed for: `ỦY BAN NHÂN DÂN`) is
    written as the decree writes a body's name."""
    return _titles_by_key().get(fold_key(text)) or body_case(text)


def lines_to_signature(lines: list[str]) -> Signature:
    authority = _authority_pattern()
    note = rules.pattern("header.jsonl", "signature_note")
    sig = Signature()
    words, fors, titles, name = [], [], [], None
    for raw in lines:
        line = re.sub(r"\s+", " ", raw).strip()
        if not line or note.match(line):
            continue
        m = authority.match(line)
        if m and not name:
            words.append(re.sub(r"\s+", "", m.group("word")))
            if m.group("rest"):
                fors.append(m.group("rest"))
            continue
        if _is_upper(line) and not name:
            titles.append(line)
            continue
        if looks_like_name(line):
            # no Vietnamese name ends in a lone marked or small letter (`Trần Ngọc Căng À`): that
            # is a stroke of the seal beside it (a form's `Nguyễn Văn A` keeps its A)
            name = re.sub(r"(?:\s+[^\W\dA-Z_])+$", "", line) if len(line.split()) > 2 else line
    if words:
        sig.sign_authority = " ".join(words)
        sig.signed_for = canonical_title(fors[0]) if fors else None
        # the innermost post signs when no separate title line follows (KT. CHỦ TỊCH / name,
        # Q. GIÁM ĐỐC / name): with one authority line only when it names a post, not a body
        if not titles and fors and (len(fors) > 1 or is_title(fors[-1])):
            titles = [fors[-1]]
    if titles:
        sig.signer_title = canonical_title(" ".join(titles))
    sig.signer_name = name
    return sig
