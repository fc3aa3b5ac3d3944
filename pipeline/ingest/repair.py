"""Mend what OCR misreads in Vietnamese print, once, in ingest: a page's words line by line.

The marks on syllables are mended by the syllable-chain model (chains.py); around it, what
OCR does to a line that no syllable model sees: specks and a rule's tail read into words,
letters of other alphabets, signs read for letters, labels and symbols misread (symbols.py),
set phrases and common abbreviations one letter off, a family name's marks, two syllables run
together, and the date line's day word cut by the blank a pen filled.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline.ingest.chains import PARTS, cased, mend_words
from pipeline.ingest.numbering import roman
from pipeline.ingest.symbols import join_split, mend_symbols
from pipeline.ingest.syllables import lexicon, nfc_lower
from pipeline.vietnamese import strip_marks

__all__ = ["mend_page", "mend_words", "mend_romans", "label_glyph", "set_phrases"]


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
                out[n + k] = m.group("pre") + cased(word.lower(), m.group("core")) + m.group("post")
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
        m = PARTS.match(t)
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
