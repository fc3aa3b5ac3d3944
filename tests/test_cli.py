"""The real `vanban` CLI in subprocesses, over a real database of the dev notices."""
import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import app
from pipeline.store.fold import fold
from pipeline.devcorpus import DEV_CORPUS
from clirun import query, vanban

DEV = DEV_CORPUS
DOCX = sorted(DEV.glob("*.docx"))


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The dev .docx notices imported once; returns (db, cwd, first run)."""
    cwd = tmp_path_factory.mktemp("cli")
    db = cwd / "dev.duckdb"
    first = vanban("import", *DOCX, "--db", db, "--workers", 1, cwd=cwd)
    return db, cwd, first


def test_every_command_has_help_with_an_example(tmp_path):
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert set(names) == {"import", "query", "search", "show", "export", "watch", "serve", "bench"}
    for name in names:
        r = vanban(name, "--help", cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        assert re.search(r"Example: vanban " + name, r.stdout), f"{name} --help has no example:\n{r.stdout}"


def test_the_watch_command_shows_the_watchers_own_defaults():
    """`vanban watch` is declared in pipeline/cli.py without importing pipeline.watch (issue
    14), so its defaults are repeated there: they must stay the watcher's."""
    import pipeline.cli as cli
    import pipeline.watch as watch
    assert cli.WATCH_SETTLE_SECONDS == watch.SETTLE_SECONDS
    assert cli.DEFAULT_INBOX == watch.DEFAULT_INBOX


def test_console_script_is_installed(tmp_path):
    exe = Path(sys.executable).with_name("vanban")
    assert exe.exists()
    r = subprocess.run([str(exe), "--help"], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0 and "import" in r.stdout


def test_import_stores_each_file_and_says_so(imported):
    db, cwd, first = imported
    assert "files in" in first.stdout, first.stdout + first.stderr
    n = len(DOCX)
    stored = query(db, "select count(*) as n from documents", cwd)[0]["n"]
    failed = query(db, "select count(*) as n from import_errors", cwd)[0]["n"]
    assert stored + failed == n
    assert f"{stored} imported" in first.stdout
    assert first.returncode == (1 if failed else 0)
    assert stored >= 1, first.stdout


def test_importing_again_stores_nothing_twice(imported):
    db, cwd, _ = imported
    before = query(db, "select count(*) as d, (select count(*) from tasks) as t, "
                       "(select count(*) from sections) as s from documents", cwd)
    again = vanban("import", *DOCX, "--db", db, "--workers", 0, cwd=cwd)
    stored = before[0]["d"]
    assert f"0 imported, {stored} already stored" in again.stdout, again.stdout
    assert query(db, "select count(*) as d, (select count(*) from tasks) as t, "
                     "(select count(*) from sections) as s from documents", cwd) == before


def test_documents_carry_hash_format_and_text(imported):
    db, cwd, _ = imported
    for d in query(db, "select sha256, doc_id, format, source_path, length(text) as n from documents", cwd):
        assert d["doc_id"] == d["sha256"][:16] and d["format"] == "docx"
        # stored absolute with links resolved (issue 13), whatever way the corpus was reached
        assert d["source_path"] in {str(p.resolve()) for p in DOCX}
        assert d["n"] > 100


@pytest.mark.parametrize("table", ["sections", "tasks", "citations", "dates", "periods", "persons",
                                   "recipients", "organisations"])
def test_provenance_spans_lie_within_the_text(imported, table):
    db, cwd, _ = imported
    bad = query(db, f"select count(*) as n from {table} t join documents d using (doc_id) "
                    "where t.span_start < 0 or t.span_end < t.span_start or t.span_end > length(d.text)", cwd)
    assert bad[0]["n"] == 0


def test_a_broken_file_is_recorded_with_its_reason_and_the_batch_goes_on(tmp_path):
    broken = tmp_path / "in" / "truncated.docx"
    broken.parent.mkdir()
    broken.write_bytes(DOCX[0].read_bytes()[:2000])
    (tmp_path / "in" / "empty.pdf").write_bytes(b"")
    (tmp_path / "in" / ".hidden.docx").write_bytes(b"ignored")
    (tmp_path / "in" / "good.docx").write_bytes(DOCX[0].read_bytes())
    db = tmp_path / "e.duckdb"
    r = vanban("import", tmp_path / "in", tmp_path / "missing.docx", "--db", db, "--workers", 0, cwd=tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "4 files" in r.stdout and "3 failed" in r.stdout
    errors = {Path(e["source_path"]).name: e for e in
              query(db, "select source_path, sha256, stage, error, message, \"at\" from import_errors", tmp_path)}
    assert set(errors) == {"truncated.docx", "empty.pdf", "missing.docx"}
    assert errors["empty.pdf"]["error"] == "EmptyDocument" and errors["empty.pdf"]["stage"] == "ingest"
    assert errors["missing.docx"]["stage"] == "read" and errors["missing.docx"]["sha256"] is None
    assert errors["truncated.docx"]["error"] in {"CorruptFile", "IngestError"}
    assert all(e["message"] and e["at"] for e in errors.values())
    for name in errors:
        assert name in r.stdout
    assert query(db, "select count(*) as n from documents", tmp_path)[0]["n"] == 1


def test_query_prints_a_table_csv_or_json_and_refuses_writes(imported):
    db, cwd, _ = imported
    table = vanban("query", "select doc_id, format from documents order by doc_id", "--db", db, cwd=cwd)
    assert table.returncode == 0 and "doc_id" in table.stdout and "rows" in table.stdout
    rows = list(csv.reader(io.StringIO(vanban("query", "select doc_id, format from documents order by doc_id",
                                              "--db", db, "--csv", cwd=cwd).stdout)))
    assert rows[0] == ["doc_id", "format"] and len(rows) == 1 + query(db, "select count(*) as n from documents", cwd)[0]["n"]
    write = vanban("query", "delete from documents", "--db", db, cwd=cwd)
    assert write.returncode == 2 and "read-only" in write.stderr
    bad = vanban("query", "select nope from documents", "--db", db, cwd=cwd)
    assert bad.returncode == 2 and "error:" in bad.stderr and "Traceback" not in bad.stderr


def test_commands_on_a_missing_database_say_so(tmp_path):
    for args in (["query", "select 1"], ["search", "ke hoach"], ["show", "x"], ["export", "--parquet", "pq"]):
        r = vanban(*args, "--db", tmp_path / "none.duckdb", cwd=tmp_path)
        assert r.returncode == 2 and "no database" in r.stderr, (args, r.stderr)


def _phrase(db, cwd):
    """Four words from the middle of the longest stored text."""
    text = query(db, "select text from documents order by length(text) desc limit 1", cwd)[0]["text"]
    words = [w for w in re.findall(r"\w+", text) if not w.isdigit()]
    middle = len(words) // 2
    return " ".join(words[middle:middle + 4])


def test_search_finds_a_phrase_of_the_body_however_it_is_spelled(imported):
    db, cwd, _ = imported
    phrase = _phrase(db, cwd)
    target, notice = query(db, "select doc_id, notice_id from documents order by length(text) desc limit 1",
                           cwd)[0].values()
    for spelling in (phrase, fold(phrase), fold(phrase).upper()):
        r = vanban("search", spelling, "--db", db, "--limit", 20, cwd=cwd)
        assert r.returncode == 0, r.stderr
        # one hit per notice: the target, or a file of its notice that matched as well (issue 13)
        assert target in r.stdout or f"notice {notice}: " in r.stdout, f"{spelling!r} did not find {target}:\n{r.stdout}"


def test_show_prints_the_notice_as_a_tree(imported):
    db, cwd, _ = imported
    d = query(db, "select doc_id, source_path from documents order by source_path limit 1", cwd)[0]
    for key in (d["doc_id"], d["doc_id"][:8], d["source_path"]):
        r = vanban("show", key, "--db", db, cwd=cwd)
        assert r.returncode == 0, r.stderr
        assert d["doc_id"] in r.stdout and "header" in r.stdout
    missing = vanban("show", "no-such-notice.docx", "--db", db, cwd=cwd)
    assert missing.returncode == 2 and "no document matches" in missing.stderr


def test_one_notice_held_as_three_files_is_one_search_hit_and_show_lists_its_files(tmp_path):
    """Issue 13: the .docx, .auto.docx and .pdf of one notice are one notice to a reader."""
    files = [DEV / f"qngai-skhcn-tb-ketluan-2021{ext}" for ext in (".docx", ".auto.docx", ".pdf")]
    db = tmp_path / "one.duckdb"
    r = vanban("import", *files, "--db", db, "--workers", 0, cwd=tmp_path)
    assert r.returncode == 0 and "3 imported" in r.stdout, r.stdout + r.stderr
    ids = {d["source_path"]: d["doc_id"] for d in query(db, "select source_path, doc_id from documents", tmp_path)}
    # piped output keeps each hit's line whole however narrow COLUMNS says the screen is
    # (CI's longer checkout path once split "3 files" across two lines)
    r = vanban("search", "ket luan giam doc", "--db", db, cwd=tmp_path, columns=40)
    assert r.returncode == 0, r.stderr
    hits = re.findall(r"^\d+\. .*$", r.stdout, re.M)
    assert len(hits) == 1 and "notice 1: 3 files" in hits[0] and str(files[0].resolve().parent) in hits[0], r.stdout
    r = vanban("show", files[2].name, "--db", db, cwd=tmp_path, columns=40)
    assert r.returncode == 0, r.stderr
    assert "notice 1 (3 files)" in r.stdout and "this file" in r.stdout and "read from" in r.stdout
    assert all(doc_id in r.stdout for doc_id in ids.values()), r.stdout


def test_export_writes_every_table_as_parquet(imported, tmp_path):
    db, cwd, _ = imported
    r = vanban("export", "--parquet", tmp_path / "pq", "--db", db, cwd=cwd)
    assert r.returncode == 0, r.stderr
    names = {p.stem for p in (tmp_path / "pq").glob("*.parquet")}
    assert {"documents", "sections", "tasks", "citations", "dates", "persons", "recipients", "periods",
            "organisations", "warnings", "import_errors", "schema_info"} <= names
