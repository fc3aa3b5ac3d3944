"""What is not a document, as `pipeline.ingest.notdoc` tells it: a table of real contents and
names → the kind each is skipped as, or None for a file the pipeline must read (issue 13)."""
import json

import pytest

from notdocs import NOT_DOCUMENTS, thumbs_db_bytes, xlsx_bytes
from pipeline.devcorpus import DEV_CORPUS
from pipeline.errors import NotADocument
from pipeline.ingest.notdoc import check_document, file_kind

DEV = DEV_CORPUS
NOTICE_TEXT = ("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 12/TB-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
               "THÔNG BÁO\nKết luận của Chủ tịch, Phó Chủ tịch UBND tỉnh\n1. Sở Nội vụ, Sở Tài chính: báo cáo;\n")

CASES = [
    # (file name, bytes, kind or None)
    *[(name, data, kind) for name, (data, kind) in NOT_DOCUMENTS.items()],
    ("gold.json", json.dumps({"number": "12", "tasks": []}, ensure_ascii=False).encode(), "json"),
    ("list.txt", b'[{"a": 1}, {"a": 2}]', "json"),                   # content decides, not the name
    ("notes.md", "Ghi chú về các văn bản\n".encode(), "markdown"),
    ("README", b"# Title\n\nSee [the portal](https://example.vn).\n", "markdown"),
    ("feed.xml", b'<?xml version="1.0"?><rss><channel><title>Tin</title></channel></rss>', "xml"),
    ("plain.xlsx", xlsx_bytes(), "spreadsheet"),
    ("archive.gz", b"\x1f\x8b\x08\x00" + b"\0" * 20, "archive"),
    ("store.sqlite", b"SQLite format 3\x00" + b"\0" * 100, "database"),
    ("x.thumbs", thumbs_db_bytes(), "thumbnail cache"),
    ("table.tsv", b"a\tb\n1\t2\n", "csv"),
    # documents, and files only ingest can judge
    ("notice.txt", NOTICE_TEXT.encode(), None),
    ("notice-cp1258.txt", "THÔNG BÁO\nVăn ban gửi các đơn vị\n".encode("cp1258", "replace"), None),
    ("word-2003.xml", b'<?xml version="1.0"?><?mso-application progid="Word.Document"?><w:wordDocument/>', None),
    ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, None),                 # images are read as scans
    ("zip-not-word.docx", NOT_DOCUMENTS["ho-so.zip"][0], None),           # a .docx that is not one fails
    ("sheet.doc", thumbs_db_bytes(), None),                               # a .doc that is not one fails
    ("empty.txt", b"", None),
    ("page.html.pdf", NOT_DOCUMENTS["trang-chu.html"][0], None),
]


@pytest.mark.parametrize("name,data,kind", CASES, ids=[c[0] for c in CASES])
def test_file_kind(name, data, kind):
    found = file_kind(data, f"/in/{name}")
    assert (found[0] if found else None) == kind, found


@pytest.mark.parametrize("path", sorted(p for p in DEV.iterdir() if p.is_file()), ids=lambda p: p.name)
def test_the_dev_corpus_gold_and_notes_are_skipped_and_every_notice_read(path):
    found = file_kind(path.read_bytes(), str(path))
    expected = {".json": "json", ".md": "markdown"}.get(path.suffix)
    assert (found[0] if found else None) == expected


def test_check_document_raises_a_typed_error_naming_file_and_kind():
    with pytest.raises(NotADocument) as e:
        check_document(b'{"a": 1}', "/in/gold.json")
    assert e.value.file_kind == "json" and e.value.path == "/in/gold.json" and "JSON" in e.value.reason
