"""Second readings of what tesseract's page pass could not read: a stretch of junk words, the
smaller type of a line run across two columns, a signature column hidden by a seal.

Each pass crops a part of the page, reads it alone and keeps the new reading only when it is
surer than the old one; the page's words go in and come out as `tesseract.Word`s.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import replace

from PIL import Image

from pipeline import rules
from pipeline.ingest import tesseract
from pipeline.ingest.layout import Run
from pipeline.ingest.tesseract import Word
from pipeline.vietnamese import strip_marks

MIN_WORD_CONF = 20                # below this tesseract is reading a stamp, a signature, a speck
SIGNATURE_MIN_CONF = 60           # the second pass over a sealed signature reads strokes as words
GARBLED_REREADS = 4               # stretches of junk words read again alone, per page
GARBLED_MIN_CONF = 70             # …and kept only when the second reading is this sure
GARBLED_WORD_CONF = 50            # words this doubtful run on a stretch of junk around a worse one
MIXED_SIZE_RATIO = 1.25           # x-heights this far apart on one tesseract line: two columns' type
NOI_NHAN = re.compile(r"^\s*N[ơo]i\s+nh[ậa]n", re.IGNORECASE)
COLUMN_SURE_CONF = 70             # a word of the re-read list this sure vouches for its line
COLUMN_LINE_HEIGHT = 1.4          # …and for a doubted word no taller than this many of its words
COLUMN_END_GAP = 3.0              # line heights of blank that end the Nơi nhận list
# a line the page pass read alone, with no word dropped, is kept unless the column read alone
# is this much surer there
COLUMN_SURE_MARGIN = 5.0


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


def reread_recipients(img: Image.Image, words: list[Word], scale: float, path: str, page_no: int) -> list[Word]:
    """Read the `Nơi nhận` column again alone, as one block (psm 6), and take its reading of
    each line the page pass spoiled.

    The list's small print stands on the baselines of the large bold title in the other
    column; tesseract's page pass runs both into one line and makes junk of the small side,
    drops a line whole (`- Như trên;` read `ng.`, `- Bộ Tài chính:` read `_.—-`) or joins two
    (`- Ban Dân tộc…; - VPUB: …`). Cut off at the other column, the list reads line by line.
    A line the page pass read whole and as surely is kept as it read it (a block read is no
    better there: `Như Điều §` for its `Như Điều 5;`). A word tesseract doubts in the new reading (`VT,` at 1,
    `TTĐT` at 0) is kept when a sure word of its line vouches for it (`COLUMN_*`).
    """
    box = _recipients_box(img, words)
    if box is None:
        return words
    again = tesseract.read_words(img.crop(box), scale, psm=6, path=path, page_no=page_no)
    # a line of the list is one stretch of words: what stands apart after it is the seal's or
    # the signature's ink the crop took in (`- Các Sở: Tài chính, Nội vụ; Z`)
    lines = [_vouched(tesseract.segments(line)[0], box) for line in tesseract.lines_of(again)]
    out = list(words)
    for new, old in zip(lines, _page_lines(words, lines, box)):
        if old and not _spoiled(old, new) and _sure(old) >= _sure(new) - COLUMN_SURE_MARGIN:
            continue
        gone = {id(w) for w in old}
        out = [w for w in out if id(w) not in gone] + new
    return out


def _page_lines(words: list[Word], lines: list[list[Word]], box: tuple[int, int, int, int]) -> list[list[Word]]:
    """The page pass's words of each line of the column's reading: those in the box whose
    middle stands nearest that line's, within a line's height (a word whose box tesseract
    stretched towards the other column's baseline still finds its line)."""
    middles = [(min(w.top for w in ln) + max(w.bottom for w in ln)) / 2 for ln in lines]
    heights = [max(w.bottom for w in ln) - min(w.top for w in ln) for ln in lines]
    out: list[list[Word]] = [[] for _ in lines]
    for w in words:
        if not lines or not _centre_in(w, box):
            continue
        middle = (w.top + w.bottom) / 2
        k = min(range(len(lines)), key=lambda n: abs(middles[n] - middle))
        if abs(middles[k] - middle) <= heights[k]:
            out[k].append(w)
    return out


def _vouched(line: list[Word], box: tuple[int, int, int, int]) -> list[Word]:
    """A line of the column's reading in the page's pixels, each doubted word its line's sure
    words vouch for kept (at the least confidence a page keeps: still doubted by repair)."""
    sure = [w.height for w in line if w.conf >= COLUMN_SURE_CONF and any(c.isalnum() for c in w.text)]
    out = []
    for w in line:
        if w.conf < MIN_WORD_CONF and sure and w.height <= COLUMN_LINE_HEIGHT * statistics.median(sure):
            w = replace(w, conf=float(MIN_WORD_CONF))
        out.append(w.shifted(box[0], box[1], (f"recipients{w.line[0]}", w.line[1], w.line[2])))
    return out


def _spoiled(old: list[Word], new: list[Word]) -> bool:
    """The page pass's reading of a line of the list is spoiled when it dropped a word there:
    one below the floor (`VT,` at 1; a sign is no word: `- Như trên; :` lost nothing), or
    fewer words than the column's reading (`- VPUB: CVP,` for `- VPUB: CVP, PCVP;`), a lone
    letter not counted (a speck of the seal after the line: repair's)."""
    def count(words: list[Word], floor: float) -> int:
        return sum(1 for w in words if (len(w.text) > 1 or w.text.isdigit()) and w.conf >= floor)
    dropped = any(w.conf < MIN_WORD_CONF and any(c.isalnum() for c in w.text) for w in old)
    # a word the column reads surely and the page pass lacks (`bo` at 26 after `- Như trên;` is
    # the seal's)
    return dropped or count(old, 0.0) < count(new, GARBLED_WORD_CONF)


def _recipients_box(img: Image.Image, words: list[Word]) -> tuple[int, int, int, int] | None:
    """The `Nơi nhận` list's box in the page's pixels: from its heading (in the left half) down
    to the first wide blank under the column's lines, across to just short of the first word
    of the other column beside it; None without a heading or another column."""
    heading = _recipients_heading(img, words)
    if heading is None:
        return None
    em = max(8, heading.height)
    top = max(0, heading.top - em // 2)
    beside = [w.left for w in words if w.left >= 0.5 * img.width and top <= w.top <= top + 20 * em]
    if not beside:
        return None
    right = min(beside) - em // 2
    # the list's lines may start left of its heading (bullets at the margin under an
    # indented `Nơi nhận:`)
    left, bottom = heading.left, heading.bottom
    for w in sorted((w for w in words if w.top > heading.top and w.left < right), key=lambda w: w.top):
        if w.top - bottom > COLUMN_END_GAP * em:
            break
        left, bottom = min(left, w.left), max(bottom, w.bottom)
    left = max(0, left - 2 * em)
    if right - left < 6 * em:
        return None
    return left, top, right, min(img.height, bottom + em)


def _recipients_heading(img: Image.Image, words: list[Word]) -> Word | None:
    """The first word of the heading `Nơi nhận`, as OCR may misread it (rules/ocr_labels.jsonl:
    `@Wơi nhận:`, `Mới nhận:`), standing in the page's left half with nothing after it on its
    line but the other column or a first recipient (`Nơi nhận: - Như trên;`), so that a
    sentence (`Nơi nhận hồ sơ: …`) is none."""
    pattern = rules.pattern("ocr_labels.jsonl", "recipients")
    for line in tesseract.lines_of(words):
        for k, w in enumerate(line):
            if w.left >= img.width / 2:
                break
            m = pattern.match(strip_marks(" ".join(x.text for x in line[k:k + 3])).lower())
            if not m:
                continue
            end = k + len(m.group(0).split())          # the word after the heading's own
            after = line[end] if end < len(line) else None
            if after is None or after.text.startswith("-") or after.left - line[end - 1].right > 2 * w.height:
                return w
    return None


def _centre_in(w: Word, box: tuple[int, int, int, int]) -> bool:
    cx, cy = (w.left + w.right) / 2, (w.top + w.bottom) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _sure(words: list[Word]) -> float:
    """How surely a line was read: the mean confidence of the words a page keeps (not those
    below the floor: `- Như trên; :` at 0), but its bullet (a lone dash reads surely
    anywhere); a sign read for a digit (`§;` for `5;`) counts."""
    return tesseract.mean_confidence([w for w in words if not _DASHES.match(w.text) and w.conf >= MIN_WORD_CONF])


_DASHES = re.compile(r"^[-–—+•~_.]+$")


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
