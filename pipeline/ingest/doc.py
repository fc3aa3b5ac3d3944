""".doc / .rtf / .odt → .docx with LibreOffice headless → the .docx reader.

Each conversion runs in its own temporary directory with its own LibreOffice profile
(`-env:UserInstallation`): two soffice processes sharing a profile block each other or exit
silently. A hung conversion is killed with its whole process group and reported as transient.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from pipeline.errors import ConversionError, CorruptFile, EmptyDocument
from pipeline.ingest import docx
from pipeline.ingest.sniff import sniff
from pipeline.model import IngestedDocument

TIMEOUT_S = 120
_SUFFIX = {"doc": ".doc", "rtf": ".rtf", "odt": ".odt"}
_MEDIA = {"doc": "application/msword", "rtf": "application/rtf",
          "odt": "application/vnd.oasis.opendocument.text"}


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_docx(data: bytes, path: str, kind: str, *, timeout: float = TIMEOUT_S) -> bytes:
    """Convert one file's bytes to .docx bytes with LibreOffice."""
    exe = soffice()
    if exe is None:
        raise ConversionError(path, "LibreOffice (soffice) is not installed; cannot read "
                                    f"a .{kind} file")
    with tempfile.TemporaryDirectory(prefix="vanban-soffice-") as tmp:
        src = Path(tmp) / f"input{_SUFFIX.get(kind, '.doc')}"
        src.write_bytes(data)
        out_dir = Path(tmp) / "out"
        profile = Path(tmp) / "profile"
        cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML", "--outdir",
               str(out_dir), str(src)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True, env={**os.environ, "HOME": tmp})
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # soffice forks; kill the whole group
            proc.communicate()
            raise ConversionError(path, f"LibreOffice did not finish converting within "
                                        f"{timeout:.0f} s", transient=True) from None
        result = out_dir / "input.docx"
        if proc.returncode != 0 or not result.exists():
            reason = (err or b"").decode("utf-8", "replace").strip()[-300:] or \
                f"exit code {proc.returncode}, no output"
            raise ConversionError(path, f"LibreOffice could not convert the .{kind} file: {reason}")
        return result.read_bytes()


def read(data: bytes, path: str) -> IngestedDocument:
    kind = sniff(data, path)
    converted = to_docx(data, path, kind)
    if not converted:
        raise CorruptFile(path, f"LibreOffice produced an empty .docx from the .{kind} file")
    try:
        doc = docx.read(converted, path)
    except EmptyDocument as e:
        raise EmptyDocument(path, f".{kind} file holds no text") from e
    return doc.model_copy(update={"format": "doc",
                                  "media_type": _MEDIA.get(kind, "")})
