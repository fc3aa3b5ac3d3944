"""Golden files: the whole expected `Notice` of each regression notice and of each real file
with gold, as JSON under tests/golden/, so that every change shows what it moves.

A difference fails with the fields that moved. When a change moves them on purpose, rewrite
the files with `VANBAN_REGENERATE_GOLDEN=1 ./test.sh tests/test_golden.py` and let the diff of
tests/golden/ in the commit say what moved."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pipeline.analyse import analyse
from pipeline.devcorpus import REAL_CORPUS

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
NOTICES = HERE / "data" / "notices"
REGENERATE = os.environ.get("VANBAN_REGENERATE_GOLDEN") == "1"
VOLATILE = {"ingest_ms", "analyse_ms"}


def as_golden(notice) -> dict:
    """The notice as it is compared: everything but timings, its path as the file's name."""
    data = json.loads(notice.model_dump_json(exclude=VOLATILE))
    data["source_path"] = Path(data["source_path"]).name
    return data


def check(name: str, notice) -> None:
    path = GOLDEN / f"{name}.json"
    got = as_golden(notice)
    if REGENERATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path.name}: run with VANBAN_REGENERATE_GOLDEN=1 and commit it"
    want = json.loads(path.read_text(encoding="utf-8"))
    moved = sorted(k for k in set(want) | set(got) if want.get(k) != got.get(k))
    assert not moved, f"{name}: {', '.join(moved)} moved; first: {moved[0]}: " \
                      f"{_short(want.get(moved[0]))} → {_short(got.get(moved[0]))}"


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) < 400 else text[:400] + "…"


@pytest.mark.parametrize("name", sorted(p.stem for p in NOTICES.glob("*.txt")))
def test_regression_notice(name):
    from pipeline import ingest
    check(f"notices/{name}", analyse(ingest.read(NOTICES / f"{name}.txt")))


REAL = sorted(p.name for p in REAL_CORPUS.glob("*.pdf")) if REAL_CORPUS.is_dir() else []


@pytest.mark.parametrize("name", REAL)
def test_real_file(real_doc, name):
    check(f"real/{name}", analyse(real_doc(name)))


def test_golden_files_are_compared_not_rewritten():
    """The suite that CI runs compares; only a person rewrites."""
    assert not REGENERATE or os.environ.get("CI") != "true"
