"""`vanban import` over a folder as an archive keeps it: the notices beside gold JSON, a
README, desktop.ini, a CSV, Thumbs.db, a spreadsheet, a zip and a saved web page (issue 13).
The files that are not documents are skipped and counted by kind, recorded in
`skipped_files`, and never fail the run, this time or the next; `--all` reads them as before."""
import shutil
from pathlib import Path

import pytest

from notdocs import write_not_documents
from pipeline.devcorpus import DEV_CORPUS
from clirun import query, vanban

DEV = DEV_CORPUS
NOTICES = [DEV / "qngai-skhcn-tb-ketluan-2021.docx", DEV / "tw-vpcp-cv-4663-2008.docx"]
TEXT_KINDS = {"json", "markdown", "ini", "csv"}


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """The folder, and what each file that is not a document is skipped as."""
    root = tmp_path_factory.mktemp("archive")
    folder = root / "in"
    kinds = write_not_documents(folder)
    for p in sorted(DEV.glob("*.json")) + [DEV / "SOURCES.md"]:
        shutil.copy(p, folder / p.name)
        kinds[p.name] = "json" if p.suffix == ".json" else "markdown"
    for p in NOTICES:
        shutil.copy(p, folder / p.name)
    return root, folder, kinds


@pytest.fixture(scope="module")
def imported(archive):
    root, folder, kinds = archive
    db = root / "a.duckdb"
    first = vanban("import", "in", "--db", db, "--workers", 0, cwd=root)
    return db, first


def test_files_that_are_not_documents_are_skipped_and_the_run_exits_0(archive, imported):
    root, folder, kinds = archive
    db, first = imported
    assert first.returncode == 0, first.stdout + first.stderr
    assert f"{len(kinds) + len(NOTICES)} files" in first.stdout
    assert f"{len(NOTICES)} imported" in first.stdout and f"{len(kinds)} skipped" in first.stdout
    assert "0 failed" in first.stdout and "6 json" in first.stdout and "1 spreadsheet" in first.stdout
    skipped = {Path(r["path"]).name: r for r in query(db, "select * from skipped_files", root)}
    assert {n: r["kind"] for n, r in skipped.items()} == kinds
    for name, r in skipped.items():
        assert r["path"] == str(folder.resolve() / name) and r["reason"] and r["sha256"] and r["at"]


def test_nothing_of_them_is_stored(archive, imported):
    root, _, kinds = archive
    db, _ = imported
    stored = {Path(r["source_path"]).name for r in query(db, "select source_path from documents", root)}
    assert stored == {p.name for p in NOTICES}
    seen = {Path(r["path"]).name for r in query(db, "select path from document_paths", root)}
    assert seen == stored
    assert query(db, "select count(*) as n from import_errors", root)[0]["n"] == 0
    assert all(r["is_notice"] for r in query(db, "select is_notice from documents", root))


def test_every_later_run_exits_0_and_adds_nothing(archive, imported):
    root, _, kinds = archive
    db, _ = imported
    for _ in range(2):
        again = vanban("import", "in", "--db", db, "--workers", 0, cwd=root)
        assert again.returncode == 0, again.stdout + again.stderr
        assert f"0 imported, {len(NOTICES)} already stored, {len(kinds)} skipped" in again.stdout
    assert query(db, "select count(*) as n from skipped_files", root)[0]["n"] == len(kinds)
    assert query(db, "select count(*) as n from documents", root)[0]["n"] == len(NOTICES)


def test_all_reads_the_text_ones_as_before(archive, tmp_path):
    root, folder, kinds = archive
    db = tmp_path / "all.duckdb"
    r = vanban("import", folder, "--db", db, "--workers", 0, "--all", cwd=tmp_path)
    stored = {Path(d["source_path"]).name: d for d in
              query(db, "select source_path, format, is_notice from documents", tmp_path)}
    text_ones = {n for n, k in kinds.items() if k in TEXT_KINDS}
    assert set(stored) == text_ones | {p.name for p in NOTICES}
    for name in text_ones:
        assert stored[name]["format"] == "txt" and stored[name]["is_notice"] is False, name
    # the binary ones fail as they did before there was a skip (so --all can exit 1)
    failed = {Path(e["source_path"]).name for e in query(db, "select source_path from import_errors", tmp_path)}
    assert failed == {n for n, k in kinds.items() if k not in TEXT_KINDS}
    assert r.returncode == 1 and "0 skipped" in r.stdout
    assert query(db, "select count(*) as n from skipped_files", tmp_path)[0]["n"] == 0
