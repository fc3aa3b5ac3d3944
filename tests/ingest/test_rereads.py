"""The Nơi nhận column read again alone (rereads.reread_recipients): where its box stands, which
of the page pass's lines it replaces, and what two real scans then give."""
from __future__ import annotations

import pytest
from PIL import Image

from pipeline.ingest.rereads import _recipients_box, _spoiled
from pipeline.ingest.tesseract import Word
from pipeline.model import Region


def word(text, left, top, conf=95.0, width=40, height=20):
    # one tesseract line a row of the page, as its page pass gives a list beside a title
    return Word(text=text, left=left, top=top, width=width, height=height, conf=conf, line=("1", "1", str(top)))


PAGE = Image.new("L", (1240, 1754), 255)


def test_the_box_runs_from_the_heading_to_the_other_column_and_the_lists_end():
    words = [word("Nơi", 250, 1000), word("nhận:", 300, 1000), word("TM.", 700, 995, conf=0),
             word("UBND", 760, 995), word("-", 250, 1030, width=8), word("Như", 265, 1030), word("trên;", 310, 1030),
             word("-", 250, 1060, width=8), word("Lưu:", 265, 1060), word("VT.", 310, 1060),
             word("3", 600, 1700)]           # the page number far below ends nothing of the list
    left, top, right, bottom = _recipients_box(PAGE, words)
    assert left < 250 and top <= 1000
    assert 360 < right < 700                 # short of the other column's first word, sure or not
    assert 1080 <= bottom < 1700


@pytest.mark.parametrize("words", [
    [word("Nơi", 250, 1000), word("nhận:", 300, 1000)],                            # no other column
    [word("Kính", 250, 1000), word("gửi:", 300, 1000), word("CHỦ", 700, 1000)],    # no heading
])
def test_no_box_without_a_heading_and_another_column(words):
    assert _recipients_box(PAGE, words) is None


@pytest.mark.parametrize("old, new, spoiled", [
    # a word dropped below the floor (`VT,` read at 1)
    (["Lưu:", ("VT,", 1.0), "P.KTTHTien31"], ["Lưu:", "VT,", "P.KTTHTien31"], True),
    # a sign dropped is no word lost: the page pass's `- Như trên;` stands (qngai-09-ttr: the column read `bo`)
    (["-", "Như", "trên;", (":", 0.0)], ["-", "Như", "trên;", ("bo", 26.0)], False),
    # a word lost to the other column's line (`- VPUB: CVP,` for `- VPUB: CVP, PCVP;`)
    (["-", "VPUB:", "CVP,"], ["-", "VPUB:", "CVP,", "PCVP;"], True),
    # read whole: kept, a lone letter of the seal after the new reading not counted
    (["-", "Các", "Sở:", "Tài", "chính,", "Nội", "vụ;"], ["-", "Các", "Sở:", "Tài", "chính,", "Nội", "vụ;", "Z"], False),
    (["-", "Như", "Điều", "5;"], ["-", "Như", "Điều", "§;"], False),
])
def test_a_line_of_the_page_pass_is_spoiled_when_it_lost_a_word(old, new, spoiled):
    def words(texts):
        return [word(*t[:1], 100 + 50 * k, 1000, conf=t[1]) if isinstance(t, tuple) else word(t, 100 + 50 * k, 1000)
                for k, t in enumerate(texts)]
    assert _spoiled(words(old), words(new)) is spoiled


# Nơi nhận lines the page pass ran into the large title beside them, as the column gives them
# (lines dropped whole or joined: qngai-ubnd-cv-575-2025 read `- Như trên;` as `ng.`)
COLUMN_LINES = [("qngai-ubnd-cv-575-2025.scan.pdf", ["Nơi nhận:", "- Như trên;", "- VPUB: CVP, PCVP;", "- Cổng TT-ĐT tỉnh;"]),
                ("qngai-22-ttr.scan.pdf", ["- Ban Dân tộc - Tôn giáo tỉnh;", "- VPUB: CVP, PCVP;", "- Cổng TT-ĐT tỉnh;"])]


@pytest.mark.parametrize("name, lines", COLUMN_LINES)
def test_real_recipient_lines_beside_a_title_are_read_alone(real_doc, name, lines):
    left = [b.text for b in real_doc(name).blocks if b.region == Region.FOOTER_LEFT]
    assert all(line in left for line in lines), left


def test_a_sentence_that_opens_with_the_words_is_no_heading():
    words = [word("Nơi", 250, 1000), word("nhận", 300, 1000), word("hồ", 345, 1000), word("sơ:", 390, 1000),
             word("Bộ", 435, 1000), word("phận", 480, 1000), word("một", 660, 1000), word("cửa", 705, 1000)]
    assert _recipients_box(PAGE, words) is None
