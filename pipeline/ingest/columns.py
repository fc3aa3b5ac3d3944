"""Header and footer columns of a word-processed notice.

A notice opens with two columns (issuing body | national motto and date) and closes with two
(Nơi nhận | signature). Clerks build them with a borderless table, with tab stops in plain
paragraphs, or with text boxes and frames side by side. The reader hands over items in body
order; this module finds which items are the header and the footer — by position (first
thing / after the body) and by the marker words of rules/layout.yaml — and puts each line in
its column. Everything else is body, one block per line of a paragraph.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from pipeline.ingest import tabs
from pipeline.ingest import attached
from pipeline.rules import data, table as data_table
from pipeline.model import Block, Mark, MarkKind, Region
from pipeline.vietnamese import strip_marks, tone_new_style

# How far to look: a header is within the first items, a signature within the last.
_HEADER_WINDOW = 15
_FOOTER_WINDOW = 14
_LONG_LINE = 160          # a body sentence, not a line of a signature column
_RIGHT_INDENT = 150.0     # points: a line indented this far sits in the right column


@dataclass
class Box:
    """A text box or frame: paragraphs drawn together at one horizontal position."""

    paras: list
    x: Optional[float] = None
    key: object = None


@dataclass
class Para:
    text: str
    index: int
    label: Optional[str] = None
    bold: Optional[bool] = None
    italic: Optional[bool] = None
    font_size: Optional[float] = None
    align: Optional[str] = None
    indent: Optional[float] = None
    table: Optional[int] = None
    cell: Optional[tuple[int, int]] = None
    boxes: list = field(default_factory=list)
    frame_group: bool = False
    tabs: tuple = ()                    # custom tab stops ((points, left|center|right), …)
    text_width: Optional[float] = None  # points between the page's margins (its section's)

    def all_text(self) -> str:
        return "\n".join([self.text] + [p.text for b in self.boxes for p in b.paras])


@dataclass
class Table:
    index: int
    number: int
    cells: list   # (row, col, [Para])
    # merged cells: (row, col) of a cell → (row span, column span) when either is over 1, and
    # the positions a vertical merge continues (Word's empty `w:vMerge` cells)
    spans: dict = field(default_factory=dict)
    continued: set = field(default_factory=set)

    def all_text(self) -> str:
        return "\n".join(p.text for _, _, ps in self.cells for p in ps)

    def columns(self) -> dict[int, list[Para]]:
        cols: dict[int, list[Para]] = {}
        for _, col, paras in self.cells:
            cols.setdefault(col, []).extend(paras)
        return cols


# --- markers -------------------------------------------------------------------------------

def fold(text: str) -> str:
    """Case- and space-folded NFC with one tone placement (`HOÀ` = `HÒA`), the form markers
    are compared in."""
    return tone_new_style(" ".join(unicodedata.normalize("NFC", text).replace("\u00d0", "\u0110").split())).casefold()


@dataclass(frozen=True)
class _Markers:
    motto: tuple
    recipients: tuple
    authority: tuple
    date: re.Pattern
    left_starts: tuple
    recipient_starts: tuple


@lru_cache(maxsize=1)
def markers() -> _Markers:
    layout, cols = data("layout.yaml"), data("columns.yaml")
    return _Markers(
        motto=tuple(fold(w) for w in layout["national_motto"] + layout["motto"]),
        recipients=tuple(fold(w) for w in layout["recipients_heading"]),
        authority=tuple(fold(w) for w in layout["sign_authority"]),
        date=re.compile(cols["date_line"], re.IGNORECASE),
        left_starts=tuple(fold(w) for w in cols["header_left_starts"]),
        recipient_starts=tuple(fold(w) for w in cols["recipient_line_starts"]),
    )


def has_motto(text: str) -> bool:
    f = fold(text)
    return any(m in f for m in markers().motto)


def is_right_header_line(text: str) -> bool:
    f = fold(text)
    return any(f.startswith(m) for m in markers().motto) or bool(markers().date.search(f)) \
        or (len(f) <= 80 and set(f) <= set("-_=*. "))  # the rule under the motto


def starts_recipients(text: str) -> bool:
    f = fold(text).lstrip("\t ")
    return any(f.startswith(m) for m in markers().recipients)


def starts_authority(text: str) -> bool:
    f = fold(text)
    return any(f.startswith(m) for m in markers().authority) and len(f) <= 80


_LUU = re.compile(r"^[\s\-–+•]*Lưu\b", re.IGNORECASE)
_GLUED = re.compile(r"(?<=\S)(?=[^\W\d_])")       # a letter right after another character


def glued_signature(line: str) -> int:
    """Where a signature line that a lost table-cell boundary glued onto the last recipient
    begins (`- Lưu: VT, TCKH.TM. ỦY BAN NHÂN DÂN`, `- Lưu: VT, QHQT (3).BỘ TRƯỞNG, CHỦ
    NHIỆM`: a .doc exported without its footer table); len(line) when there is none. The
    signature line is in capitals to the end, and opens with an authority word, or (on the
    `Lưu:` line) right after its closing stop with two words or more."""
    glued = [m.start() for m in _GLUED.finditer(line)
             if line[m.start():].upper() == line[m.start():] and len(line[m.start():].split()) >= 2]
    for pos in glued:
        if starts_authority(line[pos:]):
            return pos
    if _LUU.match(line) and not line.rstrip().endswith((";", ",")):
        # no authority word: only on the `Lưu:` line, which closes the recipients
        for pos in glued:
            if line[pos - 1] in ".;)":
                return pos
    return len(line)


def is_recipient_line(text: str) -> bool:
    f = fold(text)
    return starts_recipients(f) or f.startswith(markers().recipient_starts) or f.endswith(";")


# --- assigning regions ---------------------------------------------------------------------

def assign_regions(items: list) -> tuple[list[Block], list[Mark]]:
    """Blocks in reading order: header-left, header-right, body…, footer-left, footer-right,
    then the body of a document issued with the notice (attached.py); a dossier filed after
    it comes back as marks."""
    content = _content(items)
    cut = attached.later_document(items, content, _is_footer_item, _opens_header_item, _is_kind)
    if cut is None:
        return _notice_regions(items), []
    blocks = _notice_regions(items[:cut])
    if attached.issued_with(items, content, cut):
        return blocks + _attachment_regions(items, content, cut), []
    text = "\n".join(items[i].all_text() for i in content if i >= cut)
    return blocks, [Mark(kind=MarkKind.DOSSIER, text=text)]


def _content(items: list) -> list[int]:
    # a paragraph Word numbers shows its number even with no text of its own
    return [i for i, it in enumerate(items) if it.all_text().strip() or _shows_alone(it)]


def _is_footer_item(it) -> bool:
    lines = [p.text for _, _, ps in it.cells for p in ps] if isinstance(it, Table) else it.all_text().split("\n")
    return any(starts_recipients(t) or starts_authority(_split_line(t)[1] or t) for t in lines if t.strip())


def _opens_header_item(it) -> bool:
    return _is_header_table(it) if isinstance(it, Table) else has_motto(it.all_text())


@lru_cache(maxsize=1)
def _kind_names() -> frozenset:
    return frozenset(strip_marks(r["name"]).upper() for r in data_table("doc_types.tsv"))


def _is_kind(text: str) -> bool:
    t = " ".join(text.split())
    return bool(t) and t == t.upper() and strip_marks(t).upper() in _kind_names()


def _attachment_regions(items: list, content: list[int], start: int) -> list[Block]:
    """A document issued with the notice: its title block and its own signature frame it
    (text, never items); what lies between is its body."""
    end = attached.title_end(items, content, start, _LABEL_START.match)
    after = [i for i in content if i >= end]
    foot = next((i for i in after if _is_footer_item(items[i])), len(items))
    out: list[Block] = []
    for i in range(start, len(items)):
        region = Region.ATTACHMENT if end <= i < foot else Region.ATTACHMENT_FRAME
        out.extend(_item_blocks(items[i], region))
    return out


def _item_blocks(it, region: Region) -> list[Block]:
    if isinstance(it, Table):
        return [b for _, _, paras in it.cells for p in paras for b in _blocks(p, region)]
    return _blocks(it, region) + [b for box in it.boxes for p in box.paras for b in _blocks(p, region)]


_LABEL_START = re.compile(r"^(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]\s|^(?:Điều|Chương|Phần|Mục)\s+\S+")


def _notice_regions(items: list) -> list[Block]:
    """The notice's own items → header columns, body, footer columns."""
    content = _content(items)
    if not content:
        return []
    head_l: list[Block] = []
    head_r: list[Block] = []
    foot_l: list[Block] = []
    foot_r: list[Block] = []
    body_start = content[0]

    first = items[content[0]]
    if isinstance(first, Table) and _is_header_table(first):
        _split_table(first, head_l, Region.HEADER_LEFT, head_r, Region.HEADER_RIGHT,
                     marked_if=has_motto)
        body_start = content[0] + 1
    else:
        end = _header_zone_end(items, content)
        if end is not None:
            for it in items[content[0]:end]:
                _split_header_para(it, head_l, head_r)
            body_start = end

    footer_start = _footer_table(items, content, body_start)
    if footer_start is not None:
        _split_table(items[footer_start], foot_r, Region.FOOTER_RIGHT, foot_l, Region.FOOTER_LEFT,
                     marked_if=starts_recipients, default_marked_first=True)
        tail = range(footer_start + 1, len(items))
    else:
        footer_start, recipients_at = _footer_paras(items, content, body_start)
        for i in range(footer_start, len(items)):
            _split_footer_para(items[i], recipients_at is not None and i >= recipients_at,
                               foot_l, foot_r)
        tail = range(0)

    body: list[Block] = []
    for i in list(range(body_start, footer_start)) + list(tail):
        it = items[i]
        if isinstance(it, Table):
            for _, _, paras in it.cells:
                for p in paras:
                    body.extend(_blocks(p, Region.BODY))
        else:
            body.extend(_blocks(it, Region.BODY))
            for box in it.boxes:
                for p in box.paras:
                    body.extend(_blocks(p, Region.BODY))
    return head_l + head_r + body + foot_l + foot_r


def _is_header_table(t: Table) -> bool:
    text = t.all_text()
    if has_motto(text):
        return True
    cols = t.columns()
    lines = sum(len(ps) for ps in cols.values())
    return len(cols) >= 2 and lines <= 12 and any(
        fold(p.text).startswith(markers().left_starts) for ps in cols.values() for p in ps)


def _split_table(t: Table, plain: list, plain_region: Region, marked_out: list,
                 marked_region: Region, *, marked_if, default_marked_first: bool = False) -> None:
    """Columns with a line satisfying `marked_if` go to `marked_out`, the others to `plain`.
    With no such column, the first column is the left one and the rest the right one."""
    cols = t.columns()
    marked = {c for c, ps in cols.items() if any(marked_if(p.text) for p in ps)}
    first = min(cols) if cols else 0
    for c in sorted(cols):
        if marked:
            to_marked = c in marked
        elif len(cols) == 1:
            to_marked = False
        else:
            to_marked = (c == first) if default_marked_first else (c != first)
        out, region = (marked_out, marked_region) if to_marked else (plain, plain_region)
        for p in cols[c]:
            out.extend(_blocks(p, region))


def _header_zone_end(items: list, content: list[int]) -> Optional[int]:
    """End (exclusive) of a header laid out in paragraphs, boxes or frames; None if none."""
    window = content[:_HEADER_WINDOW]
    motto_at = None
    for i in window:
        it = items[i]
        if isinstance(it, Table):
            break
        if has_motto(it.all_text()):
            motto_at = i
            break
    if motto_at is None:
        return None
    end = motto_at + 1
    j = end
    while j < len(items) and isinstance(items[j], Para):
        it = items[j]
        if not it.all_text().strip():
            j += 1
            continue
        lines = [ln for ln in it.text.split("\n") if ln.strip()]
        if it.boxes or all(tabs.has_gap(ln) or is_right_header_line(ln)
                           or fold(ln).startswith(markers().left_starts) for ln in lines):
            j += 1
            end = j
            continue
        break
    return end


def _split_line(line: str, para: Optional[Para] = None) -> tuple[str, str, bool]:
    """A line of two columns set with tabs or runs of spaces: (left, right, had_gap). Each
    stretch goes to the column its place on the line falls in (tabs.py: the paragraph's tab
    stops, or Word's default ones, and the width of the spaces); where that cannot tell (plain
    text, or every stretch on one side) the first gap after some text parts the columns."""
    core = line.rstrip(" ")
    if not tabs.has_gap(core):
        return core.strip(), "", False
    stretches = [x for x in tabs.GAP.split(core)[::2] if x.strip()]
    spaced = "\t" not in core          # set with spaces: their width is known without the stops
    if spaced or (para is not None and (para.tabs or para.font_size)):
        stops, indent, size, width = ((para.tabs, para.indent, para.font_size, para.text_width) if para
                                      else ((), None, None, None))
        left, right = tabs.columns(core, stops, indent or 0.0, size or 13.0, width or tabs.TEXT_WIDTH)
        # one stretch, moved to its place (`⇥⇥Độc lập - Tự do - Hạnh phúc`), or one on each side;
        # spaces have a width of their own, so what they leave on one side stays there
        if (left and right) or len(stretches) == 1 or spaced:
            return left, right, True
    first = " ".join(stretches[0].split())
    if len(stretches) == 1:
        # tabbed over to the right column, or a tab after the text that moves nothing
        return ("", first, True) if core.lstrip(" ").startswith("\t") else (first, "", True)
    return first, " ".join(" ".join(stretches[1:]).split()), True


def _split_header_para(it: Para, left: list, right: list) -> None:
    for ln_no, line in enumerate(it.text.split("\n")):
        l, r, had_tab = _split_line(line, it)
        label = it.label if ln_no == 0 else None
        if had_tab:
            _add(left, it, l, Region.HEADER_LEFT, label)
            _add(right, it, r, Region.HEADER_RIGHT, None if l else label)
        elif is_right_header_line(l) or _indented_right(it):
            _add(right, it, l, Region.HEADER_RIGHT, label)
        else:
            _add(left, it, l, Region.HEADER_LEFT, label)
    boxes = sorted(it.boxes, key=lambda b: (b.x is None, b.x or 0.0))
    marked = [b for b in boxes if any(has_motto(p.text) or is_right_header_line(p.text)
                                      for p in b.paras)]
    for n, box in enumerate(boxes):
        to_right = box in marked if marked else n > 0
        for p in box.paras:
            (right if to_right else left).extend(
                _blocks(p, Region.HEADER_RIGHT if to_right else Region.HEADER_LEFT))


def _footer_table(items: list, content: list[int], body_start: int) -> Optional[int]:
    """Index of the table that is the footer: after the body, with Nơi nhận or a signature."""
    tail = [i for i in content if i >= body_start][-_FOOTER_WINDOW:]
    for i in reversed(tail):
        it = items[i]
        if not isinstance(it, Table):
            continue
        if i == body_start and len(tail) > 1:
            continue  # the first thing of the body is not its footer
        text_lines = [p.text for _, _, ps in it.cells for p in ps]
        if any(starts_recipients(t) or starts_authority(t) for t in text_lines):
            return i
    return None


def _footer_paras(items: list, content: list[int], body_start: int) -> tuple[int, Optional[int]]:
    """Start of a footer laid out in paragraphs (len(items) if none), and where Nơi nhận is."""
    tail = [i for i in content if i > body_start][-_FOOTER_WINDOW:]
    recipients_at = None
    for i in reversed(tail):
        it = items[i]
        if isinstance(it, Para) and (starts_recipients(it.text.lstrip())
                                     or any(starts_recipients(p.text) for b in it.boxes
                                            for p in b.paras)):
            recipients_at = i
            break
    sign_at = None
    stop = recipients_at if recipients_at is not None else len(items)
    for i in reversed([i for i in tail if i < stop]):
        it = items[i]
        if isinstance(it, Table) or len(it.text) > _LONG_LINE:
            break
        l, r, _ = _split_line(it.text.split("\n")[0], it)
        if starts_authority(l) or starts_authority(r):
            sign_at = i
    # a signature on the same lines as Nơi nhận (tab stops) begins with Nơi nhận
    starts = [i for i in (recipients_at, sign_at) if i is not None]
    if not starts:
        return len(items), None
    return min(starts), recipients_at


def _split_footer_para(it, in_recipients: bool, left: list, right: list) -> None:
    if isinstance(it, Table):
        _split_table(it, right, Region.FOOTER_RIGHT, left, Region.FOOTER_LEFT,
                     marked_if=starts_recipients, default_marked_first=True)
        return
    for ln_no, line in enumerate(it.text.split("\n")):
        l, r, had_tab = _split_line(line, it)
        label = it.label if ln_no == 0 else None
        if had_tab:
            _add(left, it, l, Region.FOOTER_LEFT, label)
            _add(right, it, r, Region.FOOTER_RIGHT, None if l else label)
        elif in_recipients and (is_recipient_line(l) or label) and not _indented_right(it):
            cut = glued_signature(l)
            _add(left, it, l[:cut], Region.FOOTER_LEFT, label)
            _add(right, it, l[cut:], Region.FOOTER_RIGHT, None)
        else:
            _add(right, it, l, Region.FOOTER_RIGHT, label)
    for box in it.boxes:
        to_left = any(starts_recipients(p.text) for p in box.paras)
        for p in box.paras:
            (left if to_left else right).extend(
                _blocks(p, Region.FOOTER_LEFT if to_left else Region.FOOTER_RIGHT))


def _indented_right(p: Para) -> bool:
    return p.align == "right" or (p.indent or 0.0) >= _RIGHT_INDENT


def _add(out: list, p: Para, text: str, region: Region, label: Optional[str]) -> None:
    text = " ".join(text.split())
    if not text:
        return
    if label:
        text = f"{label} {text}"
    out.append(_block(p, text, region, label))


def _blocks(p: Para, region: Region) -> list[Block]:
    """One block per line of a paragraph (soft line breaks split it), label on the first."""
    out = []
    for n, line in enumerate(p.text.split("\n")):
        text = " ".join(line.split())
        if not text:
            continue
        label = p.label if not out else None
        if label:
            text = f"{label} {text}"
        out.append(_block(p, text, region, label))
    if not out and _shows_alone(p):
        out.append(_block(p, p.label, region, p.label))
    return out


_ALONE_LABEL = re.compile(r"^(?:[^\W\d_]{2,}\s+\S+|[IVXLC]+[.)]?)$")


def _shows_alone(p) -> bool:
    """A numbered paragraph with no text of its own whose number is a heading's (`Chương I`,
    `Điều 3.`, `II.` above their titles); an empty bullet or `3.` is a slip of the clerk's."""
    return isinstance(p, Para) and not p.text.strip() and bool(p.label and _ALONE_LABEL.match(p.label))


def _block(p: Para, text: str, region: Region, label: Optional[str]) -> Block:
    return Block(text=text, region=region, paragraph=p.index, table=p.table, cell=p.cell,
                 label=label, bold=p.bold, italic=p.italic, font_size=p.font_size,
                 align=p.align, indent=p.indent)
