"""A text PDF's footnotes: the small numbered lines at a page's foot, set aside as FOOTNOTE blocks.

A note is not body text (../shared/eval/README.md, *What real files add*): left among the rows,
it would end the paragraph it cuts at the page break and glue itself to that item. Taken out,
the paragraph runs on over the break whole (layout.body_to_paragraphs), and the note's blocks,
placed after everything else, still give their citations, dates and persons to the text.

Word and LibreOffice set notes in a smaller type (Word's `footnote text`: 10 pt under a 13-14 pt
body) under a short rule, each opening with its number. OCR knows no font size: its "size" is a
line's word height, which wobbles with diacritics and descenders (a 13 pt body reads 11.5-14,
a 10 pt note 8.5-9.5); on a scan the notes must also stand apart from the body above by the
rule's band, a gap wider than the lines' pitch.
"""
from __future__ import annotations

import re
import statistics
from typing import Optional

from pipeline.ingest.layout import Line, Page, _block
from pipeline.model import Block, Region

SMALL = 0.85            # a note's type is at most this share of the page's body type
SMALL_OCR = 0.8         # …and its word height, on a scan, of the body's median
RULE_GAP = 1.6          # on a scan, the gap above the notes in pitches of the body's lines
LOWER_PART = 0.5        # notes stand in the lower half of the page
MIN_ROWS = 4            # a page with fewer rows has no body type to compare with
_NUMBER = re.compile(r"^(?P<n>\d{1,3})\s?\S")


def set_aside(pages: list[Page], rows: list[list[list[Line]]]) -> list[Block]:
    """Take each page's footnote rows out of `rows`; the notes as blocks, in page order, one per
    note (a note wrapped over lines is one block)."""
    lines: list[Line] = []
    for page, prow in zip(pages, rows):
        start = _notes_start(page, prow)
        if start is not None:
            lines += [row[0] for row in prow[start:]]
            del prow[start:]
    return _note_blocks(lines)


def _notes_start(page: Page, prow: list[list[Line]]) -> Optional[int]:
    """Where the page's notes begin: the rows at its foot in small type, one line to a row (not
    a footer's two columns), the first opening with a number. A small foot that does not open
    so (the Nơi nhận list of a last page) is no note."""
    if len(prow) < MIN_ROWS:
        return None
    ocr = any(r.conf is not None for row in prow for ln in row for r in ln.runs)
    body = statistics.median(max(ln.size for ln in row) for row in prow)
    k = len(prow)
    while (k > 0 and len(prow[k - 1]) == 1 and prow[k - 1][0].size <= (SMALL_OCR if ocr else SMALL) * body
           and prow[k - 1][0].y0 > LOWER_PART * page.height):
        k -= 1
    if k == len(prow) or k == 0 or not _NUMBER.match(prow[k][0].text):
        return None
    return k if not ocr or _apart(prow, k) else None


def _apart(prow: list[list[Line]], k: int) -> bool:
    """Row k stands below the row above it by more than the body's usual pitch: the band of
    a footnote's rule, not the next line of a paragraph."""
    tops = [row[0].y0 for row in prow[:k]]
    pitches = [b - a for a, b in zip(tops, tops[1:]) if b > a]
    if not pitches:
        return False
    return prow[k][0].y0 - prow[k - 1][0].y0 > RULE_GAP * statistics.median(pitches)


def _note_blocks(lines: list[Line]) -> list[Block]:
    """Lines → one block per note: a line opens the next note when it starts with the number
    after the last one's (notes count on across pages), or opens a page's notes; any other
    line continues its note (`2020 của Bộ…` wrapped is no note 2020)."""
    notes: list[list[Line]] = []
    expected: Optional[int] = None
    for ln in lines:
        m = _NUMBER.match(ln.text)
        if m and (not notes or int(m.group("n")) == expected or ln.page != notes[-1][-1].page):
            notes.append([ln])
            expected = int(m.group("n")) + 1
        elif notes:
            notes[-1].append(ln)
    return [_block(note, Region.FOOTNOTE) for note in notes]
