"""The library entry points other front ends call: import_bytes (watcher, upload server) and
import_paths (the CLI), on real files and a real database, in this process."""
from pathlib import Path

from pipeline import importer
from pipeline.importer import import_bytes, import_paths, iter_files
from pipeline.store.duckdb import open_store
from pipeline.devcorpus import DEV_CORPUS

DEV = DEV_CORPUS
DOCX = sorted(DEV.glob("*.docx"))


def test_import_bytes_stores_once_and_records_failures(tmp_path):
    db = tmp_path / "b.duckdb"
    data = DOCX[0].read_bytes()
    first = import_bytes(data, tmp_path / "in/a.docx", db)
    again = import_bytes(data, "upload://copy-of-a.docx", db, path_kind="uploaded-as")
    broken = import_bytes(b"PK\x03\x04 not really a zip", tmp_path / "in/broken.docx", db)
    assert (first.status, again.status, broken.status) == ("imported", "already stored", "failed")
    assert again.doc_id == first.doc_id
    assert broken.error == "CorruptFile" and broken.stage == "ingest" and broken.message
    with open_store(db, read_only=True) as store:
        assert store.query("SELECT count(*) FROM documents")[1] == [(1,)]
        # paths are stored absolute (issue 13); an upload's name is kept as a name
        assert store.query("SELECT source_path FROM sources ORDER BY 1")[1] == [(str(tmp_path / "in/a.docx"),),
                                                                                ("upload://copy-of-a.docx",)]
        assert store.query("SELECT path, kind FROM document_paths ORDER BY 1")[1] == [
            (str(tmp_path / "in/a.docx"), "imported"), ("upload://copy-of-a.docx", "uploaded-as")]
        assert store.query("SELECT source_path, error FROM import_errors")[1] == [
            (str(tmp_path / "in/broken.docx"), "CorruptFile")]


def test_import_paths_in_process_counts_and_dedups(tmp_path):
    db = tmp_path / "p.duckdb"
    seen = []
    first = import_paths(DOCX[:3] + DOCX[:1], db, workers=0, on_progress=lambda d, t, o: seen.append((d, t, o.status)))
    assert (first.files, first.imported, first.already_stored, first.ok) == (4, 3, 1, True)
    assert [s[0] for s in seen] == [1, 2, 3, 4] and all(s[1] == 4 for s in seen)
    second = import_paths(DOCX[:3], db, workers=0)
    assert (second.imported, second.already_stored) == (0, 3)


def test_iter_files_walks_folders_skips_hidden_and_excluded(tmp_path):
    (tmp_path / "a" / ".git").mkdir(parents=True)
    for name in ["a/x.docx", "a/.hidden.docx", "a/.git/obj", "a/gold.json", "b.pdf"]:
        (tmp_path / name).write_bytes(b"x")
    got = [Path(p).relative_to(tmp_path).as_posix()
           for p in iter_files([tmp_path / "a", tmp_path / "b.pdf"], exclude=["*.json"])]
    assert got == ["a/x.docx", "b.pdf"]


import pytest  # noqa: E402


@pytest.mark.parametrize("workers, flush_seconds", [(0, 1.0), (2, 1.0), (0, 0.0)])
def test_copies_within_one_batch_are_settled_with_their_original(tmp_path, monkeypatch, workers, flush_seconds):
    """Regression (hostile suite): a copy of a file still in flight was counted as already
    stored but recorded nowhere; a copy of a failing file was lost. Regression (a loaded
    machine): a copy met after its original was written (a flush between) was never settled."""
    monkeypatch.setattr(importer, "FLUSH_SECONDS", flush_seconds)
    src = tmp_path / "in"
    src.mkdir()
    data = DOCX[0].read_bytes()
    for name in ["a.docx", "b.docx", "c.docx"]:
        (src / name).write_bytes(data)
    for name in ["e1.txt", "e2.txt"]:
        (src / name).write_bytes(b"   \n")
    db = tmp_path / "d.duckdb"
    s = import_paths([src], db, workers=workers)
    assert (s.files, s.imported, s.already_stored, len(s.failed)) == (5, 1, 2, 2)
    failed = {Path(o.path).name: o.message for o in s.failed}
    assert "e1.txt" in failed and "e1.txt" in failed["e2.txt"]
    with open_store(db, read_only=True) as store:
        assert len(store.query("SELECT source_path FROM sources")[1]) == 3
        assert sorted(Path(p).name for (p,) in store.query("SELECT source_path FROM import_errors")[1]) == ["e1.txt", "e2.txt"]
    again = import_paths([src], db, workers=workers)
    assert (again.imported, again.already_stored, len(again.failed)) == (0, 3, 2)
    with open_store(db, read_only=True) as store:
        assert len(store.query("SELECT source_path FROM sources")[1]) == 3
