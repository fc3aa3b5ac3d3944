"""Scanned pages and images → blocks, through tesseract (`-l vie`, words with their boxes).

Each page is turned upright, deskewed, read by its own tesseract process (pages side by side,
one thread each), read again where the page pass failed (rereads.py), and its words become
the same `layout.Run`s a text PDF gives, so one geometry parts the columns. The words of a
ruled table leave that flow for the table's cells (scantables.py), which come back as blocks
where the table stands, as a text PDF's do (pdftables.py).
"""
from __future__ import annotations

import io
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Iterable, Iterator

import numpy as np
from PIL import Image, ImageChops, ImageOps

from pipeline.errors import CorruptFile, EmptyDocument, TooLarge
from pipeline.ingest import (fields, lostlabels, motto, orientation, pdftables, photo, repair, rereads, rulings,
                             scan, scantables, tesseract)
from pipeline.ingest import marks as page_marks
from pipeline.ingest.layout import Page, Run
from pipeline.ingest.pages import runs_to_blocks
from pipeline.ingest.tesseract import LANG, Word  # noqa: F401  (LANG: what the benchmark runs)
from pipeline.model import IngestedDocument, Mark, MarkKind

DPI = scan.DEFAULT_DPI            # pictures without a resolution of their own (drawn pages)
MAX_PIXELS = 100_000_000          # larger images are refused (decompression bombs)
SPECK_MAX_CONF = 70               # a run of one or two characters below this is a speck
MOTTO_MIN_WORDS = 5               # a stretch this short cannot hold a column and the Quốc hiệu
# upright pages read at a mean word confidence of 91-96, upside down at 45: below this,
# tesseract's orientation detection is asked which way is up
UPRIGHT_MIN_CONF = 70
OSD_MIN_WORDS = 5                 # fewer words: no text to turn (see read_page)
# A ruled box at most this wide and tall (mm) is a stamp or a signature box, not a table: the
# incoming stamp of NĐ 30/2020 Phụ lục IV is 50 × 30 mm (real ones measured 56-57 × 20-25)
STAMP_MAX_MM = (100.0, 45.0)

Image.MAX_IMAGE_PIXELS = MAX_PIXELS

_FED = {90: "lying on its left side", 180: "upside down", 270: "lying on its right side"}


def read(data: bytes, path: str) -> IngestedDocument:
    """An image file (PNG, JPEG, TIFF with one or more pages…) → blocks."""
    try:
        img = Image.open(io.BytesIO(data))
        img.load()  # decode now: a truncated file fails here, as CorruptFile
        frames = []
        for k in range(getattr(img, "n_frames", 1)):
            img.seek(k)
            img.load()
            if img.width * img.height > MAX_PIXELS:
                raise TooLarge(path, f"image is {img.width}x{img.height} pixels, over {MAX_PIXELS:,}")
            # scanners write their resolution; a photo's is taken from the page's size in it
            stated = float(img.info.get("dpi", (0, 0))[0] or 0)
            page, dpi = photo.flatten(_colour(img), photo.resolution(img.size, stated))
            if dpi < scan.MIN_DPI:           # too few pixels a letter for tesseract: enlarged
                factor = scan.MIN_DPI / dpi
                page = page.resize((round(page.width * factor), round(page.height * factor)), Image.BICUBIC)
                dpi = float(scan.MIN_DPI)
            frames.append(scan.ScanFrame(number=k + 1, image=page, scale=72.0 / dpi))
    except Image.DecompressionBombError as e:
        raise TooLarge(path, f"image exceeds {MAX_PIXELS:,} pixels") from e
    except (OSError, SyntaxError, ValueError) as e:
        raise CorruptFile(path, f"image cannot be decoded: {e}") from e
    pages, warnings = ocr_frames(frames, path)
    tables = pdftables.join_pieces([], pages)
    blocks = pdftables.place_blocks(runs_to_blocks(pages), tables)
    if not blocks:
        raise EmptyDocument(path, "OCR found no text in the image")
    return IngestedDocument.from_blocks(blocks, source_path=path, sha256="", format="image",
                                        media_type=Image.MIME.get(img.format or "", ""),
                                        pages=len(frames), warnings=warnings,
                                        marks=[m for p in pages for m in p.marks], tables=tables)


def ocr_pdf_pages(pdf, indices: list[int], path: str) -> tuple[list[Page], list[str]]:
    """Render the given 0-based pages of an open pdfium document and OCR them.

    Rendering stays in this thread (pdfium is not thread-safe), one page ahead of the
    readers, so a long scan never holds all its pictures at once.
    """
    def frames() -> Iterator[scan.ScanFrame]:
        for i in indices:
            page = pdf[i]
            try:
                w, h = page.get_size()
                dpi = scan.scan_dpi(page)
            finally:
                page.close()
            if (w * dpi / 72) * (h * dpi / 72) > MAX_PIXELS:
                raise TooLarge(path, f"page {i + 1} would render to over {MAX_PIXELS:,} pixels")
            yield scan.acquire(pdf, i)
    return ocr_frames(frames(), path)


def ocr_frames(frames: Iterable[scan.ScanFrame], path: str) -> tuple[list[Page], list[str]]:
    """OCR frames side by side, at most one per core plus the one being prepared; pages in order."""
    workers = max(1, os.cpu_count() or 1)
    pending, results = [], []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for frame in frames:
            pending.append(pool.submit(_ocr_frame, frame, path))
            while len(pending) > workers:
                results.append(pending.pop(0).result())
        results += [f.result() for f in pending]
    warnings = [w for _, w in results if w]
    return [p for p, _ in results], warnings


def _colour(img: Image.Image) -> Image.Image:
    """Any picture as RGB on white: an EXIF-turned JPEG upright, transparency flattened."""
    img = ImageOps.exif_transpose(img) if img.format == "JPEG" else img
    if img.mode in ("RGBA", "LA", "P"):
        img = img.convert("RGBA")
        bg = Image.new("RGBA", img.size, "white")
        img = Image.alpha_composite(bg, img)
    return img.convert("RGB")


def ink_layer(img: Image.Image) -> Image.Image:
    """The page with every ink kept: the darkest channel of each pixel, so that a number a
    clerk wrote in blue is as dark as the print (read by fields.py)."""
    if img.mode == "L":
        return img
    r, g, b = img.convert("RGB").split()    # PIL's per-channel ops: 20× numpy's axis=2 reduction
    return ImageChops.darker(ImageChops.darker(r, g), b)


def print_layer(img: Image.Image) -> Image.Image:
    """The page as tesseract should see it: the brightest channel of each pixel, so black
    print stays black while a red seal or a blue signature drawn across the signer's name
    turns pale and stops hiding the letters under it."""
    if img.mode == "L":
        return img
    r, g, b = img.convert("RGB").split()
    return ImageChops.lighter(ImageChops.lighter(r, g), b)


def _ocr_frame(frame: scan.ScanFrame, path: str) -> tuple[Page, str | None]:
    page_no, scale = frame.number, frame.scale
    img, ink, words, turned = read_page(frame, path)
    masks = rulings.find_rulings(np.asarray(img), scale)
    stamps = [b for b in rulings.rulings_to_boxes(*masks)
              if b.width_mm(scale) <= STAMP_MAX_MM[0] and b.height_mm(scale) <= STAMP_MAX_MM[1]]
    words, boxed = _set_boxes_apart(img, words, stamps, scale, path, page_no)
    words = rereads.reread_recipients(img, words, scale, path, page_no)
    words = rereads.reread_garbled(img, words, scale, path, page_no)
    words = lostlabels.reread_lost_labels(img, words, scale, path, page_no)
    notes = [f"page {page_no}: turned {turned}° clockwise to read it (scanned {_FED[turned]})"] if turned else []
    if page_no == 1:
        words, field_notes = fields.mend_fields(np.asarray(ink), words, path)
        notes += [f"page 1: {n}" for n in field_notes]
    # a ruled table's words leave the line flow for its cells (read across, a row is one line)
    grids = scantables.rulings_to_grids(*masks, scale, skip=stamps)
    tables, words = scantables.words_to_pieces(grids, words, img, page_no, scale, path)
    words = repair.mend_page(words)
    runs = words_to_runs(words, page_no, scale)
    runs = rereads.recover_signature(img, runs, page_no, scale, path, words_to_runs)
    page = Page(number=page_no, width=img.width * scale, height=img.height * scale, runs=runs,
                marks=list(frame.marks) + boxed, tables=tables)
    if not runs and not tables:
        notes.append(f"page {page_no}: OCR found no text")
    return page, "; ".join(notes) or None


def read_page(frame: scan.ScanFrame, path: str) -> tuple[Image.Image, Image.Image | None, list[Word], int]:
    """A frame turned upright and deskewed, read once by tesseract: (the print layer it read,
    the darkest layer turned the same way, its words, how far it was turned clockwise). The
    darkest layer is made for page 1 only: the handwritten number and day it serves are there."""
    page_no, scale = frame.number, frame.scale
    img = photo.even_light(print_layer(frame.image))
    img, turned = _upright(img, scale, path, page_no)
    img, angle = orientation.deskew(img)
    words = tesseract.read_words(img, scale, psm=3, path=path, page_no=page_no)
    if len(words) >= OSD_MIN_WORDS and tesseract.mean_confidence(words) < UPRIGHT_MIN_CONF:
        # upside down, or a quarter turn the profile missed: read it the way OSD says is up
        # (a page of a few specks, such as a blank back with the seal showing through, gives
        # OSD no letters to judge by either, and costs a second pass for nothing)
        more = tesseract.osd_turn(img, scale)
        if more:
            again = orientation.turn(img, more)
            words_again = tesseract.read_words(again, scale, psm=3, path=path, page_no=page_no)
            if tesseract.mean_confidence(words_again) > tesseract.mean_confidence(words):
                img, words, turned = again, words_again, (turned + more) % 360
    ink = None
    if page_no == 1:
        ink = orientation.rotate(orientation.turn(photo.even_light(ink_layer(frame.image)), turned), angle)
    return img, ink, words, turned


def _set_boxes_apart(img: Image.Image, words: list[Word], found: list[rulings.Box], scale: float, path: str,
                     page_no: int) -> tuple[list[Word], list[Mark]]:
    """Small ruled boxes (an incoming stamp, a printed signature box: `found`) are marks: their
    words leave the page's and the box is read again alone, for what it tells (số đến, ngày đến)."""
    if not found:
        return words, []
    marks = []
    for b in found:
        inside = tesseract.read_words(img.crop((b.x0, b.y0, b.x1, b.y1)), scale, psm=6, path=path,
                                      page_no=page_no)
        lines = [" ".join(w.text for w in line) for line in tesseract.lines_of(inside)]
        marks.append(page_marks.text_mark(page_no, (b.x0 * scale, b.y0 * scale, b.x1 * scale, b.y1 * scale),
                                          lines, MarkKind.STAMP, round(tesseract.mean_confidence(inside), 1)))

    def boxed(w: Word) -> bool:
        cx, cy = (w.left + w.right) / 2, (w.top + w.bottom) / 2
        return any(b.x0 <= cx <= b.x1 and b.y0 <= cy <= b.y1 for b in found)
    return [w for w in words if not boxed(w)], marks


def _upright(img: Image.Image, scale: float, path: str, page_no: int) -> tuple[Image.Image, int]:
    """A page fed sideways, turned the way tesseract's orientation detection says is up."""
    if not orientation.is_sideways(img):
        return img, 0
    turned = tesseract.osd_turn(img, scale)
    if turned not in (90, 270):
        return img, 0
    return orientation.turn(img, turned), turned


def words_to_runs(words: list[Word], page_no: int, scale: float) -> list[Run]:
    """Tesseract's words → one run per stretch of a tesseract line (see `tesseract.segments`)."""
    runs = []
    for line in tesseract.lines_of([w for w in words if w.conf >= rereads.MIN_WORD_CONF]):
        size = float(np.median([w.height for w in line])) * scale
        runs += [_run(group, page_no, scale, size) for seg in tesseract.segments(line)
                 for group in _at_motto(seg)]
    return [r for r in runs if any(c.isalnum() for c in r.text) and not _speck(r)]


def _at_motto(words: list[Word]) -> list[list[Word]]:
    """A stretch that runs the left header column into the Quốc hiệu, cut where it begins."""
    k = motto.motto_start([w.text for w in words]) if len(words) > MOTTO_MIN_WORDS else None
    return [words[:k], words[k:]] if k else [words]


def _speck(run: Run) -> bool:
    """A run of one or two characters tesseract doubts, standing apart from any line: a speck
    of dust or a stroke of the seal read as `ì`, `5` or `VN` (words of a line are in its run)."""
    return sum(c.isalnum() for c in run.text) <= 2 and (run.conf or 0) < SPECK_MAX_CONF


def _run(words: list[Word], page_no: int, scale: float, size: float) -> Run:
    return Run(text=" ".join(w.text for w in words), x0=min(w.left for w in words) * scale,
               y0=min(w.top for w in words) * scale, x1=max(w.right for w in words) * scale,
               y1=max(w.bottom for w in words) * scale, page=page_no, size=round(size, 1),
               conf=sum(w.conf for w in words) / len(words), words=len(words))
