"""The Quốc hiệu and tiêu ngữ as OCR reads them (pipeline/ingest/motto.py): where one begins
in a line a reader ran together with the left header column, and a damaged one still known."""
from __future__ import annotations

import pytest

from pipeline.ingest.motto import motto_like, motto_start

STARTS = [
    ("UBND TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 4),     # real scan qngai-04-qd-138
    ("BAN CHỈ ĐẠO 138 Độc lập - Tự do - Hạnh phúc", 4),
    ("SỞ Y TẾ CÔNG HOA XÃ HỘI CHỦ NGHĨA", 3),                          # one word of four misread
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", None),                       # nothing before it
    ("Số: 12/TB-UBND Quảng Ngãi, ngày 05 tháng 02 năm 2025", None),
    ("UBND TỈNH QUẢNG NGÃI CỘNG ĐỒNG DÂN CƯ", None),
]


@pytest.mark.parametrize("line, start", STARTS, ids=[s[0][:30] for s in STARTS])
def test_motto_start(line, start):
    assert motto_start(line.split()) == start


@pytest.mark.parametrize("line, like", [
    ("CÔNG HOA XA HỘI CHỦ NGA VIẾT NAM", True), ("Độc lập - Tự do - Hạnh phúc", True),
    ("Về việc công nhận địa bàn trọng điểm", False),
])
def test_motto_like(line, like):
    assert motto_like(line) is like
