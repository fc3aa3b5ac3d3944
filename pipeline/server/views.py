"""What the page shows of a stored notice: the body as a tree of sections and tasks, and the
text cut into segments, each marked with the extracted items whose provenance span
(`span_start`, `span_end`) covers it."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Optional

# kind of item → (Vietnamese name, table)
KINDS = {
    "section": "Đề mục",
    "task": "Nhiệm vụ",
    "citation": "Văn bản được dẫn chiếu",
    "date": "Ngày tháng",
    "person": "Người",
    "recipient": "Nơi nhận",
}
TABLE_OF_KIND = {"section": "sections", "task": "tasks", "citation": "citations", "date": "dates",
                 "person": "persons", "recipient": "recipients"}

STATUS_VI = {"imported": "Đã nhập", "already stored": "Đã có trong kho", "failed": "Lỗi",
             "skipped": "Bỏ qua: không phải văn bản"}
PATH_KIND_VI = {"imported": "nhập từ", "moved-to": "chuyển đến", "uploaded-as": "tải lên với tên",
                "stored-at": "lưu tại"}
# what a file is to its notice (documents.role, pipeline.store.notices.ROLES)
ROLE_VI = {"draft": "Bản Word (dự thảo)", "published": "Bản PDF công bố", "signed scan": "Bản quét có chữ ký",
           "text": "Bản văn bản thuần", "other": "Tệp khác"}
_PATH_LIKE = re.compile(r"[/\\]|\.[A-Za-z0-9]{2,5}$")


def vn_date(value) -> str:
    """2021-04-02 → 02/04/2021."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


@dataclass
class Node:
    kind: str                     # section or task
    row: dict[str, Any]
    item_id: str                  # s3, t12: ties a tree node to its marks in the text
    children: list["Node"] = field(default_factory=list)


def body_tree(sections: list[dict], tasks: list[dict]) -> list[Node]:
    """Sections and tasks in reading order, each under the nearest item whose path is a
    prefix of its own (`II` ⊃ `II.1` ⊃ `II.1.(3)`)."""
    items = [Node("section", s, f"s{s['ordinal']}") for s in sections] + \
            [Node("task", t, f"t{t['ordinal']}") for t in tasks]
    items.sort(key=lambda n: (n.row.get("span_start") if n.row.get("span_start") is not None else 1 << 30,
                              0 if n.kind == "section" else 1, n.row.get("ordinal", 0)))
    roots: list[Node] = []
    stack: list[Node] = []
    for node in items:
        path = node.row.get("path") or ""
        while stack and not path.startswith((stack[-1].row.get("path") or "\0") + "."):
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


@dataclass
class Segment:
    text: str
    items: list[str]              # item ids covering it: t3, c1, d0…
    kinds: list[str]              # their kinds, innermost last
    titles: list[str]


def text_segments(text: str, doc: dict[str, Any]) -> list[Segment]:
    """Cut `text` at every span boundary; each piece knows which items cover it."""
    spans = []
    prefix = {"section": "s", "task": "t", "citation": "c", "date": "d", "person": "p", "recipient": "r"}
    for kind, table in TABLE_OF_KIND.items():
        for row in doc.get(table, []):
            s, e = row.get("span_start"), row.get("span_end")
            if s is None or e is None or not (0 <= s < e <= len(text)):
                continue
            spans.append((s, e, kind, f"{prefix[kind]}{row['ordinal']}", _title(kind, row)))
    cuts = sorted({0, len(text)} | {s for s, *_ in spans} | {e for _, e, *_ in spans})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [sp for sp in spans if sp[0] <= a and b <= sp[1]]
        covering.sort(key=lambda sp: -(sp[1] - sp[0]))        # outermost first
        out.append(Segment(text[a:b], [sp[3] for sp in covering], [sp[2] for sp in covering],
                           [sp[4] for sp in covering]))
    return out


def _title(kind: str, row: dict) -> str:
    name = KINDS[kind]
    if kind in ("section", "task"):
        extra = row.get("path") or ""
        if kind == "task" and row.get("unit"):
            extra += f" · {row['unit']}"
        if kind == "task" and row.get("deadline"):
            extra += f" · hạn {vn_date(row['deadline'])}"
        return f"{name} {extra}".strip()
    if kind == "citation":
        return f"{name}: {row.get('ref') or ''}"
    if kind == "date":
        return f"{name}: {vn_date(row.get('value'))}"
    if kind == "person":
        return f"{name}: {row.get('name') or ''}"
    return name


def unit_summary(tasks: list[dict]) -> list[dict[str, Any]]:
    """Tasks per unit, with the nearest deadline: the table a clerk reads first."""
    units: dict[str, dict[str, Any]] = {}
    for t in tasks:
        key = t.get("unit") or ""
        u = units.setdefault(key, {"unit": key, "count": 0, "next_deadline": None})
        u["count"] += 1
        d = t.get("deadline")
        if d is not None and (u["next_deadline"] is None or d < u["next_deadline"]):
            u["next_deadline"] = d
    return sorted(units.values(), key=lambda u: (u["unit"] == "", -u["count"], u["unit"]))


def _get(obj, key):
    return obj.get(key) if isinstance(obj, dict) else getattr(obj, key, None)


def number_symbol(header) -> str:
    """`12/TB-SKHCN`, or `…/TB-SKHCN` when the number is blank; a dict or an object."""
    if header is None:
        return ""
    number, symbol = _get(header, "number"), _get(header, "symbol")
    if number and symbol:
        return f"{number}/{symbol}"
    if symbol:
        return f"…/{symbol}"
    return number or ""


def signer_line(header: dict[str, Any]) -> Optional[str]:
    parts = [header.get("sign_authority"), header.get("signed_for")]
    line = " ".join(p for p in parts if p)
    return line or None


def looks_like_path(q: str) -> bool:
    """A search box entry that names a file (`a/b.docx`, `x.pdf`) rather than words."""
    q = q.strip()
    return bool(q) and " " not in q.strip() and bool(_PATH_LIKE.search(q))
