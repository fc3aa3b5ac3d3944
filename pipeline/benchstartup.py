"""Benchmark of start-up (issue 14): what a user waits for one file, not for a batch.

    python -m pipeline.benchstartup          # or `vanban bench --startup-only`

- **one .docx by the CLI**: `vanban import FILE --db NEW.duckdb --quiet` in a subprocess, as a
  user runs it (the interpreter, the package, the pipeline and the database all start cold),
  wall time; the median of `RUNS`, each into a new database. Goal ≤ 1.0 s.
- **one upload on a warm server**: `vanban serve` in a subprocess, one warm-up upload, then
  `UPLOADS` distinct .docx posted one at a time to `/api/documents` with the standard library's
  HTTP client, each timed from the request to the parsed answer (the file stored, its summary
  read back); the median. Goal ≤ 0.3 s.
- for reference: `vanban --help` and `import pipeline.cli`, wall.

Nothing here needs an extra (no httpx, no psutil): it runs on the package as a user installs it.
The .docx are the dev notices, each copy made distinct by a zip comment (a new sha256).
"""
from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
import zipfile
from pathlib import Path
from typing import Any, Optional, Sequence

ONE_FILE_GOAL = 1.0     # s, one .docx by the CLI, wall
UPLOAD_GOAL = 0.3       # s, one .docx uploaded to a warm server, stored and answered
RUNS = 5
UPLOADS = 10
TOKEN = "bench-startup-token-0123456789abcdef"


def distinct_docx(folder: Path, n: int, tag: str = "") -> list[Path]:
    """n distinct .docx: the dev notices in turn, each copy with its own zip comment."""
    from pipeline.devcorpus import DEV_CORPUS
    sources = sorted(p for p in DEV_CORPUS.glob("*.docx"))
    if not sources:
        raise RuntimeError(f"no .docx in {DEV_CORPUS}")
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        src = sources[i % len(sources)]
        target = folder / f"{tag}{i:03d}-{src.name}"
        target.write_bytes(src.read_bytes())
        with zipfile.ZipFile(target, "a") as z:
            z.comment = f"startup {tag}{i} {uuid.uuid4().hex}".encode()
        out.append(target)
    return out


def _env() -> dict:
    from pipeline.bench import _env as bench_env
    return bench_env()


def _wall(cmd: Sequence[str], cwd: Path, timeout: float = 300) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    r = subprocess.run(list(map(str, cmd)), capture_output=True, text=True, cwd=cwd, env=_env(), timeout=timeout)
    return time.perf_counter() - started, r


def _fresh_db(work: Path, name: str) -> Path:
    db = work / name
    for p in (db, Path(f"{db}.wal")):
        if p.exists():
            p.unlink()
    return db


def cli_one_file(work: Path, runs: int = RUNS) -> dict[str, Any]:
    """`vanban import ONE.docx` into a new database, `runs` times; and --help, package import."""
    vanban = [sys.executable, "-m", "pipeline.cli"]
    files = distinct_docx(work / "one", runs, "cli")
    walls, failed = [], []
    for i, f in enumerate(files):
        wall, r = _wall([*vanban, "import", f, "--db", _fresh_db(work, f"one-{i}.duckdb"), "--quiet"], work)
        walls.append(wall)
        if r.returncode != 0 or "1 imported" not in r.stdout:
            failed.append((r.stdout + r.stderr)[-500:])
    helps = [_wall([*vanban, "--help"], work)[0] for _ in range(3)]
    imports = [_wall([sys.executable, "-c", "import pipeline.cli"], work)[0] for _ in range(3)]
    return {"walls": walls, "median_s": statistics.median(walls), "failed": failed,
            "help_s": statistics.median(helps), "import_s": statistics.median(imports)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _multipart(path: Path) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{path.name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    return head + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def upload(base: str, path: Path, timeout: float = 120) -> tuple[float, int, dict]:
    """POST one file to /api/documents; (seconds to the parsed answer, status, answer)."""
    body, ctype = _multipart(path)
    req = urllib.request.Request(f"{base}/api/documents", data=body, method="POST",
                                 headers={"Content-Type": ctype, "Authorization": f"Bearer {TOKEN}"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            status, answer = resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as e:
        status, answer = e.code, json.loads(e.read() or b"{}")
    return time.perf_counter() - started, status, answer


def _wait_healthy(base: str, proc: subprocess.Popen, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"vanban serve exited with {proc.returncode}: {proc.stderr.read()[-1500:]}")
        try:
            with urllib.request.urlopen(f"{base}/api/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("vanban serve did not answer /api/health in time")


def warm_upload(work: Path, uploads: int = UPLOADS) -> dict[str, Any]:
    """`vanban serve` on a new database; one warm-up upload, then `uploads` timed ones."""
    files = distinct_docx(work / "uploads", uploads + 1, "up")
    db = _fresh_db(work, "serve.duckdb")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "serve", "--db", str(db), "--port", str(port),
                             "--token", TOKEN, "--upload-dir", str(work / "uploaded")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=work, env=_env())
    try:
        _wait_healthy(base, proc)
        ready = time.perf_counter() - started
        first, status, answer = upload(base, files[0])
        if status != 201:
            raise RuntimeError(f"warm-up upload answered {status}: {answer}")
        times, bad = [], []
        for f in files[1:]:
            t, status, answer = upload(base, f)
            times.append(t)
            if status != 201:
                bad.append(f"{f.name}: {status} {answer}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return {"server_ready_s": ready, "first_s": first, "times": times, "median_s": statistics.median(times),
            "failed": bad}


def run(work: Path, runs: int = RUNS, uploads: int = UPLOADS) -> dict[str, Any]:
    work = Path(work).absolute()
    work.mkdir(parents=True, exist_ok=True)
    return {"cli": cli_one_file(work, runs), "upload": warm_upload(work, uploads)}


def markdown(r: dict[str, Any]) -> list[str]:
    c, u = r["cli"], r["upload"]
    ok = lambda v, goal: "✅" if v <= goal else "❌"   # noqa: E731
    lines = ["## Start-up: one file", "",
             "| what | measured | goal |", "|---|---|---|",
             f"| one .docx by `vanban import` (subprocess, new database, median of {len(c['walls'])}) "
             f"| **{c['median_s']:.2f} s** (runs {', '.join(f'{w:.2f}' for w in c['walls'])}) "
             f"| ≤ {ONE_FILE_GOAL} s {ok(c['median_s'], ONE_FILE_GOAL)} |",
             f"| one .docx uploaded to a warm `vanban serve`, stored and answered (median of {len(u['times'])}) "
             f"| **{u['median_s']:.3f} s** (slowest {max(u['times']):.3f} s; the first upload {u['first_s']:.2f} s, "
             f"server up in {u['server_ready_s']:.2f} s) | ≤ {UPLOAD_GOAL} s {ok(u['median_s'], UPLOAD_GOAL)} |",
             f"| `vanban --help` | {c['help_s']:.2f} s | – |",
             f"| `import pipeline.cli` | {c['import_s']:.2f} s | – |"]
    for what, failed in (("CLI import", c["failed"]), ("upload", u["failed"])):
        if failed:
            lines += ["", f"{what} failures: {failed[:3]}"]
    return lines


def main(argv: Optional[list[str]] = None) -> int:
    import argparse
    ap = argparse.ArgumentParser(prog="python -m pipeline.benchstartup", description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", default="data/processed/bench/work/startup")
    ap.add_argument("--runs", type=int, default=RUNS)
    ap.add_argument("--uploads", type=int, default=UPLOADS)
    args = ap.parse_args(argv)
    print("\n".join(markdown(run(Path(args.work), args.runs, args.uploads))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
