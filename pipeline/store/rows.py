"""A `Notice` → the rows it becomes, table by table. Pure: no database, no I/O.

`notice_rows(notice)` returns `{table: [row dict, …]}` with the columns of schema.sql; the
store inserts them in one transaction. Provenance (span_start, span_end, block, page) is
copied from each item's `Span`.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any, Optional

import pipeline
from pipeline.store.fold import fold
from pipeline.store.notices import role_of
from pipeline.vietnamese import tone_new_style

if TYPE_CHECKING:   # the model (pydantic) is loaded by those who make notices, not by readers
    from pipeline.model import Notice, Span

Row = dict[str, Any]

# child tables in insertion order; documents first
TABLES = ["documents", "sections", "tasks", "citations", "dates", "periods", "persons",
          "recipients", "organisations", "marks", "field_confidence", "warnings", "doc_tables",
          "table_cells"]


def doc_id_for(sha256: str) -> str:
    """The stable id of a document: the first 16 hex digits of the sha256 of its bytes."""
    return sha256[:16]


def _span(span: Optional[Span]) -> Row:
    if span is None:
        return {"span_start": None, "span_end": None, "block": None, "page": None}
    return {"span_start": span.start, "span_end": span.end, "block": span.block, "page": span.page}


def document_row(notice: Notice, imported_at: dt.datetime) -> Row:
    sig = notice.signature
    return {
        "doc_id": doc_id_for(notice.sha256), "sha256": notice.sha256,
        "source_path": notice.source_path, "format": notice.format, "pages": notice.pages,
        "role": role_of(notice.format),
        "issuer": notice.issuer, "issuer_parent": notice.issuer_parent,
        "number": notice.number, "symbol": notice.symbol, "doc_type": notice.doc_type,
        "doc_type_name": notice.doc_type_name, "place": notice.place,
        "issued_date": notice.issued_date, "subject": notice.subject,
        "urgency": notice.urgency, "confidentiality": notice.confidentiality,
        "sign_authority": sig.sign_authority, "signed_for": sig.signed_for,
        "signer_title": sig.signer_title, "signer_name": sig.signer_name,
        "received_number": notice.received_number, "received_date": notice.received_date,
        "needs_review": bool(notice.review_reasons), "review_reasons": list(notice.review_reasons),
        "issuer_key": tone_new_style(notice.issuer).casefold() if notice.issuer else None,
        "is_notice": notice.is_notice,
        "text": notice.text, "text_folded": fold(notice.text),
        "subject_folded": fold(notice.subject),
        "schema_version": notice.schema_version, "pipeline_version": pipeline.__version__,
        "ingest_ms": notice.ingest_ms, "analyse_ms": notice.analyse_ms,
        "imported_at": imported_at,
    }


def _box(box) -> Row:
    return {"x0": box.x0 if box else None, "y0": box.y0 if box else None,
            "x1": box.x1 if box else None, "y1": box.y1 if box else None}


def _table_rows(notice: Notice, doc_id: str, out: dict[str, list[Row]]) -> None:
    """Every table as a table: one `doc_tables` row each, one `table_cells` row a cell."""
    for t in notice.tables:
        out["doc_tables"].append({"doc_id": doc_id, "table_no": t.number, "page": t.page,
                                  "paragraph": t.paragraph, "n_rows": t.n_rows, "n_cols": t.n_cols,
                                  "kind": t.kind, **_box(t.bbox)})
        for c in t.cells:
            out["table_cells"].append({"doc_id": doc_id, "table_no": t.number, "row": c.row, "col": c.col,
                                       "row_span": c.row_span, "col_span": c.col_span, "text": c.text,
                                       "page": c.page, **_box(c.bbox)})


def notice_rows(notice: Notice, imported_at: Optional[dt.datetime] = None) -> dict[str, list[Row]]:
    """Every row `notice` becomes, keyed by table (see `TABLES`)."""
    imported_at = imported_at or dt.datetime.now()
    doc_id = doc_id_for(notice.sha256)
    out: dict[str, list[Row]] = {t: [] for t in TABLES}
    out["documents"].append(document_row(notice, imported_at))
    for i, s in enumerate(notice.sections):
        out["sections"].append({"doc_id": doc_id, "ordinal": i, "path": s.path, "label": s.label,
                                "heading": s.heading, "level": s.level, **_span(s.span)})
    for i, t in enumerate(notice.tasks):
        p = t.period
        out["tasks"].append({
            "task_id": f"{doc_id}#{i}", "doc_id": doc_id, "ordinal": i, "path": t.path,
            "label": t.label, "level": t.level, "unit": t.unit, "text": t.text,
            "text_folded": fold(" ".join(x for x in (t.unit, t.text) if x)),
            "deadline": t.deadline, "deadline_text": t.deadline_text,
            # what tasks_due reads: a period's last day stands in for a deadline not stated
            "due": t.deadline or (p.end if p else None),
            "period_kind": p.kind if p else None, "period_start": p.start if p else None,
            "period_end": p.end if p else None, "period_text": p.text if p else None,
            "roles": list(t.roles), "urgency": t.urgency, "citations": list(t.citations),
            "confidence": t.confidence, **_span(t.span)})
    for i, c in enumerate(notice.citations):
        out["citations"].append({"doc_id": doc_id, "ordinal": i, "ref": c.ref, "number": c.number,
                                 "year": c.year, "doc_type": c.doc_type,
                                 "doc_type_name": c.doc_type_name, "issuer_code": c.issuer_code,
                                 "issuer": c.issuer, "cited_date": c.cited_date, "text": c.text,
                                 "confidence": c.confidence, **_span(c.span)})
    for i, d in enumerate(notice.dates):
        out["dates"].append({"doc_id": doc_id, "ordinal": i, "value": d.value, "text": d.text,
                             **_span(d.span)})
    for i, p in enumerate(notice.periods):
        out["periods"].append({"doc_id": doc_id, "ordinal": i, "kind": p.kind, "start": p.start,
                               "end": p.end, "text": p.text, **_span(p.span)})
    for i, p in enumerate(notice.persons):
        out["persons"].append({"doc_id": doc_id, "ordinal": i, "name": p.name, "title": p.title,
                               "role": p.role, **_span(p.span)})
    for r in notice.recipients:
        out["recipients"].append({"doc_id": doc_id, "ordinal": r.ordinal, "text": r.text,
                                  "kind": r.kind, **_span(r.span)})
    for i, o in enumerate(notice.organisations):
        out["organisations"].append({"doc_id": doc_id, "ordinal": i, "name": o.name,
                                     "normalised": o.normalised, "kind": o.kind, **_span(o.span)})
    for i, m in enumerate(notice.marks):
        box = m.bbox
        out["marks"].append({"doc_id": doc_id, "ordinal": i, "kind": m.kind.value, "page": m.page,
                             "x0": box.x0 if box else None, "y0": box.y0 if box else None,
                             "x1": box.x1 if box else None, "y1": box.y1 if box else None,
                             "text": m.text, "fields": json.dumps(m.fields, ensure_ascii=False),
                             "confidence": m.confidence})
    _table_rows(notice, doc_id, out)
    for field, value in notice.field_confidence.items():
        out["field_confidence"].append({"doc_id": doc_id, "field": field, "confidence": value})
    for i, w in enumerate(notice.warnings):
        out["warnings"].append({"doc_id": doc_id, "ordinal": i, "message": w})
    return out
