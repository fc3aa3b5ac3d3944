"""Word auto-numbering materialised: the label Word draws before a list paragraph.

A clerk who lets Word number `I.`, `1.`, `(1)` leaves no label in the text; the analyser needs
it. The label comes from numbering.xml: numId → abstractNum (+ per-num overrides), the level's
`lvlText` with `%1…%9` filled by the counters of those levels in the level's `numFmt`.

Counters follow Word: numIds sharing an abstractNum share counters unless the num restarts
(`startOverride`); using a level restarts the deeper ones unless their `lvlRestart` says
otherwise.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAL = f"{W}val"
_PLACEHOLDER = re.compile(r"%([1-9])")

# Bullets drawn from Symbol/Wingdings sit in the private-use area; show what the reader sees.
_PUA_BULLETS = {0xF0B7: "•", 0xF02D: "-", 0xF0A7: "▪", 0xF0A8: "□", 0xF06C: "●", 0xF06E: "■",
                0xF071: "❑", 0xF076: "❖", 0xF0D8: "➢", 0xF0E0: "→", 0xF0FC: "✓", 0xF02B: "+",
                0xF0BE: "—", 0xF0A4: "•"}


@dataclass(frozen=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: Optional[int] = None      # w:lvlRestart: restart after this (1-based) level; 0 = never
    is_lgl: bool = False
    pstyle: Optional[str] = None
    indent: Optional[float] = None     # left indent the level gives its paragraphs, points


def _int(v: Optional[str], default: Optional[int] = None) -> Optional[int]:
    try:
        return int(v) if v is not None else default
    except ValueError:
        return default


def _level(el) -> Level:
    kw = {}
    for c in el:
        tag = c.tag
        if tag == f"{W}start":
            kw["start"] = _int(c.get(_VAL), 1)
        elif tag == f"{W}numFmt":
            kw["fmt"] = c.get(_VAL, "decimal")
        elif tag == f"{W}lvlText":
            kw["text"] = c.get(_VAL, "")
        elif tag == f"{W}lvlRestart":
            kw["restart"] = _int(c.get(_VAL))
        elif tag == f"{W}isLgl":
            kw["is_lgl"] = c.get(_VAL, "1") not in ("0", "false", "off")
        elif tag == f"{W}pStyle":
            kw["pstyle"] = c.get(_VAL)
        elif tag == f"{W}pPr":
            ind = c.find(f"{W}ind")
            if ind is not None:
                v = _int(ind.get(f"{W}left") or ind.get(f"{W}start"))
                kw["indent"] = v / 20 if v is not None else None
    return Level(**kw)


# --- number formats ----------------------------------------------------------------------

_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def roman(n: int) -> str:
    """n as a roman numeral in lower case (`xiv`); n itself when it has none."""
    if n <= 0:
        return str(n)
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letter(n: int) -> str:
    # Word: a…z, then aa…zz, aaa…: the letter repeats, it does not carry like a spreadsheet column
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_number(n: int, fmt: str) -> str:
    """One counter in one `w:numFmt`."""
    if fmt == "decimalZero":
        return f"{n:02d}" if 0 <= n < 10 else str(n)
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerRoman":
        return roman(n)
    if fmt == "upperRoman":
        return roman(n).upper()
    if fmt == "ordinal":
        return _ordinal(n)
    if fmt in ("decimalEnclosedParen",):
        return f"({n})"
    if fmt == "none":
        return ""
    return str(n)  # decimal and the formats we do not spell out (cardinalText, chicago…)


def bullet_char(text: str) -> str:
    """The bullet a reader sees for a bullet level's `lvlText`."""
    out = []
    for ch in text:
        o = ord(ch)
        if 0xF000 <= o <= 0xF0FF:
            out.append(_PUA_BULLETS.get(o, "•"))
        else:
            out.append(ch)
    return "".join(out).strip() or "•"


# --- the numbering of one document ---------------------------------------------------------

class Numbering:
    """numbering.xml of one document, with the counters of one pass through its paragraphs."""

    def __init__(self, root=None, style_numbering=None):
        self._abstract: dict[int, dict[int, Level]] = {}
        self._style_link: dict[int, str] = {}     # abstractNum with numStyleLink → style id
        self._linked_style: dict[str, int] = {}   # style id → abstractNum that defines it
        self._nums: dict[int, tuple[int, dict[int, Level], dict[int, int]]] = {}
        # styleId → (numId, ilvl), or a callable giving it: only list styles need it, so the
        # caller may defer the work of resolving every style
        self._style_numbering = style_numbering
        self._counters: dict[tuple, list[Optional[int]]] = {}
        self._style_levels: dict[str, int] = {}   # paragraph style id → level it is linked to
        if root is None:
            return
        for el in root:
            if el.tag == f"{W}abstractNum":
                aid = _int(el.get(f"{W}abstractNumId"))
                if aid is None:
                    continue
                levels = {}
                for c in el:
                    if c.tag == f"{W}lvl":
                        ilvl = _int(c.get(f"{W}ilvl"), 0)
                        levels[ilvl] = lvl = _level(c)
                        if lvl.pstyle:
                            self._style_levels[lvl.pstyle] = ilvl
                    elif c.tag == f"{W}numStyleLink":
                        self._style_link[aid] = c.get(_VAL)
                    elif c.tag == f"{W}styleLink":
                        self._linked_style[c.get(_VAL)] = aid
                self._abstract[aid] = levels
            elif el.tag == f"{W}num":
                nid = _int(el.get(f"{W}numId"))
                a = el.find(f"{W}abstractNumId")
                if nid is None or a is None:
                    continue
                levels, starts = {}, {}
                for o in el.iter(f"{W}lvlOverride"):
                    ilvl = _int(o.get(f"{W}ilvl"), 0)
                    so = o.find(f"{W}startOverride")
                    if so is not None:
                        starts[ilvl] = _int(so.get(_VAL), 0)
                    lv = o.find(f"{W}lvl")
                    if lv is not None:
                        levels[ilvl] = _level(lv)
                self._nums[nid] = (_int(a.get(_VAL), -1), levels, starts)

    def style_level(self, style_id: Optional[str]) -> Optional[int]:
        """The level a paragraph style is tied to by a `w:lvl/w:pStyle`, if any."""
        return self._style_levels.get(style_id) if style_id else None

    def _abstract_of(self, num_id: int) -> Optional[int]:
        aid = self._nums[num_id][0]
        # A list style: the abstractNum only points at a numbering style, whose numId is real.
        for _ in range(3):
            link = self._style_link.get(aid)
            if link is None:
                break
            if link in self._linked_style:
                aid = self._linked_style[link]
                break
            if callable(self._style_numbering):
                self._style_numbering = self._style_numbering()
            target = (self._style_numbering or {}).get(link)
            if not target or target[0] not in self._nums:
                break
            aid = self._nums[target[0]][0]
        return aid

    def label(self, num_id: Optional[int], ilvl: Optional[int]) -> Optional[str]:
        """Advance the counters for one paragraph of list `num_id` at level `ilvl`; its label.

        None when the paragraph is not numbered (numId 0 or unknown) or the label is empty.
        """
        if not num_id or num_id not in self._nums:
            return None
        ilvl = min(max(ilvl or 0, 0), 8)
        aid = self._abstract_of(num_id)
        _, overrides, starts = self._nums[num_id]
        base = self._abstract.get(aid, {})
        levels = {**base, **overrides}
        lvl = levels.get(ilvl)
        if lvl is None:
            return None
        key = ("num", num_id) if starts else ("abstract", aid)
        counters = self._counters.get(key)
        if counters is None:
            counters = self._counters[key] = [None] * 9

        def start(k: int) -> int:
            if k in starts:
                return starts[k]
            lk = levels.get(k)
            return lk.start if lk else 1

        for k in range(ilvl + 1, 9):
            lk = levels.get(k)
            restart = lk.restart if lk is not None and lk.restart is not None else k
            if ilvl < restart:
                counters[k] = None
        counters[ilvl] = start(ilvl) if counters[ilvl] is None else counters[ilvl] + 1

        if lvl.fmt == "bullet":
            return bullet_char(lvl.text)

        def fill(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            value = counters[k] if counters[k] is not None else start(k)
            lk = levels.get(k)
            fmt = lk.fmt if lk else "decimal"
            if lvl.is_lgl and fmt != "decimalZero":
                fmt = "decimal"
            return format_number(value, fmt)

        text = _PLACEHOLDER.sub(fill, lvl.text).strip()
        return text or None

    def level(self, num_id: Optional[int], ilvl: Optional[int]) -> Optional[Level]:
        """The level definition a paragraph uses (for its indent), without counting."""
        if not num_id or num_id not in self._nums:
            return None
        aid = self._abstract_of(num_id)
        _, overrides, _ = self._nums[num_id]
        ilvl = min(max(ilvl or 0, 0), 8)
        return overrides.get(ilvl) or self._abstract.get(aid, {}).get(ilvl)
