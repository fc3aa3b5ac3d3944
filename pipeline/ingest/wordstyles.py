"""Word styles (styles.xml) resolved through `w:basedOn`, for what ingest needs of them:
bold, italic, size, font, alignment, left indent and list membership (`w:numPr`).

python-docx leaves inherited run properties as None; a notice whose headings are bold through
their style would then read as plain, so the chain is followed here, once per style, cached.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAL = f"{W}val"
_FALSE = {"0", "false", "off", "none"}


@dataclass(frozen=True)
class Props:
    """Paragraph and run properties; None means not set at this level."""

    bold: Optional[bool] = None
    italic: Optional[bool] = None
    size: Optional[float] = None       # points
    font: Optional[str] = None
    align: Optional[str] = None
    indent: Optional[float] = None     # left indent, points
    num_id: Optional[int] = None
    ilvl: Optional[int] = None
    tabs: Optional[tuple] = None       # custom tab stops: ((position in points, left|center|right|clear), …)

    def over(self, base: "Props") -> "Props":
        """These properties, falling back to `base` where unset; tab stops add to the base's
        (a `clear` stop removes the base's stop at its position, as Word does)."""
        if base is EMPTY or base == EMPTY:
            return self
        if self is EMPTY:
            return base
        merged = Props(*(a if a is not None else b for a, b in zip(_fields(self), _fields(base))))
        if self.tabs is not None and base.tabs:
            cleared = {round(pos) for pos, kind in self.tabs if kind == "clear"}
            tabs = [t for t in base.tabs if round(t[0]) not in cleared] + [t for t in self.tabs if t[1] != "clear"]
            merged = replace(merged, tabs=tuple(sorted(tabs)))
        return merged

    def stops(self) -> tuple:
        """The custom tab stops in effect, left to right (none cleared)."""
        return tuple(t for t in (self.tabs or ()) if t[1] != "clear")


def _fields(p: Props) -> tuple:
    return (p.bold, p.italic, p.size, p.font, p.align, p.indent, p.num_id, p.ilvl, p.tabs)


EMPTY = Props()
_TAB_KIND = {"left": "left", "start": "left", "center": "center", "right": "right", "end": "right",
             "decimal": "right", "bar": "left", "clear": "clear", "num": "left"}
_ALIGN = {"left": "left", "start": "left", "center": "center", "right": "right", "end": "right",
          "both": "both", "distribute": "both", "justify": "both"}


def _toggle(el) -> bool:
    return el.get(_VAL, "1").lower() not in _FALSE


def _int(value: Optional[str]) -> Optional[int]:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def run_props(rpr) -> Props:
    """Direct run properties of a `w:rPr`."""
    if rpr is None:
        return EMPTY
    bold = italic = size = font = None
    for c in rpr:
        tag = c.tag
        if tag == f"{W}b":
            bold = _toggle(c)
        elif tag == f"{W}i":
            italic = _toggle(c)
        elif tag == f"{W}sz":
            v = _int(c.get(_VAL))
            size = v / 2 if v else None
        elif tag == f"{W}rFonts":
            font = c.get(f"{W}ascii") or c.get(f"{W}hAnsi") or c.get(f"{W}cs")
    return Props(bold=bold, italic=italic, size=size, font=font)


def para_props(ppr) -> Props:
    """Direct paragraph properties of a `w:pPr` (its own `w:rPr` is the mark's, not the text's)."""
    if ppr is None:
        return EMPTY
    align = indent = num_id = ilvl = tabs = None
    for c in ppr:
        tag = c.tag
        if tag == f"{W}tabs":
            tabs = tuple(sorted((_int(t.get(f"{W}pos")) / 20, _TAB_KIND.get(t.get(_VAL, "left"), "left"))
                                for t in c if t.tag == f"{W}tab" and _int(t.get(f"{W}pos")) is not None))
        elif tag == f"{W}jc":
            align = _ALIGN.get(c.get(_VAL, ""), None)
        elif tag == f"{W}ind":
            v = _int(c.get(f"{W}left") or c.get(f"{W}start"))
            indent = v / 20 if v is not None else None
        elif tag == f"{W}numPr":
            for n in c:
                if n.tag == f"{W}numId":
                    num_id = _int(n.get(_VAL))
                elif n.tag == f"{W}ilvl":
                    ilvl = _int(n.get(_VAL))
    return Props(align=align, indent=indent, num_id=num_id, ilvl=ilvl, tabs=tabs)


class Styles:
    """Resolved paragraph and character styles of one document."""

    def __init__(self, root=None):
        self._elements: dict[str, object] = {}
        self._raw: dict[str, tuple[Optional[str], Props]] = {}
        self._resolved: dict[str, Props] = {}
        self.defaults = EMPTY
        self.default_para: Optional[str] = None
        if root is None:
            return
        for el in root:
            if el.tag == f"{W}docDefaults":
                rpr = el.find(f"{W}rPrDefault/{W}rPr")
                ppr = el.find(f"{W}pPrDefault/{W}pPr")
                self.defaults = run_props(rpr).over(para_props(ppr))
            elif el.tag == f"{W}style":
                sid = el.get(f"{W}styleId")
                if not sid:
                    continue
                # parsed when first used: a template carries hundreds of styles, a notice uses few
                self._elements[sid] = el
                if el.get(f"{W}type") == "paragraph" and el.get(f"{W}default") in ("1", "true"):
                    self.default_para = sid

    def _own(self, sid: str) -> Optional[tuple[Optional[str], Props]]:
        hit = self._raw.get(sid)
        if hit is None and sid in self._elements:
            el = self._elements[sid]
            based = el.find(f"{W}basedOn")
            own = run_props(el.find(f"{W}rPr")).over(para_props(el.find(f"{W}pPr")))
            hit = self._raw[sid] = (based.get(_VAL) if based is not None else None, own)
        return hit

    def get(self, style_id: Optional[str]) -> Props:
        """A style's properties with its `basedOn` chain folded in (not the doc defaults)."""
        if not style_id or style_id not in self._elements:
            return EMPTY
        hit = self._resolved.get(style_id)
        if hit is not None:
            return hit
        chain, seen, sid = [], set(), style_id
        while sid and sid in self._elements and sid not in seen:  # a cycle in basedOn ends it
            seen.add(sid)
            parent, own = self._own(sid)
            chain.append(own)
            sid = parent
        out = EMPTY
        for own in reversed(chain):
            out = own.over(out)
        self._resolved[style_id] = out
        return out

    def numbered_styles(self) -> dict[str, tuple[int, Optional[int]]]:
        """styleId → (numId, ilvl) for styles that carry list numbering."""
        out = {}
        for sid in self._elements:
            p = self.get(sid)
            if p.num_id is not None:
                out[sid] = (p.num_id, p.ilvl)
        return out
