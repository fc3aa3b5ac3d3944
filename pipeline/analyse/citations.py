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
from dataclasses import dataclass
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


def _as_written(ref: str) -> str:
    """The reference as written, its line breaks as spaces: a typist's space in a symbol
    (`17/NQ- CP`) stays, as the page has it; OCR's own cuts were joined in ingest."""
    return norm_space(ref)


@dataclass
class _Mention:
    """One reference where it is written: its citation, where it stands, and the kind word
    that gave its type when its symbol carries none (which a list after it may inherit)."""
    key: str
    cite: Citation
    start: int
    end: int
    kind: Optional[tuple[str, str]]


def _type_of(sym: str, party: bool, kind: Optional[tuple[str, str]], ref: str, sym_at: int,
             numbered: bool = False) -> Optional[tuple[str, Optional[str], str, bool]]:
    """(code, issuer code, ref, whether the kind word gave the code) of a symbol: its first part when that is a type code (Phụ lục III;
    the party's `198-KL/TW` too), else the kind word it is cited with (a công văn carries no type
    in its symbol), a first part one OCR slip from that kind's code mended (`TTy` → `TTr`); a
    symbol of two parts or more that no word names but `số` is a công văn's."""
    codes = _codes()
    parts = [x for x in _PARTS.split(sym) if x]
    first = parts[0].replace("Ð", "Đ")
    rest = sym[len(parts[0]):].lstrip(" ./-") or None
    if party:
        return (first, rest, ref, False) if first in codes else None
    if first in codes and first != "CV":
        return first, rest, ref, False
    if kind and len(parts) > 1 and _near_miss(first, kind[0]):
        return kind[0], rest, ref[:sym_at] + kind[0] + ref[sym_at + len(parts[0]):], False
    if kind:
        return kind[0], sym, ref, True
    if numbered and len(parts) > 1:
        return "CV", sym, ref, False
    return None


def _listed_kind(text: str, before: list[_Mention], start: int) -> Optional[tuple[str, str]]:
    """The kind a reference inherits as an item of a list (`các Công văn: số 87/HĐND-KTNS …, số
    208/HĐND-KTNS …`, `Công văn số 4643/UBND-KGVX …; số 4975/UBND-KGVX`): the kind word of the
    last reference before it whose kind came from a word, in the same sentence of the paragraph.
    A reference whose symbol carries its type never needs this (NĐ 30/2020 PL I mục I.3)."""
    prev = next((x for x in reversed(before) if x.kind), None)
    if prev is None:
        return None
    if not rules.patterns(RULES)["cite-list-item"].search(text, max(0, start - 12), start):
        return None
    between = text[prev.end:start]
    if "\n" in between or re.search(r"\.\s+[A-ZĐ]", between):
        return None
    return prev.kind


def _cited_date(text: str, m: re.Match, km: Optional[re.Match]) -> tuple[Optional[object], int]:
    """The date a reference is cited with (`… ngày 17/3/2021`, or the clause it is issued in:
    `Ngày 19/4/2021, Chính phủ ban hành Nghị định số …`, or the day its maker drew it up:
    `Biên bản số 09/BB-VPHC do ông … lập ngày 22/01/2025`), and where the mention ends."""
    p = rules.patterns(RULES)
    # `^` of a rule only anchors at a string's start, so the rules run on slices
    window = text[m.end(): m.end() + 80]
    after = p["cite-after-date"].match(window)
    if after:
        for d in find_dates(window[: after.end() + 40]):
            if d.span.start <= after.end() < d.span.end or d.span.start == after.end():
                return d.value, m.end() + d.span.end
    opens = km.start() if km else m.start()
    before = p["cite-date-before"].search(text, max(0, opens - 160), opens)
    if before:
        days = find_dates(before.group("date"))
        return (days[0].value if days else None), m.end()
    made = p["cite-made-date"].match(text[m.end(): m.end() + 260])
    if made:
        days = find_dates(text[m.end() + made.end(): m.end() + made.end() + 40])
        if days and days[0].span.start == 0:
            return days[0].value, m.end()
    return None, m.end()


def _amended_by_unnumbered(text: str, start: int) -> bool:
    """The reference closes a list of what an unnumbered document amends (`Luật sửa đổi, bổ sung
    một số điều của Luật Đất đai số 31/2024/QH15, … và Luật Các tổ chức tín dụng số
    32/2024/QH15 ngày 29/6/2024`): one date after documents passed on different days is the
    amending law's. After a single document amended (`Sửa đổi, bổ sung một số điều của Thông
    tư số 01/2020/TT-BNV ngày 15 tháng 01 năm 2020`) the date is that document's."""
    p = rules.patterns(RULES)
    opens = max(text.rfind(";", 0, start), text.rfind("\n", 0, start)) + 1
    amends = p["cite-amended-by-unnumbered"].match(text[opens:start])
    return bool(amends and p["cite-symbol"].search(text, opens + amends.end(), start))


def _issuer(flat: str, tail_end: int) -> tuple[Optional[str], int]:
    im = rules.patterns(RULES)["cite-issuer"].match(flat[tail_end: tail_end + 120])
    if not im:
        return None, tail_end
    issuer = norm_space(im.group("issuer")) or None
    if issuer and len(issuer.split()) > 10:
        return None, tail_end
    return issuer, tail_end + (im.end("issuer") if issuer else 0)


def _mentions(text: str, own: set[str]) -> list[_Mention]:
    """Every reference in the text, in order, repeats included."""
    p = rules.patterns(RULES)
    flat = one_line(text)
    toned = tone_new_style(text)        # the same length: offsets hold (`Giấy uỷ quyền` is `Giấy ủy quyền`)
    out: list[_Mention] = []
    for m in p["cite-symbol"].finditer(text):
        num, year, sym = m.group("num"), m.group("year"), m.group("sym")
        ref = text[m.start():m.end()]
        if sum(c.isupper() for c in sym) < 2 or _key(ref) in own:
            continue
        if p["cite-own-header"].search(text, max(0, m.start() - 12), m.start()):
            continue
        km = _kind_match(toned, m.start())
        kind = _kind_of(km) or _listed_kind(toned, out, m.start())
        numbered = bool(p["cite-numbered"].search(toned, max(0, m.start() - 12), m.start()))
        typed = _type_of(sym, m.group("sep").strip().startswith("-"), kind, ref, m.start("sym") - m.start(), numbered)
        if typed is None:
            continue
        code, issuer_code, ref, by_word = typed
        cited, tail_end = _cited_date(text, m, km)
        if cited is not None and _amended_by_unnumbered(toned, m.start()):
            cited = None
        issuer, end = _issuer(flat, tail_end)
        kstart = km.start() if km else m.start()
        cite = Citation(
            ref=_as_written(ref), number=num, year=int(year) if year else None, doc_type=code,
            doc_type_name=kind[1] if kind and kind[0] == code else _codes().get(code),
            issuer_code=issuer_code, issuer=issuer, cited_date=cited,
            text=norm_space(text[kstart:end]), span=span(kstart, end))
        out.append(_Mention(_key(ref), cite, m.start(), m.end(), kind if by_word else None))
    return out


def _shared_dates(text: str, mentions: list[_Mention]) -> None:
    """`các Quyết định số: 1743/QĐ-BGTVT, 1744/QĐ-BGTVT ngày 31/12/2024`, `số 406/QĐ-UBND và số
    407/QĐ-UBND cùng ngày 13/12/2024`: references listed bare one after another (nothing but a
    comma or `và` between them) share the date written after the last of them."""
    item = rules.patterns(RULES)["cite-list-item"]
    for a, b in zip(reversed(mentions[:-1]), reversed(mentions[1:])):
        if a.cite.cited_date is not None or b.cite.cited_date is None:
            continue
        gap = text[a.end:b.start]
        sep = item.search(gap)
        if sep and not gap[:sep.start()].strip():
            a.cite = a.cite.model_copy(update={"cited_date": b.cite.cited_date})


def find_citations(text: str, own_symbol: Optional[str] = None, own_number: Optional[str] = None,
                   offset: int = 0) -> list[Citation]:
    """Every other document the text cites, distinct by ref (first mention wins; a date or
    issuer missing there is taken from a later mention). Never the notice's own number, nor the
    header's `Số:` line, nor standards (`TCVN ISO 9001:2015`), dates or fractions."""
    # the notice's own number, as a state body (`12/TB-UBND`) or the party (`12-NQ/TU`) writes it
    own = {_key(f"{own_number}{sep}{own_symbol}") for sep in "/-"} if own_number and own_symbol else set()
    mentions = _mentions(text, own)
    _shared_dates(text, mentions)
    found: dict[str, Citation] = {}
    for mention in mentions:
        cite, known = mention.cite, found.get(mention.key)
        if known is None:
            found[mention.key] = cite.model_copy(update={"span": span(cite.span.start, cite.span.end, offset)})
            continue
        if known.cited_date is None and cite.cited_date is not None:
            found[mention.key] = known = known.model_copy(update={"cited_date": cite.cited_date})
        if known.issuer is None and cite.issuer:
            found[mention.key] = known.model_copy(update={"issuer": cite.issuer})
    return list(found.values())
