"""The subject of a task sentence or a section heading: the unit, or the units, it tasks.

NĐ 30/2020 writes a task as a sentence whose subject names who acts and whose predicate says
what (`Sở Y tế chủ trì…`, `Các sở, ban ngành và đơn vị liên quan trên địa bàn tỉnh có trách
nhiệm…`). The subject opens with a unit (a body's name, a head word, a post, `Các` and a
collective noun), after an opener (`Giao`, `Đề nghị`), and runs to the first predicate word
of rules/task_roles.tsv, a colon or a line break, over further names, collective nouns and
the joiners of rules/task_subjects.tsv; any other word ends it as no subject.

    subject_unit(text) -> str | None
    framed_unit(text) -> str | None       # after `Căn cứ …;` / `Trên cơ sở …,`
    opens_collective(text) -> bool
    predicates() -> str                   # regex alternative of the predicate words
    post_titles() -> str                  # regex alternative of the heads' posts
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple, Optional

from pipeline import rules
from pipeline.analyse import nlp
from pipeline.analyse.organisations import openers, unit_at_start
from pipeline.analyse.text import norm_space, phrase_alternation


@lru_cache(maxsize=1)
def predicates() -> str:
    """The words of rules/task_roles.tsv that open a predicate or stand before it (`có trách
    nhiệm`, `chủ trì`, `thực hiện`, `trong phạm vi`), as a regex alternative."""
    return phrase_alternation({r["phrase"] for r in rules.table("task_roles.tsv") if r["kind"] != "stop"})


@lru_cache(maxsize=1)
def post_titles() -> str:
    """The posts of a unit's head a task names as who acts (`Giám đốc`, `Thủ trưởng`, `Chánh
    Thanh tra`): the heads of rules/titles.tsv (state and unit posts; deputies and members are
    not tasked), as a regex alternative."""
    return phrase_alternation({r["title"] for r in rules.table("titles.tsv") if r["kind"] in ("state", "unit")
                               and not r["title"].startswith(("Phó", "Ủy viên"))})


class _Vocab(NamedTuple):
    plural: re.Pattern          # `Các sở`, `Những doanh nghiệp`
    frame: re.Pattern           # `Căn cứ`, `Trên cơ sở` opening a sentence
    opener: re.Pattern          # `, giao` / `; đề nghị` after a frame
    heads: tuple[str, ...]      # head words in lower case, longest first
    allowed: frozenset          # collective nouns and joiners


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    rows = rules.table("task_subjects.tsv")

    def alt(kind: str) -> str:
        return phrase_alternation(r["phrase"] for r in rows if r["kind"] == kind)
    return _Vocab(re.compile(rf"^(?:Các|Những)\s+(?:{alt('collective')})(?!\w)"),
                  re.compile(rf"^\s*(?:{alt('frame')})(?!\w)"),
                  re.compile(rf"[,;]\s*(?=(?:{alt('opener')})\s)", re.I),
                  tuple(h.lower() for h in sorted(rules.words("org_heads.txt"), key=len, reverse=True)),
                  frozenset(r["phrase"] for r in rows if r["kind"] in ("collective", "joiner")))


def opens_collective(text: str) -> bool:
    """`Các doanh nghiệp`, `Các sở, ban ngành…`: a plural of units by a collective noun."""
    return bool(_vocab().plural.match(text))


SUBJECT_MAX_WORDS = 30      # a subject longer than this is no list of units but a clause


@lru_cache(maxsize=1)
def _boundary() -> re.Pattern:
    """Where a subject ends: a predicate, role or adverbial word of rules/task_roles.tsv, or a
    colon (`Ngân hàng Nhà nước … Chi nhánh tỉnh Quảng Ngãi: Chỉ đạo…`)."""
    return re.compile(r"(?<!\w)(?:" + predicates() + r")(?!\w)|:|\n", re.I)


# `các tổ chức`: a quantifier makes the word after it a noun; `xây dựng huyện Mộ Đức`: a
# word of a name before the place the body serves
_QUANTIFIED = re.compile(r"(?<!\w)(?:các|những)\s+$", re.I)
_NAMES_PLACE = re.compile(r"\s+(?:tỉnh|huyện|xã|quận|phường|thị\s+xã|thị\s+trấn|thành\s+phố)\s+[A-ZĐ]")
# `Giám đốc các Sở: Tài chính, Xây dựng`: a colon after a plural head lists its names
_LIST_COLON = re.compile(r"(?<!\w)(?:các|những)\s+\w+\s*$", re.I)
_NOT_IN_SUBJECT = re.compile(r"[.()\"“”!?]")


@lru_cache(maxsize=2048)
def subject_unit(text: str) -> Optional[str]:
    """All a task sentence names before its predicate, when it opens with a unit (a body, a
    head word, a post, `Các` and a collective noun): `Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh
    và các tổ chức, đoàn thể tỉnh thực hiện…`, `Thủ trưởng các sở, ngành của tỉnh, Chủ tịch
    Ủy ban nhân dân các huyện, thành phố trong phạm vi…`, `Đề nghị Tòa án nhân dân tỉnh; Viện
    kiểm sát nhân dân tỉnh:`. None when no predicate ends it within a list's length."""
    o = openers().match(text)
    at = o.end() if o else 0
    found = _opening_end(text, at)
    if found is None:
        return None
    opening, runs_on = found
    for m in _boundary().finditer(text, opening):
        if not _ends_subject(text, m, opening if runs_on else None):
            continue
        subject = text[at:m.start()].rstrip(" ,;-–")
        if (_NOT_IN_SUBJECT.search(subject) or len(subject.split()) > SUBJECT_MAX_WORDS
                or not _names_only(text[opening:m.start()], runs_on)):
            return None
        return norm_space(subject) or None
    return None


def _ends_subject(text: str, m: re.Match, head_end: Optional[int]) -> bool:
    """Whether the boundary word found ends the subject. A predicate is written in lower case:
    a capital is a name's word (`Sở Xây dựng`), a head's tail too (`Ban quản lý dự án`); after
    a quantifier it is a noun (`các tổ chức`); before a place a name's word (`xây dựng huyện
    Mộ Đức`). After a head alone (ending at `head_end`), whose name may run on in lower case,
    only a role ends it (`Ban Quản lý dự án đầu tư xây dựng … chủ trì`) until a capital shows
    where the name went (`Ban quản lý Khu kinh tế Dung Quất … rà soát`). A colon ends it before the task (`…Chi
    nhánh tỉnh Quảng Ngãi: Chỉ đạo…`), not after a plural head, before the names it lists
    (`Giám đốc các Sở: Tài chính, Xây dựng…`)."""
    word = m.group(0)
    if word == "\n":
        return True
    if word == ":":
        return not _LIST_COLON.search(text, 0, m.start())
    if not word[:1].islower() or _completes_head(text[:m.end()]) or _QUANTIFIED.search(text, 0, m.start()) \
            or _NAMES_PLACE.match(text, m.end()):
        return False
    return head_end is None or bool(_roles().fullmatch(word)) or any(w[:1].isupper() for w in text[head_end:m.start()].split())


@lru_cache(maxsize=1)
def _roles() -> re.Pattern:
    words = phrase_alternation({r["phrase"] for r in rules.table("task_roles.tsv") if r["kind"] in ("role", "urgency")})
    return re.compile(rf"(?:{words})", re.I)


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _names_only(stretch: str, runs_on: bool = False) -> bool:
    """What a subject adds after the unit it opens with names units too: other bodies and
    posts (capitalised, with their lower-case tails: `Khu kinh tế Dung Quất`), collective
    nouns and the joiners of rules/task_subjects.tsv (`, ban ngành và đơn vị liên quan trên
    địa bàn tỉnh`); a word such as `tích cực` or `để` says the sentence has moved on."""
    allowed = _vocab().allowed
    for ent in nlp.organisations(stretch)[::-1]:
        stretch = stretch[:ent.start] + " , " + stretch[ent.end:]
    tail = runs_on
    for run in re.split(r"\s*[,;\-–]\s*", stretch):
        words = run.split()
        k = 0
        while k < len(words):
            w = words[k]
            if w[:1].isupper() or not _WORD.fullmatch(w):
                tail, k = w[:1].isupper(), k + 1
                continue
            hit = next((n for n in (3, 2, 1) if " ".join(words[k:k + n]) in allowed), 0)
            if hit:
                tail, k = False, k + hit
            elif tail:
                k += 1              # a name's lower-case tail (`Khu kinh tế`)
            else:
                return False
        tail = False
    return True


def _opening_end(text: str, at: int) -> Optional[tuple[int, bool]]:
    """Where the unit a subject opens with ends, and whether its name may run on in lower
    case (a head word alone: `Ban quản lý dự án…`): a body's name, a post, `Các` and a
    collective noun, a head word in any case; None when it opens with none."""
    rest = text[at:]
    m = _titles().match(rest) or _vocab().plural.match(rest)
    if m:
        return at + m.end(), False
    unit = unit_at_start(rest)
    if unit and rest.lstrip().startswith(unit):
        return at + len(rest) - len(rest.lstrip()) + len(unit), False
    # a head of several syllables, in any case (`Ban quản lý`); one syllable alone says
    # nothing, its marks lost (`Số giờ` is no `Sở`, `Ban hành` no `Ban`)
    key = rest.lower()
    head = next((h for h in _vocab().heads if " " in h and key.startswith(h + " ")), None)
    return (at + len(head), True) if head else None


@lru_cache(maxsize=1)
def _titles() -> re.Pattern:
    """A post a subject opens with (`Thủ trưởng các sở…`)."""
    return re.compile(rf"^\s*(?:{post_titles()})(?=\s+\S)")


def _completes_head(upto: str) -> bool:
    """`…Ban quản lý`: the word ends a head of several syllables, written in lower case."""
    key = upto.lower()
    return any(" " in h and (key == h or key.endswith(" " + h)) for h in _vocab().heads)


def framed_unit(text: str) -> Optional[str]:
    """The unit of a sentence that opens with a frame (`Căn cứ …`, `Trên cơ sở …`) and gives
    its task after it: `…; giao Sở Nông nghiệp và Phát triển nông thôn rà soát…`."""
    if not _vocab().frame.match(text):
        return None
    m = _vocab().opener.search(text)
    return subject_unit(text[m.end():]) if m else None
