"""One spelling per syllable for what is grouped or compared (issue 12): a notice typed with the
old tone placement (`Uỷ ban`, `CỘNG HOÀ`, `HOẢ TỐC`, `Giấy uỷ quyền`) reads as one with the new,
though the vocabularies in rules/ list each word once, in the new placement."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline import ingest, rules
from pipeline.analyse import analyse
from pipeline.vietnamese import tone_new_style

OLD_STYLE = """UỶ BAN NHÂN DÂN\tCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH QUẢNG NGÃI\tĐộc lập - Tự do - Hạnh phúc
Số: 15/TB-UBND\tQuảng Ngãi, ngày 10 tháng 3 năm 2026
HOẢ TỐC
THÔNG BÁO
Kết luận của Uỷ viên Ban Thường vụ Tỉnh uỷ Nguyễn Văn Hoà tại buổi làm việc
Căn cứ Giấy uỷ quyền số 12/GUQ-UBND ngày 02/3/2026 của Chủ tịch Uỷ ban nhân dân tỉnh;
Ngày 05/3/2026, đồng chí Nguyễn Văn Hoà, Uỷ viên Ban Thường vụ Tỉnh uỷ đã làm việc với Đảng uỷ Sở Y tế. Kết luận như sau:
1. Đảng uỷ Sở Y tế chủ trì, phối hợp với Toà án nhân dân tỉnh rà soát hồ sơ, hoàn thành trước ngày 30/4/2026.
Nơi nhận:\tTL. CHỦ TỊCH
- Như trên;\tCHÁNH VĂN PHÒNG
- Lưu: VT.\tTrần Thị Thuý
"""


@pytest.fixture(scope="module")
def notice():
    return analyse(ingest.read_bytes(OLD_STYLE.encode(), "cu.txt"))


def test_header_and_mark(notice):
    assert (notice.issuer, notice.number, notice.symbol) == ("Ủy ban nhân dân tỉnh Quảng Ngãi", "15", "TB-UBND")
    assert notice.issued_date == dt.date(2026, 3, 10)
    assert notice.urgency == "HỎA TỐC"


def test_names_titles_units_and_kinds(notice):
    assert [(c.ref, c.doc_type) for c in notice.citations] == [("12/GUQ-UBND", "UQ")]
    assert [(p.name, p.title) for p in notice.persons] == [
        ("Trần Thị Thúy", None), ("Nguyễn Văn Hòa", "Ủy viên Ban Thường vụ Tỉnh ủy")]
    assert [(t.unit, t.deadline) for t in notice.tasks] == [("Đảng ủy Sở Y tế", dt.date(2026, 4, 30))]
    assert {o.normalised for o in notice.organisations} >= {"Đảng ủy Sở Y tế", "Tòa án nhân dân tỉnh"}
    assert "Uỷ viên Ban Thường vụ Tỉnh uỷ" in notice.text     # the text keeps the letters as written


@pytest.mark.parametrize("name, column", [
    ("org_heads.txt", None), ("titles.tsv", "title"), ("marks.tsv", "mark"), ("doc_types.tsv", "name"),
    ("places.txt", None), ("surnames.txt", None),
])
def test_vocabularies_list_one_spelling(name, column):
    words = rules.words(name) if column is None else [row[column] for row in rules.table(name)]
    old = [w for w in words if tone_new_style(w) != w]
    assert old == [], f"rules/{name}: write these in the new tone placement: {old}"
