"""Text PDF → blocks, through pdfium; pages without a text layer go to OCR.

pdfium over pdfplumber: on the dev notices pdfplumber takes 25-200 ms a document to list its
characters, pdfium 1-7 ms for the whole text. To stay near that, no call is made per
character: pdfium already breaks its text into lines (`\\r\\n` it generates), so each line
costs one rectangle query and a few font queries, and only a line whose rectangles leave a
wide gap (two columns written as one line) is looked at character by character.
"""
from __future__ import annotations

import ctypes
import re
from typing import Optional

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.errors import CorruptFile, EmptyDocument, EncryptedFile
from pipeline.ingest import pdftables
from pipeline.ingest.layout import Page, Run
from pipeline.ingest.pages import runs_to_blocks
from pipeline.ingest.pdfpage import Shown
from pipeline.ingest.legacy import detect_legacy, fix_legacy, is_caps_font
from pipeline.model import IngestedDocument

# A page with fewer visible characters than this over a picture has no usable text layer, so
# it is OCRed (a page with no text at all always is: its letters may be drawn as shapes).
MIN_TEXT_CHARS = 16
# ...and so is a page whose text is only a little (a digital-signature stamp, a page number
# a portal added) over an image covering much of it: the notice is the picture.
FEW_TEXT_CHARS = 300
SCAN_IMAGE_AREA = 0.4

_LINE = re.compile(r"[^\r\n]+")
_BOLD_FLAG = 1 << 18  # PDF font descriptor ForceBold


def read(data: bytes, path: str) -> IngestedDocument:
    pdf = open_pdf(data, path)
    try:
        n = len(pdf)
        if n == 0:
            raise EmptyDocument(path, "PDF has no pages")
        pages: list[Page | str] = []
        for i in range(n):
            pages.append(_text_page(pdf, i))
        need_ocr = [i for i, p in enumerate(pages) if not isinstance(p, Page)]
        overlaid = [i + 1 for i, p in enumerate(pages) if p is _OCR_LAYER]
        warnings = []
        if need_ocr:
            from pipeline.ingest import ocr  # tesseract only when a page needs it
            ocred, warnings = ocr.ocr_pdf_pages(pdf, need_ocr, path)
            for i, page in zip(need_ocr, ocred):
                pages[i] = page
    finally:
        pdf.close()
    read_pages = [p for p in pages if isinstance(p, Page)]
    tables = pdftables.find_tables(data, path, [i for i, p in enumerate(pages) if isinstance(p, Page) and p.ruled],
                                   read_pages)
    blocks = pdftables.place_blocks(runs_to_blocks(read_pages), tables)
    if not blocks:
        raise EmptyDocument(path, f"no text found on any of the PDF's {n} pages")
    fmt = "scan" if len(need_ocr) == n else "pdf"
    if need_ocr and fmt == "pdf":
        warnings.append(f"pages {', '.join(str(i + 1) for i in need_ocr)} had no text layer and were OCRed")
    if overlaid:
        warnings.append(f"pages {', '.join(map(str, overlaid))}: a scan under another program's invisible OCR text, read again by OCR")
    return IngestedDocument.from_blocks(blocks, source_path=path, sha256="", format=fmt,
                                        media_type="application/pdf", pages=n, warnings=warnings,
                                        marks=[m for p in read_pages for m in p.marks], tables=tables)


def visible_runs(page: pdfium.PdfPage, page_no: int) -> list[Run]:
    """The page's visible text lines (not an OCR program's invisible layer), as runs."""
    shown = Shown(page)
    tp = page.get_textpage()
    try:
        text = tp.get_text_range()
        return [run for run, s, _ in _runs(tp.raw, text, shown, page_no) if not _hidden(tp.raw, s)]
    finally:
        tp.close()


def _hidden(tp, i: int) -> bool:
    obj = pdfium_c.FPDFText_GetTextObject(tp, i)
    return bool(obj) and pdfium_c.FPDFTextObj_GetTextRenderMode(obj) == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE


def open_pdf(data: bytes, path: str) -> pdfium.PdfDocument:
    """Open with pdfium, turning its load errors into ours."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        encrypted = b"/Encrypt" in data
        # pdfium refuses a document whose page tree is empty, reporting "success" or the
        # previous failure's code, which it keeps per thread: in a worker that read a broken
        # file before, any code; so the page tree itself decides
        if not encrypted and re.search(rb"/Count\s+0\b", data) and not re.search(rb"/Count\s+[1-9]", data):
            raise EmptyDocument(path, "PDF has no pages") from e
        if not encrypted and code in (pdfium_c.FPDF_ERR_SUCCESS, pdfium_c.FPDF_ERR_PASSWORD):
            code = pdfium_c.FPDF_ERR_FORMAT
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise EncryptedFile(path, "PDF is protected by a password") from e
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise EncryptedFile(path, "PDF uses an unsupported security handler") from e
        reason = {pdfium_c.FPDF_ERR_FORMAT: "not a PDF or damaged (truncated, broken cross-reference)",
                  pdfium_c.FPDF_ERR_FILE: "file could not be read"}.get(code, str(e))
        raise CorruptFile(path, f"PDF cannot be opened: {reason}") from e


def _has_widgets(page: pdfium.PdfPage) -> bool:
    for j in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
        annot = pdfium_c.FPDFPage_GetAnnot(page.raw, j)
        widget = pdfium_c.FPDFAnnot_GetSubtype(annot) == pdfium_c.FPDF_ANNOT_WIDGET
        pdfium_c.FPDFPage_CloseAnnot(annot)
        if widget:
            return True
    return False


def _flattened(pdf: pdfium.PdfDocument, index: int) -> pdfium.PdfPage:
    """The page with its form and signature fields flattened onto it: they draw text (the
    number and day stamped in at signing) in their own appearance streams, outside the page's."""
    page = pdf[index]
    if pdfium_c.FPDFPage_Flatten(page.raw, pdfium_c.FLAT_NORMALDISPLAY) == pdfium_c.FLATTEN_SUCCESS:
        page.close()
        return pdf[index]
    return page


_SCAN, _OCR_LAYER = "a picture with little or no text", "invisible OCR text over a scan"


def _scan_kind(page: pdfium.PdfPage, tp, text: str) -> Optional[str]:
    """Whether the page is a picture to OCR (`_SCAN`, `_OCR_LAYER`) or None for a text page;
    judged on the page's own text, before any signature widget's is flattened onto it."""
    visible = len("".join(text[:4000].split()))
    if visible < FEW_TEXT_CHARS:
        # a page with only a little text is a scan when a picture carries the rest; without
        # one, that little text is the page (the last line of a table run over the page end)
        share = _image_share(page)
        if not visible or (visible < MIN_TEXT_CHARS and share > 0) or share > SCAN_IMAGE_AREA:
            return _SCAN
    elif _invisible(tp.raw, text) and _image_share(page) > SCAN_IMAGE_AREA:
        # a scan with an OCR program's invisible text laid over it: that text sits in
        # boxes its glyphless font does not fill, along skewed baselines, and carries that
        # program's misreadings; the page is read again as the scan it is
        return _OCR_LAYER
    return None


def _text_page(pdf: pdfium.PdfDocument, index: int) -> Page | str:
    """The page's text lines as runs; `_SCAN` when it has too little text to be a text page,
    or `_OCR_LAYER` when its text is an OCR program's, hidden over the scan: either is OCRed.
    The page is loaded once, and again only when a widget's text must be flattened onto it."""
    page = pdf[index]
    tp = page.get_textpage()
    text = tp.get_text_range()
    kind = _scan_kind(page, tp, text)
    flattened = not kind and _has_widgets(page)
    if kind or flattened:
        tp.close()
        page.close()
        if kind:
            return kind
        page = _flattened(pdf, index)
        tp = page.get_textpage()
        text = tp.get_text_range()
    shown = Shown(page)
    try:
        # legacy-font text whose font was replaced when it was printed (a .VnTime file made a
        # PDF where no .VnTime is installed) is known by its letters, page by page
        by_letters = None if text.isascii() else detect_legacy(text.replace(_PDFIUM_HYPHEN, _SOFT_HYPHEN))
        runs = _runs(tp.raw, text, shown, index + 1, by_letters)
        if flattened:
            runs = _split_overlaps(tp.raw, runs, shown)
        ruled = pdftables.ruled_page(page)
    finally:
        tp.close()
        page.close()
    return Page(number=index + 1, width=shown.width, height=shown.height, runs=[r for r, _, _ in runs],
                ruled=ruled)


def _invisible(tp, text: str, sample: int = 24) -> bool:
    """Most of the page's text is drawn invisible (render mode 3), as OCR programs lay it over
    a scan; looked up on a sample of characters, not all."""
    picked = set()
    for k in range(sample):
        i = k * len(text) // sample
        while i < len(text) and text[i].isspace():
            i += 1
        if i < len(text):
            picked.add(i)
    if not picked:
        return False
    return sum(_hidden(tp, i) for i in picked) >= 0.8 * len(picked)


def _image_share(page: pdfium.PdfPage) -> float:
    """Largest share of the page one image object covers."""
    w, h = page.get_size()
    best = 0.0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        x0, y0, x1, y1 = obj.get_bounds()
        best = max(best, (x1 - x0) * (y1 - y0) / max(w * h, 1.0))
    return best


class _Font:
    """Per-call scratch buffers for pdfium's font queries (allocated once per page)."""

    def __init__(self):
        self.name = ctypes.create_string_buffer(128)
        self.flags = ctypes.c_int()

    def query(self, tp, i: int) -> tuple[bool, str]:
        pdfium_c.FPDFText_GetFontInfo(tp, i, self.name, 128, ctypes.byref(self.flags))
        name = self.name.value.decode("latin-1", "replace")
        low = name.lower()
        # LibreOffice writes weight 400 even for its Bold faces: trust the name first
        bold = "bold" in low or "black" in low or bool(self.flags.value & _BOLD_FLAG)
        return bold, name


def _runs(tp, text: str, shown: Shown, page_no: int,
          by_letters: Optional[str] = None) -> list[tuple[Run, int, int]]:
    """One run per pdfium line, split where its rectangles leave a column-wide gap."""
    l, t, r, b = (ctypes.c_double() for _ in range(4))
    font = _Font()
    out = []
    for m in _LINE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s >= e:
            continue
        bold, name = font.query(tp, s)
        bold = bold or pdfium_c.FPDFText_GetFontWeight(tp, s) >= 600
        bold_end = font.query(tp, e - 1)[0] if bold else False
        size = pdfium_c.FPDFText_GetFontSize(tp, s) or 10.0
        rects = []
        for j in range(pdfium_c.FPDFText_CountRects(tp, s, e - s)):
            pdfium_c.FPDFText_GetRect(tp, j, l, t, r, b)
            rects.append(shown.box(l.value, t.value, r.value, b.value))
        if not rects:
            continue
        rects.sort()
        wide = any(nx[0] - pr[2] > size for pr, nx in zip(rects, rects[1:]))
        span = max(x[2] for x in rects) - rects[0][0]
        if wide or span > (e - s) * size * 0.9:   # columns in one line, or spaced out
            pieces = _split_by_chars(tp, text, s, e, shown, size)
        else:
            pieces = [(s, e, (rects[0][0], min(x[1] for x in rects), max(x[2] for x in rects), max(x[3] for x in rects)))]
        for ps, pe, (x0, y0, x1, y1) in pieces:
            piece = _unmark_notes(tp, text, ps, pe)
            out.append((Run(text=_legacy(piece, name, by_letters), x0=x0, y0=y0, x1=x1, y1=y1, page=page_no,
                            size=round(size, 1), bold=bold and bold_end), ps, pe))
    return out


# digits that may be a note's mark set small and raised: after a word (`TT-BNV¹`, `hành.²`), or
# opening a line (a footnote's own number at the page's foot)
_NOTE_MARK = re.compile(r"(?<=[^\s\d/.,-])\d{1,2}(?=[\s,.;:)]|$)|(?<=[.,;:)])\d{1,2}(?=\s|$)|^\d{1,2}(?=\s?\S)")
SUPERSCRIPT = 0.8       # a mark is set this much smaller than the letter beside it, or smaller


def _unmark_notes(tp, text: str, s: int, e: int) -> str:
    """The line's text without the footnote marks in it (superscript digits after a word, which
    would glue to it: `01/2020/TT-BNV1`), and with a footnote's own number at its start parted
    from its first word (`1Thông tư` → `1 Thông tư`). Only digits where a mark can stand are
    looked at, one font-size query each."""
    line = text[s:e]
    if not any(c.isdigit() for c in line):
        return line
    out, last = [], 0
    for m in _NOTE_MARK.finditer(line):
        a, b = m.start(), m.end()
        beside = s + (a - 1 if a else b + (b < len(line) and line[b].isspace()))
        if beside >= e or not _smaller(tp, s + a, beside):
            continue
        out.append(line[last:a])
        if a == 0:
            out.append(m.group() + ("" if line[b:b + 1].isspace() else " "))
        last = b
    return "".join(out) + line[last:] if out else line


def _smaller(tp, i: int, beside: int) -> bool:
    mark, letter = pdfium_c.FPDFText_GetFontSize(tp, i), pdfium_c.FPDFText_GetFontSize(tp, beside)
    return 0 < mark < SUPERSCRIPT * letter


def _legacy(text: str, font: str, by_letters: Optional[str] = None) -> str:
    """TCVN3/VNI fonts (.VnTime, VNI-Times) store Latin-1 letters for Vietnamese ones: known
    by the font's name, or else by the letters of the whole page (`by_letters`)."""
    name = font.split("+")[-1] if font else ""
    named = bool(font) and (name.startswith((".Vn", "VNI")) or "Vn" in font[:12])
    if not named and not by_letters or text.isascii() and not is_caps_font(name):
        return text
    legacy_text = text.replace(_PDFIUM_HYPHEN, _SOFT_HYPHEN)
    enc = detect_legacy(legacy_text, name) if named else by_letters
    return fix_legacy(legacy_text, name, encoding=enc, soft_hyphens=True) if enc else text


# pdfium reports a soft hyphen (U+00AD) as U+FFFE; TCVN3 draws `ư` at that code
_PDFIUM_HYPHEN, _SOFT_HYPHEN = "\ufffe", "\u00ad"


def _char_boxes(tp, s: int, e: int, shown: Shown) -> list[Optional[tuple[float, float, float, float]]]:
    l, r, b, t = (ctypes.c_double() for _ in range(4))
    boxes = []
    for i in range(s, e):
        if pdfium_c.FPDFText_GetCharBox(tp, i, l, r, b, t) and r.value > l.value:
            boxes.append(shown.box(l.value, t.value, r.value, b.value))
        else:
            boxes.append(None)
    return boxes


def _split_by_chars(tp, text: str, s: int, e: int, shown: Shown, size: float):
    """Cut a line at gaps wider than an em between consecutive visible characters."""
    boxes = _char_boxes(tp, s, e, shown)
    pieces, start, cur, last_x1 = [], None, None, None
    for k, box in enumerate(boxes):
        if box is None or text[s + k].isspace():
            continue
        if cur is not None and box[0] - last_x1 > size:
            pieces.append((start, s + k, cur))
            cur = None
        if cur is None:
            start, cur = s + k, box
        else:
            cur = (min(cur[0], box[0]), min(cur[1], box[1]), max(cur[2], box[2]), max(cur[3], box[3]))
        last_x1 = box[2]
    if cur is not None:
        pieces.append((start, e, cur))
    return [(ps, pe, box) for ps, pe, box in pieces if text[ps:pe].strip()]


def _split_overlaps(tp, runs, shown: Shown):
    """Text flattened from a field lands inside a gap of a line (`Số:      /TB-UBND`); cut that
    line around it so the pieces sort by x."""
    out = list(runs)
    changed = True
    while changed:
        changed = False
        for a in out:
            ra = a[0]
            for b in out:
                rb = b[0]
                if b is a or not (ra.x0 < rb.x0 and rb.x1 < ra.x1):
                    continue
                if min(ra.y1, rb.y1) - max(ra.y0, rb.y0) < 0.3 * min(ra.y1 - ra.y0, rb.y1 - rb.y0):
                    continue
                cut = _cut_at(tp, a, rb.x0, shown)
                if cut:
                    out.remove(a)
                    out.extend(cut)
                    changed = True
                    break
            if changed:
                break
    return out


def _cut_at(tp, item, x: float, shown: Shown):
    run, s, e = item
    text_len = e - s
    l, r, b, t = (ctypes.c_double() for _ in range(4))
    chars = []
    for i in range(s, e):
        pdfium_c.FPDFText_GetCharBox(tp, i, l, r, b, t)
        x0, y0, x1, y1 = shown.box(l.value, t.value, r.value, b.value)
        chars.append((x0, x1, y0, y1))
    k = next((k for k, c in enumerate(chars) if (c[0] + c[1]) / 2 > x), text_len)
    if k in (0, text_len):
        return None
    left_text, right_text = run.text[:k], run.text[k:]
    if not left_text.strip() or not right_text.strip():
        return None
    left = Run(**{**run.__dict__, "text": left_text, "x1": max(c[1] for c in chars[:k])})
    right = Run(**{**run.__dict__, "text": right_text, "x0": min(c[0] for c in chars[k:] if c[1] > c[0])})
    return [(left, s, s + k), (right, s + k, e)]
