"""The API's request and response models (the OpenAPI schema is built from them).

A list of the archive is a list of notices (issue 13): `DocumentListItem` is one notice,
headed by its chosen file, with `files`, every stored file that holds it; `DocumentOut.notice`
tells a file's page which notice it belongs to and its other files.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict

from pipeline.model import NoticeHeader


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Counts(BaseModel):
    sections: int
    tasks: int
    citations: int
    dates: int
    persons: int
    recipients: int


class Summary(NoticeHeader):
    signer_name: Optional[str] = None
    counts: Counts


class UploadResult(BaseModel):
    doc_id: str
    sha256: str
    status: Literal["imported", "already stored"]
    file_name: str
    source_path: str
    url: str
    summary: Summary


class ErrorBody(BaseModel):
    error: str
    message: str
    stage: Optional[str] = None
    sha256: Optional[str] = None
    kind: Optional[str] = None          # NotADocument: what the file is (json, spreadsheet…)


class ErrorResponse(BaseModel):
    detail: ErrorBody


class Header(NoticeHeader):
    model_config = ConfigDict(extra="allow")

    doc_id: str
    sha256: str
    source_path: str
    format: Optional[str] = None
    pages: Optional[int] = None
    sign_authority: Optional[str] = None
    signed_for: Optional[str] = None
    signer_title: Optional[str] = None
    signer_name: Optional[str] = None
    text: Optional[str] = None
    is_notice: Optional[bool] = None     # false: read, but no mark of an official notice


class SpanRow(_Open):
    ordinal: int
    span_start: Optional[int] = None
    span_end: Optional[int] = None


class SectionRow(SpanRow):
    path: Optional[str] = None
    label: Optional[str] = None
    heading: Optional[str] = None
    level: Optional[int] = None


class TaskRow(SpanRow):
    path: Optional[str] = None
    label: Optional[str] = None
    text: Optional[str] = None
    unit: Optional[str] = None
    deadline: Optional[dt.date] = None
    deadline_text: Optional[str] = None


class CitationRow(SpanRow):
    ref: Optional[str] = None
    doc_type: Optional[str] = None
    cited_date: Optional[dt.date] = None
    resolved: list[str] = []


class FileRef(BaseModel):
    """One stored file of a notice."""

    doc_id: str
    role: Optional[str] = None           # draft, published, signed scan, text, other
    format: Optional[str] = None
    source_path: str
    pages: Optional[int] = None
    chosen: bool = False                 # the file the notice is read from
    this: Optional[bool] = None          # on a file's page: the file shown


class NoticeOut(BaseModel):
    """The notice a file belongs to, and all its files (the chosen one first)."""

    notice_id: int
    doc_id: str                          # its chosen file
    files: list[FileRef]


class DocumentOut(BaseModel):
    header: Header
    sections: list[SectionRow]
    tasks: list[TaskRow]
    citations: list[CitationRow]
    dates: list[dict[str, Any]]
    periods: list[dict[str, Any]] = []
    persons: list[dict[str, Any]]
    recipients: list[dict[str, Any]]
    organisations: list[dict[str, Any]] = []
    warnings: list[dict[str, Any]]
    sources: list[dict[str, Any]] = []
    paths: list[dict[str, Any]] = []          # every path seen: path, kind, first_seen, last_seen
    notice: Optional[NoticeOut] = None        # None: the file is no notice (is_notice false)


class DocumentListItem(BaseModel):
    """One notice (or, in the list of other files, one file that is no notice)."""

    doc_id: str                          # the chosen file
    notice_id: Optional[int] = None
    source_path: str
    number: Optional[str] = None
    symbol: Optional[str] = None
    doc_type_name: Optional[str] = None
    issuer: Optional[str] = None
    issued_date: Optional[dt.date] = None
    subject: Optional[str] = None
    tasks: int
    imported_at: dt.datetime             # when its newest file was stored
    is_notice: Optional[bool] = None
    files: list[FileRef] = []            # every file holding the notice, the chosen one first


class SearchHitOut(BaseModel):
    doc_id: str
    score: float
    source_path: str                     # of the matching file
    number: Optional[str] = None
    symbol: Optional[str] = None
    issuer: Optional[str] = None
    issued_date: Optional[dt.date] = None
    subject: Optional[str] = None
    passage: str
    highlights: list[tuple[int, int]]
    task_id: Optional[str] = None
    notice_id: Optional[int] = None
    notice_doc_id: Optional[str] = None  # the notice's chosen file (whose header this is)
    files: int = 1                       # files holding the notice
    matched_files: int = 1               # of them, how many matched
    role: Optional[str] = None           # of the matching file `doc_id`
    is_notice: Optional[bool] = None


class Health(BaseModel):
    status: Literal["ok"]
    version: str


class ArchiveCounts(BaseModel):
    notices: int
    files: int                           # files holding notices
    not_notices: int                     # files read but flagged as no notice
    skipped: int                         # files that are not documents
    failed: int


ERRORS = {401: {"model": ErrorResponse, "description": "No token, or a wrong one"}}
