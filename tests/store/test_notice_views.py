"""The dev corpus as an archive holds it: 6 notices in 18 files (4 notices as .docx, .auto.docx,
.pdf and .scan.pdf; 2 as the published file alone). Stored in any order, they make 6 notices,
and every view counts each notice, task and citation once. Expected counts come from one file
of each notice, read here, never from the views' own output."""
import datetime as dt
import random
import re
import subprocess
import sys
from collections import Counter

import pytest

from pipeline.devcorpus import DEV_CORPUS, SCORER
from pipeline.process import process_path
from pipeline.store.duckdb import LATEST_VERSION, open_store
from pipeline.store.rows import TABLES, notice_rows

VARIANT = re.compile(r"\.(auto|scan)$")
FILES = sorted(p for p in DEV_CORPUS.glob("*") if p.suffix in (".docx", ".pdf"))


def stem(path) -> str:
    """The notice a dev file holds: its name without the format and variant suffixes."""
    return VARIANT.sub("", str(path).rsplit("/", 1)[-1].rsplit(".", 1)[0])


@pytest.fixture(scope="module")
def dev_notices():
    """Every notice file of the dev corpus read once (OCR of the scans included)."""
    if not DEV_CORPUS.is_dir():
        pytest.skip(f"the dev corpus is not beside the repository ({DEV_CORPUS})")
    return [process_path(p) for p in FILES]


@pytest.fixture(scope="module")
def archive_import(tmp_path_factory):
    """`vanban import` of the dev folder whole, as an archivist runs it: the 18 notice files
    beside their 6 gold .json files and SOURCES.md."""
    if not DEV_CORPUS.is_dir():
        pytest.skip(f"the dev corpus is not beside the repository ({DEV_CORPUS})")
    db = tmp_path_factory.mktemp("notices") / "dev.duckdb"
    run = subprocess.run([sys.executable, "-m", "pipeline.cli", "import", str(DEV_CORPUS), "--db", str(db),
                          "--workers", "2"], capture_output=True, text=True, timeout=1200)
    return db, run


@pytest.fixture(scope="module")
def dev_db(archive_import):
    return archive_import[0]


def test_the_dev_folder_imports_as_6_notices_from_18_files_and_7_skipped(archive_import):
    db, run = archive_import
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(r"\b18 imported\b", run.stdout) and re.search(r"\b7 skipped\b", run.stdout), run.stdout
    with open_store(db, read_only=True) as store:
        assert store.query("SELECT count(*) FROM documents")[1] == [(18,)]
        assert store.query("SELECT count(*) FROM notices")[1] == [(6,)]
        assert Counter(dict(store.query("SELECT kind, count(*) FROM skipped_files GROUP BY kind")[1])) \
            == Counter({"json": 6, "markdown": 1})
        assert store.query("SELECT count(*) FROM import_errors")[1] == [(0,)]


def reference(dev_notices):
    """One file per notice: a text file when it has one (all of them read alike: checked)."""
    by_stem: dict[str, list] = {}
    for n in dev_notices:
        by_stem.setdefault(stem(n.source_path), []).append(n)
    out = {}
    for name, files in by_stem.items():
        texts = [n for n in files if n.format != "scan"] or files
        assert len({(len(n.tasks), len(n.citations)) for n in texts}) == 1, name
        out[name] = texts[0]
    return out


def grouping(db) -> set:
    with open_store(db, read_only=True) as store:
        rows = store.query("SELECT notice_id, source_path FROM notice_files")[1]
    groups: dict = {}
    for nid, path in rows:
        groups.setdefault(nid, set()).add(path.rsplit("/", 1)[-1])
    return {frozenset(g) for g in groups.values()}


def test_eighteen_files_make_six_notices_one_per_name(dev_db):
    assert len(FILES) == 18
    expected = {frozenset(p.name for p in FILES if stem(p) == s) for s in {stem(p) for p in FILES}}
    assert len(expected) == 6
    assert grouping(dev_db) == expected
    with open_store(dev_db, read_only=True) as store:
        assert store.query("SELECT count(*), sum(files) FROM notices")[1] == [(6, 18)]
        chosen = store.query("SELECT role FROM notice_files WHERE chosen")[1]
        # text over scans: only the notice held as a scan alone is read from a scan
        assert Counter(r for (r,) in chosen) == Counter({"draft": 4, "published": 1, "signed scan": 1})


def test_any_import_order_gives_the_same_notices(dev_notices, dev_db, tmp_path):
    shuffled = list(dev_notices)
    random.Random(13).shuffle(shuffled)
    for i, order in enumerate([list(reversed(dev_notices)), shuffled]):
        db = tmp_path / f"order{i}.duckdb"
        with open_store(db) as store:
            for n in order:
                store.write_notice(n)
        assert grouping(db) == grouping(dev_db)


def test_every_view_counts_each_notice_task_and_citation_once(dev_notices, dev_db):
    ref = reference(dev_notices)
    tasks = sum(len(n.tasks) for n in ref.values())
    due = sum(1 for n in ref.values() for t in n.tasks if t.deadline or t.period)
    cited_by = Counter(r for n in ref.values() for r in {c.ref for c in n.citations})
    with open_store(dev_db, read_only=True) as store:
        q = lambda sql: store.query(sql)[1]  # noqa: E731
        assert q("SELECT count(*), count(DISTINCT task_id) FROM tasks_by_unit") == [(tasks, tasks)]
        assert q("SELECT count(*) FROM tasks_due(DATE '1900-01-01', DATE '2100-12-31')") == [(due,)]
        assert dict(q("SELECT ref, cited_by FROM most_cited")) == dict(cited_by)
        assert q("SELECT count(*) FROM citation_graph") == [(sum(len(n.citations) for n in ref.values()),)]
        # a page of any one file still links its citations (every file's, resolved to notices)
        assert q("SELECT count(*) FROM citation_links") == [(sum(len(n.citations) for n in dev_notices),)]
        assert q("SELECT sum(documents), sum(notices), sum(files) FROM documents_per_issuer_month") == [(6, 6, 18)]
        per_notice = dict(q("SELECT n.number || '/' || n.symbol, count(*) FROM tasks_by_unit t "
                            "JOIN notices n USING (notice_id) GROUP BY ALL"))
    for n in ref.values():
        if n.number and n.tasks:
            assert per_notice[f"{n.number}/{n.symbol}"] == len(n.tasks)


def test_citations_resolve_to_notices_not_files(dev_notices, tmp_path):
    """A notice citing 454/UBND-NCTH, stored beside that notice's four files, cites one notice."""
    four = [n for n in dev_notices if stem(n.source_path) == "haugiang-ubnd-cv-454-2011"]
    citing = [n for n in dev_notices if n.source_path.endswith("qngai-skhcn-tb-ketluan-2021.docx")][0]
    citing = citing.model_copy(update={"sha256": "e" * 64, "citations": citing.citations[:1] + [
        citing.citations[0].model_copy(update={"ref": "454/UBND-NCTH", "number": "454", "year": 2011,
                                               "doc_type": "CV"})]})
    with open_store(tmp_path / "c.duckdb") as store:
        for n in four + [citing]:
            store.write_notice(n)
        rows = store.records("SELECT cited_notice_id, cited_doc_id FROM citation_graph WHERE ref = '454/UBND-NCTH'")
        chosen = store.query("SELECT notice_id, doc_id FROM notices WHERE symbol = 'UBND-NCTH'")[1]
        assert [(r["cited_notice_id"], r["cited_doc_id"]) for r in rows] == chosen
        assert store.query("SELECT cited_by, len(resolved_notices) FROM most_cited "
                           "WHERE ref = '454/UBND-NCTH'")[1] == [(1, 1)]


def test_near_misses_stay_apart_on_the_store(dev_notices, tmp_path):
    vl = [n for n in dev_notices if n.source_path.endswith("vinhlong-ubnd-qd-18-2009.docx")][0]
    hn = [n for n in dev_notices if n.source_path.endswith("hanoi-ubnd-tb-453-2026.pdf")][0]
    next_year = vl.model_copy(update={"sha256": "1" * 64, "number": "18/2010", "issued_date": dt.date(2010, 10, 6)})
    other_issuer = hn.model_copy(update={"sha256": "2" * 64, "issuer": "ỦY BAN NHÂN DÂN TỈNH HẬU GIANG"})
    with open_store(tmp_path / "n.duckdb") as store:
        for n in [vl, next_year, hn, other_issuer]:
            store.write_notice(n)
        assert store.query("SELECT count(*) FROM notices")[1] == [(4,)]


def test_a_file_that_is_no_notice_gets_no_notice_and_stays_out_of_the_views(dev_notices, tmp_path):
    hn = [n for n in dev_notices if n.source_path.endswith("hanoi-ubnd-tb-453-2026.pdf")][0]
    db = tmp_path / "x.duckdb"
    with open_store(db) as store:
        store.write_notice(hn)
        store.query("UPDATE documents SET is_notice = false")
        store.rebuild_notices()      # as the not-a-notice flag's writer would leave it
        assert store.query("SELECT count(*) FROM notices")[1] == [(0,)]
        assert store.query("SELECT count(*) FROM documents_per_issuer_month")[1] == [(0,)]
        assert store.query("SELECT count(*) FROM documents WHERE notice_id IS NULL")[1] == [(1,)]


def test_an_older_database_gains_its_notices_and_due_dates(dev_notices, dev_db, tmp_path):
    """A database of schema 4 (rows as the last version wrote them) opened by this version."""
    db = tmp_path / "v4.duckdb"
    with open_store(db, migrate_upto=4) as store:
        for n in dev_notices:
            rows = notice_rows(n)
            for table in TABLES:
                cols = {c for (c,) in store.query("SELECT column_name FROM information_schema.columns "
                                                  "WHERE table_name = ?", [table])[1]}
                for r in rows[table]:
                    old = {k: v for k, v in r.items() if k in cols}
                    names = ", ".join(f'"{c}"' for c in old)
                    store.query(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" for _ in old)})',
                                list(old.values()))
        assert store.schema_version() == 4
    with open_store(db, read_only=True) as store:
        assert store.schema_version() == LATEST_VERSION
        assert store.query("SELECT count(*) FROM tasks WHERE due IS DISTINCT FROM coalesce(deadline, period_end)")[1] \
            == [(0,)]
        assert store.query("SELECT count(*) FROM documents WHERE role IS NULL OR notice_id IS NULL")[1] == [(0,)]
        new = store.query("SELECT count(*) FROM tasks_by_unit")[1]
    assert grouping(db) == grouping(dev_db)
    with open_store(dev_db, read_only=True) as store:
        assert store.query("SELECT count(*) FROM tasks_by_unit")[1] == new


def test_the_scorer_still_reads_every_file(dev_db, tmp_path):
    out = subprocess.run([sys.executable, str(SCORER), "--db", str(dev_db), "--gold", str(DEV_CORPUS)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "over 18 files" in out.stdout
