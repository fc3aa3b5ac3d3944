"""Where text set with tab stops stands on its line, as Word lays it out.

Clerks set a notice's two header columns on one line with tabs (`⇥BỘ NỘI VỤ⇥CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM`, centred stops over each column) or with runs of tabs on the default
stops. Each tab moves the text after it to the next stop past where the line has reached: a
custom stop of the paragraph (left, centre or right aligned) or else Word's default stop
every half inch. Clerks who do not know tab stops push the right column over with spaces
(`SỞ Y TẾ␣␣␣…␣␣␣Độc lập - Tự do - Hạnh phúc`): a run of three or more spaces is read the same
way, a gap as wide as its spaces. Where each stretch then stands, left or right of the text
area's middle, says which column it belongs to. Widths are estimated from the type size, which is enough to
tell which side of the middle a stretch falls.
"""
from __future__ import annotations

import re

DEFAULT_STOP = 36.0          # points: Word's default tab stops, every half inch
TEXT_WIDTH = 453.0           # points: an A4 page inside the decree's margins (30 mm left, 15-20 mm right)
LETTER = 0.5                 # a letter's width, in ems (mixed case)
CAPITAL = 0.68               # a capital's
SPACE = 0.25                 # a space's, in a proportional face such as Times New Roman
# a tab, or a run of spaces wider than a typist's slip (two spaces after a full stop)
GAP = re.compile(r"(\t| {3,})")


def has_gap(line: str) -> bool:
    """Does this line place text with tabs, or part two stretches with a run of spaces? (Spaces
    before a line's only text centre or indent it, as in any paragraph: not a column.)"""
    core = line.rstrip(" ")
    return "\t" in core or re.search(r"\S {3,}\S", core) is not None


def width(text: str, size: float) -> float:
    """About how wide `text` is set in type of `size` points."""
    return sum((CAPITAL if c.isupper() else LETTER) * size for c in text)


def layout(line: str, stops: tuple = (), indent: float = 0.0, size: float = 13.0) -> list[tuple[str, float, float]]:
    """A line's tab-separated stretches → (text, x0, x1) in points from the text area's left."""
    out = []
    x = indent or 0.0
    parts = GAP.split(line.rstrip(" "))
    for k in range(0, len(parts), 2):
        part, sep = parts[k], parts[k - 1] if k else ""
        w = width(part.strip(), size)
        if sep == "\t":
            pos, kind = next(((p, kd) for p, kd in stops if p > x + 0.5), ((x // DEFAULT_STOP + 1) * DEFAULT_STOP, "left"))
            x0 = pos - w / 2 if kind == "center" else pos - w if kind == "right" else pos
            x0 = max(x0, x)
        else:
            x0 = x + len(sep) * SPACE * size
        out.append((part, x0, x0 + w))
        x = x0 + w
    return out


def columns(line: str, stops: tuple = (), indent: float = 0.0, size: float = 13.0,
            text_width: float = TEXT_WIDTH) -> tuple[str, str]:
    """A line of two columns set with tabs or spaces → (left column's text, right column's)."""
    middle = text_width / 2
    left, right = [], []
    for part, x0, x1 in layout(line, stops, indent, size):
        if part.strip():
            (left if (x0 + x1) / 2 < middle else right).append(" ".join(part.split()))
    return " ".join(left), " ".join(right)
