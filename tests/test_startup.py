"""Start-up (issue 14): what one file costs is its own work. No timings here (those are in
`vanban bench`, pipeline/benchstartup.py); these are the behaviours the speed rests on."""
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import pipeline.importer as importer
from pipeline.devcorpus import DEV_CORPUS
from pipeline.importer import SMALL_BATCH, import_paths, pool_size
from pipeline.store.duckdb import open_store
from pipeline.benchstartup import distinct_docx

DOCX = sorted(DEV_CORPUS.glob("*.docx"))

# (workers asked for, files, cores, worker processes started)
POOL_CASES = [
    (None, 1, 2, 0),                        # issue 14: one .docx started 2 workers
    (None, SMALL_BATCH, 2, 0),              # a handful: this process
    (None, SMALL_BATCH + 1, 2, 2),          # a batch: the cores
    (None, 1000, 8, 8),
    (None, 0, 2, 0),                        # nothing to do
    (0, 1000, 2, 0),                        # asked for none
    (1, 1, 2, 1),                           # asked for: kept (a crashing parser costs one file)
    (2, 3, 2, 2),
    (4, 2, 2, 2),                           # never more workers than files
    (2, 0, 2, 0),
]


@pytest.mark.parametrize("workers,files,cores,expected", POOL_CASES)
def test_pool_size(workers, files, cores, expected):
    assert pool_size(workers, files, cores) == expected


HEAVY = ["spacy", "underthesea", "pdfplumber", "pypdfium2", "PIL", "cv2", "fastapi", "uvicorn",
         "starlette", "watchdog", "pipeline.analyse.notice", "pipeline.ingest.docx"]


@pytest.mark.parametrize("module", ["pipeline", "pipeline.cli", "pipeline.importer", "pipeline.intake"])
def test_importing_loads_no_parser_model_or_server(module):
    code = textwrap.dedent(f"""
        import sys
        import {module}
        print(" ".join(m for m in {HEAVY!r} if m in sys.modules))
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [], f"importing {module} loaded {r.stdout.strip()}"


# issue 14: `vanban query` paid ~0.1 s of CPU for the watcher's module (and through it the
# importer, the model, pydantic) and the benchmark's, loaded only to declare their commands
NOT_FOR_QUERY = ["pipeline.watch", "pipeline.bench", "pipeline.importer", "pipeline.intake", "pipeline.model",
                 "pydantic"]


def test_the_cli_declares_every_command_without_loading_the_watcher_bench_or_model():
    code = textwrap.dedent(f"""
        import sys
        import pipeline.cli
        print(" ".join(m for m in {NOT_FOR_QUERY!r} if m in sys.modules))
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [], f"importing pipeline.cli loaded {r.stdout.strip()}"


def test_a_one_file_import_by_the_cli_does_not_load_pandas(tmp_path):
    """DuckDB's client imports pandas, where installed, at the first bound parameter: ~0.25 s
    of CPU of a one-file `vanban import` (issue 14). The command keeps it out."""
    f = distinct_docx(tmp_path / "in", 1)[0]
    code = textwrap.dedent(f"""
        import runpy, sys
        sys.argv = ["vanban", "import", {str(f)!r}, "--db", {str(tmp_path / "one.duckdb")!r}, "--quiet"]
        try:
            runpy.run_module("pipeline.cli", run_name="__main__")
        except SystemExit as e:
            assert not e.code, e.code
        print(sys.modules.get("pandas") is None)
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "1 imported" in r.stdout and r.stdout.split()[-1] == "True", r.stdout


def test_warm_builds_the_pipeline_once_in_this_process():
    code = textwrap.dedent("""
        from pipeline.process import warm
        from pipeline.analyse import nlp
        warm()
        print(nlp.pipeline.cache_info().currsize, nlp._org_openers.cache_info().currsize)
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["1", "1"]


def distinct(folder: Path, n: int) -> list[Path]:
    return distinct_docx(folder, n)


class NoPool:
    def __init__(self, *args, **kwargs):
        raise AssertionError("a worker pool was started")


def test_a_few_files_are_imported_without_a_pool(tmp_path, monkeypatch):
    files = distinct(tmp_path / "in", 2)
    monkeypatch.setattr(importer, "WorkerPool", NoPool)
    summary = import_paths(files, tmp_path / "one.duckdb")
    assert (summary.imported, summary.failed) == (2, [])


def _stored(db: Path) -> dict:
    """Every document as stored, keyed by its doc_id, without the times of the import (when,
    and how long each stage took)."""
    clock = {"imported_at", "seen_at", "at", "first_seen", "last_seen"}

    def drop(v):
        if isinstance(v, dict):
            return {k: drop(x) for k, x in v.items() if k not in clock and not k.endswith("_ms")}
        if isinstance(v, list):
            return [drop(x) for x in v]
        return v

    with open_store(db, read_only=True) as store:
        ids = [r[0] for r in store.query("SELECT doc_id FROM documents")[1]]
        return {d: drop(store.document(d)) for d in ids}


def test_in_process_import_stores_what_a_pool_stores(tmp_path):
    files = distinct(tmp_path / "in", 3) + [tmp_path / "missing.docx"]
    alone = import_paths(files, tmp_path / "alone.duckdb", workers=0)
    pooled = import_paths(files, tmp_path / "pooled.duckdb", workers=2)
    assert (alone.imported, len(alone.failed)) == (pooled.imported, len(pooled.failed)) == (3, 1)
    a, p = _stored(tmp_path / "alone.duckdb"), _stored(tmp_path / "pooled.duckdb")
    assert len(a) == 3 and a == p


def test_a_small_import_leaves_search_to_rebuild_the_index(tmp_path):
    from pipeline.store.search import search
    db = tmp_path / "s.duckdb"
    import_paths(distinct(tmp_path / "in", 1), db)
    with open_store(db, read_only=True) as store:
        assert store.search_index_stale()
    assert search(db, "thong bao") or search(db, "cong van")


def _names_in_a_fresh_process(first: str) -> list[str]:
    code = textwrap.dedent(f"""
        import json, sys
        {first}
        from pipeline.process import process_path
        notice = process_path({str(DOCX[0])!r})
        from pipeline.analyse import nlp
        loaded = "spacy.cli" in sys.modules
        import spacy.cli                     # the real command line still loads on demand
        assert callable(spacy.cli.download) and callable(spacy.info)
        print(json.dumps([loaded, [o.model_dump() for o in notice.organisations],
                          [t.unit for t in notice.tasks]], ensure_ascii=False))
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_spacy_without_its_command_line_reads_the_same_names():
    import json
    whole = json.loads(_names_in_a_fresh_process("import spacy"))
    light = json.loads(_names_in_a_fresh_process("pass"))
    assert whole[0] is True and light[0] is False, "the stand-in for spacy.cli was not used"
    assert light[1:] == whole[1:] and whole[1]
