"""Signature column → authority, on behalf of whom, title, name (eval README conventions)."""
import pytest

from pipeline.analyse.signature import lines_to_signature

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
]


@pytest.mark.parametrize("lines,expected", SIGNATURES)
def test_signature(lines, expected):
    s = lines_to_signature(lines)
    assert (s.sign_authority, s.signed_for, s.signer_title, s.signer_name) == expected
