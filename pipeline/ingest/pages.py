"""A file's pages → blocks: the notice's header, body and footer columns, the body of what was
issued with it, and the pages of a dossier set aside as marks.

Shared by the text-PDF reader and the OCR reader: both give `layout.Run`s in points, origin
top left, so one geometry (layout.py) and one reading of a file's parts (parts.py) serve both.
"""
from __future__ import annotations

from pipeline.ingest import footnotes
from pipeline.ingest import marks as page_marks
from pipeline.ingest import parts
from pipeline.ingest.layout import (_LABEL, Line, Page, _block, _column_blocks, _footer_start, _header,
                                    _is_authority, _side_lines, _starts_with, body_to_paragraphs,
                                    drop_furniture, runs_to_rows)
from pipeline.model import BBox, Block, Mark, MarkKind, Region


def runs_to_blocks(pages: list[Page]) -> list[Block]:
    """All pages' runs → blocks in reading order: header-left, header-right, body, footer-left,
    footer-right, then the body of any document issued with the notice, then the footnotes. Pages of documents
    filed with it (a dossier) become marks of their page (see parts.py)."""
    rows = [runs_to_rows(p.runs) for p in pages]
    drop_furniture(pages, rows)
    notes = footnotes.set_aside(pages, rows)
    kinds = parts.page_parts(rows, _has_footer_mark)
    for page, prow, kind in zip(pages, rows, kinds):
        if kind == parts.DOSSIER and prow:
            page.marks.append(_dossier_mark(page, prow))
    notice = [(p, r) for p, r, k in zip(pages, rows, kinds) if k == parts.NOTICE]
    attached = [(p, r) for p, r, k in zip(pages, rows, kinds) if k == parts.ATTACHMENT]
    # footnotes after everything: never inside the body, whose items they would cut
    return _notice_blocks([p for p, _ in notice], [r for _, r in notice]) + _attachment_blocks(attached) + notes


def _has_footer_mark(rows: list[list[Line]]) -> bool:
    return any(_starts_with(ln.text, "recipients_heading") or _is_authority(ln.text) for row in rows for ln in row)


def _dossier_mark(page: Page, rows: list[list[Line]]) -> Mark:
    lines = [ln for row in rows for ln in row]
    return Mark(kind=MarkKind.DOSSIER, page=page.number, text="\n".join(" ".join(ln.text for ln in row) for row in rows),
                bbox=BBox(x0=round(min(ln.x0 for ln in lines), 1), y0=round(min(ln.y0 for ln in lines), 1),
                          x1=round(max(ln.x1 for ln in lines), 1), y1=round(max(ln.y1 for ln in lines), 1)))


def _attachment_blocks(attached: list[tuple[Page, list[list[Line]]]]) -> list[Block]:
    """A document issued with the notice: its title block (down to `(Kèm theo …)`) frames it,
    its lines below are body, each page's own footer (a signature of its own) frames it too."""
    out: list[Block] = []
    body: list[Line] = []
    for n, (page, prow) in enumerate(attached):
        start = _title_end(prow) if n == 0 or parts.opens_document(prow) else 0
        foot = _footer_start([(page, row) for row in prow], start)
        foot = len(prow) if foot is None else foot
        frame = prow[:start] + prow[foot:]
        out += [_block([Line([r for ln in row for r in ln.runs])], Region.ATTACHMENT_FRAME) for row in frame]
        body += [Line([r for ln in row for r in ln.runs]) for row in prow[start:foot]]
    return out + [b.model_copy(update={"region": Region.ATTACHMENT}) for b in body_to_paragraphs(body)]


def _title_end(prow: list[list[Line]]) -> int:
    """Rows of an attachment's title block: down to the one that says what it was issued with
    (`(Ban hành kèm theo Quyết định số …)`), or else to the first labelled line."""
    for k, row in enumerate(prow[:parts.TITLE_ROWS]):
        if parts.says_issued_with(" ".join(ln.text for ln in row)):
            return k + 1
    return next((k for k, row in enumerate(prow) if _LABEL.match(row[0].text)), 0)


def _notice_blocks(pages: list[Page], rows: list[list[list[Line]]]) -> list[Block]:
    """The notice's pages → its header columns, body paragraphs and footer columns."""
    flat = [(page, row) for page, prow in zip(pages, rows) for row in prow]
    if not flat:
        return []
    h0, n_head, split = _header(pages[0], rows[0]) if rows[0] else (0, 0, pages[0].width / 2)
    head_left, head_right = [], []
    for _, row in flat[h0:n_head]:
        _side_lines(row, lambda ln: (ln.x0 + ln.x1) / 2 < split, head_left, head_right)
    foot = _footer_start(flat, n_head)
    foot = len(flat) if foot is None else foot
    # what stands above the header (a portal's signature box printed on the page, a `DỰ THẢO`
    # stamp) is not the notice
    pages[0].marks.extend(page_marks.runs_to_marks([r for _, row in flat[:h0] for ln in row for r in ln.runs]))
    body = [Line([r for ln in row for r in ln.runs]) for _, row in flat[n_head:foot]]
    foot_left, foot_right = [], []
    for page, row in flat[foot:]:
        _side_lines(row, lambda ln, w=page.width: (ln.x0 + ln.x1) / 2 < w / 2, foot_left, foot_right)
    return (_column_blocks(head_left, Region.HEADER_LEFT) + _column_blocks(head_right, Region.HEADER_RIGHT)
            + body_to_paragraphs(body)
            + _column_blocks(foot_left, Region.FOOTER_LEFT) + _column_blocks(foot_right, Region.FOOTER_RIGHT))
