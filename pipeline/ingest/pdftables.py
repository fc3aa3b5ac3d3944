"""Ruled tables of a text PDF → `DocTable` grids and one block per cell.

pdfplumber's table finder reads the ruling lines (the user's chosen tool for ruled tables);
it is slower than pdfium, so it opens only the pages pdfium saw enough drawn lines on
(`RULED_PATHS`). A table a page break cuts is one table: the piece at the top of the next
page with the same columns (widths within `_SAME_X` points) continues the last table of
the page before when no text stands between them; a header row Word or LibreOffice repeats
on each page is read once, and a row the break cuts in two is one row again. The text lines inside a table are taken out of the page's runs
(they would read across the columns as one line) and the cells come back as blocks where
the table stands in the body. A scanned page brings its tables as pieces of its own
(scantables.py: the grid from the scan's rules, the cells' OCR words), joined and placed by
the same functions; a header row OCR reads again may differ by a letter.
"""
from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Optional

import pypdfium2.raw as pdfium_c

from pipeline.errors import CorruptFile
from pipeline.ingest import repair
from pipeline.ingest.columns import has_motto, starts_recipients
from pipeline.ingest.layout import Page, join_lines
from pipeline.model import BBox, Block, DocTable, Region, TableCell

RULED_PATHS = 8             # drawn path objects a page needs before its tables are looked for
RULED_COLUMNS = 3           # places vertical rules stand at: a table's outer edges and one inside
RULE_WIDTH = 2.0            # points: a path this narrow is a vertical rule (wider: a box, both sides)
RULE_MIN_HEIGHT = 6.0       # points: shorter paths are underlines and specks, no cell edge
RULE_DOWN = 60.0            # points: a column's rules run down three rows of a task table in all (a stack of
                            # three boxes around single lines of text, 49 pt, does not)
SAME_RULE = 4               # points: vertical edges this close are one rule
_SAME_X = 3.0               # points: column widths that agree across a page break
_EDGE_ROWS = 0.5            # share of rows an inner column edge of a ruled grid runs down
_SAME_HEADER = 0.8          # likeness of a header cell read again on the next page (OCR slips)
_PAGE_MARK = 4              # characters: a line this short between two pieces is a page number
_DATA = (Region.BODY, Region.ATTACHMENT)


@dataclass
class Piece:
    """A table as found on one page: its grid edges and its cells."""

    page: int
    bbox: tuple[float, float, float, float]
    xs: list[float]
    cells: list[TableCell] = field(default_factory=list)
    n_rows: int = 0
    ocr: bool = False       # read from a scan (scantables.py): its group labels may be misread


def ruled_page(page) -> bool:
    """Drawn lines that could be a ruled table's, before pdfplumber (ten times slower than
    pdfium) is asked: enough path objects, and vertical edges at `RULED_COLUMNS`
    places or more, each running down a few rows. A box drawn around each body line, a frame
    or the rule under the motto has its verticals at two places only."""
    edges: dict[int, float] = {}
    count = 0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2):
        count += 1
        left, bottom, right, top = obj.get_bounds()
        if top - bottom < RULE_MIN_HEIGHT:
            continue
        sides = [(left + right) / 2] if right - left <= RULE_WIDTH else [left, right]
        for x in sides:
            key = round(x)
            edges[key] = edges.get(key, 0.0) + (top - bottom)
    if count < RULED_PATHS:
        return False
    return len(_places(edges)) >= RULED_COLUMNS


def _places(edges: dict[int, float]) -> list[int]:
    """Where vertical rules stand, edges a few points apart as one place (a cell's border
    and the next cell's), drawn down `RULE_DOWN` points at least in all (one long rule or a
    segment a cell)."""
    places: list[list] = []
    for x in sorted(edges):
        if places and x - places[-1][0] <= SAME_RULE:
            places[-1][1] += edges[x]
        else:
            places.append([x, edges[x]])
    return [x for x, down in places if down >= RULE_DOWN]


def find_tables(data: bytes, path: str, ruled: list[int], pages: list[Page]) -> list[DocTable]:
    """The ruled tables of the pages numbered `ruled` (0-based) and those a scanned page
    carries, pieces over page breaks joined; the runs inside them are taken out of `pages`."""
    return join_pieces(_plumber_pieces(data, path, ruled) if ruled else [], pages)


def join_pieces(pieces: list[Piece], pages: list[Page]) -> list[DocTable]:
    """Pieces of tables (with those the pages carry: a scan's, scantables.py) → the document's
    tables, in page order, a table cut by a page break joined; the runs inside them are taken
    out of `pages`."""
    pieces = sorted(pieces + [p for page in pages for p in page.tables], key=lambda p: (p.page, p.bbox[1]))
    by_number = {p.number: p for p in pages}
    for piece in pieces:
        _take_runs(by_number.get(piece.page), piece.bbox)
    return [_as_table(n, group) for n, group in enumerate(_join(pieces, by_number))]


def _plumber_pieces(data: bytes, path: str, ruled: list[int]) -> list[Piece]:
    import pdfplumber                               # only for a file with ruled pages
    pieces: list[Piece] = []
    try:
        with pdfplumber.open(io.BytesIO(data), pages=[i + 1 for i in ruled]) as pdf:
            for page in pdf.pages:
                found = page.find_tables()
                words = page.extract_words() if found else []
                pieces += [p for t in found if _ruled_grid(t, words) and (p := _piece(page.page_number, t))]
    except Exception as e:  # pdfminer raises many kinds on a broken file pdfium could read
        raise CorruptFile(path, f"tables could not be read: {e}") from e
    return pieces


def _ruled_grid(table, words: list[dict]) -> bool:
    """A grid of rulings, not lines drawn under or around running text (a file that boxes
    each line of its body, underlines, a frame): every inner column edge runs down at least
    half the rows, and no word stands across a cell's edge."""
    cells = list(table.cells)
    xs = _edges([v for c in cells for v in (c[0], c[2])])
    rows = _edges([c[1] for c in cells])
    for x in xs[1:-1]:
        starts = {round(c[1]) for c in cells if abs(c[0] - x) <= 1.0}
        if len(starts) < _EDGE_ROWS * len(rows):
            return False
    x0, y0, x1, y1 = table.bbox
    inside = [w for w in words if x0 <= (w["x0"] + w["x1"]) / 2 <= x1 and y0 <= (w["top"] + w["bottom"]) / 2 <= y1]
    across = [w for w in inside if not any(c[0] - 1 <= w["x0"] and w["x1"] <= c[2] + 1
                                            and c[1] - 1 <= w["top"] and w["bottom"] <= c[3] + 1 for c in cells)]
    return not across


def _edges(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > 1.0:
            out.append(v)
    return out


def _index(edges: list[float], v: float) -> int:
    return min(range(len(edges)), key=lambda k: abs(edges[k] - v))


def _piece(page_no: int, table) -> Optional[Piece]:
    """A pdfplumber table → a piece with grid positions and spans; None for a box of one
    cell, or the header or signature drawn in a ruled table (layout, not data)."""
    cells = [c for row in table.rows for c in row.cells if c]
    xs = _edges([v for c in cells for v in (c[0], c[2])])
    ys = _edges([v for c in cells for v in (c[1], c[3])])
    if len(xs) < 3 or len(ys) < 3:
        return None
    piece = Piece(page=page_no, bbox=table.bbox, xs=xs, n_rows=len(ys) - 1)
    for row, texts in zip(table.rows, table.extract()):
        for box, text in zip(row.cells, texts):
            if box is None:
                continue
            r, c = _index(ys, box[1]), _index(xs, box[0])
            piece.cells.append(TableCell(
                row=r, col=c, row_span=max(1, _index(ys, box[3]) - r), col_span=max(1, _index(xs, box[2]) - c),
                text=clean_cell(text or ""), page=page_no,
                bbox=BBox(x0=round(box[0], 1), y0=round(box[1], 1), x1=round(box[2], 1), y1=round(box[3], 1))))
    return None if is_layout([c.text for c in piece.cells]) else piece


def is_layout(texts: list[str]) -> bool:
    """Cells that hold the motto or the recipients: the header or the footer laid out in a
    ruled table, not data."""
    return any(has_motto(t) or starts_recipients(t) for t in texts)


def clean_cell(text: str) -> str:
    """A cell's wrapped lines joined into one text, NFC, `Ð` read as `Đ`."""
    text = unicodedata.normalize("NFC", text).replace("\u00d0", "\u0110")
    return join_lines([" ".join(ln.split()) for ln in text.split("\n") if ln.strip()])


def _take_runs(page: Optional[Page], bbox) -> None:
    if page is None:
        return
    x0, y0, x1, y1 = bbox
    page.runs = [r for r in page.runs
                 if not (x0 <= (r.x0 + r.x1) / 2 <= x1 and y0 <= (r.y0 + r.y1) / 2 <= y1)]


def _between(pages: dict[int, Page], a: Piece, b: Piece) -> bool:
    """Text stands after `a` on its page or before `b` on its page (page numbers aside)."""
    pa, pb = pages.get(a.page), pages.get(b.page)
    after = [r for r in (pa.runs if pa else []) if r.y0 > a.bbox[3]]
    before = [r for r in (pb.runs if pb else []) if r.y1 < b.bbox[1]]
    return any(len(r.text.strip()) > _PAGE_MARK for r in after + before)


def _continues(a: Piece, b: Piece, pages: dict[int, Page]) -> bool:
    """`b` continues `a`: on the next page, its columns as wide (a scanner feeds each sheet
    a few points aside, so the columns' widths are compared, not where they stand), no text
    between them."""
    return (b.page == a.page + 1 and len(a.xs) == len(b.xs)
            and all(abs((x - a.xs[0]) - (y - b.xs[0])) <= _SAME_X for x, y in zip(a.xs, b.xs))
            and not _between(pages, a, b))


def _join(pieces: list[Piece], pages: dict[int, Page]) -> list[list[Piece]]:
    groups: list[list[Piece]] = []
    for piece in pieces:
        last = groups[-1][-1] if groups else None
        first_on_page = not any(p.page == piece.page for g in groups for p in g)
        if last is not None and first_on_page and _continues(last, piece, pages):
            groups[-1].append(piece)
        else:
            groups.append([piece])
    return groups


def _row_texts(cells: list[TableCell], row: int) -> list[str]:
    return [c.text for c in sorted(cells, key=lambda c: c.col) if c.row == row]


def _same_row(a: list[str], b: list[str]) -> bool:
    """The same header row, as OCR may read it twice: a letter or a space apart in a cell, a
    short one (`TT` read `MT`) aside when two long ones or more say it is the header."""
    if a == b:
        return True
    fold = lambda row: [re.sub(r"\W", "", t.casefold()) for t in row]   # noqa: E731
    long = [(x, y) for x, y in zip(fold(a), fold(b)) if len(x) > 3 or len(y) > 3]
    return (len(a) == len(b) and len(long) >= 2
            and all(SequenceMatcher(None, x, y).ratio() >= _SAME_HEADER for x, y in long))


def _as_table(number: int, group: list[Piece]) -> DocTable:
    """Pieces of one table → one grid, rows numbered on; a repeated header row dropped."""
    first = group[0]
    cells = list(first.cells)
    offset = first.n_rows
    header = _row_texts(first.cells, 0)
    for piece in group[1:]:
        skip = 1 if _same_row(_row_texts(piece.cells, 0), header) else 0
        last = [c for c in cells if c.row == offset - 1]
        cont = [c for c in piece.cells if c.row == skip]
        if _cut_row(last, cont):
            cells = _with_rest(cells, last, cont)
            skip += 1
        for c in piece.cells:
            if c.row >= skip:
                cells.append(c.model_copy(update={"row": c.row - skip + offset}))
        offset += piece.n_rows - skip
    if any(p.ocr for p in group):
        cells = _mend_group_labels(cells, len(first.xs) - 1)
    x0, y0, x1, y1 = first.bbox
    return DocTable(number=number, n_rows=offset, n_cols=len(first.xs) - 1, page=first.page,
                    bbox=BBox(x0=round(x0, 1), y0=round(y0, 1), x1=round(x1, 1), y1=round(y1, 1)),
                    cells=cells)


def _cut_row(last: list[TableCell], cont: list[TableCell]) -> bool:
    """`cont`, the first row on the next page, is the rest of the row `last` the page break
    cut (Word lets a row break across pages): its numbering cell is empty where the row above
    had one, and a sentence goes on in it, lower case, under a cell that had text."""
    label = lambda row: next((c.text.strip() for c in row if c.col == 0), "")   # noqa: E731
    if not last or not cont or label(cont) or not label(last):
        return False
    above = {c.col: c.text.strip() for c in last}
    return any(c.text.strip()[:1].islower() and above.get(c.col) for c in cont if c.col > 0)


def _with_rest(cells: list[TableCell], last: list[TableCell], cont: list[TableCell]) -> list[TableCell]:
    """The cells of the cut row with the text the next page carries joined on."""
    rest = {c.col: c.text.strip() for c in cont if c.text.strip()}
    ids = {id(c) for c in last}
    return [c.model_copy(update={"text": f"{c.text.rstrip()} {rest[c.col]}".strip()})
            if id(c) in ids and c.col in rest else c for c in cells]


def _mend_group_labels(cells: list[TableCell], n_cols: int) -> list[TableCell]:
    """A scanned table's group rows (a label, then one cell across the other columns:
    `II | Cải cách thủ tục hành chính`) with their roman numerals mended as a sequence
    (repair.mend_romans): OCR reads a lone `II` as `H`, `III` as `IH`."""
    groups = {c.row for c in cells if c.col == 1 and c.col_span == n_cols - 1 and n_cols > 2}
    labels = sorted((c for c in cells if c.col == 0 and c.row in groups and c.text), key=lambda c: c.row)
    mended = dict(zip((id(c) for c in labels), repair.mend_romans([c.text for c in labels])))
    return [c.model_copy(update={"text": mended[id(c)]}) if mended.get(id(c), c.text) != c.text else c
            for c in cells]


def place_blocks(blocks: list[Block], tables: list[DocTable]) -> list[Block]:
    """Each table's cells as blocks (row by row), set in the body before the first body block
    that stands after the table's top, or after the last body block."""
    out = list(blocks)
    for t in tables:
        data = [k for k, b in enumerate(out) if b.region in _DATA]
        after = next((k for k in data if (out[k].page or 0, out[k].bbox.y0 if out[k].bbox else 0)
                      > (t.page or 0, t.bbox.y0 if t.bbox else 0)), None)
        at = after if after is not None else (data[-1] + 1 if data else len(out))
        region = out[at].region if after is not None else (out[data[-1]].region if data else Region.BODY)
        cells = sorted((c for c in t.cells if c.text), key=lambda c: (c.row, c.col))
        out[at:at] = [Block(text=c.text, region=region, page=c.page, bbox=c.bbox, table=t.number,
                            cell=(c.row, c.col)) for c in cells]
    return out
