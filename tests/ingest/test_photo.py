"""Pages photographed rather than scanned: a phone's picture of the first page of a dev notice
(the page at a slant on a desk, lit from one side, 900×1250 pixels, no resolution recorded,
JPEG) reads its header as the printed page does; a scan keeps its frame untouched."""
import io
import json

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from pipeline import ingest
from pipeline.analyse import analyse
from pipeline.devcorpus import DEV_CORPUS
from pipeline.ingest import photo

NOTICE = "qngai-skhcn-tb-ketluan-2021"


def first_page(scale: float) -> np.ndarray:
    pdf = pdfium.PdfDocument(str(DEV_CORPUS / f"{NOTICE}.pdf"))
    try:
        return np.asarray(pdf[0].render(scale=scale).to_pil().convert("RGB"))
    finally:
        pdf.close()


def photographed(page: np.ndarray) -> bytes:
    """The page held at a slant over a brown desk, brighter on the right, as a phone saves it."""
    h, w = page.shape[:2]
    desk = np.full((int(h * 1.3), int(w * 1.3), 3), (90, 70, 50), np.uint8)
    corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    slant = np.float32([[w * 0.12, h * 0.08], [w * 1.15, h * 0.14], [w * 1.1, h * 1.22], [w * 0.18, h * 1.18]])
    shot = cv2.warpPerspective(page, cv2.getPerspectiveTransform(corners, slant), desk.shape[1::-1],
                               dst=desk, borderMode=cv2.BORDER_TRANSPARENT)
    light = 0.65 + 0.35 * np.arange(shot.shape[1])[None, :, None] / shot.shape[1]
    picture = Image.fromarray((shot * light).clip(0, 255).astype(np.uint8)).resize((900, 1250))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=80)
    return out.getvalue()


@pytest.fixture(scope="module")
def photo_bytes() -> bytes:
    return photographed(first_page(150 / 72))


def test_a_photographed_page_reads_its_header(photo_bytes, tmp_path):
    path = tmp_path / f"{NOTICE}.jpg"
    path.write_bytes(photo_bytes)
    notice = analyse(ingest.read(path))
    gold = json.loads((DEV_CORPUS / f"{NOTICE}.json").read_text(encoding="utf-8"))["header"]
    for field in ("issuer", "issuer_parent", "number", "symbol", "doc_type", "place", "subject"):
        assert getattr(notice, field) == gold[field], field
    assert notice.issued_date.isoformat() == gold["issued_date"]
    # the first page's items: the sections and the tasks of the Phòng Quản lý Khoa học
    assert [s.path for s in notice.sections][:2] == ["I", "II"]


def test_the_page_outline_is_found_in_a_photo_and_not_in_a_scan(photo_bytes):
    picture = np.asarray(Image.open(io.BytesIO(photo_bytes)).convert("RGB"))
    corners = photo.page_outline(picture)
    assert corners is not None
    # the page's top edge: from about (0.12, 0.08) to (1.15, 0.14) of the page, on a 1.3× desk
    (x0, y0), (x1, y1) = corners[0] / [900 / 1.3, 1250 / 1.3], corners[1] / [900 / 1.3, 1250 / 1.3]
    assert max(abs(x0 - 0.12), abs(y0 - 0.08), abs(x1 - 1.15), abs(y1 - 0.14)) < 0.03
    scan = first_page(100 / 72)
    assert photo.page_outline(scan) is None
    flat, dpi = photo.flatten(Image.fromarray(scan), 100.0)
    assert dpi == 100.0 and flat.size == (scan.shape[1], scan.shape[0])


def test_resolution_is_taken_from_the_page_when_the_file_does_not_state_it():
    assert photo.resolution((750, 1069), 0) == pytest.approx(1069 / 11.69)
    assert photo.resolution((2480, 3508), 300) == 300
    assert photo.resolution((2480, 3508), 72) == pytest.approx(3508 / 11.69)   # a camera's default


def test_uneven_light_is_evened_and_even_paper_left_alone():
    page = first_page(100 / 72)[..., 0]
    shade = (0.55 + 0.45 * np.arange(page.shape[1]) / page.shape[1])[None, :]
    shaded = Image.fromarray((page * shade).astype(np.uint8))
    evened = np.asarray(photo.even_light(shaded))
    margin = evened[:, : evened.shape[1] // 20]      # paper at the dark edge: white again
    assert np.percentile(margin, 50) > 240
    assert np.percentile(np.asarray(shaded)[:, : evened.shape[1] // 20], 50) < 160
    even = Image.fromarray(page)
    assert photo.even_light(even) is even
