"""Signature column (Nghị định 30/2020/NĐ-CP, Điều 13): authority words, on behalf of whom,
title, name. `TM. ỦY BAN NHÂN DÂN` / `KT. CHỦ TỊCH` / `PHÓ CHỦ TỊCH` / name →
`TM. KT.`, `Ủy ban nhân dân`, `Phó Chủ tịch`, name."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from pipeline import rules
from pipeline.analyse.casing import body_case
from pipeline.analyse.text import fold_key
from pipeline.model import Block, Signature
from pipeline.vietnamese import strip_marks


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


# A lone letter is no word of a signature column: a stroke of the seal or of the signature
# read as one (`F` under `CHỦ TỊCH`, `TL. CHỦ TỊCH ì`); so is a line with fewer letters than two
_STROKE_TAIL = re.compile(r"(?:\s+[^\W\dA-ZĐ_])+$")


def _strokes_dropped(line: str) -> str:
    if sum(c.isalpha() for c in line) < 2:
        return ""
    return _STROKE_TAIL.sub("", line) if _is_upper(line) else line


def blocks_to_signature(blocks: list[Block]) -> Signature:
    """The signature column's blocks → its fields (see `lines_to_signature`), the lines in
    capitals that stand under the space left for the signature, directly over the name, left
    out of the title: the signer's other post (`TRƯỞNG BAN` / … / `CHỦ TỊCH UBND TỈNH` /
    `Nguyễn Hoàng Giang`, qngai-04-qd-138), not the post signed in."""
    kept = [b for b in blocks if _strokes_dropped(b.text.strip())]
    space = _signature_space(kept)
    lines = []
    for k, b in enumerate(kept):
        if space is not None and k >= space and _is_upper(b.text) and not _authority_pattern().match(b.text.strip()):
            continue
        lines.append(b.text)
    return lines_to_signature(lines)


SIGNATURE_SPACE = 3.0              # a gap this many line heights tall is the space signed in


def _signature_space(blocks: list[Block]) -> int | None:
    """Where the lines after the space left for the signature begin (the last gap in the
    column with a line in capitals above it), when the column's geometry is known; None
    otherwise."""
    space = None
    for k in range(1, len(blocks)):
        a, b = blocks[k - 1], blocks[k]
        if not (a.bbox and b.bbox) or a.page != b.page:
            return None
        line = min(a.bbox.y1 - a.bbox.y0, b.bbox.y1 - b.bbox.y0)
        if b.bbox.y0 - a.bbox.y1 >= SIGNATURE_SPACE * line and any(_is_upper(x.text) for x in blocks[:k]):
            space = k
    return space


def lines_to_signature(lines: list[str]) -> Signature:
    authority = _authority_pattern()
    note = rules.pattern("header.jsonl", "signature_note")
    sig = Signature()
    words, fors, titles, name = [], [], [], None
    for raw in lines:
        line = _strokes_dropped(re.sub(r"\s+", " ", raw).strip())
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


def misread_title(sig: Signature) -> Optional[str]:
    """A warning when the signer's title has a lone consonant letter in it (`Chủ T chủ`: `K/T
    CHỦ TỊCH` / `PHÓ CHỦ TỊCH` cut by a seal, caobang-ubnd-qd-157-1999): no post, OCR read part
    of it only (an abbreviation such as `HĐND` is more than one letter). The title is then left
    blank."""
    if sig.signer_title and _misread(sig.signer_title):
        read, sig.signer_title = sig.signer_title, None
        return f"the signer's title could not be read surely (read `{read}`); left blank"
    return None


def _misread(title: str) -> bool:
    return any(len(w) == 1 and not re.search(r"[aeiouy]", strip_marks(w).lower()) for w in title.split())
