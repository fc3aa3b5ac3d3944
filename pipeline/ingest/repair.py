"""Mend what OCR misreads in Vietnamese print: marks on syllables, done once, in ingest.

Each line's words are read as a chain of syllables; every syllable may be any spelling of its
letters (syllables.py), and the chain kept is the likeliest by three things: how surely
tesseract read each word (a word read at 96 is kept unless it is no syllable at all), how often
each spelling is written, and whether neighbours make a word or a common pair (`thế hệ`,
`sinh sống`, `để thực hiện`). A proper name (a capitalised word inside a line) is only mended
when OCR made it no syllable at all.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

from pipeline.ingest.syllables import Lexicon, lexicon, nfc_lower
from pipeline.vietnamese import strip_marks

# How much the OCR's own reading weighs: KEEP at full confidence, less below. Tesseract reads
# its slips as surely as the rest (`sông` for `sống` at 96.9, `khiêu` at 96.6 on a real scan),
# so its confidence only lowers the weight of what it doubted itself.
KEEP, KEEP_FULL_AT, KEEP_NONE_AT = 2.5, 95.0, 40.0
NO_SYLLABLE = 8.0                  # the cost of keeping a reading that is no syllable
IN_WORD = 3.0                      # two syllables that make a dictionary word written in the texts
IN_RARE_WORD = 2.0                 # …a dictionary word never met in them (`cơ hồ`, `chủ ký`)
IN_TEXT = 0.6                      # …and, per log of how often, two that follow one another in text
_PARTS = re.compile(r"^(?P<pre>[^\w]*)(?P<core>[^\W\d_]+)(?P<post>[^\w]*)$")


def mend_words(texts: list[str], confs: list[float]) -> list[str]:
    """One line's words (as OCR read them, with its confidence in each) → the same words with
    their syllables mended. Words that are not a syllable (numbers, codes, `V/v`) are kept;
    they and punctuation break the chain of neighbours."""
    lex = lexicon()
    out = list(texts)
    for chain in _chains(texts):
        _mend_chain(lex, texts, confs, chain, out)
    return out


def _chains(texts: list[str]) -> list[list[int]]:
    chains: list[list[int]] = []
    current: list[int] = []
    for i, text in enumerate(texts):
        m = _PARTS.match(text)
        if not m or (m.group("pre") and current):
            if current:
                chains.append(current)
            current = []
            if not m:
                continue
        current.append(i)
        if m.group("post"):
            chains.append(current)
            current = []
    if current:
        chains.append(current)
    return chains


def _mend_chain(lex: Lexicon, texts: list[str], confs: list[float], chain: list[int], out: list[str]) -> None:
    cores = [_PARTS.match(texts[i]) for i in chain]
    observed = [nfc_lower(m.group("core")) for m in cores]
    options = []
    for k, (i, obs) in enumerate(zip(chain, observed)):
        core = cores[k].group("core")
        name = core[:1].isupper() and not core.isupper() and i > 0
        if name and lex.known(obs):
            options.append([obs])
        else:
            options.append(list(dict.fromkeys([obs, *lex.candidates(obs)])))
    best = _viterbi(lex, options, observed, [confs[i] for i in chain])
    for k, i in enumerate(chain):
        if best[k] != observed[k]:
            m = cores[k]
            out[i] = m.group("pre") + _cased(best[k], m.group("core")) + m.group("post")


def _viterbi(lex: Lexicon, options: list[list[str]], observed: list[str], confs: list[float]) -> list[str]:
    """The likeliest chain. A syllable OCR read that exists is kept unless its neighbours speak
    for another spelling: a more frequent spelling alone never replaces it (`quận` stays,
    however much more often `quan` is written); one that does not exist gives way to the
    likeliest that does."""
    def emit(k: int, c: str) -> float:
        obs = observed[k]
        if not lex.known(obs):
            return -NO_SYLLABLE if c == obs else lex.log_count(c)
        if c == obs:
            return KEEP * min(1.0, max(0.2, (confs[k] - KEEP_NONE_AT) / (KEEP_FULL_AT - KEEP_NONE_AT)))
        return min(0.0, lex.log_count(c) - lex.log_count(obs))

    def move(a: str, b: str) -> float:
        seen = lex.pairs.get((a, b), 0)
        word = (IN_WORD if seen else IN_RARE_WORD) if (a, b) in lex.words else 0.0
        return word + IN_TEXT * math.log1p(seen)

    scores = {c: (emit(0, c), [c]) for c in options[0]}
    for k in range(1, len(options)):
        step = {}
        for c in options[k]:
            prev, (s, path) = max(scores.items(), key=lambda kv: kv[1][0] + move(kv[0], c))
            step[c] = (s + move(prev, c) + emit(k, c), path + [c])
        scores = step
    return max(scores.values(), key=lambda v: v[0])[1]


def _cased(syllable: str, like: str) -> str:
    """A syllable written in the case of the word it replaces (`QUYÉT` → `QUYẾT`)."""
    if like.isupper() and len(like) > 1:
        return syllable.upper()
    if like[:1].isupper():
        return syllable[:1].upper() + syllable[1:]
    return syllable


# --- a page's words ---------------------------------------------------------------------------

_JUNK = re.compile(r"^[_~=|\\]+")        # never opens a line of a notice: specks, a fold, a rule's end


@lru_cache(maxsize=1)
def _labels() -> tuple[tuple[re.Pattern, list[str]], ...]:
    from pipeline import rules
    return tuple((r.compile(), (r.kind or "").split()) for r in rules.pattern_rules("ocr_labels.jsonl"))


def mend_page(words: list) -> list:
    """A page's OCR words (tesseract.Word), each line mended: junk before its first letter
    gone, a misread label written as printed (`oi nhận:` → `Nơi nhận:`), its syllables mended."""
    from dataclasses import replace

    from pipeline.ingest.tesseract import lines_of

    out = []
    for line in lines_of(words):
        texts = [_JUNK.sub("", w.text) if k == 0 else w.text for k, w in enumerate(line)]
        keep = [k for k, t in enumerate(texts) if t]
        line, texts = [line[k] for k in keep], [texts[k] for k in keep]
        texts = _relabel(mend_words(texts, [w.conf for w in line]))
        out += [replace(w, text=t) if t != w.text else w for w, t in zip(line, texts)]
    return out


def _relabel(texts: list[str]) -> list[str]:
    if not texts:
        return texts
    head = strip_marks(" ".join(texts[:3])).lower()
    for pattern, label in _labels():
        m = pattern.match(head)
        if m:
            used = len(head[:m.end()].split())
            tail = texts[used - 1][len(strip_marks(texts[used - 1]).lower().rstrip(":;. ")):] if used else ""
            return label[:-1] + [label[-1] + tail] + texts[used:]
    return texts
