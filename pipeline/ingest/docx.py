""".docx → blocks: body paragraphs and tables in document order, auto-numbering labels
materialised, legacy-font text converted, the two-column header and footer pulled apart.

The XML is walked with lxml directly (no python-docx objects): it is several times faster
on long files, and it reaches what python-docx skips (text boxes, frames, content controls).
Reading is in two passes: `_Reader` turns `w:body` into items (paragraphs with their text
boxes, tables with their cells), then `columns.assign_regions` decides which items are the
header and the footer and which column each line belongs to.
"""
from __future__ import annotations

import posixpath
import re
import unicodedata
from typing import Optional

from pipeline.errors import CorruptFile, EmptyDocument
from pipeline.ingest import legacy
from pipeline.ingest.columns import Box, Para, Table, assign_regions
from pipeline.ingest.docxnotes import note_blocks
from pipeline.ingest.numbering import Numbering
from pipeline.ingest.tables import body_tables
from pipeline.ingest.wordstyles import W, Props, Styles, para_props, run_props
from pipeline.ingest.xmlsafe import SafeZip, parse_xml
from pipeline.model import IngestedDocument

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_V = "{urn:schemas-microsoft-com:vml}"

_P, _TBL, _R_, _T, _TAB, _BR, _CR = (f"{W}p", f"{W}tbl", f"{W}r", f"{W}t", f"{W}tab", f"{W}br",
                                    f"{W}cr")
_PPR, _RPR, _TXBX = f"{W}pPr", f"{W}rPr", f"{W}txbxContent"
# containers whose children are read as if they stood in the paragraph itself
_INLINE = {f"{W}hyperlink", f"{W}ins", f"{W}smartTag", f"{W}fldSimple", f"{W}customXml",
           f"{W}moveTo", f"{W}dir", f"{W}bdo", f"{W}sdtContent", f"{W}sdt"}
# containers at body (or cell) level whose children are body elements
_BLOCK_WRAP = {f"{W}sdt", f"{W}sdtContent", f"{W}customXml"}
_SKIP_RUN = {f"{W}delText", f"{W}instrText", f"{W}delInstrText", _RPR}
_DRAWING = {f"{W}drawing", f"{W}pict", f"{_MC}AlternateContent", f"{W}object"}


def read(data: bytes, path: str) -> IngestedDocument:
    zf = SafeZip(data, path)
    doc_part = _main_part(zf, path)
    rels = _rels(zf, path, doc_part)
    styles_root = _optional_part(zf, path, rels.get("styles"))
    numbering_root = _optional_part(zf, path, rels.get("numbering"))
    root = parse_xml(zf.read(doc_part), path, doc_part)
    body = root.find(f"{W}body")
    if body is None:
        raise CorruptFile(path, f"{doc_part} has no w:body")
    styles = Styles(styles_root)
    numbering = Numbering(numbering_root, styles.numbered_styles)
    reader = _Reader(styles, numbering, _text_width(body))
    items = reader.body(body)
    blocks, marks = assign_regions(items)
    # footnotes after everything: never inside the body, whose items they would cut
    blocks += note_blocks(zf, path, rels, body, reader)
    if not blocks:
        raise EmptyDocument(path, "the document holds no text")
    return IngestedDocument.from_blocks(blocks, source_path=path, sha256="", format="docx",
                                        media_type=MEDIA_TYPE, marks=marks,
                                        tables=body_tables(items, blocks))


# --- package parts -------------------------------------------------------------------------

def _main_part(zf: SafeZip, path: str) -> str:
    if zf.has("_rels/.rels"):
        root = parse_xml(zf.read("_rels/.rels"), path, "_rels/.rels")
        for rel in root.iter(f"{_PKG_REL}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                target = rel.get("Target", "").lstrip("/")
                if zf.has(target):
                    return target
    if zf.has("word/document.xml"):
        return "word/document.xml"
    raise CorruptFile(path, "no main document part (word/document.xml) in the package")


def _rels(zf: SafeZip, path: str, part: str) -> dict[str, str]:
    """Relationship kind (styles, numbering…) → part name, for the main document part."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    out = {}
    if zf.has(rels_name):
        root = parse_xml(zf.read(rels_name), path, rels_name)
        for rel in root.iter(f"{_PKG_REL}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            target = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
            out.setdefault(kind, target.lstrip("/"))
    for kind in ("styles", "numbering"):
        default = posixpath.join(folder, f"{kind}.xml")
        if kind not in out and zf.has(default):
            out[kind] = default
    return out


def _optional_part(zf: SafeZip, path: str, name: Optional[str]):
    if not name or not zf.has(name):
        return None
    return parse_xml(zf.read(name), path, name)


# --- text clean-up -------------------------------------------------------------------------

def clean(text: str) -> str:
    """NFC, `Ð` (Icelandic eth, typed for lack of a Đ key) read as `Đ`, no control characters."""
    text = unicodedata.normalize("NFC", text)
    return text.replace("\u00d0", "\u0110").replace("\u200b", "").replace("\u00ad", "")


# --- the body ------------------------------------------------------------------------------

def _text_width(body) -> Optional[float]:
    """Points between the margins of the document's (last) section, where it says."""
    sect = body.find(f"{W}sectPr")
    if sect is None:
        return None
    size, margins = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
    page = _twips(size.get(f"{W}w")) if size is not None else None
    if page is None:
        return None
    left = _twips(margins.get(f"{W}left")) if margins is not None else None
    right = _twips(margins.get(f"{W}right")) if margins is not None else None
    return page - (left or 0.0) - (right or 0.0)


class _Reader:
    def __init__(self, styles: Styles, numbering: Numbering, text_width: Optional[float] = None):
        self.styles = styles
        self.numbering = numbering
        self.text_width = text_width
        self.tables = 0
        self._font_enc: dict[Optional[str], Optional[str]] = {}
        self._styles_cache: dict[Optional[str], tuple[Props, Props]] = {}

    def _style(self, style_id: Optional[str]) -> tuple[Props, Props]:
        """A paragraph style alone, and with the document defaults under it (cached)."""
        hit = self._styles_cache.get(style_id)
        if hit is None:
            style = self.styles.get(style_id)
            hit = self._styles_cache[style_id] = (style, style.over(self.styles.defaults))
        return hit

    def body(self, body) -> list:
        items: list = []
        for index, el in enumerate(_flatten(body)):
            tag = el.tag
            if tag == _P:
                para = self.paragraph(el, index)
                frame = _frame(el)
                if frame is not None and items and isinstance(items[-1], Para) \
                        and items[-1].frame_group:
                    # consecutive framed paragraphs: a frame is a positioned box of lines
                    host = items[-1]
                    if host.boxes and host.boxes[-1].key == frame[0]:
                        host.boxes[-1].paras.append(para)
                    else:
                        host.boxes.append(Box(paras=[para], x=frame[1], key=frame[0]))
                    continue
                if frame is not None:
                    host = Para(text="", index=index, frame_group=True)
                    host.boxes.append(Box(paras=[para], x=frame[1], key=frame[0]))
                    items.append(host)
                    continue
                items.append(para)
            elif tag == _TBL:
                items.append(self.table(el, index))
        return items

    def table(self, tbl, index: int) -> Table:
        number = self.tables
        self.tables += 1
        cells: list[tuple[int, int, list[Para]]] = []
        spans: dict[tuple[int, int], tuple[int, int]] = {}
        continued: set[tuple[int, int]] = set()
        open_v: dict[int, tuple[int, int]] = {}     # column → the cell a vertical merge opened
        for r, tr in enumerate(tbl.iterchildren(f"{W}tr")):
            col = 0
            for tc in tr.iterchildren(f"{W}tc"):
                span, vmerge = _cell_merge(tc)
                if vmerge == "continue" and col in open_v:
                    origin = open_v[col]
                    rs, cs = spans.get(origin, (1, span))
                    spans[origin] = (rs + 1, cs)
                    continued.add((r, col))
                else:
                    open_v.pop(col, None)
                    if vmerge == "restart":
                        open_v[col] = (r, col)
                    if span > 1:
                        spans[(r, col)] = (1, span)
                paras = []
                self._cell(tc, index, paras)
                for p in paras:
                    p.table, p.cell = number, (r, col)
                cells.append((r, col, paras))
                col += span
        return Table(index=index, number=number, cells=cells, spans=spans, continued=continued)

    def _cell(self, tc, index: int, out: list) -> None:
        for el in _flatten(tc):
            if el.tag == _P:
                p = self.paragraph(el, index)
                out.append(p)
                for box in p.boxes:  # a text box in a cell reads after its paragraph
                    out.extend(box.paras)
                p.boxes = []
            elif el.tag == _TBL:  # nested table: its lines belong to the outer cell
                for tr in el.iterchildren(f"{W}tr"):
                    for tc2 in tr.iterchildren(f"{W}tc"):
                        self._cell(tc2, index, out)

    def paragraph(self, p, index: int) -> Para:
        ppr = p.find(_PPR)
        direct = para_props(ppr)
        style_id = None
        if ppr is not None:
            ps = ppr.find(f"{W}pStyle")
            if ps is not None:
                style_id = ps.get(f"{W}val")
        style, para_run = self._style(style_id or self.styles.default_para)
        pp = direct.over(para_run)

        # numbering: numId from the paragraph or its style; level likewise, or the level the
        # style is linked to
        num_id = direct.num_id if direct.num_id is not None else style.num_id
        ilvl = direct.ilvl if direct.ilvl is not None else style.ilvl
        if ilvl is None:
            ilvl = self.numbering.style_level(style_id) or 0
        label = self.numbering.label(num_id, ilvl) if num_id else None
        indent = pp.indent
        if direct.indent is None and label is not None:
            lvl = self.numbering.level(num_id, ilvl)
            if lvl is not None and lvl.indent is not None:
                indent = lvl.indent

        state = _RunState()
        boxes: list[Box] = []
        self._inline(p, para_run, state, boxes, index)
        text = "".join(state.parts)
        if not state.converted and not text.isascii():
            enc = legacy.detect_legacy(text)
            if enc:
                text = legacy.convert(text, enc)
        para = Para(text=clean(text), index=index, label=clean(label) if label else None, bold=state.bold(),
                    italic=state.italic(), font_size=state.size, align=pp.align,
                    indent=indent, tabs=pp.stops(), text_width=self.text_width)
        para.boxes = boxes
        return para

    def _inline(self, parent, para_run: Props, state: "_RunState", boxes: list, index: int):
        for el in parent:
            tag = el.tag
            if tag == _R_:
                self._run(el, para_run, state, boxes, index)
            elif tag in _INLINE:
                self._inline(el, para_run, state, boxes, index)
            elif tag == f"{_MC}AlternateContent":
                choice = el.find(f"{_MC}Choice")
                if choice is not None:
                    self._inline(choice, para_run, state, boxes, index)

    def _run(self, r, para_run: Props, state: "_RunState", boxes: list, index: int):
        rpr = r.find(_RPR)
        props = run_props(rpr)
        if rpr is not None:
            rs = rpr.find(f"{W}rStyle")
            if rs is not None:
                props = props.over(self.styles.get(rs.get(f"{W}val")))
        props = props.over(para_run)
        parts = []
        for c in r:
            tag = c.tag
            if tag == _T:
                parts.append(c.text or "")
            elif tag == _TAB or tag == f"{W}ptab":
                parts.append("\t")
            elif tag == _BR or tag == _CR:
                parts.append("\n")
            elif tag == f"{W}noBreakHyphen":
                parts.append("-")
            elif tag == f"{W}softHyphen":
                # invisible in Unicode text (clean() drops it), but TCVN3's `ư` where a .VnTime
                # font draws it: a .doc keeps that letter as an optional hyphen
                parts.append("\u00ad")
            elif tag == f"{W}sym":
                parts.append(_sym(c))
            elif tag in _DRAWING:
                self._boxes(c, boxes, index)
        if not parts:
            return
        text = "".join(parts)
        enc = self._font_enc.get(props.font, 0)
        if enc == 0:
            enc = self._font_enc[props.font] = legacy.font_encoding(props.font)
        if enc and not text.isascii() or enc and legacy.is_caps_font(props.font):
            text = legacy.convert(text, enc, caps=legacy.is_caps_font(props.font))
            state.converted = True
        state.add(text, props)

    def _boxes(self, el, boxes: list, index: int) -> None:
        """Text boxes (DrawingML or VML) anchored in a run: each is a Box of paragraphs."""
        for txbx in el.iter(_TXBX):
            if any(a.tag == f"{_MC}Fallback" for a in txbx.iterancestors()):
                continue  # the VML copy of a DrawingML box already read from mc:Choice
            paras = []
            for sub in _flatten(txbx):
                if sub.tag == _P:
                    para = self.paragraph(sub, index)
                    paras.append(para)
                    for b in para.boxes:
                        paras.extend(b.paras)
                    para.boxes = []
                elif sub.tag == _TBL:
                    t = self.table(sub, index)
                    for _, _, cell_paras in t.cells:
                        paras.extend(cell_paras)
            boxes.append(Box(paras=paras, x=_box_x(txbx)))


class _RunState:
    """Text and formatting gathered over a paragraph's runs."""

    __slots__ = ("parts", "_bold", "_italic", "size", "converted")

    def __init__(self):
        self.parts: list[str] = []
        self._bold: Optional[bool] = None
        self._italic: Optional[bool] = None
        self.size: Optional[float] = None
        self.converted = False

    def add(self, text: str, props: Props) -> None:
        self.parts.append(text)
        if text.strip():
            # `bold` means every visible run is bold
            b, i = bool(props.bold), bool(props.italic)
            self._bold = b if self._bold is None else (self._bold and b)
            self._italic = i if self._italic is None else (self._italic and i)
            if self.size is None:
                self.size = props.size

    def bold(self) -> Optional[bool]:
        return self._bold

    def italic(self) -> Optional[bool]:
        return self._italic


def _flatten(parent):
    """Children of a body or cell, with content controls and custom XML unwrapped."""
    for el in parent:
        if el.tag in _BLOCK_WRAP:
            yield from _flatten(el)
        elif el.tag == f"{_MC}AlternateContent":
            choice = el.find(f"{_MC}Choice")
            if choice is not None:
                yield from _flatten(choice)
        else:
            yield el


def _cell_merge(tc) -> tuple[int, Optional[str]]:
    """A cell's column span (`w:gridSpan`) and vertical merge: "restart" opens one, "continue"
    (an empty `w:vMerge`) carries the cell above down; None when it is not merged."""
    tcpr = tc.find(f"{W}tcPr")
    if tcpr is None:
        return 1, None
    span = 1
    gs = tcpr.find(f"{W}gridSpan")
    if gs is not None:
        try:
            span = max(1, int(gs.get(f"{W}val", "1")))
        except ValueError:
            span = 1
    vm = tcpr.find(f"{W}vMerge")
    if vm is None:
        return span, None
    return span, "restart" if vm.get(f"{W}val") == "restart" else "continue"


def _sym(el) -> str:
    try:
        code = int(el.get(f"{W}char", ""), 16)
    except ValueError:
        return ""
    if 0xF000 <= code <= 0xF0FF:
        code -= 0xF000
    return chr(code) if code >= 0x20 else ""


def _frame(p) -> Optional[tuple[tuple, Optional[float]]]:
    """A paragraph positioned in a frame (`w:framePr`): its frame's identity and x position."""
    ppr = p.find(_PPR)
    if ppr is None:
        return None
    fp = ppr.find(f"{W}framePr")
    if fp is None:
        return None
    key = tuple(sorted(fp.attrib.items()))
    x = _twips(fp.get(f"{W}x"))
    if x is None:
        x = {"left": 0.0, "center": 200.0, "right": 400.0}.get(fp.get(f"{W}xAlign", ""), None)
    return key, x


def _twips(v: Optional[str]) -> Optional[float]:
    try:
        return int(v) / 20 if v is not None else None
    except ValueError:
        return None


_VML_LEFT = re.compile(r"(?:margin-left|left)\s*:\s*(-?[\d.]+)(pt|in|px|mm|cm)?", re.I)


def _box_x(txbx) -> Optional[float]:
    """Horizontal position of a text box, in points, from DrawingML or VML anchoring."""
    for a in txbx.iterancestors():
        if a.tag == f"{_WP}anchor":
            ph = a.find(f"{_WP}positionH")
            if ph is not None:
                off = ph.find(f"{_WP}posOffset")
                if off is not None and off.text:
                    try:
                        return int(off.text) / 12700  # EMU → points
                    except ValueError:
                        return None
                al = ph.find(f"{_WP}align")
                if al is not None:
                    return {"left": 0.0, "center": 200.0, "right": 400.0}.get(al.text or "")
            return None
        if a.tag in (f"{_V}shape", f"{_V}rect", f"{_V}roundrect"):
            m = _VML_LEFT.search(a.get("style", ""))
            if m:
                scale = {"in": 72.0, "px": 0.75, "mm": 2.835, "cm": 28.35}.get((m.group(2) or "pt").lower(), 1.0)
                return float(m.group(1)) * scale
            return None
    return None
