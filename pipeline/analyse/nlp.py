"""The spaCy pipeline that reads names in a notice: a blank Vietnamese pipeline whose tokenizer
splits on syllables, and EntityRulers whose patterns are the data of `rules/entities.jsonl`.

    entities(text) -> Doc          # tokenized once; doc.ents holds ORG (and the marks below)
    entity_rules() -> (EntityRule…)

The design, in three rulers that run after one tokenization:

1. **vocabulary** — HEAD, STOP and PLACE phrase patterns (a string `pattern`).
   `"@org_heads.txt"` or `"@task_roles.tsv:phrase"` stands for every entry of that vocabulary
   in `rules/`, so head words, role/predicate/stop words and places stay in the one file each
   already lives in, and multi-syllable entries (`Ủy ban nhân dân`, `chủ trì`) are matched as
   phrases, longest first, case-sensitive. spaCy's `IN`/`NOT_IN` can only test one token, so
   `chủ trì` could not be told from `chủ nhiệm` (or `Giao thông` from `giao`) that way:
   marking the phrase once and testing `ENT_TYPE` in the next patterns can.
2. **cues** — TITLE phrases (`@titles.tsv:title`) and PERSON token patterns (a family name of
   `@surnames.txt` and capitalised syllables). They only fill what the vocabulary left
   unmarked: `Hồ Chí Minh` stays a place, and in `Chánh Văn phòng UBND tỉnh` the head
   `Văn phòng` opens a body's name instead of being swallowed by the title.
3. **organisations** — the ORG token patterns: a name is HEAD tokens, a capitalised word, then
   capitalised or lower-case syllables, `và`, `,`, `-`, up to a STOP, TITLE, PERSON, another
   HEAD or punctuation; they overwrite the marks. Longest match wins (EntityRuler's rule).

The rulers are spaCy's EntityRuler with a cheaper `match` and `set_annotations`
(pipeline/analyse/ruler.py): the same marks, found only where the patterns can match.

Every line is validated by a strict pydantic schema (`EntityRule`, `extra="forbid"`) and every
token pattern by spaCy's own schema, so a typo fails with the file, line and rule id
(`RuleFileError`); each rule's `examples` and `counter_examples` are run by
tests/analyse/test_nlp.py.

The tokenizer is spaCy's rule-based `Tokenizer` (Cython): Vietnamese syllables are separated by
spaces, and punctuation is split off the start and end of a syllable (`trì,` → `trì` `,`),
while `KH&CN`, `V/v` and `847/UBND-VX1` stay one token. `spacy.blank("vi")` with
`use_pyvi=False` needs neither pyvi nor a model, but splits on spaces only and leaves `trì,`
whole, so its tokenizer is replaced. Nothing is downloaded; the pipeline is built lazily, once
per process (`lru_cache`), so callers stay plain picklable functions that work in spawned
workers and under Ray.

underthesea is not used here. Measured on this machine: `word_tokenize` costs 0.13–0.3 ms
for one short task sentence and about 55 ms for the 10k-character Quảng Ngãi notice
(spaCy's tokenizer + rulers + `find_organisations`: about 4 ms after warm-up, of which
tokenizing ~0.3 ms; building the pipeline ~0.5 s once a process), and its boundaries do not tell a name's lower-case
tail from a predicate (`Phòng Quản lý | khoa học và công nghệ cơ sở` and
`Sở Nội vụ | sắp xếp bộ máy` segment alike; `pos_tag` tags `chủ trì` as a noun and `vận tải`
as a verb). The vocabulary of predicates decides instead; an unlisted predicate belongs in
rules/task_roles.tsv.
"""
from __future__ import annotations

import json
import re
import sys
import types
from functools import lru_cache
from typing import Any, Literal, NamedTuple, Optional, Union

from pydantic import BaseModel, ConfigDict, ValidationError

from pipeline import rules
from pipeline.errors import RuleFileError
from pipeline.vietnamese import tone_new_style

RULE_FILE = "entities.jsonl"
ORG = "ORG"
_BEGIN = 3      # Token.iob_strings().index("B")

# punctuation split off a syllable: machinery of the tokenizer, as in spacy/lang/punctuation.py
_PREFIX = re.compile(r"""^[(\[{“"‘'«]""")
_SUFFIX = re.compile(r"""[,;:.!?)\]}”"’'»…/]$""")
_INFIX = re.compile(r"""(?<=[^\W\d_])[,;](?=[^\W\d_])""")


# which ruler a label's patterns go to: marks that win, marks that give way to them, names
_STAGES = {"HEAD": "vocabulary", "STOP": "vocabulary", "PLACE": "vocabulary",
           "TITLE": "cues", "PERSON": "cues", ORG: "organisations"}


class EntityRule(BaseModel):
    """One line of rules/entities.jsonl: a spaCy EntityRuler pattern and its own tests."""
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    label: Literal["ORG", "HEAD", "STOP", "TITLE", "PLACE", "PERSON"]
    pattern: Union[str, list[dict[str, Any]]]
    meaning: str
    examples: list[tuple[str, str]] = []      # (text, the span this rule finds in it)
    counter_examples: list[str] = []          # texts in which this rule finds nothing
    source: str = ""

    @property
    def is_phrase(self) -> bool:
        return isinstance(self.pattern, str)


def _vocabulary(ref: str) -> list[str]:
    """`@file` (one entry a line) or `@file.tsv:column`, as a list of entries."""
    name, _, column = ref[1:].partition(":")
    if column:
        return list(dict.fromkeys(row[column] for row in rules.table(name) if row.get(column)))
    return list(rules.words(name))


def _resolve(spec: Any) -> Any:
    """Replace `"@file"` inside IN / NOT_IN of a token pattern by that vocabulary."""
    if isinstance(spec, dict):
        return {k: (_vocabulary(v) if k in ("IN", "NOT_IN") and isinstance(v, str) and v.startswith("@")
                    else _resolve(v)) for k, v in spec.items()}
    if isinstance(spec, list):
        return [_resolve(s) for s in spec]
    return spec


def import_spacy():
    """`import spacy` without its command line. `spacy/__init__.py` imports one name from
    `spacy.cli`, whose package loads every command (download, train…) with weasel, requests
    and httpx: a third of spaCy's import (0.45 → 0.30 s of CPU measured here), paid by every
    `vanban import` of one file and never used to read names. A stand-in module answers that
    one import while spaCy loads and is removed at once, so a later `import spacy.cli` loads the
    real one, and `spacy.info` calls it. spaCy is pinned; should a release import more from its
    CLI, the stand-in fails and spaCy is imported whole, as before (tests/test_startup.py
    checks that the stand-in is used)."""
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    stand_in, info = types.ModuleType("spacy.cli"), types.ModuleType("spacy.cli.info")
    stand_in.__path__ = []

    def real_info(*args, **kwargs):
        from spacy.cli.info import info as real
        return real(*args, **kwargs)

    info.info = real_info
    sys.modules.setdefault("spacy.cli", stand_in)
    sys.modules.setdefault("spacy.cli.info", info)
    try:
        import spacy
    except ImportError:
        for name in [m for m in sys.modules if m == "spacy" or m.startswith("spacy.")]:
            del sys.modules[name]
    finally:
        for name, module in (("spacy.cli", stand_in), ("spacy.cli.info", info)):
            if sys.modules.get(name) is module:
                del sys.modules[name]
    import spacy
    return spacy


@lru_cache(maxsize=None)
def entity_rules() -> tuple[EntityRule, ...]:
    """Every rule of rules/entities.jsonl, validated (schema, unique ids, spaCy pattern schema)."""
    import_spacy()
    from spacy.schemas import validate_token_pattern

    path = rules.RULES_DIR / RULE_FILE
    numbered = [(n, line) for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if line.strip() and not line.lstrip().startswith("#")]
    out, seen = [], set()
    for n, line in numbered:
        where = f"{path}:{n}"
        try:
            rule = EntityRule.model_validate(json.loads(line))
        except (json.JSONDecodeError, ValidationError) as e:
            rid = re.search(r'"id"\s*:\s*"([^"]*)"', line)
            raise RuleFileError(where, f"rule {rid.group(1) if rid else '?'!r} is invalid: {e}") from e
        if rule.id in seen:
            raise RuleFileError(where, f"rule id {rule.id!r} appears twice")
        seen.add(rule.id)
        if rule.is_phrase:
            if rule.label == ORG:
                raise RuleFileError(where, f"rule {rule.id!r}: ORG needs a token pattern")
            if rule.pattern.startswith("@"):
                try:
                    _vocabulary(rule.pattern)
                except (RuleFileError, KeyError) as e:
                    raise RuleFileError(where, f"rule {rule.id!r}: no vocabulary {rule.pattern!r}: {e}") from e
        else:
            errors = validate_token_pattern(_resolve(rule.pattern))
            if errors:
                raise RuleFileError(where, f"rule {rule.id!r} is not a valid spaCy token pattern: {errors}")
        out.append(rule)
    return tuple(out)


def _ruler_patterns(rule: EntityRule) -> list[dict]:
    """The rule's patterns with their words in the new tone placement, as `entities` reads the
    text: `Uỷ ban` in a vocabulary or a notice matches `Ủy ban`, so each word is listed once."""
    if rule.is_phrase:
        phrases = _vocabulary(rule.pattern) if rule.pattern.startswith("@") else [rule.pattern]
        return [{"label": rule.label, "pattern": p, "id": rule.id}
                for p in dict.fromkeys(tone_new_style(p) for p in phrases)]
    pattern = json.loads(tone_new_style(json.dumps(_resolve(rule.pattern), ensure_ascii=False)))
    return [{"label": rule.label, "pattern": pattern, "id": rule.id}]


def _tokenizer(vocab):
    from spacy.tokenizer import Tokenizer
    return Tokenizer(vocab, prefix_search=_PREFIX.search, suffix_search=_SUFFIX.search,
                     infix_finditer=_INFIX.finditer)


@lru_cache(maxsize=None)
def pipeline():
    """The blank Vietnamese pipeline with its three rulers; built on first use, once a process."""
    spacy = import_spacy()

    from pipeline.analyse.ruler import FACTORY

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.tokenizer = _tokenizer(nlp.vocab)
    stages = {"vocabulary": [], "cues": [], "organisations": []}
    for rule in entity_rules():
        stage = _STAGES[rule.label]
        stages[stage].extend(_ruler_patterns(rule))
    for name, patterns in stages.items():
        ruler = nlp.add_pipe(FACTORY, name=name, config={
            "phrase_matcher_attr": "ORTH", "validate": True, "overwrite_ents": name == "organisations"})
        ruler.add_patterns(patterns)
    return nlp


def entities(text: str):
    """`text` tokenized once and run through the rulers: a spaCy Doc whose `ents` include ORG
    spans (`ent.ent_id_` is the rule id) beside the HEAD/STOP/TITLE/PLACE/PERSON marks. The
    text is read with one tone placement (`Uỷ` as `Ủy`), which keeps every offset."""
    return pipeline()(tone_new_style(text))


class Name(NamedTuple):
    """An ORG span of a text: character offsets, its text and its first token."""
    start: int
    end: int
    text: str
    first: str


def organisations(text: str) -> list[Name]:
    """The ORG spans of `text`, in text order. Read from the token arrays, not `doc.ents`,
    which would make a `Span` of every HEAD, STOP, TITLE, PLACE and PERSON mark as well."""
    doc = entities(text)                    # first: it imports spaCy (import_spacy)
    from spacy.attrs import ENT_IOB, ENT_TYPE

    marks = doc.to_array([ENT_IOB, ENT_TYPE])
    inside = marks[:, 1] == doc.vocab.strings[ORG]
    if not inside.any():
        return []
    out = []
    for b in inside.nonzero()[0].tolist():
        if marks[b, 0] != _BEGIN:
            continue
        e = b + 1
        while e < len(doc) and inside[e] and marks[e, 0] != _BEGIN:
            e += 1
        first, last = doc[b], doc[e - 1]
        start, end = first.idx, last.idx + len(last.text)
        out.append(Name(start, end, text[start:end], first.text))
    return out


_RUN = re.compile(r"\S+")


def may_open_org(text: str) -> bool:
    """False when no ORG can start at the first token of `text`: a cheap test before the
    pipeline, for callers that only want a name at the start (a task's unit). Exact, not a
    guess: the first token is tokenized as the pipeline would (a run of non-space characters is
    tokenized on its own) and compared with the words an ORG pattern can open with."""
    run = _RUN.search(text)
    if run is None:
        return False
    words = _org_openers()
    if words is None:
        return True
    first = pipeline().tokenizer(run.group(0))
    return len(first) > 0 and first[0].text in words


@lru_cache(maxsize=None)
def _org_openers() -> Optional[frozenset]:
    """Every ORTH an ORG match can start with, from the rules: the `IN` list of a first spec
    on ORTH, and the first token of every HEAD phrase for a first spec on `ENT_TYPE: HEAD`.
    None (any token) when a first spec tests something else or a HEAD mark is not a phrase."""
    nlp = pipeline()
    rules_ = entity_rules()
    heads: set[str] = set()
    for rule in rules_:
        if rule.label == "HEAD":
            if not rule.is_phrase:
                return None
            for phrase in _ruler_patterns(rule):
                tokens = nlp.make_doc(phrase["pattern"])
                if len(tokens):
                    heads.add(tokens[0].text)
    words: set[str] = set()
    for rule in rules_:
        if rule.label != ORG:
            continue
        first = _resolve(rule.pattern)[0]
        if first.get("OP") not in (None, "1", "+"):
            return None
        tests = {k.upper(): v for k, v in first.items() if k.upper() != "OP"}
        if tests.get("ENT_TYPE") == "HEAD":
            words |= heads
        elif isinstance(tests.get("ORTH"), dict) and set(tests["ORTH"]) == {"IN"}:
            words |= set(tests["ORTH"]["IN"])
        elif isinstance(tests.get("ORTH"), str):
            words.add(tests["ORTH"])
        else:
            return None
    return frozenset(words)


def rule_label(span) -> Optional[str]:
    return span.ent_id_ or None
