"""Header of a notice (Nghị định 30/2020/NĐ-CP, Phụ lục I): issuing body under its parent,
`Số:` and symbol, place and date, kind of document and trích yếu, urgency marks.

Works on blocks whose region ingest has set (header-left / header-right / body). When a
reader could not tell the columns apart (plain text), lines are sorted into the columns by
what they say, so the same rules serve every format.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache
from typing import Optional

from pydantic import Field

from pipeline import rules
from pipeline.analyse.casing import body_case
from pipeline.analyse.organisations import canonical_head
from pipeline.analyse.text import fold
from pipeline.vietnamese import tone_new_style
from pipeline.model import Block, NoticeHeader, Region

_DATE_IN_LINE = re.compile(
    r"ngày\s*(?P<d>\d{1,2})?\s*(?:tháng\s*(?P<m>\d{1,2})?\s*năm\s*(?P<y>\d{4})?"
    r"|[/.\-]\s*(?P<m2>\d{1,2})\s*[/.\-]\s*(?P<y2>\d{4}))", re.IGNORECASE)


class Header(NoticeHeader):
    """The header fields, and where in the blocks the body starts: after the kind line and
    trích yếu it consumed."""

    body_start: int = 0
    warnings: list[str] = Field(default_factory=list)


def fold_upper(text: str) -> str:
    """Spaces folded, upper case, one tone placement (`HOÀ` = `HÒA`): the form header lines and
    the vocabularies are compared in."""
    return tone_new_style(_SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()).upper()


_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def doc_type_names() -> dict[str, str]:
    """Type name without diacritics, upper case → code, from the Phụ lục III table; folded
    so that an OCR slip in a tone mark (`QUYÉT ĐỊNH`) still names the kind."""
    names = {}
    for row in rules.table("doc_types.tsv"):
        names.setdefault(fold_upper(fold(row["name"])), row["code"])
    return names


@lru_cache(maxsize=1)
def doc_type_codes() -> dict[str, str]:
    codes = {}
    for row in rules.table("doc_types.tsv"):
        codes.setdefault(row["code"].upper(), row["name"])
    return codes


def is_separator(text: str) -> bool:
    return bool(rules.pattern("header.jsonl", "separator").match(text))


def split_number(line: str) -> tuple[Optional[str], Optional[str]] | None:
    """`Số: 18/2009/QĐ-UBND` → (`18/2009`, `QĐ-UBND`); blank number → (None, symbol)."""
    for rid in ("number", "party_number"):
        m = rules.pattern("header.jsonl", rid).match(line)
        if m:
            number = re.sub(r"\s+", "", m.group("number")) if m.group("number") else None
            symbol = re.sub(r"\s*([/-])\s*", r"\1", m.group("symbol").strip().rstrip("."))
            return number, symbol
    return None


def type_from_symbol(symbol: str | None) -> Optional[str]:
    """The type code a symbol opens with (`QĐ-UBND` → `QĐ`, `198-KL/TW` → `KL`), if it is one."""
    if not symbol:
        return None
    codes = doc_type_codes()
    first = re.split(r"[-/]", symbol.replace("Ð", "Đ"))[0].strip().upper()
    if first in codes:
        return _canonical_code(first)
    return None


def _canonical_code(code: str) -> str:
    for row in rules.table("doc_types.tsv"):
        if row["code"].upper() == code.upper():
            return row["code"]
    return code


def parse_place_date(line: str) -> tuple[Optional[str], Optional[dt.date]] | None:
    m = rules.pattern("header.jsonl", "place_date").match(line)
    if not m:
        return None
    place = m.group("place").strip(" .,:")
    d = _DATE_IN_LINE.search(line, m.end() - len("ngày"))
    date = None
    if d:
        day, month, year = d.group("d"), d.group("m") or d.group("m2"), d.group("y") or d.group("y2")
        if day and month and year:
            try:
                date = dt.date(int(year), int(month), int(day))
            except ValueError:
                date = None
    return place, date


def kind_of(text: str) -> Optional[tuple[str, str]]:
    """A kind-of-document line (`THÔNG BÁO`, `QUYẾT ĐỊNH`) → (code, name); not `QUYẾT ĐỊNH:`."""
    stripped = text.strip()
    if not stripped or stripped.endswith(":") or stripped != stripped.upper():
        return None
    code = doc_type_names().get(fold_upper(fold(stripped)))
    if code:
        return code, doc_type_codes()[code.upper()]
    return None


def kind_prefix(text: str) -> Optional[tuple[str, str, str]]:
    """A kind line run together with its trích yếu (`QUYẾT ĐỊNH VỀ VIỆC THU HỒI…`, as a
    reader may join centred lines) → (code, name, the trích yếu)."""
    stripped = text.strip()
    folded = fold_upper(fold(stripped))
    for name, code in sorted(doc_type_names().items(), key=lambda kv: -len(kv[0])):
        if folded.startswith(name + " ") and stripped[:len(name)].isupper():
            return code, doc_type_codes()[code.upper()], stripped[len(name):].strip()
    return None


@lru_cache(maxsize=1)
def _mottos() -> tuple[str, ...]:
    layout = rules.data("layout.yaml")
    return tuple(_motto_key(m) for key in ("national_motto", "motto") for m in layout[key])


def _motto_key(text: str) -> str:
    return fold_upper(text).replace("–", "-")


def _is_motto(text: str) -> bool:
    up = _motto_key(text)
    return any(m in up for m in _mottos())


def is_motto(text: str) -> bool:
    """The line is the national motto or a tiêu ngữ of rules/layout.yaml, in any case."""
    return _is_motto(text)


@lru_cache(maxsize=1)
def _org_heads() -> tuple[str, ...]:
    return tuple(fold_upper(w) for w in rules.words("org_heads.txt"))


@lru_cache(maxsize=1)
def _place_prefixes() -> tuple[str, ...]:
    return tuple(fold_upper(w) + " " for w in rules.words("place_words.txt"))


@lru_cache(maxsize=1)
def _folded_heads() -> re.Pattern:
    heads = sorted({fold(h) for h in _org_heads()}, key=len, reverse=True)
    return re.compile("(?:" + "|".join(re.escape(h) for h in heads) + r")(?!\w)")


@lru_cache(maxsize=1)
def _place_heads() -> tuple[str, ...]:
    """Head words that open with a place word: `HUYỆN ỦY`, `TỈNH ỦY`, `THÀNH ỦY`."""
    return tuple(h + " " for h in _org_heads() if h.startswith(_place_prefixes()))


def _starts_body(text: str) -> bool:
    """The line opens with a head word (`SỞ`, `BỘ`, `UBND`), also as OCR misreads its marks
    (`SƠ NỌI VỤ`): compared without diacritics, as a whole word (`SÓC TRĂNG` is no `SỞ`)."""
    up = fold_upper(text)
    return up.startswith(_org_heads()) or bool(_folded_heads().match(fold(up)))


def bodies_of(lines: list[str]) -> list[str]:
    """Issuer lines → the bodies they name, outermost first.

    A line opening with an organisation head word (SỞ, BỘ, UBND…) starts a new body; any
    other line (TỈNH HẬU GIANG, a wrapped CÔNG NGHỆ) continues the one above.
    """
    place_words = _place_prefixes()
    bodies: list[str] = []
    for line in lines:
        up = fold_upper(line)
        # a line continues the body above when it is a word wrapped off it (`SỞ TÀI NGUYÊN VÀ
        # MÔI` / `TRƯỜNG`), a place (`TỈNH HẬU GIANG`; but `HUYỆN ỦY NGHI LỘC` is a body of its
        # own) or no body's name at all
        wrapped = bodies and (len(up.split()) == 1 or bodies[-1].upper().endswith((" VÀ", ",", "-")))
        continues = wrapped or (up.startswith(place_words) and not up.startswith(_place_heads())) \
            or not _starts_body(line)
        if bodies and continues:
            bodies[-1] = f"{bodies[-1]} {line.strip()}"
        else:
            bodies.append(line.strip())
    return bodies


@lru_cache(maxsize=1)
def _mark_patterns() -> tuple[tuple[re.Pattern, str, str], ...]:
    return tuple((re.compile(rf"(?:ĐỘ\s+)?{re.escape(row['mark'])}"), row["mark"], row["kind"])
                 for row in rules.table("marks.tsv"))


@lru_cache(maxsize=256)
def _marks(text: str) -> tuple[tuple[str, str], ...]:
    """The urgency and confidentiality marks a header line is (`KHẨN`, `ĐỘ MẬT`)."""
    up = fold_upper(text)
    return tuple((mark, kind) for pattern, mark, kind in _mark_patterns() if pattern.fullmatch(up))


def blocks_to_header(blocks: list[Block]) -> Header:
    h = Header()
    stamp = rules.pattern("header.jsonl", "signing_stamp")
    kept = [i for i, b in enumerate(blocks) if not stamp.match(b.text)]
    left = [i for i in kept if blocks[i].region == Region.HEADER_LEFT]
    right = [i for i in kept if blocks[i].region == Region.HEADER_RIGHT]
    body = [i for i in kept if blocks[i].region == Region.BODY]
    # a kind line set close under the columns can land in one of them: it opens the body
    for n, i in enumerate(right):
        if kind_of(blocks[i].text):
            right, body = right[:n], right[n:] + body
            break
    for n, i in enumerate(left):
        if n and kind_of(blocks[i].text):
            left, body = left[:n], left[n:] + body
            break
    if not left and not right:
        left, right, body = _columns_by_content(blocks, body)
    left_texts = [blocks[i].text for i in left]
    right_texts = [blocks[i].text for i in right]
    if left or right:
        more_left, more_right, body = _spilled_header(blocks, left + right, body)
        left_texts += more_left
        right_texts += more_right

    issuer_lines: list[str] = []
    vv_lines: list[str] = []
    in_vv = False
    for raw in left_texts:
        text = raw.strip()
        if not text or is_separator(text):
            continue
        num = split_number(text)
        vv = rules.pattern("header.jsonl", "subject_vv").match(text)
        if num and h.symbol is None:
            h.number, h.symbol = num
            in_vv = False
        elif vv:
            in_vv = True
            vv_lines.append(vv.group("subject"))
        elif in_vv and not _marks(text):
            vv_lines.append(text)
        elif h.symbol is None and not _marks(text):
            issuer_lines.append(text)
    for text in left_texts + right_texts + [blocks[i].text for i in body[:3]]:
        for mark, kind in _marks(text):
            setattr(h, kind, getattr(h, kind) or mark)

    bodies = bodies_of(issuer_lines)
    if bodies:
        h.issuer = canonical_head(body_case(bodies[-1]))
        h.issuer_parent = canonical_head(body_case(bodies[-2])) if len(bodies) > 1 else None

    for column in (right_texts, left_texts):
        lines = [t.strip() for t in column if t.strip() and not is_separator(t.strip())]
        for k, text in enumerate(lines):
            if _is_motto(text):
                continue
            pd = parse_place_date(text)
            if pd and pd[1] is None and k + 1 < len(lines):
                # a narrow column wraps the date line (`…, ngày 08 tháng 3 năm` / `2021`)
                joined = parse_place_date(f"{text} {lines[k + 1]}")
                pd = joined if joined and joined[1] else pd
            if pd:
                h.place, h.issued_date = pd
                break
            if h.symbol is None and split_number(text):
                h.number, h.symbol = split_number(text)
        if h.issued_date:
            break

    # the kind line and trích yếu open the body; a công văn has neither, its trích yếu is V/v
    h.body_start = body[0] if body else len(blocks)
    for pos, i in enumerate(body[:6]):
        kind = kind_of(blocks[i].text)
        if not kind:
            continue
        h.doc_type, h.doc_type_name = kind
        h.subject, j = _subject_after(blocks, body, pos + 1)
        h.body_start = body[j] if j < len(body) else len(blocks)
        break
    if h.doc_type is None:
        for pos, i in enumerate(body[:3]):
            joined = kind_prefix(blocks[i].text)
            if joined:
                h.doc_type, h.doc_type_name, h.subject = joined
                h.body_start = i + 1
                if _kind_author(h.subject):
                    # `NGHỊ QUYẾT CỦA BAN THƯỜNG VỤ TỈNH ỦY` run together: the trích yếu follows
                    h.subject, j = _subject_after(blocks, body, pos + 1)
                    h.body_start = body[j] if j < len(body) else len(blocks)
                break
    if h.subject is None and vv_lines:
        # a V/v wrapped onto lines a reader set in the body (a plain-text copy): they open in
        # lower case, before `Kính gửi` or the first words of the body
        if h.doc_type is None:
            n = 0
            while n < min(len(body), 3) and _opens_lower(blocks[body[n]].text) and _continues_subject(blocks[body[n]].text):
                vv_lines.append(blocks[body[n]].text)
                n += 1
            if n:
                h.body_start = body[n] if n < len(body) else len(blocks)
        h.subject = " ".join(p.strip() for p in vv_lines if p.strip())

    from_symbol = type_from_symbol(h.symbol)
    if not from_symbol and h.doc_type and h.symbol:
        h.symbol = _symbol_of_kind(h.symbol, h.doc_type)
        from_symbol = type_from_symbol(h.symbol)
    if from_symbol:
        h.doc_type = from_symbol
        h.doc_type_name = doc_type_codes()[from_symbol.upper()]
    elif h.doc_type is None and (h.symbol or vv_lines):
        h.doc_type, h.doc_type_name = "CV", "Công văn"

    if h.symbol is None:
        h.warnings.append("no `Số:` line with a number and symbol in the header")
    if h.issued_date is None:
        h.warnings.append("no issue date in the header")
    if h.doc_type is None:
        h.warnings.append("kind of document not recognised")
    return h


def _symbol_of_kind(symbol: str, code: str) -> str:
    """A symbol whose type code lost a letter to OCR (`C-UBND` under `BÁO CÁO`) takes the code
    of the kind its document names (NĐ 30/2020 Phụ lục III: the symbol opens with the kind's code)."""
    head, sep, rest = symbol.partition("-")
    if sep and head and head != code and len(code) - len(head) == 1 and (code.endswith(head) or code.startswith(head)):
        return code + sep + rest
    return symbol


def _subject_after(blocks: list[Block], body: list[int], j: int) -> tuple[Optional[str], int]:
    """The trích yếu that starts at `body[j]`, under the kind line (and a party document's
    `CỦA BAN THƯỜNG VỤ…`) → (its text or None, where the body goes on)."""
    parts = []
    while j < len(body) and (is_separator(blocks[body[j]].text) or _kind_author(blocks[body[j]].text)):
        j += 1
    if j < len(body) and not _opens_body(blocks[body[j]].text):
        parts.append(blocks[body[j]].text.strip())
        j += 1
        while j < len(body) and _subject_goes_on(blocks[body[j - 1]], blocks[body[j]]):
            parts.append(blocks[body[j]].text.strip())
            j += 1
    return " ".join(parts) or None, j


# The lines of one paragraph stand one under the other, their boxes touching or overlapping (a
# scan's boxes include the marks above a line); a new paragraph stands a gap lower. On the real
# scans lines of a trích yếu were at most 0.03 of a line apart, the body's first line under it
# 0.7-1.0 of a line lower.
PARAGRAPH_GAP = 0.4


def _subject_goes_on(prev: Block, cur: Block) -> bool:
    """The trích yếu goes on from `prev` to `cur` when `cur` can be part of one (see
    `_continues_subject`) and, where the page's geometry is known, stands directly under `prev`
    as the next line of one paragraph (a justified line `…Công ty TNHH` / `MTV Đầu tư…`, a
    line opening with a number `24/2013/NQ-HĐND…`); without geometry, while centred paragraphs
    stay centred, or when `cur` opens in lower case."""
    if not _continues_subject(cur.text):
        return False
    if prev.bbox and cur.bbox and prev.page == cur.page:
        line = min(prev.bbox.y1 - prev.bbox.y0, cur.bbox.y1 - cur.bbox.y0)
        return cur.bbox.y0 - prev.bbox.y1 <= PARAGRAPH_GAP * line
    return (prev.align == "center" and cur.align == "center") or _opens_lower(cur.text)


def _continues_subject(text: str) -> bool:
    """Not the authority line of a decision (`ỦY BAN NHÂN DÂN TỈNH`, `CHỦ TỊCH UBND…`), a
    separator, a label or the body's first words."""
    t = text.strip()
    if not t or is_separator(t) or _opens_body(t) or kind_of(t) or t.endswith(":"):
        return False
    if t.isupper() and (_starts_body(t) or _starts_title(t)):
        return False
    return not re.match(r"^(?:[IVX]+|\d+|[a-zđ])[.)]\s", t)


def _opens_lower(text: str) -> bool:
    t = text.strip()
    return bool(t) and t[0].islower()


def _kind_author(text: str) -> bool:
    """The body a kind line names under it, as party documents set it (`NGHỊ QUYẾT` / `CỦA BAN
    THƯỜNG VỤ TỈNH ỦY` / `về …`): part of the kind, not the trích yếu."""
    return bool(rules.pattern("header.jsonl", "kind_author").match(text.strip()))


@lru_cache(maxsize=1)
def _title_keys() -> tuple[str, ...]:
    return tuple(fold_upper(fold(row["title"])) for row in rules.table("titles.tsv"))


def _starts_title(text: str) -> bool:
    key = fold_upper(fold(text))
    return any(key == t or key.startswith(t + " ") for t in _title_keys())


def _opens_body(text: str) -> bool:
    """Lines that cannot be a trích yếu: the body has begun."""
    t = text.strip()
    return bool(rules.pattern("header.jsonl", "addressee").match(t)) or \
        bool(re.match(r"^(Căn cứ|Thực hiện|Xét|Theo)\b", t))


def _spilled_header(blocks: list[Block], header: list[int],
                    body: list[int]) -> tuple[list[str], list[str], list[int]]:
    """Header lines a reader left in the body (a plain-text copy whose second issuer line
    stands alone: `TỈNH ỦY QUẢNG NGÃI` / `BAN TUYÊN GIÁO` / `*` / `Số 05-HD/BTGTU  Quảng Ngãi,
    ngày…`): when the header holds no `Số` line and the body, before the kind line, does,
    everything up to that line is header → (left texts, right texts, the rest of the body).
    A line that holds both columns is cut where the place-and-date begins."""
    if any(split_number(blocks[i].text) for i in header):
        return [], [], body
    end = None
    for n, i in enumerate(body[:8]):
        t = blocks[i].text
        if kind_of(t) or kind_prefix(t) or rules.pattern("header.jsonl", "addressee").match(t):
            break
        if split_number(_number_part(t)[0]) or parse_place_date(t):
            end = n + 1
    if end is None:
        return [], [], body
    # a công văn's V/v under the `Số` line, with the lines it wraps onto, is the left column's too
    vv = rules.pattern("header.jsonl", "subject_vv")
    if end < len(body) and vv.match(blocks[body[end]].text):
        end += 1
        while end < len(body) and _opens_lower(blocks[body[end]].text) and _continues_subject(blocks[body[end]].text):
            end += 1
    left, right = [], []
    for i in body[:end]:
        t = blocks[i].text.strip()
        num, place_date = _number_part(t)
        if place_date:
            left.append(num)
            right.append(place_date)
        elif _is_motto(t) or parse_place_date(t):
            right.append(t)
        else:
            left.append(t)
    return left, right, body[end:]


_NUMBER_THEN_DATE = re.compile(r"^(?P<num>S[ốỐóÓ]\s*[:.]?\s*\S+)\s+(?P<pd>[^,\d]{2,40}?,\s*ngày.*)$", re.IGNORECASE)


def _number_part(text: str) -> tuple[str, str]:
    """`Số 05-HD/BTGTU Quảng Ngãi, ngày 5 tháng 3 năm 2021` → (`Số 05-HD/BTGTU`, `Quảng Ngãi, ngày…`)."""
    m = _NUMBER_THEN_DATE.match(text.strip())
    return (m.group("num"), m.group("pd")) if m else (text.strip(), "")


def _columns_by_content(blocks: list[Block], body: list[int]) -> tuple[list[int], list[int], list[int]]:
    """No column regions (plain text): lines before the kind line or `Kính gửi` form the
    header; the motto and the place-date line go right, everything else left."""
    end = 0
    for n, i in enumerate(body[:25]):
        t = blocks[i].text
        if kind_of(t) or rules.pattern("header.jsonl", "addressee").match(t):
            end = n
            break
    else:
        return [], [], body
    head = body[:end]
    right = [i for i in head if _is_motto(blocks[i].text) or parse_place_date(blocks[i].text)]
    left = [i for i in head if i not in right]
    return left, right, body[end:]
