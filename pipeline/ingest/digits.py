"""Handwritten digits: cut a field of pen strokes into digits and name each one.

A clerk writes the number in `Số: … /UBND` and the day in `ngày … tháng` by hand, in the
Vietnamese hand: a `1` with a long lead-in stroke and a `7` crossed at the waist, which
tesseract, trained on print, reads as `4` and `†` (on the real scans it read 11 as 44, 15 as
45, 01 as 04). A digit here is named by its nearest neighbours among labelled examples
(rules/handwriting/: digits cut from real signed scans by the same segmentation, with the
page they came from), compared by the gradients of the digit normalised to a square (HOG).
A digit whose neighbours disagree, or that stands far from all of them, is not named: the
field is then left blank with a warning, never filled with a guess.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import cv2
import numpy as np

from pipeline.rules import RULES_DIR

SIDE = 28                          # a digit normalised to SIDE × SIDE pixels
SAMPLES = RULES_DIR / "handwriting" / "digits.png"
LABELS = RULES_DIR / "handwriting" / "digits.tsv"
NEIGHBOURS = 3
# A digit is named when all its neighbours agree and the nearest stands within this distance
# (HOG space); leave-one-document-out on the 173 examples, 134 were named so, 95.5% rightly
MAX_DISTANCE = 1.8
INK_LEVEL = 150                    # gray below this is a stroke
MIN_HEIGHT_SHARE = 0.45            # a piece shorter than this share of the tallest is a dot or a speck


@dataclass(frozen=True)
class Reading:
    text: str                      # the digits, left to right
    sure: bool                     # every digit named with agreeing neighbours, near them
    distance: float                # the worst digit's distance to its nearest example


def segment(gray: np.ndarray) -> list[np.ndarray]:
    """A field's strokes → one mask per digit, left to right.

    Pieces of ink (connected components) shorter than half the tallest are dots and specks;
    pieces that overlap across most of their width are one digit (the bar of a `5`, the
    cross of a `7` written apart); a piece much wider than tall is two digits run together,
    cut at the column with the least ink.
    """
    ink = (gray < INK_LEVEL).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    pieces = [(int(stats[k][0]), int(stats[k][1]), int(stats[k][0] + stats[k][2]), int(stats[k][1] + stats[k][3]), k)
              for k in range(1, n) if stats[k][4] >= 12]
    if not pieces:
        return []
    tallest = max(p[3] - p[1] for p in pieces)
    pieces = sorted(p for p in pieces if p[3] - p[1] >= MIN_HEIGHT_SHARE * tallest)
    groups: list[list] = []
    for x0, y0, x1, y1, k in pieces:
        if groups and x0 < groups[-1][2] - 0.25 * (x1 - x0):
            g = groups[-1]
            groups[-1] = [min(g[0], x0), min(g[1], y0), max(g[2], x1), max(g[3], y1), g[4] + [k]]
        else:
            groups.append([x0, y0, x1, y1, [k]])
    masks = []
    for x0, y0, x1, y1, ks in groups:
        mask = np.isin(labels[y0:y1, x0:x1], ks)
        masks.extend(_split_wide(mask))
    return masks


def _split_wide(mask: np.ndarray) -> list[np.ndarray]:
    h, w = mask.shape
    if w <= 1.25 * h or w < 8:
        return [mask]
    cols = mask.sum(axis=0)
    lo, hi = int(w * 0.3), int(w * 0.7)
    cut = lo + int(np.argmin(cols[lo:hi]))
    return _split_wide(mask[:, :cut]) + _split_wide(mask[:, cut:])


def normalise(mask: np.ndarray) -> np.ndarray:
    """A digit's mask cropped to its ink, centred in a square with a margin, SIDE × SIDE."""
    ys, xs = np.nonzero(mask)
    if not len(ys):
        return np.zeros((SIDE, SIDE), np.uint8)
    m = mask[ys.min():ys.max() + 1, xs.min():xs.max() + 1].astype(np.uint8)
    h, w = m.shape
    s = max(h, w) + 4
    square = np.zeros((s, s), np.uint8)
    square[(s - h) // 2:(s - h) // 2 + h, (s - w) // 2:(s - w) // 2 + w] = m * 255
    return cv2.resize(square, (SIDE, SIDE), interpolation=cv2.INTER_AREA)


@lru_cache(maxsize=1)
def _hog() -> cv2.HOGDescriptor:
    return cv2.HOGDescriptor((SIDE, SIDE), (14, 14), (7, 7), (7, 7), 9)


def features(square: np.ndarray) -> np.ndarray:
    """Gradient histograms of the normalised digit, and its ink at 7 × 7 (weighted half)."""
    coarse = cv2.resize(square, (7, 7), interpolation=cv2.INTER_AREA).reshape(-1) / 255.0 * 0.5
    return np.concatenate([_hog().compute(square).reshape(-1), coarse]).astype(np.float32)


@lru_cache(maxsize=1)
def _examples() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The labelled examples: features, digits and the file each was cut from."""
    sheet = cv2.imread(str(SAMPLES), cv2.IMREAD_GRAYSCALE)
    with LABELS.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")]
    per_row = sheet.shape[1] // SIDE
    feats, digits = [], []
    for i, row in enumerate(rows):
        y, x = divmod(i, per_row)
        square = sheet[y * SIDE:(y + 1) * SIDE, x * SIDE:(x + 1) * SIDE]
        feats.append(features(square))
        digits.append(int(row["digit"]))
    return np.stack(feats), np.array(digits), np.array([r["source"] for r in rows])


def name_digit(mask: np.ndarray, held_out: str = "") -> tuple[Optional[int], float]:
    """The digit a mask shows and the distance to its nearest example; None when its nearest
    examples disagree or it is far from all of them. `held_out` names a file whose own
    examples are set aside, to measure the reading on the real scans honestly."""
    x, y, sources = _examples()
    if held_out:
        keep = sources != held_out
        x, y = x[keep], y[keep]
    dist = np.linalg.norm(x - features(normalise(mask)), axis=1)
    nearest = np.argsort(dist)[:NEIGHBOURS]
    votes = set(y[nearest].tolist())
    best = float(dist[nearest[0]])
    if len(votes) != 1 or best > MAX_DISTANCE:
        return None, best
    return int(y[nearest[0]]), best


def read_field(gray: np.ndarray, held_out: str = "") -> Optional[Reading]:
    """The digits of a handwritten field (a gray crop holding only it); None when it holds no ink."""
    return read_masks(segment(gray), held_out)


def read_masks(masks: list[np.ndarray], held_out: str = "") -> Optional[Reading]:
    """The digits the masks of a field show (see `segment`); None when there are none."""
    if not masks:
        return None
    named = [name_digit(m, held_out) for m in masks]
    text = "".join("?" if d is None else str(d) for d, _ in named)
    return Reading(text=text, sure=all(d is not None for d, _ in named),
                   distance=max(dist for _, dist in named))


def write_examples(squares: list[np.ndarray], rows: list[dict], sheet: Path = SAMPLES,
                   labels: Path = LABELS, per_row: int = 20) -> None:
    """Save normalised examples as one sheet of SIDE × SIDE cells and their labels as TSV."""
    n = len(squares)
    out = np.zeros(((n + per_row - 1) // per_row * SIDE, per_row * SIDE), np.uint8)
    for i, sq in enumerate(squares):
        y, x = divmod(i, per_row)
        out[y * SIDE:(y + 1) * SIDE, x * SIDE:(x + 1) * SIDE] = sq
    sheet.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(sheet), out)
    with labels.open("w", encoding="utf-8", newline="") as f:
        f.write("# Handwritten digits cut from real signed scans (../shared/corpus/real, the number of "
                "`Số:` and the day of the date line), one per cell of digits.png in reading order; "
                "labelled from the hand-made gold. Built by `python -m pipeline.ingest.fields build`.\n")
        w = csv.DictWriter(f, fieldnames=["digit", "source", "field"], delimiter="\t", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
