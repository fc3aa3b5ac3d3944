"""The unit a task is assigned to: from its section heading, else from its sentence (eval README, *Items*)."""
import pytest

from pipeline.analyse.tasks import _roles, heading_unit, names_its_units, sentence_unit

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
    # all the subject names before its predicate (real scans: qngai-05ct, qngai-88-qd-ub,
    # qngai-vht534, qngai-16ct; issue 11)
    ("Ngân hàng Nhà nước - Chi nhánh Quảng Ngãi chỉ đạo và hướng dẫn Ngân hàng thương mại trên địa bàn tỉnh "
     "thực hiện các nội dung sau:", "Ngân hàng Nhà nước - Chi nhánh Quảng Ngãi"),
    ("Ban Quản lý dự án Đầu tư xây dựng huyện Mộ Đức chỊu trách nhiệm:", "Ban Quản lý dự án Đầu tư xây dựng huyện Mộ Đức"),
    ("Giao Sở Lao động - Thương binh và Xã hội, Ban Dân tộc tỉnh theo chức năng, nhiệm vụ chịu trách nhiệm:",
     "Sở Lao động - Thương binh và Xã hội, Ban Dân tộc tỉnh"),
    ("Sở Công Thương chủ trì, phối hợp thực hiện", "Sở Công Thương"),
    # a plural subject of collective nouns is the unit, all of it
    ("Các doanh nghiệp", "Các doanh nghiệp"),
    ("Các sở, ban ngành, cơ quan, đơn vị, UBND các huyện, thị xã, thành phố",
     "Các sở, ban ngành, cơ quan, đơn vị, UBND các huyện, thị xã, thành phố"),
    ("Các nhiệm vụ trọng tâm", None),
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
    # the subject up to its predicate, over the units, collective nouns and joiners it lists
    # (real scans: qngai-51-qd-ub, qngai-84-qd-ub, qngai-16ct, qngai-2352-07-ct-ubnd,
    # qngai-2770-08-ct-ubnd, qngai-05, qngai-01ct; issue 11)
    ("Các sở, ban ngành và đơn vị liên quan trên địa bàn tỉnh có trách nhiệm điều động lực lượng",
     "Các sở, ban ngành và đơn vị liên quan trên địa bàn tỉnh"),
    ("Các sở, ban ngành, địa phương, đơn vị, các tổ chức và doanh nghiệp đóng trên địa bàn tỉnh chủ động bố trí",
     "Các sở, ban ngành, địa phương, đơn vị, các tổ chức và doanh nghiệp đóng trên địa bàn tỉnh"),
    ("Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức, đoàn thể tỉnh thực hiện tốt công tác",
     "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức, đoàn thể tỉnh"),
    ("Đề nghị Tòa án nhân dân tỉnh; Viện kiểm sát nhân dân tỉnh:\nPhối hợp và chỉ đạo",
     "Tòa án nhân dân tỉnh; Viện kiểm sát nhân dân tỉnh"),
    ("Thủ trưởng các sở, ngành của tỉnh, Chủ tịch Ủy ban nhân dân các huyện, thành phố trong phạm vi chức năng",
     "Thủ trưởng các sở, ngành của tỉnh, Chủ tịch Ủy ban nhân dân các huyện, thành phố"),
    ("Ban quản lý Khu kinh tế Dung Quất và các KCN Quảng Ngãi rà soát các dự án",
     "Ban quản lý Khu kinh tế Dung Quất và các KCN Quảng Ngãi"),
    ("Sở Nội vụ tiếp thu các ý kiến tại cuộc họp", "Sở Nội vụ"),
    ("Ngân hàng Nhà nước Việt Nam - Chi nhánh tỉnh Quảng Ngãi: Chỉ đạo các Ngân hàng thương mại",
     "Ngân hàng Nhà nước Việt Nam - Chi nhánh tỉnh Quảng Ngãi"),
    ("Hiệp hội Doanh nghiệp tỉnh: Tuyên truyền, hướng dẫn", "Hiệp hội Doanh nghiệp tỉnh"),
    ("Gửi cho Kho bạc Nhà nước Quảng Ngãi để thu tiền phạt.", "Kho bạc Nhà nước Quảng Ngãi"),
    ("Giao Chánh Thanh tra tỉnh chủ trì, phối hợp với các cơ quan liên quan", "Chánh Thanh tra tỉnh"),
    # a heading's line break ends the subject: its paragraph opens with the predicate (qngai-16ct)
    ("Bộ Chỉ huy Quân sự tỉnh\nChủ động nắm chắc tình hình", "Bộ Chỉ huy Quân sự tỉnh"),
    # a word that is no unit's ends the list: the sentence has moved on (qngai-2770, qngai-15-qd-xp)
    ("UBND các huyện, thành phố tích cực phối hợp", "UBND các huyện, thành phố"),
    ("Gửi cho Ủy ban nhân dân huyện Tư Nghĩa để biết và phối hợp thực hiện./.", "Ủy ban nhân dân huyện Tư Nghĩa"),
    # a sentence framed by its grounds gives its task after them (qngai-299-ub, qngai-05)
    ("Căn cứ quy định tại khoản 4 Điều 14 Nghị định số 161/2024/NĐ-CP của Chính phủ; giao Sở Nông nghiệp "
     "và Phát triển nông thôn rà soát Danh mục TTHC", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("Trên cơ sở báo cáo của Công ty TNHH MTV Đầu tư, Xây dựng và Kinh doanh dịch vụ Quảng Ngãi, giao Sở "
     "Tài chính chủ trì, phối hợp", "Sở Tài chính"),
    ("Căn cứ kết quả rà soát, tổ chức thực hiện", None),
    # a head of one syllable whose marks OCR or a verb share says nothing (golden notices)
    ("Số giờ làm thêm không quá 40 giờ trong một tháng", None),
    ("Đại diện Sở Tài chính phát biểu ý kiến", None),
    ("Bảo đảm sự an toàn cho người dân", None),
    # a head alone runs on in lower case to the role it is given (tests/data/notices)
    ("Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh chủ trì, phối hợp",
     "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh"),
    # a colon before a list of names ends no subject; the predicate after the list does
    ("Chánh Văn phòng UBND tỉnh, Giám đốc các Sở: Tài chính, Xây dựng; Chủ tịch UBND các huyện chịu trách "
     "nhiệm thi hành Quyết định này", "Chánh Văn phòng UBND tỉnh, Giám đốc các Sở: Tài chính, Xây dựng; Chủ tịch UBND các huyện"),
]


@pytest.mark.parametrize("sentence, unit", SENTENCES)
def test_sentence_unit(sentence, unit):
    assert sentence_unit(sentence) == unit


def test_roles_in_vocabulary_order_and_first_urgency():
    assert _roles("Sở Y tế chủ trì, phối hợp với Sở Tài chính khẩn trương tham mưu, báo cáo kịp thời") == (
        ["chủ trì", "phối hợp", "tham mưu", "báo cáo"], "khẩn trương")


def _items(texts):
    from pipeline.analyse.body import items_to_tree, paragraphs_to_items, walk
    from pipeline.model import Block
    blocks = [Block(text=t) for t in texts]
    return list(walk(items_to_tree(paragraphs_to_items(blocks, list(range(len(blocks)))))))


def test_a_lead_in_naming_who_acts_over_its_items_is_a_section():
    # real scan qngai-04ct: 30 words, no colon, dashes under it
    lead, *_ = _items(["2. Đề nghị Giám đốc Công an tỉnh, Viện trưởng Viện kiểm sát nhân dân tỉnh, Chánh án Tòa án "
                       "nhân dân tỉnh, Cục trưởng Cục Thi hành án dân sự tỉnh tổ chức thực hiện",
                       "- Tập trung điều tra, làm rõ, xử lý kịp thời các vụ án tham nhũng;",
                       "- Phát hiện kịp thời những sơ hở, thiếu sót trong quy định pháp luật."])
    assert names_its_units(lead)


def test_a_task_sentence_or_a_lead_in_naming_no_unit_is_not():
    finished, _ = _items(["1. Sở Y tế chủ trì tổ chức hội nghị.", "- Chuẩn bị tài liệu;"])
    topic, _ = _items(["1. Tăng cường công tác phòng, chống tham nhũng trong tình hình mới ở các cơ quan",
                       "- Chuẩn bị tài liệu;"])
    assert not names_its_units(finished) and not names_its_units(topic)
