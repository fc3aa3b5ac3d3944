"""Ruled lines on a scanned page, and the boxes they close: `find_rulings → rulings_to_boxes`.

A clerk's incoming stamp (`CÔNG VĂN ĐẾN │ Số … │ Ngày …`), a printed signature box and a
table are drawn with rules, which no letter is: a horizontal run of ink several ems long, a
vertical one taller than a line. Opening the ink image with a long thin kernel keeps only
those runs (OpenCV's morphology, in C), and the rectangles they close are what a reader sees
as boxes. Sizes are in millimetres so that they hold at any resolution.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

MM_PER_POINT = 25.4 / 72
H_RULE_MM = 12.0          # shortest horizontal rule: longer than any word at body size
V_RULE_MM = 6.0           # shortest vertical rule: taller than a line with its marks
INK_LEVEL = 160           # gray below this is ink
SIDE_COVER = 0.55         # share of a frame's side a rule must run along


@dataclass(frozen=True)
class Box:
    """A rectangle closed by rules, in pixels of the page image."""

    x0: int
    y0: int
    x1: int
    y1: int
    cells: int            # how many rectangles the rules inside it make (1 for a plain frame)

    def width_mm(self, scale: float) -> float:
        return (self.x1 - self.x0) * scale * MM_PER_POINT

    def height_mm(self, scale: float) -> float:
        return (self.y1 - self.y0) * scale * MM_PER_POINT


def find_rulings(gray: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """The horizontal and the vertical rules of a page, as two ink masks (uint8, 0/255)."""
    ink = (gray < INK_LEVEL).astype(np.uint8) * 255
    px_per_mm = 1.0 / (scale * MM_PER_POINT)
    h_len = max(8, int(H_RULE_MM * px_per_mm))
    v_len = max(8, int(V_RULE_MM * px_per_mm))
    # bridge the breaks a scan leaves in a thin rule before opening
    closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 1)))
    horizontal = cv2.morphologyEx(closed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (h_len, 1)))
    closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 5)))
    vertical = cv2.morphologyEx(closed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, v_len)))
    return horizontal, vertical


def rulings_to_boxes(horizontal: np.ndarray, vertical: np.ndarray) -> list[Box]:
    """Rectangles framed by rules: each connected frame of horizontal and vertical rules with
    a rule along three of its sides at least (a stamp pressed half off the paper, or printed
    faintly, loses one), each side's rule found within a quarter of the frame from it."""
    grid = cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((3, 3), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(grid, connectivity=8)
    boxes = []
    for k in range(1, n):
        x, y, w, h, _ = stats[k]
        if w < 8 or h < 8:
            continue
        part = labels[y:y + h, x:x + w] == k
        hor = (horizontal[y:y + h, x:x + w] > 0) & part
        ver = (vertical[y:y + h, x:x + w] > 0) & part
        band_y, band_x = max(2, h // 4), max(2, w // 4)
        sides = (hor[:band_y].any(axis=0).mean(), hor[-band_y:].any(axis=0).mean(),
                 ver[:, :band_x].any(axis=1).mean(), ver[:, -band_x:].any(axis=1).mean())
        if sum(cover > SIDE_COVER for cover in sides) >= 3:
            boxes.append(Box(int(x), int(y), int(x + w), int(y + h), cells=_cells(~part)))
    return boxes


def _cells(inside: np.ndarray) -> int:
    """How many separate white areas the rules of a frame enclose."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(inside.astype(np.uint8), connectivity=4)
    area = inside.size
    return max(1, sum(1 for k in range(1, n) if stats[k][4] > 0.01 * area))
