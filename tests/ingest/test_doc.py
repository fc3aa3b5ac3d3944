""".doc through LibreOffice: a real .doc made from a dev .docx reads to the same body."""
from __future__ import annotations

import io
import zipfile
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from pipeline.errors import ConversionError
from pipeline.ingest import doc, docx, read_bytes
from pipeline.model import Region
from pipeline.devcorpus import DEV_CORPUS

DEV = DEV_CORPUS
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")


def _fold(s: str) -> str:
    return " ".join(s.split())


def _with_closing_paragraph(data: bytes) -> bytes:
    """Word always ends a body with a paragraph after a last table; the dev file does not, and
    LibreOffice's .doc export then drops that table. Add the paragraph Word would have."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename == "word/document.xml":
                blob = blob.replace(b"</w:tbl><w:sectPr", b"</w:tbl><w:p/><w:sectPr")
            out.writestr(info, blob)
    return buf.getvalue()


def _to_doc(data: bytes, name: str, tmp: str) -> bytes:
    """A .docx made a binary .doc by LibreOffice, as an archive would hold it."""
    src = Path(tmp) / f"{name}.docx"
    src.write_bytes(data)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                    "--convert-to", "doc", "--outdir", tmp, str(src)],
                   check=True, capture_output=True, timeout=180)
    return (Path(tmp) / f"{name}.doc").read_bytes()


@pytest.fixture(scope="module")
def dev_doc() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        return _to_doc(_with_closing_paragraph((DEV / "qngai-skhcn-tb-ketluan-2021.docx").read_bytes()), "qngai", tmp)


@needs_soffice
def test_doc_body_equals_docx(dev_doc):
    assert dev_doc[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    got = read_bytes(dev_doc, "qngai.doc")
    want = docx.read((DEV / "qngai-skhcn-tb-ketluan-2021.docx").read_bytes(), "qngai.docx")
    assert got.format == "doc" and got.media_type == "application/msword"
    body = lambda d: [_fold(b.text) for b in d.blocks if b.region == Region.BODY]
    assert body(got) == body(want)
    assert [b.text for b in got.blocks if b.region == Region.FOOTER_RIGHT] == \
        [b.text for b in want.blocks if b.region == Region.FOOTER_RIGHT]


@needs_soffice
def test_rtf_reads():
    rtf = rb"{\rtf1\ansi\deff0 {\fonttbl {\f0 Times New Roman;}}\f0 Th\u244?ng b\u225?o s\u7889? 5\par}"
    got = read_bytes(rtf, "tb.rtf")
    assert got.blocks[0].text == "Thông báo số 5" and got.format == "doc"


def test_missing_soffice_names_the_file(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ConversionError, match="old.doc") as e:
        doc.to_docx(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.doc", "doc")
    assert not e.value.transient


def test_timeout_kills_and_is_transient(tmp_path, monkeypatch):
    # a stand-in converter that hangs, with a child of its own, as a stuck soffice does
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\n/bin/sh -c '/bin/sleep 60; echo \"$0\"' \"$0\" &\n/bin/sleep 60\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ConversionError, match="within") as e:
        doc.to_docx(b"x", "hang.doc", "doc", timeout=1)
    assert e.value.transient
    time.sleep(0.2)
    left = []
    for proc in Path("/proc").iterdir():
        try:
            cmd = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if proc.name.isdigit() and str(tmp_path).encode() in cmd:
            left.append(cmd)
    assert left == []  # the converter and its child were killed with their group


@needs_soffice
@pytest.mark.parametrize("name, last_recipient, signature", [
    ("haugiang-ubnd-cv-454-2011", "- Lưu: VT, NCTH.HH", ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
    ("tw-vpcp-cv-4663-2008", "- Lưu: VT, QHQT (3).", ["BỘ TRƯỞNG, CHỦ NHIỆM"]),
])
def test_a_doc_exported_without_its_footer_table_keeps_its_columns(tmp_path, name, last_recipient, signature):
    """LibreOffice's .doc export drops a table that ends the body: the footer's cells come back
    as paragraphs, the last recipient glued to the first signature line (`…NCTH.HHKT. CHỦ TỊCH`)."""
    data = _to_doc((DEV / f"{name}.docx").read_bytes(), name, str(tmp_path))
    flat = read_bytes(data, f"{name}.doc")
    left = [b.text for b in flat.blocks if b.region == Region.FOOTER_LEFT]
    right = [b.text for b in flat.blocks if b.region == Region.FOOTER_RIGHT]
    assert left[-1] == last_recipient
    assert right[:len(signature)] == signature


@pytest.mark.parametrize("line, left, right", [
    ("- Lưu: VT, TCKH.TM. ỦY BAN NHÂN DÂN", "- Lưu: VT, TCKH.", "TM. ỦY BAN NHÂN DÂN"),
    ("- Lưu: VT, NCTH.HHKT. CHỦ TỊCH", "- Lưu: VT, NCTH.HH", "KT. CHỦ TỊCH"),
    ("- Lưu Ban Tuyên giáo Tỉnh ủy.K/T TRƯỞNG BAN", "- Lưu Ban Tuyên giáo Tỉnh ủy.", "K/T TRƯỞNG BAN"),
    ("- Lưu: VT, QHQT (3).BỘ TRƯỞNG, CHỦ NHIỆM", "- Lưu: VT, QHQT (3).", "BỘ TRƯỞNG, CHỦ NHIỆM"),
    # recipients as they are written: nothing glued
    ("- Lưu: VT,KT.", "- Lưu: VT,KT.", ""),
    ("- Lưu: VT, P.HCTH", "- Lưu: VT, P.HCTH", ""),
    ("- VP.UBND TỈNH;", "- VP.UBND TỈNH;", ""),
    ("- UBND các huyện, TP.HCM;", "- UBND các huyện, TP.HCM;", ""),
])
def test_glued_signature(line, left, right):
    from pipeline.ingest.columns import glued_signature
    cut = glued_signature(line)
    assert (line[:cut], line[cut:]) == (left, right)


@needs_soffice
def test_a_tcvn3_doc_keeps_its_u_horn(tmp_path):
    """TCVN3 draws `ư` at the soft hyphen's code; a .doc keeps that letter as Word's optional
    hyphen, which comes back from LibreOffice as `w:softHyphen`."""
    from docx_factory import make_docx, p

    font = '<w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime" w:cs=".VnTime"/>'
    body = p("C¬ quan nhµ n\u00adíc ph¶i thùc hiÖn ngay.", rpr=font) + p("Tr\u00adêng häc", rpr=font)
    data = _to_doc(make_docx(body), "tcvn3", str(tmp_path))
    assert [b.text for b in read_bytes(data, "tcvn3.doc").blocks] == ["Cơ quan nhà nước phải thực hiện ngay.",
                                                                     "Trường học"]
