"""Reference text of the dev notices from their .docx, and the similarity the readers are held to."""
from __future__ import annotations

import difflib
import re
import unicodedata

import docx
from pipeline.devcorpus import DEV_CORPUS

DEV = DEV_CORPUS
RENDERED = ["qngai-skhcn-tb-ketluan-2021", "haugiang-ubnd-cv-454-2011",
            "tw-vpcp-cv-4663-2008", "vinhlong-ubnd-qd-18-2009"]


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def docx_body(name: str) -> str:
    """The body paragraphs of the reference .docx (header and footer sit in its tables)."""
    return fold(" ".join(p.text for p in docx.Document(DEV / f"{name}.docx").paragraphs))


def docx_cells(name: str) -> list[str]:
    return [fold(c.text) for t in docx.Document(DEV / f"{name}.docx").tables for r in t.rows for c in r.cells]


def body_text(doc) -> str:
    return fold(" ".join(b.text for b in doc.blocks if b.region.value == "body"))


def region_text(doc, region: str) -> str:
    return fold(" ".join(b.text for b in doc.blocks if b.region.value == region))


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
