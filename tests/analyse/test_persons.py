"""Persons named in a notice: (real phrase, expected names)."""
from __future__ import annotations

import pytest

from pipeline.analyse.persons import find_persons

CASES = [
    ("chỉ đạo của đồng chí Trần Phước Hiền- Phó Chủ tịch UBND tỉnh tại Thông báo số 105/TB-UBND", ["Trần Phước Hiền"]),
    ("Đồng ý cử Đoàn Việt Nam do Thứ trưởng Bộ Thông tin và Truyền thông Nguyễn Thành Hưng làm Trưởng đoàn",
     ["Nguyễn Thành Hưng"]),
    ("(công văn số 2202/BTTTT-HTQT ngày 10/7/2008), Phó Thủ tướng Hoàng Trung Hải có ý kiến như sau:", ["Hoàng Trung Hải"]),
    ("Ủy quyền cho Trưởng đoàn và Vụ trưởng Vụ Bưu chính, Bộ Thông tin và Truyền thông Nguyễn Thị Bội Lan ký các văn kiện",
     ["Nguyễn Thị Bội Lan"]),
    ("- Thủ tướng Chính phủ; PTTg Hoàng Trung Hải (để b/c);", ["Hoàng Trung Hải"]),
    ("Điều 3. Bộ trưởng Bộ Nội vụ, Hội đồng nhân dân, Ủy ban nhân dân thành phố\nĐà Nẵng và ông Nguyễn Mạnh Hùng chịu trách nhiệm",
     ["Nguyễn Mạnh Hùng"]),
    ("- VPUB: CVP, PCVP P.T.T.Huyền,\nphòng: KGVX, TH, HC-QT,", ["P.T.T.Huyền"]),
    ("- Lưu: VT, QHĐP (2)Q.Cường", []),
    ("Giao Giám đốc: Sở Văn hóa, Thể thao và Du lịch, Đài Phát thanh - Truyền hình Hậu Giang phối hợp", []),
    ("Chủ tịch UBND tỉnh có ý kiến như sau: Giao Sở Tài chính chủ trì", []),
    ("trụ sở tại số 12 đường Trần Hưng Đạo, thành phố Quảng Ngãi", []),
    ("Thành ủy Thành phố Hồ Chí Minh; UBND tỉnh Hà Nam", []),
    ("Các đoàn thể (Công đoàn, Đoàn Thanh niên) triển khai", []),
    ("Giao bà Lê Thị Thu Hà, Phó Giám đốc Sở Y tế, làm Tổ trưởng", ["Lê Thị Thu Hà"]),
    ("Giao Giám đốc Sở Nội vụ Phạm Văn Nam chủ trì", ["Phạm Văn Nam"]),
    # party documents write the Lưu line without a colon; Lưu is also a family name
    ("- Các huyện ủy, thị ủy,\n- Lưu Ban Tuyên giáo Tỉnh ủy.", []),
    ("- Lưu Văn phòng Tỉnh ủy.", []),
    ("mời ông Lưu Văn Hùng, Giám đốc Sở Tài chính", ["Lưu Văn Hùng"]),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_find_persons(text: str, expected: list) -> None:
    assert [p.name for p in find_persons(text)] == expected


def test_title_and_signer() -> None:
    found = find_persons("ý kiến của đồng chí Trần Phước Hiền- Phó Chủ tịch UBND tỉnh tại Thông báo\nNguyễn Thị Xuân",
                         signer="Nguyễn Thị Xuân")
    assert [(p.name, p.role) for p in found] == [("Nguyễn Thị Xuân", "signer"), ("Trần Phước Hiền", "mentioned")]
    assert found[1].title == "Phó Chủ tịch UBND tỉnh"


@pytest.mark.parametrize("text, expected", [
    ("Đồng chí Nguyễn Văn An, Phó Chủ tịch UBND tỉnh Trần Phước Hiền",
     [["Đồng"], ["Nguyễn", "Văn", "An"], ["Phó", "Chủ"], ["Trần", "Phước", "Hiền"]]),
    ("ông Lê\nVăn Tám và bà Ánh  Tuyết", [["Lê", "Văn", "Tám"], ["Ánh"], ["Tuyết"]]),
    ("Sở KH&CN, Ông Ba", [["Sở"], ["Ông", "Ba"]]),
    ("Σωκράτης Πλάτων về ΑΒ", [["Σωκράτης", "Πλάτων"]]),
    ("không có tên nào", []),
])
def test_runs_of_capitalised_words(text: str, expected: list) -> None:
    from pipeline.analyse.persons import _runs
    assert [[m.group(0) for m in run] for run in _runs(text)] == expected
