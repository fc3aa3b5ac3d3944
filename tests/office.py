"""Word files printed to PDF by LibreOffice (a private profile, as pipeline/ingest/doc.py runs
it), and PDFs printed and scanned: the text PDFs and scans the tests need, made as users make them."""
from __future__ import annotations

import subprocess
from pathlib import Path


def docx_to_pdf(docs: list[Path], out: Path) -> list[Path]:
    run = subprocess.run(["soffice", f"-env:UserInstallation=file://{out}/lo-profile", "--headless",
                          "--convert-to", "pdf", "--outdir", str(out), *map(str, docs)],
                         capture_output=True, text=True, timeout=600)
    pdfs = [out / f"{d.stem}.pdf" for d in docs]
    assert run.returncode == 0 and all(p.exists() for p in pdfs), run.stderr
    return pdfs


def pdf_to_scan(pdf: Path, dst: Path, seed: int) -> None:
    """A scan of a printed page: 200 dpi grey, turned by up to 1.5°, sensor noise, a little
    blur, JPEG, and no text layer."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(seed)
    pages = []
    for page in pdfium.PdfDocument(pdf):
        img = page.render(scale=200 / 72, grayscale=True).to_pil().convert("L")
        img = img.rotate(float(rng.uniform(-1.5, 1.5)), resample=Image.BICUBIC, expand=True, fillcolor=255)
        noisy = np.asarray(img, dtype=float) + rng.normal(0, 12, (img.height, img.width))
        pages.append(Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6)))
    pages[0].save(dst, save_all=True, append_images=pages[1:], resolution=200, quality=75)
