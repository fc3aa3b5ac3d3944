"""Positioned text runs → blocks: rows, the two header and footer columns, body paragraphs.

Shared by the text-PDF reader (runs are pdfium text lines) and the OCR reader (runs are
tesseract lines); both give boxes in points with the origin at the top-left of the page, so
one geometry decides columns and paragraphs whatever the source. The chain is
`runs_to_rows → rows_to_zones → body_to_paragraphs`; pages.py puts them together.
"""
from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from pipeline.ingest.motto import opens_motto
from pipeline.model import BBox, Block, Region
from pipeline.vietnamese import tone_new_style


@dataclass
class Run:
    """A stretch of text on one visual line, as a reader found it."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    page: int                       # 1-based
    size: float                     # font size (em) in points
    bold: Optional[bool] = None
    conf: Optional[float] = None    # mean OCR word confidence
    words: int = 1                  # how many words `conf` averages


@dataclass
class Page:
    number: int
    width: float
    height: float
    runs: list[Run] = field(default_factory=list)
    marks: list = field(default_factory=list)   # model.Mark: what on the page is not the notice
    ruled: bool = False     # drawn lines enough for a ruled table (pdftables.py looks there)
    tables: list = field(default_factory=list)  # pdftables.Piece: ruled tables a scan holds


# --- text helpers -----------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
MOTTO_GAP = 0.5     # ems: wider than a word space, the gap before a Quốc hiệu run into the left column


def clean(text: str) -> str:
    """NFC, the Icelandic eth some fonts map Đ to read as Đ, runs of white space folded."""
    if "\u00d0" in text or "\ufffe" in text:
        # pdfium marks a hyphen at a line end as U+FFFE
        text = text.replace("\u00d0", "\u0110").replace("\ufffe", "-")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


def join_lines(texts: list[str]) -> str:
    """Wrapped (clean) lines → one paragraph. A line ending in a hyphen right after a letter was
    wrapped inside a compound code (`KH-` / `SKHCN`), not hyphenated, so it joins without a space."""
    out = ""
    for t in texts:
        if out and not (out.endswith("-") and len(out) > 1 and not out[-2].isspace()):
            out += " "
        out += t
    return out


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """The form a line is compared in: clean, one tone placement (`Uỷ` = `Ủy`), case-folded."""
    return tone_new_style(clean(text)).casefold()


# A list label opening a line starts a new paragraph: I. 1. 1.1. (1) a) - + • Điều 3. Phần I
_LABEL = re.compile(
    r"""^(?:
        [IVXLC]{1,6}[.)]\s |                    # roman
        \d{1,3}(?:\.\d{1,3}){0,4}[.)]\s |       # 1. 1.1. 2)
        \(\d{1,3}\)\s? |  \([a-zđ]\)\s? |       # (1) (a)
        [a-zđ][.)]\s |                          # a) a.
        [-+•–*]\s |                             # bullets
        Điều\s*\d+[a-z]?\s*[.:] |               # Điều 3. (a bare `Điều 1` wrapped to a line's start is a reference)
        (?:Phần|Chương|Mục)\s+[\dIVXLC]+\b     # Chương I
    )""",
    re.VERBOSE,
)
_SENTENCE_END = re.compile(r"[.:;!?…]\W*$")
_DASH_WORD = re.compile(r"[-–]\s+(?P<word>\S+)(?:\s|$)")
_DASH_LINE = re.compile(r"^[-–+•]\s")
_WORDS = re.compile(r"[^\W\d_]{2,}")
_PAGE_NUMBER = re.compile(r"^[-–—\s]*(?:(?:trang|page)\s*)?\d{1,3}(?:\s*/\s*\d{1,3})?[-–—\s]*$", re.I)


@lru_cache(maxsize=1)
def _markers() -> dict[str, tuple[str, ...]]:
    from pipeline.rules import data  # rules/ is data; loaded once
    raw = data("layout.yaml") or {}
    return {k: tuple(fold(v) for v in vals) for k, vals in raw.items()}


def _starts_with(text: str, key: str) -> bool:
    t = fold(text)
    return any(t.startswith(m) for m in _markers().get(key, ()))


def _is_authority(text: str) -> bool:
    """`TL. CHỦ TỊCH`, `KT.CHỦ TỊCH`: an authority word followed by a title in capitals."""
    t = clean(text)
    if not _starts_with(t, "sign_authority"):
        return False
    letters = [c for c in t if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.7 * len(letters)


@lru_cache(maxsize=1)
def _titles() -> frozenset:
    from pipeline.rules import table
    return frozenset(fold(r["title"]) for r in table("titles.tsv"))


def _is_signer_title(text: str) -> bool:
    """`CHỦ TỊCH`, `GIÁM ĐỐC` alone on its line in capitals: the post of a head who signs in
    person (NĐ 30/2020 Phụ lục I: no authority word then), which opens the signature column."""
    t = clean(text).rstrip(" .:")
    letters = [c for c in t if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and fold(t) in _titles()


# --- lines and rows -----------------------------------------------------------------------

class Line:
    """Runs of one row that read as one line; its geometry is computed once."""

    __slots__ = ("runs", "text", "x0", "y0", "x1", "y1", "page", "size", "bold")

    def __init__(self, runs: list[Run]):
        self.runs = runs
        self.text = clean(" ".join(r.text for r in runs))
        self.x0 = min(r.x0 for r in runs)
        self.x1 = max(r.x1 for r in runs)
        self.y0 = min(r.y0 for r in runs)
        self.y1 = max(r.y1 for r in runs)
        self.page = runs[0].page
        self.size = max(r.size for r in runs)
        flags = [r.bold for r in runs if r.bold is not None]
        self.bold = all(flags) if flags else None


def runs_to_rows(runs: list[Run]) -> list[list[Line]]:
    """Group one page's runs into rows (same band of y) and each row into lines.

    Runs of a row join into one line unless a gap of more than about an em separates them:
    word spacing, even justified, stays under that; the gap between two header or footer
    columns does not.
    """
    rows: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: ((r.y0 + r.y1) / 2, r.x0)):
        mid = (run.y0 + run.y1) / 2
        if rows:
            last = rows[-1]
            top = statistics.median(r.y0 for r in last)
            bottom = statistics.median(r.y1 for r in last)
            centre = (top + bottom) / 2
            if abs(mid - centre) < 0.45 * max(bottom - top, run.y1 - run.y0):
                last.append(run)
                continue
        rows.append([run])
    out = []
    for row in rows:
        row.sort(key=lambda r: r.x0)
        groups = [[row[0]]]
        for run in row[1:]:
            prev = groups[-1]
            gap = run.x0 - max(r.x1 for r in prev)
            # the Quốc hiệu opens the right header column even a narrow gap from the left one
            if gap > 1.0 * max(run.size, prev[-1].size) or (gap > MOTTO_GAP * run.size and opens_motto(run.text)):
                groups.append([run])
            else:
                prev.append(run)
        lines = [ln for ln in map(Line, groups) if ln.text]
        if lines:
            out.append(lines)
    return out


# --- page furniture -----------------------------------------------------------------------

def drop_furniture(pages: list[Page], rows: list[list[list[Line]]]) -> None:
    """Remove page numbers and running headers/footers (same text on several pages' edges)."""
    def edge(page: Page, row: list[Line]) -> bool:
        y = row[0].y0
        return y < 0.1 * page.height or y > 0.88 * page.height

    seen: dict[str, int] = {}
    for page, prow in zip(pages, rows):
        for row in prow:
            if edge(page, row):
                key = re.sub(r"\d+", "#", fold(" ".join(ln.text for ln in row)))
                seen[key] = seen.get(key, 0) + 1
    for page, prow in zip(pages, rows):
        keep = []
        for row in prow:
            text = " ".join(ln.text for ln in row)
            if edge(page, row):
                key = re.sub(r"\d+", "#", fold(text))
                if _PAGE_NUMBER.match(text) or (len(pages) > 2 and seen.get(key, 0) > 1
                                                 and not (page.number == 1 and _header_like(text))):
                    continue
            keep.append(row)
        prow[:] = keep


def _header_like(text: str) -> bool:
    return _starts_with(text, "national_motto") or _starts_with(text, "motto")


# --- zones ------------------------------------------------------------------------------

def _header(page: Page, rows: list[list[Line]]) -> tuple[int, int, float]:
    """Which rows of page 1 (start, end) form the two-column header, and where the columns part.

    Rows above it (a digital-signature stamp a portal printed over the page) are left to the body.

    The header is the top band where text stands on both sides of a vertical gap near the
    page middle; it ends at the first line that crosses that gap (a centered kind of
    document, the body), at `Kính gửi`, or after a wide blank band.
    """
    mid = page.width / 2
    # the header opens at the Quốc hiệu when there is one (rows above it are stamps)
    motto = next((k for k, row in enumerate(rows[:8])
                  if any(_starts_with(ln.text, "national_motto") for ln in row)), None)
    split, start, right_x0 = None, 0, None
    for start, row in enumerate(rows[:8]):
        if motto is not None and start < motto:
            continue
        for a, b in zip(row, row[1:]):
            if a.x1 < mid + 0.15 * page.width and b.x0 > mid - 0.15 * page.width:
                split, right_x0 = (a.x1 + b.x0) / 2, b.x0
                break
        if split is not None:
            break
        if len(row) == 1 and _starts_with(row[0].text, "national_motto") and row[0].x0 > 0.3 * page.width:
            split, right_x0 = row[0].x0 - 2, row[0].x0
            break
    if split is None:
        return 0, 0, mid
    lines = [ln for row in rows for ln in row]
    area_mid = (min(ln.x0 for ln in lines) + max(ln.x1 for ln in lines)) / 2
    n, last_y1 = start, None
    for row in rows[start:]:
        em = max(ln.size for ln in row)
        # a line that runs from the left column into the right one is the body's; a long
        # left line (a V/v wrapped in a wide cell) may pass the middle short of that column
        if any(ln.x0 < split - 2 and ln.x1 > max(split, right_x0 - 0.5 * em) + 2 for ln in row):
            break
        # the kind of document (THÔNG BÁO) may be narrow enough to miss the gap, but it is
        # centered on the text area, where no header column is; a short line wrapped in the
        # right column (the year of the date) may stand as near the middle, but it hangs
        # right under the line it continues, inside that column
        if (n and len(row) == 1 and abs((row[0].x0 + row[0].x1) / 2 - area_mid) < 0.04 * page.width
                and not (row[0].x0 >= right_x0 - 1.0 and last_y1 is not None and row[0].y0 - last_y1 < 0.6 * em)):
            break
        if any(_starts_with(ln.text, "addressee_heading") for ln in row):
            break
        if last_y1 is not None and row[0].y0 - last_y1 > 3.2 * em:
            break
        n += 1
        last_y1 = max(ln.y1 for ln in row)
    return start, n, split


def _footer_start(flat: list[tuple[Page, list[Line]]], first_body: int) -> Optional[int]:
    """Index of the row that opens `Nơi nhận` or the signature column, on the last page that has one."""
    found = []
    for i in range(first_body, len(flat)):
        page, row = flat[i]
        for ln in row:
            centre = (ln.x0 + ln.x1) / 2
            if _starts_with(ln.text, "recipients_heading") and centre < page.width / 2:
                found.append(i)
            elif _is_authority(ln.text) and centre > page.width / 2:
                found.append(i)
            elif _is_signer_title(ln.text) and ln.x0 > page.width / 2:
                found.append(i)
    if found:
        last_page = flat[found[-1]][0].number
        return min(i for i in found if flat[i][0].number == last_page)
    # no marker: a head signing in person leaves only right-hand rows at the very end
    i = len(flat)
    while i > first_body and all(ln.x0 > flat[i - 1][0].width * 0.45 for ln in flat[i - 1][1]):
        i -= 1
    return i if i < len(flat) and len(flat) - i <= 6 else None


# --- blocks -----------------------------------------------------------------------------

def _conf(lines: list[Line]) -> Optional[float]:
    pairs = [(r.conf, r.words) for ln in lines for r in ln.runs if r.conf is not None]
    total = sum(w for _, w in pairs)
    return round(sum(c * w for c, w in pairs) / total, 1) if total else None


def _block(lines: list[Line], region: Region, *, indent: Optional[float] = None,
           align: Optional[str] = None) -> Block:
    first = [ln for ln in lines if ln.page == lines[0].page]
    return Block(
        text=join_lines([ln.text for ln in lines]),
        region=region,
        page=lines[0].page,
        bbox=BBox(x0=round(min(ln.x0 for ln in first), 1), y0=round(min(ln.y0 for ln in first), 1),
                  x1=round(max(ln.x1 for ln in first), 1), y1=round(max(ln.y1 for ln in first), 1)),
        bold=lines[0].bold if all(ln.bold == lines[0].bold for ln in lines) else None,
        font_size=round(statistics.median(ln.size for ln in lines), 1),
        indent=None if indent is None else round(indent, 1),
        align=align,
        confidence=_conf(lines),
    )


def _column_blocks(lines: list[Line], region: Region) -> list[Block]:
    """One block per line of a header or footer column, aligned within the column."""
    if not lines:
        return []
    left, right = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
    out = []
    for ln in lines:
        gap_l, gap_r = ln.x0 - left, right - ln.x1
        align = "center" if abs(gap_l - gap_r) < 0.8 * ln.size and gap_l > 0.5 * ln.size else (
            "right" if gap_r < 0.5 * ln.size < gap_l else "left")
        out.append(_block([ln], region, indent=ln.x0 - left, align=align))
    return out


# a centred line stands at least this many ems in from both margins: a trích yếu's second
# line, a little narrower than its first, still does (qngai-88-qd-ub: 2.2 ems)
CENTRED_GAP = 2.0


def body_to_paragraphs(lines: list[Line]) -> list[Block]:
    """Join wrapped body lines back into paragraphs; centered lines make blocks of their own."""
    if not lines:
        return []
    margins = _page_margins(lines)
    gaps = [b.y0 - a.y1 for a, b in zip(lines, lines[1:]) if a.page == b.page and b.y0 > a.y1 - 2]
    usual_gap = statistics.quantiles(gaps, n=4)[0] if len(gaps) > 3 else 0.0

    # published notices centre titles on the page or on an indented paragraph, not always
    # on the text area, hence a tolerance of a few ems; an indented first line or a
    # paragraph's last line is never near-symmetric, so this cannot catch body text
    def symmetric(ln: Line) -> bool:
        left, right = margins[ln.page]
        return abs((ln.x0 - left) - (right - ln.x1)) < max(1.5 * ln.size, 0.05 * max(right - left, 1.0))

    def centered(ln: Line) -> bool:
        left, right = margins[ln.page]
        gl, gr = ln.x0 - left, right - ln.x1
        return min(gl, gr) > CENTRED_GAP * ln.size and abs(gl - gr) < max(1.5 * ln.size, 0.08 * max(right - left, 1.0))

    def caps(ln: Line) -> bool:
        letters = [c for c in ln.text if c.isalpha()]
        return bool(letters) and all(c.isupper() for c in letters)

    paras: list[list[Line]] = []
    for ln in lines:
        left, right = margins[ln.page]
        if paras and not _breaks(paras[-1], ln, left, right, usual_gap, centered, symmetric, caps):
            paras[-1].append(ln)
        else:
            paras.append([ln])
    blocks = []
    for para in paras:
        head = para[0]
        align = "center" if all(centered(ln) or symmetric(ln) for ln in para) and any(
            centered(ln) for ln in para) else "left"
        blocks.append(_block(para, Region.BODY, indent=head.x0 - margins[head.page][0], align=align))
    return blocks


PAGE_MARGIN_LINES = 6              # a page with this many body lines has margins of its own


def _page_margins(lines: list[Line]) -> dict[int, tuple[float, float]]:
    """Each page's text area (left, right): a scanner feeds every sheet a little aside (a
    page 13 pt right of the one before is every line indented, measured against the first);
    a page of a few lines takes the whole body's."""
    whole = (_margin([ln.x0 for ln in lines], min), _margin([ln.x1 for ln in lines], max))
    out = {}
    for page in {ln.page for ln in lines}:
        own = [ln for ln in lines if ln.page == page]
        out[page] = ((_margin([ln.x0 for ln in own], min), _margin([ln.x1 for ln in own], max))
                     if len(own) >= PAGE_MARGIN_LINES else whole)
    return out


def _breaks(para: list[Line], ln: Line, left: float, right: float, usual_gap: float,
            centered, symmetric, caps) -> bool:
    prev = para[-1]
    em = max(prev.size, ln.size)
    # a change of font size or weight parts paragraphs; OCR knows neither (its "size" is a
    # line height that wobbles with diacritics and descenders)
    from_font = prev.runs[0].conf is None and ln.runs[0].conf is None
    if from_font and (prev.bold != ln.bold or abs(prev.size - ln.size) >= 0.9):
        return True
    if ln.page == prev.page and ln.y0 - prev.y1 > usual_gap + 0.6 * em:
        return True
    para_centered = all(symmetric(x) or centered(x) for x in para) and (
        centered(ln) or any(centered(x) for x in para))
    dash_line = bool(_DASH_LINE.match(ln.text))
    if (centered(ln) or para_centered) and not dash_line:
        # a trích yếu wraps over centered lines; the kind of document above it is in
        # capitals, and so is the authority line a decision opens with under it (`BỘ TRƯỞNG
        # BỘ Y TẾ`), after a trích yếu in lower case
        to_caps = caps(ln) and not caps(prev) and len(_WORDS.findall(ln.text)) >= 2
        return not (para_centered and (symmetric(ln) or centered(ln))
                    and not (caps(prev) and not caps(ln)) and not to_caps)
    if ln.x0 - left > 0.8 * em and not dash_line:      # first-line indent
        return True
    short = right - prev.x1
    if _LABEL.match(ln.text):
        # `chính trị - xã hội` wrapped before its dash is no bullet: the line above runs on
        # without a stop and had no room for the dash and the word after it, which (unlike
        # a bullet's first word) is in lower case, or joins two names (`Dung Quất - Sa Huỳnh`)
        dash = _DASH_WORD.match(ln.text)
        if not dash or _SENTENCE_END.search(prev.text) or short >= _width(ln, dash.group(0)):
            return True
        word = dash.group("word")
        return not (word[:1].islower() or (word[:1].isalpha() and prev.text.split()[-1][:1].isupper())
                    # `(03/02/1930` / `- 03/02/2021)`: a span of dates in a bracket still open
                    or (word[:1].isdigit() and prev.text.count("(") > prev.text.count(")")))
    if short > 0.15 * (right - left):
        return True
    return short > 2 * em and bool(_SENTENCE_END.search(prev.text))


def _width(ln: Line, text: str) -> float:
    """About how wide `text` would be set in the line's type: its share of the line's width."""
    return (ln.x1 - ln.x0) * len(text) / max(len(ln.text), 1)


def _margin(values: list[float], pick) -> float:
    """The text area's edge: the outermost x that at least two lines share (wrapped lines of a
    justified paragraph all start and end there; a lone outdented label or a wide table does not)."""
    counts: dict[int, int] = {}
    for v in values:
        counts[round(v / 3)] = counts.get(round(v / 3), 0) + 1
    shared = [k for k, c in counts.items() if c > 1] or list(counts)
    edge = pick(shared)
    near = [v for v in values if round(v / 3) == edge]
    return statistics.median(near)


def _side_lines(row: list[Line], is_left, left: list[Line], right: list[Line]) -> None:
    """Split a header or footer row into its left and right column; pieces of one side are
    one line (`Số: 453` and `/TB-UBND` around a gap left for the number)."""
    parts = [ln for ln in row if is_left(ln)], [ln for ln in row if not is_left(ln)]
    for side, out in zip(parts, (left, right)):
        if side:
            out.append(Line([r for ln in side for r in ln.runs]))
