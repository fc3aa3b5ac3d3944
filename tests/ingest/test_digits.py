"""Handwritten numbers and days: the examples the reading compares against name digits of
documents they were not cut from, and on real scans a field is read rightly or left blank."""
from __future__ import annotations

import numpy as np
import pytest

from pipeline.ingest import digits


def test_examples_name_the_digits_of_other_documents():
    """Leave one document out: its digits named by the examples of the others. The figures of
    the module's docstring: nearly all named, and those named right."""
    feats, labels, sources = digits._examples()
    named = right = 0
    for source in sorted(set(sources)):
        for k in np.flatnonzero(sources == source):
            squares = digits._squares()[0]
            digit, _ = digits.name_digit(squares[k] > 127, held_out=source)
            if digit is not None:
                named += 1
                right += digit == labels[k]
    assert named >= 0.8 * len(labels)
    assert right >= 0.97 * named


def test_two_digits_written_touching_are_cut():
    squares, labels, sources = digits._squares()
    one = next(k for k, d in enumerate(labels) if d == 3)
    two = next(k for k, d in enumerate(labels) if d == 1)
    pair = np.hstack([squares[one] > 127, squares[two] > 127])
    reading = digits.read_masks([pair], held_out="")
    assert reading.text == "31"


# Pieces of ink from real header fields where a clerk's pen ran two digits together (cut from
# page 1 of the scan named, as fields.py segments it), read with that scan's own examples held
# out: (piece, the digits it shows, or None where it must stay unread). Issue #11.
TOUCHING = [
    ("qngai-574-ub-number-57.png", "qngai-574-ub.scan.pdf", "57"),      # foot of the 5 under the 7
    ("qngai-ubnd-ttr-01-2025-day-06.png", "qngai-ubnd-ttr-01-2025.scan.pdf", "06"),
    ("qngai-01ct-month-01.png", "qngai-01ct.scan.pdf", "01"),
    # the tail of `ngày`'s y crossing into the field glued to a 1: no cut gives two digits
    ("qngai-11ct-day-x11.png", "qngai-11ct.scan.pdf", None),
]


@pytest.mark.parametrize("piece, source, shows", TOUCHING)
def test_real_touching_digits_are_cut_where_the_reading_holds(piece, source, shows):
    import cv2
    from pathlib import Path
    gray = cv2.imread(str(Path(__file__).parent.parent / "data" / "digits" / piece), cv2.IMREAD_GRAYSCALE)
    reading = digits.read_masks([gray < 128], held_out=source)
    assert (reading.text if reading.sure else None) == shows


# Single handwritten digits of real header fields the digit as written left unnamed, read with
# their scan's own examples held out: set upright they are named when both views agree, and
# only then (the open `4` of tb-46 upright looks like a `1`; the `3` of 2770 as written like a
# `2`): never a guess. (piece, its scan, the digit named or None). Issue #11.
UPRIGHT = [
    ("qngai-16ct-number-6.png", "qngai-16ct.scan.pdf", 6),
    ("qngai-84-qd-ub-day-3.png", "qngai-84-qd-ub.scan.pdf", 3),
    ("qngai-ubnd-cv-575-2025-number-5.png", "qngai-ubnd-cv-575-2025.scan.pdf", 5),
    ("qngai-ubnd-tb-46-2025-number-4.png", "qngai-ubnd-tb-46-2025.scan.pdf", None),
    ("qngai-2770-08-ct-ubnd-day-3.png", "qngai-2770-08-ct-ubnd.scan.pdf", None),
]


@pytest.mark.parametrize("piece, source, digit", UPRIGHT)
def test_a_digit_set_upright_is_named_when_both_views_agree(piece, source, digit):
    import cv2
    from pathlib import Path
    gray = cv2.imread(str(Path(__file__).parent.parent / "data" / "digits" / piece), cv2.IMREAD_GRAYSCALE)
    assert digits.name_digit(gray < 128, held_out=source)[0] == digit


def test_no_ink_is_no_field():
    assert digits.read_field(np.full((40, 80), 255, np.uint8)) is None


# (file, the Số number and the day as printed or written; None where the reading may leave it blank)
REAL_FIELDS = [
    ("qngai-ubnd-tb-46-2025.scan.pdf", None, "24"),
    ("qngai-660tbub.scan.pdf", "660", "31"),
    ("qngai-53-tb.scan.pdf", "53", "07"),
    ("qngai-09-ttr.scan.pdf", "09", "20"),
    ("qngai-04-qd-138.scan.pdf", "04", "05"),
    ("caobang-ubnd-qd-157-1999.scan.pdf", "157", "22"),       # typed on a typewriter: kept as read
]


@pytest.mark.parametrize("name, number, day", REAL_FIELDS)
def test_real_handwritten_fields_are_read_or_left_blank(real_doc, name, number, day):
    doc = real_doc(name)
    header = " ".join(b.text for b in doc.blocks[:8])
    if number:
        assert f"Số: {number} /" in header or f"Số: {number}/" in header
    assert f"ngày {day} tháng" in header
    # never junk between `Số:` and the symbol
    line = next(b.text for b in doc.blocks[:8] if b.text.startswith("Số"))
    between = line[len("Số:"):line.index("/")].strip()
    assert between == "" or between.isdigit()


@pytest.mark.parametrize("view", sorted(digits.VIEWS))
def test_the_stored_model_is_the_one_its_examples_give(view):
    # rules/handwriting/digits_model*.tsv save every import with a scan a fit of the examples;
    # each must be the fit of the examples beside it (rebuilt with them by `fields build`)
    stored = digits._stored_model(view)
    assert stored is not None, "a digits model is missing or fitted to other examples: run `python -m pipeline.ingest.fields build`"
    weights, bias = digits._fit("", view)
    assert np.allclose(stored[0], weights, atol=1e-6) and np.allclose(stored[1], bias, atol=1e-6)
