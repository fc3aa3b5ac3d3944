"""Where text set with tab stops stands on its line, as Word lays it out.

Clerks set a notice's two header columns on one line with tabs (`⇥BỘ NỘI VỤ⇥CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM`, centred stops over each column) or with runs of tabs on the default
stops. Each tab moves the text after it to the next stop past where the line has reached: a
custom stop of the paragraph (left, centre or right aligned) or else Word's default stop
every half inch. Where each stretch then stands, left or right of the text area's middle,
says which column it belongs to. Widths are estimated from the type size, which is enough to
tell which side of the middle a stretch falls.
"""
from __future__ import annotations

DEFAULT_STOP = 36.0          # points: Word's default tab stops, every half inch
TEXT_WIDTH = 453.0           # points: an A4 page inside the decree's margins (30 mm left, 15-20 mm right)
LETTER = 0.5                 # a letter's width, in ems (mixed case)
CAPITAL = 0.68               # a capital's


def width(text: str, size: float) -> float:
    """About how wide `text` is set in type of `size` points."""
    return sum((CAPITAL if c.isupper() else LETTER) * size for c in text)


def layout(line: str, stops: tuple = (), indent: float = 0.0, size: float = 13.0) -> list[tuple[str, float, float]]:
    """A line's tab-separated stretches → (text, x0, x1) in points from the text area's left."""
    out = []
    x = indent or 0.0
    for k, part in enumerate(line.split("\t")):
        w = width(part.strip(), size)
        if k == 0:
            x0 = x
        else:
            pos, kind = next(((p, kd) for p, kd in stops if p > x + 0.5), ((x // DEFAULT_STOP + 1) * DEFAULT_STOP, "left"))
            x0 = pos - w / 2 if kind == "center" else pos - w if kind == "right" else pos
            x0 = max(x0, x)
        out.append((part, x0, x0 + w))
        x = x0 + w
    return out


def columns(line: str, stops: tuple = (), indent: float = 0.0, size: float = 13.0,
            text_width: float = TEXT_WIDTH) -> tuple[str, str]:
    """A line of two columns set with tabs → (left column's text, right column's text)."""
    middle = text_width / 2
    left, right = [], []
    for part, x0, x1 in layout(line, stops, indent, size):
        if part.strip():
            (left if (x0 + x1) / 2 < middle else right).append(" ".join(part.split()))
    return " ".join(left), " ".join(right)
