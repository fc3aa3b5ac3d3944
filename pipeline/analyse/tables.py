"""Task tables: a plan that assigns its tasks in a table (TT | Nội dung công việc | Cơ quan chủ
trì | Cơ quan phối hợp | Thời gian hoàn thành) → items of the body tree where the table stands
(../shared/eval/README.md, *Task tables*).

    column_roles(table)            -> Roles | None   the header row's columns, by rules/table_columns.jsonl
    body_items(blocks, idx, tables) -> [Item]        the body's items, a task table's rows among them

A table's rows are nested here, not by `items_to_tree`: rows are peers on the page, so a row
with no number is a bullet of its group, not of the numbered row above it. The rows come back
under one placeholder item (kind `table`) that `items_to_tree` puts under the item open where
the table stands; the paths are then given as for any item. Other tables (a list of names, a
budget) are no items; their cells stay in the text, so their dates and persons count.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from pipeline import rules
from pipeline.analyse.body import TABLE_KIND, Item, paragraphs_to_items
from pipeline.analyse.organisations import canonical_head
from pipeline.model import Block, DocTable, TableCell

RULES = "table_columns.jsonl"
# the columns a table needs to assign tasks: what to do, and who or by when
_NEEDS = ("lead", "unit", "time")
_HEADER_ROWS = 3                        # a header is one row, or two under merged cells
_COLUMN_NUMBERS = re.compile(r"^\(?\d{1,2}\)?$")    # a row `(1) | (2) | (3)` under the header
_GROUP_KINDS = ("roman", "upper_letter")


@dataclass
class Roles:
    header_rows: int                    # rows the header takes, column numbers included
    by_col: dict[int, str]              # grid column → role (number, content, lead, unit, …)

    def col(self, *roles: str) -> Optional[int]:
        """The first column with the first of `roles` the table has."""
        for role in roles:
            for col, r in sorted(self.by_col.items()):
                if r == role:
                    return col
        return None

    @property
    def is_tasks(self) -> bool:
        return "content" in self.by_col.values() and any(r in self.by_col.values() for r in _NEEDS)


def _role(text: str) -> Optional[str]:
    text = " ".join(text.split()).rstrip(":")
    for rule in rules.pattern_rules(RULES):
        if rules.pattern(RULES, rule.id).search(text):
            return rule.kind
    return None


def _row(table: DocTable, r: int) -> list[TableCell]:
    return sorted((c for c in table.cells if c.row == r), key=lambda c: c.col)


def column_roles(table: DocTable) -> Optional[Roles]:
    """The roles of the table's columns by its header row(s); a sub-header row under merged
    cells (`Cơ quan thực hiện` over `Chủ trì | Phối hợp`) names the columns it stands over.
    None when no header cell names a role."""
    by_col: dict[int, str] = {}
    rows = 0
    for r in range(min(_HEADER_ROWS, table.n_rows)):
        cells = [c for c in _row(table, r) if c.text.strip()]
        if cells and all(_COLUMN_NUMBERS.match(c.text.strip()) for c in cells) and len(cells) >= 3:
            rows = r + 1
            continue
        named = [(c, _role(c.text)) for c in cells]
        if not any(role for _, role in named):
            break
        for c, role in named:
            for col in range(c.col, c.col + c.col_span):
                if role or col not in by_col:
                    by_col[col] = role or by_col.get(col, "")
        rows = r + 1
    by_col = {c: r for c, r in by_col.items() if r}
    return Roles(rows, by_col) if by_col else None


def table_kind(table: DocTable) -> str:
    roles = column_roles(table)
    return "tasks" if roles and roles.is_tasks else "other"


# --- rows → items --------------------------------------------------------------------------

_ROW_LABELS = (("roman", re.compile(r"^[IVXLC]+$")), ("upper_letter", re.compile(r"^[A-ZĐ]$")),
               ("arabic", re.compile(r"^\d{1,3}$")), ("multi", re.compile(r"^\d{1,3}(?:\.\d{1,3})+$")),
               ("letter", re.compile(r"^[a-zđ]$")), ("paren", re.compile(r"^\(\d{1,3}\)$")))


def _row_label(text: str) -> tuple[str, str]:
    """The TT cell → (label kind, label as the spec writes it); an empty cell is a bullet."""
    label = " ".join(text.split()).rstrip(".)") if not text.strip().startswith("(") else text.strip()
    if not label:
        return "dash", ""
    for kind, pat in _ROW_LABELS:
        if pat.match(label):
            return (f"multi{label.count('.') + 1}" if kind == "multi" else kind), label
    return "arabic", label


def _cell_text(table: DocTable, row: int, col: Optional[int]) -> str:
    cell = table.cell_at(row, col) if col is not None else None
    return cell.text.strip() if cell else ""


def table_items(table: DocTable, roles: Roles, cell_blocks: dict, blocks: list[Block]) -> Item:
    """The rows of a task table as a placeholder item whose children are its top rows."""
    number, content = roles.col("number"), roles.col("content")
    lead, time = roles.col("lead", "unit"), roles.col("time")
    header = {c.col: c.text for c in _row(table, 0)}
    holder = Item(kind=TABLE_KIND, label="", text="", blocks=[])
    group: Optional[Item] = None
    numbered: Optional[Item] = None
    for r in range(roles.header_rows, table.n_rows):
        lines = _cell_text(table, r, content).split("\n")
        cell = table.cell_at(r, content)
        if not lines[0] or cell.row != r or lines[0] == header.get(content):
            continue    # an empty row, one a merged content cell continues, a repeated header
        kind, label = _row_label(_cell_text(table, r, number) if number is not None and
                                 table.cell_at(r, number).row == r else "")
        own = cell_blocks.get((r, content)) or cell_blocks.get((r, number)) or []
        item = Item(kind=kind, label=label, text=lines[0], continuation=lines[1:], blocks=list(own),
                    bold=bool(own and blocks[own[0]].bold))
        item.unit = _unit(_cell_text(table, r, lead)) if lead is not None else None
        item.when = _cell_text(table, r, time) if time is not None else None
        spans_roles = cell.col_span > 1 and not item.unit and not item.when
        if kind in _GROUP_KINDS or spans_roles:
            item.forced_section = True
            parent, group, numbered = holder, item, None
        elif kind in ("arabic", "dash") or numbered is None:
            parent = group or holder
            numbered = item if kind == "arabic" else numbered
        else:
            parent = numbered
        item.parent = parent if parent is not holder else None
        parent.children.append(item)
    holder.blocks = sorted(i for v in cell_blocks.values() for i in v)
    return holder


def _unit(text: str) -> Optional[str]:
    text = " ".join(text.split()).strip(" ;,.")
    return canonical_head(text) if text else None


# --- the body, tables among its paragraphs -------------------------------------------------

def body_items(blocks: list[Block], indexes: list[int], tables: dict[int, DocTable]) -> list[Item]:
    """Body paragraphs → items (body.paragraphs_to_items) with each task table's rows in the
    place the table stands, and the cells of any other table of rows and columns left out of
    the items (they are neither items nor an item's continuation)."""
    out: list[Item] = []
    plain: list[int] = []
    k = 0
    while k < len(indexes):
        t = blocks[indexes[k]].table
        table = tables.get(t) if t is not None else None
        if table is None or (table.n_rows < 2 or table.n_cols < 2):
            plain.append(indexes[k])
            k += 1
            continue
        end = k
        while end < len(indexes) and blocks[indexes[end]].table == t:
            end += 1
        out += paragraphs_to_items(blocks, plain, out)
        plain = []
        roles = column_roles(table)
        if roles and roles.is_tasks:
            cell_blocks: dict = {}
            for i in indexes[k:end]:
                cell_blocks.setdefault(blocks[i].cell, []).append(i)
            out.append(table_items(table, roles, cell_blocks, blocks))
        k = end
    return out + paragraphs_to_items(blocks, plain, out)
