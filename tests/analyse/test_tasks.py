"""The unit a task is assigned to: from its section heading, else from its sentence (eval README, *Items*)."""
import pytest

from pipeline.analyse.tasks import _roles, heading_unit, sentence_unit

HEADINGS = [
    ("Phòng Quản lý Khoa học:", "Phòng Quản lý Khoa học"),
    ("Phòng Quản lý Công nghệ, thị trường công nghệ và chuyên ngành", "Phòng Quản lý Công nghệ, thị trường công nghệ và chuyên ngành"),
    ("Văn phòng Sở", "Văn phòng Sở"),
    # the unit, not the predicate after it (tests/data/notices/quangngai-ubnd-qd-25-2021)
    ("Sở Công Thương có trách nhiệm:", "Sở Công Thương"),
    ("UBND các huyện, thị xã, thành phố chịu trách nhiệm:", "UBND các huyện, thị xã, thành phố"),
    ("Sở Y tế chủ trì, phối hợp:", "Sở Y tế"),
    # an opener before the unit
    ("Giao Sở Tài chính:", "Sở Tài chính"),
    ("Đề nghị Công an tỉnh:", "Công an tỉnh"),
    # headings that name no unit
    ("Nhiệm vụ cụ thể", None),
    ("TỔ CHỨC THỰC HIỆN", None),
    ("Phát triển hạ tầng số", None),
]


@pytest.mark.parametrize("heading, unit", HEADINGS)
def test_heading_unit(heading, unit):
    assert heading_unit(heading) == unit


SENTENCES = [
    ("Sở Y tế chủ trì, phối hợp với Sở Tài chính", "Sở Y tế"),
    ("Giao Sở Tài chính chủ trì, phối hợp", "Sở Tài chính"),
    # the plural and a list of units as the subject (tests/data/notices/byt-cv-3856-2021)
    ("Các Viện Vệ sinh dịch tễ, Viện Pasteur hỗ trợ các địa phương", "Các Viện Vệ sinh dịch tễ, Viện Pasteur"),
    ("Sở Y tế, Sở Tài chính và Công an tỉnh tổ chức kiểm tra", "Sở Y tế, Sở Tài chính và Công an tỉnh"),
    ("Các phòng, đơn vị trực thuộc tập trung thực hiện", None),
    ("Đồng ý cử Đoàn Việt Nam do Thứ trưởng", None),
]


@pytest.mark.parametrize("sentence, unit", SENTENCES)
def test_sentence_unit(sentence, unit):
    assert sentence_unit(sentence) == unit


def test_roles_in_vocabulary_order_and_first_urgency():
    assert _roles("Sở Y tế chủ trì, phối hợp với Sở Tài chính khẩn trương tham mưu, báo cáo kịp thời") == (
        ["chủ trì", "phối hợp", "tham mưu", "báo cáo"], "khẩn trương")
