"""The real files of ../shared/corpus/real, as archives hold them, imported end to end and
scored against their hand-made gold (../shared/corpus/real/*.json and tests/data/real/gold/,
made by reading the pages) with the shared scorer. Handwritten digits are read with the
examples cut from the file itself set aside, so the figures are those of a file never seen.

Floors are the levels reached; a change that drops below one moved the reading backwards."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipeline.devcorpus import REAL_CORPUS, SCORER
from pipeline.importer import import_paths

GOLD = Path(__file__).parent / "data" / "real" / "gold"
FLOORS = {"pdf": 0.97, "pdf(scan)": 0.91}      # mean extraction score per format (0.993, 0.935)
FILE_FLOOR = 0.55                              # every file (the 1999 typewritten dossier is lowest, 0.64)
COMPLETE_SHARE = 0.78                          # files whose archivist's header is complete (30 of 37)
MARK_WORDS = ("Ký bởi", "Thời gian ký", "Người ký", "TRUNG TÂM CÔNG BÁO", "CÔNG VĂN ĐẾN", "ttcbth@", "Chuyển:")
HEADER = ("issuer", "issuer_parent", "number", "symbol", "place", "subject", "sign_authority", "signed_for",
          "signer_title", "signer_name")


@pytest.fixture(scope="module")
def real_db(tmp_path_factory):
    if not REAL_CORPUS.is_dir():
        pytest.skip(f"the real corpus is not beside the repository ({REAL_CORPUS})")
    work = tmp_path_factory.mktemp("real")
    gold = work / "gold"
    gold.mkdir()
    for g in list(REAL_CORPUS.glob("*.json")) + list(GOLD.glob("*.json")):
        shutil.copy(g, gold / g.name)
    db = work / "real.duckdb"
    mp = pytest.MonkeyPatch()
    mp.setenv("VANBAN_HOLDOUT_DIGITS", "1")
    try:
        summary = import_paths([REAL_CORPUS], db, exclude=["*.json", "*.md"])
    finally:
        mp.undo()
    assert not summary.failed
    out = work / "scores.json"
    run = subprocess.run([sys.executable, str(SCORER), "--db", str(db), "--gold", str(gold), "--json", str(out)],
                         capture_output=True, text=True, check=True)
    print(run.stdout)
    return db, json.loads(out.read_text(encoding="utf-8"))


def test_every_real_file_has_gold_and_is_scored(real_db):
    _, scores = real_db
    assert len(scores) == len(list(REAL_CORPUS.glob("*.pdf")))


def test_real_files_read_as_well_as_they_did(real_db):
    _, scores = real_db
    for kind, floor in FLOORS.items():
        mine = [s["overall"] for s in scores if s["file"].endswith(".scan.pdf") == (kind == "pdf(scan)")]
        assert sum(mine) / len(mine) >= floor, kind
    low = {s["file"]: round(s["overall"], 3) for s in scores if s["overall"] < FILE_FLOOR}
    assert not low


def test_no_header_field_holds_a_stamp_or_a_box(real_db):
    db, _ = real_db
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(f"SELECT source_path, {', '.join(HEADER)} FROM documents").fetchall()
    for row in rows:
        for field, value in zip(HEADER, row[1:]):
            assert not (value and any(w.lower() in value.lower() for w in MARK_WORDS)), (row[0], field, value)


def test_the_header_an_archivist_files_is_complete(real_db):
    """Issuer, number, symbol, date and signer (NĐ 30/2020 Phụ lục VI), on most files; where
    one is missing the notice is flagged for review, never filled with junk."""
    db, _ = real_db
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT issuer, number, symbol, issued_date, signer_name, needs_review "
                           "FROM documents").fetchall()
    complete = [r for r in rows if all(r[:5])]
    assert len(complete) >= COMPLETE_SHARE * len(rows)
    assert all(r[5] for r in rows if not all(r[:5]))
    assert all(r[1] is None or r[1].replace("/", "").isdigit() for r in rows)
