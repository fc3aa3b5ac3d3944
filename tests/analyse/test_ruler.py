"""The cheap EntityRuler of pipeline/analyse/ruler.py marks exactly what spaCy's own EntityRuler
marks with the same patterns, on the real dev notices; and the shortcuts around it (a name can
only open with certain words; `ORTH` lists as lexeme flags) change nothing."""
from __future__ import annotations

from functools import lru_cache

import pytest
import spacy

from pipeline import ingest
from pipeline.analyse import nlp
from pipeline.analyse.organisations import unit_at_start
from pipeline.devcorpus import DEV_CORPUS
from pipeline.vietnamese import tone_new_style


@lru_cache(maxsize=1)
def stock_pipeline():
    """nlp.pipeline() built with spaCy's `entity_ruler` factory instead of ours."""
    stock = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    stock.tokenizer = nlp._tokenizer(stock.vocab)
    stages = {"vocabulary": [], "cues": [], "organisations": []}
    for rule in nlp.entity_rules():
        stages[nlp._STAGES[rule.label]].extend(nlp._ruler_patterns(rule))
    for name, patterns in stages.items():
        ruler = stock.add_pipe("entity_ruler", name=name, config={
            "phrase_matcher_attr": "ORTH", "validate": True, "overwrite_ents": name == "organisations"})
        ruler.add_patterns(patterns)
    return stock


def _marks(doc) -> list[tuple]:
    return [(e.start, e.end, e.label_, e.ent_id_) for e in doc.ents]


@lru_cache(maxsize=1)
def dev_texts() -> tuple[str, ...]:
    files = sorted(p for p in DEV_CORPUS.iterdir()
                   if p.suffix in (".docx", ".pdf") and not p.name.endswith(".scan.pdf"))
    assert files, f"no dev notices in {DEV_CORPUS}"
    return tuple(ingest.read(p).text for p in files)


def test_same_marks_as_spacys_entity_ruler_on_the_dev_notices() -> None:
    for text in dev_texts():
        # entities() reads the text in one tone placement, as the patterns are written
        ours, theirs = nlp.entities(text), stock_pipeline()(tone_new_style(text))
        assert len(ours) > 200      # whole notices: the matcher runs over the spans that can match
        assert _marks(ours) == _marks(theirs)


def test_same_marks_as_spacys_entity_ruler_line_by_line() -> None:
    # short texts (task sentences, header lines) run the matcher whole
    lines = {line for text in dev_texts() for line in text.split("\n") if line.strip()}
    lines |= {text for rule in nlp.entity_rules() for text, _ in rule.examples}
    assert len(lines) > 150
    for line in sorted(lines):
        assert _marks(nlp.entities(line)) == _marks(stock_pipeline()(tone_new_style(line))), line


def test_word_lists_are_lexeme_flags_in_the_matcher() -> None:
    org = nlp.pipeline().get_pipe("organisations")
    assert len(org._native) == len(org.matcher)
    person = nlp.pipeline().get_pipe("cues")
    flags = [k for patterns in person.token_patterns.values() for spec in patterns[0] for k in spec]
    assert "ORTH" in flags       # the rule as written; the matcher that runs reads a flag instead
    doc = nlp.pipeline().make_doc("Nguyễn Văn An")
    surnames_flag = next(bit for bit, getter in nlp.pipeline().vocab.lex_attr_getters.items()
                         if getattr(getter, "words", None) and "Nguyễn" in getter.words)
    assert surnames_flag >= 19
    assert [t.check_flag(surnames_flag) for t in doc] == [True, False, False]


OPENS = [
    ("Sở Y tế chủ trì, phối hợp", True),
    ("Ủy ban nhân dân tỉnh", True),
    ("  UBND các huyện, thị xã", True),
    ("Chính phủ", True),
    ("Bộ Ngoại giao làm thủ tục", True),
    ("Các Sở, ban, ngành", False),
    ("Đồng ý cử Đoàn công tác", False),
    ("(Sở Tài chính)", False),
    ("sở Tài chính", False),
    ("Thu hồi Quyết định", False),
    ("", False),
    ("   ", False),
]


@pytest.mark.parametrize("text, expected", OPENS)
def test_may_open_org(text: str, expected: bool) -> None:
    assert nlp.may_open_org(text) is expected


def test_a_text_that_cannot_open_a_name_has_no_name_at_its_start() -> None:
    lines = {line.strip() for text in dev_texts() for line in text.split("\n") if line.strip()}
    skipped = 0
    for line in lines:
        if not nlp.may_open_org(line):
            skipped += 1
            names = nlp.organisations(line)
            assert not names or names[0].start > 0, line
    assert skipped > 100


@pytest.mark.parametrize("sentence, expected", [
    ("Sở Tài chính chủ trì, phối hợp với Sở Kế hoạch và Đầu tư", "Sở Tài chính"),
    ("Giao Văn phòng UBND tỉnh theo dõi", "Văn phòng UBND tỉnh"),
    ("Tổ chức hội nghị với Sở Y tế", None),
])
def test_unit_at_start_with_the_shortcut(sentence: str, expected) -> None:
    assert unit_at_start(sentence) == expected
