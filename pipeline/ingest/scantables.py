"""Ruled tables on a scanned page → grids of cells, the OCR words shared out among them:
`rulings_to_grids → words_to_pieces`.

A table is drawn with rules no letter makes (rulings.py finds them): the horizontal rules
give the row lines, the vertical ones the column lines, and a rule missing between two grid
positions merges them into one cell (a group row `I | Công tác chỉ đạo` across four columns,
a unit written once for two rows). The words whose centres fall in a cell are its text and
leave the page's line flow (tesseract reads a row across its columns as one line); the cells
come back as blocks where the table stands, and a table a page break cuts is joined, as for
a text PDF (pdftables.py does both).

A frame of one row or one column is no table (a boxed line, a signature box), nor is a small
box (an incoming stamp, set aside before: rulings.py, `ocr._set_boxes_apart`), nor a grid
tesseract read words across (lines drawn under or around running text).
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, replace

import cv2
import numpy as np
from PIL import Image, ImageOps

from pipeline.ingest import rulings, tesseract
from pipeline.ingest.pdftables import Piece, clean_cell, is_layout
from pipeline.ingest.rereads import MIN_WORD_CONF
from pipeline.ingest.tesseract import Word
from pipeline.model import BBox, TableCell

# A table is wider than this (mm): a signature or stamp box is narrower; the text block of
# an A4 page is 160-170 mm, a table in it at least half that
TABLE_MIN_MM = 80.0
# Rules closer than this (mm) are one rule: a rule 2-3 px thick, a scan's residual skew
# (0.2° over a 170 mm table moves a row line by 0.6 mm) and JPEG blur
SAME_RULE_MM = 1.5
# A cell border is drawn when a rule runs along this share of it: a rule a scan breaks in
# places still counts, a missing rule (a merged cell) has none
BORDER_COVER = 0.5
# Every inner column line of a ruled grid runs down at least this share of its rows (group
# rows merge the columns of a few); lines under or beside running text do not
COLUMN_ROWS = 0.5
# A share of the grid's words standing across a drawn border above which the rules are not
# a table's (underlines, a frame round a paragraph); OCR boxes overrun a rule now and then
ACROSS_MAX = 0.05
OVERRUN_MM = 1.0                    # how far tesseract's box of a word in a cell may reach past a rule
# A cell whose ink fits in this box (mm) holds one short line: a row's number, the `TT` over
# them. Tesseract's page pass drops or misreads such a word standing alone between rules
# (`TT` as `TE` at 10, `3` as `8` at 50), so a doubtful one is read again alone as one line;
# all of a page's in one tesseract process (tesseract.read_images)
SHORT_CELL_MM = (20.0, 6.0)
SURE_CONF = 90                      # page-pass words this sure are not read again
INK_PIXELS = 15                     # fewer dark pixels than this: the cell is blank


@dataclass(frozen=True)
class Grid:
    """A ruled table on a page image: rule positions in pixels, and its cells as
    (row, col, row_span, col_span) over them."""

    xs: list[int]
    ys: list[int]
    cells: list[tuple[int, int, int, int]]

    def box(self, cell: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        r, c, rs, cs = cell
        return self.xs[c], self.ys[r], self.xs[c + cs], self.ys[r + rs]


def rulings_to_grids(horizontal: np.ndarray, vertical: np.ndarray, scale: float,
                     skip: list[rulings.Box] = ()) -> list[Grid]:
    """The ruled tables of a page, top to bottom, from its rule masks (rulings.find_rulings);
    frames overlapping a box in `skip` (a stamp) are passed over."""
    px_mm = 1.0 / (scale * rulings.MM_PER_POINT)
    joined = cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((5, 5), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    grids = []
    for k in range(1, n):
        x, y, w, h, _ = stats[k]
        if w < TABLE_MIN_MM * px_mm or any(_overlaps((x, y, x + w, y + h), b) for b in skip):
            continue
        part = labels[y:y + h, x:x + w] == k
        grid = _grid((horizontal[y:y + h, x:x + w] > 0) & part, (vertical[y:y + h, x:x + w] > 0) & part,
                     int(SAME_RULE_MM * px_mm))
        if grid is not None:
            grids.append(Grid([int(v + x) for v in grid.xs], [int(v + y) for v in grid.ys], grid.cells))
    return sorted(grids, key=lambda g: g.ys[0])


def _overlaps(a: tuple, b: rulings.Box) -> bool:
    return a[0] < b.x1 and b.x0 < a[2] and a[1] < b.y1 and b.y0 < a[3]


def _segments(mask: np.ndarray, axis: int) -> list[tuple[float, int, int]]:
    """The rules of a mask as (position across, start, end along): axis 0 for horizontal
    rules (y; x0, x1), 1 for vertical ones (x; y0, y1)."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    if axis == 0:
        return [(stats[k][1] + stats[k][3] / 2, stats[k][0], stats[k][0] + stats[k][2]) for k in range(1, n)]
    return [(stats[k][0] + stats[k][2] / 2, stats[k][1], stats[k][1] + stats[k][3]) for k in range(1, n)]


def _positions(centres: list[float], near: int) -> list[int]:
    """Rule positions, those closer than `near` pixels taken as one."""
    groups: list[list[float]] = []
    for v in sorted(centres):
        if groups and v - groups[-1][-1] <= near:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [int(round(statistics.mean(g))) for g in groups]


def _column_lines(ver: np.ndarray, ys: list[int], near: int) -> list[int]:
    """The x of the vertical rules that run from one row line to another: letters stacked in
    the lines of a cell (`h`, `l`, `k` under each other) can close into a short vertical run
    as long as a rule, but it neither starts nor ends on a row line."""
    def on_row(v: int) -> bool:
        return any(abs(v - y) <= near for y in ys)
    return _positions([x for x, y0, y1 in _segments(ver, 1) if on_row(y0) and on_row(y1)], near)


def _grid(hor: np.ndarray, ver: np.ndarray, near: int) -> Grid | None:
    """A frame's rules → its grid, cells merged where an inner border is not drawn; None for
    a frame of one row or one column, or one whose column lines do not run down its rows."""
    ys = _positions([y for y, _, _ in _segments(hor, 0)], near)
    xs = _column_lines(ver, ys, near)
    if len(xs) < 3 or len(ys) < 3:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    band = max(2, near)
    # drawn[r][c]: the border right of grid position (r, c); under[r][c]: the one below it
    right = [[_covered(ver[ys[r]:ys[r + 1], max(0, xs[c + 1] - band):xs[c + 1] + band], 1)
              for c in range(n_cols - 1)] for r in range(n_rows)]
    below = [[_covered(hor[max(0, ys[r + 1] - band):ys[r + 1] + band, xs[c]:xs[c + 1]], 0)
              for c in range(n_cols)] for r in range(n_rows - 1)]
    if any(sum(right[r][c] for r in range(n_rows)) < COLUMN_ROWS * n_rows for c in range(n_cols - 1)):
        return None
    return Grid(xs, ys, _merge(right, below, n_rows, n_cols))


def _covered(strip: np.ndarray, axis: int) -> bool:
    """A border is drawn along a strip when rule ink runs along most of it (the ends, where
    the crossing rules stand, left out)."""
    along = strip.any(axis=axis)
    cut = max(1, len(along) // 10)
    inner = along[cut:-cut] if len(along) > 2 * cut else along
    return bool(inner.size) and float(inner.mean()) >= BORDER_COVER


def _merge(right: list[list[bool]], below: list[list[bool]], n_rows: int, n_cols: int) -> list[tuple]:
    """Grid positions joined where no border parts them → cells (row, col, row_span, col_span),
    each the rectangle its positions cover."""
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    for r in range(n_rows):
        for c in range(n_cols):
            if c < n_cols - 1 and not right[r][c]:
                parent[find(r * n_cols + c)] = find(r * n_cols + c + 1)
            if r < n_rows - 1 and not below[r][c]:
                parent[find(r * n_cols + c)] = find((r + 1) * n_cols + c)
    spans: dict[int, list[int]] = {}
    for i in range(n_rows * n_cols):
        r, c = divmod(i, n_cols)
        s = spans.setdefault(find(i), [r, c, r, c])
        s[0], s[1], s[2], s[3] = min(s[0], r), min(s[1], c), max(s[2], r), max(s[3], c)
    return sorted((r0, c0, r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in spans.values())


# --- words → cells -------------------------------------------------------------------------

_RULE_GLYPHS = set("|[]_—–¦")       # a rule tesseract took for a letter


def words_to_pieces(grids: list[Grid], words: list[Word], img: Image.Image, page_no: int,
                    scale: float, path: str) -> tuple[list[Piece], list[Word]]:
    """Each grid's words shared out among its cells by their centres → table pieces (points,
    as pdftables.py gives them), and the page's words left outside every table; a short
    cell the page pass doubted is read again alone from `img`. A grid whose cells hold the
    header's motto or the recipients, or one tesseract read across, keeps its words on the
    page."""
    pieces = []
    for grid in grids:
        inside = [w for w in words if _cell_of(grid, w) is not None]
        if not inside or _across(grid, inside, scale) > ACROSS_MAX * len(inside):
            continue
        reread = _reread_short_cells(grid, inside, img, scale, path, page_no)
        piece = _piece(grid, reread, page_no, scale)
        if piece is None:
            continue
        pieces.append(piece)
        kept = set(map(id, inside))
        words = [w for w in words if id(w) not in kept]
    return pieces, words


def _centre(w: Word) -> tuple[float, float]:
    return (w.left + w.right) / 2, (w.top + w.bottom) / 2


def _cell_of(grid: Grid, w: Word) -> tuple | None:
    cx, cy = _centre(w)
    for cell in grid.cells:
        x0, y0, x1, y1 = grid.box(cell)
        if x0 <= cx < x1 and y0 <= cy < y1:
            return cell
    return None


def _across(grid: Grid, words: list[Word], scale: float) -> int:
    """How many words stand across a border of the cell their centre is in (a rule drawn
    through a line of text), an overrun of `OVERRUN_MM` allowed."""
    slack = OVERRUN_MM / (scale * rulings.MM_PER_POINT)
    out = 0
    for w in words:
        x0, y0, x1, y1 = grid.box(_cell_of(grid, w))
        out += not (x0 - slack <= w.left and w.right <= x1 + slack and y0 - slack <= w.top and w.bottom <= y1 + slack)
    return out


def _piece(grid: Grid, words: list[Word], page_no: int, scale: float) -> Piece | None:
    """A grid and its words → a piece of table in points; None for the header or footer
    laid out in a ruled table."""
    from pipeline.ingest import repair      # its lexicon loads on first use
    by_cell: dict[tuple, list[Word]] = {}
    for w in words:
        if w.conf >= MIN_WORD_CONF and not set(w.text) <= _RULE_GLYPHS:
            by_cell.setdefault(_cell_of(grid, w), []).append(w)
    lined = [w for cell, ws in by_cell.items() for w in _cell_lines(cell, ws)]
    mended: dict[tuple, list[Word]] = {}
    for w in repair.mend_page(lined):
        mended.setdefault(w.line[0], []).append(w)
    pt = lambda v: round(v * scale, 1)      # noqa: E731
    piece = Piece(page=page_no, bbox=(pt(grid.xs[0]), pt(grid.ys[0]), pt(grid.xs[-1]), pt(grid.ys[-1])),
                  xs=[pt(x) for x in grid.xs], n_rows=len(grid.ys) - 1, ocr=True)
    for cell in grid.cells:
        ws = mended.get(_key(cell), [])
        lines = [" ".join(w.text for w in sorted(g, key=lambda w: w.left))
                 for _, g in sorted(_group(ws, lambda w: w.line).items(), key=lambda kv: int(kv[0][2]))]
        x0, y0, x1, y1 = grid.box(cell)
        piece.cells.append(TableCell(row=cell[0], col=cell[1], row_span=cell[2], col_span=cell[3],
                                     text=clean_cell("\n".join(lines)), page=page_no,
                                     bbox=BBox(x0=pt(x0), y0=pt(y0), x1=pt(x1), y1=pt(y1))))
    return None if is_layout([c.text for c in piece.cells]) else piece


def _key(cell: tuple) -> str:
    return "cell{}.{}".format(*cell[:2])


def _group(items: list, key) -> dict:
    out: dict = {}
    for it in items:
        out.setdefault(key(it), []).append(it)
    return out


def _cell_lines(cell: tuple, words: list[Word]) -> list[Word]:
    """A cell's words with one tesseract line key per line of the cell (top to bottom), so
    that repair.py mends each line with the one it continues: a word whose centre stands
    below the last line's half height opens a new line."""
    out: list[Word] = []
    bottom, k = None, -1
    for w in sorted(words, key=lambda w: _centre(w)[1]):
        cy = _centre(w)[1]
        if bottom is None or cy > bottom:
            k += 1
            bottom = cy + w.height / 2
        out.append(replace(w, line=(_key(cell), "1", str(k))))
    return out


def _reread_short_cells(grid: Grid, words: list[Word], img: Image.Image, scale: float, path: str,
                        page_no: int) -> list[Word]:
    """The grid's words, each short cell the page pass doubted (or left blank over ink) read
    again alone as one line (`--psm 7`, all in one tesseract process), its new reading kept
    when surer."""
    by_cell = _group(words, lambda w: _cell_of(grid, w))
    todo = [(cell, crop) for cell in grid.cells
            if min((w.conf for w in by_cell.get(cell, [])), default=0) < SURE_CONF
            and (crop := _short_ink(grid, cell, img, scale)) is not None]
    if not todo:
        return words
    pad = max(3, int(SAME_RULE_MM / (scale * rulings.MM_PER_POINT)))
    white = 255 if img.mode == "L" else (255, 255, 255)
    # the ink alone, on a white margin tesseract wants round a line (the rules left out)
    alone = [ImageOps.expand(img.crop(crop), border=pad, fill=white) for _, crop in todo]
    out = list(words)
    for (cell, crop), read in zip(todo, tesseract.read_images(alone, scale, psm=7, path=path, page_no=page_no)):
        old = by_cell.get(cell, [])
        if read and tesseract.mean_confidence(read) > tesseract.mean_confidence(old):
            kept = set(map(id, old))
            out = [w for w in out if id(w) not in kept] + [w.shifted(crop[0] - pad, crop[1] - pad) for w in read]
    return out


def _short_ink(grid: Grid, cell: tuple, img: Image.Image, scale: float) -> tuple | None:
    """The box round a cell's ink (page pixels) when it is one short line; None for a blank
    cell or a longer text."""
    px_mm = 1.0 / (scale * rulings.MM_PER_POINT)
    inset = max(3, int(SAME_RULE_MM * px_mm / 2))       # the rules round the cell left out
    x0, y0, x1, y1 = grid.box(cell)
    if x1 - x0 <= 2 * inset or y1 - y0 <= 2 * inset:
        return None
    box = _ink_box(np.asarray(img.crop((x0 + inset, y0 + inset, x1 - inset, y1 - inset)).convert("L")))
    if box is None or box[2] - box[0] > SHORT_CELL_MM[0] * px_mm or box[3] - box[1] > SHORT_CELL_MM[1] * px_mm:
        return None
    return x0 + inset + box[0], y0 + inset + box[1], x0 + inset + box[2], y0 + inset + box[3]


def _ink_box(gray: np.ndarray) -> tuple[int, int, int, int] | None:
    """The box round the ink of a cell's inside (specks of noise opened away), None if blank."""
    ink = (gray < rulings.INK_LEVEL).astype(np.uint8)
    ink = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    if int(ink.sum()) < INK_PIXELS:
        return None
    ys, xs = np.nonzero(ink)
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1
