"""Body of a notice → a tree of labelled items, each a section (a heading) or a task.

The chain: `blocks_to_paragraphs` (body blocks, with `Kính gửi` lists and the closing
formula set aside) → `paragraphs_to_items` (labelled items with their continuation
paragraphs) → `items_to_tree` (nesting and paths, per ../shared/eval/README.md *Items*).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional, Sequence

from pipeline import rules
from pipeline.analyse.quotes import quoted_paragraphs
from pipeline.model import Block

BULLET_KINDS = {"dash", "plus", "dot"}
TABLE_KIND = "table"        # the placeholder analyse/tables.py hands a task table's rows in
# kinds whose label may stand alone on its line, the title on the next (`Chương I` / `QUY ĐỊNH CHUNG`)
LABEL_ONLY_KINDS = {"phan", "chuong", "muc", "dieu", "roman", "upper_letter"}


@dataclass
class Label:
    kind: str          # rule kind: roman, arabic, multi2, paren, letter, dash…
    label: str         # as the spec writes it: II, 1, 1.1, (3), a, Điều 2; '' for bullets
    rest: str          # the paragraph text after the label


@dataclass
class Item:
    kind: str
    label: str
    text: str
    blocks: list[int]                       # indexes of the blocks it spans
    bold: bool = False
    continuation: list[str] = field(default_factory=list)
    children: list["Item"] = field(default_factory=list)
    parent: Optional["Item"] = None
    path: str = ""
    is_section: bool = False
    # a row of a task table (analyse/tables.py): its unit and time cells, and whether it is
    # a group row (`I | Công tác chuẩn bị`), a section whatever its wording
    unit: Optional[str] = None
    when: Optional[str] = None
    forced_section: bool = False

    @property
    def full_text(self) -> str:
        return "\n".join([self.text, *self.continuation]).strip()


@lru_cache(maxsize=1)
def _label_rules() -> tuple:
    compiled = rules.patterns("labels.jsonl")
    return tuple((rule, compiled[rule.id]) for rule in rules.pattern_rules("labels.jsonl"))


@lru_cache(maxsize=512)
def read_label(text: str) -> Optional[Label]:
    """The label a paragraph opens with, by the first matching rule of rules/labels.jsonl.
    Cached (the result is not to be changed): the closing formula is looked for, and the
    items read, over the same paragraphs."""
    stripped = text.lstrip()
    for rule, pattern in _label_rules():
        m = pattern.match(stripped)
        if not m:
            continue
        rest = stripped[m.end():].strip()
        kind = rule.kind or rule.id
        if not rest and kind not in LABEL_ONLY_KINDS:
            continue
        if kind in BULLET_KINDS:
            return Label(kind, "", rest)
        label = re.sub(r"\s+", " ", m.group("label")).replace("Ð", "Đ")
        if kind == "multi":
            kind = f"multi{label.count('.') + 1}"
        elif kind in {"dieu", "phan", "chuong", "muc"}:
            label = label[:1].upper() + label[1:].lower() if label.isupper() else label
            label = re.sub(r"(?<=[^\W\d_])(?=\d)", " ", label)       # a typewriter's `Điều1`
        return Label(kind, label, rest)
    return None


def paragraphs_to_items(blocks: list[Block], indexes: list[int], before: Sequence[Item] = ()) -> list[Item]:
    """Labelled paragraphs become items; an unlabelled one continues the item above it, and so
    does quoted wording, whatever labels it carries (quotes.py). Paragraphs before the first
    item (căn cứ, preamble) belong to none. `before`: the items of the body above these
    paragraphs (a table stands between), whose roman labels an OCR misreading of the next one
    is told by."""
    items: list[Item] = []
    indexes = [i for i in indexes if blocks[i].text.strip()]
    # an amendment's quoted wording continues the item that quotes it, labels and all
    quoted = quoted_paragraphs([blocks[i].text.strip() for i in indexes])
    for n, i in enumerate(indexes):
        text = blocks[i].text.strip()
        lab = None if n in quoted else read_label(text)
        if lab is not None and lab.kind in BULLET_KINDS and not items and (
                _grounds().match(text) or _wraps_on(blocks[indexes[n - 1]].text if n else "")):
            # `- Căn cứ …`, `- Xét đơn …`: a clerk's dash, the preamble still; `– Xã hội, …`
            # after `…Sở Lao động`: the preamble's sentence wrapped at its dash
            lab = None
        if lab is None and blocks[i].confidence is not None and n not in quoted:
            romans = [it.label for it in [*before, *items] if it.kind == "roman"]
            lab = _ocr_roman(text, romans[-1] if romans else None, len(romans))
        if items and not items[-1].text and not items[-1].continuation and lab is None:
            # the title line under a label that stood alone (`Điều 1.` over `1. Xử phạt…`
            # has no title: that is its first item)
            items[-1].text = text
            items[-1].blocks.append(i)
            continue
        if lab is None:
            if items:
                items[-1].continuation.append(text)
                items[-1].blocks.append(i)
            continue
        inner = _inner_label(lab)
        items.append(Item(kind=lab.kind, label=lab.label, text="" if inner else lab.rest, blocks=[i],
                          bold=bool(blocks[i].bold)))
        if inner:
            items.append(Item(kind=inner.kind, label=inner.label, text=inner.rest, blocks=[i]))
    _mend_read_romans([*before, *items], blocks)
    _mend_read_letters(items, blocks)
    return items


_OUTER_KINDS = {"phan", "chuong", "muc", "dieu", "roman", "upper_letter"}
_INNER_KINDS = {"arabic", "letter", "paren", "paren_letter"}


def _inner_label(lab: Label) -> Optional[Label]:
    """The first item of an article set on the article's own line, which then has no title:
    `Điều 2: a) Uỷ ban nhân dân thị xã … có nhiệm vụ…` (caobang-ubnd-qd-157-1999)."""
    if lab.kind not in _OUTER_KINDS:
        return None
    inner = read_label(lab.rest)
    return inner if inner is not None and inner.kind in _INNER_KINDS else None


def _mend_read_letters(items: list[Item], blocks: list[Block]) -> None:
    """OCR reads the list letter `d)` as `đ)` and `đ)` as `d)`, the two told apart by one
    stroke. On a page read by OCR, a second `d` in a row is `đ`; and `đ` right after `c` is
    `d` where the clerk counts `d` in the notice's other lists (qngai-16ct), not where `d` is
    never used (some clerks count a, b, c, đ, e: qngai-04ct)."""
    letters = [item for item in items if item.kind == "letter"]
    counts_d = any(item.label == "d" for item in letters)
    twins = {("d", "d"): "đ", **({("c", "đ"): "d"} if counts_d else {})}
    last = None
    for item in letters:
        if blocks[item.blocks[0]].confidence is not None and (last, item.label) in twins:
            item.label = twins[(last, item.label)]
        last = item.label


def _wraps_on(text: str) -> bool:
    """A sentence that stops on a word (`…Sở Lao động`): the line after it, whatever it opens
    with, is that sentence going on (a text PDF's line wrapped at a dash); a title (a few
    words) may stand over a list without a colon."""
    text = text.rstrip()
    return len(text.split()) >= WRAPPED_MIN_WORDS and (text[-1].isalnum() or text[-1] in ",-–")


WRAPPED_MIN_WORDS = 12


def _grounds() -> re.Pattern:
    return rules.pattern("header.jsonl", "grounds")


_OCR_ROMAN = re.compile(r"^(?P<label>X{0,3}(?:IX|IV|V?[IHLl|]{1,3}|V))(?P<dot>[.,:;|)]?)(?=\s)\s*(?P<rest>\S.*)$")


def _ocr_roman(text: str, last: Optional[str], count: int = 0) -> Optional[Label]:
    """A roman label as OCR leaves it on a heading in capitals: its dot lost (`II Ý KIẾN KẾT
    LUẬN`) or read as a letter (`IL KẾT QUẢ THỰC HIỆN`), I read as L, bold II and III read
    `H.`, `IH.` and `HI.`; only where the outline expects it: the first, the one after the last
    (by its label or by how many came before it, OCR having repeated one), or the last again,
    which OCR also makes of the next."""
    m = _OCR_ROMAN.match(text.strip())
    if not m:
        return None
    rest = m.group("rest").strip()
    letters = [c for c in rest if c.isalpha()]
    # `IH.`, `HI.` are no word: a roman label whatever the case of its heading
    blurred = "H" in m.group("label") and "I" in m.group("label") and m.group("dot")
    if len(letters) < 4 or not (all(c.isupper() for c in letters) or (blurred and letters[0].isupper())):
        return None
    numbers = _roman_numbers()
    before = numbers.get(last) if last else 0
    if before is None:
        return None
    read = m.group("label").replace("H", "II")
    # a trailing L is the dot read as a letter (`IL.`), or an I (`L MỤC ĐÍCH`)
    # and an H beside an I is that I run into the dot (`IH.` for `II.`)
    candidates = [read[:-1] if read[-1] in "Ll|" and len(read) > 1 else None,
                  re.sub("[Ll|]", "I", read), re.sub("[HLl|]", "I", m.group("label"))]
    for label in filter(None, candidates):
        n = numbers.get(label)
        if n is not None and n in (before, before + 1, count + 1):
            return Label("roman", label, rest)
    return None


_ROMAN_VALUES = (("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1))


def _roman(n: int) -> str:
    out = ""
    for numeral, value in _ROMAN_VALUES:
        while n >= value:
            out, n = out + numeral, n - value
    return out


@lru_cache(maxsize=1)
def _roman_numbers() -> dict[str, int]:
    return {_roman(n): n for n in range(1, 40)}


def _mend_read_romans(items: list[Item], blocks: list[Block]) -> None:
    """OCR reads `III.` as `II.` once print blurs the strokes together: on a page read by
    OCR, a roman label that repeats the one before it is the next one, unless the label after
    it is that next one already (a clerk who printed `IV.` twice, then `V.`)."""
    numbers = _roman_numbers()
    romans = [item for item in items if item.kind == "roman"]
    last = None
    for k, item in enumerate(romans):
        ocr = blocks[item.blocks[0]].confidence is not None
        following = romans[k + 1].label if k + 1 < len(romans) else None
        if (ocr and last is not None and item.label == last and last in numbers
                and following != _roman(numbers[last] + 1)):
            item.label = _roman(numbers[last] + 1)
        last = item.label


@lru_cache(maxsize=1)
def _outlines() -> tuple[dict[str, float], ...]:
    return tuple({kind: float(n) for n, kind in enumerate(family)} for family in rules.data("outline.yaml")["label_ranks"])


def _outline(items: list[Item]) -> dict[str, float]:
    """The outline a body follows: the one its first label of a kind only one outline has
    belongs to (`I.` a plan's, `Điều 1.` a legal text's); none when no label tells."""
    outlines = _outlines()
    for item in items:
        homes = [o for o in outlines if item.kind in o]
        if len(homes) == 1:
            return homes[0]
    return {}


def _outranks(ranks: dict[str, float], new: str, open_kind: str) -> bool:
    """`new` stands above `open_kind` in the body's outline (`II.` above `1.` in a plan,
    `Điều` above `1.` in a legal text); multilevel `1.1` just under `1.`; a kind the outline
    lacks (a bullet, `(1)`, a quoted draft's `Điều` in a plan) outranks nothing."""
    def rank(kind: str) -> float | None:
        if kind.startswith("multi") and "arabic" in ranks:
            return ranks["arabic"] + 0.1 * int(kind[5:] or 2)
        return ranks.get(kind)
    a, b = rank(new), rank(open_kind)
    if a is not None and open_kind in BULLET_KINDS:
        return True     # a bullet is the lowest level of any outline (`I.` after a stray `– Xã hội`)
    return a is not None and b is not None and a < b


def items_to_tree(items: list[Item]) -> list[Item]:
    """Nest items by the order their label kinds first appear (an outline), and give each
    its path. A kind already open closes everything under it; a new kind opens a level."""
    roots: list[Item] = []
    stack: list[Item] = []
    outline = _outline(items)
    for item in items:
        if item.kind == TABLE_KIND:
            # a task table's rows, nested already: under the item open where the table stands
            _adopt(stack[-1].children if stack else roots, item, stack[-1] if stack else None)
            continue
        kinds = [s.kind for s in stack]
        # a label of a higher rank closes the lower ones open above it (`II.` after `1.`, as a
        # misnumbered plan opens with `1. SỰ CẦN THIẾT` before `II. MỤC ĐÍCH`)
        outranked = next((k for k, kind in enumerate(kinds) if _outranks(outline, item.kind, kind)), None)
        if stack and _restarts(stack[-1], item):
            pass        # `1.` under a lead-in ending with `:` inside item 1: a list of its own
        elif item.kind in kinds:
            del stack[_level_of(stack, item):]
        elif outranked is not None:
            del stack[outranked:]
        elif item.kind.startswith("multi"):
            # 1.2 after 1.1.3: close the deeper multilevel items
            depth = int(item.kind[5:])
            while stack and stack[-1].kind.startswith("multi") and int(stack[-1].kind[5:]) > depth:
                stack.pop()
        parent = stack[-1] if stack else None
        item.parent = parent
        (parent.children if parent else roots).append(item)
        stack.append(item)
    _assign_paths(roots, "")
    return roots


def _adopt(siblings: list[Item], holder: Item, parent: Optional[Item]) -> None:
    """A task table's top rows become items of `parent` (the roots when None)."""
    for row in holder.children:
        row.parent = parent
        siblings.append(row)


_VI_LETTERS = "abcdđeghiklmnopqrstuvxy"        # the letters Vietnamese lists count with


def _next_label(kind: str, label: str) -> Optional[str]:
    if kind == "arabic" and label.isdigit():
        return str(int(label) + 1)
    if kind == "letter" and len(label) == 1 and label in _VI_LETTERS[:-1]:
        return _VI_LETTERS[_VI_LETTERS.index(label) + 1]
    if kind == "roman" and label in _roman_numbers():
        return _roman(_roman_numbers()[label] + 1)
    return None


_FIRST = {"arabic": "1", "letter": "a"}


def _restarts(above: Item, item: Item) -> bool:
    """A list that starts anew (`1.`, `a)`) right under an item of its own kind whose text
    ends with a colon (`1. Phạm vi điều chỉnh` / `Nghị quyết này bãi bỏ các nghị quyết:`)."""
    return above.kind == item.kind and _FIRST.get(item.kind) == item.label \
        and above.full_text.rstrip().endswith(":")


def _level_of(stack: list[Item], item: Item) -> int:
    """Which open item of the same kind a label continues: the deepest whose next label it is
    (`2.` after a nested `1.`, `2.` of its own list), else the deepest of that kind."""
    same = [k for k, s in enumerate(stack) if s.kind == item.kind]
    follows = [k for k in same if _next_label(item.kind, stack[k].label) == item.label]
    return (follows or same)[-1]


def _assign_paths(siblings: list[Item], prefix: str) -> None:
    bullets = 0
    for item in siblings:
        if item.kind in BULLET_KINDS:
            bullets += 1
            own = f"-{bullets}"
        else:
            own = item.label
        parent = item.parent
        if (parent and parent.label and item.kind.startswith("multi")
                and own.startswith(parent.label + ".") and prefix.endswith(parent.label)):
            # 2.1 under 2 takes its parent's place: III.2.1, not III.2.2.1
            item.path = prefix[: len(prefix) - len(parent.label)] + own
        else:
            item.path = f"{prefix}.{own}" if prefix else own
        _assign_paths(item.children, item.path)


def walk(roots: list[Item]):
    for item in roots:
        yield item
        yield from walk(item.children)


def is_heading(item: Item) -> bool:
    """A title, not a sentence: names a topic or a unit, short, no full stop; often ends
    with `:` or is bold or in capitals. Only an item with items under it can be one."""
    if not item.children:
        return False
    text = item.text.strip()
    words = len(text.split())
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return True
    if text.endswith((".", ";")) and not text.endswith("./."):
        return False
    if text.endswith(":") and _enumeration_end().search(text):
        return False        # `…, gồm:` — a sentence announcing its list (rules/outline.yaml)
    if text.endswith(":"):
        # `…tạm hoãn hợp đồng: đã phê duyệt 3.214 người, trong đó:` says something before its
        # last colon: a sentence with its list, not a title
        # a lead-in whose whole content is the items under it (`Điều 2. Công ty … chịu trách
        # nhiệm thực hiện … những yêu cầu bắt buộc như sau:`) is a section however long
        return ":" not in text[:-1] and (words <= 30 or (words <= LEAD_IN_WORDS and not item.continuation))
    return words <= 25 or item.bold


@lru_cache(maxsize=1)
def _enumeration_end() -> re.Pattern:
    words = "|".join(re.escape(w) for w in sorted(rules.data("outline.yaml")["enumeration_ends"], key=len, reverse=True))
    return re.compile(rf"[,;]\s*(?:{words})\s*:$", re.I)


LEAD_IN_WORDS = 45                 # longer than this, a sentence with a list after its colon

_END_MARK = re.compile(r"\./\.\s*$")


def closing_start(blocks: list[Block], indexes: list[int]) -> int:
    """Position in `indexes` where the closing formula begins (after the last labelled
    item), so it is not read as the last task's continuation."""
    closing = rules.pattern("header.jsonl", "closing")
    # the decree's end mark `./.` closes the text: what follows it (`(Xin gửi kèm theo:` and
    # its dashes) is no item
    ended = next((n + 1 for n, i in enumerate(indexes) if _END_MARK.search(blocks[i].text)), len(indexes))
    indexes = indexes[:ended]
    last_label = -1
    for n, i in enumerate(indexes):
        if read_label(blocks[i].text):
            last_label = n
    for n in range(last_label + 1, len(indexes)):
        if closing.search(blocks[indexes[n]].text.strip()):
            return n
    # a closing formula on the last item itself ends the body there
    return len(indexes)
