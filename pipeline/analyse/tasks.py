"""Tasks: each body item that is not a heading, with the unit it is assigned to, its
deadline, the role words an analyst filters on, and the documents it cites."""
from __future__ import annotations

import re
from typing import Optional

from pipeline import rules
from pipeline.analyse.body import Item
from pipeline.analyse.dates import parse_deadline
from pipeline.analyse.organisations import canonical_head, unit_at_start
from pipeline.model import Block, Citation, Span, Task


def heading_unit(heading: str) -> Optional[str]:
    """A section heading that names a unit (`Phòng Quản lý Khoa học:`, `Sở Nội vụ`)."""
    text = canonical_head(heading.strip().rstrip(":").strip())
    heads = tuple(w.upper() + " " for w in rules.words("org_heads.txt"))
    if text.upper().startswith(heads) and len(text.split()) <= 16 and not text.endswith("."):
        return text
    return None


def item_unit(item: Item) -> Optional[str]:
    node = item.parent
    while node is not None:
        if node.is_section:
            unit = heading_unit(node.text)
            if unit:
                return unit
        node = node.parent
    return unit_at_start(item.full_text)


def _roles(text: str) -> tuple[list[str], Optional[str]]:
    low = text.lower()
    roles, urgency = [], None
    for row in rules.table("task_roles.tsv"):
        word = row.get("word") or next(iter(row.values()))
        kind = row.get("kind") or row.get("type") or "role"
        if re.search(rf"(?<!\w){re.escape(word.lower())}(?!\w)", low):
            if kind == "urgency":
                urgency = urgency or word
            elif word not in roles:
                roles.append(word)
    return roles, urgency


def item_to_task(item: Item, blocks: list[Block], citations: list[Citation]) -> Task:
    text = item.full_text
    deadline, deadline_text, period = parse_deadline(text)
    roles, urgency = _roles(text)
    first, last = blocks[item.blocks[0]], blocks[item.blocks[-1]]
    span = Span(start=first.start, end=last.end, block=item.blocks[0], page=first.page)
    cited = [c.ref for c in citations if c.span and span.start <= c.span.start < span.end]
    return Task(path=item.path, label=item.label or "-", text=text, unit=item_unit(item),
                deadline=deadline, deadline_text=deadline_text, period=period, roles=roles,
                urgency=urgency, citations=cited, level=item.path.count(".") + 1, span=span)
