"""Benchmark: our import against the bare parsers and the tools a user would pick instead.

    python -m pipeline.bench                 # 200 notices per text kind, 8 scans (a few minutes)
    python -m pipeline.bench --n 1000        # the full run
    python -m pipeline.bench --rss-docs 10000  # also stream 10,000 notices and watch the memory

It builds its batch (`pipeline.benchgen`: dev notices with new numbers and dates) under
`data/processed/bench/work/`, then times, per kind of file (docx, pdf, scan):

- the bare parse, as a whole process over the same files: python-docx reading paragraphs and
  tables; pypdfium2's `get_text_range` per page; tesseract alone on the scan pages rendered at
  our OCR's dpi, one thread per process, pages spread over the cores; plus pdfplumber's
  `extract_text` in-process on a sample;
- our ingest stage and our analysis stage, in this process, per notice;
- our whole import (`vanban import` in a subprocess) with one worker and with two, with the
  peak RSS of its process tree;
- start-up (`pipeline.benchstartup`): one .docx by the CLI, one upload to a warm server.

It checks the ratios against the goals of issue 6, compares with `unstructured` and `docling`
when a Python that has them is found (`--peer-python`, `$VANBAN_PEER_PYTHON`, or
`data/processed/bench/peers-venv`; `pip install -e '.[bench]'` in a separate venv), profiles the
stages of a kind that misses its goal (cProfile), and writes `bench.md`, `bench.json` and
`bench.png` under `data/processed/bench/`.
"""
from __future__ import annotations

import json
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
import unicodedata
from pathlib import Path
from typing import Any, Optional, Sequence

ROOT = Path(__file__).resolve().parents[1]
OUT = Path("data/processed/bench")
GIB = 1024 ** 3

GOALS = {
    "docx": ("import (1 worker) / bare python-docx, whole processes", 2.0),
    "pdf": ("import (1 worker) / bare pypdfium2, whole processes", 2.0),
    "scan": ("import (2 workers) / tesseract alone on the cores", 1.1),
}
SPEEDUP_GOAL = 1.8
RSS_GOAL = 1 * GIB
RIGHT_COLUMN = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA"
_LABEL = re.compile(r"^\s*(\(\d+\)|\d+(?:\.\d+)*\.|[IVXLC]+\.|[a-zđ]\)|Điều \d+\.)")


# --- measuring a process tree -----------------------------------------------------------------

class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process and all its descendants (psutil)."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak = 0
        self.samples: list[tuple[float, int]] = []
        self._halt = threading.Event()
        self._t0 = time.monotonic()

    def run(self) -> None:
        import psutil
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._halt.is_set():
            total = 0
            try:
                procs = [root] + root.children(recursive=True)
            except psutil.NoSuchProcess:
                break
            for p in procs:
                try:
                    total += p.memory_info().rss
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    pass
            self.peak = max(self.peak, total)
            self.samples.append((time.monotonic() - self._t0, total))
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)


def run_measured(cmd: Sequence[str], timeout: float = 3600, env: Optional[dict] = None,
                 cwd: Optional[Path] = None, interval: float = 0.05) -> dict[str, Any]:
    """Run a command; its wall time, peak RSS of its tree, exit code and output."""
    started = time.perf_counter()
    proc = subprocess.Popen(list(map(str, cmd)), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, cwd=cwd)
    sampler = TreeSampler(proc.pid, interval)
    sampler.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    wall = time.perf_counter() - started
    sampler.stop()
    return {"wall_s": wall, "peak_rss": sampler.peak, "rc": proc.returncode, "stdout": out,
            "stderr": err, "samples": sampler.samples}


def _env(**extra) -> dict:
    env = {**os.environ, **extra}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return env


# --- the bare parsers (run as `python -m pipeline.bench --bare KIND FILES…`) -----------------

def bare_docx(path: str) -> int:
    import docx
    d = docx.Document(path)
    n = sum(len(p.text) for p in d.paragraphs)
    for t in d.tables:
        for row in t.rows:
            for cell in row.cells:
                n += len(cell.text)
    return n


def bare_pdfium(path: str) -> int:
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(path)
    n = 0
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            n += len(tp.get_text_range())
            tp.close()
            page.close()
    finally:
        pdf.close()
    return n


def bare_pdfplumber(path: str) -> int:
    import pdfplumber
    with pdfplumber.open(path) as pdf:
        return sum(len(p.extract_text() or "") for p in pdf.pages)


def tesseract_cmd(image: str, dpi: int) -> list[str]:
    from pipeline.ingest import ocr  # the same language and page segmentation as our OCR
    return ["tesseract", image, "stdout", "-l", ocr.LANG, "--psm", "3", "--dpi", str(dpi), "tsv"]


def bare_tesseract(pages: Sequence[tuple[str, int]]) -> list[float]:
    """tesseract alone on page images, each at its dpi, one thread each, as many at once as
    there are cores: ms per page."""
    from concurrent.futures import ThreadPoolExecutor
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def one(page: tuple[str, int]) -> float:
        t = time.perf_counter()
        subprocess.run(tesseract_cmd(*page), capture_output=True, env=env, check=True, timeout=600)
        return (time.perf_counter() - t) * 1000

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return list(pool.map(one, pages))


def _bare_main(kind: str, files: list[str]) -> None:
    if kind == "scan":
        dpi = int(files[0])
        ms = bare_tesseract([(f, dpi) for f in files[1:]])
    else:
        fn = {"docx": bare_docx, "pdf": bare_pdfium, "pdfplumber": bare_pdfplumber}[kind]
        ms = []
        for f in files:
            t = time.perf_counter()
            fn(f)
            ms.append((time.perf_counter() - t) * 1000)
    print(json.dumps({"kind": kind, "ms": ms}))


def render_scan_pages(files: Sequence[Path], out: Path, dpi: int) -> list[str]:
    """Render scan PDFs' pages as our OCR does (pdfium, gray) to PGM files for bare tesseract."""
    import pypdfium2 as pdfium
    out.mkdir(parents=True, exist_ok=True)
    images = []
    for f in files:
        pdf = pdfium.PdfDocument(str(f))
        try:
            for i in range(len(pdf)):
                target = out / f"{Path(f).stem}-p{i + 1}.pgm"
                if not target.exists():
                    page = pdf[i]
                    page.render(scale=dpi / 72).to_pil().convert("L").save(target)
                    page.close()
                images.append(str(target))
        finally:
            pdf.close()
    return images


# --- the peers (run as `PEER_PYTHON -m pipeline.bench --peer TOOL FILES…` in their venv) ------

def _peer_unstructured():
    os.environ.setdefault("UNSTRUCTURED_DISABLE_NOTICE", "1")
    notes = []
    from unstructured.nlp import tokenize
    try:
        tokenize._get_nlp()
    except Exception as e:  # it downloads en_core_web_sm on first use; offline that fails
        import spacy
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        tokenize._get_nlp = lambda: nlp
        notes.append(f"out of the box it failed offline ({str(e).split(':')[0]}); run with a blank "
                     "English spaCy pipeline instead (no POS tags for its narrative-text heuristics)")
    from unstructured.partition.docx import partition_docx
    from unstructured.partition.pdf import partition_pdf

    def run(path: str) -> list[str]:
        if path.endswith(".docx"):
            els = partition_docx(filename=path)
        else:
            els = partition_pdf(filename=path, strategy="fast")
        return [str(e) for e in els]
    return run, notes


def _peer_docling():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from docling.datamodel.base_models import InputFormat
    from docling.datamodel.pipeline_options import PdfPipelineOptions
    from docling.document_converter import DocumentConverter, PdfFormatOption
    from docling_core.types.doc import TableItem

    opts = PdfPipelineOptions(do_ocr=False, do_table_structure=False)
    conv = DocumentConverter(format_options={InputFormat.PDF: PdfFormatOption(pipeline_options=opts)})

    def run(path: str) -> list[str]:
        res = conv.convert(path, raises_on_error=True)
        out = []
        for item, _ in res.document.iterate_items():
            if isinstance(item, TableItem):
                out += [c.text for c in item.data.table_cells]
            elif getattr(item, "text", None) is not None:
                marker = getattr(item, "marker", None)
                out.append(f"{marker} {item.text}" if marker else item.text)
        return out
    return run, ["PDF: standard pipeline with OCR and table structure off"]


def _peer_main(tool: str, files: list[str]) -> None:
    """Print one JSON line per file: warm time and the elements' text."""
    t = time.perf_counter()
    try:
        run, notes = {"unstructured": _peer_unstructured, "docling": _peer_docling}[tool]()
    except Exception as e:
        print(json.dumps({"tool": tool, "setup_error": f"{type(e).__name__}: {e}"[:400]}))
        return
    print(json.dumps({"tool": tool, "notes": notes, "import_s": time.perf_counter() - t}))
    warmed: set[str] = set()
    for f in files:
        kind = "docx" if f.endswith(".docx") else "pdf"
        rec: dict[str, Any] = {"tool": tool, "file": f}
        try:
            if kind not in warmed:   # the first call of a kind loads models and caches
                t = time.perf_counter()
                run(f)
                rec["cold_ms"] = (time.perf_counter() - t) * 1000
                warmed.add(kind)
            t = time.perf_counter()
            rec["elements"] = run(f)
            rec["ms"] = (time.perf_counter() - t) * 1000
        except Exception as e:
            rec["error"] = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:300]
        print(json.dumps(rec, ensure_ascii=False), flush=True)


def find_peer_python(given: Optional[str]) -> Optional[str]:
    for cand in [given, os.environ.get("VANBAN_PEER_PYTHON"),
                 str(OUT / "peers-venv" / "bin" / "python"), sys.executable]:
        if cand and Path(cand).exists():
            probe = subprocess.run([cand, "-c", "import importlib.util as u; print("
                                    "bool(u.find_spec('unstructured')), bool(u.find_spec('docling')))"],
                                   capture_output=True, text=True)
            if probe.returncode == 0 and "True" in probe.stdout:
                return cand
    return None


def run_peers(python: str, tools: Sequence[str], files: Sequence[Path],
              timeout: float = 1800) -> dict[str, dict]:
    out = {}
    for tool in tools:
        r = subprocess.run([python, "-m", "pipeline.bench", "--peer", tool, *map(str, files)],
                           capture_output=True, text=True, env=_env(), cwd=ROOT, timeout=timeout)
        recs = [json.loads(l) for l in r.stdout.splitlines() if l.startswith("{")]
        head = recs[0] if recs else {"setup_error": (r.stderr.strip().splitlines() or ["no output"])[-1]}
        out[tool] = {"head": head, "files": {rec["file"]: rec for rec in recs[1:]}}
    return out


# --- structure checks (ours and the peers' on the same files) ---------------------------------

def _norm(s: str) -> str:
    s = unicodedata.normalize("NFC", s).replace("HOÀ", "HÒA").replace("Hoà", "Hòa")
    return " ".join(s.split())


def expected_labels(typed_docx: Path) -> list[str]:
    """The labels typed at the start of the paragraphs of the typed .docx of a notice."""
    import docx
    labels = []
    for p in docx.Document(str(typed_docx)).paragraphs:
        m = _LABEL.match(p.text)
        if m:
            labels.append(m.group(1))
    return labels


def left_header(typed_docx: Path) -> str:
    import docx
    d = docx.Document(str(typed_docx))
    first = d.tables[0].rows[0].cells[0].paragraphs[0].text if d.tables else ""
    return _norm(first)


def gold(stem: str) -> dict:
    from pipeline.benchgen import DEV
    p = DEV / f"{stem}.json"
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}


def check_elements(elements: list[str], stem: str, auto: bool) -> dict[str, Any]:
    """Labels kept (on .auto.docx), header columns apart, tasks found as their own elements."""
    from pipeline.benchgen import DEV
    els = [_norm(e) for e in elements]
    typed = DEV / f"{stem}.docx"
    res: dict[str, Any] = {}
    if auto:
        want = expected_labels(typed)
        have = [m.group(1) for e in els for m in [_LABEL.match(e)] if m]
        res["labels"] = (_multiset_hits(want, have), len(want))
    left = left_header(typed)
    res["columns_apart"] = not any(left in e and RIGHT_COLUMN in e.upper() for e in els)
    tasks = gold(stem).get("tasks", [])
    stripped = [_LABEL.sub("", e).lstrip(" -–.") for e in els]
    found = sum(any(s.startswith(_norm(t["starts"])) for s in stripped) for t in tasks)
    res["tasks"] = (found, len(tasks))
    return res


def _multiset_hits(want: list[str], have: list[str]) -> int:
    pool = list(have)
    hits = 0
    for w in want:
        if w in pool:
            pool.remove(w)
            hits += 1
    return hits


def check_ours(path: Path, stem: str, auto: bool) -> dict[str, Any]:
    from pipeline import ingest
    from pipeline.analyse import analyse
    doc = ingest.read(path)
    res = check_elements([b.text for b in doc.blocks], stem, auto)
    notice = analyse(doc)
    tasks = gold(stem).get("tasks", [])
    texts = [_norm(t.text) for t in notice.tasks]
    res["tasks"] = (sum(any(_norm(g["starts"]) in x[:200] for x in texts) for g in tasks), len(tasks))
    return res


# --- our stages in this process ---------------------------------------------------------------

def time_stages(items, warm: bool = True) -> dict[str, Any]:
    """Median and total ms of ingest and of analysis per notice; how many got number and date right."""
    from pipeline import ingest
    from pipeline.analyse import analyse
    ing, ana, right, errors = [], [], 0, []
    if warm and items:
        try:
            analyse(ingest.read(items[0].path))
        except Exception:
            pass
    for it in items:
        data = Path(it.path).read_bytes()
        try:
            t = time.perf_counter()
            doc = ingest.read_bytes(data, it.path)
            t1 = time.perf_counter()
            notice = analyse(doc)
            t2 = time.perf_counter()
        except Exception as e:
            errors.append(f"{Path(it.path).name}: {type(e).__name__}: {e}"[:200])
            continue
        ing.append((t1 - t) * 1000)
        ana.append((t2 - t1) * 1000)
        number = (notice.number or "").split("/")[0]
        right += number == it.number and str(notice.issued_date) == it.issued
    return {"ingest_ms": ing, "analyse_ms": ana, "right": right, "errors": errors}


def profile_stages(files: Sequence[str], db: Path, out: Path, top: int = 25) -> str:
    """cProfile of `import_paths(workers=0)` (ingest, analysis and store in this process)."""
    import cProfile
    import io
    import pstats
    from pipeline.importer import import_paths
    prof = cProfile.Profile()
    prof.enable()
    import_paths(list(files), db, workers=0)
    prof.disable()
    prof.dump_stats(str(out.with_suffix(".prof")))
    buf = io.StringIO()
    st = pstats.Stats(prof, stream=buf)
    st.sort_stats("tottime").print_stats(top)
    buf.write("\n--- by cumulative time ---\n")
    st.sort_stats("cumulative").print_stats(top)
    text = re.sub(r"/\S*/(site-packages|lib/python3\.\d+)/", r"<\1>/", buf.getvalue())
    text = text.replace(str(ROOT) + "/", "")
    out.write_text(text, encoding="utf-8")
    return text


def hot_spots(profile_text: str, n: int = 8) -> list[str]:
    """The first rows of the tottime listing: 'tottime s  file:line(function)'."""
    rows, on = [], False
    for line in profile_text.splitlines():
        if line.strip().startswith("ncalls"):
            if on:
                break
            on = True
            continue
        if on and line.strip():
            parts = line.split(None, 5)
            if len(parts) == 6:
                rows.append(f"{parts[1]} s  {parts[5]}")
        if len(rows) >= n:
            break
    return rows


# --- the run ----------------------------------------------------------------------------------

def import_cmd(folder: Path, db: Path, workers: int) -> list[str]:
    return [sys.executable, "-m", "pipeline.cli", "import", str(folder), "--db", str(db),
            "--workers", str(workers), "--quiet"]


def measure_import(folder: Path, dbdir: Path, workers: int, timeout: float) -> dict[str, Any]:
    db = dbdir / f"{folder.name}-w{workers}.duckdb"
    for p in (db, Path(str(db) + ".wal")):
        if p.exists():
            p.unlink()
    r = run_measured(import_cmd(folder, db, workers), timeout=timeout, env=_env(), cwd=ROOT)
    tail = (r["stdout"].strip().splitlines() or [""])[0]
    return {"wall_s": r["wall_s"], "peak_rss": r["peak_rss"], "rc": r["rc"], "summary": tail,
            "stderr": r["stderr"][-2000:] if r["rc"] not in (0, 1) else ""}


def measure_bare(kind: str, args: Sequence[str], timeout: float) -> dict[str, Any]:
    r = run_measured([sys.executable, "-m", "pipeline.bench", "--bare", kind, *args],
                     timeout=timeout, env=_env(), cwd=ROOT)
    try:
        ms = json.loads(r["stdout"].strip().splitlines()[-1])["ms"]
    except (IndexError, ValueError, KeyError):
        raise RuntimeError(f"bare {kind} run failed: {r['stderr'][-1500:]}")
    return {"wall_s": r["wall_s"], "peak_rss": r["peak_rss"], "ms": ms}


def rss_run(n: int, work: Path, workers: int, seed: int, timeout: float) -> dict[str, Any]:
    """Stream n distinct .docx notices through `vanban import` and sample its tree's RSS."""
    from pipeline.benchgen import build_batch
    t = time.perf_counter()
    batch = build_batch(work / f"rss-{n}-s{seed}", n_docx=n, n_pdf=0, n_scan=0, seed=seed)
    built = time.perf_counter() - t
    dbdir = work / "dbs"
    dbdir.mkdir(parents=True, exist_ok=True)
    db = dbdir / f"rss-{n}.duckdb"
    for p in (db, Path(str(db) + ".wal")):
        if p.exists():
            p.unlink()
    r = run_measured(import_cmd(batch.folder("docx"), db, workers), timeout=timeout, env=_env(),
                     cwd=ROOT, interval=0.5)
    s = [v for _, v in r["samples"]]
    tenth = max(1, len(s) // 10)
    return {"docs": n, "workers": workers, "build_s": built, "wall_s": r["wall_s"], "rc": r["rc"],
            "peak_rss": r["peak_rss"], "first_tenth_median": statistics.median(s[:tenth]) if s else 0,
            "last_tenth_median": statistics.median(s[-tenth:]) if s else 0,
            "samples": r["samples"][:: max(1, len(r["samples"]) // 200)]}


def run(args) -> dict[str, Any]:
    from pipeline.benchgen import DEV, build_batch
    from pipeline.ingest import ocr

    out = Path(args.out)
    work = Path(args.work)
    out.mkdir(parents=True, exist_ok=True)
    kinds = [k for k in args.kinds.split(",") if k]
    n_pdf = args.n if args.n_pdf is None else args.n_pdf
    log = _log
    t = time.perf_counter()
    counts = {"docx": args.n if "docx" in kinds else 0, "pdf": n_pdf if "pdf" in kinds else 0,
              "scan": args.n_scan if "scan" in kinds else 0}
    batch = build_batch(work / f"batch-d{counts['docx']}-p{counts['pdf']}-s{counts['scan']}-seed{args.seed}",
                        n_docx=counts["docx"], n_pdf=counts["pdf"], n_scan=counts["scan"], seed=args.seed)
    log(f"batch: {counts} under {batch.root} ({time.perf_counter() - t:.0f} s to build or find)")
    result: dict[str, Any] = {"machine": machine(), "args": vars(args), "build_s": time.perf_counter() - t,
                              "kinds": {}, "peers": {}, "structure": {}, "profiles": {}, "notes": []}
    dbdir = work / "dbs"
    dbdir.mkdir(parents=True, exist_ok=True)
    for kind in kinds:
        items = batch.of(kind)
        if not items:
            continue
        files = [i.path for i in items]
        pages = sum(i.pages for i in items)
        log(f"[{kind}] {len(items)} files, {pages} pages: bare parse")
        k: dict[str, Any] = {"files": len(items), "pages": pages}
        if kind == "scan":
            images = render_scan_pages([Path(f) for f in files], work / "scan-pages" / f"dpi{ocr.DPI}", ocr.DPI)
            k["bare"] = measure_bare("scan", [str(ocr.DPI), *images], args.timeout)
            k["bare_name"] = f"tesseract alone ({ocr.DPI} dpi, OMP_THREAD_LIMIT=1, {os.cpu_count()} at once)"
        else:
            k["bare"] = measure_bare(kind, files, args.timeout)
            k["bare_name"] = {"docx": "python-docx", "pdf": "pypdfium2"}[kind]
            if kind == "pdf":
                k["pdfplumber"] = measure_bare("pdfplumber", files[: args.sample], args.timeout)
        log(f"[{kind}] our stages in-process")
        k["stages"] = time_stages(items)
        for w in args.workers:
            log(f"[{kind}] vanban import --workers {w}")
            k[f"import_w{w}"] = measure_import(batch.folder(kind), dbdir, w, args.timeout)
        k.update(ratios(kind, k, args.workers))
        result["kinds"][kind] = k
        if args.profile == "always" or (args.profile == "auto" and not k["goal_met"]):
            m = args.profile_files if kind != "scan" else min(args.profile_files, 4)
            log(f"[{kind}] profiling (cProfile, import with workers=0) on {min(len(files), m)} files")
            pdb = dbdir / f"profile-{kind}.duckdb"
            if pdb.exists():
                pdb.unlink()
            text = profile_stages(files[:m], pdb, out / f"profile-{kind}.txt")
            result["profiles"][kind] = hot_spots(text)

    # structure of ours and the peers' on the dev files, and speed on a sample of the batch
    structure_files = [(p, p.name.split(".")[0], ".auto." in p.name)
                       for p in sorted(DEV.glob("*.auto.docx"))]
    structure_files += [(DEV / f"{stem}.pdf", stem, False) for _, stem, _ in list(structure_files)
                        if (DEV / f"{stem}.pdf").exists()]
    log("structure checks (ours)")
    result["structure"]["vanban"] = {}
    for p, stem, auto in structure_files:
        try:
            result["structure"]["vanban"][str(p)] = check_ours(p, stem, auto)
        except Exception as e:  # a broken stage must not lose the timings measured so far
            result["structure"]["vanban"][str(p)] = {"error": f"{type(e).__name__}: {e}"[:300]}
    peer_python = None if args.peers == "none" else find_peer_python(args.peer_python)
    if peer_python is None:
        result["notes"].append("peers not run: no Python with unstructured and docling found "
                               "(make a venv, `pip install -e '.[bench]'` in it, pass --peer-python)")
    else:
        sample = [Path(f) for kind in ("docx", "pdf") for f in batch.files(kind)[: args.sample]]
        files = [p for p, _, _ in structure_files] + sample
        log(f"peers with {peer_python} on {len(files)} files")
        peers = run_peers(peer_python, ["unstructured", "docling"], files)
        result["peers"] = summarise_peers(peers, structure_files, sample, batch)
        for tool, p in peers.items():
            result["structure"][tool] = {str(f): (check_elements(rec["elements"], stem, auto)
                                                  if "elements" in rec else {"error": rec.get("error")})
                                         for f, stem, auto in structure_files
                                         for rec in [p["files"].get(str(f), {"error": "not run"})]}
    if not args.no_startup:
        from pipeline import benchstartup
        log("start-up: one .docx by the CLI, one upload to a warm server")
        result["startup"] = benchstartup.run(work / "startup")
    if args.rss_docs:
        log(f"streaming {args.rss_docs} notices through the importer for the memory check")
        result["rss"] = rss_run(args.rss_docs, work, max(args.workers), args.seed, args.timeout * 10)
    return result


def summarise_peers(peers, structure_files, sample, batch) -> dict[str, Any]:
    """Median warm ms per kind on the sample: each peer's, ours (ingest; ingest+analysis) and the bare parsers'."""
    from pipeline import ingest
    from pipeline.analyse import analyse
    out: dict[str, Any] = {}
    by_kind = {"docx": [p for p in sample if p.suffix == ".docx"], "pdf": [p for p in sample if p.suffix == ".pdf"]}
    for kind, files in by_kind.items():
        if not files:
            continue
        row: dict[str, Any] = {}
        ours_i, ours_a = [], []
        analyse(ingest.read(files[0]))
        for f in files:
            t = time.perf_counter()
            doc = ingest.read(f)
            t1 = time.perf_counter()
            analyse(doc)
            ours_i.append((t1 - t) * 1000)
            ours_a.append((time.perf_counter() - t) * 1000)
        row["vanban ingest"] = statistics.median(ours_i)
        row["vanban ingest+analysis"] = statistics.median(ours_a)
        bare = {"docx": [("python-docx", bare_docx)],
                "pdf": [("pypdfium2", bare_pdfium), ("pdfplumber extract_text", bare_pdfplumber)]}[kind]
        for name, fn in bare:
            fn(str(files[0]))
            ms = []
            for f in files:
                t = time.perf_counter()
                fn(str(f))
                ms.append((time.perf_counter() - t) * 1000)
            row[name] = statistics.median(ms)
        for tool, p in peers.items():
            label = {"unstructured": {"docx": "unstructured partition_docx", "pdf": "unstructured partition_pdf fast"},
                     "docling": {"docx": "docling DOCX backend", "pdf": "docling PDF pipeline"}}[tool][kind]
            recs = [p["files"].get(str(f), {}) for f in files]
            ms = [r["ms"] for r in recs if "ms" in r]
            errs = [r["error"] for r in recs if "error" in r]
            row[label] = statistics.median(ms) if ms else ("fails: " + (errs[0] if errs else
                                                                         p["head"].get("setup_error", "not run")))
        out[kind] = row
    out["notes"] = {tool: p["head"].get("notes") or p["head"].get("setup_error") for tool, p in peers.items()}
    return out


def ratios(kind: str, k: dict, workers: Sequence[int]) -> dict[str, Any]:
    w1 = k.get(f"import_w{min(workers)}")
    w2 = k.get(f"import_w{max(workers)}")
    res: dict[str, Any] = {}
    if w1 and w2 and w2["wall_s"]:
        res["speedup"] = w1["wall_s"] / w2["wall_s"]
    ours = w2 if kind == "scan" else w1
    res["ratio"] = ours["wall_s"] / k["bare"]["wall_s"] if k["bare"]["wall_s"] else None
    goal = GOALS[kind][1]
    res["goal_met"] = bool(res["ratio"] is not None and res["ratio"] <= goal)
    res["rss_ok"] = max(w1["peak_rss"], w2["peak_rss"]) < RSS_GOAL
    return res


def machine() -> dict[str, Any]:
    import psutil
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gib": round(psutil.virtual_memory().total / GIB, 1),
            "python": platform.python_version(), "os": platform.platform(), "load_at_start": load,
            "date": time.strftime("%Y-%m-%d %H:%M"), "extras": extras_present()}


# packages a user's `pip install vanban` does not bring, whose presence changes the import's
# speed (DuckDB's client looks for pandas for every bound value; issue 14)
EXTRAS = ("pandas", "pyarrow", "ray")


def extras_present() -> list[str]:
    """Which of `EXTRAS` the Python running the benchmark has: none, for honest figures."""
    import importlib.util
    return [name for name in EXTRAS if importlib.util.find_spec(name) is not None]


# --- the report -------------------------------------------------------------------------------

def _mib(b: float) -> str:
    return f"{b / 1024 ** 2:.0f} MiB"


def _ms(v) -> str:
    return f"{v:.1f}" if isinstance(v, (int, float)) else str(v)


def markdown(r: dict[str, Any]) -> str:
    m = r["machine"]
    lines = ["# vanban benchmark", "",
             f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, Python {m['python']}; "
             f"{m['date']}; load average at start {m['load_at_start']}.",
             "Installed as a user installs it (no extras)." if not m.get("extras") else
             f"**Not as a user installs it**: this Python also has {', '.join(m['extras'])}, "
             "which a user's install lacks; run the benchmark in a venv made by `pip install -e .`.", ""]
    workers = r["args"]["workers"]
    lo, hi = min(workers), max(workers)
    lines += ["## Whole import against the bare parse", "",
              f"| kind | files | pages | bare parse (whole process) | import {lo} worker | import {hi} workers "
              f"| notices/s ({lo}w / {hi}w) | ms/page ({lo}w) | ratio | goal | speed-up {hi}w/{lo}w (goal {SPEEDUP_GOAL}×) "
              f"| peak RSS ({lo}w / {hi}w) | number+date right |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for kind, k in r["kinds"].items():
        a, b = k[f"import_w{lo}"], k[f"import_w{hi}"]
        goal_text, goal = GOALS[kind]
        ratio = k.get("ratio")
        sp = k.get("speedup")
        lines.append(
            f"| {kind} | {k['files']} | {k['pages']} | {k['bare_name']}: {k['bare']['wall_s']:.2f} s "
            f"| {a['wall_s']:.2f} s | {b['wall_s']:.2f} s | {k['files'] / a['wall_s']:.1f} / {k['files'] / b['wall_s']:.1f} "
            f"| {a['wall_s'] * 1000 / max(k['pages'], 1):.1f} "
            f"| **{ratio:.2f}×** | ≤ {goal}× ({goal_text}) {'✅' if k['goal_met'] else '❌'} "
            f"| {sp:.2f}× {'✅' if sp and sp >= SPEEDUP_GOAL else '❌'} "
            f"| {_mib(a['peak_rss'])} / {_mib(b['peak_rss'])} {'✅' if k['rss_ok'] else '❌'} "
            f"| {k['stages']['right']}/{k['files']} |")
    lines += ["", "## Stages in one process (median ms per notice, warm)", "",
              "| kind | bare parse | pdfplumber extract_text | our ingest | our analysis | stage errors |",
              "|---|---|---|---|---|---|"]
    for kind, k in r["kinds"].items():
        st = k["stages"]
        bare = statistics.median(k["bare"]["ms"]) if k["bare"]["ms"] else 0
        if kind == "scan":   # tesseract alone is timed per page image: per notice, scale by pages
            bare = bare * k["pages"] / max(k["files"], 1)
        plumber = statistics.median(k["pdfplumber"]["ms"]) if k.get("pdfplumber") else "–"
        lines.append(f"| {kind} | {k['bare_name']}: {_ms(bare)} | {_ms(plumber)} "
                     f"| {_ms(statistics.median(st['ingest_ms']) if st['ingest_ms'] else '–')} "
                     f"| {_ms(statistics.median(st['analyse_ms']) if st['analyse_ms'] else '–')} "
                     f"| {len(st['errors'])} |")
    for kind, k in r["kinds"].items():
        for which in ("import_w1", "import_w2"):
            if k.get(which, {}).get("stderr"):
                lines += ["", f"`{kind} {which}` failed: ```{k[which]['stderr'][-500:]}```"]
    if r.get("peers"):
        lines += ["", "## Against the peers (same files, warm, median ms per file)", ""]
        for kind in ("docx", "pdf"):
            row = r["peers"].get(kind)
            if row:
                lines += [f"**{kind}** ({r['args']['sample']} files of the batch):", "",
                          "| tool | ms |", "|---|---|"]
                lines += [f"| {name} | {_ms(v)} |" for name, v in row.items()]
                lines.append("")
        for tool, note in (r["peers"].get("notes") or {}).items():
            if note:
                lines.append(f"- {tool}: {'; '.join(note) if isinstance(note, list) else note}")
    if r.get("structure"):
        lines += ["", "## Structure on the dev notices", "",
                  "Labels: Word auto-numbering labels of the `.auto.docx` kept at the start of an element "
                  "(vs the typed `.docx`). Columns: the header's left column and "
                  f"\"{RIGHT_COLUMN} VIỆT NAM\" never in one element. Tasks: gold tasks (`*.json`) that start "
                  "an element of their own (ours: found by the analysis as tasks).", "",
                  "| tool | file | labels kept | columns apart | tasks found |", "|---|---|---|---|---|"]
        for tool, files in r["structure"].items():
            for f, s in files.items():
                if "error" in s:
                    lines.append(f"| {tool} | {Path(f).name} | fails: {s['error']} | | |")
                    continue
                lab = f"{s['labels'][0]}/{s['labels'][1]}" if "labels" in s else "–"
                lines.append(f"| {tool} | {Path(f).name} | {lab} | {'yes' if s['columns_apart'] else 'no'} "
                             f"| {s['tasks'][0]}/{s['tasks'][1]} |")
    if r.get("profiles"):
        lines += ["", "## Profiles of the kinds that miss their goal (cProfile, top by own time)", ""]
        for kind, rows in r["profiles"].items():
            lines += [f"**{kind}** (full listing: `data/processed/bench/profile-{kind}.txt`):", "", "```"]
            lines += rows + ["```", ""]
    if r.get("rss"):
        s = r["rss"]
        lines += ["", f"## Memory over {s['docs']:,} notices ({s['workers']} workers)", "",
                  f"Peak RSS of the import tree {_mib(s['peak_rss'])} (goal < {_mib(RSS_GOAL)}) "
                  f"{'✅' if s['peak_rss'] < RSS_GOAL else '❌'}; median over the first tenth of the run "
                  f"{_mib(s['first_tenth_median'])}, over the last tenth {_mib(s['last_tenth_median'])}; "
                  f"{s['docs'] / s['wall_s']:.1f} notices/s."]
    if r.get("startup"):
        from pipeline.benchstartup import markdown as startup_markdown
        lines += [""] + startup_markdown(r["startup"])
    for n in r.get("notes", []):
        lines += ["", f"Note: {n}"]
    return "\n".join(lines) + "\n"


def chart(r: dict[str, Any], target: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    kinds = list(r["kinds"])
    workers = r["args"]["workers"]
    lo, hi = min(workers), max(workers)
    series = [("bare parse", lambda k: k["bare"]["wall_s"]),
              (f"import {lo} worker", lambda k: k[f"import_w{lo}"]["wall_s"]),
              (f"import {hi} workers", lambda k: k[f"import_w{hi}"]["wall_s"])]
    n_plots = 1 + bool(r.get("peers"))
    fig, axes = plt.subplots(1, n_plots, figsize=(6 * n_plots, 4.2), squeeze=False)
    ax = axes[0][0]
    width = 0.8 / len(series)
    for j, (name, fn) in enumerate(series):
        vals = [fn(r["kinds"][k]) * 1000 / r["kinds"][k]["files"] for k in kinds]
        ax.bar([i + j * width for i in range(len(kinds))], vals, width, label=name)
    ax.set_xticks([i + width for i in range(len(kinds))], kinds)
    ax.set_yscale("log")
    ax.set_ylabel("ms per notice (wall, whole process)")
    ax.set_title("vanban import vs bare parse")
    ax.legend(fontsize=8)
    if r.get("peers"):
        ax = axes[0][1]
        rows = [(f"{kind}: {name}", v) for kind in ("docx", "pdf") for name, v in r["peers"].get(kind, {}).items()
                if isinstance(v, (int, float))]
        ax.barh([n for n, _ in rows], [v for _, v in rows],
                color=["tab:green" if "vanban" in n else "tab:gray" for n, _ in rows])
        ax.set_xscale("log")
        ax.set_xlabel("ms per file (warm median)")
        ax.set_title("against the peers")
        ax.tick_params(axis="y", labelsize=7)
    fig.suptitle(f"{r['machine']['cores']} cores, {r['machine']['date']}", fontsize=8)
    fig.tight_layout()
    fig.savefig(target, dpi=110)
    plt.close(fig)


def _log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def parse_args(argv: Optional[list[str]] = None):
    import argparse
    ap = argparse.ArgumentParser(prog="python -m pipeline.bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=200, help="distinct .docx notices (default 200; 1000 for the full run)")
    ap.add_argument("--n-pdf", type=int, default=None, help="distinct text PDFs (default: --n)")
    ap.add_argument("--n-scan", type=int, default=8, help="distinct scanned PDFs (default 8)")
    ap.add_argument("--kinds", default="docx,pdf,scan")
    ap.add_argument("--workers", type=lambda s: [int(x) for x in s.split(",")], default=[1, 2])
    ap.add_argument("--sample", type=int, default=20, help="files per kind for pdfplumber, the peers and profiles")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--peers", choices=["auto", "none"], default="auto")
    ap.add_argument("--peer-python", default=None, help="a Python that has unstructured and docling")
    ap.add_argument("--profile", choices=["auto", "always", "never"], default="auto")
    ap.add_argument("--profile-files", type=int, default=100, help="files per kind the profile runs over")
    ap.add_argument("--rss-docs", type=int, default=0, help="stream this many notices and sample RSS (e.g. 10000)")
    ap.add_argument("--no-startup", action="store_true", help="skip the start-up measures (pipeline.benchstartup)")
    ap.add_argument("--work", default=str(OUT / "work"))
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--timeout", type=float, default=3600)
    return ap.parse_args(argv)


def main(argv: Optional[list[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--bare"]:
        _bare_main(argv[1], argv[2:])
        return 0
    if argv[:1] == ["--peer"]:
        _peer_main(argv[1], argv[2:])
        return 0
    args = parse_args(argv)
    result = run(args)
    out = Path(args.out)
    md = markdown(result)
    (out / "bench.md").write_text(md, encoding="utf-8")
    slim = json.loads(json.dumps(result, default=str))
    for k in slim["kinds"].values():
        for w in list(k):
            if w.startswith("import_w") or w in ("bare", "pdfplumber"):
                k[w].pop("samples", None)
    (out / "bench.json").write_text(json.dumps(slim, ensure_ascii=False, indent=1), encoding="utf-8")
    try:
        chart(result, out / "bench.png")
    except Exception as e:  # the table matters more than the picture
        _log(f"chart not written: {e}")
    print(md)
    _log(f"wrote {out / 'bench.md'}, {out / 'bench.json'}, {out / 'bench.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
