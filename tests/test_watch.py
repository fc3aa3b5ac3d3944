"""The real watcher on a real folder: a subprocess `python -m pipeline.watch` (what
`vanban watch` runs) and the library function in a thread. Files are dropped while it runs,
one is written slowly, one is bad, the same bytes come twice, and it is stopped with SIGTERM
and started again over files that arrived while it was down."""
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import psutil
import pytest

from pipeline.store.duckdb import open_store
from pipeline.watch import is_candidate, watch
from pipeline.devcorpus import DEV_CORPUS

DEV = DEV_CORPUS
SETTLE = 1.0


def docx_copy(target: Path, tag: str, src: str = "qngai-skhcn-tb-ketluan-2021.docx") -> bytes:
    """A dev notice with its own zip comment: same text, new sha256."""
    tmp = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(DEV / src, tmp)
    with zipfile.ZipFile(tmp, "a") as z:
        z.comment = tag.encode()
    data = tmp.read_bytes()
    tmp.unlink()
    return data


def wait_for(cond, timeout=90.0, what=""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def rows(db: Path, sql: str, params=None):
    with open_store(db, read_only=True, timeout=60) as store:
        return store.query(sql, params)[1]


def start_watcher(inbox: Path, db: Path, tmp_path: Path) -> subprocess.Popen:
    log = open(tmp_path / "watch.log", "ab")
    return subprocess.Popen([sys.executable, "-m", "pipeline.watch", str(inbox), "--db", str(db),
                             "--settle", str(SETTLE)], stdout=log, stderr=log, cwd=Path(__file__).parents[1])


def stop_watcher(proc: subprocess.Popen, tmp_path: Path) -> str:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    log = (tmp_path / "watch.log").read_text(errors="replace")
    assert proc.returncode == 0, log
    return log


def test_candidates(tmp_path):
    inbox = tmp_path
    for name, wanted in [("a.docx", True), ("sub/b.pdf", True), ("done/a.docx", False),
                         ("failed/c.docx", False), ("~$a.docx", False), ("a.docx.part", False),
                         ("a.pdf.crdownload", False), (".hidden.docx", False), (".sync/a.docx", False),
                         ("x.docx.error.txt", False)]:
        assert is_candidate(inbox / name, inbox) is wanted, name


def test_watcher_in_a_subprocess(tmp_path):
    inbox, db = tmp_path / "inbox", tmp_path / "db" / "vanban.duckdb"
    inbox.mkdir()
    # left while the watcher was down: picked up at start
    (inbox / "early.docx").write_bytes(docx_copy(inbox / "early.docx", "early"))
    proc = start_watcher(inbox, db, tmp_path)
    try:
        wait_for(lambda: (inbox / "done" / "early.docx").exists(), what="the file present at start")

        # dropped while it runs
        good = docx_copy(inbox / "x", "good")
        (inbox / "good.docx").write_bytes(good)
        # a bad file
        (inbox / "broken.docx").write_bytes(b"PK\x03\x04 this is not a zip at all")
        # temporary and hidden files are left alone
        for name in ("~$good.docx", "upload.pdf.part", "file.crdownload", ".hidden.docx"):
            (inbox / name).write_bytes(b"partial")
        # a file in a subfolder
        (inbox / "scanner").mkdir()
        (inbox / "scanner" / "sub.docx").write_bytes(docx_copy(inbox / "y", "sub", "tw-vpcp-cv-4663-2008.docx"))

        # a file written slowly, in pieces, with pauses shorter than the settle time: it must
        # not be read half-way (it would then fail as a damaged zip)
        slow = docx_copy(inbox / "z", "slow")
        pieces = [slow[i:i + len(slow) // 8 + 1] for i in range(0, len(slow), len(slow) // 8 + 1)]
        with open(inbox / "slow.docx", "wb") as f:
            for piece in pieces:
                f.write(piece)
                f.flush()
                time.sleep(SETTLE * 0.5)
        written_at = time.monotonic()

        wait_for(lambda: (inbox / "done" / "good.docx").exists(), what="good.docx in done/")
        wait_for(lambda: (inbox / "failed" / "broken.docx").exists(), what="broken.docx in failed/")
        wait_for(lambda: (inbox / "done" / "scanner" / "sub.docx").exists(), what="scanner/sub.docx in done/")
        wait_for(lambda: (inbox / "done" / "slow.docx").exists() or (inbox / "failed" / "slow.docx").exists(),
                 what="slow.docx settled")
        assert (inbox / "done" / "slow.docx").exists(), "the slowly written file was read half-way"
        assert (inbox / "done" / "slow.docx").read_bytes() == slow

        why = (inbox / "failed" / "broken.docx.error.txt").read_text(encoding="utf-8")
        assert "CorruptFile" in why and "reason:" in why
        errors = rows(db, "SELECT source_path, error FROM import_errors")
        assert any(p.endswith("broken.docx") and e == "CorruptFile" for p, e in errors), errors

        # the same bytes again under another name: moved to done/, not stored twice
        (inbox / "good-again.docx").write_bytes(good)
        wait_for(lambda: (inbox / "done" / "good-again.docx").exists(), what="the duplicate in done/")
        # the same name again with other bytes: kept apart in done/
        (inbox / "good.docx").write_bytes(docx_copy(inbox / "w", "good-2"))
        wait_for(lambda: len(list((inbox / "done").glob("good.*.docx"))) == 1, what="the second good.docx")

        for name in ("~$good.docx", "upload.pdf.part", "file.crdownload", ".hidden.docx"):
            assert (inbox / name).exists(), name
    finally:
        log = stop_watcher(proc, tmp_path)
    assert "stopped:" in log

    # early, good, sub, slow and the second good.docx; the duplicate is not stored again
    docs = rows(db, "SELECT source_path FROM documents")
    assert len(docs) == 5, docs
    dup = rows(db, "SELECT count(*) FROM sources s JOIN documents d USING (doc_id) "
                   "WHERE s.source_path LIKE '%good-again.docx' AND d.source_path LIKE '%good.docx'")
    assert dup[0][0] == 1


def test_restart_picks_up_files_left_while_down(tmp_path):
    inbox, db = tmp_path / "inbox", tmp_path / "vanban.duckdb"
    inbox.mkdir()
    proc = start_watcher(inbox, db, tmp_path)
    try:
        (inbox / "one.docx").write_bytes(docx_copy(inbox / "a", "one"))
        wait_for(lambda: (inbox / "done" / "one.docx").exists(), what="one.docx")
    finally:
        stop_watcher(proc, tmp_path)
    # arrive while it is down: a new notice and the same bytes as one.docx
    (inbox / "two.docx").write_bytes(docx_copy(inbox / "b", "two"))
    shutil.copyfile(inbox / "done" / "one.docx", inbox / "one-copy.docx")
    proc = start_watcher(inbox, db, tmp_path)
    try:
        wait_for(lambda: (inbox / "done" / "two.docx").exists(), what="two.docx after the restart")
        wait_for(lambda: (inbox / "done" / "one-copy.docx").exists(), what="one-copy.docx after the restart")
    finally:
        stop_watcher(proc, tmp_path)
    assert rows(db, "SELECT count(*) FROM documents")[0][0] == 2
    sources = {r[0].rsplit("/", 1)[-1] for r in rows(db, "SELECT source_path FROM sources")}
    assert sources == {"one.docx", "two.docx", "one-copy.docx"}
    tasks = rows(db, "SELECT count(*) FROM tasks GROUP BY doc_id")
    assert all(t[0] > 0 for t in tasks)


def test_library_function_in_a_thread(tmp_path):
    inbox, db = tmp_path / "inbox", tmp_path / "vanban.duckdb"
    stop = threading.Event()
    seen = []
    result = {}
    t = threading.Thread(target=lambda: result.setdefault(
        "summary", watch(inbox, db, stop, settle_seconds=0.3, on_outcome=lambda o, p: seen.append((o, p)))))
    t.start()
    try:
        wait_for(lambda: (inbox / "done").is_dir(), what="the inbox")
        (inbox / "n.docx").write_bytes(docx_copy(inbox / "a", "thread"))
        (inbox / "empty.txt").write_bytes(b"")
        wait_for(lambda: len(seen) == 2, what="two outcomes")
    finally:
        stop.set()
        t.join(timeout=60)
    assert not t.is_alive()
    summary = result["summary"]
    assert (summary.imported, summary.already_stored, summary.failed) == (1, 0, 1)
    moved = {o.status: p for o, p in seen}
    assert moved["imported"] == inbox / "done" / "n.docx"
    assert moved["failed"] == inbox / "failed" / "empty.txt"
    assert (inbox / "failed" / "empty.txt.error.txt").exists()


def test_the_watcher_records_where_it_moved_a_file_and_skips_what_is_not_a_document(tmp_path):
    """Issue 13: the done/ path is recorded beside the inbox path (both absolute); gold JSON
    dropped in the inbox goes to failed/ with its kind, recorded in skipped_files."""
    inbox, db = tmp_path / "inbox", tmp_path / "vanban.duckdb"
    stop, seen, result = threading.Event(), [], {}
    t = threading.Thread(target=lambda: result.setdefault("summary", watch(
        inbox, db, stop, settle_seconds=0.3, isolate=False, on_outcome=lambda o, p: seen.append((o, p)))))
    t.start()
    try:
        wait_for(lambda: (inbox / "done").is_dir(), what="the inbox")
        (inbox / "n.docx").write_bytes(docx_copy(inbox / "a", "paths"))
        shutil.copy(DEV / "qngai-skhcn-tb-ketluan-2021.json", inbox / "gold.json")
        wait_for(lambda: len(seen) == 2, what="two outcomes")
    finally:
        stop.set()
        t.join(timeout=60)
    here = inbox.resolve()
    outcome, moved = next((o, p) for o, p in seen if o.status == "imported")
    assert moved == here / "done" / "n.docx"
    assert rows(db, "SELECT path, kind FROM document_paths WHERE doc_id = ? ORDER BY last_seen",
                [outcome.doc_id]) == [(str(here / "n.docx"), "imported"), (str(moved), "moved-to")]
    skipped, where = next((o, p) for o, p in seen if o.status == "skipped")
    assert where == here / "failed" / "gold.json"
    assert "json" in where.with_name("gold.json.error.txt").read_text(encoding="utf-8")
    assert rows(db, "SELECT path, kind FROM skipped_files") == [(str(here / "gold.json"), "json")]
    assert rows(db, "SELECT count(*) FROM documents")[0][0] == 1
    assert result["summary"].skipped == 1 and result["summary"].failed == 0


def ocr_running(pid: int) -> bool:
    """Whether a tesseract runs under the watcher (in its worker process)."""
    for child in psutil.Process(pid).children(recursive=True):
        try:
            if "tesseract" in child.name():
                return True
        except psutil.Error:
            pass
    return False


def test_sigterm_with_a_file_in_hand_finishes_it(tmp_path):
    """SIGTERM while a slow file (a scan: OCR) is being read: the watcher finishes that file,
    stores and moves it, then exits 0; nothing is left half-done."""
    inbox, db = tmp_path / "inbox", tmp_path / "vanban.duckdb"
    inbox.mkdir()
    proc = start_watcher(inbox, db, tmp_path)
    try:
        wait_for(lambda: (inbox / "done").is_dir(), what="the watcher to start")
        time.sleep(1.0)
        shutil.copyfile(DEV / "qngai-skhcn-tb-ketluan-2021.scan.pdf", inbox / "scan.pdf")
        # the file is in hand once the worker runs tesseract on its pages (the worker itself
        # is started, and warmed, when the watcher starts)
        wait_for(lambda: ocr_running(proc.pid), what="the worker to take the file")
    finally:
        started = time.monotonic()
        log = stop_watcher(proc, tmp_path)
    took = time.monotonic() - started
    in_done, in_inbox = (inbox / "done" / "scan.pdf").exists(), (inbox / "scan.pdf").exists()
    assert in_done != in_inbox, log
    stored = rows(db, "SELECT count(*) FROM documents")[0][0]
    assert stored == (1 if in_done else 0)
    assert in_done, f"the file was not in hand when stopped ({took:.1f}s); the test needs a slower file"


def test_the_workers_exit_when_the_watcher_is_killed(tmp_path):
    """Issue 14: the watcher's worker is the import's (`pipeline.workpool`), which ends with its
    parent; before, a SIGKILL'd watcher left a warm worker (~150 MiB) behind for good."""
    inbox, db = tmp_path / "inbox", tmp_path / "vanban.duckdb"
    inbox.mkdir()
    proc = start_watcher(inbox, db, tmp_path)
    try:
        (inbox / "one.docx").write_bytes(docx_copy(inbox / "a", "killed"))
        wait_for(lambda: (inbox / "done" / "one.docx").exists(), what="one.docx")
        children = psutil.Process(proc.pid).children(recursive=True)
        assert children, "no worker process under the watcher"
    finally:
        proc.kill()
        proc.wait(timeout=60)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(c.is_running() for c in children):
        time.sleep(0.2)
    alive = [c for c in children if c.is_running()]
    pids = [c.pid for c in alive]
    for c in alive:
        try:
            c.kill()
        except psutil.Error:
            pass
    assert not alive, f"processes {pids} outlived the killed watcher"
