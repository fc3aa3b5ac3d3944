"""A scanned PDF page → the picture the scanner made, at its own resolution, and the marks a
program drew over it.

A portal that publishes a scan signs it digitally and draws its box (`TRUNG TÂM CÔNG BÁO VÀ
TIN HỌC … Ký bởi … Thời gian ký …`) as a signature widget or as text and a logo laid over the
page. That is not the paper: it is set aside as marks (its text read from the text layer,
where it is exact) and left out of the picture the OCR reads, so it can never be read into
the header.
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from pipeline.ingest import marks as page_marks
from pipeline.ingest.pdfpage import Shown as _Shown
from pipeline.model import Mark

# The resolution a page is read at: its scan's own, within these bounds. Below 200 dpi
# tesseract's letters are too small to tell marks apart (a 100 dpi photo is upsampled); the
# real scans, 300 dpi JPEGs, read worse at 300 than at 200 (extraction score 0.680 against
# 0.712 over the 33 with gold) in 1.5 times the time: tesseract's models were trained on
# type of the size 200 dpi gives body text, and more pixels are more JPEG noise.
MIN_DPI = 200
MAX_DPI = 200
DEFAULT_DPI = 200                 # a page whose picture is not one image (drawn, tiled)
# An image covering less than this share of the page, on a page another image covers, is a
# picture laid over the scan (a portal's logo, a seal image), not the scan itself.
OVERLAY_MAX_SHARE = 0.05
SCAN_MIN_SHARE = 0.4


@dataclass
class ScanFrame:
    """One page's picture: RGB, with the points per pixel that map it back onto the page."""

    number: int                   # 1-based page
    image: Image.Image
    scale: float                  # points per pixel
    marks: list[Mark] = field(default_factory=list)


def acquire(pdf: pdfium.PdfDocument, index: int) -> ScanFrame:
    """Render page `index` (0-based) as the scanner saw it and collect what was drawn over it.

    Order matters: the text of the page's own overlay objects is read before they are taken
    off the page, the page is rendered without annotations, and only then are signature
    widgets flattened to read the text their appearance draws.
    """
    from pipeline.ingest.pdf import visible_runs   # pdf.py reads text pages; this, the scans

    page = pdf[index]
    try:
        dpi = scan_dpi(page)
        widgets = _widget_rects(page)
        runs = visible_runs(page, index + 1)
        marks = _strip_overlays(page, index + 1)
        bitmap = page.render(scale=dpi / 72, may_draw_forms=False, draw_annots=False)
        image = bitmap.to_pil().convert("RGB")
    finally:
        page.close()
    marks = page_marks.runs_to_marks(runs) + marks
    if widgets:
        marks += _widget_marks(pdf, index, widgets)
    return ScanFrame(number=index + 1, image=image, scale=72.0 / dpi, marks=marks)


def scan_dpi(page: pdfium.PdfPage) -> float:
    """The resolution of the picture that covers most of the page, kept within bounds."""
    width, height = page.get_size()
    best, dpi = 0.0, None
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        x0, y0, x1, y1 = obj.get_bounds()
        share = (x1 - x0) * (y1 - y0) / max(width * height, 1.0)
        if share > best and x1 > x0:
            px_w, px_h = obj.get_px_size()
            # the longer side gives the resolution whichever way the image is turned
            best, dpi = share, max(px_w, px_h) / (max(x1 - x0, y1 - y0) / 72.0)
    if dpi is None or best < SCAN_MIN_SHARE:
        return float(DEFAULT_DPI)
    return float(min(max(dpi, MIN_DPI), MAX_DPI))


def _strip_overlays(page: pdfium.PdfPage, page_no: int) -> list[Mark]:
    """Take off the page what a program laid over the scan: visible text (read already from
    the text layer) and small pictures; each picture is kept as a mark of its own. The page
    in memory changes, the file does not."""
    width, height = page.get_size()
    shown = _Shown(page)
    objects = list(page.get_objects(max_depth=1))
    shares = {}
    for obj in objects:
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            x0, y0, x1, y1 = obj.get_bounds()
            shares[id(obj)] = (x1 - x0) * (y1 - y0) / max(width * height, 1.0)
    has_scan = any(s >= SCAN_MIN_SHARE for s in shares.values())
    out = []
    for obj in objects:
        if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT and has_scan and not _invisible(obj):
            page.remove_obj(obj)
        elif has_scan and shares.get(id(obj), 1.0) < OVERLAY_MAX_SHARE:
            out.append(page_marks.image_mark(page_no, shown.box(*_ltrb(obj.get_bounds()))))
            page.remove_obj(obj)
    return out


def _invisible(obj) -> bool:
    return pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw) == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE


def _ltrb(bounds: tuple) -> tuple:
    """pdfium's object bounds (left, bottom, right, top) as (left, top, right, bottom)."""
    left, bottom, right, top = bounds
    return left, top, right, bottom


def _widget_rects(page: pdfium.PdfPage) -> list[tuple[float, float, float, float]]:
    """Where the page's form and signature widgets stand: (left, top, right, bottom) in page space."""
    rect = pdfium_c.FS_RECTF()
    out = []
    for j in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
        annot = pdfium_c.FPDFPage_GetAnnot(page.raw, j)
        try:
            if (pdfium_c.FPDFAnnot_GetSubtype(annot) == pdfium_c.FPDF_ANNOT_WIDGET
                    and pdfium_c.FPDFAnnot_GetRect(annot, rect)):
                out.append((rect.left, rect.top, rect.right, rect.bottom))
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return out


def _widget_marks(pdf: pdfium.PdfDocument, index: int, rects: list[tuple]) -> list[Mark]:
    """What each of the page's widgets draws, one mark a widget: flattened onto the page
    (after its picture was taken) and read from the text layer inside the widget's rectangle."""
    page = pdf[index]
    try:
        if pdfium_c.FPDFPage_Flatten(page.raw, pdfium_c.FLAT_NORMALDISPLAY) != pdfium_c.FLATTEN_SUCCESS:
            return []
    finally:
        page.close()
    page = pdf[index]
    shown = _Shown(page)
    tp = page.get_textpage()
    try:
        texts = _text_by_rect(tp, rects)
    finally:
        tp.close()
        page.close()
    return [page_marks.text_mark(index + 1, shown.box(*rect), text.splitlines())
            for rect, text in zip(rects, texts) if text.strip()]


def _text_by_rect(tp, rects: list[tuple]) -> list[str]:
    """The page's characters shared out among rectangles that may overlap (two signature
    boxes side by side): each to the smallest rectangle its centre falls in."""
    l, r, b, t = (ctypes.c_double() for _ in range(4))
    out = [[] for _ in rects]
    order = sorted(range(len(rects)), key=lambda k: abs((rects[k][2] - rects[k][0]) * (rects[k][1] - rects[k][3])))
    for i in range(pdfium_c.FPDFText_CountChars(tp.raw)):
        ch = chr(pdfium_c.FPDFText_GetUnicode(tp.raw, i))
        if ch in "\r\n":
            for buf in out:
                if buf and buf[-1] != "\n":
                    buf.append("\n")
            continue
        if not pdfium_c.FPDFText_GetCharBox(tp.raw, i, l, r, b, t):
            continue
        cx, cy = (l.value + r.value) / 2, (b.value + t.value) / 2
        home = next((k for k in order if rects[k][0] <= cx <= rects[k][2] and rects[k][3] <= cy <= rects[k][1]), None)
        if home is not None:
            out[home].append(ch)
    return ["".join(buf) for buf in out]
