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
import unicodedata
from functools import lru_cache

from pipeline.ingest.numbering import roman
from pipeline.ingest.symbols import join_split, mend_symbols
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


def _mend_chain(lex: Lexicon, texts: list[str], confs: list[float], chain: list[int], out: list[str],
                opening: int = 0) -> None:
    cores = [_PARTS.match(texts[i]) for i in chain]
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
            out[i] = m.group("pre") + _cased(best[k], m.group("core")) + m.group("post")


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


_MOVES: dict[int, tuple[Lexicon, dict]] = {}


def _moves(lex: Lexicon) -> dict:
    """The worth of each pair met so far, kept per lexicon: a page asks the same pairs of
    candidates over and over, and the chain's search asked each 700 thousand times a book."""
    held = _MOVES.get(id(lex))
    if held is None or held[0] is not lex:
        held = _MOVES[id(lex)] = (lex, {})
    return held[1]


def _cased(syllable: str, like: str) -> str:
    """A syllable written in the case of the word it replaces (`QUYÉT` → `QUYẾT`)."""
    if like.isupper() and len(like) > 1:
        return syllable.upper()
    if like[:1].isupper():
        return syllable[:1].upper() + syllable[1:]
    return syllable


# --- a page's words ---------------------------------------------------------------------------

_JUNK = re.compile(r"^[_~=|\\]+|^[:;,.]+$")   # never opens a line: specks, a fold, a rule's end, a lone stop
# the rule drawn under a header line, read into the word it touches (`NGÃI_`): no
# Vietnamese word holds an underscore
_RULE_TAIL = re.compile(r"_+$")
# letters no Vietnamese word is written with, that OCR makes of a stroke over a letter
# (`Hñã` for `Hà` under a seal's edge)
_FOREIGN = re.compile(r"(?<=\w)[ñÑçÇßøØåÅäÄöÖüÜëËïÏÿ]|[ñÑçÇßøØåÅäÄöÖüÜëËïÏÿ](?=\w)")


def _foreign(text: str) -> str:
    # an en dash alone between words (`Lao động – Thương binh`, `2019 – 2023`) is read as the
    # longer em dash, which Vietnamese print does not set there
    return "–" if text == "—" else _FOREIGN.sub("", text)


# signs no Vietnamese text is written with, that OCR makes of a small letter it reads as
# one (`P.KTTHT¡en31`, `NC(V¡55)` for a drafter's `Tien31`, `Vi55` after `Lưu:`)
_LOOKALIKES = str.maketrans({"¡": "i"})


def _lookalike(text: str) -> str:
    return text.translate(_LOOKALIKES)


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[frozenset, tuple[str, ...]]:
    """(every abbreviation of rules/abbreviations.tsv, the common ones of rules/ocr)."""
    from pipeline import rules
    known = frozenset(r["abbreviation"] for r in rules.table("abbreviations.tsv"))
    return known, rules.words("ocr/common_abbreviations.txt")


_CAPS_WORD = re.compile(r"^(?P<pre>\W*)(?P<core>[A-ZĐ]{4,})(?P<post>\W*)$")


def _common_abbreviation(text: str) -> str:
    """A word in capitals one letter away from one common abbreviation and itself none
    (`UBRD` → `UBND`, `PCVE,` → `PCVP,`): see rules/ocr/common_abbreviations.txt."""
    m = _CAPS_WORD.match(text)
    if not m:
        return text
    known, common = _abbreviations()
    core = m.group("core")
    if core in known or core in common:
        return text
    near = [a for a in common if len(a) == len(core) and sum(x != y for x, y in zip(a, core)) == 1]
    return m.group("pre") + near[0] + m.group("post") if len(near) == 1 else text


_CORE = re.compile(r"^(?P<pre>[^\w&]*)(?P<core>.*?)(?P<post>[^\w&]*)$")


@lru_cache(maxsize=1)
def _set_phrase_table() -> dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]:
    """rules/ocr/set_phrases.txt by the letters of their first word: (letters, phrase)."""
    from pipeline import rules
    table: dict[str, list] = {}
    for phrase in rules.words("ocr/set_phrases.txt"):
        words = tuple(phrase.split())
        key = tuple(strip_marks(w).lower() for w in words)
        table.setdefault(key[0], []).append((key, words))
    return table


def set_phrases(texts: list[str]) -> list[str]:
    """A line's words with each run that is one of the set phrases but for its marks
    (`Công TTĐT` → `Cổng TTĐT`, `Như Điêu 3` → `Như Điều 3`) written with the phrase's marks,
    in the case it was read in; punctuation around the words kept."""
    parts = [_CORE.match(t) for t in texts]
    keys = [strip_marks(m.group("core")).lower() for m in parts]
    out = list(texts)
    for n, key in enumerate(keys):
        for letters, words in _set_phrase_table().get(key, ()):
            if tuple(keys[n:n + len(letters)]) != letters:
                continue
            for k, word in enumerate(words):
                m = parts[n + k]
                out[n + k] = m.group("pre") + _cased(word.lower(), m.group("core")) + m.group("post")
    return out


@lru_cache(maxsize=1)
def _labels() -> tuple[tuple[re.Pattern, list[str]], ...]:
    from pipeline import rules
    return tuple((r.compile(), (r.kind or "").split()) for r in rules.pattern_rules("ocr_labels.jsonl"))


def mend_page(words: list) -> list:
    """A page's OCR words (tesseract.Word), each line (each column's part of a tesseract line)
    mended: junk before its first letter
    and specks after its last gone, a misread label written as printed (`oi nhận:` → `Nơi
    nhận:`), a name's family name restored, its syllables mended."""
    from dataclasses import replace

    from pipeline.ingest.tesseract import lines_of, segments

    out = []
    lines = [seg for ln in lines_of(words) for seg in segments(ln)]
    for n, line in enumerate(lines):
        texts = [_foreign(_RULE_TAIL.sub("", label_glyph(_JUNK.sub("", w.text)) if k == 0 else w.text))
                 for k, w in enumerate(line)]
        keep = [k for k, t in enumerate(texts) if t and not _speck(line, k, t)]
        line = join_split([replace(line[k], text=texts[k]) if texts[k] != line[k].text else line[k] for k in keep])
        texts = [w.text for w in line]
        before, after = _continued(lines, n, -1)[-CONTEXT:], _continued(lines, n, 1)[:CONTEXT]
        both = before + [replace(w, text=t) for w, t in zip(line, texts)] + after
        texts = mend_words([w.text for w in both], [w.conf for w in both], len(before))[len(before):len(before) + len(texts)]
        texts = mend_symbols(_caps_phrase(_relabel(_family_name(_comma_label(_unglued(texts), opens=not before)))),
                             carried=before[-1].text if before else "")
        texts = set_phrases([_common_abbreviation(_lookalike(t)) for t in texts])
        out += [replace(w, text=t) if t != w.text else w for w, t in zip(line, texts)]
    # the date line read whole: the blank a pen filled cuts it in two (`ngà` | `tháng 5`)
    dated = []
    for line in lines_of(out):
        texts = _day_word([w.text for w in line])
        dated += [replace(w, text=t) if t != w.text else w for w, t in zip(line, texts)]
    return dated


CONTEXT = 2                        # words of the line before and after that a line is read with


def _continued(lines: list, n: int, step: int) -> list:
    """The line the sentence of line n continues on (step 1) or came from (step -1): the
    next or previous line of the same tesseract paragraph, under or over it. A word cut by
    the line's end (`đê tô` | `chức thực hiện`) is mended from its neighbour there."""
    k = n + step
    if not 0 <= k < len(lines) or not lines[n] or not lines[k]:
        return []
    a, b = lines[n][0].line, lines[k][0].line
    try:
        same = len(a) == len(b) == 3 and a[:2] == b[:2] and int(b[2]) - int(a[2]) == step
    except (TypeError, ValueError):     # a line a reread made: none of tesseract's paragraphs
        same = False
    overlap = min(lines[n][-1].right, lines[k][-1].right) > max(lines[n][0].left, lines[k][0].left)
    return lines[k] if same and overlap else []


# a list label OCR takes for a sign that looks like it, when it opens a line as `©)` does: the
# loop of a `g` read as a slashed `ø` (`ø)` after `e)`), the two bowls of an `8` as `§` (`§.`
# after `7.`), both on the real scans
_GLYPHS = {"©": "c", "ª": "a", "º": "o", "ø": "g", "§": "8"}


def label_glyph(text: str) -> str:
    return _GLYPHS[text[0]] + text[1:] if len(text) == 2 and text[0] in _GLYPHS and text[1] in ").," else text


_COMMA_LABEL = re.compile(r"^\d{1,2},$")


def _comma_label(texts: list[str], opens: bool) -> list[str]:
    """`5, Đối với các dự án…` opening a paragraph is the label `5.` with its stop misread: a
    sentence never opens on a bare number and a comma (a line that wraps one, `Điều 4,` | `5,
    6`, continues its paragraph, and no capital follows)."""
    if opens and len(texts) > 1 and _COMMA_LABEL.match(texts[0]) and texts[1][:1].isupper():
        return [texts[0][:-1] + "."] + texts[1:]
    return texts


SPECK_CONF = 70.0                  # a lone letter ending a line this doubtfully is a speck of a seal


def _speck(line: list, k: int, text: str) -> bool:
    """One letter after a line's words, read doubtfully or after a name (no Vietnamese name
    ends in a lone letter): a stroke of the seal or the signature beside the signer's name
    (`Trần Ngọc Căng À`)."""
    if k != len(line) - 1 or k < 2 or len(text) != 1 or not text.isalpha():
        return False
    after_name = k >= 3 and all(_NAME_TAIL.match(w.text) and not w.text.isupper() for w in line[:k])
    return line[k].conf < SPECK_CONF or after_name


@lru_cache(maxsize=1)
def _surnames() -> dict[str, str]:
    from pipeline import rules
    return {strip_marks(s).lower(): s for s in rules.words("surnames.txt")}


_NAME_TAIL = re.compile(r"^[A-ZĐ][^\W\d_]*$")


def _family_name(texts: list[str]) -> list[str]:
    """A line that is a person's name (two to four more capitalised syllables after the first)
    whose family name OCR damaged: its marks (`Nguyên` → `Nguyễn`, `Trân` → `Trần`) or its
    first letter, lost under a seal (`hạm Trường Thọ` → `Phạm`, `rần` → `Trần`)."""
    if not 3 <= len(texts) <= 5 or not all(_NAME_TAIL.match(t) for t in texts[1:]) or texts[1:] != [t for t in texts[1:] if not t.isupper()]:
        return texts
    first = texts[0]
    if not re.match(r"^[^\W\d_]+$", first) or first in _surnames().values():
        return texts
    key = strip_marks(first).lower()
    if first[:1].isupper() and key in _surnames():
        return [_surnames()[key]] + texts[1:]
    lost = [name for k, name in _surnames().items() if len(k) == len(key) + 1 and k.endswith(key)]
    if first[:1].islower() and len(lost) == 1:
        return lost + texts[1:]
    return texts


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


GLUED_MIN_PAIR = 5                 # two syllables OCR ran together are a pair written this often
_VOWEL = re.compile(r"[aeiouy]")


def _unglued(texts: list[str]) -> list[str]:
    """Two syllables whose space OCR lost in tight bold type (`Vềviệc`): a word that is no
    syllable, whose letters split into two syllables that are a common pair in the texts (each
    with a vowel), is written as the two."""
    lex = lexicon()
    out = []
    for t in texts:
        m = _PARTS.match(t)
        key = nfc_lower(m.group("core")) if m else ""
        if len(key) < 4 or lex.known(key):
            out.append(t)
            continue
        cuts = [i for i in range(1, len(key)) if _VOWEL.search(strip_marks(key[:i])) and _VOWEL.search(strip_marks(key[i:]))
                and key[:i] in lex.counts and key[i:] in lex.counts and lex.pairs.get((key[:i], key[i:]), 0) >= GLUED_MIN_PAIR]
        if len(cuts) != 1:
            out.append(t)
            continue
        core = m.group("core")
        out.append(f"{m.group('pre')}{core[:cuts[0]]} {core[cuts[0]:]}{m.group('post')}")
    return out


# `ngày` as OCR leaves it when a pen's day crowds it (`ngà`, `ngay`, `ngy`): in a date it
# stands before the day and `tháng` (NĐ 30/2020 Điều 8 khoản 4: ngày … tháng … năm …)
_DAY_WORD = re.compile(r"^nga?y?$")
_FIGURES = re.compile(r"^\d{1,2}$")


def _day_word(texts: list[str]) -> list[str]:
    out = list(texts)
    for k, t in enumerate(texts[:-1]):
        nxt = texts[k + 1] if not _FIGURES.match(texts[k + 1]) else (texts[k + 2] if k + 2 < len(texts) else "")
        if t != "ngày" and _DAY_WORD.match(strip_marks(t).lower()) and nxt.lower() == "tháng":
            out[k] = "Ngày" if t[:1].isupper() else "ngày"
    return out


@lru_cache(maxsize=1)
def _phrases() -> dict[str, str]:
    """Fixed phrases printed in capitals, by their letters without marks: the titles a notice
    is signed under (rules/titles.tsv) and the names of the kinds of document (Phụ lục III)."""
    from pipeline import rules
    phrases = [r["title"] for r in rules.table("titles.tsv")] + [r["name"] for r in rules.table("doc_types.tsv")]
    return {strip_marks(p).lower(): p.upper() for p in phrases if len(p.split()) >= 2}


def _caps_phrase(texts: list[str]) -> list[str]:
    """A line in capitals that is one of the fixed phrases but for an OCR slip: a letter lost
    at its end under a seal (`PHÓ CHỦ TỊC`) or one letter read wrong (`PHO CHU TỊCH`)."""
    line = " ".join(texts)
    letters = [c for c in line if c.isalpha()]
    if len(texts) < 2 or not letters or not all(c.isupper() for c in letters):
        return texts
    key = strip_marks(line).lower()
    if key in _phrases():
        return _phrases()[key].split()
    near = [p for k, p in _phrases().items() if _near(key, k)]
    return near[0].split() if len(near) == 1 else texts


def _near(key: str, phrase: str) -> bool:
    """One letter changed, or the last one or two lost."""
    if phrase.startswith(key) and 0 < len(phrase) - len(key) <= 2 and len(key) >= 6:
        return True
    return len(key) == len(phrase) and len(key) >= 6 and sum(a != b for a, b in zip(key, phrase)) == 1


# what OCR makes of the strokes of a roman numeral set in a serif face at a scan's resolution:
# serifs that touch join `II` into `H`, an `I` reads as `l`, `1`, `|` (a task table's group
# rows `I | Công tác chỉ đạo`, `II | …`, `III | …` read `I`, `H`, `IH` on the regression scan)
_STROKES = re.compile(r"^[IlH1|!ií]+[.)]?$")
_ROMAN = re.compile(r"^[IVXLC]+[.)]?$")
_NUMERALS = [roman(n).upper() for n in range(1, 16)]


def mend_romans(labels: list[str]) -> list[str]:
    """Labels of a table's group rows, in order, as OCR read them → the roman numerals they
    are when they count up from I: a label made only of strokes becomes the next numeral;
    a true numeral read as one (`IV`) sets the count. Labels of another kind (`A`, `B`)
    leave the list as read."""
    if not labels or not all(_STROKES.match(t) or _ROMAN.match(t) for t in labels):
        return labels
    out, count = [], 0
    for t in labels:
        core = t.rstrip(".)")
        if _STROKES.match(t) and count < len(_NUMERALS):      # strokes: the next numeral
            out.append(_NUMERALS[count] + t[len(core):])
            count += 1
        else:                                                 # IV, XII: as read, counted on from
            out.append(t)
            count = _NUMERALS.index(core) + 1 if core in _NUMERALS else count + 1
    return out
