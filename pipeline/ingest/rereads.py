"""Second readings of what tesseract's page pass could not read: a stretch of junk words, the
smaller type of a line run across two columns, a signature column hidden by a seal.

Each pass crops a part of the page, reads it alone and keeps the new reading only when it is
surer than the old one; the page's words go in and come out as `tesseract.Word`s.
"""
from __future__ import annotations

import re
import statistics

from PIL import Image

from pipeline.ingest import tesseract
from pipeline.ingest.layout import Run
from pipeline.ingest.tesseract import Word

MIN_WORD_CONF = 20                # below this tesseract is reading a stamp, a signature, a speck
SIGNATURE_MIN_CONF = 60           # the second pass over a sealed signature reads strokes as words
GARBLED_REREADS = 4               # stretches of junk words read again alone, per page
GARBLED_MIN_CONF = 70             # …and kept only when the second reading is this sure
GARBLED_WORD_CONF = 50            # words this doubtful run on a stretch of junk around a worse one
MIXED_SIZE_RATIO = 1.25           # x-heights this far apart on one tesseract line: two columns' type
NOI_NHAN = re.compile(r"^\s*N[ơo]i\s+nh[ậa]n", re.IGNORECASE)


def reread_garbled(img: Image.Image, words: list[Word], scale: float, path: str, page_no: int) -> list[Word]:
    """Read again, alone, a stretch of words tesseract could not read in its line.

    A small `- GD, các PGĐ Sở;` set on the same baseline as a large bold `CHÁNH VĂN PHÒNG`
    in the other column is read as one line, and the small words come out as junk with a
    confidence of 0. Cropped on its own and read as one line (psm 7) it reads cleanly. Only
    text-like stretches (wider than tall, line-high) are tried, a few per page; a seal or a
    signature read again stays below the confidence floor and is dropped as before.
    """
    groups = _doubtful_stretches(words)
    sides = _small_sides(words)
    in_sides = {id(w) for side in sides for w in side}
    groups = sides + [g for g in groups if not all(id(w) in in_sides for w in g)]
    dropped: set[int] = set()
    extra: list[Word] = []
    groups = [g for g in groups if _text_like(g)][:GARBLED_REREADS]
    boxes = [_crop_box(g, img) for g in groups]
    # the crops read in one tesseract process: its model loads once, not once a stretch
    readings = tesseract.read_images([img.crop(b) for b in boxes], scale, psm=7, path=path, page_no=page_no)
    for n, (group, box, again) in enumerate(zip(groups, boxes, readings)):
        if not again or tesseract.mean_confidence(again) < GARBLED_MIN_CONF:
            continue
        dropped.update(id(w) for w in group)      # the junk reading is replaced by this one
        line = (f"reread{n}", group[0].line[1], group[0].line[2])   # one line for the stretch
        kept = [w for w in words if id(w) not in dropped and w.conf >= MIN_WORD_CONF]
        for w in again:
            word = w.shifted(box[0], box[1], line)
            # the crop may hold words the page pass read already (tesseract can read one line
            # twice, as a line and as junk under it): of two readings of a word, the surer
            same = [k for k in kept if _same_place(k, word)]
            if same and max(k.conf for k in same) >= word.conf:
                continue
            dropped.update(id(k) for k in same)
            extra.append(word)
    if not dropped:
        return words
    return [w for w in words if id(w) not in dropped] + extra


def _doubtful_stretches(words: list[Word]) -> list[list[Word]]:
    """Runs of doubtful words in one line; junk when one of them is too doubtful to keep."""
    groups: list[list[Word]] = []
    prev = None
    for w in words:
        if w.conf < GARBLED_WORD_CONF:
            if groups and prev is not None and prev.line == w.line:
                groups[-1].append(w)
            else:
                groups.append([w])
            prev = w
        else:
            prev = None
    return [g for g in groups if any(w.conf < MIN_WORD_CONF for w in g)]


def _crop_box(group: list[Word], img: Image.Image) -> tuple[int, int, int, int]:
    x0, y0 = min(w.left for w in group), min(w.top for w in group)
    x1, y1 = max(w.right for w in group), max(w.bottom for w in group)
    pad = max(4, (y1 - y0) // 3)
    # a full line-height either side: a leading `-` is often the first junk character
    return (max(0, x0 - 3 * pad), max(0, y0 - pad), min(img.width, x1 + 3 * pad), min(img.height, y1 + pad))


def _small_sides(words: list[Word]) -> list[list[Word]]:
    """The smaller type of a line tesseract ran across two columns (`- Như trên;` in 12 pt
    beside a bold `PHÓ CHỦ TỊCH` in 14 pt), when it doubts a word of it: that side is read
    with the other side's x-height and comes out as junk (`= Nhĩ tiện;`)."""
    out = []
    for line in tesseract.lines_of([w for w in words if w.conf >= 0]):
        if len(line) < 3:
            continue
        gap, cut = max((b.left - a.right, i + 1) for i, (a, b) in enumerate(zip(line, line[1:])))
        sides = line[:cut], line[cut:]
        heights = [[w.height for w in side if any(c.isalpha() for c in w.text)] for side in sides]
        if not all(heights) or gap < 3 * statistics.median(heights[0] + heights[1]):
            continue
        small, large = sorted(zip(map(statistics.median, heights), range(2)))
        side = sides[small[1]]
        if large[0] >= MIXED_SIZE_RATIO * small[0] and any(w.conf < GARBLED_WORD_CONF for w in side):
            out.append(side)
    return out


def _text_like(group: list[Word]) -> bool:
    """Wider than tall, line-high: words (`Nơi nhận:` in small italics is three heights of
    the box tesseract gives its junk), not a seal's specks or a signature's loop."""
    x0, x1 = min(w.left for w in group), max(w.right for w in group)
    height = max(w.height for w in group)
    return 8 <= height <= 80 and (x1 - x0) >= 3 * height


def recover_signature(img: Image.Image, runs: list[Run], page_no: int, scale: float, path: str,
                      to_runs) -> list[Run]:
    """Read the signature column again when the page pass found nothing in it.

    A seal and a pen stroke across the signer's title and name make tesseract's page
    layout analysis (psm 3) take that corner for a picture and skip it; the same corner
    read as one block of text (psm 6) gives the title and the name. Only pages with a
    `Nơi nhận` and an empty right side beside and under it pay for the second pass.
    """
    heading = [r for r in runs if NOI_NHAN.match(r.text)]
    if not heading:
        return runs
    em = heading[0].size or 12.0
    top = max(0.0, heading[0].y0 - 3 * em)
    middle = img.width * scale / 2
    beside = [r for r in runs if r.x0 >= middle and r.y0 >= top]
    if sum(r.words for r in beside) >= 3:
        return runs
    box = (int(middle / scale), int(top / scale), img.width, img.height)
    words = tesseract.read_words(img.crop(box), scale, psm=6, path=path, page_no=page_no)
    found = []
    for w in to_runs([w.shifted(box[0], box[1]) for w in words], page_no, scale):
        if (w.conf or 0) < SIGNATURE_MIN_CONF or sum(c.isalpha() for c in w.text) < 3:
            continue  # strokes of the seal and the signature read as letters
        # a signature set above `Nơi nhận` was read by the page pass already: not twice
        if not any(_overlap(w, other) for other in runs):
            found.append(w)
    return runs + found


def _overlap(a: Run, b: Run) -> bool:
    """Two runs that cover mostly the same stretch of the page."""
    return mostly_same((a.x0, a.y0, a.x1, a.y1), (b.x0, b.y0, b.x1, b.y1))


def mostly_same(a: tuple, b: tuple) -> bool:
    """Two boxes (x0, y0, x1, y1) each overlapping the other over half its width and height."""
    across = min(a[2], b[2]) - max(a[0], b[0])
    down = min(a[3], b[3]) - max(a[1], b[1])
    return across > 0.5 * min(a[2] - a[0], b[2] - b[0]) and down > 0.5 * min(a[3] - a[1], b[3] - b[1])


def _same_place(a: Word, b: Word) -> bool:
    """Two word boxes that cover mostly the same stretch of one line."""
    return mostly_same((a.left, a.top, a.right, a.bottom), (b.left, b.top, b.right, b.bottom))
