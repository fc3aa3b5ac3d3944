"""The whole per-file pipeline as one pure function: bytes → `Notice`.

This is what `vanban import`, the watcher, the upload server and a Ray worker all call, so
the stages run the same wherever they are scheduled.

The stages are imported on first call, not with this module: the importer, the watcher and
the server import this module in processes that may never analyse a file (`vanban --help`,
a re-import of stored files, the server's parent process). `warm()` loads them and builds
everything built once a process (the spaCy pipeline, the rules), for a long-running process
that wants its first file to be as fast as the next.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.model import Notice

# a notice small enough to cost nothing, with enough in it to load every analysis rule
_WARM_UP = ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\nSố: 1/TB-SKHCN\n"
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Quảng Ngãi, ngày 1 tháng 1 năm 2021\nTHÔNG BÁO\nKết luận của Giám đốc\n"
            "Căn cứ Quyết định số 12/QĐ-UBND ngày 2/1/2020 của UBND tỉnh;\n"
            "1. Phòng Quản lý khoa học chủ trì, phối hợp với Văn phòng Sở thực hiện trước ngày 30/6/2021.\n"
            "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nGIÁM ĐỐC\nNguyễn Văn A\n")


def process_bytes(data: bytes, path: str) -> Notice:
    from pipeline import ingest
    from pipeline.analyse import analyse
    return analyse(ingest.read_bytes(data, path))


def process_path(path: str | Path) -> Notice:
    from pipeline import ingest
    from pipeline.analyse import analyse
    return analyse(ingest.read(path))


def warm() -> None:
    """Load and build, once in this process, what the first file would otherwise pay for:
    the readers of the common kinds, the analysis and its rules, the spaCy pipeline. What is
    loaded then lives as long as the process: it is frozen out of the garbage collector's
    sight (`gc.freeze`), so a full collection during a file does not traverse it all."""
    import gc
    import importlib

    from pipeline.ingest import READERS
    for kind in ("docx", "txt"):
        importlib.import_module(f"pipeline.ingest.{READERS[kind]}")
    process_bytes(_WARM_UP.encode("utf-8"), "warm-up.txt")
    gc.freeze()
