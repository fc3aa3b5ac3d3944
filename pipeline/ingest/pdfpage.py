"""Geometry of a pdfium page as it is shown: shared by the text-PDF reader and the scan reader."""
from __future__ import annotations

import pypdfium2 as pdfium


class Shown:
    """From pdfium's page space (origin bottom left, as the content is drawn) to the page as it
    is shown (origin top left, after the page's /Rotate): a page drawn sideways and turned
    upright by /Rotate, as scanners and page-rotating tools leave it, reads as it looks."""

    def __init__(self, page: pdfium.PdfPage):
        self.width, self.height = page.get_size()       # as shown: pdfium swaps them for 90°/270°
        self.turns = (page.get_rotation() // 90) % 4    # clockwise quarter turns

    def box(self, left: float, top: float, right: float, bottom: float) -> tuple[float, float, float, float]:
        """A rectangle of page space as (x0, y0, x1, y1) on the shown page."""
        w, h = self.width, self.height
        if self.turns == 1:
            return bottom, left, top, right
        if self.turns == 2:
            return w - right, bottom, w - left, top
        if self.turns == 3:
            return w - top, h - right, w - bottom, h - left
        return left, h - top, right, h - bottom
