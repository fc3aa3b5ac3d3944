"""Plain-text notices in the encodings they arrive in."""
from __future__ import annotations

import codecs

import pytest

from pipeline.errors import EmptyDocument
from pipeline.ingest import read_bytes, text

NOTICE = "UBND TỈNH QUẢNG NGÃI\r\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\r\n\r\nTHÔNG BÁO\r\nKết luận của Giám đốc Sở\n"


def cp1258(s: str) -> bytes:
    """Encode as Windows-1258 does: letter with its vowel mark precomposed, tone combining."""
    import unicodedata as ud
    out = bytearray()
    for ch in ud.normalize("NFC", s):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            d = ud.normalize("NFD", ch)
            tones = "".join(c for c in d if c in "\u0300\u0301\u0303\u0309\u0323")
            base = ud.normalize("NFC", "".join(c for c in d if c not in tones))
            out += (base + tones).encode("cp1258")
    return bytes(out)


LINES = ["UBND TỈNH QUẢNG NGÃI", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "THÔNG BÁO", "Kết luận của Giám đốc Sở"]

ENCODED = [
    ("utf-8", NOTICE.encode("utf-8"), "utf-8"),
    ("utf-8-bom", codecs.BOM_UTF8 + NOTICE.encode("utf-8"), "utf-8-sig"),
    ("utf-16-le-bom", codecs.BOM_UTF16_LE + NOTICE.encode("utf-16-le"), "utf-16"),
    ("utf-16-be-bom", codecs.BOM_UTF16_BE + NOTICE.encode("utf-16-be"), "utf-16"),
    ("cp1258", cp1258(NOTICE), "cp1258"),
    ("nfd-utf-8", __import__("unicodedata").normalize("NFD", NOTICE).encode("utf-8"), "utf-8"),
]


@pytest.mark.parametrize("case, data, encoding", ENCODED, ids=[c[0] for c in ENCODED])
def test_encodings(case, data, encoding):
    assert text.decode(data)[1] == encoding
    doc = text.read(data, f"{case}.txt")
    assert [b.text for b in doc.blocks] == LINES
    assert doc.format == "txt"


def test_tcvn3_file_is_converted():
    data = "Céng hßa x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc\n".encode("latin-1")
    doc = text.read(data, "old.txt")
    assert [b.text for b in doc.blocks] == ["Cộng hòa xã hội chủ nghĩa Việt Nam",
                                            "Độc lập - Tự do - Hạnh phúc"]


def test_a_tcvn3_file_is_converted_line_by_line_even_where_a_line_alone_could_not_tell():
    data = ("UBND TØNH §¾K L¾K          Céng hßa x· héi chñ nghÜa ViÖt Nam\n"
            "Sè: 87/BC-SGD§T\n"
            "Tæng kÕt n¨m häc 2020-2021 vµ ph­¬ng h­íng, nhiÖm vô n¨m häc 2021-2022\n").encode("latin-1")
    assert text.decode(data)[1] == "tcvn3"
    doc = text.read(data, "old.txt")
    texts = [b.text for b in doc.blocks]
    assert {"UBND TỉNH ĐắK LắK", "Cộng hòa xã hội chủ nghĩa Việt Nam", "Số: 87/BC-SGDĐT"} <= set(texts)
    assert any("decoded as tcvn3" in w for w in doc.warnings)


def test_vni_file_is_converted():
    data = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam\n".encode("latin-1")
    assert text.read(data, "vni.txt").blocks[0].text == "Cộng hòa xã hội chủ nghĩa Việt Nam"


def test_eth_read_as_d_stroke():
    assert text.read("\u00d0ộc lập".encode(), "e.txt").blocks[0].text == "Độc lập"


def test_dispatch_and_offsets():
    doc = read_bytes(NOTICE.encode("utf-8"), "n.txt")
    assert doc.format == "txt" and doc.sha256
    for b in doc.blocks:
        assert doc.text[b.start:b.end] == b.text


@pytest.mark.parametrize("data", [b"\n\n  \n", codecs.BOM_UTF8 + b"  \r\n"])
def test_blank_is_empty(data):
    with pytest.raises(EmptyDocument, match="blank.txt"):
        text.read(data, "blank.txt")


# A notice typed as plain text keeps its header and footer columns as runs of spaces.
COLUMN_LINES = [
    ("UBND TỈNH QUẢNG NGÃI", "header-left"), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "header-right"),
    ("Số: 12/TB-SKHCN", "header-left"), ("Quảng Ngãi, ngày 02 tháng 4 năm 2021", "header-right"),
    ("THÔNG BÁO", "body"), ("(1) Đôn đốc các cơ quan chủ trì hoàn thành hồ sơ trước 30/6/2021.", "body"),
    ("- GD, các PGĐ Sở;", "footer-left"), ("TL. GIÁM ĐỐC", "footer-right"), ("CHÁNH VĂN PHÒNG", "footer-right"),
    ("Nguyễn Thị Xuân", "footer-right"),
]


@pytest.mark.parametrize("line,region", COLUMN_LINES)
def test_columns_set_with_spaces_come_apart(line, region):
    from pathlib import Path
    from pipeline.ingest import read
    doc = read(Path(__file__).parents[1] / "data" / "thongbao-columns.txt")
    assert {b.text: b.region.value for b in doc.blocks}[line] == region
