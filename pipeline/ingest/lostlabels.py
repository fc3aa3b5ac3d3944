"""A list label the page pass did not read: the `-`, `2.` or `d)` that opens a paragraph.

Tesseract's layout analysis reads a short label at the start of an indented line as part of
the indent, or not at all, when the label stands a little apart from the word after it: on
the real scans a dash, `2.` at the top of a page and `d)` were lost from lines read at 96
otherwise. The ink is still on the page, just left of the line's first word, where a
paragraph's indent is blank. Or the page pass read it as a token that is no label (`~` for a
dash, `__5-` for `5.`). Such a stretch, ink covered by no word tesseract kept or that token, is
cropped with the first word beside it and read again as one line (psm 7), by the Vietnamese
model and, failing it, the English one; what it reads before that word is kept only when it
is a label of the notice's label grammar (rules/labels.jsonl), so a speck, a hole punch or a
margin note stays out. A dash neither model reads is told by its ink's shape.

    reread_lost_labels(img, words, scale, path, page_no) -> words
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import numpy as np
from PIL import Image

from pipeline import rules
from pipeline.ingest import tesseract
from pipeline.ingest.repair import label_glyph
from pipeline.ingest.rereads import MIN_WORD_CONF
from pipeline.ingest.tesseract import Word

INK = 128                   # a pixel darker than this is ink on the print layer
REACH_EMS = 3.0             # how far left of a line's first word a label can stand (`10. `)
GAP_EMS = 0.15              # …and how close: a word space at least lies between them
MIN_INK_PX = 15             # a dash is some 27 dark pixels at 200 dpi; fewer are a speck
MIN_CONF = 60.0             # the second reading is kept this sure
MISREAD_MIN_CONF = 40.0     # …or this, where the page pass read a token that is no label
MAX_REREADS = 12            # stretches read again, per page
# the models a stretch is read with, in turn, until one reads a label: labels are digits,
# Latin letters and signs, and where the Vietnamese model reads a lone `5.` as `Š.` the
# English one reads it as printed; the English one misses a dash the Vietnamese one reads
# (real scans qngai-84-qd-ub, qngai-51-qd-ub)
LABEL_LANGS = ("vie", "eng")
_SAMPLE = "Nội dung"        # a paragraph's text after the label, to test a label against the grammar


@lru_cache(maxsize=1)
def _label_patterns():
    return tuple(rules.patterns("labels.jsonl").values())


def is_label(text: str) -> bool:
    """`-`, `2.`, `d)`, `IV.`, `+`: a label by the grammar of rules/labels.jsonl, the whole
    word, before a paragraph's words; a word (`Các`), a number (`2024`) or a stop is none."""
    for pattern in _label_patterns():
        m = pattern.match(f"{text} {_SAMPLE}")
        if m and m.end() > len(text):
            return True
    return False


def reread_lost_labels(img: Image.Image, words: list[Word], scale: float, path: str, page_no: int) -> list[Word]:
    """The page's words with a label read again where the page pass left its ink unread or
    read it as no label (`~` for a dash, `ø)` for `g)`, `5-` for `5.`)."""
    gray = np.asarray(img.convert("L"))
    # what the page pass read for sure: words kept, unless junk where a label would stand
    kept = [w for w in words if w.conf >= MIN_WORD_CONF]
    crops, anchors = [], []
    lines = tesseract.lines_of(kept)
    margin = _margin(lines)
    for line in lines:
        anchor, opens = _anchor(line), _opens_paragraph(line, margin)
        if anchor is None:
            continue
        misread = [w for w in line if w.right <= anchor.left]
        box, dash = None, None
        if misread:
            box = _crop(gray, misread[0].left, anchor, misread)
        elif opens:
            box, dash = _ink_left_of(gray, anchor, [(w.left, w.top, w.right, w.bottom) for w in kept])
        if box is not None:
            crops.append(box)
            anchors.append((anchor, misread, dash))
        if len(crops) >= MAX_REREADS:
            break
    if not crops:
        return words
    pictures = [img.crop(b) for b in crops]
    readings = [tesseract.read_images(pictures, scale, psm=7, path=path, page_no=page_no, lang=lang)
                for lang in LABEL_LANGS]
    replaced, extra = set(), []
    for k, (box, (anchor, misread, dash)) in enumerate(zip(crops, anchors)):
        found = (_label_before(read[k], box, anchor, bool(misread)) for read in readings)
        # what neither model reads, a dash's shape tells: a short stroke at mid-height
        label = next((w for w in found if w is not None), dash)
        if label is not None:
            extra.append(label)
            replaced.update(id(w) for w in misread)
    if not extra:
        return words
    return [w for w in words if id(w) not in replaced] + extra


def _margin(lines: list[list[Word]]) -> float:
    """Where the page's lines of running text start: most lines are a paragraph's second,
    third… line, set flush with the margin; first lines and headings stand right of it."""
    lefts = sorted(line[0].left for line in lines if len(line) >= 3)
    return float(lefts[len(lefts) // 5]) if lefts else 0.0


def _opens_paragraph(line: list[Word], margin: float) -> bool:
    """A label opens a paragraph: the first line of a tesseract paragraph, or a line that
    starts an em or more right of the margin (an indent)."""
    first = line[0]
    return first.line[2] == "1" or first.left >= margin + first.height


_JUNK = "_~=|\\"
_STROKES = set("=~_—–-")
MISREAD_CHARS = 3           # a token this short opening a line, no label, may be a label misread


def _anchor(line: list[Word]) -> Word | None:
    """The word a lost label would stand before: the line's first word when it has letters,
    or the word after a short token that is no label (`~`, `ø)`, `5-`, `§.`); None when the
    line opens with a label already, or with anything else."""
    first = line[0]
    core = first.text.lstrip(_JUNK)        # `__5-`: a rule's end or a fold before the label
    if core and is_label(label_glyph(core)):       # `©)`, mended by its glyph in repair.py
        return None
    if any(c.isalpha() for c in core) and not (len(core) == 2 and core[1] in ").-"):
        return first
    if len(core) <= MISREAD_CHARS and len(line) > 1 and line[1].text[:1].isupper():
        return line[1]
    return None


def _crop(gray: np.ndarray, x0: int, anchor: Word, misread: tuple | list = ()) -> tuple:
    """The stretch from `x0` to the end of the anchor word, its line's height: a wider margin
    above or below takes in the marks of the lines beside it, which tesseract reads as junk."""
    pad, rim = max(2, anchor.height // 3), max(2, anchor.height // 8)
    top, bottom = min([anchor.top, *(w.top for w in misread)]), max([anchor.bottom, *(w.bottom for w in misread)])
    return (max(0, x0 - pad), max(0, top - rim), anchor.right + pad, min(gray.shape[0], bottom + rim))


def _ink_left_of(gray: np.ndarray, first: Word, boxes: list[tuple]) -> tuple[tuple | None, Word | None]:
    """The crop to read again: the ink standing left of a line's first word within reach of a
    label, no word's, and that first word (None when that stretch is blank); and a dash where
    that ink has a dash's shape."""
    em = first.height
    x0, x1 = max(0, int(first.left - REACH_EMS * em)), int(first.left - GAP_EMS * em)
    y0, y1 = first.top, first.bottom
    if x1 - x0 < 2 or y1 <= y0:
        return None, None
    band = gray[y0:y1, x0:x1] < INK
    # ink of words tesseract read (a column beside, a word of the line above) is no lost label
    for bx0, by0, bx1, by1 in boxes:
        if bx1 <= x0 or bx0 >= x1 or by1 <= y0 or by0 >= y1:
            continue
        band[max(0, by0 - y0):max(0, by1 - y0), max(0, bx0 - x0):max(0, bx1 - x0)] = False
    cols = np.nonzero(band.any(axis=0))[0]
    if not len(cols):
        return None, None
    # the label is the ink nearest the word: specks further left, past a blank, are not read
    gaps = np.nonzero(np.diff(cols) > em // 2)[0]
    start = int(cols[gaps[-1] + 1]) if len(gaps) else int(cols[0])
    if band[:, start:].sum() < MIN_INK_PX:
        return None, None
    return _crop(gray, x0 + start, first), _dash(band[:, start:], x0 + start, first)


DASH_HEIGHT_EMS = 0.2       # a dash is a stroke at most this thick…
DASH_WIDTH_EMS = (0.15, 1.2)  # …this long, in heights of a word box (marks stacked over and under it)
DASH_CONF = 60.0            # the confidence a dash told by its shape is given


def _dash(ink: np.ndarray, left: int, first: Word) -> Word | None:
    """A dash told by the shape of its ink: one short, thin, level stroke standing in the
    middle of the line's height, not at its foot (a stop, a comma) or top (a mark)."""
    rows, cols = np.nonzero(ink.any(axis=1))[0], np.nonzero(ink.any(axis=0))[0]
    height, width, em = rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1, first.height
    middle = (rows[0] + rows[-1]) / 2 / ink.shape[0]
    if height > max(3, DASH_HEIGHT_EMS * em) or not DASH_WIDTH_EMS[0] * em <= width <= DASH_WIDTH_EMS[1] * em:
        return None
    if not 0.3 <= middle <= 0.85 or np.diff(cols).max(initial=1) > 1:
        return None
    return Word("-", left + int(cols[0]), first.top + int(rows[0]), int(width), int(height), DASH_CONF, first.line)


def _label_before(again: list[Word], box: tuple, first: Word, misread: bool) -> Word | None:
    """The label the second reading gives before the line's first word, in the page's
    coordinates, on the first word's line; None when it reads none, or doubts it. Where the
    page pass read a token there already (`__5-`), both readings see a label's ink and the
    second only tells its glyph: it is kept less sure."""
    shifted = [w.shifted(box[0], box[1], first.line) for w in again]
    before = [w for w in shifted if w.right <= first.left + first.height * GAP_EMS]
    if not before:
        return None
    text = before[-1].text                  # the label stands by the word; specks further left
    if set(text) <= _STROKES:
        # a dash read as the strokes it is made of (`=`, `~`): at mid-height; a stroke at the
        # line's foot is an underline or a speck (`__` under `Nghị quyết`, qngai-574-ub)
        middle = (before[-1].top + before[-1].bottom) / 2
        if not first.top + 0.3 * first.height <= middle <= first.top + 0.85 * first.height:
            return None
        text = "-"
    word = replace(before[-1], text=text.lstrip(_JUNK) if text != "-" else text)
    if word.conf < (MISREAD_MIN_CONF if misread else MIN_CONF) or not word.text or not is_label(word.text):
        return None
    return word
