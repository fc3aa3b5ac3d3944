"""The header fields a clerk fills in by hand: the number in `Số: … /UBND-KTTH` and the day
(and month) in `…, ngày … tháng … năm 2025`.

Where they stand is found from the printed words around them, which tesseract reads well
(`Số:` and the `/` of the symbol; `ngày`, `tháng`, `năm`); what is written there is read by
digits.py, on the darkest channel of the page so that blue ink counts. A field read surely
replaces whatever the page pass made of the strokes (`Số:4@`` becomes `Số: 46`); a field that
cannot be read surely is left blank (`Số: /TB-UBND`) with a warning, never junk.

`python -m pipeline.ingest.fields build GOLD_DIR… --scans DIR` cuts the examples digits.py
compares against from real scans whose gold gives the number and the date.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from typing import Optional

import cv2
import numpy as np

from pipeline.ingest import digits
from pipeline.ingest.symbols import mend_symbol
from pipeline.ingest.tesseract import Word, lines_of
from pipeline.vietnamese import strip_marks

HEADER_SHARE = 0.4                 # the header fields stand in the top of the first page
# Figures as tall as the line's printed ones were typed; a little taller, typed when the page
# pass read them as figures at least TYPED_MIN_CONF surely. On the real scans typed figures
# measured 0.71-1.0 of the printed height, handwritten ones 1.11-1.46.
TYPED_SURE_HEIGHT = 1.0
TYPED_MAX_HEIGHT = 1.12
TYPED_MIN_CONF = 60
# A photographed or low-resolution page, enlarged before reading, blurs the heights (typed
# figures measured up to 1.19 on a phone photo at 86 dpi) while tesseract still reads its
# print almost surely; handwriting it read at most 93 surely on the real scans.
TYPED_BLURRED_HEIGHT = 1.3
TYPED_SURE_CONF = 95
TRIMMED_CONF = 80                  # a printed word cut free of the strokes glued to it
# `Số`, as OCR may read it (`Só`, `S6`, `56`) when a pen stroke crowds it
_SO = re.compile(r"^[s5][o6]\b|^[s5][o6][:.]", re.IGNORECASE)
_FIGURES = re.compile(r"^[\dlIO\]]{1,6}$")     # figures, and what OCR makes of 1 and 0 in print
_FIGURE_SLIPS = str.maketrans({"l": "1", "I": "1", "]": "1", "O": "0"})


@dataclass(frozen=True)
class Slot:
    """A stretch of a line where a handwritten field stands, in page pixels, between the
    printed word before it (`Số:`, `ngày`, `tháng`) and the one after it (`/UBND`, `tháng`,
    `năm`); the page pass's words between them are its strokes, misread."""

    field: str                     # number, day, month
    line: tuple                    # the tesseract line it is in
    x0: int
    x1: int
    y0: int
    y1: int
    left: Word
    keep_left: int                 # how many characters of `left` are the printed word
    right: Optional[Word]
    skip_right: int                # characters of `right` before its printed part
    between: tuple[Word, ...]      # the page pass's reading of the strokes


def _key(word: Word) -> str:
    return strip_marks(word.text).lower()


def _prefix_end(word: Word, chars: int) -> int:
    """Where the first `chars` characters of a word end, by their share of its width."""
    return word.left + round(word.width * chars / max(len(word.text), 1))


def find_slots(words: list[Word], width: int, height: int) -> list[Slot]:
    """The number slot of the `Số:` line (left half) and the day and month slots of the date
    line (right half): the first of each from the top of the page (a body's `ngày 19 tháng 6
    năm 2015` further down is no field)."""
    number: list[Slot] = []
    date: list[Slot] = []
    lines = sorted(lines_of([w for w in words if w.top < HEADER_SHARE * height]), key=lambda ln: ln[0].top)
    for line in lines:
        number = number or _number_slot(line, width)
        date = date or _date_slots(line, width)
    return number + date


def _slot(field: str, line: list[Word], i: int, keep: int, j: Optional[int], skip: int) -> Optional[Slot]:
    """The slot between word i (its first `keep` characters printed) and word j (printed from
    character `skip` on); None when there is no room for a digit."""
    left = line[i]
    right = line[j] if j is not None else None
    between = tuple(line[i + 1:j] if j is not None else line[i + 1:i + 2])
    x0 = left.right if keep >= len(left.text) else _prefix_end(left, keep)
    # the page pass may give the printed word a box reaching over the strokes after it
    # (`ngày` read alone from `ngày06`): it ends where its letters, at the line's pitch, end
    x0 = min(x0, left.left + round(PITCH_SLACK * keep * _pitch(line)))
    if right is None:
        x1 = max([w.right for w in between] + [x0 + 2 * left.height])
    elif right is left:
        x1 = _prefix_end(left, skip)
    else:
        x1 = right.left if not skip else _prefix_end(right, skip)
    if between:
        x0, x1 = min([x0] + [w.left for w in between]), max([x1] + [w.right for w in between])
    if x1 - x0 < 0.3 * left.height:
        return None
    return Slot(field, left.line, x0, x1, left.top - left.height // 2, left.bottom + left.height // 2,
                left, keep, right, skip, between)


PITCH_SLACK = 1.2                  # a printed word is at most this much wider than its letters at the line's pitch


def _pitch(line: list[Word]) -> float:
    """The width of a printed letter in this line: the median over its surely read words."""
    widths = [w.width / len(w.text) for w in line if w.conf >= 85 and len(w.text) >= 3]
    return float(np.median(widths)) if widths else float(line[0].height) * 0.6


_SO_PREFIX = re.compile(r"^\w\w[:.]?")


def _number_slot(line: list[Word], width: int) -> list[Slot]:
    for k, w in enumerate(line[:3]):
        if w.left > width / 2 or not _SO.match(_key(w)):
            continue
        j = next((n for n in range(k, min(k + 4, len(line))) if "/" in line[n].text), None)
        if j is None:
            return []
        keep = len(_SO_PREFIX.match(w.text).group(0))
        slot = _slot("number", line, k, keep, j, line[j].text.index("/"))
        return [slot] if slot else []
    return []


# `ngày` (also with the strokes of the day glued on: `ngàW{`; not `Ngãi`), `tháng`, `năm`
_NGAY, _THANG, _NAM = re.compile(r"^nga(?:y|(?!i))"), re.compile(r"th[a-z]ng"), re.compile(r"nam\b")


def _date_slots(line: list[Word], width: int) -> list[Slot]:
    keys = [_key(w) for w in line]
    at = next((k for k, key in enumerate(keys) if _NGAY.match(key) and line[k].left > 0.3 * width), None)
    if at is None:
        return []
    out = []
    for field, opener, closer in (("day", _NGAY, _THANG), ("month", _THANG, _NAM)):
        start = next((k for k in range(at, len(line)) if opener.match(keys[k])), None)
        if start is None:
            return out
        # the printed word after the field, also with the strokes glued before it (`20tháng`),
        # or the one word the page pass made of both and the strokes (`ngày#0tháng`)
        opened = len(opener.match(keys[start]).group(0))
        inside = closer.search(keys[start], opened)
        end = start if inside else next((k for k in range(start + 1, min(start + 4, len(line)))
                                         if closer.search(keys[k])), None)
        skip = inside.start() if inside else (closer.search(keys[end]).start() if end is not None else 0)
        slot = _slot(field, line, start, opened, end, skip)
        if slot:
            out.append(slot)
        at = start + 1
    return out


def _inside(word: Word, slot: Slot) -> bool:
    return any(word is w for w in slot.between)


def slot_crop(ink: np.ndarray, slot: Slot) -> np.ndarray:
    pad = max(2, (slot.x1 - slot.x0) // 40)
    return ink[max(0, slot.y0):slot.y1, max(0, slot.x0 + pad):max(slot.x0 + pad + 1, slot.x1 - pad)]


_LABELS = {"number": "Số:"}
_KEEP = object()                   # the page pass's reading of a typed field stands


def field_masks(ink: np.ndarray, slot: Slot, page_words: list[Word]) -> tuple[list[np.ndarray], bool]:
    """The pieces of ink in a field, one per digit (see digits.segment), and whether they were
    typed: as tall as the line's printed figures (the page pass read them as it reads print),
    or a little taller and read by the page pass as figures. Handwriting is read on the field
    widened over the strokes the printed words beside it were read with."""
    masks = digits.segment(slot_crop(ink, slot))
    if not masks:
        return [], False
    printed = _printed_height(ink, slot, page_words)
    ratio = max(m.shape[0] for m in masks) / printed
    if (ratio <= TYPED_SURE_HEIGHT or (ratio <= TYPED_MAX_HEIGHT and _typed(slot))
            or (ratio <= TYPED_BLURRED_HEIGHT and _typed(slot, TYPED_SURE_CONF))):
        return masks, True
    wider = _widened(ink, slot, printed)
    return (digits.segment(slot_crop(ink, wider)) if wider is not slot else masks), False


def read_slot(ink: np.ndarray, slot: Slot, page_words: list[Word], held_out: str = ""):
    """What the field holds: `_KEEP` when it was typed, else the digits a pen wrote there or
    None (nothing written, or nothing read surely); and a warning or None."""
    masks, typed = field_masks(ink, slot, page_words)
    if not masks:
        return None, None                      # nothing written: a blank the clerk left
    if typed:
        return _KEEP, None
    reading = digits.read_masks(masks, held_out)
    if reading.sure and _plausible(slot.field, reading.text):
        return reading.text, None
    return None, f"the handwritten {_NAMES[slot.field]} could not be read surely (read `{reading.text}`); left blank"


def _widened(ink: np.ndarray, slot: Slot, printed: float) -> Slot:
    """The slot reaching over pen strokes the printed words beside it were read with (`ngày31`
    read as one word puts the slot's start inside the 3; `tháng`'s box may begin on the 1):
    strokes as tall as print that cross either end of the slot belong to the field."""
    y0, y1 = max(0, slot.y0), slot.y1
    reach = 2 * (y1 - y0)
    lo, hi = max(0, slot.x0 - reach), min(ink.shape[1], slot.x1 + reach)
    strip = (ink[y0:y1, lo:hi] < digits.INK_LEVEL).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(strip, connectivity=8)
    x0, x1 = slot.x0, slot.x1
    for k in range(1, n):
        left, width, height = lo + int(stats[k][0]), int(stats[k][2]), int(stats[k][3])
        if height >= TYPED_SURE_HEIGHT * printed and left < slot.x1 and left + width > slot.x0:
            x0, x1 = min(x0, left - 2), max(x1, left + width + 2)
    return slot if (x0, x1) == (slot.x0, slot.x1) else replace(slot, x0=x0, x1=x1)


def _typed(slot: Slot, min_conf: float = TYPED_MIN_CONF) -> bool:
    """The page pass read the field as figures, as it reads print (`157/`, `tháng 12`, a
    typewriter's `l2`): surely enough, and nothing but figures and their usual misreadings."""
    text = "".join(w.text for w in slot.between) or (slot.right.text[:slot.skip_right] if slot.right else "")
    confs = [w.conf for w in slot.between] or ([slot.right.conf] if slot.right else [])
    return bool(_FIGURES.match(text)) and min(confs) >= min_conf


def _printed_height(ink: np.ndarray, slot: Slot, words: list[Word]) -> float:
    """How tall the line's printed figures stand, measured in the ink: the figures of the year
    after `năm` on the date line (the median piece), the capital S of `Số` on the number line
    (its tallest piece: the hat of `ố` stands apart)."""
    if slot.field == "number":
        w = slot.left
        return _piece_height(ink, (w.left, w.top, _prefix_end(w, 1), w.bottom), max)
    line = [w for w in words if w.line == slot.line]
    year = next((b for a, b in zip(line, line[1:]) if _NAM.match(_key(a))), None)
    if year is None:
        return float(slot.left.height)
    return _piece_height(ink, (year.left, year.top, year.right, year.bottom), np.median)


def _piece_height(ink: np.ndarray, box: tuple[int, int, int, int], pick) -> float:
    x0, y0, x1, y1 = box
    crop = ink[max(0, y0 - 2):y1 + 2, max(0, x0 - 1):x1 + 1]
    heights = [m.shape[0] for m in digits.segment(crop)] if crop.size else []
    return float(pick(heights)) if heights else float(y1 - y0)


_NAMES = {"number": "number of the `Số:` line", "day": "day of the date line", "month": "month of the date line"}


def _plausible(field: str, text: str) -> bool:
    if not text.isdigit():
        return False
    if field == "day":
        return 1 <= int(text) <= 31
    if field == "month":
        return 1 <= int(text) <= 12
    return int(text) > 0


def mend_fields(ink: np.ndarray, words: list[Word], path: str = "") -> tuple[list[Word], list[str]]:
    """The page's words with each handwritten header field read by digits.py: the junk the
    page pass made of it replaced by the digits, or removed when they cannot be read surely.

    With VANBAN_HOLDOUT_DIGITS=1 the examples cut from this very file are set aside, so that
    the real scans the examples come from measure the reading as a new file would."""
    height, width = ink.shape[:2]
    held_out = os.path.basename(path) if os.environ.get("VANBAN_HOLDOUT_DIGITS") == "1" else ""
    out, notes = list(words), []
    for slot in find_slots(words, width, height):
        value, note = read_slot(ink, slot, words, held_out)
        if note:
            notes.append(note)
        out = _lift(out, slot) if value is _KEEP else _rewrite(out, slot, value)
    return out, notes


def _rewrite(words: list[Word], slot: Slot, value: Optional[str]) -> list[Word]:
    """The words with the slot's junk gone, the printed words around it trimmed to what is
    printed, and the value (when read) set between them."""
    out: list[Word] = []
    for w in words:
        if _inside(w, slot):
            continue
        if w is not slot.left and w is not slot.right:
            out.append(w)
            continue
        if w is slot.left:
            left = _trimmed(w, 0, slot.keep_left)
            # the printed label was recognised by its place and form, whatever OCR made of it
            out.append(replace(left, text=_LABELS.get(slot.field, left.text)) if slot.field == "number" else left)
            if value:
                out.append(Word(text=value, left=slot.x0, top=slot.y0 + (slot.y1 - slot.y0) // 4,
                                width=slot.x1 - slot.x0, height=(slot.y1 - slot.y0) // 2, conf=90.0,
                                line=slot.line))
        if w is slot.right:
            out.append(_symbol(_trimmed(w, slot.skip_right, len(w.text)), slot))
    return out


def _symbol(word: Word, slot: Slot) -> Word:
    """The symbol after the number's `/`, its type code mended (`/QĐĐ-UBND` → `/QĐ-UBND`)."""
    if slot.field != "number" or not word.text.startswith("/"):
        return word
    return replace(word, text="/" + mend_symbol(word.text[1:]))


def _lift(words: list[Word], slot: Slot) -> list[Word]:
    """A typed field and the printed words around it, as the page pass read them, kept however
    doubtful it was of them (a typewriter's `157/QĐ-NĐ-UB`): they were recognised by their
    place in the line and their form."""
    ours = {id(w) for w in (slot.left, slot.right, *slot.between) if w is not None}
    figures = {id(w) for w in slot.between}
    out = []
    for w in words:
        if id(w) in figures and _FIGURES.match(w.text):
            w = replace(w, text=w.text.translate(_FIGURE_SLIPS))     # typed `1]` is 11
        if id(w) in ours:
            w = replace(w, conf=max(w.conf, TRIMMED_CONF))
            if w.text.startswith("/") and slot.right is not None and w.text == slot.right.text:
                w = _symbol(w, slot)
        out.append(w)
    return out


def _trimmed(w: Word, start: int, end: int) -> Word:
    """The printed part of a word beside a field (`Số:` of `Số:4@``): a low confidence there
    was the strokes', the printed word was recognised by its place and form."""
    x0, x1 = _prefix_end(w, start), _prefix_end(w, end)
    return Word(text=w.text[start:end], left=x0, top=w.top, width=max(1, x1 - x0), height=w.height,
                conf=max(w.conf, TRIMMED_CONF), line=w.line)


# --- the examples digits.py compares against ---------------------------------------------------

def build(gold_dirs: list[str], scans: str) -> int:
    """Cut the handwritten fields of the first page of each scan in `scans` that has a gold
    file (`NAME.json` in one of `gold_dirs`, per ../shared/eval/README.md) into digits, label
    them from the gold's number and date, and write rules/handwriting/. Fields whose pieces do
    not match the gold's digits one for one are left out. Returns how many digits were kept."""
    import json
    from pathlib import Path

    import pypdfium2 as pdfium

    from pipeline.ingest import ocr, scan

    squares, rows = [], []
    for gold_file in sorted(p for d in gold_dirs for p in Path(d).glob("*.json")):
        pdf_path = Path(scans) / f"{gold_file.stem}.scan.pdf"
        if not pdf_path.exists():
            continue
        header = json.loads(gold_file.read_text(encoding="utf-8"))["header"]
        date = header.get("issued_date") or ""
        want = {"number": header.get("number") or "", "day": date[8:10], "month": date[5:7]}
        pdf = pdfium.PdfDocument(str(pdf_path))
        try:
            img, ink, words, _ = ocr.read_page(scan.acquire(pdf, 0), str(pdf_path))
        finally:
            pdf.close()
        ink = np.asarray(ink)
        for slot in find_slots(words, ink.shape[1], ink.shape[0]):
            masks, _ = field_masks(ink, slot, words)
            label = want[slot.field]
            if slot.field != "number" and len(masks) == 1 and label.startswith("0"):
                label = label[1:]          # a clerk writes 5 for 05
            if not masks or len(masks) != len(label) or not label.isdigit():
                continue
            for mask, digit in zip(masks, label):
                squares.append(digits.normalise(mask))
                rows.append({"digit": digit, "source": pdf_path.name, "field": slot.field})
    digits.write_examples(squares, rows)
    digits.write_model()
    return len(squares)


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="Cut handwritten digit examples from real scans with gold.")
    ap.add_argument("command", choices=["build"])
    ap.add_argument("gold", nargs="+", help="folders of gold NAME.json files")
    ap.add_argument("--scans", required=True, help="folder of the NAME.scan.pdf files")
    args = ap.parse_args()
    print(f"{build(args.gold, args.scans)} digits written to {digits.SAMPLES.parent}")
