"""Test notices for tests/scale: the dev corpus, and many distinct copies of it."""
from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from pipeline.devcorpus import DEV_CORPUS

DEV = Path(os.environ.get("VANBAN_DEV_CORPUS") or DEV_CORPUS)


def dev_files(scans: bool = False) -> list[Path]:
    """The dev notices: every .docx and the text PDFs (scans are slow: OCR)."""
    files = sorted(DEV.glob("*.docx")) + sorted(p for p in DEV.glob("*.pdf") if scans or ".scan." not in p.name)
    if not files:
        pytest.fail(f"no dev notices under {DEV} (set VANBAN_DEV_CORPUS)")
    return files


def make_copies(folder: Path, n: int) -> list[Path]:
    """`n` distinct notices: the dev .docx files again and again, each copy with one more zip
    member naming its number, so each has its own sha256 and the same text."""
    sources = sorted(DEV.glob("*.docx"))
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        src = sources[i % len(sources)]
        target = folder / f"{src.name.removesuffix('.docx')}.copy{i:04d}.docx"
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                zout.writestr(item, zin.read(item.filename))
            zout.writestr("customXml/vanban-copy.txt", f"copy {i}")
        out.append(target)
    return out
