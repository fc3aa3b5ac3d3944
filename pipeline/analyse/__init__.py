"""Analyse: the blocks of one notice → a `Notice` (header, body tree, tasks, entities)."""
from __future__ import annotations

import time

from pipeline.model import IngestedDocument, Notice


def analyse(doc: IngestedDocument) -> Notice:
    started = time.perf_counter()
    notice = Notice(source_path=doc.source_path, sha256=doc.sha256, format=doc.format,
                    pages=doc.pages, text=doc.text, warnings=list(doc.warnings),
                    ingest_ms=doc.ingest_ms)
    notice.analyse_ms = (time.perf_counter() - started) * 1000
    return notice
