"""The EntityRuler of pipeline/analyse/nlp.py, made cheap per notice without changing what it
finds: spaCy's `EntityRuler` with its `match` and `set_annotations` replaced.

    Ruler(nlp, name, overwrite_ents=…)        # registered as the factory "vanban_entity_ruler"

Why (measured on 100 generated notices, ~2,600 tokens each): spaCy's rulers cost ~3.7 ms a
notice, most of it in Python. Its `Matcher` creates a `Token` and calls each `IN`/`NOT_IN`
predicate in Python at every token of the document, although a match can only start at a
few of them (a head word, a family name) and most tokens cannot be inside any (a line break,
a full stop, a digit); its `set_annotations` creates a `Token` per matched token to ask
whether it is marked, and reads and rewrites `doc.ents` as `Span`s.

1. **Match only where a match can be.** The token specs of the patterns are read once into
   array tests (`ORTH` in a list, a mark such as `HEAD`, `IS_PUNCT`…; a test it cannot read,
   it leaves out, so it only ever errs towards "may match"). A match starts at a token some
   pattern's first spec may accept and runs over tokens some spec may accept, so the
   `Matcher` runs over the `Span`s from each possible start to the first token no spec
   accepts (or to the longest a pattern can be: `PERSON`'s four syllables). They hold every
   match of the whole `Doc`, and only those. Texts under 200 tokens run whole.
2. **Annotate with arrays.** The marks are read with `Doc.to_array` and written back with
   `Doc.from_array`, keeping spaCy's rule: longest match first, then the earliest; a ruler
   that does not overwrite skips a match over a marked token; one that does removes every
   mark it overlaps.

The result is the ruler's, token for token (marks, labels and rule ids).
"""
from __future__ import annotations

import re
import warnings
from typing import Optional

import numpy as np
from spacy.attrs import (ENT_ID, ENT_IOB, ENT_TYPE, IS_ALPHA, IS_DIGIT, IS_LOWER, IS_PUNCT,
                         IS_SPACE, IS_TITLE, IS_UPPER, ORTH)
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc, Token

FACTORY = "vanban_entity_ruler"

# Token.iob_strings(): 0 missing, 1 inside, 2 outside, 3 begin
_I, _O, _B = 1, 2, 3
# below this many tokens (a task sentence) the whole text is matched: the array tests cost
# more than they save (measured: ~40 µs a ruler against ~2 µs a token in the Matcher)
_SHORT = 200
# spans of the Matcher closer than this many tokens are run as one (a call costs ~10 µs)
_JOIN_GAP = 8
# the token attributes whose tests are read; any other attribute is left out (may match)
_COLUMNS = {"ORTH": ORTH, "TEXT": ORTH, "ENT_TYPE": ENT_TYPE, "ENT_IOB": ENT_IOB,
            "IS_SPACE": IS_SPACE, "IS_PUNCT": IS_PUNCT, "IS_DIGIT": IS_DIGIT, "IS_ALPHA": IS_ALPHA,
            "IS_LOWER": IS_LOWER, "IS_UPPER": IS_UPPER, "IS_TITLE": IS_TITLE}
_SET_TESTS = ("ORTH", "TEXT", "ENT_TYPE")           # whose IN / NOT_IN the Matcher compares as ids
# FLAG19…FLAG63 are spare lexeme flags; spaCy's IS_ALPHA… take the bits below
_FIRST_SPARE_FLAG = 19
_BOUNDED_OP = re.compile(r"^\{(\d*)(?:(,)(\d*))?\}$")


def _op_range(op: Optional[str]) -> Optional[tuple[int, Optional[int]]]:
    """How many tokens a spec with operator `op` takes: (least, most or None for no bound);
    None for an operator this does not read ("!")."""
    if op is None or op == "1":
        return 1, 1
    fixed = {"?": (0, 1), "*": (0, None), "+": (1, None)}
    if op in fixed:
        return fixed[op]
    m = _BOUNDED_OP.match(op)
    if not m:
        return None
    least, comma, most = m.groups()
    if not comma:
        return int(least), int(least)
    return int(least or 0), (int(most) if most else None)


def _tests(spec: dict, strings) -> tuple:
    """A token spec as array tests (column, "==" | "IN" | "NOT_IN", ids), with the values the
    Matcher compares (spaCy's `_get_attr_values` and `_SetPredicate`)."""
    tests = []
    for key, value in spec.items():
        attr = key.upper()
        if attr not in _COLUMNS:
            continue
        if isinstance(value, dict):
            if attr in _SET_TESTS:
                for op in ("IN", "NOT_IN"):
                    if op in value:
                        tests.append((_COLUMNS[attr], op, tuple(sorted({strings.add(v) for v in value[op]}))))
            continue
        if isinstance(value, bool):
            value = int(value)
        elif isinstance(value, str):
            value = (Token.iob_strings().index(value) if attr == "ENT_IOB" and value in Token.iob_strings()
                     else strings.add(value))
        tests.append((_COLUMNS[attr], "==", value))
    return tuple(tests)


class _Plan:
    """Where the Matcher of one ruler must run: the tests of its patterns' token specs."""

    def __init__(self, token_patterns, strings):
        self.whole = False
        first, every, self.longest = set(), set(), 0
        for patterns in token_patterns.values():
            for pattern in patterns:
                ranges = [_op_range(spec.get("OP")) for spec in pattern]
                if not pattern or None in ranges or ranges[0][0] < 1:
                    self.whole = True           # a pattern whose first token is not one spec's
                    return
                first.add(_tests(pattern[0], strings))
                every.update(_tests(spec, strings) for spec in pattern)
                most = sum(r[1] for r in ranges) if all(r[1] is not None for r in ranges) else None
                self.longest = None if most is None or self.longest is None else max(self.longest, most)
        self.first, self.every = list(first), list(every)
        self.columns = sorted({col for tests in self.every for col, _, _ in tests})
        # the ids a column's IN / NOT_IN tests name, sorted, and for each test which of them it names
        self.ids = {}
        for col in self.columns:
            named = sorted({v for tests in self.every for c, op, ids in tests if c == col and op != "==" for v in ids})
            self.ids[col] = np.array(named, dtype=np.uint64)
        self.members = {test: np.append(np.isin(self.ids[test[0]], np.array(test[2], dtype=np.uint64)), False)
                        for tests in self.every for test in tests if test[1] != "=="}

    def spans(self, doc: Doc) -> list[tuple[int, int]]:
        """Token ranges that hold every match of the patterns in `doc`, in text order."""
        n = len(doc)
        table = doc.to_array(self.columns)
        columns, where = {}, {}
        for k, col in enumerate(self.columns):
            columns[col] = values = table[:, k]
            named = self.ids[col]
            if named.size:
                # one search a column: each token's place among the named ids (len(named): none)
                at = np.searchsorted(named, values).clip(max=named.size - 1)
                where[col] = np.where(named[at] == values, at, named.size)
        known: dict = {}

        def passes(tests) -> np.ndarray:
            ok = np.ones(n, dtype=bool)
            for test in tests:
                if test not in known:
                    col, op, value = test
                    if op == "==":
                        known[test] = columns[col] == value
                    else:
                        hit = self.members[test][where[col]]
                        known[test] = hit if op == "IN" else ~hit
                ok &= known[test]
            return ok

        starts = np.flatnonzero(np.logical_or.reduce([passes(t) for t in self.first]))
        if not starts.size:
            return []
        stops = np.flatnonzero(~np.logical_or.reduce([passes(t) for t in self.every]))
        ends = np.append(stops, n)[np.searchsorted(stops, starts)]
        if self.longest is not None:
            ends = np.minimum(ends, starts + self.longest)
        spans: list[list[int]] = []
        for s, e in zip(starts.tolist(), ends.tolist()):
            if spans and s <= spans[-1][1] + _JOIN_GAP:
                spans[-1][1] = max(spans[-1][1], e)
            else:
                spans.append([s, e])
        return [(s, e) for s, e in spans]


class _Words:
    """A lexeme flag's getter: is the word one of these?"""

    def __init__(self, words):
        self.words = frozenset(words)

    def __call__(self, orth: str) -> bool:
        return orth in self.words


def _word_flag(vocab, words) -> int:
    """The lexeme flag that is set on exactly these words: the one an earlier ruler made for
    the same words, else the lowest spare bit from FLAG19 on (bits below are spaCy's own)."""
    words = frozenset(words)
    for bit, getter in vocab.lex_attr_getters.items():
        if isinstance(getter, _Words) and getter.words == words:
            return bit
    free = [b for b in range(_FIRST_SPARE_FLAG, 64) if b not in vocab.lex_attr_getters]
    if not free:
        raise ValueError(f"no spare lexeme flag left for a word list of {len(words)} words")
    return vocab.add_flag(_Words(words), flag_id=free[0])


def _natively(spec: dict, vocab) -> dict:
    """A token spec whose `ORTH` `IN` / `NOT_IN` lists are lexeme flags: the same test, run by
    the Matcher in C instead of a Python predicate call at every token it reaches."""
    out = {}
    for key, value in spec.items():
        if key.upper() in ("ORTH", "TEXT") and isinstance(value, dict) and value and set(value) <= {"IN", "NOT_IN"}:
            for op, words in value.items():
                out[f"FLAG{_word_flag(vocab, words)}"] = op == "IN"
        else:
            out[key] = value
    return out


class Ruler(EntityRuler):
    """spaCy's EntityRuler, matching only where a match can be and annotating with arrays."""

    _plan: Optional[_Plan] = None
    _native: Optional[Matcher] = None

    def add_patterns(self, patterns) -> None:
        super().add_patterns(patterns)
        self._mark_keys: dict[int, tuple[int, int]] = {}    # match id → (label, rule id) hashes
        self._plan = _Plan(self.token_patterns, self.nlp.vocab.strings)
        # the patterns were validated by the EntityRuler's own Matcher; FLAGn keys are not in
        # spaCy's pattern schema, so this one does not validate again
        self._native = Matcher(self.nlp.vocab, validate=False)
        for label, token_patterns in self.token_patterns.items():
            self._native.add(label, [[_natively(spec, self.nlp.vocab) for spec in pattern]
                                     for pattern in token_patterns])

    def match(self, doc: Doc):
        self._require_patterns()
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="\\[W036")
            matcher = self._native if self._native is not None else self.matcher
            if not len(matcher):
                matches = []
            elif self._plan is None or self._plan.whole or len(doc) < _SHORT:
                matches = list(matcher(doc))
            else:
                matches = [(key, s + start, e + start)
                           for start, end in self._plan.spans(doc)
                           for key, s, e in matcher(doc[start:end])]
            matches += list(self.phrase_matcher(doc))
        # as EntityRuler.match: distinct, non-empty, longest first, then the earliest
        final_matches = set((m_id, start, end) for m_id, start, end in matches if start != end)
        return sorted(final_matches, key=lambda m: (m[2] - m[1], -m[1]), reverse=True)

    def _mark_key(self, match_id: int) -> tuple[int, int]:
        if match_id in self._ent_ids:
            name, rule_id = self._ent_ids[match_id]
            return self.nlp.vocab.strings.add(name), self.nlp.vocab.strings.add(rule_id)
        return match_id, 0

    def set_annotations(self, doc: Doc, matches) -> None:
        """As EntityRuler.set_annotations, on the arrays of the marks."""
        marks = doc.to_array([ENT_IOB, ENT_TYPE, ENT_ID])
        iob, label, ent_id = marks[:, 0], marks[:, 1], marks[:, 2]
        marked = np.concatenate(([0], np.cumsum(label != 0))).tolist()   # marked tokens before i
        taken = bytearray(len(doc))
        keys = self._mark_keys
        added = []
        overwrite = self.overwrite
        for match_id, start, end in matches:
            if not overwrite and marked[end] != marked[start]:
                continue
            # spaCy checks only both ends: a shorter match cannot hold a longer one
            if taken[start] or taken[end - 1]:
                continue
            key = keys.get(match_id)
            if key is None:
                key = keys[match_id] = self._mark_key(match_id)
            added.append((start, end) + key)
            taken[start:end] = b"\x01" * (end - start)
        if self.overwrite and added:
            # a mark that overlaps a new one goes, all of it
            first = np.maximum.accumulate(np.where(iob == _B, np.arange(len(iob)), 0))
            hit = np.flatnonzero(np.frombuffer(taken, dtype=np.uint8).astype(bool) & (label != 0))
            for b in set(first[hit].tolist()):
                e = b + 1
                while e < len(iob) and iob[e] == _I:
                    e += 1
                iob[b:e], label[b:e] = _O, 0
        if added:
            starts, ends, names, ids = (np.array(c, dtype=np.uint64) for c in zip(*added))
            lengths = (ends - starts).astype(np.int64)
            tokens = np.repeat(starts.astype(np.int64), lengths) + (
                np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths))
            iob[tokens], label[tokens] = _I, np.repeat(names, lengths)
            iob[starts.astype(np.int64)] = _B
            # a span without a rule id keeps the tokens' ids, as Doc.set_ents does
            new_ids = np.repeat(ids, lengths)
            ent_id[tokens] = np.where(new_ids != 0, new_ids, ent_id[tokens])
        # tokens not yet annotated are outside any mark, as `doc.ents = …` leaves them
        unset = iob == 0
        iob[unset], label[unset] = _O, 0
        doc.from_array([ENT_IOB, ENT_TYPE, ENT_ID], marks)


@Language.factory(FACTORY, default_config={"phrase_matcher_attr": None, "validate": False, "overwrite_ents": False})
def make_ruler(nlp: Language, name: str, phrase_matcher_attr: Optional[str], validate: bool,
               overwrite_ents: bool) -> Ruler:
    return Ruler(nlp, name, phrase_matcher_attr=phrase_matcher_attr, validate=validate,
                 overwrite_ents=overwrite_ents)
