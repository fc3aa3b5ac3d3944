"""Legacy Vietnamese font encodings (TCVN3/ABC and VNI Windows) → Unicode.

Before Unicode, Vietnamese was typed in 8-bit fonts that draw Vietnamese letters at the
places of Latin-1 characters; the file stores those Latin-1 characters, so the text reads as
`Céng hßa x· héi` (TCVN3) or `Coäng hoøa xaõ hoäi` (VNI). The mapping tables are data in
rules/legacy/; this module only matches them, by font name when the reader knows it and by
the letters otherwise. Used by the docx, text and PDF readers.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Optional

from pipeline.rules import table

TCVN3 = "tcvn3"
VNI = "vni"

# Font families by name: ABC fonts start with `.Vn` (`.VnTime`, `.VnArialH`, `.VnCentury
# SchoolbookH`), the H at the end of the family name marks the all-capitals variant; VNI fonts
# start with `VNI-` (`VNI-Times`, `VNI-Helve`).


def _seq(hexes: str) -> str:
    return "".join(chr(int(h[2:], 16)) for h in hexes.split())


@lru_cache(maxsize=None)
def _mapping(name: str) -> dict[str, str]:
    return {_seq(row["legacy"]): row["unicode"] for row in table(f"legacy/{name}.tsv")}


@lru_cache(maxsize=None)
def _pattern(name: str) -> re.Pattern:
    keys = sorted(_mapping(name), key=len, reverse=True)  # longest sequence first
    return re.compile("|".join(re.escape(k) for k in keys))


def font_encoding(font: Optional[str]) -> Optional[str]:
    """`tcvn3`, `vni` or None for a font family name."""
    if not font:
        return None
    name = font.strip().lower()
    if name.startswith(".vn"):
        return TCVN3
    if name.startswith(("vni-", "vni ")):
        return VNI
    return None


def is_caps_font(font: Optional[str]) -> bool:
    """ABC `H` fonts draw capitals at the lowercase code points (`.VnTimeH`, `.VnArialH`)."""
    return font_encoding(font) == TCVN3 and font.strip().endswith("H")


def convert_tcvn3(text: str, *, caps: bool = False) -> str:
    """TCVN3 (ABC) text → NFC Unicode; `caps` for text set in an H font."""
    mapping = _mapping(TCVN3)
    out = _pattern(TCVN3).sub(lambda m: mapping[m.group(0)], text)
    if caps:
        out = out.upper()
    return unicodedata.normalize("NFC", out)


def convert_vni(text: str) -> str:
    """VNI Windows text → NFC Unicode."""
    mapping = _mapping(VNI)
    out = _pattern(VNI).sub(lambda m: mapping[m.group(0)], text)
    return unicodedata.normalize("NFC", out)


def convert(text: str, encoding: Optional[str], *, caps: bool = False) -> str:
    if encoding == TCVN3:
        return convert_tcvn3(text, caps=caps)
    if encoding == VNI:
        return convert_vni(text)
    return text


# --- detection by letters ----------------------------------------------------------------

# Latin-1 letters that Unicode Vietnamese itself uses: their presence proves nothing.
_VI_LATIN1 = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
# A Vietnamese syllable: onset, one of the vowel clusters the language has, coda. A wrong
# decoding yields clusters like `oọ` or `aừ` that no word has, which is how TCVN3 and VNI
# text, both plausible letter by letter, are told apart.
_NUCLEI = sorted("""a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi uâ
    uê ui uô uơ uy ưa ưi ươ ưu yê iêu yêu oai oao oay oeo uây uôi uya uyê uyu ươi ươu ua""".split(),
                 key=len, reverse=True)
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"(?:" + "|".join(_NUCLEI) + r")"
    r"(?:ch|ng|nh|[cmnpt])?")
_TONE_MARKS = dict.fromkeys(map(ord, "\u0300\u0301\u0303\u0309\u0323"))
_WORD = re.compile(r"[^\W\d_]+")
_VOWELS = set("aeiouy")


def _syllable_ok(word: str) -> bool:
    decomposed = unicodedata.normalize("NFD", word)
    tones = sum(1 for c in decomposed if ord(c) in _TONE_MARKS)
    base = unicodedata.normalize("NFC", decomposed.translate(_TONE_MARKS))
    return tones <= 1 and _SYLLABLE.fullmatch(base) is not None


def _plausible(text: str) -> float:
    """Share of the words with a vowel that are well-formed Vietnamese syllables."""
    words = [w for w in _WORD.findall(text.lower())
             if _VOWELS & set(unicodedata.normalize("NFD", w))]
    if not words:
        return 0.0
    return sum(1 for w in words if _syllable_ok(w)) / len(words)


def detect_legacy(text: str, font: Optional[str] = None) -> Optional[str]:
    """Which legacy encoding `text` is in: `tcvn3`, `vni` or None (already Unicode or plain).

    A font name decides when given; otherwise the letters do: only Latin-1 letters, several
    that Unicode Vietnamese never uses, and a conversion that yields Vietnamese syllables.
    """
    by_font = font_encoding(font)
    if by_font:
        return by_font
    if text.isascii():
        return None
    foreign = 0
    for ch in text:
        o = ord(ch)
        if o > 0xFF and not 0x2000 <= o <= 0x206F:  # real Unicode past Latin-1: not legacy
            return None
        if o > 0xA0 and ch not in _VI_LATIN1:
            foreign += 1
    if foreign < 2:  # one odd letter (a name like Müller) is not enough to decide
        return None
    before = _plausible(text)
    scores = {TCVN3: _plausible(convert_tcvn3(text)), VNI: _plausible(convert_vni(text))}
    best = max(scores, key=scores.get)
    if scores[best] >= 0.7 and scores[best] > before:
        return best
    return None


def fix_legacy(text: str, font: Optional[str] = None, encoding: Optional[str] = None,
               soft_hyphens: bool = False) -> str:
    """Convert `text` if it is in a legacy encoding (`encoding` when the caller knows it, else
    by the font or the letters), else return it unchanged. `soft_hyphens`: the text went
    through a reader that may give TCVN3's `ư` as a hyphen (`restore_soft_hyphens`)."""
    enc = encoding or detect_legacy(text, font)
    if not enc:
        return text
    if soft_hyphens:
        text = restore_soft_hyphens(text, enc)
    return convert(text, enc, caps=is_caps_font(font))


# TCVN3 draws `ư` at 0xAD, the soft hyphen: a PDF whose standard font reads that code through
# WinAnsi gives `-` (`n-íc` for `nước`)
_HYPHENED = re.compile(r"\S*[^\W\d_]-[^\W\d_]\S*")


def restore_soft_hyphens(text: str, encoding: Optional[str]) -> str:
    """In TCVN3 text, a hyphen between two letters that makes a Vietnamese word of it when read
    as `ư` (`n-íc` → `nước`), and none when read as a hyphen, was an `ư`."""
    if encoding != TCVN3 or "-" not in text:
        return text

    def mend(m: re.Match) -> str:
        token = m.group(0)
        as_u = token.replace("-", "\u00ad")
        words = _WORD.findall(convert_tcvn3(as_u).lower())
        kept = _WORD.findall(convert_tcvn3(token).lower())
        if words and all(_syllable_ok(w) for w in words) and not all(_syllable_ok(w) for w in kept):
            return as_u
        return token

    return _HYPHENED.sub(mend, text)
