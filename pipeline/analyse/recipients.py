"""Recipients: the lines of `Nơi nhận` (footer-left) and of `Kính gửi` (a công văn's
addressees, in the body), each without its bullet and trailing `;`."""
from __future__ import annotations

import re

from pipeline import rules
from pipeline.model import Block, Recipient, Span

_BULLET = re.compile(r"^\s*[-–—+•·●▪]\s*")


def lines_to_recipients(blocks: list[Block], indexes: list[int], kind: str, first_ordinal: int = 1,
                        inline: str = "") -> list[Recipient]:
    """A bulleted line starts a recipient; an unbulleted one continues the one above
    (a wrapped `VPUB: CVP, PCVP…` or a `(để đưa tin)` set on the next line)."""
    items: list[tuple[str, list[int]]] = []
    # `Kính gửi: Các sở, ban, ngành; UBND các huyện.`: on one line, `;` ends each addressee
    # as it ends each line of a list
    for part in inline.split(";"):
        if part.strip(" .;,"):
            items.append((part.strip(), []))
    for i in indexes:
        text = blocks[i].text.strip()
        if not text:
            continue
        # a line after one that closed its recipient with `;` starts the next one, its bullet
        # lost or never typed (`- Ban Tuyên giáo Tỉnh uỷ;` / `Báo Quảng Ngãi;`), unless that
        # one lists its members after a colon (`- Các Công ty: CP Môi trường…;` / `CP Xây dựng…;`)
        closed = bool(items) and items[-1][0].rstrip().endswith(";") and ":" not in items[-1][0] \
            and text[:1].isupper()
        if _BULLET.match(text) or not items or closed:
            items.append((_BULLET.sub("", text), [i]))
        else:
            prev, idx = items[-1]
            items[-1] = (prev.rstrip().rstrip(";") + " " + text, idx + [i])
    out = []
    for n, (text, idx) in enumerate(items):
        text = re.sub(r"\s+", " ", text).strip().rstrip(";,.").strip()
        if not text:
            continue
        span = Span(start=blocks[idx[0]].start, end=blocks[idx[-1]].end, block=idx[0],
                    page=blocks[idx[0]].page) if idx else None
        out.append(Recipient(ordinal=first_ordinal + len(out), text=text, kind=kind, span=span))
    return out


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
            if not (_BULLET.match(text) or lone):
                break
            lines.append(indexes[k])
            k += 1
        return lines, inline, k
    return [], "", -1


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
