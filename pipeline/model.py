"""The document model every stage speaks: ingest yields an `IngestedDocument` of `Block`s,
analyse turns it into a `Notice`, store turns a `Notice` into rows.

This module imports nothing else from the package, so any stage (and a notebook, a Ray
worker, the upload server) can depend on it without pulling in the others.
"""
from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field

# Bumped whenever a field changes meaning; stored with every document so that rows
# written by an older pipeline can be told apart and re-analysed.
SCHEMA_VERSION = 3  # 3: tables (DocTable) carried from ingest to the store


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Region(str, Enum):
    """Where a block stood on the page, after the two-column header and footer are pulled apart."""

    HEADER_LEFT = "header-left"      # issuing body, parent body, Số:, V/v of a công văn
    HEADER_RIGHT = "header-right"    # Quốc hiệu, tiêu ngữ, place and date
    BODY = "body"                    # kind of document, trích yếu, Kính gửi, the body
    FOOTER_LEFT = "footer-left"      # Nơi nhận
    FOOTER_RIGHT = "footer-right"    # signature: authority, title, name
    ATTACHMENT = "attachment"        # the body of a document issued with the notice (kèm theo)
    ATTACHMENT_FRAME = "attachment-frame"  # its title block and signature: text, never items
    FOOTNOTE = "footnote"            # a footnote's text, after the body: its citations, dates and
                                     # persons count, it is never an item nor an item's text


class MarkKind(str, Enum):
    """What on a page is not the notice: set aside by ingest, never header or body text."""

    BOX = "box"                  # a digital-signature box a portal or signing tool drew (Ký bởi…)
    STAMP = "stamp"              # an incoming-document stamp (CÔNG VĂN ĐẾN, Số…, Ngày…)
    SEAL = "seal"                # a round seal, red in colour scans
    HANDWRITING = "handwriting"  # pen strokes: a signature, a marginal note
    IMAGE = "image"              # a picture a program laid over the page (a logo, a seal image)
    FURNITURE = "furniture"      # a page number, a running head
    DOSSIER = "dossier"          # a page of another document filed with the notice


class BBox(_Model):
    """Box in points (PDF) or pixels scaled to points (OCR), origin top-left of the page."""

    x0: float
    y0: float
    x1: float
    y1: float


class Block(_Model):
    """One line or paragraph of text, in Unicode NFC, with where it came from.

    `text` is what a reader sees, including a list label that Word renders from
    auto-numbering (`(1) Đôn đốc…`); `label` repeats that materialised label so the
    analyser can tell it was not typed.
    """

    text: str
    region: Region = Region.BODY
    page: Optional[int] = None          # 1-based page (PDF, scan)
    paragraph: Optional[int] = None     # 0-based index of the body paragraph (docx)
    table: Optional[int] = None         # 0-based table index (docx) when the block sat in a cell
    cell: Optional[tuple[int, int]] = None  # (row, column) of that cell
    bbox: Optional[BBox] = None
    start: int = 0                      # character offsets into IngestedDocument.text
    end: int = 0
    label: Optional[str] = None         # auto-numbering label materialised from numbering.xml
    bold: Optional[bool] = None
    italic: Optional[bool] = None
    font_size: Optional[float] = None
    indent: Optional[float] = None      # left indent / x of the first character, in points
    align: Optional[str] = None         # left, center, right, both
    confidence: Optional[float] = None  # OCR mean word confidence, 0..100


class Mark(_Model):
    """Something on a page that is not the notice (a stamp, a seal, a signature box), with what
    it tells where that can be read: an incoming stamp's `received_number` and
    `received_date` (NĐ 30/2020 Phụ lục VI: số đến, ngày đến), a box's `signed_by` and
    `signed_at`. Its text never reaches the blocks."""

    kind: MarkKind
    page: Optional[int] = None
    bbox: Optional[BBox] = None
    text: str = ""
    fields: dict[str, str] = Field(default_factory=dict)
    confidence: Optional[float] = None


class TableCell(_Model):
    """One cell of a table, at the top-left grid position it covers; a merged cell (Word's
    gridSpan / vMerge, a ruled cell over several grid lines) spans more than one."""

    row: int                            # 0-based grid row
    col: int                            # 0-based grid column
    row_span: int = 1
    col_span: int = 1
    text: str = ""                      # NFC; the cell's paragraphs or lines joined with newlines
    page: Optional[int] = None          # 1-based page it stands on (PDF)
    bbox: Optional[BBox] = None


class DocTable(_Model):
    """A table of the document as a grid (rows × columns), whatever it holds: a plan's tasks, a
    list of names, a budget. A table a PDF runs over a page break is one table. Blocks of its
    cells carry `Block.table == number` and `Block.cell == (row, col)`."""

    number: int                         # 0-based, in the order the reader met the file's tables
    n_rows: int
    n_cols: int
    page: Optional[int] = None          # 1-based first page (PDF)
    paragraph: Optional[int] = None     # 0-based body paragraph index where it stands (docx)
    bbox: Optional[BBox] = None         # on its first page
    kind: str = "other"                 # set by analysis: tasks, other
    cells: list[TableCell] = Field(default_factory=list)

    def cell_at(self, row: int, col: int) -> Optional[TableCell]:
        """The cell covering grid position (row, col): a merged cell answers for each it spans."""
        for c in self.cells:
            if c.row <= row < c.row + c.row_span and c.col <= col < c.col + c.col_span:
                return c
        return None


class IngestedDocument(_Model):
    """What ingest hands to analyse: blocks in reading order and their joined text, and the
    marks set aside from the pages."""

    source_path: str
    sha256: str
    format: str                         # docx, doc, pdf, scan, image, txt
    media_type: str = ""
    pages: Optional[int] = None
    blocks: list[Block] = Field(default_factory=list)
    text: str = ""
    marks: list[Mark] = Field(default_factory=list)
    tables: list[DocTable] = Field(default_factory=list)   # the body's tables, as grids
    warnings: list[str] = Field(default_factory=list)
    # how surely each header and signature field was read (0..1; 0 when it was not found),
    # and why an archivist should check the notice against the paper (empty: no need)
    field_confidence: dict[str, float] = Field(default_factory=dict)
    review_reasons: list[str] = Field(default_factory=list)
    ingest_ms: Optional[float] = None

    @classmethod
    def from_blocks(cls, blocks: list[Block], **fields) -> "IngestedDocument":
        """Join the blocks' texts with newlines and set each block's offsets into the result."""
        parts, pos, kept = [], 0, []
        for block in blocks:
            if not block.text.strip():
                continue
            block = block.model_copy(update={"start": pos, "end": pos + len(block.text)})
            kept.append(block)
            parts.append(block.text)
            pos += len(block.text) + 1
        return cls(blocks=kept, text="\n".join(parts), **fields)


class Span(_Model):
    """Where an extracted item stood: character offsets into the document text, and its block."""

    start: int
    end: int
    block: Optional[int] = None
    page: Optional[int] = None


class DateMention(_Model):
    value: dt.date
    text: str
    span: Optional[Span] = None


class Period(_Model):
    """A stretch of time named in the text: a quarter, a month, a year, `giai đoạn 2021-2030`."""

    kind: str                           # quarter, month, year, range, school-year
    start: dt.date
    end: dt.date
    text: str
    span: Optional[Span] = None


class Citation(_Model):
    ref: str                            # as written: 52/2016/QĐ-UBND
    number: Optional[str] = None        # 52
    year: Optional[int] = None          # 2016
    doc_type: Optional[str] = None      # QĐ
    doc_type_name: Optional[str] = None  # Quyết định
    issuer_code: Optional[str] = None   # UBND
    issuer: Optional[str] = None        # "UBND tỉnh" when named in words
    cited_date: Optional[dt.date] = None
    text: str = ""                      # the whole mention
    span: Optional[Span] = None
    confidence: Optional[float] = None  # 0..1: how surely it was read (OCR of its line)


class Person(_Model):
    name: str
    title: Optional[str] = None
    role: Optional[str] = None          # signer, mentioned
    span: Optional[Span] = None


class Recipient(_Model):
    ordinal: int
    text: str
    kind: str = "noi-nhan"              # noi-nhan, kinh-gui
    span: Optional[Span] = None


class Organisation(_Model):
    name: str                           # as written
    normalised: str                     # abbreviations expanded through rules/
    kind: Optional[str] = None
    span: Optional[Span] = None


class Signature(_Model):
    sign_authority: Optional[str] = None  # TL. / KT. / TM. KT.
    signed_for: Optional[str] = None
    signer_title: Optional[str] = None
    signer_name: Optional[str] = None
    span: Optional[Span] = None


class Section(_Model):
    path: str
    label: str
    heading: str
    level: int
    span: Optional[Span] = None


class Task(_Model):
    path: str
    label: str
    text: str
    unit: Optional[str] = None
    deadline: Optional[dt.date] = None
    deadline_text: Optional[str] = None
    period: Optional[Period] = None
    roles: list[str] = Field(default_factory=list)      # chủ trì, phối hợp, tham mưu
    urgency: Optional[str] = None                       # khẩn trương, kịp thời
    citations: list[str] = Field(default_factory=list)  # refs cited in this task
    level: int = 0
    span: Optional[Span] = None
    confidence: Optional[float] = None                  # 0..1: how surely it was read


class NoticeHeader(_Model):
    """What the header of a notice says (Nghị định 30/2020/NĐ-CP, Phụ lục I)."""

    issuer: Optional[str] = None
    issuer_parent: Optional[str] = None
    number: Optional[str] = None
    symbol: Optional[str] = None
    doc_type: Optional[str] = None
    doc_type_name: Optional[str] = None
    place: Optional[str] = None
    issued_date: Optional[dt.date] = None
    subject: Optional[str] = None
    urgency: Optional[str] = None
    confidentiality: Optional[str] = None


class Notice(NoticeHeader):
    """One analysed document, ready to store."""

    schema_version: int = SCHEMA_VERSION
    source_path: str
    sha256: str
    format: str
    pages: Optional[int] = None
    text: str = ""

    signature: Signature = Field(default_factory=Signature)
    # a văn bản đến: what the incoming stamp says (NĐ 30/2020 Phụ lục VI: số đến, ngày đến)
    received_number: Optional[str] = None
    received_date: Optional[dt.date] = None

    sections: list[Section] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    periods: list[Period] = Field(default_factory=list)
    persons: list[Person] = Field(default_factory=list)
    recipients: list[Recipient] = Field(default_factory=list)
    organisations: list[Organisation] = Field(default_factory=list)
    marks: list[Mark] = Field(default_factory=list)
    tables: list[DocTable] = Field(default_factory=list)   # every body table, its kind decided
    warnings: list[str] = Field(default_factory=list)
    # how surely each header and signature field was read (0..1; 0 when it was not found),
    # and why an archivist should check the notice against the paper (empty: no need)
    field_confidence: dict[str, float] = Field(default_factory=dict)
    review_reasons: list[str] = Field(default_factory=list)
    # False: the file reads but carries no mark of an official notice (no số and ký hiệu, no
    # kind, no Quốc hiệu, no issuer); left out of the analysts' views. None: not decided.
    is_notice: Optional[bool] = None

    ingest_ms: Optional[float] = None
    analyse_ms: Optional[float] = None
