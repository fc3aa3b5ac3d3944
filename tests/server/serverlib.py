"""Helpers: a real `vanban serve` (python -m pipeline.server.command) in a subprocess, on a free
loopback port, over a fresh database."""
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).parents[2]
TOKEN = "test-token-0123456789abcdef"
MAX_UPLOAD_MB = 1


@dataclass
class Server:
    url: str
    db: Path
    upload_dir: Path
    proc: subprocess.Popen
    log: Path

    def client(self, token: str | None = TOKEN, **kw) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=120, **kw)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(tmp: Path, *args, token: str | None = TOKEN, env_token: bool = False) -> Server:
    port = free_port()
    db = tmp / "processed" / "vanban.duckdb"
    log = tmp / "server.log"
    cmd = [sys.executable, "-m", "pipeline.server.command", "--db", str(db), "--port", str(port),
           "--max-upload-mb", str(MAX_UPLOAD_MB), *args]
    env = dict(os.environ)
    env.pop("VANBAN_TOKEN", None)
    if token and env_token:
        env["VANBAN_TOKEN"] = token
    elif token:
        cmd += ["--token", token]
    proc = subprocess.Popen(cmd, stdout=open(log, "wb"), stderr=subprocess.STDOUT, cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the server exited: {log.read_text()}")
        try:
            if httpx.get(url + "/api/health", timeout=2).status_code == 200:
                return Server(url, db, db.parent / "uploads", proc, log)
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError(f"the server did not start: {log.read_text()}")


def stop_server(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.proc.kill()


