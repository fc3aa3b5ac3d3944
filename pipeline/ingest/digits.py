"""Handwritten digits: cut a field of pen strokes into digits and name each one.

A clerk writes the number in `Số: … /UBND` and the day in `ngày … tháng` by hand, in the
Vietnamese hand: a `1` with a long lead-in stroke and a `7` crossed at the waist, which
tesseract, trained on print, reads as `4` and `†` (on the real scans it read 11 as 44, 15 as
45, 01 as 04). A digit here is named by its nearest neighbours among labelled examples
(rules/handwriting/: digits cut from real signed scans by the same segmentation, with the
page they came from), compared by the gradients of the digit normalised to a square (HOG).
A digit whose neighbours disagree, or that stands far from all of them, is not named: the
field is then left blank with a warning, never filled with a guess. A digit not named as
written is compared again set upright (the slant of the hand taken out), and named so only
when that names the digit the first view found likeliest.
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
MODEL = RULES_DIR / "handwriting" / "digits_model.tsv"   # the linear model fitted to them
UPRIGHT_MODEL = RULES_DIR / "handwriting" / "digits_model_upright.tsv"   # …and to them set upright
NEIGHBOURS = 3
# A digit is named when all its neighbours agree and the nearest stands within this distance
# (HOG space)
MAX_DISTANCE = 1.8
SURE_PROBABILITY = 0.8             # …or when the linear model is this sure (leave-one-document-
REGULARISATION = 5.0               # out, neighbours first: 153 of the 168 named, 151 rightly; the
FIT_STEPS = 300                    # neighbours alone named 146, 144 rightly)
TWO_DIGITS_WIDTH = 0.75            # a piece this many times as wide as tall may be two digits
INK_LEVEL = 150                    # gray below this is a stroke
MIN_HEIGHT_SHARE = 0.45            # a piece shorter than this share of the tallest is a dot or a speck


@dataclass(frozen=True)
class Reading:
    text: str                      # the digits, left to right
    sure: bool                     # every digit named with agreeing neighbours, near them
    distance: float                # the worst digit's distance to its nearest example


def segment(gray: np.ndarray) -> list[np.ndarray]:
    """A field's strokes → one mask per digit, left to right.

    Pieces of ink (connected components) shorter than half the tallest, or standing in its
    lower half, are dots, specks and the tails of letters;
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
    top = max(pieces, key=lambda p: p[3] - p[1])
    tallest, middle = top[3] - top[1], (top[1] + top[3]) / 2
    # a digit stands as tall as its neighbours; a short piece low in the field is the tail of
    # the printed letter before it (the `y` of `ngày`), a dot, a speck
    pieces = sorted(p for p in pieces if p[3] - p[1] >= MIN_HEIGHT_SHARE * tallest and p[1] < middle)
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


def upright(square: np.ndarray) -> np.ndarray:
    """The digit with the slant of the hand taken out: sheared so that its ink's second
    moments lean neither way (a clerk's `6` leaning right compared with examples written
    straight)."""
    m = cv2.moments(square)
    if abs(m["mu02"]) < 1e-2:
        return square
    slant = m["mu11"] / m["mu02"]
    shear = np.float32([[1, slant, -0.5 * SIDE * slant], [0, 1, 0]])
    return normalise(cv2.warpAffine(square, shear, (SIDE, SIDE), flags=cv2.WARP_INVERSE_MAP | cv2.INTER_LINEAR) > 60)


# Two views of a digit: as written, and set upright. The second names a digit the first could
# not only when the first's likeliest digit is the same (leave-one-document-out on the
# examples: 169 of 182 named, 168 rightly, against 165 and 164 with the first view alone; the
# upright view alone took an open `4` for a `1`).
VIEWS = {"": features, "upright": lambda square: features(upright(square))}


@lru_cache(maxsize=1)
def _squares() -> tuple[list[np.ndarray], list[int], list[str]]:
    """The labelled examples as cut: normalised squares, digits, the file each came from."""
    sheet = cv2.imread(str(SAMPLES), cv2.IMREAD_GRAYSCALE)
    with LABELS.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")]
    per_row = sheet.shape[1] // SIDE
    squares = [sheet[(i // per_row) * SIDE:(i // per_row + 1) * SIDE, (i % per_row) * SIDE:(i % per_row + 1) * SIDE]
               for i in range(len(rows))]
    return squares, [int(r["digit"]) for r in rows], [r["source"] for r in rows]


@lru_cache(maxsize=2)
def _examples(view: str = "") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The labelled examples: features (in one of VIEWS), digits and the file each was cut from."""
    squares, digits_, sources = _squares()
    return np.stack([VIEWS[view](s) for s in squares]), np.array(digits_), np.array(sources)


def name_digit(mask: np.ndarray, held_out: str = "") -> tuple[Optional[int], float]:
    """The digit a mask shows and the distance to its nearest example; None when it cannot be
    named surely: named when its NEIGHBOURS nearest examples agree and the nearest is near,
    else when a linear model of all the examples (and of them turned a little and inked more
    heavily) gives one digit at least SURE_PROBABILITY. `held_out` names a file whose own
    examples are set aside, to measure the reading on the real scans honestly."""
    square = normalise(mask)
    digit, likeliest, best = _name_in_view(square, held_out, "")
    if digit is None:
        again, _, _ = _name_in_view(square, held_out, "upright")
        digit = again if again == likeliest else None
    return digit, best


def _name_in_view(square: np.ndarray, held_out: str, view: str) -> tuple[Optional[int], int, float]:
    """(the digit named surely or None, the likeliest digit, the distance to the nearest example)."""
    x, y, sources = _examples(view)
    if held_out:
        keep = sources != held_out
        x, y = x[keep], y[keep]
    f = VIEWS[view](square)
    dist = np.linalg.norm(x - f, axis=1)
    nearest = np.argsort(dist)[:NEIGHBOURS]
    best = float(dist[nearest[0]])
    if len(set(y[nearest].tolist())) == 1 and best <= MAX_DISTANCE:
        return int(y[nearest[0]]), int(y[nearest[0]]), best
    weights, bias = _linear_model(held_out, view)
    p = _softmax(f @ weights + bias)
    digit = int(p.argmax())
    return (digit if p[digit] >= SURE_PROBABILITY else None), digit, best


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _variants(square: np.ndarray) -> list[np.ndarray]:
    """An example as a pen might also have written it: turned a few degrees, inked heavier."""
    out = [square]
    for angle in (-6, 6):
        turn = cv2.getRotationMatrix2D((SIDE / 2, SIDE / 2), angle, 1.0)
        out.append(cv2.warpAffine(square, turn, (SIDE, SIDE)))
    out.append(cv2.dilate(square, np.ones((2, 2), np.uint8)))
    return [normalise(v > 100) for v in out]


@lru_cache(maxsize=4)
def _linear_model(held_out: str = "", view: str = "") -> tuple[np.ndarray, np.ndarray]:
    """The model as fitted when the examples were built (rules/handwriting/digits_model.tsv),
    while the examples are those it was fitted to; else, and with a file held out, fitted now
    (1-5 s of numpy a process: too much to pay for every scan a user imports)."""
    stored = None if held_out else _stored_model(view)
    return stored if stored is not None else _fit(held_out, view)


def _examples_key() -> str:
    """What the stored model was fitted to: the examples' bytes and the fit's settings."""
    import hashlib
    h = hashlib.sha256(SAMPLES.read_bytes() + LABELS.read_bytes())
    h.update(f"{REGULARISATION} {FIT_STEPS}".encode())
    return h.hexdigest()[:16]


def _model_file(view: str) -> Path:
    return UPRIGHT_MODEL if view == "upright" else MODEL


def _stored_model(view: str = "") -> Optional[tuple[np.ndarray, np.ndarray]]:
    model = _model_file(view)
    if not model.exists():
        return None
    lines = model.read_text(encoding="utf-8").splitlines()
    if not lines or f"examples {_examples_key()}" not in lines[0]:
        return None                     # fitted to other examples: stale
    table = np.array([[float(v) for v in ln.split("\t")[1:]] for ln in lines[2:]], dtype=np.float64)
    return table[:-1], table[-1]


def write_model() -> None:
    """Fit the model of each view to the examples and save it beside them, with the key of
    what it was fitted to."""
    for view in VIEWS:
        weights, bias = _fit("", view)
        rows = [f"w{k}\t" + "\t".join(repr(float(v)) for v in row) for k, row in enumerate(weights)]
        seen = " set upright (digits.upright)" if view else ""
        _model_file(view).write_text(
            f"# Multinomial logistic regression over the features of digits.png{seen} (examples {_examples_key()}), "
            "fitted by `python -m pipeline.ingest.fields build`; one row a feature, the last the bias.\n"
            "feature\t" + "\t".join(str(d) for d in range(10)) + "\n"
            + "\n".join(rows + ["bias\t" + "\t".join(repr(float(v)) for v in bias)]) + "\n",
            encoding="utf-8")


def _fit(held_out: str, view: str = "") -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression (L2, C = REGULARISATION) fitted to the examples and
    their variants, seen in one of VIEWS, by gradient descent with momentum."""
    squares, digits_, sources = _squares()
    keep = [k for k, src in enumerate(sources) if src != held_out]
    x = np.stack([VIEWS[view](v) for k in keep for v in _variants(squares[k])])
    onehot = np.eye(10)[[digits_[k] for k in keep for _ in range(4)]]
    weights, bias = np.zeros((x.shape[1], 10)), np.zeros(10)
    velocity_w, velocity_b = np.zeros_like(weights), np.zeros_like(bias)
    step = 0.5 / float((x ** 2).sum(axis=1).mean())
    for _ in range(FIT_STEPS):
        grad = _softmax(x @ weights + bias) - onehot
        velocity_w = 0.9 * velocity_w + x.T @ grad / len(x) + weights / (REGULARISATION * len(x))
        velocity_b = 0.9 * velocity_b + grad.mean(axis=0)
        weights -= step * velocity_w
        bias -= step * velocity_b
    return weights, bias


def read_field(gray: np.ndarray, held_out: str = "") -> Optional[Reading]:
    """The digits of a handwritten field (a gray crop holding only it); None when it holds no ink."""
    return read_masks(segment(gray), held_out)


def read_masks(masks: list[np.ndarray], held_out: str = "") -> Optional[Reading]:
    """The digits the masks of a field show (see `segment`); None when there are none."""
    if not masks:
        return None
    named = [n for m in masks for n in _name_or_split(m, held_out)]
    text = "".join("?" if d is None else str(d) for d, _ in named)
    return Reading(text=text, sure=all(d is not None for d, _ in named),
                   distance=max(dist for _, dist in named))


STABLE_CUTS = 3                    # a cut of two touching digits holds over this many columns


def _name_or_split(mask: np.ndarray, held_out: str) -> list[tuple[Optional[int], float]]:
    """One piece of ink named as a digit; a piece that is no digit surely but may be two run
    together (`05`, `57` written touching) is cut in two, and kept cut when both halves are
    digits surely.

    Where two digits touch, the pen's joining stroke is a few columns wide and the thinnest
    column may fall inside one of them (the foot of a `5` reaching under the `7`): the cut is
    tried at each column of the middle of the piece, and a reading is kept only when cuts at
    STABLE_CUTS neighbouring columns all give it, every half named surely; a reading one
    column alone gives is chance. The longest such run wins, ties to the thinnest column."""
    whole = name_digit(mask, held_out)
    h, w = mask.shape
    if whole[0] is not None or w < TWO_DIGITS_WIDTH * h:
        return [whole]
    cols = mask.sum(axis=0)
    runs: list[tuple] = []         # (columns it holds over, -ink at its thinnest, reading, halves, last cut)
    for cut in range(int(w * 0.3), int(w * 0.7) + 1):
        halves = [name_digit(part, held_out) for part in (mask[:, :cut], mask[:, cut:]) if part.any()]
        reading = tuple(d for d, _ in halves) if len(halves) == 2 and all(d is not None for d, _ in halves) else None
        if reading and runs and runs[-1][2] == reading and runs[-1][4] == cut - 1:
            length, ink, _, named, _ = runs[-1]
            runs[-1] = (length + 1, max(ink, -int(cols[cut])), reading, named, cut)
        elif reading:
            runs.append((1, -int(cols[cut]), reading, halves, cut))
    stable = [r for r in runs if r[0] >= STABLE_CUTS]
    if not stable:
        return [whole]
    return max(stable, key=lambda r: (r[0], r[1]))[3]


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
