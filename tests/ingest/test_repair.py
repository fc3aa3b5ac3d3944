"""OCR repair in ingest: tables of real misreadings (from the real scans of ../shared/corpus/real)
and what they must become, and of correct Vietnamese they must leave alone."""
from __future__ import annotations

import pytest

from pipeline.ingest.repair import _caps_phrase, _family_name, _relabel, mend_words
from pipeline.ingest.symbols import mend_symbol

# (as tesseract read it on a real scan, as printed)
MISREADINGS = [
    ("bỗ sung dự toán", "bổ sung dự toán"),
    ("sửa đỗi, bổ sung", "sửa đổi, bổ sung"),
    ("thẩm quyên quản lý", "thẩm quyền quản lý"),
    ("Quyêt định này", "Quyết định này"),
    ("hiệu lực thi hành kê từ ngày ký", "hiệu lực thi hành kể từ ngày ký"),
    ("trong kỳ hệ thông hóa", "trong kỳ hệ thống hóa"),
    ("KÉT QUÁ THỰC HIỆN", "KẾT QUẢ THỰC HIỆN"),
    ("là bât hợp lý", "là bất hợp lý"),
    ("theo diện nhiều thê hệ", "theo diện nhiều thế hệ"),
    ("nguôn thu nhập", "nguồn thu nhập"),
    ("nhận thây khiêu nại", "nhận thấy khiếu nại"),
    ("trung học phỗ thông", "trung học phổ thông"),
    ("SỰ CÀN THIẾT BAN HÀNH NGHỊ QUYÉT", "SỰ CẦN THIẾT BAN HÀNH NGHỊ QUYẾT"),
    ("công bô Danh mục", "công bố Danh mục"),
    ("giải quyêt TTHC", "giải quyết TTHC"),
    ("đôi với ông", "đối với ông"),
    ("đồng thời, câp phát kinh phí", "đồng thời, cấp phát kinh phí"),
    ("Sở Xây dụng", "Sở Xây dựng"),
    ("Tổ chúc Chính phủ", "Tổ chức Chính phủ"),
    ("Hội đông nhân dân", "Hội đồng nhân dân"),
    # a capital after a bullet or a label opens a sentence, not a name (qngai-2770, qngai-05ct)
    ("- Thâm định chặt chẽ hồ sơ", "- Thẩm định chặt chẽ hồ sơ"),
    ("- Đây mạnh công tác cải cách", "- Đẩy mạnh công tác cải cách"),
    ("a) Khân trương hoàn thiện", "a) Khẩn trương hoàn thiện"),
    # a hatted vowel read with no tone: the slip tesseract makes most (qngai-11ct, qngai-51-qd-ub)
    ("kinh phí đê tổ chức Kỳ thi", "kinh phí để tổ chức Kỳ thi"),
    ("từ năm học 2017-2018 đên năm học 2020-2021", "từ năm học 2017-2018 đến năm học 2020-2021"),
    ("thông sô kỹ thuật", "thông số kỹ thuật"),
    # syllables a hyphen joins, each mended with its neighbour (qngai-11ct Nơi nhận)
    ("Đài Phát thanh-Truyẻn hình tỉnh", "Đài Phát thanh-Truyền hình tỉnh"),
]

# correct text the mending must not touch: common words beside rarer spellings of their
# letters, old tone placement, names, codes
CORRECT = [
    "Độc lập - Tự do - Hạnh phúc",
    "các quận, huyện",
    "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Uỷ ban nhân dân tỉnh Quảng Ngãi",
    "Chủ tịch UBND tỉnh có ý kiến như sau:",
    "Sở Tài chính chủ trì, phối hợp với các cơ quan",
    "Trần Phước Hiên",
    "ông Trần Văn Đây",
    "- Ban Văn hóa - Xã hội, HĐND tỉnh",
    "Sở Thông tin và Truyền thông chủ trì",        # a hatted vowel in a word as read stands
    "Thời gian tính nâng bậc lương lần sau",
    "tăng cường công tác thi hành án",
    "nhà dột nát",
    "V/v góp ý dự thảo Quyết định 2269/QĐ-TTg",
    # hyphened syllables read right stay as read, abbreviations beside them too
    "Mặt trận và các tổ chức chính trị-xã hội tỉnh", "Đài PT-TH Quảng Ngãi", "Cổng TT-ĐT tỉnh",
    "tỉnh Bà Rịa-Vũng Tàu", "Đài Phát thanh-Truyền hình tỉnh",
]


@pytest.mark.parametrize("read, printed", MISREADINGS)
def test_misread_syllables_are_mended(read, printed):
    words = read.split()
    assert " ".join(mend_words(words, [96.0] * len(words))) == printed


@pytest.mark.parametrize("text", CORRECT)
def test_correct_text_is_left_alone(text):
    words = text.split()
    assert mend_words(words, [96.0] * len(words)) == words


@pytest.mark.parametrize("read, printed", [
    ("hạm Trường Thọ", "Phạm Trường Thọ"),        # the P under a seal
    ("rần Ngọc Căng", "Trần Ngọc Căng"),
    ("Nguyên Hoàng Giang", "Nguyễn Hoàng Giang"),
    ("Trân Phước Hiền", "Trần Phước Hiền"),
    ("Nơi nhận:", "Nơi nhận:"),
    ("Trần Phước Hiền", "Trần Phước Hiền"),
])
def test_family_names(read, printed):
    assert " ".join(_family_name(read.split())) == printed


@pytest.mark.parametrize("read, printed", [
    ("oi nhận: T/M UBND", "Nơi nhận: T/M UBND"),
    ("@Wơi nhận:", "Nơi nhận:"),                   # the italic N read as a W after a speck (qngai-ubnd-cv-575-2025)
    ("Mới nhận:", "Nơi nhận:"),                    # (qngai-47-qd-ub)
    ("Nơi nhân:", "Nơi nhận:"),
    ("Kính gửi: Sở Tài chính", "Kính gửi: Sở Tài chính"),
    ("Nội dung", "Nội dung"),
])
def test_labels(read, printed):
    assert " ".join(_relabel(read.split())) == printed


@pytest.mark.parametrize("read, printed", [
    ("PHÓ CHỦ TỊC", "PHÓ CHỦ TỊCH"),              # the H under a seal
    ("PHO CHU TỊCH", "PHÓ CHỦ TỊCH"),
    ("QUYÉT ĐỊNH", "QUYẾT ĐỊNH"),
    ("TỈNH QUẢNG NGÃI", "TỈNH QUẢNG NGÃI"),
    ("Phó Chủ tịch", "Phó Chủ tịch"),               # not in capitals: not a printed title line
])
def test_capital_phrases(read, printed):
    assert " ".join(_caps_phrase(read.split())) == printed


@pytest.mark.parametrize("read, printed", [
    ("QĐĐ-UBND", "QĐ-UBND"), ("TIr-UBND", "TTr-UBND"), ("CI-UBND", "CT-UBND"),
    ("QĐÐ-NĐ-UB", "QĐ-NĐ-UB"), ("UBND-KTTH", "UBND-KTTH"), ("C-UBND", "C-UBND"),
])
def test_symbols(read, printed):
    assert mend_symbol(read) == printed


def _page(lines: list[tuple[str, float]]) -> list:
    """Words of one tesseract paragraph, a line each, as tesseract reads a body paragraph."""
    from pipeline.ingest.tesseract import Word
    words = []
    for n, (text, conf) in enumerate(lines, 1):
        left = 100
        for t in text.split():
            words.append(Word(text=t, left=left, top=40 * n, width=12 * len(t), height=30, conf=conf,
                              line=("4", "1", str(n))))
            left += 12 * len(t) + 12
    return words


@pytest.mark.parametrize("lines, printed", [
    # a word cut by the line's end is mended from the line it goes on to (qngai-51-qd-ub)
    ([("có liên quan đê tô", 96), ("chức thực hiện.", 97)], "có liên quan để tổ | chức thực hiện."),
    # the word opening a line may open a sentence: not taken for a name (qngai-24-ttr)
    ([("chức danh Ủy viên", 97), ("Uy ban nhân dân tỉnh", 74)], "chức danh Ủy viên | Ủy ban nhân dân tỉnh"),
    # a symbol's crossed D read twice (a typewriter's, caobang 1999; qngai-51-qd-ub); other
    # doubled letters may be meant
    ([("Số: 157/QĐĐ-NĐ-UB", 87)], "Số: 157/QĐ-NĐ-UB"),
    ([("theo Quyết định số 304/QĐĐ-UB ngày", 90)], "theo Quyết định số 304/QĐ-UB ngày"),
    ([("Số: 1488 /TTT-VP", 90)], "Số: 1488 /TTT-VP"),
    # a paragraph's label with its stop read as a comma (qngai-2770-08-ct-ubnd)
    ([("5, Đối với các dự án chậm tiến độ", 96)], "5. Đối với các dự án chậm tiến độ"),
    # … but a number that a wrapped line goes on with stays as written
    ([("theo khoản 3 Điều 4,", 96), ("5, Chương II của Luật", 96)], "theo khoản 3 Điều 4, | 5, Chương II của Luật"),
])
def test_lines_are_mended_with_the_line_they_continue(lines, printed):
    from pipeline.ingest.repair import mend_page
    from pipeline.ingest.tesseract import lines_of
    mended = mend_page(_page(lines))
    assert " | ".join(" ".join(w.text for w in line) for line in lines_of(mended)) == printed


@pytest.mark.parametrize("read, printed", [
    ("Quảng Ngãi, ngà tháng 5 năm 2021", "Quảng Ngãi, ngày tháng 5 năm 2021"),   # a pen's day crowded it (qngai-11ct)
    ("Quảng Ngãi, ngay 11 tháng 5 năm 2021", "Quảng Ngãi, ngày 11 tháng 5 năm 2021"),
    ("Quảng Ngãi, ngày 11 tháng 5 năm 2021", "Quảng Ngãi, ngày 11 tháng 5 năm 2021"),
    ("ngà voi tháng trước", "ngà voi tháng trước"),                               # no date
])
def test_the_day_word_of_a_date(read, printed):
    from pipeline.ingest.repair import _day_word
    assert " ".join(_day_word(read.split())) == printed


@pytest.mark.parametrize("read, printed", [
    ("Hñã", "Hã"),            # a seal's edge over the grave of Hà (qngai-ubnd-cv-575-2025)
    ("Hà", "Hà"), ("ñ", "ñ"),
])
def test_letters_no_vietnamese_word_holds(read, printed):
    from pipeline.ingest.repair import _foreign
    assert _foreign(read) == printed


# Two syllables OCR ran together in tight bold type, and words that must stay whole (issue #11;
# qngai-04ct reads `Vềviệc tăng cường…` under `CHỈ THỊ`)
GLUED = [
    (["Vềviệc", "tăng", "cường"], ["Về việc", "tăng", "cường"]),
    (["(Vềviệc:"], ["(Về việc:"]),
    (["thựchiện"], ["thực hiện"]),
    (["UBND", "QĐ-UBND", "Nguyễn", "Ngãi", "việc", "COVID-19", "email", "website"],
     ["UBND", "QĐ-UBND", "Nguyễn", "Ngãi", "việc", "COVID-19", "email", "website"]),
]


@pytest.mark.parametrize("read, printed", GLUED)
def test_syllables_run_together_are_set_apart(read, printed):
    from pipeline.ingest.repair import _unglued
    assert _unglued(read) == printed


# (a Nơi nhận line as tesseract read it on a real scan, as printed): set phrases whose letters
# OCR read into other syllables (rules/ocr/set_phrases.txt)
SET_PHRASES = [
    ("- Công TTĐT tỉnh;", "- Cổng TTĐT tỉnh;"),                    # qngai-51-qd-ub, qngai-84-qd-ub, qngai-11-ct
    ("- Công TT-ĐT tỉnh;", "- Cổng TT-ĐT tỉnh;"),                  # qngai-ubnd-cv-575-2025
    ("- Công Thông tin điện tử tỉnh;", "- Cổng Thông tin điện tử tỉnh;"),   # qngai-04-qd-138
    ("- Như Điêu 3;", "- Như Điều 3;"),                           # qngai-89-qd-ct
    ("- CÔNG TTĐT TỈNH;", "- CỔNG TTĐT TỈNH;"),                   # in the case it was read in
]
# what the same letters may mean elsewhere: left alone
NOT_SET_PHRASES = ["công tác thông tin", "Công ty Điện lực Quảng Ngãi;", "Công an tỉnh;", "Điêu Chính Tơi",
                   "- Cổng TTĐT tỉnh;", "như điều kiện"]


@pytest.mark.parametrize("read, printed", SET_PHRASES + [(t, t) for t in NOT_SET_PHRASES])
def test_set_phrases(read, printed):
    from pipeline.ingest.repair import set_phrases
    assert " ".join(set_phrases(read.split())) == printed


@pytest.mark.parametrize("read, printed", [
    ("P.KTTHT¡en31", "P.KTTHTien31"), ("NC(V¡55)", "NC(Vi55)"),   # a drafter's initials after Lưu: (qngai-ubnd-qd-86-2025)
    ("¿", "¿"),
])
def test_signs_read_for_a_small_letter(read, printed):
    from pipeline.ingest.repair import _lookalike
    assert _lookalike(read) == printed


@pytest.mark.parametrize("read, printed", [
    ("UBRD", "UBND"), ("DBND", "UBND"),          # - PCT UBRD tỉnh; (qngai-299-ub), - CT, PCT DBND tỉnh; (qngai-ubnd-cv-575-2025)
    ("HĐNĐ", "HĐND"), ("HDND", "HĐND"), ("PCVE,", "PCVP,"),   # (qngai-22-ttr)
    # real abbreviations one letter from a rarer one, or from none of the common ones: as read
    ("KTNS", "KTNS"), ("TKCN", "TKCN"), ("XTĐT", "XTĐT"), ("KGVX", "KGVX"), ("UBND", "UBND"), ("HĐND", "HĐND"),
    ("VPCP", "VPCP"), ("Ubnd", "Ubnd"), ("TTHC;", "TTHC;"),
])
def test_common_abbreviations(read, printed):
    from pipeline.ingest.repair import _common_abbreviation
    assert _common_abbreviation(read) == printed
