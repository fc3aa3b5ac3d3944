"""Symbols of documents as OCR leaves them (issue #11): words read on the real scans, and what
was printed."""
from __future__ import annotations

import pytest

from pipeline.ingest.symbols import join_split, mend_symbols
from pipeline.ingest.tesseract import Word

GLYPHS = [
    # a type code's capitals read as digits or look-alikes (qngai-90-qd-ct, qngai-239-ttr)
    ("573/1Tr-SNV", "573/TTr-SNV"),
    ("3298/TIr-SVHTTDL", "3298/TTr-SVHTTDL"),
    # a part's capital initial read as a digit (qngai-22-ttr, qngai-15-qd-xp)
    ("286/5TC-HCSN", "286/STC-HCSN"),
    ("484/TTr-CAT-1M(CSKT)", "484/TTr-CAT-TM(CSKT)"),
    # the session of the National Assembly (qngai-87-qdub): `0` for Q, `I` for 1, `⁄` for /
    ("32/2024/0HI5", "32/2024/QH15"),
    ("27⁄2023/QHI5", "27/2023/QH15"),
    ("32/2024/0H15", "32/2024/QH15"),
    ("31⁄2024/QH15,", "31/2024/QH15,"),
    # the year's slashes doubled and lost (qngai-88-qd-ub: `Số I 01/⁄2024NĐ-CP`)
    ("01/⁄2024NĐ-CP", "01/2024/NĐ-CP"),
    # a crossed D read twice (caobang-ubnd-qd-157-1999)
    ("157/QĐĐ-NĐ-UB", "157/QĐ-NĐ-UB"),
    # what was printed so stays: a doubled letter in the body may be meant (qngai-90-qd-ct)
    ("1488/TTT-VP", "1488/TTT-VP"),
    ("01/KH-BCĐ389QNg", "01/KH-BCĐ389QNg"),
    ("847/UBND-VX1", "847/UBND-VX1"),
    ("08-QĐ/TW", "08-QĐ/TW"),
    ("12/1A", "12/1A"),                   # a house number
    ("17/3/2021", "17/3/2021"),
    ("15/01/2025;", "15/01/2025;"),
    ("COVID-19", "COVID-19"),
    ("5/Khu", "5/Khu"),
    ("UBND-TTHI", "UBND-TTHI"),           # no number: not a reference
]


@pytest.mark.parametrize("read, printed", GLYPHS)
def test_mend_symbols(read: str, printed: str) -> None:
    assert mend_symbols([read]) == [printed]


def _line(*spec: tuple[str, int, int]) -> list[Word]:
    """Words (text, left, width) of one line, an em of 52 px (a 12.5 pt line at 300 dpi)."""
    return [Word(text=t, left=x, top=100, width=w, height=52, conf=90.0, line=(1, 1, 1)) for t, x, w in spec]


# (words with their boxes as tesseract gave them on the real scans, the line's words after)
SPLITS = [
    # `6658/UBND-` | `KTTH` 2 px apart, spaces 27 px (qngai-16ct p3)
    (_line(("Công", 0, 90), ("văn", 117, 70), ("số", 214, 40), ("6658/UBND-", 281, 260), ("KTTH", 543, 120),
           ("ngày", 690, 90)),
     ["Công", "văn", "số", "6658/UBND-KTTH", "ngày"]),
    # `08-` | `QĐ/TW` 4 px apart (qngai-16ct p2)
    (_line(("số", 0, 40), ("08-", 65, 60), ("QĐ/TW", 129, 140)), ["số", "08-QĐ/TW"]),
    # a hyphen read at both sides of the cut is one hyphen
    (_line(("số", 0, 40), ("37-", 65, 60), ("-QĐ/TW", 128, 150)), ["số", "37-QĐ/TW"]),
    (_line(("số", 0, 40), ("1368/QĐ-", 65, 180), ("-UBND", 248, 130)), ["số", "1368/QĐ-UBND"]),
    # a number's first digit cut off (qngai-87-qdub)
    (_line(("số", 0, 40), ("3", 66, 22), ("1⁄2024/QH15,", 91, 250)), ["số", "31⁄2024/QH15,"]),
    # …read as `I` (qngai-88-qd-ub: `Số I 01/⁄2024NĐ-CP`)
    (_line(("Số", 0, 40), ("I", 66, 12), ("01/⁄2024NĐ-CP", 80, 300)), ["Số", "101/⁄2024NĐ-CP"]),
    (_line(("Mục", 0, 60), ("I", 90, 12), ("01/2024", 130, 150)), ["Mục", "I", "01/2024"]),
    # a 1 cut off 7 px from the rest in a line of 25 px spaces (qngai-88-qd-ub: `1 466/QĐ-UBND`)
    (_line(("định", 0, 80), ("số", 105, 40), ("1", 170, 20), ("466/QĐ-UBND", 197, 260), ("ngày", 482, 90)),
     ["định", "số", "1466/QĐ-UBND", "ngày"]),
    # …but a space as narrow as the line's others is a space (a tight line of 15 px spaces)
    (_line(("khoản", 0, 110), ("3", 125, 22), ("7/2023/NQ-HĐND", 157, 300), ("ngày", 472, 90)),
     ["khoản", "3", "7/2023/NQ-HĐND", "ngày"]),
    # a typist's space is a space: 29 px in a line of 28 px spaces (qngai-05ct p1)
    (_line(("số", 0, 40), ("17/NQ-", 68, 140), ("CP", 237, 60)), ["số", "17/NQ-", "CP"]),
    # words that are no symbol stay apart however close
    (_line(("Khánh", 0, 120), ("-", 122, 20), ("Nam", 144, 80)), ["Khánh", "-", "Nam"]),
    (_line(("ngày", 0, 90), ("15", 95, 40), ("tháng", 138, 100)), ["ngày", "15", "tháng"]),
]


@pytest.mark.parametrize("line, joined", SPLITS)
def test_join_split(line: list[Word], joined: list[str]) -> None:
    assert [w.text for w in join_split(line)] == joined


def test_joined_word_spans_both_halves() -> None:
    a, b = _line(("6658/UBND-", 281, 260), ("KTTH", 543, 120))
    (w,) = join_split([a, b])
    assert (w.left, w.right, w.conf) == (281, 663, 90.0)


def test_symbol_wrapped_at_its_hyphen_is_mended_on_the_next_line() -> None:
    # `484/TTr-CAT-` ends the line, `1M(CSKT)` opens the next (qngai-15-qd-xp)
    assert mend_symbols(["1M(CSKT)", "ngày"], carried="484/TTr-CAT-") == ["TM(CSKT)", "ngày"]
    assert mend_symbols(["1M(CSKT)", "ngày"], carried="trình") == ["1M(CSKT)", "ngày"]
