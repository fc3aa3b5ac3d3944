"""Makes the helpers at the top of tests/ (pdfbuild.py, hostile/) importable from every test folder:
pytest puts the folder of this file on sys.path."""

import os
from functools import lru_cache

import pytest

from pipeline.devcorpus import REAL_CORPUS

from ingestcache import cached_read


@lru_cache(maxsize=None)
def _read_real(name: str):
    from pipeline import ingest
    # the handwriting examples cut from this very file are set aside: the file is read as a
    # new one would be (pipeline/ingest/fields.py)
    old = os.environ.get("VANBAN_HOLDOUT_DIGITS")
    os.environ["VANBAN_HOLDOUT_DIGITS"] = "1"
    try:
        return cached_read(REAL_CORPUS / name, ingest.read)
    finally:
        if old is None:
            del os.environ["VANBAN_HOLDOUT_DIGITS"]
        else:
            os.environ["VANBAN_HOLDOUT_DIGITS"] = old


@pytest.fixture(scope="session")
def real_doc():
    """A real file of ../shared/corpus/real read once a session (skipped without ../shared)."""
    if not REAL_CORPUS.is_dir():
        pytest.skip(f"the real corpus is not beside the repository ({REAL_CORPUS})")
    return _read_real
