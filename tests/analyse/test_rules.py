"""Every rule file under rules/ loads, opens with a `#` line saying what it is, and every
pattern rule matches its examples and none of its counter-examples."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import rules

# entities.jsonl holds spaCy EntityRuler patterns, not regex rules: tests/analyse/test_nlp.py runs its examples
SPACY_FILES = {"entities.jsonl"}
RULE_FILES = sorted(f for f in rules.RULES_DIR.glob("*.jsonl") if f.name not in SPACY_FILES)
CASES = [(f.name, r.id, "example", e) for f in RULE_FILES for r in rules.pattern_rules(f.name) for e in r.examples] + \
        [(f.name, r.id, "counter", e) for f in RULE_FILES for r in rules.pattern_rules(f.name) for e in r.counter_examples]
DATA_FILES = sorted(p for p in rules.RULES_DIR.iterdir() if p.suffix in (".tsv", ".yaml", ".txt", ".jsonl"))


@pytest.mark.parametrize("name, rule_id, which, text", CASES)
def test_rule_examples(name: str, rule_id: str, which: str, text: str) -> None:
    hit = rules.pattern(name, rule_id).search(text)
    if which == "example":
        assert hit, f"{name}:{rule_id} should match {text!r}"
    else:
        assert not hit, f"{name}:{rule_id} should not match {text!r} (matched {hit.group(0)!r})"


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_rule_file_loads_and_says_what_it_is(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("#") and len(first) > 20, f"{path.name} must open with a # line saying what it is and where from"
    if path.suffix == ".tsv":
        assert rules.table(path.name)
    elif path.suffix == ".yaml":
        assert rules.data(path.name) is not None
    elif path.suffix == ".txt":
        assert rules.words(path.name)
    elif path.name in SPACY_FILES:
        from pipeline.analyse.nlp import entity_rules
        assert entity_rules()
    else:
        assert rules.pattern_rules(path.name)


def test_doc_types_cover_phu_luc_iii() -> None:
    codes = {r["code"] for r in rules.table("doc_types.tsv")}
    for code in ("NQ QĐ CT QC QyĐ TC TB HD CTr KH PA ĐA DA BC BB TTr HĐ CĐ GN TTh UQ GM GT NP PG PC PB "
                 "NĐ TT TTLT KL CV").split():
        assert code in codes
