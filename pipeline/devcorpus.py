"""Where the shared development material lies: `../shared/` beside the repository, as
developers and CI lay it out (or `$VANBAN_SHARED`). Tests, the benchmark and the scorer
runs read the dev corpus and the scorer from here, never from an absolute path."""
from __future__ import annotations

import os
from pathlib import Path

SHARED = Path(os.environ.get("VANBAN_SHARED") or Path(__file__).resolve().parents[2] / "shared")
DEV_CORPUS = SHARED / "corpus" / "dev"
SCORER = SHARED / "eval" / "score.py"
REAL_CORPUS = SHARED / "corpus" / "real"
