"""The analysis of one notice, step by step: header, footer, body tree, tasks, entities.

A pure function of the `IngestedDocument`: no I/O beyond reading rules/ once, so it runs
the same in one process, in a pool of workers or on a cluster.
"""
from __future__ import annotations

import datetime as dt
import time

from pipeline import rules
from pipeline.analyse.body import closing_start, is_heading, items_to_tree, walk
from pipeline.analyse.citations import find_citations
from pipeline.analyse.notice_marks import is_notice
from pipeline.analyse.confidence import field_confidence, item_confidence, review_reasons
from pipeline.analyse.dates import find_dates, find_periods
from pipeline.analyse.header import blocks_to_header
from pipeline.analyse.organisations import canonical_head, find_organisations
from pipeline.analyse.persons import find_persons
from pipeline.analyse.recipients import addressee_lines, footer_recipients, lines_to_recipients, recipients_heading
from pipeline.analyse.signature import blocks_to_signature, misread_title
from pipeline.analyse.tables import body_items, table_kind
from pipeline.analyse.tasks import item_to_task, names_its_units
from pipeline.vietnamese import tone_new_style
from pipeline.model import (Block, DateMention, IngestedDocument, Mark, MarkKind, Notice, NoticeHeader,
                            Region, Section, Span)


def analyse(doc: IngestedDocument) -> Notice:
    started = time.perf_counter()
    blocks = doc.blocks
    header = blocks_to_header(blocks)
    warnings = list(doc.warnings) + header.warnings

    stamp = rules.pattern("header.jsonl", "signing_stamp")
    body = [i for i, b in enumerate(blocks)
            if b.region == Region.BODY and i >= header.body_start and not stamp.match(b.text)]
    footer_left = [i for i, b in enumerate(blocks) if b.region == Region.FOOTER_LEFT]
    footer_right = [i for i, b in enumerate(blocks) if b.region == Region.FOOTER_RIGHT]
    body, footer_left = _split_unmarked_footer(blocks, body, footer_left)

    # Kính gửi and its addressees are recipients, never body items
    addressees, inline, after = addressee_lines(blocks, body)
    recipients = lines_to_recipients(blocks, addressees, "kinh-gui", 1, inline) if after >= 0 else []
    if after >= 0:
        body = body[after:]
    recipients += footer_recipients(blocks, footer_left, len(recipients) + 1)

    body = body[:closing_start(blocks, body)]
    # what was issued with the notice (a Kế hoạch kèm theo) is body too: its items follow the
    # notice's own, with paths from their own labels
    attached = [i for i, b in enumerate(blocks) if b.region == Region.ATTACHMENT]
    tables = {t.number: t.model_copy(update={"kind": table_kind(t)}) for t in doc.tables}
    roots = items_to_tree(body_items(blocks, body, tables)) + items_to_tree(body_items(blocks, attached, tables))
    for item in walk(roots):
        item.is_section = item.forced_section or is_heading(item) or names_its_units(item)

    signature = blocks_to_signature([blocks[i] for i in footer_right])
    warnings += [w for w in [misread_title(signature)] if w]
    citations = find_citations(doc.text, own_symbol=header.symbol, own_number=header.number)
    sections, tasks = [], []
    for item in walk(roots):
        if item.is_section:
            b = blocks[item.blocks[0]]
            sections.append(Section(path=item.path, label=item.label or "-",
                                    heading=canonical_head(item.text.strip().rstrip(":").strip()),
                                    level=item.path.count(".") + 1,
                                    span=Span(start=b.start, end=b.end, block=item.blocks[0], page=b.page)))
        else:
            tasks.append(item_to_task(item, blocks, citations))

    dates = _distinct_days(find_dates(doc.text))
    if header.issued_date and all(d.value != header.issued_date for d in dates):
        # a date the reader saw only in a signature stamp, not in the text
        dates.insert(0, DateMention(value=header.issued_date, text=header.issued_date.isoformat()))
    persons = find_persons(doc.text, signer=signature.signer_name)

    notice = Notice(
        source_path=doc.source_path, sha256=doc.sha256, format=doc.format, pages=doc.pages,
        text=doc.text, **header.model_dump(include=set(NoticeHeader.model_fields)),
        signature=signature, sections=sections, tasks=tasks, citations=citations, dates=dates,
        periods=find_periods(doc.text), persons=persons, recipients=recipients,
        organisations=find_organisations(doc.text), marks=doc.marks, tables=list(tables.values()),
        warnings=warnings,
        ingest_ms=doc.ingest_ms, **_received(doc.marks))
    _one_spelling(notice)
    _rate(notice, blocks)
    notice.is_notice = is_notice(notice)
    notice.analyse_ms = (time.perf_counter() - started) * 1000
    return notice


def _one_spelling(notice: Notice) -> None:
    """Names an analyst groups and compares written one way: the tone mark placed the new way
    (`Uỷ ban` → `Ủy ban`, `hoà` → `hòa`). The text keeps the letters as the file has them.
    (underthesea's text_normalize does this too, but also spaces out `12/QĐ-UBND` and `quý
    I/2021` as it tokenises, so names go through the one rule both stages share.)"""
    for field in ("issuer", "issuer_parent"):
        setattr(notice, field, tone_new_style(getattr(notice, field)) if getattr(notice, field) else None)
    sig = notice.signature
    sig.signed_for = tone_new_style(sig.signed_for) if sig.signed_for else None
    sig.signer_title = tone_new_style(sig.signer_title) if sig.signer_title else None
    for task in notice.tasks:
        task.unit = tone_new_style(task.unit) if task.unit else None
    for org in notice.organisations:
        org.normalised = tone_new_style(org.normalised)


def _rate(notice: Notice, blocks: list[Block]) -> None:
    """How surely each field, task and citation was read; why a person should check it."""
    notice.field_confidence = field_confidence(notice, blocks)
    notice.review_reasons = review_reasons(notice, notice.field_confidence, notice.warnings)
    for item in notice.tasks + notice.citations:
        item.confidence = item_confidence(blocks, item.span.start if item.span else None)


def _split_unmarked_footer(blocks, body, footer_left):
    """A reader that could not find the footer columns leaves `Nơi nhận:` in the body:
    everything from it on is the footer."""
    if footer_left:
        return body, footer_left
    for n, i in enumerate(body):
        if recipients_heading(blocks[i].text)[0]:
            return body[:n], body[n:]
    return body, footer_left


def _received(marks: list[Mark]) -> dict:
    """Số đến and ngày đến, from the first incoming stamp that says them."""
    out = {}
    for m in marks:
        if m.kind != MarkKind.STAMP:
            continue
        if "received_number" in m.fields:
            out.setdefault("received_number", m.fields["received_number"])
        if "received_date" in m.fields:
            try:
                out.setdefault("received_date", dt.date.fromisoformat(m.fields["received_date"]))
            except ValueError:
                pass
    return out


def _distinct_days(dates: list[DateMention]) -> list[DateMention]:
    """Each calendar day once, at its first mention."""
    seen, out = set(), []
    for d in dates:
        if d.value not in seen:
            seen.add(d.value)
            out.append(d)
    return out
