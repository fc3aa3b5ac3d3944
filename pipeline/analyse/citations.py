"""References to other documents: `Thông báo số 105/TB-UBND ngày 17/3/2021`, `Kết luận số
198-KL/TW`, `Công văn số 847/UBND-VX1 ngày 22 tháng 3 năm 2011 của UBND tỉnh Quảng Ninh`.

The symbol pattern and the words around it live in `rules/citations.jsonl`; type codes and
names in `rules/doc_types.tsv` (Nghị định 30/2020/NĐ-CP Phụ lục III and the legal and party
types).

    find_citations(text, own_symbol=None, own_number=None, offset=0) -> [Citation]
    doc_type_name(code) -> str | None
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from pipeline import rules
from pipeline.analyse.dates import find_dates
from pipeline.analyse.text import norm_space, one_line, span
from pipeline.model import Citation
from pipeline.vietnamese import tone_new_style

RULES = "citations.jsonl"
TYPES = "doc_types.tsv"
_PARTS = re.compile(r" ?\.|[\-/]")
_LOOKBACK = 60
_NAMED_LOOKBACK = 100


@lru_cache(maxsize=None)
def _codes() -> dict[str, str]:
    """Type code → default name (first row of the code)."""
    out: dict[str, str] = {}
    for row in rules.table(TYPES):
        if row["code"] and row["code"] not in out:
            out[row["code"]] = row["name"]
    return out


@lru_cache(maxsize=None)
def _kind_words() -> tuple[re.Pattern, dict[str, tuple[str, str]]]:
    """A pattern for a kind word (`Quyết định`, `công văn`, `Văn bản`…) ending where a reference's
    `số` begins, and the map from its lower-case form to (code, name); in one tone placement,
    as `_kind_match` reads the text (`Giấy uỷ quyền` is `Giấy ủy quyền`)."""
    by_name: dict[str, tuple[str, str]] = {}
    for row in rules.table(TYPES):
        key = tone_new_style(row["name"].lower())
        if row["code"] and key not in by_name:
            by_name[key] = (row["code"], row["name"])
    names = sorted(by_name, key=len, reverse=True)
    alt = "|".join(re.escape(n).replace(r"\ ", r"[ \t\n]+") for n in names)
    tail = {r.id: r.pattern for r in rules.pattern_rules(RULES)}
    adjacent = re.compile(r"(?<!\w)(?P<kind>" + alt + r")" + tail["cite-kind-before"], re.IGNORECASE)
    # `Luật Ngân sách nhà nước số 83/2015/QH13`: the kind, then the document's name, then số
    named = re.compile(r"(?<!\w)(?P<kind>" + alt + r")" + tail["cite-kind-named-before"], re.IGNORECASE)
    return adjacent, by_name, named


def doc_type_name(code: Optional[str]) -> Optional[str]:
    return _codes().get(code) if code else None


def _kind_match(text: str, start: int) -> Optional[re.Match]:
    """The kind word a reference at `start` is cited with: right before its `số`, or before the
    name of the document (`Luật Tổ chức chính quyền địa phương số 77/2015/QH13`). `text` is in
    the new tone placement, as the kind words are."""
    pat, _, named = _kind_words()
    m = pat.search(text, max(0, start - _LOOKBACK), start)
    if m:
        return m
    m = None
    for found in named.finditer(text, max(0, start - _NAMED_LOOKBACK), start):
        if found.group("kind")[:1].isupper():       # a kind word opens the name: `Luật`, not `luật`
            m = found
    return m


def _kind_of(m: Optional[re.Match]) -> Optional[tuple[str, str]]:
    """(code, name) of the kind word `_kind_match` found."""
    if not m:
        return None
    return _kind_words()[1].get(re.sub(r"\s+", " ", m.group("kind").lower()))


def _near_miss(a: str, b: str) -> bool:
    """`TTy` for `TTr`: an OCR slip of one letter, same length, same first letter."""
    return len(a) == len(b) and a[0] == b[0] and sum(x != y for x, y in zip(a, b)) == 1


def _key(ref: str) -> str:
    """One document however its reference is typed: `154/2020/NĐ-CP`, `154/2020/NĐCP`,
    `17/NQ- CP` (spaces, hyphens and dots inside the symbol dropped, capitals)."""
    return re.sub(r"[\s.\-]+", "", ref).upper().replace("Ð", "Đ")


def find_citations(text: str, own_symbol: Optional[str] = None, own_number: Optional[str] = None,
                   offset: int = 0) -> list[Citation]:
    """Every other document the text cites, distinct by ref (first mention wins; a date missing
    there is taken from a later mention). Never the notice's own number, nor the header's
    `Số:` line, nor standards (`TCVN ISO 9001:2015`), dates or fractions."""
    p = rules.patterns(RULES)
    codes = _codes()
    # the notice's own number, as a state body (`12/TB-UBND`) or the party (`12-NQ/TU`) writes it
    own = {_key(f"{own_number}{sep}{own_symbol}") for sep in "/-"} if own_number and own_symbol else set()
    flat = one_line(text)
    toned = tone_new_style(text)        # the same length: offsets hold (`Giấy uỷ quyền` is `Giấy ủy quyền`)
    found: dict[str, Citation] = {}
    for m in p["cite-symbol"].finditer(text):
        num, year, sep, sym = m.group("num"), m.group("year"), m.group("sep"), m.group("sym")
        ref = text[m.start():m.end()]
        if sum(c.isupper() for c in sym) < 2:
            continue
        if p["cite-own-header"].search(text, max(0, m.start() - 12), m.start()):
            continue
        if _key(ref) in own:
            continue
        parts = [x for x in _PARTS.split(sym) if x]
        first = parts[0].replace("Ð", "Đ")
        km = _kind_match(toned, m.start())
        kind = _kind_of(km)
        code = None
        issuer_code = None
        if sep == "-":                      # party layout: 198-KL/TW
            if first in codes:
                code, issuer_code = first, sym[len(parts[0]):].lstrip(" ./-") or None
        elif first in codes and first != "CV":
            code, issuer_code = first, sym[len(parts[0]):].lstrip(" ./-") or None
        elif kind and len(parts) > 1 and _near_miss(first, kind[0]):
            code, issuer_code = kind[0], sym[len(parts[0]):].lstrip(" ./-") or None
            ref = ref[: m.start("sym") - m.start()] + kind[0] + ref[m.start("sym") - m.start() + len(parts[0]):]
        elif kind:
            code, issuer_code = kind[0], sym
        if code is None:
            continue
        name = kind[1] if kind and kind[0] == code else codes.get(code)
        cited = None
        # `^` of a rule only anchors at a string's start, so the rules run on slices
        window = text[m.end(): m.end() + 80]
        after = p["cite-after-date"].match(window)
        tail_end = m.end()
        if after:
            for d in find_dates(window[: after.end() + 40]):
                if d.span.start <= after.end() < d.span.end or d.span.start == after.end():
                    cited = d.value
                    tail_end = m.end() + d.span.end
                    break
        if cited is None:
            # `Ngày 19/4/2021, Chính phủ ban hành Nghị định số 52/2021/NĐ-CP`: the date came first
            opens = km.start() if km else m.start()
            before = p["cite-date-before"].search(text, max(0, opens - 160), opens)
            if before:
                days = find_dates(before.group("date"))
                cited = days[0].value if days else None
        issuer = None
        im = p["cite-issuer"].match(flat[tail_end: tail_end + 120])
        if im:
            issuer = norm_space(im.group("issuer")) or None
            if issuer and len(issuer.split()) > 10:
                issuer = None
        key = _key(ref)
        if key in found:
            if found[key].cited_date is None and cited is not None:
                found[key] = found[key].model_copy(update={"cited_date": cited})
            if found[key].issuer is None and issuer:
                found[key] = found[key].model_copy(update={"issuer": issuer})
            continue
        kstart = km.start() if kind and km else m.start()
        end = tail_end + (im.end("issuer") if im and issuer else 0)
        found[key] = Citation(
            ref=ref, number=num, year=int(year) if year else None, doc_type=code,
            doc_type_name=name, issuer_code=issuer_code, issuer=issuer, cited_date=cited,
            text=norm_space(text[kstart:end]), span=span(kstart, end, offset))
    return list(found.values())
