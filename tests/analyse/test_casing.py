"""Names typed in capitals, written as Nghị định 30/2020/NĐ-CP Phụ lục II writes them: the
head as the vocabulary has it, each field's first syllable capitalised, the administrative
unit in lower case and the place's name capitalised, proper names kept (rules/name_case.tsv)."""
from __future__ import annotations

import pytest

from pipeline.analyse.casing import body_case

CASES = [
    ("BỘ NỘI VỤ", "Bộ Nội vụ"),
    ("VĂN PHÒNG CHÍNH PHỦ", "Văn phòng Chính phủ"),
    ("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "Ủy ban nhân dân Thành phố Hồ Chí Minh"),
    ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "Ủy ban nhân dân tỉnh Quảng Ngãi"),
    ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Sở Khoa học và Công nghệ"),
    ("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Bộ Lao động - Thương binh và Xã hội"),
    ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI TỈNH HẬU GIANG", "Sở Lao động - Thương binh và Xã hội tỉnh Hậu Giang"),
    ("BỘ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", "Bộ Nông nghiệp và Phát triển nông thôn"),
    ("BAN CHỈ ĐẠO 138", "Ban Chỉ đạo 138"),
    ("UBND TỈNH QUẢNG NGÃI", "UBND tỉnh Quảng Ngãi"),
    ("TỈNH ỦY QUẢNG NGÃI", "Tỉnh ủy Quảng Ngãi"),
    ("HUYỆN ỦY NGHI LỘC", "Huyện ủy Nghi Lộc"),
    ("VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH", "Văn phòng Ủy ban nhân dân tỉnh"),
    ("CỤC THUẾ TỈNH QUẢNG NGÃI", "Cục Thuế tỉnh Quảng Ngãi"),
    ("TRƯỜNG ĐẠI HỌC SƯ PHẠM", "Trường Đại học Sư phạm"),
    ("NGÂN HÀNG NHÀ NƯỚC VIỆT NAM", "Ngân hàng Nhà nước Việt Nam"),
    ("ỦY BAN NHÂN DÂN", "Ủy ban nhân dân"),
    ("Sở Y tế", "Sở Y tế"),                                      # mixed case: as written
]


@pytest.mark.parametrize("typed, written", CASES)
def test_body_names_as_the_decree_writes_them(typed, written):
    assert body_case(typed) == written
