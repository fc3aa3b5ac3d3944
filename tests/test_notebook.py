"""notebooks/analyst.ipynb runs top to bottom on a real database of dev notices."""
import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from pipeline.importer import import_paths
from pipeline.devcorpus import DEV_CORPUS

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "analyst.ipynb"
DEV = DEV_CORPUS


def test_analyst_notebook_runs(tmp_path, monkeypatch):
    db = tmp_path / "nb.duckdb"
    summary = import_paths(sorted(DEV.glob("*.docx"))[:4], db, workers=0)
    assert summary.imported >= 1, summary.failed
    # kernel "python3" is ipykernel's own spec for this interpreter (sys.executable), so no
    # kernelspec needs installing; it inherits VANBAN_DB and a PYTHONPATH that finds pipeline
    monkeypatch.setenv("VANBAN_DB", str(db))
    monkeypatch.delenv("MPLBACKEND", raising=False)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in [os.environ.get("PYTHONPATH"), str(ROOT)] if p))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert str(db.resolve()) in outputs
    assert any(o.get("output_type") == "display_data" and "image/png" in o.get("data", {})
               for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])), "no chart drawn"
