"""Paths as an analyst types them (issue 13): every file is stored under its absolute path,
so one file imported from two working folders is one path, and `vanban show` finds it by a
relative path, an absolute one or its name, from anywhere. A database made before paths
were absolute keeps its relative paths and still finds them."""
import datetime as dt
import shutil

import pytest

from pipeline.devcorpus import DEV_CORPUS
from pipeline.store.duckdb import open_store
from clirun import vanban

NOTICE = DEV_CORPUS / "qngai-skhcn-tb-ketluan-2021.docx"


def rows(db, sql, params=None):
    with open_store(db, read_only=True, timeout=60) as store:
        return store.query(sql, params)[1]


@pytest.fixture(scope="module")
def twice(tmp_path_factory):
    """The notice imported by a relative path from the archive's folder, then by its absolute
    path from another folder."""
    root = tmp_path_factory.mktemp("paths")
    (root / "archive" / "2021").mkdir(parents=True)
    (root / "elsewhere").mkdir()
    target = root / "archive" / "2021" / NOTICE.name
    shutil.copy(NOTICE, target)
    db = root / "p.duckdb"
    first = vanban("import", f"2021/{NOTICE.name}", "--db", db, "-w", 0, cwd=root / "archive")
    second = vanban("import", target, "--db", db, "-w", 0, cwd=root / "elsewhere")
    assert first.returncode == 0 and second.returncode == 0, first.stdout + second.stdout
    return root, db, target.resolve()


def test_one_absolute_path_whatever_folder_it_was_imported_from(twice):
    _, db, target = twice
    assert rows(db, "SELECT source_path FROM documents") == [(str(target),)]
    assert rows(db, "SELECT source_path FROM sources") == [(str(target),)]
    assert rows(db, "SELECT path, kind FROM document_paths") == [(str(target), "imported")]


@pytest.mark.parametrize("key,cwd", [(f"2021/{NOTICE.name}", "archive"), (f"./2021/{NOTICE.name}", "archive"),
                                     (NOTICE.name, "archive/2021"), (f"../archive/2021/{NOTICE.name}", "elsewhere"),
                                     (NOTICE.name, "elsewhere"), ("ABS", "elsewhere"), ("ABS", "/")])
def test_show_finds_it_by_a_relative_or_an_absolute_path(twice, key, cwd):
    root, db, target = twice
    key = str(target) if key == "ABS" else key
    r = vanban("show", key, "--db", db, cwd=root / cwd)
    assert r.returncode == 0, r.stderr
    assert "paths (1)" in r.stdout and "imported" in r.stdout


def test_a_database_of_relative_paths_is_carried_forward_and_still_found(tmp_path):
    """Made as version 4 stored it: `data/raw/old.docx` as typed, and `upload://` names."""
    db = tmp_path / "old.duckdb"
    now = dt.datetime(2026, 1, 2, 3, 4, 5)
    with open_store(db, migrate_upto=4) as store:
        for doc_id, path, number in (("a" * 16, "data/raw/old.docx", "12"), ("b" * 16, "upload://note.txt", None)):
            store.query("INSERT INTO documents (doc_id, sha256, source_path, number, text, text_folded, imported_at) "
                        "VALUES (?, ?, ?, ?, 'x', 'x', ?)", [doc_id, doc_id * 4, path, number, now])
            store.query("INSERT INTO sources VALUES (?, ?, ?)", [doc_id, path, now])
    with open_store(db) as store:
        assert store.schema_version() == 6
        assert store.query("SELECT doc_id, path, kind, first_seen FROM document_paths ORDER BY 1")[1] == [
            ("a" * 16, "data/raw/old.docx", "imported", now), ("b" * 16, "upload://note.txt", "uploaded-as", now)]
        assert store.query("SELECT doc_id, is_notice FROM documents ORDER BY 1")[1] == [("a" * 16, True),
                                                                                      ("b" * 16, False)]
    for key, cwd in (("data/raw/old.docx", tmp_path), ("old.docx", tmp_path), ("raw/old.docx", tmp_path),
                     (str(tmp_path / "data" / "raw" / "old.docx"), "/"), ("note.txt", tmp_path)):
        r = vanban("show", key, "--db", db, cwd=cwd)
        assert r.returncode == 0, (key, r.stderr)
    with open_store(db) as store:                     # the step runs once: idempotent on reopen
        assert len(store.query("SELECT * FROM document_paths")[1]) == 2
