"""TCVN3 (ABC) and VNI Windows text → Unicode, with real phrases of notices."""
from __future__ import annotations

import pytest

from pipeline.rules import table
from pipeline.ingest.legacy import (convert_tcvn3, convert_vni, detect_legacy, fix_legacy,
                                    font_encoding, is_caps_font)

TCVN3 = [
    ("Céng hßa x· héi chñ nghÜa viÖt nam", "Cộng hòa xã hội chủ nghĩa việt nam"),
    ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
    ("UBND tØnh Qu¶ng Ng·i", "UBND tỉnh Quảng Ngãi"),
    ("Së Khoa häc vµ C«ng nghÖ", "Sở Khoa học và Công nghệ"),
    ("N¬i nhËn:", "Nơi nhận:"),
    ("Ng­êi ký: NguyÔn V¨n An", "Người ký: Nguyễn Văn An"),
    ("Quy Õt ®Þnh vÒ viÖc thu håi", "Quy ết định về việc thu hồi"),
    ("¡n ¢m £m ¤ng ¥n ¦u §¨", "Ăn Âm Êm Ông Ơn Ưu Đă"),
    ("kÕ ho¹ch c«ng t¸c quý II n¨m 2021", "kế hoạch công tác quý II năm 2021"),
    ("tr­íc ngµy 30/6/2021", "trước ngày 30/6/2021"),
]

TCVN3_CAPS = [  # .VnTimeH: lowercase codes drawn as capitals
    ("céng hßa x· héi chñ nghÜa viÖt nam", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("ñy ban nh©n d©n tØnh", "ỦY BAN NHÂN DÂN TỈNH"),
    ("th«ng b¸o", "THÔNG BÁO"),
]

VNI = [
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
    ("UÛY BAN NHAÂN DAÂN TÆNH", "ỦY BAN NHÂN DÂN TỈNH"),
    ("Nôi nhaän:", "Nơi nhận:"),
    ("Nguyeãn Vaên Dieäp", "Nguyễn Văn Diệp"),
    ("Sôû Khoa hoïc vaø Coâng ngheä", "Sở Khoa học và Công nghệ"),
    ("thaùng 10 naêm 2009", "tháng 10 năm 2009"),
    ("tröôùc ngaøy 15/7", "trước ngày 15/7"),
    ("kyø hoïp thöù ba", "kỳ họp thứ ba"),
    ("Thuû töôùng Chính phuû", "Thủ tướng Chính phủ"),
    ("ñaõ ñöôïc söûa ñoåi", "đã được sửa đổi"),
    ("AÊn uoáng", "Ăn uống"),
]


@pytest.mark.parametrize("legacy, unicode", TCVN3)
def test_convert_tcvn3(legacy, unicode):
    assert convert_tcvn3(legacy) == unicode


@pytest.mark.parametrize("legacy, unicode", TCVN3_CAPS)
def test_convert_tcvn3_caps_font(legacy, unicode):
    assert convert_tcvn3(legacy, caps=True) == unicode


@pytest.mark.parametrize("legacy, unicode", VNI)
def test_convert_vni(legacy, unicode):
    assert convert_vni(legacy) == unicode


DETECT = [
    ("Céng hßa x· héi chñ nghÜa viÖt nam", None, "tcvn3"),
    ("UBND tØnh Qu¶ng Ng·i", None, "tcvn3"),
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", None, "vni"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", None, "vni"),
    ("Cộng hòa xã hội chủ nghĩa Việt Nam", None, None),   # already Unicode
    ("Tôi là Bá", None, None),                             # Unicode within Latin-1
    ("Báo cáo kết quả", None, None),
    ("Müller", None, None),                                # one odd letter decides nothing
    ("Report 2021", None, None),
    ("abc", ".VnTime", "tcvn3"),                           # the font decides
    ("abc", "VNI-Times", "vni"),
    ("Céng hßa x· héi", "Times New Roman", "tcvn3"),  # a Unicode font name: letters decide
]


@pytest.mark.parametrize("text, font, expected", DETECT)
def test_detect_legacy(text, font, expected):
    assert detect_legacy(text, font) == expected


@pytest.mark.parametrize("font, enc, caps", [
    (".VnTime", "tcvn3", False), (".VnTimeH", "tcvn3", True), (".VnArial", "tcvn3", False),
    (".VnArialH", "tcvn3", True), (".VnCentury SchoolbookH", "tcvn3", True),
    ("VNI-Times", "vni", False), ("VNI-Helve", "vni", False), ("Times New Roman", None, False),
    (None, None, False), ("", None, False),
])
def test_font_names(font, enc, caps):
    assert font_encoding(font) == enc
    assert is_caps_font(font) == caps


def test_fix_legacy_leaves_unicode_alone():
    assert fix_legacy("Quảng Ngãi, ngày 02 tháng 4 năm 2021") == "Quảng Ngãi, ngày 02 tháng 4 năm 2021"


@pytest.mark.parametrize("name, rows", [("tcvn3", 74), ("vni", 134)])
def test_tables_are_data_with_a_source_line(name, rows):
    from pipeline.rules import RULES_DIR
    first = (RULES_DIR / "legacy" / f"{name}.tsv").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# ")
    data = table(f"legacy/{name}.tsv")
    assert len(data) >= rows
    assert len({r["legacy"] for r in data}) == len(data)  # no sequence mapped twice
