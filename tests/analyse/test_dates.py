"""Calendar days, periods and deadlines, from the dev notices and the shapes of other real ones."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.analyse.dates import find_dates, find_periods, parse_deadline

D = dt.date
DATES = [
    ("Ngày 29/3/2021, Giám đốc Sở Khoa học và Công nghệ chủ trì", [D(2021, 3, 29)]),
    ("Quảng Ngãi, ngày 02 tháng 4 năm 2021", [D(2021, 4, 2)]),
    ("Công văn số 847/UBND-VX1 ngày 22\ntháng 3 năm 2011 của UBND tỉnh Quảng Ninh", [D(2011, 3, 22)]),
    ("treo cờ từ ngày 10/5/2026 đến hết ngày 14/5/2026", [D(2026, 5, 10), D(2026, 5, 14)]),
    ("tại Geneva, từ ngày 23 tháng 7 đến ngày 12 tháng 8 năm 2008", [D(2008, 7, 23), D(2008, 8, 12)]),
    ("VỀ VIỆC THU HỒI QUYẾT ĐỊNH SỐ 2093/2005/QĐ .UBND NGÀY 06/9/2005", [D(2005, 9, 6)]),
    ("Kế hoạch số 76/KH-SKH&CN ngày 20/01/2021", [D(2021, 1, 20)]),
    ("họp ngày 17-3-2021 và ngày 17.3.2021", [D(2021, 3, 17), D(2021, 3, 17)]),
    ("Thời gian ký: 23.04.2026 15:54:16 +07:00", [D(2026, 4, 23)]),
    ("Nghị định số 300/2025/NĐ-CP ngày 17 tháng lÌ năm 2025 của Chính phủ", [D(2025, 11, 17)]),   # OCR of the scan
    ("Tờ trình sô 252/TTy-BNV ngày l7 tháng 4 năm 2026.", [D(2026, 4, 17)]),                    # OCR of the scan
    ("Hà Nội, ngày 31/02/2021", []),                                                       # no such day
    ("Hà Nội, ngày      tháng     năm 2026", []),
    ("Lưu: VT; 2.05.07.", []),
    ("theo tiêu chuẩn TCVN ISO 9001:2015", []),
    ("Quyết định số 52/2016/QĐ-UBND", []),
    ("Kế hoạch thực hiện từ 02/6 - 05/6/2021", [D(2021, 6, 2), D(2021, 6, 5)]),
    # anniversaries reach back before 1900 (tests/data/notices/quangngai-btgtu-hd-05-2021)
    ("Ngày sinh Chủ tịch Hồ Chí Minh (19/5/1890 - 19/5/2021)", [D(1890, 5, 19), D(2021, 5, 19)]),
    ("sinh ngày 19 tháng 5 năm 1890", [D(1890, 5, 19)]),
]


@pytest.mark.parametrize("text, expected", DATES)
def test_find_dates(text: str, expected: list) -> None:
    found = find_dates(text, offset=100)
    assert [d.value for d in found] == expected
    for d in found:
        assert text[d.span.start - 100:d.span.end - 100] == d.text


PERIODS = [
    ("giao ban liên tịch Quý I năm 2021", ("quarter", D(2021, 1, 1), D(2021, 3, 31))),
    ("nhiệm vụ trong Quý II/2021", ("quarter", D(2021, 4, 1), D(2021, 6, 30))),
    ("triển khai trong tháng 10-12/2026", ("months", D(2026, 10, 1), D(2026, 12, 31))),    # issue 12
    ("từ tháng 3 đến tháng 6/2026", ("months", D(2026, 3, 1), D(2026, 6, 30))),
    ("thực hiện trong Quý II-III/2026", ("quarters", D(2026, 4, 1), D(2026, 9, 30))),
    ("tổ chức Hội thi trong đầu quý IV/2021", ("quarter", D(2021, 10, 1), D(2021, 12, 31))),
    ("hoàn thành trong tháng 5/2021", ("month", D(2021, 5, 1), D(2021, 5, 31))),
    ("trong tháng 2 năm 2024", ("month", D(2024, 2, 1), D(2024, 2, 29))),
    ("nhiệm vụ KH&CN năm 2022", ("year", D(2022, 1, 1), D(2022, 12, 31))),
    ("quy hoạch chung của tỉnh giai đoạn 2021-2030", ("range", D(2021, 1, 1), D(2030, 12, 31))),
    ("nhiệm kỳ 2026 - 2031", ("range", D(2026, 1, 1), D(2031, 12, 31))),
    ("Kế hoạch phát triển kinh tế - xã hội 5 năm 2021 - 2025", ("range", D(2021, 1, 1), D(2025, 12, 31))),
    ("Kế hoạch năm học 2021-2022 của ngành giáo dục", ("school-year", D(2021, 9, 1), D(2022, 8, 31))),
    ("Báo cáo sơ kết 6 tháng đầu năm 2023", ("half", D(2023, 1, 1), D(2023, 6, 30))),
]


@pytest.mark.parametrize("text, expected", PERIODS)
def test_find_periods(text: str, expected: tuple) -> None:
    found = find_periods(text)
    assert found, text
    assert (found[0].kind, found[0].start, found[0].end) == expected


def test_month_of_a_full_date_is_no_period() -> None:
    assert find_periods("Quảng Ngãi, ngày 02 tháng 4 năm 2021") == []


DEADLINES = [
    ("trình UBND tỉnh ban hành quyết định phê duyệt Danh mục nhiệm vụ KH&CN trước 30/6/2021.", D(2021, 6, 30)),  # qngai II.1.(6)
    ("Các sở, ngành gửi báo cáo về Sở Kế hoạch và Đầu tư trước ngày 15/7/2021 để tổng hợp.", D(2021, 7, 15)),
    ("Sở Y tế hoàn thành trong tháng 5/2021.", D(2021, 5, 31)),
    ("Thời gian hoàn thành trong tháng 6 năm 2021.", D(2021, 6, 30)),
    ("Báo cáo kết quả về UBND tỉnh chậm nhất ngày 20 tháng 12 năm 2022.", D(2022, 12, 20)),
    ("Thời hạn hoàn thành: 31/12/2021.", D(2021, 12, 31)),
    ("Thực hiện tốt các nội dung chỉ đạo tại Thông báo số 105/TB-UBND ngày 17/3/2021.", None),
    ("Thực hiện Kế hoạch 76/KH-SKHCCN ngày 20/01/2021 và Thông báo số 212/TB-SKHCCN ngày 03/3/2021.", None),
    ("Chuẩn bị tốt các điều kiện để tổ chức Hội thi trong đầu quý IV/2021.", None),
    ("Treo cờ Tổ quốc từ ngày 10/5/2026 đến hết ngày 14/5/2026.", None),
    # an hour before the day (công điện): the day is the deadline
    ("Rà soát, sẵn sàng sơ tán dân, hoàn thành trước 17 giờ 00 ngày 13/10/2021.", D(2021, 10, 13)),
    ("Báo cáo Chủ tịch UBND tỉnh trước 15 giờ 00 ngày 14/10/2021.", D(2021, 10, 14)),
    ("Báo cáo tình hình về Văn phòng trước 16 giờ hằng ngày.", None),
    ("Nghiêm cấm tàu thuyền ra khơi kể từ 12 giờ 00 ngày 13/10/2021.", None),
    # finished within a quarter: its last day, as within a month
    ("Số hóa 100% hồ sơ, hoàn thành trong Quý III/2021.", D(2021, 9, 30)),
    ("Tổ chức Hội nghị sơ kết vào Quý III/2021.", None),
    ("Hoàn thành trước tháng 6/2021.", D(2021, 5, 31)),
]


@pytest.mark.parametrize("sentence, expected", DEADLINES)
def test_parse_deadline(sentence: str, expected) -> None:
    assert parse_deadline(sentence)[0] == expected


def test_quarter_deadline_is_a_period() -> None:
    day, words, period = parse_deadline("Hoàn thành trước Quý III/2021.")
    assert day is None and words == "Hoàn thành trước Quý III/2021"
    assert (period.kind, period.start, period.end) == ("quarter", D(2021, 7, 1), D(2021, 9, 30))


@pytest.mark.parametrize("taken, probe", [
    ([(0, 5), (10, 15)], (5, 10)), ([(0, 5), (10, 15)], (4, 6)), ([(0, 5), (10, 15)], (14, 20)),
    ([(10, 15), (0, 5)], (15, 16)), ([], (0, 1)), ([(3, 8)], (0, 3)), ([(3, 8)], (0, 4)),
    ([(3, 8), (20, 30), (9, 12)], (12, 20)), ([(3, 8), (20, 30), (9, 12)], (11, 21)),
])
def test_taken_agrees_with_overlaps(taken, probe) -> None:
    from pipeline.analyse.text import Taken, overlaps
    assert Taken(taken).overlaps(*probe) == overlaps(*probe, taken)
