"""Bodies and units named in a notice (`Sở Tài chính`, `Phòng Quản lý Khoa học`, `UBND tỉnh
Quảng Ngãi`, `Bộ Ngoại giao`), normalised through the abbreviations of `rules/abbreviations.tsv`,
and the unit a task sentence opens with.

The names are read by the spaCy pipeline of `pipeline/analyse/nlp.py`, whose patterns are the
data of `rules/entities.jsonl`: a name opens with head words of `rules/org_heads.txt` and runs
on over capitalised and lower-case syllables, `và`, `,` and `-` (`Phòng Quản lý Công nghệ, thị
trường công nghệ và chuyên ngành`), or over the level words of local government (`UBND các
huyện, thị xã, thành phố`); it ends at punctuation, a title, a person, another head, or a word
of `rules/task_roles.tsv` that opens the predicate (`Sở Tài chính | chủ trì`). The text is
tokenized once per call. Abbreviations and OCR-mended heads stay vocabulary lookups.

    find_organisations(text, offset=0) -> [Organisation]
    expand_abbreviations(s) -> str
    unit_at_start(sentence) -> str | None
    canonical_head(name) -> str
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from pipeline import rules
from pipeline.analyse import nlp
from pipeline.analyse.text import fold_key, norm_space, phrase_alternation, span
from pipeline.vietnamese import tone_new_style
from pipeline.model import Organisation

@lru_cache(maxsize=1)
def openers() -> re.Pattern:
    """The verb of assigning a task sentence opens with before its unit (the openers of
    rules/task_subjects.tsv: `Giao`, `Đề nghị`, `Gửi cho`), and the post of the unit's head
    after it (`Giao Giám đốc Sở…`), as an optional prefix."""
    words = phrase_alternation(r["phrase"] for r in rules.table("task_subjects.tsv") if r["kind"] == "opener")
    return re.compile(rf"^\s*(?:(?:{words})(?:\s+(?:Giám\s+đốc|Thủ\s+trưởng|Chủ\s+tịch|Trưởng\s+ban|Chánh\s+Văn\s+phòng))?"
                      r"\s*:?\s+)?", re.I)


_TRIM = " ,-–"


@lru_cache(maxsize=None)
def _vocab():
    abbr = {r["abbreviation"]: r["expansion"] for r in rules.table("abbreviations.tsv")}
    abbr_re = re.compile(r"(?<![\w&.\-/])(?:" + phrase_alternation(abbr) + r")(?![\w&]|[\-/]\w)")
    return abbr, abbr_re


def expand_abbreviations(s: str) -> str:
    """`Trung tâm Ứng dụng và DVKH&CN` → `Trung tâm Ứng dụng và Dịch vụ Khoa học và Công nghệ`;
    `GĐ Sở` → `Giám đốc Sở`; `UBND tỉnh` → `Ủy ban nhân dân tỉnh`."""
    abbr, abbr_re = _vocab()
    return norm_space(abbr_re.sub(lambda m: abbr[re.sub(r"\s+", " ", m.group(0))], s))


def _kind(name: str) -> str:
    """The kind of a body by the longest head of rules/org_kinds.tsv its name opens with
    (`Công ty` a company, `Công an` the police), `body` when none does."""
    key = tone_new_style(name.replace("Uỷ", "Ủy"))
    return next((kind for head, kind in _kinds() if key == head or key.startswith(head + " ")), "body")


@lru_cache(maxsize=1)
def _kinds() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(((r["head"], r["kind"]) for r in rules.table("org_kinds.tsv")),
                        key=lambda hk: len(hk[0]), reverse=True))


def find_organisations(text: str, offset: int = 0) -> list[Organisation]:
    """Every body or unit named in `text`, distinct by normalised name, in text order."""
    out, seen = [], set()
    for ent in nlp.organisations(text):
        raw = ent.text
        name = norm_space(raw).rstrip(_TRIM)
        if not name:
            continue
        normalised, key = _normalised(name)
        if key in seen:
            continue
        seen.add(key)
        end = ent.start + len(raw.rstrip(_TRIM + "\n\t"))
        out.append(Organisation(name=name, normalised=normalised, kind=_kind(name),
                                span=span(ent.start, end, offset)))
    return out


@lru_cache(maxsize=4096)
def _normalised(name: str) -> tuple[str, str]:
    """A name with its abbreviations expanded, and its comparison key. Cached: the same
    bodies come back notice after notice."""
    normalised = expand_abbreviations(name)
    return normalised, fold_key(normalised)


def unit_at_start(sentence: str) -> Optional[str]:
    """The unit a task sentence opens with: `Sở Y tế chủ trì…` → `Sở Y tế`; `Giao Sở Tài chính
    …` → `Sở Tài chính`; `Bộ Ngoại giao làm thủ tục …` → `Bộ Ngoại giao`; `Đồng ý cử Đoàn…` →
    None. The name is returned as written."""
    o = openers().match(sentence)
    rest = sentence[o.end() if o else 0:]
    lead = len(rest) - len(rest.lstrip())
    if not nlp.may_open_org(rest):
        return None
    ents = nlp.organisations(rest)
    if not ents or ents[0].start != lead:
        # a body whose name runs on in lower case after a head of several words, over words
        # that elsewhere open a predicate (`Ban Quản lý dự án đầu tư xây dựng thành phố chủ
        # trì…`): the name is all before the role the sentence gives it
        m = _named_to_role().match(rest)
        return norm_space(m.group("unit")) if m else None
    return norm_space(ents[0].text).rstrip(_TRIM) or None


@lru_cache(maxsize=1)
def _named_to_role() -> re.Pattern:
    heads = phrase_alternation(h for h in rules.words("org_heads.txt") if " " in h)
    roles = phrase_alternation({r["phrase"] for r in rules.table("task_roles.tsv") if r["kind"] in ("role", "urgency")})
    return re.compile(rf"^\s*(?P<unit>(?:{heads})(?:\s+[^\s,;:.()]+){{1,12}}?)\s+(?:{roles})(?!\w)")


@lru_cache(maxsize=None)
def _heads() -> tuple[tuple[str, str], ...]:
    """The head words of rules/org_heads.txt, longest first, each with its comparison key."""
    return tuple((h, fold_key(h)) for h in sorted(rules.words("org_heads.txt"), key=len, reverse=True))


@lru_cache(maxsize=None)
def _known_bodies() -> dict[str, str]:
    return {fold_key(name): name for name in rules.words("bodies.txt")}


def known_body(name: str) -> str:
    """A body's name as rules/bodies.txt spells it when OCR misread only its diacritics
    (`Sơ Nọi Vụ` → `Sở Nội vụ`); a name that differs from it in case alone stays as written."""
    known = _known_bodies().get(fold_key(name))
    if known is None or known.casefold() == norm_space(name).casefold():
        return name
    return known


def canonical_head(name: str) -> str:
    """Mend an OCR slip in the head word of a unit's name (`Chỉ cục Tiêu chuẩn…` →
    `Chi cục Tiêu chuẩn…`) by the vocabulary of head words. Only where the words after it
    are a name (capitalised) or the head has two syllables, so `Bố trí kinh phí` stays."""
    key = fold_key(name)
    for head, hk in _heads():
        if not key.startswith(hk + " "):
            continue
        if name.startswith(head):
            return known_body(name)
        known = known_body(name)
        if known != name:
            return known
        rest = name[len(head):].lstrip()
        # a capital after a one-syllable head says "name" only where not everything is in
        # capitals (`SỐ HÓA HỒ SƠ` is no `Sở`)
        if " " in head.strip() or (rest[:1].isupper() and name != name.upper()):
            return known_body(head + name[len(head):])
        return name
    return name
