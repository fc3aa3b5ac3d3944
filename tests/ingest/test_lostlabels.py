"""A list label the page pass left unread or read as no label, read again (ingest/lostlabels.py),
and the label glyphs repair.py writes as printed. Tables of the tokens and lines tesseract gave on
the real scans of ../shared/corpus/real, and of what must be left alone."""
from __future__ import annotations

import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.ingest import lostlabels
from pipeline.ingest.lostlabels import _anchor, _opens_paragraph, is_label, reread_lost_labels
from pipeline.ingest.repair import _foreign, label_glyph
from pipeline.ingest.tesseract import Word

LABELS = [("-", True), ("2.", True), ("d)", True), ("10.", True), ("IV.", True), ("+", True), ("•", True),
          ("(1)", True),
          # words, numbers and stops are no label
          ("Các", False), ("2024", False), ("5", False), (".", False), (",", False), ("a", False),
          ("Điều", False), ("vị", False)]


@pytest.mark.parametrize("token, label", LABELS)
def test_is_label(token, label):
    assert is_label(token) is label


def _line(*texts: str, line: tuple = ("2", "1", "1")) -> list[Word]:
    return [Word(t, 100 + 60 * k, 200, 50, 28, 95.0, line) for k, t in enumerate(texts)]


# (a line as the page pass read it, the word a lost label is read again before, or None)
ANCHORS = [
    (("Các", "sở,", "ban"), "Các"),          # qngai-51-qd-ub p3: `2.` read at 19, dropped
    (("~", "Rà", "soát,"), "Rà"),            # qngai-51-qd-ub p2: the dash read as `~`
    (("__5-", "Trong", "quá"), "Trong"),     # qngai-84-qd-ub p2: `5.` behind a rule's end
    # a label already, or a glyph repair.py writes as one (`©)` → `c)`, `ø)` → `g)`)
    (("2.", "Các", "sở,"), None), (("-", "Rà", "soát,"), None), (("©)", "Bảo", "đảm"), None),
    (("ø)", "Chủ", "trì,"), None), (("§.", "Hiệp", "hội"), None),
    # a number or a sign before a lower-case word is no misread label
    (("2024", "là", "năm"), None), (("18", "tháng", "3"), None),
]


@pytest.mark.parametrize("texts, anchor", ANCHORS)
def test_anchor(texts, anchor):
    found = _anchor(_line(*texts))
    assert (found.text if found else None) == anchor


def test_opens_paragraph():
    first = _line("Các", "sở,", line=("2", "1", "1"))
    wrapped = _line("điều", "động", line=("2", "1", "2"))
    indented = [Word("Việc", 395, 416, 70, 38, 97.0, ("3", "1", "2"))]
    assert _opens_paragraph(first, 265.0)
    assert not _opens_paragraph(wrapped, 100.0)
    assert _opens_paragraph(indented, 265.0)          # qngai-09-ttr p2: a dash lost mid-paragraph


GLYPHS = [("©)", "c)"), ("ø)", "g)"), ("§.", "8."), ("5,", "5,"), ("Các", "Các"), ("øy", "øy")]


@pytest.mark.parametrize("read, printed", GLYPHS)
def test_label_glyph(read, printed):
    assert label_glyph(read) == printed


def test_em_dash_between_words_is_an_en_dash():
    assert _foreign("—") == "–"
    assert _foreign("Nghĩa—") == "Nghĩa—"


def _page(dash: bool) -> tuple[Image.Image, list[Word]]:
    """A line of print whose dash the page pass did not read: its words as tesseract gave them."""
    font = ImageFont.truetype("DejaVuSerif.ttf", 40)
    img = Image.new("L", (1400, 200), 255)
    draw = ImageDraw.Draw(img)
    if dash:
        draw.text((120, 70), "-", font=font, fill=0)
    words, x = [], 170
    for text in ("Rà", "soát,", "đôn", "đốc"):
        draw.text((x, 70), text, font=font, fill=0)
        left, top, right, bottom = draw.textbbox((x, 70), text, font=font)
        words.append(Word(text, left, top, right - left, bottom - top, 96.0, ("1", "1", "1")))
        x = right + 22
    return img, words


def test_reread_finds_the_dash_the_page_pass_lost():
    img, words = _page(dash=True)
    out = reread_lost_labels(img, words, 0.36, "page.png", 1)
    added = [w for w in out if w not in words]
    assert [w.text for w in added] == ["-"] and added[0].right <= words[0].left


def test_reread_leaves_a_blank_indent_alone(monkeypatch):
    img, words = _page(dash=False)
    monkeypatch.setattr(lostlabels.tesseract, "read_images", lambda *a, **k: pytest.fail("read again"))
    assert reread_lost_labels(img, words, 0.36, "page.png", 1) == words


def test_a_dash_is_told_by_its_shape():
    import numpy as np
    from pipeline.ingest.lostlabels import _ink_left_of
    img, words = _page(dash=True)
    boxes = [(w.left, w.top, w.right, w.bottom) for w in words]
    box, dash = _ink_left_of(np.asarray(img), words[0], boxes)
    assert box is not None and dash is not None and dash.text == "-" and dash.right <= words[0].left


def test_a_stop_is_no_dash():
    import numpy as np
    from pipeline.ingest.lostlabels import _ink_left_of
    img, words = _page(dash=False)
    ImageDraw.Draw(img).text((135, 70), ".", font=ImageFont.truetype("DejaVuSerif.ttf", 40), fill=0)
    boxes = [(w.left, w.top, w.right, w.bottom) for w in words]
    assert _ink_left_of(np.asarray(img), words[0], boxes)[1] is None
