"""`vanban` run as a user runs it, in a folder of the test's choosing: for the end-to-end tests
of the CLI."""
from __future__ import annotations

import json
import os
import subprocess
import sys


def vanban(*args, cwd, timeout=300, columns=None) -> subprocess.CompletedProcess:
    """`columns` sets COLUMNS, as a narrow terminal or a CI runner would."""
    env = dict(os.environ, COLUMNS=str(columns)) if columns else None
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, cwd=cwd, env=env)


def query(db, sql, cwd) -> list[dict]:
    """`vanban query SQL --json`: its rows."""
    r = vanban("query", sql, "--db", db, "--json", cwd=cwd)
    assert r.returncode == 0, r.stderr
    return [json.loads(line) for line in r.stdout.splitlines()]
