"""Numbers and symbols of documents (`6658/UBND-KTTH`, `31/2024/QH15`, `08-QĐ/TW`) as OCR
leaves them in a line, mended once, here in ingest, so that analysis reads what was printed.

Two kinds of slip, each with its own evidence:
- **A symbol cut in two words.** Tesseract ends a word at a hyphen or a slash and opens the next
  word right after it (`6658/UBND-` | `KTTH` 2 px apart in a line whose spaces are 27 px wide,
  `3` | `1⁄2024/QH15`). The gap tells it from a typist's space (`17/NQ- CP`: 29 px, a full
  space, kept as typed): two words closer than a fraction of an em are one.
- **A glyph taken for its look-alike** inside a symbol, where the symbol's grammar (Nghị định
  30/2020 Phụ lục I mục I.3: number / year / type code - issuer, capitals and digits) says which
  it was: the fraction slash `⁄` for `/`, a type code's capitals read as digits (`1Tr` → `TTr`),
  a part's capital initial read as a digit (`5TC` → `STC`), the `1` of `QH15` read as `I`, a
  crossed D read twice (`QĐĐ`).

    join_split(line) -> line        (tesseract words of one line, left to right)
    mend_symbols(texts, carried) -> texts
    mend_symbol(symbol) -> symbol   (the part after the number's `/`)
"""
from __future__ import annotations

import re
import statistics
from dataclasses import replace
from functools import lru_cache

# Two words of a symbol stand closer than this many ems, and closer than this share of the
# line's usual space: tesseract's own cut, not a space. A word space of print is a quarter em
# and more; on the real scans the cuts measured 2-8 px at an em of 48-54 px (0.04-0.16 em),
# the spaces of their lines 15-36 px, a typist's space inside a symbol 29 px.
CUT_EM = 0.2
CUT_OF_SPACE = 0.6

# a word a symbol was cut after: one that ends with its separator (`6658/UBND-`, `08-`,
# `1368/QĐ-`), or a number's first digits before the rest of it (`3` | `1⁄2024/QH15`)
_CUT_AFTER_SEP = re.compile(r"^\d{1,6}(?:[/⁄][\wĐđ&.\-/⁄]*)?[-/⁄]$")
_CUT_IN_NUMBER = re.compile(r"^(?:\d{1,5}|[Il])$")     # a lone `I` or `l` is a 1 cut off
_GOES_ON_SEP = re.compile(r"^[-/⁄]?[A-ZĐÐ0-9]")
_GOES_ON_NUMBER = re.compile(r"^\d+[/⁄]")


def join_split(line: list) -> list:
    """A line's words (tesseract.Word, left to right) with each symbol tesseract cut in two
    joined again when nothing but a sliver of paper stands between the halves."""
    if len(line) < 2:
        return line
    em = float(statistics.median([w.height for w in line]))
    space = float(statistics.median([b.left - a.right for a, b in zip(line, line[1:])]))
    cut = min(CUT_EM * em, CUT_OF_SPACE * space) if len(line) > 2 else CUT_EM * em
    out = [line[0]]
    for w in line[1:]:
        a = out[-1]
        if w.left - a.right <= cut and _halves(a.text, w.text):
            head = a.text if a.text[:1].isdigit() else "1"
            text = head + (w.text[1:] if a.text.endswith("-") and w.text.startswith("-") else w.text)
            top, bottom = min(a.top, w.top), max(a.bottom, w.bottom)
            out[-1] = replace(a, text=text, width=w.right - a.left, top=top, height=bottom - top,
                              conf=min(a.conf, w.conf))
        else:
            out.append(w)
    return out


def _halves(a: str, b: str) -> bool:
    return bool((_CUT_AFTER_SEP.match(a) and _GOES_ON_SEP.match(b))
                or (_CUT_IN_NUMBER.match(a) and _GOES_ON_NUMBER.match(b)))


@lru_cache(maxsize=1)
def _type_codes() -> frozenset:
    from pipeline import rules
    return frozenset(r["code"] for r in rules.table("doc_types.tsv"))


# letters OCR takes for one another in the capitals and digits of a symbol
_LOOKALIKE = str.maketrans({"I": "T", "l": "T", "1": "T", "0": "Q", "O": "Q", "D": "Đ"})


def mend_symbol(symbol: str, undouble: bool = True) -> str:
    """A document's symbol (`QĐĐ-UBND`, `TIr-UBND`, `CI-UBND`, `1Tr-SNV`) with its type code
    mended when OCR took a letter for its look-alike, or doubled one (`undouble`: in the
    header's `Số:` line, where a typewriter's letter is read twice), and a code of Phụ lục III
    results. In the body a doubled letter may be meant (`1488/TTT-VP`: an issuer's centre, not
    `TT`), so there only look-alikes are mended."""
    head, sep, rest = symbol.replace("\u00d0", "\u0110").partition("-")
    codes = _type_codes()
    if not sep or head in codes or not head:
        return head + sep + rest
    undoubled = re.sub(r"(.)\1", r"\1", head) if undouble else head
    for fix in (undoubled, head.translate(_LOOKALIKE), head[:1] + head[1:].translate(_LOOKALIKE)):
        if fix in codes:
            return fix + sep + rest
    # a code of mixed case (`TTr`) read with its capitals' look-alikes: compare in capitals
    upper = {c.upper(): c for c in codes}
    for fix in (head.translate(_LOOKALIKE).upper(), undoubled.upper()):
        if fix in upper and len(fix) > 1:
            return upper[fix] + sep + rest
    return symbol


# a number with its symbol in one word: `573/1Tr-SNV`, `27⁄2023/QHI5`, `08-QĐ/TW`
_NUMBERED = re.compile(r"^(?P<pre>\W*)(?P<num>\d{1,6}(?:[/⁄](?:19|20)\d{2})?)(?P<sep>[/⁄\-])"
                       r"(?P<sym>[A-ZĐÐ0-9][\wĐđÐ&.\-/()]*?)(?P<post>[.,;:)]*)$")
# a part of a symbol whose capital initial OCR read as the digit it resembles: `5TC-HCSN`,
# `0HI5`, `0H15`, and after a hyphen `CAT-1M`; a house number's `12/1A` (one capital after the
# slash) is left alone
_INITIAL = {"0": "Q", "1": "T", "5": "S", "8": "B"}
_DIGIT_INITIAL = re.compile(r"(?:^|(?<=/))([0158])(?=[A-ZĐ][A-ZĐ0-9])|(?<=-)([0158])(?=[A-ZĐ])")
# the 1 of a session (`QH15`, `VX1`) read as I or l after the capitals
_I_FOR_ONE = re.compile(r"(?<=[A-ZĐ])[Il](?=\d+(?:$|[\-/(]))")
_DOUBLED_D = re.compile(r"[ĐÐ]{2,}")


def mend_symbols(texts: list[str], carried: str = "") -> list[str]:
    """Each word that is a number with its symbol, its symbol's look-alike glyphs mended; and
    the line's first word when `carried`, the last word of the line above, is a symbol wrapped
    at its hyphen (`484/TTr-CAT-` | `1M(CSKT)`: the rest of that symbol)."""
    out = [_mend_numbered(t) for t in texts]
    if out and _CUT_AFTER_SEP.match(carried) and carried.endswith("-"):
        out[0] = _mend_numbered(carried + out[0])[len(carried):]
    return out


# a number and its year whose slashes OCR doubled, read as `⁄`, or lost before the type code:
# `01/⁄2024NĐ-CP`, `31⁄2024/QH15` (the layout is number/year/code, NĐ 30/2020 PL I mục I.3)
_YEAR_SLASHES = re.compile(r"^(?P<num>\W*\d{1,6})[/⁄]+(?P<year>(?:19|20)\d{2})[/⁄]*(?=[A-ZĐÐ])")


def _mend_numbered(text: str) -> str:
    text = _YEAR_SLASHES.sub(r"\g<num>/\g<year>/", text)
    m = _NUMBERED.match(text)
    if not m:
        return text
    sym = _DOUBLED_D.sub("Đ", m.group("sym"))
    sym = _I_FOR_ONE.sub("1", _DIGIT_INITIAL.sub(lambda d: _INITIAL[d.group(1) or d.group(2)], sym))
    sym = mend_symbol(sym, undouble=False)
    num = m.group("num").replace("⁄", "/")
    return m.group("pre") + num + m.group("sep").replace("⁄", "/") + sym + m.group("post")
