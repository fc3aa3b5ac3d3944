"""Benchmark: real scans read by our whole import against tesseract alone (issue 11's goal: the
extra passes keep a page within 1.5× of `tesseract -l vie` alone on the same page at the same
resolution).

    python -m pipeline.benchscan                      # the scans of ../shared/corpus/real
    python -m pipeline.benchscan FOLDER --limit 10    # or: vanban bench --real-scans FOLDER

Both sides get the same pages and the same cores. tesseract alone reads each page as our
acquisition renders it (the resolution of the picture the page holds, `scan.acquire`), one
thread a process, as many at once as there are cores, the way `pipeline.bench` times it. Ours
is `vanban import` of the same files with as many workers as cores: rendering, the page's
marks, the print layer, deskew, the reread of garbled lines and of handwritten digits, repair,
analysis and the store. The ratio is wall against wall; the page count divides both.
"""
from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Optional, Sequence

from pipeline.bench import _env, bare_tesseract, import_cmd, run_measured

GOAL = 1.5


def scan_files(folder: Path, limit: Optional[int]) -> list[Path]:
    """The PDFs of a folder whose pages are pictures (named `*.scan.pdf` by the corpora)."""
    files = sorted(folder.glob("*.scan.pdf"))
    return files[:limit] if limit else files


def render_as_acquired(files: Sequence[Path], out: Path) -> list[tuple[str, int]]:
    """Each page as our OCR acquires it, gray, with the dpi it is read at: (image, dpi)."""
    import pypdfium2 as pdfium

    from pipeline.ingest import scan
    pages = []
    for f in files:
        pdf = pdfium.PdfDocument(str(f))
        try:
            for i in range(len(pdf)):
                frame = scan.acquire(pdf, i)
                target = out / f"{f.stem}-p{i + 1}.pgm"
                frame.image.convert("L").save(target)
                pages.append((str(target), round(72 / frame.scale)))
        finally:
            pdf.close()
    return pages


def bare_wall(pages: Sequence[tuple[str, int]]) -> float:
    """Seconds for tesseract alone over the pages (`bench.bare_tesseract`: a thread a process,
    as many at once as there are cores)."""
    started = time.perf_counter()
    bare_tesseract(pages)
    return time.perf_counter() - started


def ours_wall(files: Sequence[Path], work: Path, cores: int) -> dict:
    """`vanban import` of the files (linked into one folder) with `cores` workers."""
    folder = work / "scans"
    folder.mkdir()
    for f in files:
        (folder / f.name).symlink_to(f.resolve())
    r = run_measured(import_cmd(folder, work / "scans.duckdb", cores), env=_env(), timeout=7200)
    if r["rc"] not in (0, 1):
        raise RuntimeError(f"vanban import failed: {r['stderr'][-1500:]}")
    return r


def main(argv: Optional[list[str]] = None) -> int:
    from pipeline.devcorpus import REAL_CORPUS
    ap = argparse.ArgumentParser(prog="python -m pipeline.benchscan", description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", nargs="?", type=Path, default=REAL_CORPUS)
    ap.add_argument("--limit", type=int, default=None, help="only the first N scans (by name)")
    args = ap.parse_args(argv)
    files = scan_files(args.folder, args.limit)
    if not files:
        raise SystemExit(f"no *.scan.pdf in {args.folder}")
    cores = os.cpu_count() or 1
    work = Path(tempfile.mkdtemp(prefix="vanban-benchscan-"))
    # the two sides run one after the other: other work on the machine during one side only
    # skews the ratio (a run at load 5 once gave 1.09× for a quiet 1.74×), so both loads print
    load_before = os.getloadavg()[0]
    try:
        pages = render_as_acquired(files, work)
        bare = bare_wall(pages)
        ours = ours_wall(files, work, cores)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ratio = ours["wall_s"] / bare
    load = f"{load_before:.1f}–{os.getloadavg()[0]:.1f}"
    print(f"| real scans | files | pages | tesseract alone ({cores} at once) | vanban import -w {cores} "
          f"| ms/page (ours / alone) | ratio | goal | peak RSS | load |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    print(f"| {args.folder.name} | {len(files)} | {len(pages)} | {bare:.1f} s | {ours['wall_s']:.1f} s "
          f"| {ours['wall_s'] * 1000 / len(pages):.0f} / {bare * 1000 / len(pages):.0f} | **{ratio:.2f}×** "
          f"| ≤ {GOAL}× {'✅' if ratio <= GOAL else '❌'} | {ours['peak_rss'] / 2 ** 20:.0f} MiB | {load} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
