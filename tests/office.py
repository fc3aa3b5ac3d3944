"""Word files printed to PDF by LibreOffice, for the tests that need a text PDF as Word's users
make one (a private profile, as pipeline/ingest/doc.py runs it)."""
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
