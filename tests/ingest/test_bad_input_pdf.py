"""PDFs that cannot be read fail with a typed error naming the file and the reason."""
from __future__ import annotations

import pytest

from pipeline.errors import ConversionError, CorruptFile, EmptyDocument, EncryptedFile
from pipeline.ingest import read_bytes, tesseract
from _similarity import DEV
from pdfbuild import pdf_from_objects


_pdf = pdf_from_objects


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
ENCRYPTED = _pdf([CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE,
                  b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>"],
                 b"/Encrypt 4 0 R /ID [<0123456789abcdef0123456789abcdef><0123456789abcdef0123456789abcdef>]")
NO_PAGES = _pdf([CATALOG, b"<< /Type /Pages /Kids [] /Count 0 >>"])
BLANK_PAGE = _pdf([CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE])
GOOD = (DEV / "haugiang-ubnd-cv-454-2011.pdf").read_bytes()

CASES = [
    ("encrypted.pdf", ENCRYPTED, EncryptedFile, "password"),
    ("no-pages.pdf", NO_PAGES, EmptyDocument, "no pages"),
    ("truncated.pdf", GOOD[: len(GOOD) // 3], CorruptFile, "damaged"),
    ("garbage.pdf", b"%PDF-1.7\n" + b"\x00\xffnot a pdf" * 50, CorruptFile, "damaged"),
    ("blank.pdf", BLANK_PAGE, EmptyDocument, "no text"),
]


@pytest.mark.parametrize("path,data,error,reason", CASES)
def test_bad_pdf(path, data, error, reason):
    with pytest.raises(error) as err:
        read_bytes(data, path)
    assert err.value.path == path
    assert reason in err.value.reason


def test_tesseract_failure_is_a_conversion_error(monkeypatch):
    """A tesseract that cannot run (here: a language it does not have) names the file."""
    monkeypatch.setattr(tesseract, "LANG", "no-such-language")
    with pytest.raises(ConversionError) as err:
        read_bytes((DEV / "tw-vpcp-cv-4663-2008.scan.pdf").read_bytes(), "scan.pdf")
    assert err.value.path == "scan.pdf" and "tesseract" in err.value.reason


def test_tesseract_missing_is_a_conversion_error(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ConversionError) as err:
        read_bytes((DEV / "tw-vpcp-cv-4663-2008.scan.pdf").read_bytes(), "scan.pdf")
    assert "not installed" in err.value.reason


def test_zero_pages_after_a_broken_pdf_in_the_same_process():
    """Regression (hostile suite): pdfium keeps the last load error per thread, so in a
    worker that had read a broken PDF a zero-page one came out as corrupt."""
    with pytest.raises(CorruptFile):
        read_bytes(b"%PDF-1.4\n garbage", "broken.pdf")
    with pytest.raises(EmptyDocument):
        read_bytes(NO_PAGES, "zero.pdf")
