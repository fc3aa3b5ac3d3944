"""The real-scan benchmark (pipeline/benchscan.py, issue 11) times the same pages on both
sides: tesseract alone gets each page as our acquisition renders it, at the resolution we read
it at. Its ratio is the benchmark's to judge; this checks what it compares."""
import pypdfium2 as pdfium
import pytest

from pipeline.benchscan import main, render_as_acquired, scan_files
from pipeline.devcorpus import DEV_CORPUS, REAL_CORPUS
from pipeline.ingest import scan


@pytest.mark.skipif(not REAL_CORPUS.is_dir(), reason="the real corpus is not beside the repository")
def test_tesseract_alone_gets_every_page_at_the_resolution_we_read_it(tmp_path):
    files = scan_files(REAL_CORPUS, 2)
    assert [f.name for f in files] == sorted(f.name for f in REAL_CORPUS.glob("*.scan.pdf"))[:2]
    pages = render_as_acquired(files, tmp_path)
    want = []
    for f in files:
        pdf = pdfium.PdfDocument(str(f))
        want += [round(72 / scan.acquire(pdf, i).scale) for i in range(len(pdf))]
        pdf.close()
    assert [dpi for _, dpi in pages] == want
    assert all((tmp_path / p).exists() for p, _ in pages)


def test_the_table_names_the_pages_and_the_ratio(tmp_path, capsys):
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "a.scan.pdf").symlink_to(DEV_CORPUS / "haugiang-ubnd-cv-454-2011.scan.pdf")
    assert main([str(folder)]) == 0
    row = capsys.readouterr().out.strip().splitlines()[-1].split("|")
    assert row[1].strip() == "one" and row[2].strip() == "1" and int(row[3]) >= 1
    assert row[7].strip().startswith("**") and row[7].strip().endswith("×**")
