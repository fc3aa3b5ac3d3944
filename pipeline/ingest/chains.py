"""The likeliest chain of syllables for a line OCR read (the model `repair.mend_page` runs).

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
import unicodedata

from pipeline.ingest.syllables import Lexicon, lexicon, nfc_lower

# How much the OCR's own reading weighs: KEEP at full confidence, less below. Tesseract reads
# its slips as surely as the rest (`sông` for `sống` at 96.9, `khiêu` at 96.6 on a real scan),
# so its confidence only lowers the weight of what it doubted itself.
KEEP, KEEP_FULL_AT, KEEP_NONE_AT = 2.5, 95.0, 40.0
NO_SYLLABLE = 8.0                  # the cost of keeping a reading that is no syllable
IN_WORD = 3.0                      # two syllables that make a dictionary word written in the texts
IN_RARE_WORD = 2.0                 # …a dictionary word never met in them (`cơ hồ`, `chủ ký`)
IN_TEXT = 0.6                      # …and, per log of how often, two that follow one another in text
PARTS = re.compile(r"^(?P<pre>[^\w]*)(?P<core>[^\W\d_]+)(?P<post>[^\w]*)$")


def mend_words(texts: list[str], confs: list[float], opening: int = 0) -> list[str]:
    """One line's words (as OCR read them, with its confidence in each) → the same words with
    their syllables mended. Words that are not a syllable (numbers, codes, `V/v`) are kept;
    they and punctuation break the chain of neighbours. `opening` is where the line itself
    opens (words before it are the line above, read for context): a capital there may open a
    sentence, not a name."""
    lex = lexicon()
    # two syllables a hyphen joins (`Phát thanh-Truyẻn hình`, `chính trị-xã hội`) are mended
    # as two words, each with its neighbour on its side
    parts, owner = [], []
    for k, text in enumerate(texts):
        m = _HYPHENED.match(text)
        pieces = [m.group("a") + "-", m.group("b")] if m else [text]
        parts += pieces
        owner += [k] * len(pieces)
    confs = [confs[k] for k in owner]
    opening = owner.index(opening) if opening in owner else opening
    out = list(parts)
    for chain in _chains(parts):
        _mend_chain(lex, parts, confs, chain, out, opening)
    joined = [""] * len(texts)
    for k, piece in zip(owner, out):
        joined[k] += piece
    return joined


# letters on both sides, lower case among them: no abbreviation (`TT-ĐT`, `HC-QT`)
_HYPHENED = re.compile(r"^(?P<a>[^\W\d_]*[a-zà-ỹđ][^\W\d_]*)-(?P<b>[^\W\d_]*[a-zà-ỹđ][^\W\d_]*\W*)$")


def _chains(texts: list[str]) -> list[list[int]]:
    chains: list[list[int]] = []
    current: list[int] = []
    for i, text in enumerate(texts):
        m = PARTS.match(text)
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


def _mend_chain(lex: Lexicon, texts: list[str], confs: list[float], chain: list[int], out: list[str],
                opening: int = 0) -> None:
    cores = [PARTS.match(texts[i]) for i in chain]
    observed = [nfc_lower(m.group("core")) for m in cores]
    options = []
    for k, (i, obs) in enumerate(zip(chain, observed)):
        core = cores[k].group("core")
        name = core[:1].isupper() and not core.isupper() and not _opens_sentence(texts, i, opening)
        if name and lex.known(obs):
            options.append([obs])
        else:
            options.append(list(dict.fromkeys([obs, *lex.candidates(obs)])))
    best = _viterbi(lex, options, observed, [confs[i] for i in chain])
    for k, i in enumerate(chain):
        if best[k] != observed[k]:
            m = cores[k]
            out[i] = m.group("pre") + cased(best[k], m.group("core")) + m.group("post")


_LABEL_WORD = re.compile(r"^(?:[-+•*–]|\(?[0-9IVXa-zđ]{1,4}(?:\.[0-9]{1,2})*[.)]|\([0-9]{1,2}\))$")


def _opens_sentence(texts: list[str], i: int, opening: int) -> bool:
    """A capital that opens the line, or follows a bullet or label (`- Thâm định`, `a) Đây
    mạnh`) or a sentence's end with a word in lower case after it, opens a sentence: not a
    name's, so it may be mended."""
    if i == opening or i == 0:
        return True
    before, after = texts[i - 1], texts[i + 1] if i + 1 < len(texts) else ""
    if after[:1].isupper() and not after.isupper():
        return False              # a name in capitals word after word: `- Ban Văn hóa - Xã hội`
    return bool(_LABEL_WORD.match(before)) or before.endswith((".", ":", ";", "?", "!"))


# Tesseract drops the tone mark over a circumflex far more often than it invents one (`đê`
# for `để`, `dâu` for `dầu`, `lân` for `lần`, `vê` for `về` on the real scans): a hatted
# vowel read without a tone is trusted this much less, so its neighbours decide sooner,
# unless it makes a word with one of them as read.
SLIP_KEEP = 0.4
_HAT_BARE = re.compile("[âêô]")
_TONED = re.compile("[\u0300\u0301\u0303\u0309\u0323]")


def _bare_hat(syllable: str) -> bool:
    return bool(_HAT_BARE.search(syllable)) and not _TONED.search(unicodedata.normalize("NFD", syllable))


def _in_word(lex: Lexicon, observed: list[str], k: int) -> bool:
    """The syllable makes a dictionary word with a neighbour as read (`Truyền thông`, `chuyên
    đề`, `nâng bậc`): then its reading stands as surely as any other."""
    return ((k > 0 and (observed[k - 1], observed[k]) in lex.words)
            or (k + 1 < len(observed) and (observed[k], observed[k + 1]) in lex.words))


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
            keep = KEEP * min(1.0, max(0.2, (confs[k] - KEEP_NONE_AT) / (KEEP_FULL_AT - KEEP_NONE_AT)))
            return keep * (SLIP_KEEP if _bare_hat(obs) and not _in_word(lex, observed, k) else 1.0)
        return min(0.0, lex.log_count(c) - lex.log_count(obs))

    move = _moves(lex)
    scores = {c: (emit(0, c), [c]) for c in options[0]}
    for k in range(1, len(options)):
        step = {}
        for c in options[k]:
            best, came = -math.inf, None
            for prev, (s, path) in scores.items():
                m = move.get((prev, c))
                if m is None:
                    m = move[(prev, c)] = _move(lex, prev, c)
                if s + m > best:
                    best, came = s + m, path
            step[c] = (best + emit(k, c), came + [c])
        scores = step
    return max(scores.values(), key=lambda v: v[0])[1]


def _move(lex: Lexicon, a: str, b: str) -> float:
    """What following syllable a with b is worth: a dictionary word, and how often written."""
    seen = lex.pairs.get((a, b), 0)
    word = (IN_WORD if seen else IN_RARE_WORD) if (a, b) in lex.words else 0.0
    return word + IN_TEXT * math.log1p(seen)


# Pairs of candidates whose worth is kept: 99 real scan pages met 236 thousand (~35 MB); a
# batch of thousands of pages would keep meeting new ones, so the store starts afresh past this
MOVES_KEPT = 250_000
_MOVES: list = [None, {}]          # the lexicon the pairs were scored with, and their worth


def _moves(lex: Lexicon) -> dict:
    """The worth of each pair met so far under this lexicon: a page asks the same pairs of
    candidates over and over, and the chain's search asked each 700 thousand times a book."""
    if _MOVES[0] is not lex or len(_MOVES[1]) > MOVES_KEPT:
        _MOVES[:] = [lex, {}]
    return _MOVES[1]


def cased(syllable: str, like: str) -> str:
    """A syllable written in the case of the word it replaces (`QUYÉT` → `QUYẾT`)."""
    if like.isupper() and len(like) > 1:
        return syllable.upper()
    if like[:1].isupper():
        return syllable[:1].upper() + syllable[1:]
    return syllable
