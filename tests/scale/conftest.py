"""A real PostgreSQL (the DuckLake catalog) and a real two-node Ray cluster, for tests/scale.

PostgreSQL: initdb in a fresh temporary folder (as the `postgres` user when run as root:
initdb refuses root), started with pg_ctl on a free loopback port, stopped and removed at
the end. Each test gets its own database and data folder (`lake` fixture).

Ray: `ray.cluster_utils.Cluster`, a head node and one more worker node, one CPU each (two
raylets, the shape of a real cluster, on 127.0.0.1), a small object store, no dashboard.

The test modules skip (pytest.importorskip) only when the `scale` extra is not installed (a
core-only install); with the extra installed and no PostgreSQL binaries the tests fail, so
CI cannot skip them silently. Nothing here imports ray at module level.
"""
from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

# Everything on loopback: without this, Ray turns 127.0.0.1 in an address into the machine's
# outward IP (ray._private.services.resolve_ip_for_localhost), which a loopback-bound head
# does not listen on. Read when ray is imported, and inherited by every Ray process started here.
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")

OBJECT_STORE = 100 * 1024 ** 2


def _pg_bin() -> Path:
    if os.environ.get("VANBAN_PG_BIN"):
        return Path(os.environ["VANBAN_PG_BIN"])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    pytest.fail("tests/scale need the PostgreSQL server binaries (Debian: apt-get install postgresql; "
                "or set VANBAN_PG_BIN to the folder holding initdb and pg_ctl)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Postgres:
    port: int
    user: str = "vanban"
    _n: itertools.count = None

    def dsn(self, dbname: str) -> str:
        return f"host=127.0.0.1 port={self.port} user={self.user} dbname={dbname}"

    def new_database(self, prefix: str = "lake") -> str:
        import psycopg
        name = f"{prefix}_{next(self._n)}"
        with psycopg.connect(self.dsn("postgres"), autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        return self.dsn(name)


@pytest.fixture(scope="session")
def postgres():
    bindir = _pg_bin()
    root = Path(tempfile.mkdtemp(prefix="vanban-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:                       # initdb will not run as root
        pw = pwd.getpwnam("postgres")
        os.chown(root, pw.pw_uid, pw.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data, log, port = root / "data", root / "postgres.log", free_port()

    def run(*cmd):
        r = subprocess.run(as_user + [str(c) for c in cmd], capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, f"{cmd[0]} failed: {r.stdout}{r.stderr}"

    run(bindir / "initdb", "-D", data, "-A", "trust", "-U", "vanban", "-E", "UTF8", "--no-sync")
    opts = (f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
            f"-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
    run(bindir / "pg_ctl", "-D", data, "-o", opts, "-l", log, "-w", "-t", "60", "start")
    try:
        yield Postgres(port, _n=itertools.count(1))
    finally:
        subprocess.run(as_user + [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def lake(postgres, tmp_path):
    """A new, empty DuckLake: its own catalog database, data under tmp_path."""
    from pipeline.scale.lake import LakeConfig
    return LakeConfig(postgres.new_database(), str(tmp_path / "lake-data"))


@pytest.fixture(scope="session")
def ray_cluster():
    """A head node and a worker node, one CPU each; the driver (this process) connected."""
    import ray
    from ray.cluster_utils import Cluster
    node = dict(num_cpus=1, object_store_memory=OBJECT_STORE, include_dashboard=False)
    cluster = Cluster(initialize_head=True, head_node_args=dict(node, node_ip_address="127.0.0.1"))
    cluster.add_node(**node, node_ip_address="127.0.0.1")
    cluster.wait_for_nodes()
    ray.init(address=cluster.address, log_to_driver=False)
    try:
        yield cluster
    finally:
        ray.shutdown()
        cluster.shutdown()
