"""A developer's cache of the real files' ingest, shared by the test session and scoring
scripts: OCR of the 33 real scans takes ~10 minutes, and a golden-file rewrite, a scoring run
and the suite would each pay it. Set VANBAN_INGEST_CACHE=DIR to use it; CI never does.

The key is a hash of everything ingest reads (its code, the document model, the Vietnamese
helpers, rules/): a change to any of them reads the files afresh."""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("pipeline/ingest", "pipeline/model.py", "pipeline/vietnamese.py", "pipeline/errors.py", "rules")


@lru_cache(maxsize=1)
def key() -> str:
    h = hashlib.sha256()
    for top in SOURCES:
        base = ROOT / top
        for p in sorted([base] if base.is_file() else base.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                h.update(str(p.relative_to(ROOT)).encode())
                h.update(p.read_bytes())
    return h.hexdigest()[:16]


def cached_read(path: Path, read):
    """`read(path)` through the cache when VANBAN_INGEST_CACHE names a folder."""
    from pipeline.model import IngestedDocument
    folder = os.environ.get("VANBAN_INGEST_CACHE")
    if not folder:
        return read(path)
    target = Path(folder) / key() / f"{path.name}.json"
    if target.exists():
        return IngestedDocument.model_validate_json(target.read_text(encoding="utf-8"))
    doc = read(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(doc.model_dump_json(), encoding="utf-8")
    return doc
