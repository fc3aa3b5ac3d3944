"""What is not the notice on a real page is set aside as a mark, with what it tells, and never
reaches the blocks: a portal's signature box (a widget over a scan, text above a text PDF's
header), an incoming stamp burnt into a bilevel scan, the dossier filed after a tờ trình."""
from __future__ import annotations

import pytest

from pipeline.ingest.marks import read_fields
from pipeline.model import MarkKind, Region

MARK_WORDS = ("Ký bởi", "Thời gian ký", "TRUNG TÂM CÔNG BÁO", "ttcbth@", "Chuyển:")


@pytest.mark.parametrize("lines, fields", [
    (["Ký bởi: Ủy ban nhân dân tỉnh Quảng Ngãi", "Cơ quan: Tỉnh Quảng Ngãi", "Thời gian ký: 26/01/2025 11:12:09"],
     {"signed_by": "Ủy ban nhân dân tỉnh Quảng Ngãi", "agency": "Tỉnh Quảng Ngãi", "signed_at": "2025-01-26T11:12:09"}),
    (["TRUNG TÂM CÔNG BÁO", "VÀ TIN HỌC", "ttcbth@quangngai.gov.vn", "27.01.2025 07:10:01 +07:00"],
     {"email": "ttcbth@quangngai.gov.vn", "signed_at": "2025-01-27T07:10:01"}),
    (["Người ký: CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", "Email: thongtinchinhphu@chinhphu.vn"],
     {"signed_by": "CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", "email": "thongtinchinhphu@chinhphu.vn"}),
    (["CÔNG VĂN ĐẾN", "Số: 2352", "Ngày: 21/3/18", "Chuyển: P.NC"],
     {"received_heading": "ĐẾN", "received_number": "2352", "received_date": "2018-03-21", "forwarded_to": "P.NC"}),
])
def test_what_a_box_or_a_stamp_says(lines, fields):
    assert read_fields(lines) == fields


def _no_mark_text_in_blocks(doc):
    for b in doc.blocks:
        assert not any(w in b.text for w in MARK_WORDS), f"mark text in a {b.region.value} block: {b.text!r}"


def test_portal_boxes_over_a_scan_are_marks(real_doc):
    doc = real_doc("qngai-ubnd-tb-46-2025.scan.pdf")
    boxes = [m for m in doc.marks if m.kind == MarkKind.BOX]
    assert {m.fields.get("signed_at") for m in boxes} == {"2025-01-26T11:12:09", "2025-01-27T07:10:01"}
    assert any(m.fields.get("signed_by") == "Ủy ban nhân dân tỉnh Quảng Ngãi" for m in boxes)
    _no_mark_text_in_blocks(doc)
    assert [b.text for b in doc.blocks[:2]] == ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI"]


def test_portal_box_above_a_text_pdfs_header_is_a_mark(real_doc):
    doc = real_doc("qngai-05.pdf")
    assert any(m.kind == MarkKind.BOX and m.fields.get("email") == "ttcbth@quangngai.gov.vn" for m in doc.marks)
    _no_mark_text_in_blocks(doc)


def test_an_incoming_stamp_burnt_into_a_bilevel_scan_is_a_mark(real_doc):
    doc = real_doc("qngai-2352-07-ct-ubnd.scan.pdf")
    stamps = [m for m in doc.marks if m.kind == MarkKind.STAMP]
    assert len(stamps) == 1 and stamps[0].page == 1
    assert stamps[0].bbox.x0 < 20 and 100 < stamps[0].bbox.y0 < 200       # the left margin, beside the trích yếu
    _no_mark_text_in_blocks(doc)
    body = [b.text for b in doc.blocks if b.region == Region.BODY]
    # the trích yếu's two centred lines, one paragraph, the stamp beside them no part of it
    assert body[:2] == ["CHỈ THỊ", "Về việc tăng cường công tác thi hành án hành chính trên địa bàn tỉnh Quảng Ngãi"]


def test_a_dossier_filed_after_the_notice_is_set_aside(real_doc):
    # a tờ trình (page 1), a blank page with a seal showing through, and the draft Nghị quyết
    # it asks the HĐND to pass (pages 3-4): another document, with its own Nơi nhận and signer
    doc = real_doc("qngai-22-ttr.scan.pdf")
    dossier = [m for m in doc.marks if m.kind == MarkKind.DOSSIER]
    assert sorted(m.page for m in dossier) == [3, 4]
    assert not any(b.page in (3, 4) for b in doc.blocks)
    right = [b.text for b in doc.blocks if b.region == Region.FOOTER_RIGHT]
    assert right[-1] == "Nguyễn Hoàng Giang"
