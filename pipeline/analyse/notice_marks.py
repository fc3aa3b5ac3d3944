"""Whether an analysed file is an official notice at all (issue 13).

A văn bản hành chính carries marks that NĐ 30/2020 Phụ lục I sets for every one of them: the
số and ký hiệu, the name of its kind (THÔNG BÁO, QUYẾT ĐỊNH…), the Quốc hiệu and Tiêu ngữ,
the issuing body. A file that reads but carries none of them (a letter, notes, a page of a
book, a data file imported with `--all`) is stored with `documents.is_notice = false` and
left out of the analysts' views. One mark is enough: a scan's OCR may lose the others.

Pure: a `Notice` in, the marks found out.
"""
from __future__ import annotations

from pipeline.analyse.header import is_motto
from pipeline.model import Notice

HEAD_LINES = 15    # the motto stands in the header, within the first lines of the text


def notice_marks(notice: Notice) -> list[str]:
    """The marks of an official notice `notice` carries: number, kind, motto, issuer."""
    found = []
    if notice.number or notice.symbol:
        found.append("number")
    if notice.doc_type or notice.doc_type_name:
        found.append("kind")
    if any(is_motto(line) for line in notice.text.splitlines()[:HEAD_LINES] if line.strip()):
        found.append("motto")
    if notice.issuer:
        found.append("issuer")
    return found


def is_notice(notice: Notice) -> bool:
    """True when `notice` carries at least one mark of an official notice."""
    return bool(notice_marks(notice))
