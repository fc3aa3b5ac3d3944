"""Load rules/ once: Vietnamese administrative knowledge kept as data, validated strictly.

Three shapes of file, each opening with a `#` comment line that says what it holds and where
it comes from:
- `*.jsonl`: one pattern rule a line (`PatternRule`), with examples that must match and
  counter-examples that must not; `tests/analyse/test_rules.py` runs them all.
- `*.tsv`: a table with a header row (vocabularies: type codes, titles, abbreviations).
- `*.yaml`: small structured settings (word lists, legacy font maps).
A typo fails loudly with the file, line and rule id (`RuleFileError`).
"""
from __future__ import annotations

import csv
import io
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from pipeline.errors import RuleFileError

RULES_DIR = Path(__file__).resolve().parents[1] / "rules"

_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


class PatternRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    pattern: str
    flags: str = ""
    meaning: str = ""
    examples: list[str] = []
    counter_examples: list[str] = []
    source: str = ""
    # optional typed payload a rule may carry (e.g. the label kind a label rule names)
    kind: Optional[str] = None

    def compile(self) -> re.Pattern:
        flags = 0
        for f in self.flags:
            flags |= _FLAGS[f]
        return re.compile(self.pattern, flags)


def _lines(name: str) -> list[tuple[int, str]]:
    path = RULES_DIR / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise RuleFileError(str(path), f"cannot read rule file: {e}") from e
    return [(n, line) for n, line in enumerate(text.splitlines(), 1)
            if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=None)
def pattern_rules(name: str) -> tuple[PatternRule, ...]:
    """All rules of one JSONL file, validated; compiled patterns via `patterns(name)`."""
    rules, seen = [], set()
    for n, line in _lines(name):
        try:
            rule = PatternRule.model_validate(json.loads(line))
            rule.compile()
        except (json.JSONDecodeError, ValidationError, re.error, KeyError) as e:
            rid = _rule_id(line)
            raise RuleFileError(f"{RULES_DIR / name}:{n}", f"rule {rid!r} is invalid: {e}") from e
        if rule.id in seen:
            raise RuleFileError(f"{RULES_DIR / name}:{n}", f"rule id {rule.id!r} appears twice")
        seen.add(rule.id)
        rules.append(rule)
    return tuple(rules)


@lru_cache(maxsize=None)
def patterns(name: str) -> dict[str, re.Pattern]:
    """Compiled patterns of one JSONL file, by rule id, in file order."""
    return {r.id: r.compile() for r in pattern_rules(name)}


def finditer(pattern: re.Pattern, text: str):
    """`pattern.finditer(text)`, the same matches, found faster when every match opens with the
    same literal (`năm`, `Quý`, after a look-behind such as `(?<!\\w)`): the literal is searched
    for, which the regex engine does in C without trying the whole pattern at every character,
    and the pattern is tried only where it stands. Leftmost first, each search resuming where
    the last match ended, as `finditer` does."""
    opener = _opener(pattern)
    if opener is None:
        yield from pattern.finditer(text)
        return
    pos = 0
    while (candidate := opener.search(text, pos)) is not None:
        start = candidate.start()
        m = pattern.match(text, start)
        if m is None:
            pos = start + 1         # the literal may stand again inside this one
        else:
            yield m
            pos = max(m.end(), start + 1)


@lru_cache(maxsize=None)
def _opener(pattern: re.Pattern) -> Optional[re.Pattern]:
    """The literal every match of `pattern` opens with, as a pattern with the same case rule;
    None when there is none (the pattern opens with a class, a group or an alternation) or
    when this Python's parser cannot tell. Look-behind and look-ahead tests before it take no
    characters, so they are passed over."""
    try:
        from re import _constants as c, _parser
        items = list(_parser.parse(pattern.pattern, pattern.flags))
    except Exception:
        return None
    i = 0
    while i < len(items) and items[i][0] in (c.ASSERT, c.ASSERT_NOT):
        i += 1
    literal = []
    while i < len(items) and items[i][0] is c.LITERAL:
        literal.append(chr(items[i][1]))
        i += 1
    if not literal:
        return None
    return re.compile(re.escape("".join(literal)), pattern.flags & (re.IGNORECASE | re.ASCII))


def pattern(name: str, rule_id: str) -> re.Pattern:
    try:
        return patterns(name)[rule_id]
    except KeyError:
        raise RuleFileError(str(RULES_DIR / name), f"no rule with id {rule_id!r}") from None


@lru_cache(maxsize=None)
def table(name: str) -> tuple[dict[str, str], ...]:
    """Rows of one TSV file as dicts keyed by its header row."""
    lines = [line for _, line in _lines(name)]
    reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t", quoting=csv.QUOTE_NONE)
    rows = []
    for n, row in enumerate(reader, 2):
        if None in row or any(v is None for v in row.values()):
            raise RuleFileError(str(RULES_DIR / name), f"row {n} does not have the header's columns: {row}")
        rows.append({k: v.strip() for k, v in row.items()})
    return tuple(rows)


@lru_cache(maxsize=None)
def data(name: str):
    """A YAML file's content."""
    path = RULES_DIR / name
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise RuleFileError(str(path), f"cannot load: {e}") from e


@lru_cache(maxsize=None)
def words(name: str) -> tuple[str, ...]:
    """A plain list file: one entry a line, `#` comments skipped."""
    return tuple(line.strip() for _, line in _lines(name))


def _rule_id(line: str) -> str:
    m = re.search(r'"id"\s*:\s*"([^"]*)"', line)
    return m.group(1) if m else "?"
