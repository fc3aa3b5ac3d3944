"""Persons named in a notice: `đồng chí Trần Phước Hiền - Phó Chủ tịch UBND tỉnh`, `Thứ trưởng
Bộ Thông tin và Truyền thông Nguyễn Thành Hưng`, `PTTg Hoàng Trung Hải`, `ông Nguyễn Mạnh Hùng`,
`PCVP P.T.T.Huyền`; never the drafter's initials after `Lưu:`, a body or a place.

Rules, not a statistical tagger: a run of capitalised syllables that starts with a family
name (`rules/surnames.txt`) is a name when an honorific or a title (`rules/titles.tsv`, with its
abbreviations) stands before it, or a title follows it after a dash or comma, or it has three
or four syllables and no place (`rules/places.txt`) or place word before it. On the dev golds
this finds every person with no false one in about 1 ms a notice; underthesea's NER took
0.35 s for a 1,500-character notice and missed three of the four names of tw-vpcp-cv-4663-2008
while tagging `CỘNG HÒA`, `VPCP` and `Lưu` as persons, so it is not used.

    find_persons(text, signer=None, offset=0) -> [Person]
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from pipeline import rules
from pipeline.vietnamese import tone_new_style
from pipeline.analyse.text import fold_key, is_capitalised, norm_space, overlaps, phrase_alternation, span
from pipeline.model import Person

RULES = "persons.jsonl"
_CLAUSE_END = re.compile(r"[.;:()\[\]“”\"]|\n[ \t]*[-–+•]")
_MAX_SYLLABLES = 4


@lru_cache(maxsize=None)
def _vocab():
    surnames = frozenset(rules.words("surnames.txt"))
    # by first word, longest first: a run of words is looked up, not compared with every place
    places: dict[str, list[tuple[str, ...]]] = {}
    for place in sorted((tuple(p.split()) for p in rules.words("places.txt")), key=len, reverse=True):
        places.setdefault(place[0], []).append(place)
    titles = set()
    for row in rules.table("titles.tsv"):
        titles.add(row["title"])
        if row["abbreviation"]:
            titles.add(row["abbreviation"])
    alt = phrase_alternation(titles)
    # a title, then up to a dozen words of the body it heads, right before the name
    title_before = re.compile(r"(?<!\w)(?:" + alt + r")(?!\w)")
    title_after = re.compile(r"(?P<title>(?:" + alt + r")(?!\w)[^.;:()\n]{0,60}?)(?=[ \t]*(?:[,;.:()\n]|$| tại | về | có | đã | và ))")
    return surnames, places, title_before, title_after


# a word that opens with a lower-case Latin or Vietnamese letter cannot be capitalised: the
# scan for runs skips it in C (the gap it leaves between two capitalised words ends a run)
_LOWER_LATIN = "".join(c for c in map(chr, [*range(0x250), *range(0x1E00, 0x1F00)]) if c.islower())
_MAYBE_CAPITALISED = re.compile(rf"(?<![^\W\d_])(?![{_LOWER_LATIN}])[^\W\d_]+")
_RUN_GAPS = (" ", "\n", " \n", "\n ")


def _runs(text: str):
    """Runs of capitalised syllables separated by one space or one line break: [(start, end, words)]."""
    run: list[re.Match] = []
    title = _vocab()[2]
    for m in _MAYBE_CAPITALISED.finditer(text):
        if is_capitalised(m.group(0)):
            gap = text[run[-1].end():m.start()] if run else " "
            # a line that opens with a title is the next cell of a table (`Trần Quốc Bảo` |
            # `Phó Chánh Văn phòng`), not the rest of a name wrapped over two lines
            if run and (gap not in _RUN_GAPS or "\n" in gap and title.match(text, m.start())):
                yield run
                run = []
            run.append(m)
        elif run:
            yield run
            run = []
    if run:
        yield run


def _starts_with_place(words: list[str], places) -> int:
    for p in places.get(words[0], ()) if words else ():
        if tuple(words[:len(p)]) == p:
            return len(p)
    return 0


def _title_text(s: str) -> str:
    return norm_space(s).strip(" ,-–")


def _title_before(clause: str, title_re: re.Pattern) -> Optional[str]:
    """The title (and the body it heads) that ends `clause`, right before a name: the last title
    after which only a body's name stands (`Vụ trưởng Vụ Bưu chính, Bộ Thông tin và Truyền
    thông`), not a clause (`Phó Chủ tịch UBND tỉnh có ý kiến`)."""
    best = None
    for tm in title_re.finditer(clause):
        org = clause[tm.end():].strip()
        if len(org) > 90:
            continue
        if not org or org[0].isupper() or org.startswith(("các ", "tỉnh", "thành phố")):
            if any(w in org.split() for w in ("có", "là", "tại", "về", "đã", "được", "đề", "nghị")):
                continue
            best = _title_text(tm.group(0) + " " + org)
    return best


def find_persons(text: str, signer: Optional[str] = None, offset: int = 0) -> list[Person]:
    """Every person named in `text`, distinct by name in text order; `signer` (from the
    signature) comes first with role `signer`, the others have role `mentioned`. Titles are
    read in one tone placement (`Uỷ viên` as `Ủy viên`), as rules/titles.tsv lists them."""
    text = tone_new_style(text)         # the same length: spans still point into the text
    signer = tone_new_style(signer) if signer else signer
    p = rules.patterns(RULES)
    surnames, places, title_before, title_after = _vocab()
    lưu = [(m.start(), m.end()) for m in p["person-luu-line"].finditer(text)]
    out: list[Person] = []
    seen: set[str] = set()
    if signer and signer.strip():
        out.append(Person(name=norm_space(signer), role="signer"))
        seen.add(fold_key(signer))

    def add(name: str, title: Optional[str], s: int, e: int) -> None:
        key = fold_key(name)
        if key in seen:
            for i, pr in enumerate(out):
                if fold_key(pr.name) == key and pr.title is None and title:
                    out[i] = pr.model_copy(update={"title": title})
            return
        seen.add(key)
        out.append(Person(name=name, title=title, role="mentioned", span=span(s, e, offset)))

    found: list[tuple[int, int]] = []
    for run in _runs(text):
        words = [m.group(0) for m in run]
        skip = _starts_with_place(words, places)
        for i in range(skip, len(words)):
            if words[i] not in surnames:
                continue
            if i + 1 < len(words) and words[i + 1] in surnames and p["person-honorific"].search(words[i] + " "):
                continue        # `Ông Trần Quang Huy` opening a sentence: Ông is the honorific, not a family name
            j = min(len(words), i + _MAX_SYLLABLES)
            if j - i < 2:
                break
            if any(_starts_with_place(words[k:j], places) for k in range(i, j - 1)):
                continue
            s, e = run[i].start(), run[j - 1].end()
            if overlaps(s, e, lưu):
                break
            left = text[max(0, s - 160):s]
            cut = None
            for cm in _CLAUSE_END.finditer(left):
                cut = cm.end()
            clause = left[cut:] if cut is not None else left
            title = None
            ok = False
            honorific = bool(p["person-honorific"].search(clause[-16:]))
            tb = None if honorific else _title_before(clause, title_before)
            ok = honorific
            if tb:
                ok = True
                title = tb
            rest = text[e:e + 120]
            am = p["person-title-after"].match(rest)
            if am:
                ta = title_after.match(rest, am.end())
                if ta:
                    ok = True
                    title = title or _title_text(ta.group("title"))
            if not ok and j - i >= 3 and i == 0 and not p["person-not-after"].search(text[max(0, s - 30):s]):
                ok = True
            if ok and not (i > 0 and not tb and not am and not honorific):
                found.append((s, e))
                add(" ".join(words[i:j]), title, s, e)
            break
    for m in p["person-initials"].finditer(text):
        s, e = m.start("name"), m.end("name")
        if overlaps(s, e, lưu) or overlaps(s, e, found):
            continue
        name = m.group("name")
        clause = text[max(0, s - 40):s]
        tb = _title_before(clause, title_before)
        if name.count(".") >= 2 or tb or p["person-honorific"].search(clause[-16:]):
            add(name, tb, s, e)
    return out
