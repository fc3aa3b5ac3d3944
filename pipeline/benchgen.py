"""Build a batch of distinct notices from the dev corpus: for the benchmark and for tests that
need many files.

Each variant is one dev notice with a new number and new dates: the issued date is drawn from
a seeded RNG, every full date in the text (`ngày 6 tháng 4 năm 2011`, `22/3/2011`) moves by the
same number of days and every bare year by the same number of years, so deadlines stay after
the issue date and citations keep their shape. The `.docx` is rewritten with python-docx (text
replaced inside the runs, formatting kept); text PDFs come from those `.docx` through one
LibreOffice call per hundred files; scans are those PDFs rasterised by `pdftoppm`, tilted and
speckled a little, and wrapped back into an image-only PDF.

    from pipeline.benchgen import build_batch
    batch = build_batch("data/processed/bench/work", n_docx=200, n_pdf=200, n_scan=8)
    batch.files("docx")          # paths; batch.items carries each variant's number and date

A built batch is reused when its manifest says it was built with the same arguments.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import re
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence
from pipeline.devcorpus import DEV_CORPUS

DEV = Path(os.environ.get("VANBAN_DEV_CORPUS") or DEV_CORPUS)

MANIFEST = "manifest.json"
GENERATOR_VERSION = 1
SOFFICE_CHUNK = 100          # files per LibreOffice call
SOFFICE_TIMEOUT_S = 900

_FULL_DATE = r"(?P<fd_pre>ngày\s+)(?P<fd_d>\d{1,2})(?P<fd_s1>\s+tháng\s+)(?P<fd_m>\d{1,2})(?P<fd_s2>\s+năm\s+)(?P<fd_y>\d{4})"
_SLASH_DATE = r"(?<![\d/])(?P<sd_d>\d{1,2})(?P<sd_s1>[/.-])(?P<sd_m>\d{1,2})(?P<sd_s2>[/.-])(?P<sd_y>(?:19|20)\d{2})(?!\d)"
_NUMBER = r"(?P<num_pre>Số\s*:\s*)(?P<num>\d*)(?=\s*/)"
_YEAR = r"(?<!\d)(?P<year>(?:19|20)\d{2})(?!\d)"
_EDITS = re.compile("|".join([_FULL_DATE, _SLASH_DATE, _NUMBER, _YEAR]))
_ISSUED = re.compile(r",\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")


@dataclass
class Item:
    """One file of the batch and what the analysis should find in it."""

    path: str
    kind: str                 # docx, pdf, scan
    template: str             # the dev file it was made from
    number: str               # the new number after "Số:"
    issued: str               # ISO date
    pages: int                # pages of the printed notice


@dataclass
class Batch:
    root: Path
    items: list[Item] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def of(self, kind: str) -> list[Item]:
        return [i for i in self.items if i.kind == kind]

    def files(self, kind: str) -> list[Path]:
        return [Path(i.path) for i in self.of(kind)]

    def folder(self, kind: str) -> Path:
        return self.root / kind


# --- .docx variants -------------------------------------------------------------------------

def templates(dev: Path = DEV) -> list[Path]:
    """The dev .docx files (typed labels and Word auto-numbering), sorted."""
    found = sorted(dev.glob("*.docx"))
    if not found:
        raise FileNotFoundError(f"no .docx in the dev corpus {dev}")
    return found


def template_pages(template: Path) -> int:
    """Pages of the printed notice: the dev corpus's PDF of the same notice."""
    stem = template.name.split(".")[0]
    pdf = template.with_name(stem + ".pdf")
    if pdf.exists():
        import pypdfium2 as pdfium
        doc = pdfium.PdfDocument(str(pdf))
        try:
            return len(doc)
        finally:
            doc.close()
    return 1


def issued_date(paragraph_texts: Iterable[str]) -> Optional[dt.date]:
    """The `<Place>, ngày D tháng M năm Y` date of a notice."""
    for text in paragraph_texts:
        m = _ISSUED.search(text)
        if m:
            d, mo, y = map(int, m.groups())
            try:
                return dt.date(y, mo, d)
            except ValueError:
                return None
    return None


def _shift(d: int, m: int, y: int, days: int) -> Optional[dt.date]:
    try:
        return dt.date(y, m, d) + dt.timedelta(days=days)
    except (ValueError, OverflowError):
        return None


def _pad(old: str, value: int) -> str:
    return f"{value:02d}" if len(old) == 2 and old.startswith("0") else str(value)


def edit_text(text: str, number: str, days: int, years: int) -> list[tuple[int, int, str]]:
    """The (start, end, replacement) edits that give a paragraph its new number and dates."""
    edits = []
    for m in _EDITS.finditer(text):
        g = m.groupdict()
        if g["fd_d"] is not None:
            new = _shift(int(g["fd_d"]), int(g["fd_m"]), int(g["fd_y"]), days)
            if new:
                edits.append((m.start("fd_d"), m.end("fd_d"), _pad(g["fd_d"], new.day)))
                edits.append((m.start("fd_m"), m.end("fd_m"), _pad(g["fd_m"], new.month)))
                edits.append((m.start("fd_y"), m.end("fd_y"), str(new.year)))
        elif g["sd_d"] is not None:
            new = _shift(int(g["sd_d"]), int(g["sd_m"]), int(g["sd_y"]), days)
            if new:
                edits.append((m.start("sd_d"), m.end("sd_d"), _pad(g["sd_d"], new.day)))
                edits.append((m.start("sd_m"), m.end("sd_m"), _pad(g["sd_m"], new.month)))
                edits.append((m.start("sd_y"), m.end("sd_y"), str(new.year)))
        elif g["num_pre"] is not None:
            edits.append((m.start("num"), m.end("num"), number))
        elif g["year"] is not None:
            edits.append((m.start("year"), m.end("year"), str(int(g["year"]) + years)))
    return edits


def apply_to_runs(texts: list[str], edits: list[tuple[int, int, str]]) -> list[str]:
    """Apply edits made on the joined text to the pieces it was joined from: an edit lands in
    the piece holding its first character; what it covers in later pieces is cut from them."""
    bounds, pos = [], 0
    for t in texts:
        bounds.append((pos, pos + len(t)))
        pos += len(t)
    out = list(texts)
    for start, end, new in sorted(edits, reverse=True):   # right to left: offsets stay valid
        if start == end:                                  # an insertion
            k = next((k for k, (a, b) in enumerate(bounds) if a <= start < b), len(bounds) - 1)
            a = bounds[k][0]
            out[k] = out[k][:start - a] + new + out[k][start - a:]
            continue
        for k, (a, b) in enumerate(bounds):
            lo, hi = max(start, a), min(end, b)
            if lo >= hi:
                continue
            out[k] = out[k][:lo - a] + (new if a <= start < b else "") + out[k][hi - a:]
    return out


def make_docx_variant(template_bytes: bytes, target: Path, number: str, issued: dt.date,
                      original: dt.date) -> None:
    """Write `template_bytes` with the new number and dates to `target` (python-docx)."""
    import docx
    from docx.oxml.ns import qn

    days = (issued - original).days
    years = issued.year - original.year
    document = docx.Document(io.BytesIO(template_bytes))
    t_tag = qn("w:t")
    for p in document.element.body.iter(qn("w:p")):
        ts = [t for t in p.iter(t_tag)]
        if not ts:
            continue
        texts = [t.text or "" for t in ts]
        edits = edit_text("".join(texts), number, days, years)
        if edits:
            for t, new in zip(ts, apply_to_runs(texts, edits)):
                t.text = new
    document.save(str(target))


def docx_variants(out: Path, n: int, seed: int = 0, start: int = 1,
                  sources: Optional[Sequence[Path]] = None) -> list[Item]:
    """n distinct .docx notices in `out`, round-robin over the dev templates; numbers
    `start`, `start+1`…, issued dates drawn (seeded) between 2005 and 2025."""
    import docx
    from docx.oxml.ns import qn

    out.mkdir(parents=True, exist_ok=True)
    sources = list(sources or templates())
    rng = random.Random(seed)
    prepared = []
    for src in sources:
        data = src.read_bytes()
        body = docx.Document(io.BytesIO(data)).element.body
        texts = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]
        original = issued_date(texts) or dt.date(2020, 1, 1)
        prepared.append((src, data, original, template_pages(src)))
    items = []
    for i in range(n):
        src, data, original, pages = prepared[i % len(prepared)]
        issued = dt.date(2005, 1, 1) + dt.timedelta(days=rng.randrange(21 * 365))
        number = str(start + i)
        suffix = ".auto.docx" if src.name.endswith(".auto.docx") else ".docx"
        stem = src.name[: -len(suffix)]
        target = out / f"{i:05d}-{stem}-{number}{suffix}"
        make_docx_variant(data, target, number, issued, original)
        items.append(Item(str(target), "docx", src.name, number, issued.isoformat(), pages))
    return items


# --- PDFs and scans ---------------------------------------------------------------------------

def docx_to_pdf(files: Sequence[Path], out: Path, timeout: float = SOFFICE_TIMEOUT_S) -> list[Path]:
    """Convert .docx files to PDF with LibreOffice, many files per call, in a private profile
    (so it does not fight another soffice on the machine). Returns the PDFs, in order."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise RuntimeError("LibreOffice (soffice) is not installed: cannot make text PDFs")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="vanban-lo-") as profile:
        for k in range(0, len(files), SOFFICE_CHUNK):
            chunk = [str(f) for f in files[k:k + SOFFICE_CHUNK]]
            subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                            "--norestore", "--convert-to", "pdf", "--outdir", str(out), *chunk],
                           check=True, capture_output=True, timeout=timeout)
    pdfs = []
    for f in files:
        name = Path(f).name
        stem = name[: -len(".auto.docx")] + ".auto" if name.endswith(".auto.docx") else Path(f).stem
        pdf = out / f"{stem}.pdf"
        if not pdf.exists():
            raise RuntimeError(f"LibreOffice did not write {pdf}")
        pdfs.append(pdf)
    return pdfs


def pdf_to_scan(pdf: Path, target: Path, dpi: int = 200, seed: int = 0,
                skew_deg: float = 0.8, noise: float = 0.002) -> Path:
    """An image-only PDF of `pdf`: pages rendered by pdftoppm in gray, turned by up to
    `skew_deg`, speckled with `noise` of their pixels, saved as one image per page."""
    import numpy as np
    from PIL import Image

    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="vanban-scan-") as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), f"{tmp}/p"],
                       check=True, capture_output=True, timeout=300)
        pages = []
        for png in sorted(Path(tmp).glob("p*.png")):
            img = Image.open(png).convert("L")
            if skew_deg:
                img = img.rotate(rng.uniform(-skew_deg, skew_deg), resample=Image.BICUBIC,
                                 expand=False, fillcolor=255)
            if noise:
                a = np.asarray(img).copy()
                g = np.random.default_rng(rng.randrange(1 << 30))
                mask = g.random(a.shape) < noise
                a[mask] = g.integers(0, 256, int(mask.sum()), dtype=np.uint8)
                img = Image.fromarray(a)
            pages.append(img)
    if not pages:
        raise RuntimeError(f"pdftoppm rendered no page of {pdf}")
    target.parent.mkdir(parents=True, exist_ok=True)
    pages[0].save(str(target), "PDF", resolution=float(dpi), save_all=True, append_images=pages[1:])
    return target


# --- the whole batch --------------------------------------------------------------------------

def build_batch(root: str | Path, n_docx: int = 200, n_pdf: int = 200, n_scan: int = 8,
                seed: int = 0, reuse: bool = True) -> Batch:
    """docx/, pdf/ and scan/ folders under `root` with that many distinct notices each.

    The PDFs print the first `n_pdf` .docx variants of a second series (numbers from 50001),
    so every file of the batch is a distinct notice; scans rasterise the first `n_scan` PDFs
    (one notice of each template before repeating one).
    """
    root = Path(root)
    args = {"n_docx": n_docx, "n_pdf": n_pdf, "n_scan": n_scan, "seed": seed,
            "version": GENERATOR_VERSION}
    manifest = root / MANIFEST
    if reuse and manifest.exists():
        saved = json.loads(manifest.read_text(encoding="utf-8"))
        if saved.get("args") == args and all(Path(i["path"]).exists() for i in saved["items"]):
            return Batch(root, [Item(**i) for i in saved["items"]], saved.get("notes", []))
    if root.exists():
        for sub in ("docx", "pdf", "scan", "pdf-src"):
            shutil.rmtree(root / sub, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    batch = Batch(root)
    batch.items += docx_variants(root / "docx", n_docx, seed=seed, start=1)
    n_src = max(n_pdf, n_scan)
    if n_src:
        src = docx_variants(root / "pdf-src", n_src, seed=seed + 1, start=50001)
        pdfs = docx_to_pdf([Path(i.path) for i in src], root / "pdf-all")
        (root / "pdf").mkdir(exist_ok=True)
        for item, pdf in list(zip(src, pdfs))[:n_pdf]:
            target = root / "pdf" / pdf.name
            shutil.move(str(pdf), target)
            batch.items.append(Item(str(target), "pdf", item.template, item.number, item.issued,
                                    _pdf_pages(target)))
        # scans: one of each template first, so a small n_scan still covers every layout
        by_template: dict[str, list[int]] = {}
        for k in range(len(src)):
            by_template.setdefault(src[k].template.split(".")[0], []).append(k)
        picked = []
        while len(picked) < n_scan and any(by_template.values()):
            for key in sorted(by_template):
                if by_template[key] and len(picked) < n_scan:
                    picked.append(by_template[key].pop(0))
        for j, k in enumerate(picked):
            item, pdf = src[k], pdfs[k]
            if not pdf.exists():           # moved into pdf/
                pdf = root / "pdf" / pdf.name
            name = pdf.name[: -len(".pdf")] + ".scan.pdf"
            target = pdf_to_scan(pdf, root / "scan" / name, seed=seed + j)
            batch.items.append(Item(str(target), "scan", item.template, item.number, item.issued,
                                    _pdf_pages(target)))
        shutil.rmtree(root / "pdf-all", ignore_errors=True)
        shutil.rmtree(root / "pdf-src", ignore_errors=True)
    manifest.write_text(json.dumps({"args": args, "items": [asdict(i) for i in batch.items],
                                    "notes": batch.notes}, ensure_ascii=False, indent=1),
                        encoding="utf-8")
    return batch


def _pdf_pages(path: Path) -> int:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def main(argv: Optional[list[str]] = None) -> int:
    import argparse
    ap = argparse.ArgumentParser(description="Build a batch of distinct notices from the dev corpus.")
    ap.add_argument("root", type=Path)
    ap.add_argument("--docx", type=int, default=200)
    ap.add_argument("--pdf", type=int, default=200)
    ap.add_argument("--scan", type=int, default=8)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    batch = build_batch(a.root, a.docx, a.pdf, a.scan, a.seed)
    for kind in ("docx", "pdf", "scan"):
        print(f"{kind}: {len(batch.of(kind))} files in {batch.folder(kind)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
