"""The whole per-file pipeline as one pure function: bytes → `Notice`.

This is what `vanban import`, the watcher, the upload server and a Ray worker all call, so
the stages run the same wherever they are scheduled.
"""
from __future__ import annotations

from pathlib import Path

from pipeline import ingest
from pipeline.analyse import analyse
from pipeline.model import Notice


def process_bytes(data: bytes, path: str) -> Notice:
    return analyse(ingest.read_bytes(data, path))


def process_path(path: str | Path) -> Notice:
    return analyse(ingest.read(path))
