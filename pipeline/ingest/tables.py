"""Tables of a word-processed or plain-text notice → `DocTable` grids.

The readers hand `columns.Table`s (cells of paragraphs, with Word's merges) to
`columns.assign_regions`, which decides what is header, body and footer; the tables whose
cells landed in the body (or in a document issued with the notice) are the document's tables.
The borderless tables a clerk builds the header and the signature with are layout, not data.

A plain-text copy writes a table as lines of cells between pipes (`| TT | Nội dung | … |`, a
`|---|` rule under the header row skipped); a cell holding only `<` is merged into the one on
its left, only `^` into the one above, as Word's gridSpan and vMerge would draw them.
"""
from __future__ import annotations

import re
from typing import Optional

from pipeline.ingest.columns import Para, Table
from pipeline.model import Block, DocTable, Region, TableCell

_DATA_REGIONS = (Region.BODY, Region.ATTACHMENT)


def body_tables(items: list, blocks: list[Block]) -> list[DocTable]:
    """The tables among `items` whose cells gave body or attachment blocks, as grids."""
    used = {b.table for b in blocks if b.table is not None and b.region in _DATA_REGIONS}
    return [to_doc_table(it) for it in items if isinstance(it, Table) and it.number in used]


def to_doc_table(t: Table) -> DocTable:
    """A reader's table (cells of paragraphs, merges aside) as a grid of cells with spans."""
    cells = []
    for r, c, paras in t.cells:
        if (r, c) in t.continued:
            continue
        rs, cs = t.spans.get((r, c), (1, 1))
        text = "\n".join(_para_text(p) for p in paras if _para_text(p))
        cells.append(TableCell(row=r, col=c, row_span=rs, col_span=cs, text=text))
    n_rows = max((c.row + c.row_span for c in cells), default=0)
    n_cols = max((c.col + c.col_span for c in cells), default=0)
    return DocTable(number=t.number, n_rows=n_rows, n_cols=n_cols, paragraph=t.index, cells=cells)


def _para_text(p: Para) -> str:
    text = " ".join(p.text.split())
    return f"{p.label} {text}".strip() if p.label else text


# --- plain-text tables ---------------------------------------------------------------------

_RULE = re.compile(r"^\|?[\s:|\-+=]+\|?$")


def is_pipe_line(line: str) -> bool:
    s = line.strip()
    return len(s) > 2 and s.startswith("|") and s.endswith("|")


def pipe_table(lines: list[tuple[int, str]], number: int) -> Optional[Table]:
    """Consecutive `| … |` lines (with their line numbers) → a Table; None for a lone rule."""
    rows = [[c.strip() for c in line.strip()[1:-1].split("|")] for _, line in lines
            if not _RULE.match(line.strip())]
    if not rows:
        return None
    index = lines[0][0]
    t = Table(index=index, number=number, cells=[])
    origin: dict[int, tuple[int, int]] = {}           # column → the cell above it (for `^`)
    for r, row in enumerate(rows):
        left: Optional[tuple[int, int]] = None
        for c, text in enumerate(row):
            if text == "<" and left is not None:
                rs, cs = t.spans.get(left, (1, 1))
                t.spans[left] = (rs, cs + 1)
                continue
            if text == "^" and c in origin:
                top = origin[c]
                rs, cs = t.spans.get(top, (1, 1))
                t.spans[top] = (rs + 1, cs) if top[0] + rs == r else (rs, cs)
                t.continued.add((r, c))
                t.cells.append((r, c, []))
                left = None
                continue
            text = " ".join(text.split())
            paras = [Para(text=text, index=index, table=number, cell=(r, c))] if text else []
            t.cells.append((r, c, paras))
            origin[c] = left = (r, c)
    return t
