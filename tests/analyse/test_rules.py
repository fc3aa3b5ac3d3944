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


FINDITER = [
    # (pattern, flags, text): rules.finditer finds what finditer finds
    (r"(?<!\w)năm\s+(?P<y>(?:19|20)\d{2})(?![\d/\-–])", "i", "Năm 2021, trong năm 2022 và cả Nnăm 2023; năm 20245"),
    (r"(?<!\w)quý\s+(?P<q>IV|I{1,3}|[1-4])(?:\s*[/\-]\s*|\s+năm\s+)(?P<y>(?:19|20)\d{2})", "i",
     "trong Quý II/2021 và quý 3 năm 2022, QUÝ IV - 2023"),
    (r"(?<!b)aa", "", "aaaa baaa aaa"),               # the literal stands again inside itself
    (r"aba", "", "ababababa"),
    (r"(?<![\w/.\-])(?P<d>[0-3]?\d)(?P<sep>[/.\-])(?P<m>[01]?\d)(?P=sep)(?P<y>\d{4})", "", "ngày 2/4/2021 và 17.3.2021"),
    (r"^Số", "m", "Số: 12\nSố: 13"),                 # opens with an anchor: no literal to search for
]


@pytest.mark.parametrize("pattern, flags, text", FINDITER)
def test_finditer_finds_what_re_finds(pattern: str, flags: str, text: str) -> None:
    compiled = rules.PatternRule(id="t", pattern=pattern, flags=flags).compile()
    expected = [(m.span(), m.groupdict()) for m in compiled.finditer(text)]
    assert expected
    assert [(m.span(), m.groupdict()) for m in rules.finditer(compiled, text)] == expected


@pytest.mark.parametrize("rule_id, opener", [
    ("period-year", "năm"), ("period-quarter", "quý"), ("period-month", "tháng"),
    ("date-numeric", None), ("period-range", None)])
def test_the_literal_a_date_rule_opens_with(rule_id: str, opener) -> None:
    found = rules._opener(rules.pattern("dates.jsonl", rule_id))
    assert (found.pattern if found else None) == opener


def test_finditer_over_every_rule_and_example() -> None:
    texts = [e for f in RULE_FILES for r in rules.pattern_rules(f.name) for e in r.examples + r.counter_examples]
    text = "\n".join(texts)
    for f in RULE_FILES:
        for rid, compiled in rules.patterns(f.name).items():
            assert [m.span() for m in rules.finditer(compiled, text)] == [m.span() for m in compiled.finditer(text)], rid
