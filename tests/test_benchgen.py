"""The batch builder gives each notice a new number and new dates, inside Word's runs, and the
analysis reads them back (issue 6)."""
import datetime as dt

import pytest

from pipeline.benchgen import apply_to_runs, docx_variants, edit_text

# (runs of one paragraph, number, days, years) -> runs after the edit
CASES = [
    (["Số: 454/UBND-NCTH"], "7", 0, 0, ["Số: 7/UBND-NCTH"]),
    (["Số: /TB-SKHCN"], "12", 0, 0, ["Số: 12/TB-SKHCN"]),                 # number left for the stamp
    (["Số: ", "/TB-SKHCN"], "12", 0, 0, ["Số: ", "12/TB-SKHCN"]),
    (["Số: 1", "8/20", "09/QĐ-UBND"], "77", 400, 1, ["Số: 77", "/2010", "/QĐ-UBND"]),  # split runs
    (["Vĩnh Long, ngày 06 tháng 10 năm 2009"], "1", 30, 0, ["Vĩnh Long, ngày 05 tháng 11 năm 2009"]),
    (["trước 30/6/2021 và Quý II/2021"], "1", 3, 1, ["trước 3/7/2021 và Quý II/2022"]),
    (["Kinh phí do ngân sách chi"], "1", 10, 1, ["Kinh phí do ngân sách chi"]),
]


@pytest.mark.parametrize("runs, number, days, years, expected", CASES)
def test_edit_inside_runs(runs, number, days, years, expected):
    assert apply_to_runs(runs, edit_text("".join(runs), number, days, years)) == expected


def test_variants_are_distinct_and_read_back(tmp_path):
    from pipeline.process import process_path
    items = docx_variants(tmp_path, 8, seed=3, start=700)
    assert len({(tmp_path / i.path).read_bytes() for i in items}) == 8
    for item in items:
        notice = process_path(item.path)
        assert str(notice.issued_date) == item.issued, item
        assert dt.date.fromisoformat(item.issued).year >= 2005
