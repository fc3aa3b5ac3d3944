"""Tasks: each body item that is not a heading, with the unit it is assigned to, its
deadline, the role words an analyst filters on, and the documents it cites."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from pipeline import rules
from pipeline.analyse.body import LEAD_IN_WORDS, Item
from pipeline.analyse.dates import cell_deadline, parse_deadline
from pipeline.analyse.organisations import canonical_head, unit_at_start
from pipeline.analyse.subjects import framed_unit, opens_collective, post_titles, predicates, subject_unit
from pipeline.analyse.text import phrase_alternation
from pipeline.model import Block, Citation, Span, Task


@lru_cache(maxsize=1024)
def heading_unit(heading: str) -> Optional[str]:
    """A section heading that names a unit: `Phòng Quản lý Khoa học:`, `Sở Nội vụ`, `Các
    doanh nghiệp` (all of it); `Sở Công Thương có trách nhiệm:`, `Giao Sở Tài chính:`, `Công
    ty TNHH MTV Lại Linh chịu trách nhiệm thực hiện … như sau:` (the subject, not the
    predicate)."""
    text = canonical_head(heading.strip().rstrip(":").strip())
    if text.endswith("."):
        return None
    posts = posts_named(text)
    if posts:
        return posts
    subject = subject_unit(text)
    if subject:
        return subject
    if len(text.split()) > 16:
        return None             # a long lead-in names a unit only as its subject
    heads = tuple(w.upper() + " " for w in rules.words("org_heads.txt"))
    if text.upper().startswith(heads) or opens_collective(text):
        return text
    return unit_at_start(text) or sentence_unit(text)     # an opener first: `Giao Sở Tài chính`


@lru_cache(maxsize=1)
def _posts() -> re.Pattern:
    """A heading that opens with the post of a unit's head (`Thủ trưởng các sở, ban ngành`,
    `Giám đốc Công an tỉnh`, `Chủ tịch UBND các huyện`), after an opener (`Đề nghị`)."""
    return re.compile(rf"^(?:(?:Đề\s+nghị|Yêu\s+cầu|Giao)\s+)?(?=(?:{post_titles()})\s+\S)")


_CLAUSE = re.compile(r"[,;]")
_DEMANDS = re.compile(r"\s(?:yêu\s+cầu|đề\s+nghị|chỉ\s+thị|giao|quyết\s+định)\s*$")


def posts_named(heading: str) -> Optional[str]:
    """The unit a chỉ thị's heading assigns by its head's post (NĐ 30/2020: a chỉ thị names
    who must act: `1. Thủ trưởng các sở, ban ngành tỉnh, Chủ tịch UBND cấp huyện:`): the posts
    and bodies as written, without the opener and a predicate that ends the heading (`… Cục
    trưởng Cục Thi hành án dân sự tỉnh tổ chức thực hiện` → up to `tỉnh`)."""
    m = _posts().match(heading)
    if not m:
        return None
    names = heading[m.end():]
    if _DEMANDS.search(names):
        return None             # `Chủ tịch UBND tỉnh yêu cầu:` demands; the items name who acts
    at = 0
    for clause in _CLAUSE.split(names):
        # a predicate inside a clause, after a name (lower case: `Quản lý` opens a name)
        w = _predicate_anywhere().search(clause)
        if w:
            names = names[:at + w.start()]
            break
        at += len(clause) + 1
    return " ".join(names.split()).rstrip(" ,;") or None


@lru_cache(maxsize=1)
def _predicate_anywhere() -> re.Pattern:
    return re.compile(r"(?<=\s)(?:" + predicates() + r")(?!\w)")


def names_its_units(item: Item) -> bool:
    """A lead-in that names who acts and lists what they are to do under it, its colon lost or
    never printed (`2. Đề nghị Giám đốc Công an tỉnh, Viện trưởng Viện kiểm sát nhân dân tỉnh,
    Chánh án Tòa án nhân dân tỉnh, Cục trưởng Cục Thi hành án dân sự tỉnh tổ chức thực hiện`
    over its dashes, qngai-04ct): a section, as README *Items* reads one; however long when its
    colon says its content is the items under it (`1. Yêu cầu Thủ trưởng các cơ quan, đơn vị …
    (75 words) …; trong đó lưu ý:`, qngai-vht534)."""
    text = item.text.strip()
    if not item.children or item.continuation or text.endswith((".", ";")):
        return False
    if len(text.split()) > LEAD_IN_WORDS and not text.endswith(":"):
        return False
    return heading_unit(text) is not None


def item_unit(item: Item) -> Optional[str]:
    node = item.parent
    while node is not None:
        if node.is_section:
            unit = heading_unit(node.text)
            if unit:
                return unit
        node = node.parent
    return sentence_unit(item.full_text)


_PLURAL = re.compile(r"^\s*(?:Các|Những)\s+(?=\w)")


def sentence_unit(text: str) -> Optional[str]:
    """The unit a task sentence opens with, also in the plural (`Các Viện Vệ sinh dịch tễ,
    Viện Pasteur hỗ trợ…` → `Các Viện Vệ sinh dịch tễ, Viện Pasteur`); all the subject before
    its predicate when it names several (`Các sở, ban ngành và đơn vị liên quan trên địa bàn
    tỉnh có trách nhiệm…`); after a frame (`Căn cứ …; giao Sở Nông nghiệp … rà soát`)."""
    return subject_unit(text) or _named_unit(text) or framed_unit(text)


def _named_unit(text: str) -> Optional[str]:
    unit = unit_at_start(text)
    if unit is None:
        m = _PLURAL.match(text)
        if m:
            inner = unit_at_start(text[m.end():])
            if inner and inner[:1].isupper():
                unit = text[:m.end()] + inner
    # several units as the subject: `Các Viện Vệ sinh dịch tễ, Viện Pasteur hỗ trợ…`
    while unit and text.startswith(unit):
        m = _AND_UNIT.match(text, len(unit))
        more = unit_at_start(text[m.end():]) if m else None
        if not more:
            break
        unit = text[:m.end()] + more
    return unit


_AND_UNIT = re.compile(r"\s*(?:,|\bvà)\s+(?=[A-ZĐỦ])")


@lru_cache(maxsize=1)
def _role_words() -> tuple[re.Pattern, dict[str, tuple[str, str]], dict[str, list[str]]]:
    """One pattern for every role and urgency word of rules/task_roles.tsv, longest first;
    and for each word, the shorter ones inside it."""
    kinds: dict[str, tuple[str, str]] = {}
    for row in rules.table("task_roles.tsv"):
        word = row.get("word") or next(iter(row.values()))
        kind = row.get("kind") or row.get("type") or "role"
        if kind in ("role", "urgency"):
            kinds.setdefault(word.lower(), (word, kind))
    alt = "|".join(re.escape(w) for w in sorted(kinds, key=len, reverse=True))
    inside = {f: [w for w in kinds if w != f and w in f] for f in kinds}
    return re.compile(rf"(?<!\w)(?:{alt})(?!\w)"), kinds, inside


def _roles(text: str) -> tuple[list[str], Optional[str]]:
    """Role words in the order of rules/task_roles.tsv; the first urgency word found."""
    pat, kinds, inside = _role_words()
    low = text.lower()
    found = {m.group(0) for m in pat.finditer(low)}
    # a shorter word inside a longer one found (`trách nhiệm` in `chịu trách nhiệm`) counts too
    found |= {w for f in found for w in inside[f] if w not in found
              and re.search(rf"(?<!\w){re.escape(w)}(?!\w)", low)}
    roles, urgency = [], None
    for key, (word, kind) in kinds.items():
        if key in found:
            if kind == "urgency":
                urgency = urgency or word
            elif word not in roles:
                roles.append(word)
    return roles, urgency


def item_to_task(item: Item, blocks: list[Block], citations: list[Citation]) -> Task:
    text = item.full_text
    # a task table's row says its deadline in its time cell, its unit in its lead unit's cell
    deadline, deadline_text, period = cell_deadline(item.when) if item.when else parse_deadline(text)
    roles, urgency = _roles(text)
    first, last = blocks[item.blocks[0]], blocks[item.blocks[-1]]
    span = Span(start=first.start, end=last.end, block=item.blocks[0], page=first.page)
    cited = [c.ref for c in citations if c.span and span.start <= c.span.start < span.end]
    return Task(path=item.path, label=item.label or "-", text=text, unit=item.unit or item_unit(item),
                deadline=deadline, deadline_text=deadline_text, period=period, roles=roles,
                urgency=urgency, citations=cited, level=item.path.count(".") + 1, span=span)
