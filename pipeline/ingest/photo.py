"""Pages photographed rather than scanned, and scans lit unevenly: found, flattened, evened.

A phone photograph of a notice has the page as a four-sided shape inside the picture (the
desk around it), seen at a slant, lit brighter on one side, often at 90 dpi or so and with no
resolution recorded. A yellowed archival scan is evenly shaped but its paper is grey in
places. Before tesseract reads either: the page's outline is found and the page warped flat
onto an A4 rectangle; the resolution is taken from its size when the file does not say it;
and the paper is evened out (each pixel divided by the brightness of the paper around it).
"""
from __future__ import annotations

from typing import Optional

import cv2
import numpy as np
from PIL import Image

A4_INCHES = (8.27, 11.69)
MIN_PAGE_SHARE = 0.3          # a page outline covers at least this share of a photograph
TILT_SHARE = 0.03             # corners this far (share of the side) from the picture's: not a scan
UNEVEN = 25                   # the paper's brightness varying over this (0-255) is evened out


def resolution(size: tuple[int, int], stated: Optional[float]) -> float:
    """Dots per inch: as the file states it when plausible, else as an A4 page of this size."""
    if stated and 100 <= stated <= 1200:
        return float(stated)
    return max(size) / A4_INCHES[1]


def page_outline(rgb: np.ndarray) -> Optional[np.ndarray]:
    """The four corners of the page in a photograph (top-left, top-right, bottom-right,
    bottom-left), or None when the picture is the page (a scan) or no outline stands out."""
    h, w = rgb.shape[:2]
    small = max(h, w) / 800.0
    gray = cv2.cvtColor(cv2.resize(rgb, (int(w / small), int(h / small))), cv2.COLOR_RGB2GRAY)
    _, paper = cv2.threshold(cv2.GaussianBlur(gray, (5, 5), 0), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    paper = cv2.morphologyEx(paper, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(paper, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    page = max(contours, key=cv2.contourArea)
    if cv2.contourArea(page) < MIN_PAGE_SHARE * paper.size:
        return None
    corners = cv2.approxPolyDP(page, 0.02 * cv2.arcLength(page, True), True)
    if len(corners) != 4:
        return None
    corners = _ordered(corners.reshape(4, 2).astype(np.float32) * small)
    frame = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    off = np.abs(corners - frame) / np.array([w, h], np.float32)
    return corners if off.max() > TILT_SHARE else None


def _ordered(pts: np.ndarray) -> np.ndarray:
    s, d = pts.sum(axis=1), np.diff(pts, axis=1).ravel()
    return np.array([pts[s.argmin()], pts[d.argmin()], pts[s.argmax()], pts[d.argmax()]], np.float32)


def flatten(img: Image.Image, dpi: float) -> tuple[Image.Image, float]:
    """A photographed page warped flat onto A4 at `dpi`; a scan as it was. (image, dpi)"""
    rgb = np.asarray(img.convert("RGB"))
    corners = page_outline(rgb)
    if corners is None:
        return img, dpi
    top = np.linalg.norm(corners[1] - corners[0])
    dpi = top / A4_INCHES[0]
    w, h = int(round(A4_INCHES[0] * dpi)), int(round(A4_INCHES[1] * dpi))
    target = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    warped = cv2.warpPerspective(rgb, cv2.getPerspectiveTransform(corners, target), (w, h),
                                 flags=cv2.INTER_CUBIC, borderValue=(255, 255, 255))
    return Image.fromarray(warped), dpi


def even_light(gray: Image.Image) -> Image.Image:
    """The paper made evenly white where its brightness varies (a photo's shadow, a yellowed
    sheet): each pixel divided by the paper's brightness around it, found by closing the ink
    away at a scale larger than any letter."""
    a = np.asarray(gray)
    scale = max(a.shape) / 600.0
    small = cv2.resize(a, (max(1, int(a.shape[1] / scale)), max(1, int(a.shape[0] / scale))), interpolation=cv2.INTER_AREA)
    paper = cv2.medianBlur(cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8)), 21)
    if int(np.percentile(paper, 95)) - int(np.percentile(paper, 5)) < UNEVEN:
        return gray
    paper = cv2.resize(paper, (a.shape[1], a.shape[0]), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    return Image.fromarray(np.clip(a.astype(np.float32) / np.maximum(paper, 1.0) * 255.0, 0, 255).astype(np.uint8))
