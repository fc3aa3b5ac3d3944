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
    # a chỉ thị names who must act by the posts of their heads (real scans: qngai-04ct,
    # qngai-11-ct, qngai-2352-07-ct-ubnd)
    ("Thủ trưởng các sở, ban ngành tỉnh, Chủ tịch UBND cấp huyện, các đơn vị sự nghiệp, doanh nghiệp Nhà nước thuộc UBND tỉnh",
     "Thủ trưởng các sở, ban ngành tỉnh, Chủ tịch UBND cấp huyện, các đơn vị sự nghiệp, doanh nghiệp Nhà nước thuộc UBND tỉnh"),
    ("Đề nghị Giám đốc Công an tỉnh, Viện trưởng Viện kiểm sát nhân dân tỉnh, Chánh án Tòa án nhân dân tỉnh, "
     "Cục trưởng Cục Thi hành án dân sự tỉnh tổ chức thực hiện:",
     "Giám đốc Công an tỉnh, Viện trưởng Viện kiểm sát nhân dân tỉnh, Chánh án Tòa án nhân dân tỉnh, "
     "Cục trưởng Cục Thi hành án dân sự tỉnh"),
    ("Chủ tịch UBND các huyện, thị xã, thành phố:", "Chủ tịch UBND các huyện, thị xã, thành phố"),
    ("Giám đốc Sở Giao thông vận tải:", "Giám đốc Sở Giao thông vận tải"),
    ("Thủ trưởng các Sở, ban, ngành của tỉnh; Chủ tịch Ủy ban nhân dân các huyện, thành phố trong tỉnh:",
     "Thủ trưởng các Sở, ban, ngành của tỉnh; Chủ tịch Ủy ban nhân dân các huyện, thành phố trong tỉnh"),
    ("Giám đốc Sở Tài chính chủ trì, phối hợp với các đơn vị thực hiện:", "Giám đốc Sở Tài chính"),
    ("Giám đốc Ban Quản lý dự án đầu tư tỉnh:", "Giám đốc Ban Quản lý dự án đầu tư tỉnh"),   # `Quản lý` opens a name
    ("Chủ tịch UBND tỉnh yêu cầu:", None),          # who demands; the items name who acts
    ("Phó Chủ tịch UBND tỉnh phụ trách", None),      # deputies are not tasked by post
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
