"""The spaCy pipeline of pipeline/analyse/nlp.py: every rule of rules/entities.jsonl finds its
examples and nothing in its counter-examples; the tokenizer splits syllables and punctuation;
the pipeline is built once, needs no model, and works in a spawned worker."""
from __future__ import annotations

import json
import multiprocessing
import pickle

import pytest

from pipeline.analyse import nlp
from pipeline.errors import RuleFileError

RULES = nlp.entity_rules()
EXAMPLES = [(r.id, text, expected) for r in RULES for text, expected in r.examples]
COUNTERS = [(r.id, text) for r in RULES for text in r.counter_examples]


@pytest.mark.parametrize("rule_id, text, expected", EXAMPLES)
def test_rule_finds_its_examples(rule_id: str, text: str, expected: str) -> None:
    found = [(e.text, e.ent_id_) for e in nlp.entities(text).ents]
    assert (expected, rule_id) in found, f"{rule_id} should find {expected!r} in {text!r}; found {found}"


@pytest.mark.parametrize("rule_id, text", COUNTERS)
def test_rule_finds_nothing_in_counter_examples(rule_id: str, text: str) -> None:
    found = [e.text for e in nlp.entities(text).ents if e.ent_id_ == rule_id]
    assert not found, f"{rule_id} should find nothing in {text!r}; found {found}"


TOKENS = [
    ("Sở Tài chính chủ trì, phối hợp", ["Sở", "Tài", "chính", "chủ", "trì", ",", "phối", "hợp"]),
    ("Trung tâm Ứng dụng và DVKH&CN;", ["Trung", "tâm", "Ứng", "dụng", "và", "DVKH&CN", ";"]),
    ("Công văn số 847/UBND-VX1 V/v", ["Công", "văn", "số", "847/UBND-VX1", "V/v"]),
    ("(Công đoàn, Đoàn Thanh niên)", ["(", "Công", "đoàn", ",", "Đoàn", "Thanh", "niên", ")"]),
    ("huyện,thị xã.", ["huyện", ",", "thị", "xã", "."]),
]


@pytest.mark.parametrize("text, expected", TOKENS)
def test_tokenizer_splits_syllables_and_punctuation(text: str, expected: list) -> None:
    assert [t.text for t in nlp.pipeline().make_doc(text)] == expected


def test_pipeline_is_built_once_without_a_model() -> None:
    assert nlp.pipeline() is nlp.pipeline()
    assert nlp.pipeline().pipe_names == ["vocabulary", "cues", "organisations"]
    assert not nlp.pipeline().meta.get("name", "").endswith("_sm")


def test_every_rule_has_an_id_a_label_and_a_meaning() -> None:
    assert len({r.id for r in RULES}) == len(RULES)
    assert all(r.meaning for r in RULES)
    assert any(r.label == "ORG" for r in RULES)


def test_a_typo_in_a_rule_fails_with_file_line_and_id(tmp_path, monkeypatch) -> None:
    from pipeline import rules
    (tmp_path / nlp.RULE_FILE).write_text(
        "# test\n" + json.dumps({"id": "bad", "label": "ORG", "pattern": [{"ORTH": "Sở"}], "meening": "typo"}) + "\n",
        encoding="utf-8")
    monkeypatch.setattr(rules, "RULES_DIR", tmp_path)
    nlp.entity_rules.cache_clear()
    try:
        with pytest.raises(RuleFileError, match=r"entities.jsonl:2.*'bad'"):
            nlp.entity_rules()
    finally:
        monkeypatch.undo()
        nlp.entity_rules.cache_clear()


def test_a_bad_spacy_pattern_fails(tmp_path, monkeypatch) -> None:
    from pipeline import rules
    (tmp_path / nlp.RULE_FILE).write_text(
        "# test\n" + json.dumps({"id": "bad-op", "label": "ORG", "pattern": [{"ORTH": "Sở", "OP": "++"}], "meaning": "x"}) + "\n",
        encoding="utf-8")
    monkeypatch.setattr(rules, "RULES_DIR", tmp_path)
    nlp.entity_rules.cache_clear()
    try:
        with pytest.raises(RuleFileError, match="bad-op"):
            nlp.entity_rules()
    finally:
        monkeypatch.undo()
        nlp.entity_rules.cache_clear()


def _units_in_worker(sentences):
    from pipeline.analyse.organisations import unit_at_start
    return [unit_at_start(s) for s in sentences]


def test_callers_pickle_and_run_in_a_spawned_worker() -> None:
    from pipeline.analyse.organisations import find_organisations, unit_at_start
    pickle.dumps(find_organisations), pickle.dumps(unit_at_start)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        assert pool.apply(_units_in_worker, (["Sở Tài chính chủ trì", "Đồng ý cử Đoàn"],)) == ["Sở Tài chính", None]
