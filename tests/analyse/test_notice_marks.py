"""Which analysed files are official notices (`documents.is_notice`): a table of cases, each
a header as analysis gives it and the text's first lines (issue 13)."""
import pytest

from pipeline.analyse.notice_marks import is_notice, notice_marks
from pipeline.model import Notice

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"

CASES = [
    # (fields, text, marks found)
    ({"number": "12", "symbol": "TB-SKHCN", "doc_type": "TB", "issuer": "Sở Khoa học và Công nghệ"},
     "SỞ KHOA HỌC VÀ CÔNG NGHỆ\n" + MOTTO + "THÔNG BÁO\n", ["number", "kind", "motto", "issuer"]),
    ({}, "ĐÃ QUÉT\n" + MOTTO + "nội dung đọc sai\n", ["motto"]),              # a scan that lost the rest
    ({}, "Cộng hoà xã hội chủ nghĩa Việt Nam\n", ["motto"]),                  # either tone placement
    ({"symbol": "CV-UBND"}, "", ["number"]),                                  # a blank number: the symbol
    ({"issuer": "UBND tỉnh Vĩnh Long"}, "", ["issuer"]),
    ({"doc_type_name": "Quyết định"}, "", ["kind"]),
    ({}, "# Where the dev notices come from\n| notice | files |\n", []),      # SOURCES.md with --all
    ({}, '{"number": "12", "symbol": "TB-SKHCN"}', []),                      # gold JSON with --all
    ({}, "Kính gửi anh chị,\nHẹn gặp lại vào thứ Hai.\n", []),                # a letter
    ({}, "\n".join(["dòng"] * 30) + "\n" + MOTTO, []),                       # the motto quoted deep in the body
]


@pytest.mark.parametrize("fields,text,marks", CASES)
def test_notice_marks(fields, text, marks):
    notice = Notice(source_path="/in/x", sha256="0" * 64, format="txt", text=text, **fields)
    assert notice_marks(notice) == marks
    assert is_notice(notice) is bool(marks)
