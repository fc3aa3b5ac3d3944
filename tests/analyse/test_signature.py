"""Signature column → authority, on behalf of whom, title, name (eval README conventions)."""
import pytest

from pipeline.analyse.signature import blocks_to_signature, lines_to_signature
from pipeline.model import BBox, Block, Region

SIGNATURES = [
    (["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG", "", "Nguyễn Thị Xuân"],
     ("TL.", "Giám đốc", "Chánh Văn phòng", "Nguyễn Thị Xuân")),
    (["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Thành Lập"], ("KT.", "Chủ tịch", "Phó Chủ tịch", "Trần Thành Lập")),
    (["TM.ỦY BAN NHÂN DÂN TỈNH", "KT.CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn Diệp"],
     ("TM. KT.", "Ủy ban nhân dân tỉnh", "Phó Chủ tịch", "Nguyễn Văn Diệp")),
    (["TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "Võ Tuấn Anh"],
     ("TL. KT.", "Chủ tịch", "Phó Chánh Văn phòng", "Võ Tuấn Anh")),
    (["BỘ TRƯỞNG, CHỦ NHIỆM", "Nguyễn Xuân Phúc"], (None, None, "Bộ trưởng, Chủ nhiệm", "Nguyễn Xuân Phúc")),
    (["GIÁM ĐỐC", "(Đã ký)", "Lê Văn A"], (None, None, "Giám đốc", "Lê Văn A")),
    (["THỦ TƯỚNG", "Lê Minh Hưng"], (None, None, "Thủ tướng", "Lê Minh Hưng")),
    (["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Nguyễn Văn An"], ("T/M", "Ban Thường vụ", "Bí thư", "Nguyễn Văn An")),
    (["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Lê Văn Thành"], ("KT.", "Bộ trưởng", "Thứ trưởng", "Lê Văn Thành")),
    # one authority line naming a post and no title line: the post is the signer's (tests/data/notices)
    (["Q. GIÁM ĐỐC", "Phạm Đăng Khoa"], ("Q.", "Giám đốc", "Giám đốc", "Phạm Đăng Khoa")),
    (["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Nguyễn Đăng Vinh"], ("K/T", "Trưởng ban", "Phó Trưởng ban", "Nguyễn Đăng Vinh")),
    (["TL. BỘ TRƯỞNG", "KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG", "Nguyễn Minh Hằng"],
     ("TL. KT.", "Bộ trưởng", "Phó Cục trưởng", "Nguyễn Minh Hằng")),
    # … but a body signed for is no title
    (["TM. ỦY BAN NHÂN DÂN", "Nguyễn Văn A"], ("TM.", "Ủy ban nhân dân", None, "Nguyễn Văn A")),
    # OCR dropped the tone marks of the title; the vocabulary restores them
    (["KT.CHỦ TỊCH", "PHO CHU TỊCH", "Nguyễn Văn Diệp"], ("KT.", "Chủ tịch", "Phó Chủ tịch", "Nguyễn Văn Diệp")),
    # strokes of the seal or the signature read as a lone letter (real scans qngai-01ct,
    # qngai-299-ub; issue #11)
    (["CHỦ TỊCH", "F", "Đặng Văn Minh"], (None, None, "Chủ tịch", "Đặng Văn Minh")),
    (["TL. CHỦ TỊCH ì", "CHÁNH VĂN PHÒNG", "Nguyễn Quốc Việt"], ("TL.", "Chủ tịch", "Chánh Văn phòng", "Nguyễn Quốc Việt")),
    (["TRƯỞNG BAN", "3", "Nguyễn Hoàng Giang"], (None, None, "Trưởng ban", "Nguyễn Hoàng Giang")),
]


@pytest.mark.parametrize("lines,expected", SIGNATURES)
def test_signature(lines, expected):
    s = lines_to_signature(lines)
    assert (s.sign_authority, s.signed_for, s.signer_title, s.signer_name) == expected


# Signature columns with the boxes ingest gave their lines (points, one page): (lines, fields).
# Issue #11.
COLUMNS = [
    # qngai-04-qd-138: the chairman signs as head of a steering committee; his other post is
    # printed under the space signed in, over his name: not the title he signs with
    ([("TRƯỞNG BAN", (386, 196, 474, 209)), ("3", (478, 309, 481, 311)),
      ("CHỦ TỊCH UBND TỈNH", (359, 312, 501, 324)), ("Nguyễn Hoàng Giang", (366, 325, 495, 341))],
     (None, None, "Trưởng ban", "Nguyễn Hoàng Giang")),
    # qngai-88-qd-ub: authority and title over the space, the name under it
    ([("TM. ỦY BAN NHÂN DÂN", (380, 680, 500, 692)), ("KT. CHỦ TỊCH", (398, 693, 480, 705)),
      ("PHÓ CHỦ TỊCH", (396, 706, 482, 718)), ("Trần Phước Hiền", (380, 769, 485, 779))],
     ("TM. KT.", "Ủy ban nhân dân", "Phó Chủ tịch", "Trần Phước Hiền")),
    # a typed PDF signed digitally: no space, the title directly over the name
    ([("CHỦ TỊCH", (416, 219, 481, 231)), ("Đặng Văn Minh", (388, 233, 495, 247))],
     (None, None, "Chủ tịch", "Đặng Văn Minh")),
]


@pytest.mark.parametrize("lines,expected", COLUMNS)
def test_signature_column_with_its_geometry(lines, expected):
    blocks = [Block(text=t, region=Region.FOOTER_RIGHT, page=2, bbox=BBox(x0=b[0], y0=b[1], x1=b[2], y1=b[3]))
              for t, b in lines]
    s = blocks_to_signature(blocks)
    assert (s.sign_authority, s.signed_for, s.signer_title, s.signer_name) == expected


# Titles OCR read in part only (a seal over `K/T CHỦ TỊCH` / `PHÓ CHỦ TỊCH`): left blank with a
# warning, never junk; real titles outside the vocabulary stand. Issue #11.
MISREAD = [
    (["T/M UBND TỈNH", "CHỦ T", "CHỦ", "Ngôn Nghiệp"], None, True),       # caobang-ubnd-qd-157-1999
    (["CHỦ TỌA", "Nguyễn Văn A"], "Chủ tọa", False),
    (["PHÓ CHỦ TỊCH THƯỜNG TRỰC", "Nguyễn Văn A"], "Phó chủ tịch thường trực", False),
    (["CHỦ TỊCH HĐND TỈNH", "Nguyễn Văn A"], "Chủ tịch HĐND tỉnh", False),
]


@pytest.mark.parametrize("lines, title, warned", MISREAD)
def test_a_title_read_in_part_is_left_blank(lines, title, warned):
    from pipeline.analyse.signature import misread_title
    s = lines_to_signature(lines)
    warning = misread_title(s)
    assert (s.signer_title, warning is not None) == (title, warned)
