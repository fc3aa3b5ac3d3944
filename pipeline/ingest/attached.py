"""What follows a Word or text notice's footer: a document issued with it, or a dossier.

The page readers tell a file's parts by its pages (parts.py); a Word file or a text file has
paragraphs and tables instead. The same reading holds: after the notice's footer (`Nơi nhận`
or a signature), an item that opens another document (a header table or a line with the
Quốc hiệu, a `PHỤ LỤC`, a kind of document whose title says `kèm theo`) starts it; it was
issued with the notice when its title block says so (`(Ban hành kèm theo Quyết định số …)`),
else it is a dossier the archive filed with it.
"""
from __future__ import annotations

import re
from typing import Optional

from pipeline.ingest.parts import says_issued_with
from pipeline.vietnamese import strip_marks

TITLE_ITEMS = 8                  # a title block: the kind, the trích yếu, `(Kèm theo …)`
_ANNEX = re.compile(r"^\s*phu\s+luc\b")


def later_document(items: list, content: list[int], is_footer, opens_header, is_kind) -> Optional[int]:
    """Index of the item where a document after the notice's footer begins, or None.

    `is_footer(item)`, `opens_header(item)` and `is_kind(text)` are the caller's tests of a
    footer (a table or line with `Nơi nhận` or a signature), of a header (a header table, a
    Quốc hiệu) and of a kind-of-document line."""
    footer = next((n for n, i in enumerate(content) if is_footer(items[i])), None)
    if footer is None:
        return None
    for n in range(footer + 1, len(content)):
        it = items[content[n]]
        text = it.all_text().strip()
        first = text.split("\n")[0] if text else ""
        title = [items[i].all_text() for i in content[n:n + TITLE_ITEMS]]
        if opens_header(it) or _ANNEX.match(strip_marks(first).lower()) \
                or (is_kind(first) and any(says_issued_with(t) for t in title)):
            return content[n]
    return None


def issued_with(items: list, content: list[int], start: int) -> bool:
    """The document starting at `start` says in its title block that it was issued with the
    notice (an attachment), rather than being one the archive filed with it (a dossier)."""
    after = [i for i in content if i >= start][:TITLE_ITEMS + 4]
    return any(says_issued_with(items[i].all_text()) for i in after) or \
        any(_ANNEX.match(strip_marks(items[i].all_text().strip()).lower()) for i in after)


def title_end(items: list, content: list[int], start: int, is_label) -> int:
    """Where the attachment's title block ends: after its `kèm theo` line, or at its first
    labelled paragraph."""
    after = [i for i in content if i >= start]
    for i in after[:TITLE_ITEMS + 4]:
        if says_issued_with(items[i].all_text()):
            return i + 1
    return next((i for i in after if is_label(items[i].all_text().strip())), start)
