"""Regression corpus: realistic notices in layouts the dev corpus does not show, scored end to end.

Each `tests/data/notices/NAME.txt` is a notice as a plain-text copy keeps it (header and footer
columns set with runs of spaces), paired with `NAME.json`, a hand-made answer in the format of
the dev gold files (../shared/eval/README.md). Every notice is also laid out as a Word file at
test time (`NAME.docx`: header and footer in two-column borderless tables, as clerks build
them), again with Word auto-numbering in place of the typed labels (`NAME.auto.docx`,
tests/autonumber.py), printed to PDF by LibreOffice (`NAME.pdf`: narrow columns wrap the motto, the date and
the V/v) and rasterised as a scanner would leave it (`NAME.scan.pdf`: 200 dpi, skewed, noisy,
JPEG, no text layer), so each notice is read through five ingest paths, OCR included. All go
through the real pipeline (`process_path`), into a DuckDB store (`store_notice`), and are
scored by the real scorer.

The threshold: each typed file's overall score must reach 0.95, the bar the analysis issue
sets for the dev corpus's typed formats. These notices are short (one slip in a header field
costs 1/12 of 1/7), so 0.95 lets one field or one task check go wrong in a notice, not two.
Scans must reach 0.90 together (the issue's bar for scans), and each 0.75: OCR misreads of a
small code (`GDTrH` read `GDTrTH`) cost a notice a citation and a recipient at once.

The dev corpus (.docx, .auto.docx, .pdf; scans are left to the slow OCR suite) must stay at
1.000 per format.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autonumber import to_auto_numbered
from office import docx_to_pdf, pdf_to_scan
from pipeline.process import process_path
from pipeline.store.duckdb import store_notice
from pipeline.devcorpus import DEV_CORPUS, SCORER

HERE = Path(__file__).resolve().parent
NOTICES = HERE.parent / "data" / "notices"
SCORE = SCORER
DEV = DEV_CORPUS
THRESHOLD = 0.95
SCAN_THRESHOLD = 0.90
SCAN_FLOOR = 0.75
PARTS = ["header", "sections", "tasks", "citations", "dates", "persons", "recipients"]

pytestmark = pytest.mark.skipif(not SCORE.exists(), reason="the eval scorer is not on this machine")

_GAP = re.compile(r"(?<=\S)(?:\t+| {3,})(?=\S)")


def notice_names() -> list[str]:
    return sorted(p.stem for p in NOTICES.glob("*.txt"))


# --- the same notice laid out in Word ---------------------------------------------------------

def _cells(line: str, width: int = 34) -> tuple[str, str]:
    """A text line of the header or footer → (left cell, right cell)."""
    parts = _GAP.split(line.strip())
    indent = len(line) - len(line.lstrip())
    if len(parts) >= 2:
        return parts[0], " ".join(parts[1:])
    return ("", parts[0]) if indent >= width else (parts[0], "")


def txt_to_docx(src: Path, dst: Path) -> None:
    """Header lines (to the first blank line) and footer lines (from `Nơi nhận`) go into
    two-column borderless tables; every other line is a paragraph."""
    docx = pytest.importorskip("docx")
    lines = src.read_text(encoding="utf-8").splitlines()
    blank = lines.index("")
    footer = next(i for i, ln in enumerate(lines) if ln.lstrip().startswith("Nơi nhận"))
    # a document issued with the notice (a Kế hoạch kèm theo) follows its footer on a page of
    # its own, from the next line with the Quốc hiệu: its header lines in a table, then its text
    attached = next((i for i in range(footer + 1, len(lines)) if "CỘNG HÒA XÃ HỘI" in lines[i]), len(lines))
    d = docx.Document()

    def add_table(rows: list[str]) -> None:
        t = d.add_table(rows=1, cols=2)
        left, right = [], []
        for ln in rows:
            if not ln.strip():
                continue
            a, b = _cells(ln)
            if a:
                left.append(a)
            if b:
                right.append(b)
        for cell, paras in zip(t.rows[0].cells, (left, right)):
            cell.paragraphs[0].text = paras[0] if paras else ""
            for text in paras[1:]:
                cell.add_paragraph(text)

    add_table(lines[:blank])
    _add_body(d, lines[blank:footer])
    add_table(lines[footer:attached])
    if attached < len(lines):
        from docx.enum.text import WD_BREAK
        d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        title = lines.index("", attached)
        add_table(lines[attached:title])
        for ln in lines[title:]:
            if ln.strip():
                d.add_paragraph(ln.strip())
    d.save(dst)


def _add_body(d, lines: list[str]) -> None:
    """Body lines as paragraphs; a run of `| … |` lines as a ruled Word table."""
    rows: list[str] = []
    for ln in lines + [""]:
        if ln.strip().startswith("|") and ln.strip().endswith("|") and len(ln.strip()) > 2:
            rows.append(ln.strip())
            continue
        if rows:
            grid_table(d, rows)
            rows = []
        if ln.strip():
            d.add_paragraph(ln.strip())


def grid_table(d, lines: list[str]) -> None:
    """`| … |` lines (a `|---|` rule skipped) → a Word table with borders, its first row
    repeated on each page as a header; `<` merges a cell into its left neighbour (gridSpan),
    `^` into the one above (vMerge); a row is never split over a page."""
    from docx.oxml import OxmlElement
    rows = [[c.strip() for c in ln[1:-1].split("|")] for ln in lines if not re.fullmatch(r"\|[\s:|\-]+\|", ln)]
    from docx.shared import Cm
    n = max(map(len, rows))
    t = d.add_table(rows=len(rows), cols=n)
    t.style = "Table Grid"
    # as clerks set them: the number narrow, the content wide, the others sharing the rest
    widths = [Cm(1.2), Cm(6.3)] + [Cm(8.5 / max(n - 2, 1))] * (n - 2)
    for row in t.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width
    for r, row in enumerate(rows):
        tr_pr = t.rows[r]._tr.get_or_add_trPr()
        for tag in (["w:cantSplit"] + (["w:tblHeader"] if r == 0 else [])):
            tr_pr.append(OxmlElement(tag))
        for c, text in enumerate(row):
            if text not in ("<", "^"):
                t.cell(r, c).text = text
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text == "<":
                t.cell(r, c - 1).merge(t.cell(r, c))
            elif text == "^":
                t.cell(r - 1, c).merge(t.cell(r, c))


# --- scoring ----------------------------------------------------------------------------------

def score(files: list[Path], gold: Path, tmp: Path) -> list[dict]:
    db = tmp / "notices.duckdb"
    for f in files:
        store_notice(db, process_path(f), str(f))
    out = tmp / "score.json"
    run = subprocess.run([sys.executable, str(SCORE), "--db", str(db), "--gold", str(gold), "--json", str(out)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def misses(notice, gold: dict) -> str:
    """What a reader needs to see when a notice falls short: the parts that missed, and why."""
    lines = []
    got = {"issuer": notice.issuer, "issuer_parent": notice.issuer_parent, "number": notice.number,
           "symbol": notice.symbol, "doc_type": notice.doc_type, "place": notice.place,
           "issued_date": str(notice.issued_date), "subject": notice.subject,
           "sign_authority": notice.signature.sign_authority, "signed_for": notice.signature.signed_for,
           "signer_title": notice.signature.signer_title, "signer_name": notice.signature.signer_name}
    for k, v in gold["header"].items():
        if k in got and str(v).casefold() != str(got[k]).casefold():
            lines.append(f"  header {k}: got {got[k]!r}, want {v!r}")
    have = {s.path: s.heading for s in notice.sections}
    want = {s["path"]: s["heading"] for s in gold["sections"]}
    for p in sorted(set(have) | set(want)):
        if have.get(p, "").casefold() != want.get(p, "").casefold():
            lines.append(f"  section {p}: got {have.get(p)!r}, want {want.get(p)!r}")
    tasks = {t.path: t for t in notice.tasks}
    for g in gold["tasks"]:
        t = tasks.get(g["path"])
        if t is None:
            lines.append(f"  task {g['path']}: missing")
            continue
        if not t.text.casefold().startswith(g["starts"].casefold()):
            lines.append(f"  task {g['path']}: text {t.text[:60]!r}")
        if g.get("ends") and not t.text.casefold().rstrip().endswith(g["ends"].casefold()):
            lines.append(f"  task {g['path']}: ends {t.text[-60:]!r}")
        if g.get("unit") and (t.unit or "").casefold() != g["unit"].casefold():
            lines.append(f"  task {g['path']}: unit {t.unit!r}, want {g['unit']!r}")
        if "deadline" in g and str(t.deadline) != str(g["deadline"]):
            lines.append(f"  task {g['path']}: deadline {t.deadline}, want {g['deadline']}")
    for p in sorted(set(tasks) - {g["path"] for g in gold["tasks"]}):
        lines.append(f"  task {p}: not in gold ({tasks[p].text[:50]!r})")
    cits = {c.ref: (c.doc_type, str(c.cited_date) if c.cited_date else None) for c in notice.citations}
    gcits = {c["ref"]: (c["doc_type"], c.get("date")) for c in gold["citations"]}
    if cits != gcits:
        lines.append(f"  citations: got {cits}, want {gcits}")
    for part, have_set, want_set in (
            ("dates", {str(d.value) for d in notice.dates}, set(gold["dates"])),
            ("persons", {p.name for p in notice.persons}, set(gold["persons"])),
            ("recipients", {r.text for r in notice.recipients}, set(gold["recipients"]))):
        if have_set != want_set:
            lines.append(f"  {part}: extra {sorted(have_set - want_set)}, missing {sorted(want_set - have_set)}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def notice_scores(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("notices")
    gold = tmp / "gold"
    gold.mkdir()
    files, docs = [], []
    for name in notice_names():
        shutil.copy(NOTICES / f"{name}.json", gold / f"{name}.json")
        files.append(NOTICES / f"{name}.txt")
        txt_to_docx(NOTICES / f"{name}.txt", tmp / f"{name}.docx")
        docs.append(tmp / f"{name}.docx")
    files += docs
    for typed in docs:
        auto = tmp / f"{typed.stem}.auto.docx"
        assert to_auto_numbered(typed, auto) > 0
        files.append(auto)
    for seed, pdf in enumerate(docx_to_pdf(docs, tmp)):
        files.append(pdf)
        pdf_to_scan(pdf, tmp / f"{pdf.stem}.scan.pdf", seed)
        files.append(tmp / f"{pdf.stem}.scan.pdf")
    return {d["file"]: d for d in score(files, gold, tmp)}, files


def test_there_are_notices_of_many_kinds():
    kinds = {json.loads((NOTICES / f"{n}.json").read_text(encoding="utf-8"))["header"]["doc_type"]
             for n in notice_names()}
    assert len(notice_names()) >= 8 and len(kinds) >= 7


def _fail_with_misses(scores, files, name: str, suffix: str, threshold: float) -> None:
    s = scores.get(name + suffix)
    assert s is not None, f"{name}{suffix} was not scored"
    if s["overall"] < threshold:
        path = next(f for f in files if f.name == name + suffix)
        gold = json.loads((NOTICES / f"{name}.json").read_text(encoding="utf-8"))
        parts = ", ".join(f"{p} {s[p]:.2f}" for p in PARTS if s[p] < 1)
        pytest.fail(f"{name}{suffix}: overall {s['overall']:.3f} < {threshold} ({parts})\n"
                    + misses(process_path(path), gold))


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".auto.docx", ".pdf"])
@pytest.mark.parametrize("name", notice_names())
def test_notice_scores(notice_scores, name, suffix):
    _fail_with_misses(*notice_scores, name, suffix, THRESHOLD)


# a scan's task table is read from its ruling lines (pipeline/ingest/scantables.py, issue 12):
# quangngai-ubnd-kh-146-2026 (a ruled table over three pages) is held to the scans' bar
@pytest.mark.parametrize("name", notice_names())
def test_scanned_notice_scores(notice_scores, name):
    _fail_with_misses(*notice_scores, name, ".scan.pdf", SCAN_FLOOR)


def test_scans_together(notice_scores):
    scores, _ = notice_scores
    scans = [d["overall"] for f, d in scores.items() if f.endswith(".scan.pdf")]
    assert len(scans) == len(notice_names())
    assert sum(scans) / len(scans) >= SCAN_THRESHOLD, sorted(scans)


DEV_FORMATS = {"docx": ".docx", "docx(auto)": ".auto.docx", "pdf": ".pdf"}


def test_dev_corpus_stays_perfect(tmp_path):
    if not DEV.exists():
        pytest.skip("no dev corpus here")
    files = sorted(f for f in DEV.iterdir() if f.name.endswith((".docx", ".pdf")) and ".scan." not in f.name)
    details = score(files, DEV, tmp_path)
    low = [(d["file"], round(d["overall"], 3), [p for p in PARTS if d[p] < 1]) for d in details if d["overall"] < 1]
    assert len(details) == len(files)
    assert not low, low
