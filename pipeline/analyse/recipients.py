"""Recipients: the lines of `Nơi nhận` (footer-left) and of `Kính gửi` (a công văn's
addressees, in the body), each without its bullet and trailing `;`."""
from __future__ import annotations

import re

from pipeline import rules
from pipeline.model import Block, Recipient, Span

# a bullet as typed, or as OCR read it: any run of signs before the first letter, spacing
# marks included (`ˆ Tổng cục THADS;` for `- Tổng cục THADS;`: U+02C6 counts as a letter to
# `\w`); a note in brackets or quotes opens no item
_BULLET = re.compile(r"^\s*(?:[-–—+•·●▪\u02b0-\u02ff]|[^\w\s(\[\"“'‘])+\s*")
# two lines of the list that OCR ran into one (`- Ban Dân tộc - Tôn giáo tỉnh; - VPUB: CVP,
# PCVP`): a bullet after a `;` inside a line opens the next recipient
_JOINED = re.compile(r";\s+[-–+•]\s+(?=[^\W\d_])")
# signs after a line's last word, apart from it, that no recipient ends with: the seal's or
# the signature's strokes read as `|`, `-*“”` (`Lưu VT-NĐ | -*“”`, a 1999 typewritten scan)
_INK_TAIL = re.compile(r"(?:\s+(?=[^\w\s]*[^\w\s)\]\"”'’][^\w\s]*(?:\s|$))[^\w\s]{1,6})+$")
NEAR_LINES = 1.6                  # a wrap stands at most this many line heights under its line

# What a line of the list is to the recipient above it, by its features; the first row whose
# features all hold decides. Actions: `new` recipient, `join` (a wrap: `;` of the line above
# dropped), `member` (join keeping the `;` between members), `drop` (not the list's).
_ROWS = (
    ({"bullet": True}, "new"),                                   # - Như trên;
    ({"first": True}, "new"),                                    # Kính gửi's first line, bullet lost
    ({"near": False, "closed": True, "capital": True}, "new"),   # the list goes on overleaf
    ({"near": False}, "drop"),     # a speck or a clerk's note on the next page (`m`, `Quyết định đã giao…`)
    ({"members": True, "capital": True}, "member"),              # Các Công ty: A; / B; / C;
    ({"closed": True, "capital": True}, "new"),                  # `Báo Quảng Ngãi;` after `…Tỉnh uỷ;`
    ({}, "join"),                                                # (báo cáo); thủ tục hành chính…
)


def _decide(features: dict[str, bool]) -> str:
    return next(action for row, action in _ROWS if all(features[k] == v for k, v in row.items()))


def _near(blocks: list[Block], above: list[int], i: int) -> bool:
    """Line i stands on the page of the line above it, directly under it (no geometry: near)."""
    if not above:
        return True
    a, b = blocks[above[-1]], blocks[i]
    if a.bbox is None or b.bbox is None or a.page is None:
        return True
    height = max(1.0, a.bbox.y1 - a.bbox.y0, b.bbox.y1 - b.bbox.y0)
    return a.page == b.page and b.bbox.y0 - a.bbox.y1 <= NEAR_LINES * height


def _member_list(items: list[tuple[str, list[int]]]) -> bool:
    """The recipient above heads a list of members, one a line (`Các Công ty: CP Môi trường…;`
    / `CP Xây dựng…;`): its first line matches rules/header.jsonl `recipients_member_list`."""
    if not items:
        return False
    first = items[-1][0].split(";")[0].strip() + ";"
    return bool(rules.pattern("header.jsonl", "recipients_member_list").match(first))


def lines_to_recipients(blocks: list[Block], indexes: list[int], kind: str, first_ordinal: int = 1,
                        inline: str = "") -> list[Recipient]:
    """A bulleted line starts a recipient; an unbulleted one continues the one above
    (a wrapped `VPUB: CVP, PCVP…` or a `(để đưa tin)` set on the next line) or, after one its
    `;` closed, starts the next with its bullet lost (see `_ROWS`)."""
    items: list[tuple[str, list[int]]] = []
    # `Kính gửi: Các sở, ban, ngành; UBND các huyện.`: on one line, `;` ends each addressee
    # as it ends each line of a list
    for part in inline.split(";"):
        if part.strip(" .;,"):
            items.append((part.strip(), []))
    for i in indexes:
        for n, part in enumerate(_JOINED.split(blocks[i].text.strip())):
            text = part if n == 0 else "- " + part
            if text.strip():
                _take(items, blocks, i, text.strip())
    out = []
    for text, idx in items:
        text = _INK_TAIL.sub("", re.sub(r"\s+", " ", text).strip()).rstrip(";,.`'~^_ ").strip()
        if not text:
            continue
        span = Span(start=blocks[idx[0]].start, end=blocks[idx[-1]].end, block=idx[0],
                    page=blocks[idx[0]].page) if idx else None
        out.append(Recipient(ordinal=first_ordinal + len(out), text=text, kind=kind, span=span))
    return out


def _take(items: list[tuple[str, list[int]]], blocks: list[Block], i: int, text: str) -> None:
    bullet = _BULLET.match(text)
    line = _BULLET.sub("", text) if bullet else text
    prev, idx = items[-1] if items else ("", [])
    prev = prev.rstrip()
    action = _decide({
        "bullet": bool(bullet) and bool(line), "first": not items, "near": _near(blocks, idx, i),
        "closed": prev.endswith(";"), "members": _member_list(items),
        "capital": line[:1].isupper()})
    if action == "new":
        items.append((line, [i]))
    elif action == "member":
        items[-1] = (prev + " " + line, idx + [i])
    elif action == "join":
        items[-1] = (prev.rstrip(";") + " " + line, idx + [i])


_ADDRESSEE_RULES = ("addressee", "addressee-telegram")


def addressee_lines(blocks: list[Block], indexes: list[int]) -> tuple[list[int], str, int]:
    """Find `Kính gửi:` (or a công điện's `… điện:`) among body blocks → (its addressee block
    indexes, text on the same line, position in `indexes` after the list); ([], '', -1) when
    there is none."""
    pats = [rules.pattern("header.jsonl", rid) for rid in _ADDRESSEE_RULES]
    for n, i in enumerate(indexes[:12]):
        m = next((m for pat in pats if (m := pat.match(blocks[i].text))), None)
        if not m:
            continue
        inline = m.group("rest").strip()
        lines, k = [], n + 1
        while k < len(indexes):
            text = blocks[indexes[k]].text.strip()
            lone = not lines and not inline and len(text.split()) <= 14 and not text.endswith(".")
            last = blocks[lines[-1]].text if lines else inline
            wrap = not last.rstrip().endswith(".") and _under_addressees(blocks[i], blocks[indexes[k]])
            if not (_BULLET.match(text) or lone or wrap):
                break
            lines.append(indexes[k])
            k += 1
        return lines, inline, k
    return [], "", -1


def _under_addressees(label: Block, line: Block) -> bool:
    """One line set under the addressees, right of where `Kính gửi:` begins (an address or a
    name wrapped: `Địa chỉ: Thôn Vĩnh Xuân…`, `thủ tục hành chính của Thủ tướng Chính phủ.`),
    not a paragraph of the body, which starts at the margin and runs over several lines."""
    if label.bbox is None or line.bbox is None:
        return False
    em = line.font_size or (line.bbox.y1 - line.bbox.y0)
    one_line = line.bbox.y1 - line.bbox.y0 < 2 * em
    return one_line and line.bbox.x0 >= label.bbox.x0 + em


def recipients_heading(text: str) -> tuple[bool, str]:
    m = rules.pattern("header.jsonl", "recipients_heading").match(text)
    return (True, m.group("rest")) if m else (False, "")


def footer_recipients(blocks: list[Block], indexes: list[int], first_ordinal: int = 1) -> list[Recipient]:
    """The `Nơi nhận` column: its heading (with any recipient on the same line), then its lines."""
    lines, inline = [], ""
    for i in indexes:
        is_heading, rest = recipients_heading(blocks[i].text)
        if is_heading:
            inline = inline or rest
        else:
            lines.append(i)
    return lines_to_recipients(blocks, lines, "noi-nhan", first_ordinal, inline)
