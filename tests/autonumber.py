"""A typed notice laid out again with Word auto-numbering: the `NAME.auto.docx` twin of `NAME.docx`.

A clerk who lets Word number the outline leaves `I.`, `1.`, `(1)`, `a)`, `Điều 3.`, `-` out of
the text: they live in numbering.xml and Word draws them. `to_auto_numbered` turns a .docx whose
body paragraphs open with typed labels into such a file, so a test can check that the reader
(pipeline/ingest/numbering.py) gives every label back where the typed file had it.

The numbering is written as the dev corpus's `.auto.docx` files are: `w:numPr` (ilvl, numId) first
in the paragraph's `w:pPr`, the label taken out of the text, lean `w:abstractNum`s (start, numFmt,
lvlText, lvlJc; no indents, so the reader sees the paragraph's own) appended after the document's
own, and a new `w:num` with a `w:startOverride` where numbering must restart.

The body outline is one multilevel list whose levels are the label kinds in the order they first
appear, as `items_to_tree` (pipeline/analyse/body.py) nests them. `Kính gửi:` and its bulleted
addressees are no part of that outline (the analyser sets them aside), so they get a list of their
own: were their bullets level 0 of the outline, every body bullet would restart the levels under
it. A paragraph is converted only when the label Word would draw there is exactly the typed one;
Word's counters are followed paragraph by paragraph for that, with the rules of ECMA-376 §17.9: using
a level restarts the deeper levels unless their `w:lvlRestart` says otherwise, and a `w:num` with a
`w:startOverride` (what Word's "Restart numbering" writes) is a list of its own, each overridden level
starting at the override: the model our reader and LibreOffice follow. Where a restart or a jump
cannot be drawn so, or Word has no such number at all (`Phần thứ nhất`, `đ)`, `Điều 5a`), the label
stays typed. (LibreOffice 7.4 ignores `w:lvlRestart`: printed by it, `Điều` restarts in each
`Chương` although Word and the reader go on.)
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from lxml import etree

from pipeline import rules
from pipeline.analyse.body import BULLET_KINDS, LABEL_ONLY_KINDS

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NUMBERING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
NUMBERING_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"

MAX_LEVELS = 9  # w:ilvl 0…8

# `w:pPr` children that the schema puts before `w:numPr`
_BEFORE_NUMPR = {f"{W}{t}" for t in ("pStyle", "keepNext", "keepLines", "pageBreakBefore",
                                      "framePr", "widowControl")}


# --- typed labels --------------------------------------------------------------------------

@dataclass
class Typed:
    """A body paragraph that opens with a typed label Word could draw."""
    p: etree._Element
    kind: str                        # the reader's kind: roman, arabic, multi2, dieu, dash…
    shown: str                       # the label as typed: `II.`, `1.2.`, `Điều 3.`, `Chương I`, `-`
    cut: int                         # characters the label and the blank after it take in the text
    fmt: str                         # w:numFmt of its own number
    values: tuple[int, ...] = ()     # the typed numbers, its parents' first (`1.2.` → (1, 2))
    slots: tuple[tuple[int, int], ...] = ()   # where those numbers stand in `shown`

    @property
    def value(self) -> Optional[int]:
        return self.values[-1] if self.values else None

    def owners(self) -> list[str]:
        """The kind whose counter fills each number slot: a multilevel label's first numbers
        are its arabic and shorter multilevel parents' (`1.2.3` → arabic, multi2, multi3)."""
        if self.kind.startswith("multi"):
            return ["arabic"] + [f"multi{n}" for n in range(2, len(self.slots) + 1)]
        return [self.kind] * len(self.slots)

    def template(self, level_of: dict[str, int]) -> Optional[str]:
        """`w:lvlText` that draws this label, the numbers as %1…%9; None when a parent kind has
        no level of its own to count it."""
        if not self.slots:
            return self.shown  # a bullet: its character
        out, pos = [], 0
        for (a, b), owner in zip(self.slots, self.owners()):
            if owner not in level_of:
                return None
            out += [self.shown[pos:a], f"%{level_of[owner] + 1}"]
            pos = b
        out.append(self.shown[pos:])
        return "".join(out)


def _roman_value(s: str) -> Optional[int]:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for i, ch in enumerate(s):
        v = values.get(ch)
        if v is None:
            return None
        nxt = values.get(s[i + 1]) if i + 1 < len(s) else None
        total += -v if nxt and nxt > v else v
    # only the canonical spelling is one Word draws (IIII is not 4 to Word)
    return total if total and format_number(total, "upperRoman") == s else None


def _letter_value(s: str) -> Optional[int]:
    # Word's letters are the 26 of ASCII: Vietnamese đ has no number
    low = s.lower()
    return ord(low) - ord("a") + 1 if len(low) == 1 and "a" <= low <= "z" else None


def _number(token: str, fmt: str) -> Optional[int]:
    if fmt == "decimal":
        return int(token) if token.isdigit() else None
    if fmt == "upperRoman":
        return _roman_value(token)
    if fmt in ("lowerLetter", "upperLetter"):
        v = _letter_value(token)
        return v if v is not None and format_number(v, fmt) == token else None
    return None


# the number in each kind's label group, and the format Word draws it in
_KIND_FMT = {"roman": "upperRoman", "arabic": "decimal", "paren": "decimal",
             "letter": "lowerLetter", "paren_letter": "lowerLetter", "upper_letter": "upperLetter"}
_NAMED = {"dieu", "chuong", "phan", "muc"}     # `Điều 3`, `Chương II`: a word, then the number


def read_typed(p: etree._Element, text: str) -> Optional[Typed]:
    """The label `text` opens with, as the reader's rules (rules/labels.jsonl, first match wins,
    as `read_label`) see it, if Word can draw it."""
    stripped = text.lstrip()
    lead = len(text) - len(stripped)
    compiled = rules.patterns("labels.jsonl")
    for rule in rules.pattern_rules("labels.jsonl"):
        m = compiled[rule.id].match(stripped)
        if not m:
            continue
        kind = rule.kind or rule.id
        rest = stripped[m.end():]
        if not rest.strip() and kind not in LABEL_ONLY_KINDS:
            continue  # the reader tries the next rule too
        shown = stripped[:m.end()].rstrip()
        cut = lead + len(stripped) - len(rest.lstrip())
        if kind in BULLET_KINDS:
            return Typed(p, kind, shown, cut, "bullet")
        a, b = m.span("label")
        if kind == "multi":
            kind = f"multi{m.group('label').count('.') + 1}"
            slots = tuple((a + t.start(), a + t.end()) for t in re.finditer(r"\d+", m.group("label")))
            fmt = "decimal"
        elif kind in _NAMED:
            t = re.search(r"\S+$", m.group("label"))
            slots = ((a + t.start(), a + t.end()),)
            fmt = "upperRoman" if re.fullmatch(r"[IVXLC]+", t.group()) else "decimal"
        elif kind in ("paren", "paren_letter"):
            slots, fmt = ((a + 1, b - 1),), _KIND_FMT[kind]   # inside the parentheses
        elif kind in _KIND_FMT:
            slots, fmt = ((a, b),), _KIND_FMT[kind]
        else:
            return None  # a kind added to the rules that this module does not know
        values = tuple(_number(shown[x:y], fmt) for x, y in slots)
        if None in values:
            return None
        return Typed(p, kind, shown, cut, fmt, values, slots)
    return None


# --- Word's counters -------------------------------------------------------------------------

_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
          (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def format_number(n: int, fmt: str) -> str:
    if fmt == "upperRoman":
        out = ""
        for value, letters in _ROMAN:
            while n >= value:
                out, n = out + letters, n - value
        return out
    if fmt in ("lowerLetter", "upperLetter"):
        s = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)  # z, aa, bb: Word repeats
        return s.upper() if fmt == "upperLetter" else s
    return str(n)


@dataclass
class Level:
    fmt: str
    text: str                          # w:lvlText
    restart: Optional[int] = None      # w:lvlRestart; None: after the level above (Word's default)


@dataclass
class Counters:
    """Where Word's counters of one list stand: the `w:num` in use (its overrides) and the
    current number of each level (None: not used since it last restarted)."""
    levels: list[Level]
    overrides: dict[int, int] = field(default_factory=dict)
    now: list[Optional[int]] = field(default_factory=lambda: [None] * MAX_LEVELS)

    def start(self, k: int) -> int:
        return self.overrides.get(k, 1)

    def after(self, ilvl: int) -> list[Optional[int]]:
        """The counters once a paragraph of level `ilvl` is drawn."""
        now = list(self.now)
        for k in range(ilvl + 1, len(self.levels)):
            restart = self.levels[k].restart
            if ilvl < (k if restart is None else restart):
                now[k] = None
        now[ilvl] = self.start(ilvl) if now[ilvl] is None else now[ilvl] + 1
        return now

    def label(self, ilvl: int) -> str:
        """The label Word draws for the next paragraph of level `ilvl`."""
        level, now = self.levels[ilvl], self.after(ilvl)
        if level.fmt == "bullet":
            return level.text

        def fill(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            value = now[k] if now[k] is not None else self.start(k)
            return format_number(value, self.levels[k].fmt)

        return re.sub(r"%([1-9])", fill, level.text)

    def use(self, ilvl: int) -> None:
        self.now = self.after(ilvl)

    def restarted(self, overrides: dict[int, int]) -> "Counters":
        """The counters of a new `w:num` of the same list with these start overrides."""
        return Counters(self.levels, dict(overrides))


# --- one list: its levels, its w:num instances, the paragraphs it numbers ----------------------

@dataclass
class NumberedList:
    levels: list[Level]
    nums: list[dict[int, int]]                             # startOverrides of each w:num
    paragraphs: list[tuple[Typed, int, int]]               # (paragraph, index in nums, ilvl)


def _restart_levels(items: list[Typed], level_of: dict[str, int]) -> dict[int, int]:
    """`w:lvlRestart` for the levels whose typed numbers do not restart as Word's would.

    `w:lvlRestart` N restarts a level whenever one of levels 0…N-1 is used (N = its own index,
    the level above, by default; 0 never). Each item that follows a higher-level item tells: its
    number restarted (1) → N must be above the highest level used since its previous item; it
    went on (previous + 1) → N must not reach it. `Điều` going on through `Chương` gets 0."""
    last: dict[int, int] = {}
    highest_since: dict[int, Optional[int]] = {}
    bounds: dict[int, list[int]] = {}          # level → [lowest N allowed, highest N allowed]
    for t in items:
        ilvl = level_of[t.kind]
        if t.value is not None and ilvl in last and highest_since.get(ilvl) is not None:
            m = highest_since[ilvl]
            lo, hi = bounds.setdefault(ilvl, [0, ilvl])
            if t.value == last[ilvl] + 1:
                bounds[ilvl][1] = min(hi, m)
            elif t.value == 1:
                bounds[ilvl][0] = max(lo, m + 1)
        for k in range(ilvl + 1, MAX_LEVELS):
            h = highest_since.get(k)
            highest_since[k] = ilvl if h is None else min(h, ilvl)
        highest_since[ilvl] = None
        if t.value is not None:
            last[ilvl] = t.value
    out = {}
    for ilvl, (lo, hi) in bounds.items():
        if hi < ilvl and lo <= hi:     # the default (ilvl) breaks what the items show; hi mends it
            out[ilvl] = hi
    return out


def number_list(items: list[Typed]) -> Optional[NumberedList]:
    """Levels for these typed items, and which of them Word can number, and with which w:num."""
    level_of: dict[str, int] = {}
    for t in items:
        if t.kind not in level_of and len(level_of) < MAX_LEVELS:
            level_of[t.kind] = len(level_of)
    items = [t for t in items if t.kind in level_of]
    levels: list[Optional[Level]] = [None] * len(level_of)
    for t in items:
        ilvl = level_of[t.kind]
        text = t.template(level_of)
        if levels[ilvl] is None and text is not None:
            levels[ilvl] = Level(t.fmt, text)
    if not items or None in levels:
        # a kind none of whose items can be drawn (a multilevel label with no parent level):
        # drop it and lay out the levels again
        drawable = [t for t in items if levels[level_of[t.kind]] is not None]
        return number_list(drawable) if drawable and len(drawable) < len(items) else None
    for ilvl, n in _restart_levels(items, level_of).items():
        levels[ilvl].restart = n

    nums: list[dict[int, int]] = [{}]
    counters = Counters(levels)
    done = []
    for t in items:
        ilvl = level_of[t.kind]
        level = levels[ilvl]
        if t.template(level_of) != level.text or t.fmt != level.fmt:
            continue  # `a.` among `a)`, `Chương 3` among `Chương II`: another label, stays typed
        if counters.label(ilvl) != t.shown:
            # Word would draw another number: a new w:num starting this level at the typed one,
            # and the parents a multilevel label shows at theirs
            overrides = {level_of[o]: v for o, v in zip(t.owners(), t.values)}
            trial = counters.restarted(overrides)
            if trial.label(ilvl) != t.shown:
                continue
            nums.append(overrides)
            counters = trial
        counters.use(ilvl)
        done.append((t, len(nums) - 1, ilvl))
    return NumberedList(levels, nums, done) if done else None


# --- the document ------------------------------------------------------------------------------

def _text_nodes(p: etree._Element) -> list[etree._Element]:
    """The paragraph's w:t and w:tab in reading order, as the reader reads them (not text boxes,
    not the VML copy of a drawing)."""
    out = []
    for el in p.iter(f"{W}t", f"{W}tab"):
        if any(a.tag in (f"{W}txbxContent", f"{_MC}Fallback", f"{W}del") for a in el.iterancestors()):
            continue
        out.append(el)
    return out


def _text(nodes: list[etree._Element]) -> str:
    return "".join("\t" if n.tag == f"{W}tab" else (n.text or "") for n in nodes)


def _drop_label(nodes: list[etree._Element], cut: int) -> None:
    """Take the first `cut` characters (label and the blank after it) out of the paragraph, run
    by run, so the rest keeps its runs and their formatting."""
    for n in nodes:
        if cut <= 0:
            break
        if n.tag == f"{W}tab":
            n.getparent().remove(n)
            cut -= 1
            continue
        text = n.text or ""
        n.text, cut = text[cut:], cut - len(text)
    for n in nodes:
        if n.tag == f"{W}t" and n.getparent() is not None:
            if n.text and n.text != n.text.strip():
                n.set(_XML_SPACE, "preserve")
            break


def _set_numpr(p: etree._Element, num_id: int, ilvl: int) -> None:
    ppr = p.find(f"{W}pPr")
    if ppr is None:
        ppr = etree.Element(f"{W}pPr")
        p.insert(0, ppr)
    old = ppr.find(f"{W}numPr")
    if old is not None:
        ppr.remove(old)
    numpr = etree.Element(f"{W}numPr")
    etree.SubElement(numpr, f"{W}ilvl").set(f"{W}val", str(ilvl))
    etree.SubElement(numpr, f"{W}numId").set(f"{W}val", str(num_id))
    at = 0
    while at < len(ppr) and ppr[at].tag in _BEFORE_NUMPR:
        at += 1
    ppr.insert(at, numpr)


def _body_lists(body: etree._Element) -> list[list[Typed]]:
    """Typed items of the body outline, and of each `Kính gửi:` addressee list, in order."""
    addressee = rules.pattern("header.jsonl", "addressee")
    outline: list[Typed] = []
    lists = [outline]
    addressees: Optional[list[Typed]] = None
    for p in body.iterchildren(f"{W}p"):   # top level only: the header and footer are tables
        text = _text(_text_nodes(p))
        typed = read_typed(p, text) if text.strip() else None
        if addressees is not None and typed is not None and typed.kind in BULLET_KINDS:
            addressees.append(typed)
            continue
        addressees = None
        if addressee.match(text):
            addressees = []
            lists.append(addressees)
        elif typed is not None:
            outline.append(typed)
    return [items for items in lists if items]


def _w(tag: str, parent: etree._Element, val=None, **attrs) -> etree._Element:
    el = etree.SubElement(parent, f"{W}{tag}")
    if val is not None:
        el.set(f"{W}val", str(val))
    for k, v in attrs.items():
        el.set(f"{W}{k}", str(v))
    return el


def _write_list(numbering: etree._Element, numbered: NumberedList) -> list[int]:
    """Append the list's w:abstractNum (after the last one: the schema wants every abstractNum
    before the first num) and its w:num instances; their numIds."""
    abstract_ids = [int(a.get(f"{W}abstractNumId")) for a in numbering.iter(f"{W}abstractNum")]
    num_ids = [int(n.get(f"{W}numId")) for n in numbering.iter(f"{W}num")]
    aid = max(abstract_ids, default=-1) + 1
    abstract = etree.Element(f"{W}abstractNum")
    abstract.set(f"{W}abstractNumId", str(aid))
    _w("multiLevelType", abstract, "multilevel" if len(numbered.levels) > 1 else "singleLevel")
    for ilvl, level in enumerate(numbered.levels):
        lvl = _w("lvl", abstract, ilvl=ilvl)
        _w("start", lvl, 1)
        _w("numFmt", lvl, level.fmt)
        if level.restart is not None:
            _w("lvlRestart", lvl, level.restart)
        _w("lvlText", lvl, level.text)
        _w("lvlJc", lvl, "left")
    last_abstract = max(numbering.iterchildren(f"{W}abstractNum"), key=numbering.index, default=None)
    if last_abstract is not None:
        last_abstract.addnext(abstract)
    else:
        numbering.insert(0, abstract)

    ids = []
    first_id = max(num_ids, default=0) + 1
    for n, overrides in enumerate(numbered.nums):
        num = etree.Element(f"{W}num")
        num.set(f"{W}numId", str(first_id + n))
        _w("abstractNumId", num, aid)
        for ilvl in sorted(overrides):
            _w("startOverride", _w("lvlOverride", num, ilvl=ilvl), overrides[ilvl])
        # w:numIdMacAtCleanup, if any, must stay last
        cleanup = numbering.find(f"{W}numIdMacAtCleanup")
        if cleanup is not None:
            cleanup.addprevious(num)
        else:
            numbering.append(num)
        ids.append(first_id + n)
    return ids


def _main_part(parts: dict[str, bytes]) -> str:
    if "_rels/.rels" in parts:
        for rel in etree.fromstring(parts["_rels/.rels"]).iter(f"{{{_PKG_REL}}}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                return rel.get("Target", "").lstrip("/")
    return "word/document.xml"


def _numbering_part(parts: dict[str, bytes], main: str) -> tuple[str, etree._Element]:
    """The numbering part of the main document, made (with its relationship and content type)
    when the document has none."""
    folder, name = posixpath.split(main)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    if rels_name in parts:
        rels = etree.fromstring(parts[rels_name])
    else:
        rels = etree.Element(f"{{{_PKG_REL}}}Relationships", nsmap={None: _PKG_REL})
    for rel in rels.iter(f"{{{_PKG_REL}}}Relationship"):
        if rel.get("Type") == NUMBERING_REL and rel.get("TargetMode") != "External":
            target = posixpath.normpath(posixpath.join(folder, rel.get("Target", ""))).lstrip("/")
            if target in parts:
                return target, etree.fromstring(parts[target])
    target = posixpath.join(folder, "numbering.xml")
    used = {rel.get("Id") for rel in rels}
    rid = next(f"rId{n}" for n in range(1, len(used) + 2) if f"rId{n}" not in used)
    etree.SubElement(rels, f"{{{_PKG_REL}}}Relationship", Id=rid, Type=NUMBERING_REL,
                     Target="numbering.xml")
    parts[rels_name] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
    types = etree.fromstring(parts["[Content_Types].xml"])
    part_name = "/" + target
    if not any(o.get("PartName") == part_name for o in types.iter(f"{{{_CT}}}Override")):
        etree.SubElement(types, f"{{{_CT}}}Override", PartName=part_name, ContentType=NUMBERING_TYPE)
    parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8",
                                                  standalone=True)
    return target, etree.Element(f"{W}numbering", nsmap={"w": W_NS})


def to_auto_numbered(src: Path, dst: Path) -> int:
    """Write `dst`: `src` with the typed labels of its body paragraphs drawn by Word
    auto-numbering instead. Returns how many paragraphs were converted."""
    with zipfile.ZipFile(src) as zf:
        infos = zf.infolist()
        parts = {i.filename: zf.read(i.filename) for i in infos}
    main = _main_part(parts)
    doc = etree.fromstring(parts[main])
    body = doc.find(f"{W}body")

    numbered = [n for n in map(number_list, _body_lists(body)) if n is not None]
    converted = 0
    if numbered:
        numbering_name, numbering = _numbering_part(parts, main)
        for lst in numbered:
            ids = _write_list(numbering, lst)
            for typed, num, ilvl in lst.paragraphs:
                _drop_label(_text_nodes(typed.p), typed.cut)
                _set_numpr(typed.p, ids[num], ilvl)
                converted += 1
        parts[numbering_name] = etree.tostring(numbering, xml_declaration=True, encoding="UTF-8",
                                               standalone=True)
        parts[main] = etree.tostring(doc, xml_declaration=True, encoding="UTF-8", standalone=True)

    dst.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for info in infos:
            out.writestr(info, parts.pop(info.filename))
        for name, data in parts.items():   # parts made here: the numbering part
            out.writestr(name, data)
    return converted
