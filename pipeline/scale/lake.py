"""The shared store: a DuckLake (catalog in PostgreSQL, data as Parquet under a data path).

Many writers at once (Ray workers, several upload servers) and analysts reading with DuckDB.

- **Same tables as the embedded store.** The tables, columns and types are read from an
  in-memory DuckDB carried through schema.sql by `pipeline.store.duckdb.migrate`, and the
  views and macros are taken from schema.sql's own statements, so the two stores cannot
  drift. DuckLake has no PRIMARY KEY / UNIQUE: uniqueness is kept by the writer (below).
  A lake made by an older vanban gains the missing tables, columns and views on open.
- **One document per transaction, keyed by sha256** (`lakewriter.LakeWriter`). A writer
  takes PostgreSQL advisory locks (session locks, so a writer that dies releases them) on
  the document's sha256, then in one DuckLake transaction checks whether the sha256 is
  stored, inserts the document's rows, its paths, groups it into its notice, and commits.
  Two writers with the same bytes serialise on the lock; the second finds the document and
  records only its path. A DuckLake commit conflict is retried with backoff, never dropped.
- **Offline extensions.** ducklake and postgres load from the files of the pip packages
  `duckdb-extension-ducklake` / `duckdb-extension-postgres`; the postgres file is copied to
  `postgres_scanner.duckdb_extension` (the name of its entry point) in a cache folder first.
  Nothing is ever INSTALLed from the network.

Small commits are inlined into the catalog by DuckLake (no Parquet file per document);
`compact_lake` moves them to Parquet and merges small files (run it after a large import).
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import random
import re
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence

import duckdb

from pipeline.errors import StoreError
from pipeline.store.duckdb import LATEST_VERSION, migrate, open_store, schema_steps

ENV_CATALOG = "VANBAN_LAKE_CATALOG"
ENV_DATA = "VANBAN_LAKE_DATA"
ENV_CACHE = "VANBAN_EXTENSION_CACHE"

MAX_ATTEMPTS = 12          # commits of one document before giving up (conflicts are retried)
LOCK_TIMEOUT_S = 300       # how long a writer waits for another writer of the same sha256

_CONFLICT = re.compile(r"Transaction conflict|could not serialize|duplicate key value|"
                       r"Exceeded the maximum retry count|Failed to commit DuckLake transaction|"
                       r"deadlock detected", re.I)


@dataclass(frozen=True)
class LakeConfig:
    """Where a DuckLake lives: its PostgreSQL catalog and the folder (or bucket) of its data.

    `catalog` is a libpq connection string (`host=db port=5432 dbname=lake user=vanban`) or
    URI (`postgresql://vanban@db:5432/lake`); `data_path` a folder every writer sees (a shared
    mount here, `s3://bucket/prefix/` in production). `data_path` may be None once the lake
    exists: the catalog remembers it.
    """

    catalog: str
    data_path: Optional[str] = None
    alias: str = "lake"

    @classmethod
    def from_env(cls, catalog: Optional[str] = None, data_path: Optional[str] = None) -> "LakeConfig":
        """Flags first, then VANBAN_LAKE_CATALOG / VANBAN_LAKE_DATA."""
        catalog = catalog or os.environ.get(ENV_CATALOG)
        data_path = data_path or os.environ.get(ENV_DATA) or None
        if not catalog:
            raise StoreError(None, f"no DuckLake catalog given: pass --catalog or set {ENV_CATALOG} "
                                   "(a PostgreSQL connection string, e.g. 'host=db dbname=lake user=vanban')")
        return cls(str(catalog), str(data_path) if data_path else None)

    def describe(self) -> str:
        return f"DuckLake (catalog {redact(self.catalog)!r}, data {self.data_path or '(as stored)'})"


def redact(dsn: str) -> str:
    """A connection string fit for a message: its password replaced by ***."""
    dsn = re.sub(r"(password\s*=\s*)('[^']*'|\S+)", r"\1***", dsn, flags=re.I)
    return re.sub(r"(://[^:/@\s]+:)[^@\s]+@", r"\1***@", dsn)


# -- extensions ------------------------------------------------------------------------------
def _package_extension(package: str, name: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise StoreError(None, f"the DuckLake store needs the package {package.replace('_', '-')}"
                               f"=={duckdb.__version__} (pip install -e '.[scale]'); it is not installed")
    root = Path(list(spec.submodule_search_locations)[0])
    exact = root / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if exact.exists():
        return exact
    found = sorted(root.rglob(f"{name}.duckdb_extension"))
    if not found:
        raise StoreError(None, f"no {name}.duckdb_extension inside {root}")
    return found[-1]


def _cache_dir() -> Path:
    base = os.environ.get(ENV_CACHE) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "vanban", "duckdb-extensions")
    return Path(base) / f"v{duckdb.__version__}"


def extension_paths() -> tuple[Path, Path]:
    """(ducklake, postgres_scanner) extension files, ready to LOAD without the network."""
    ducklake = _package_extension("duckdb_extension_ducklake", "ducklake")
    postgres = _package_extension("duckdb_extension_postgres", "postgres")
    target = _cache_dir() / "postgres_scanner.duckdb_extension"
    if not target.exists() or target.stat().st_size != postgres.stat().st_size:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        shutil.copyfile(postgres, tmp)
        os.replace(tmp, target)        # atomic: concurrent workers never LOAD a half-copied file
    return ducklake, target


def _sql_str(s: str | Path) -> str:
    return str(s).replace("'", "''")


def is_conflict(e: BaseException) -> bool:
    """A commit lost a race with another writer: worth retrying."""
    return isinstance(e, (duckdb.TransactionException, duckdb.Error)) and bool(_CONFLICT.search(str(e)))


def _store_error(e: BaseException, lake: LakeConfig, doing: str) -> StoreError:
    reason = str(e).splitlines()[0] if str(e) else type(e).__name__
    return StoreError(redact(lake.catalog), f"{doing}: {reason.replace(lake.catalog, redact(lake.catalog))}",
                      transient=is_conflict(e))


@contextmanager
def _guard(lake: LakeConfig, doing: str):
    try:
        yield
    except duckdb.Error as e:
        raise _store_error(e, lake, doing) from e


def connect(lake: LakeConfig, *, read_only: bool = False, database: str = ":memory:",
            ensure: bool = True) -> "duckdb.DuckDBPyConnection":
    """A DuckDB connection with the lake attached as `lake.alias` (and, unless read-only and
    `ensure=False`, its schema made current). The caller closes it."""
    ducklake, postgres = extension_paths()
    con = duckdb.connect(database, config={"autoinstall_known_extensions": False,
                                           "autoload_known_extensions": False})
    try:
        with _guard(lake, "loading the ducklake and postgres extensions"):
            con.execute(f"LOAD '{_sql_str(ducklake)}'")
            con.execute(f"LOAD '{_sql_str(postgres)}'")
        opts = []
        if lake.data_path:
            if "://" not in lake.data_path:
                Path(lake.data_path).mkdir(parents=True, exist_ok=True)
            opts.append(f"DATA_PATH '{_sql_str(lake.data_path)}'")
        if read_only:
            opts.append("READ_ONLY")
        opt_sql = f" ({', '.join(opts)})" if opts else ""
        _with_retry(lake, "attaching the lake", lambda: con.execute(
            f"ATTACH 'ducklake:postgres:{_sql_str(lake.catalog)}' AS \"{lake.alias}\"{opt_sql}"))
        if ensure and not read_only:
            ensure_schema(con, lake)
    except BaseException:
        con.close()
        raise
    return con


def _with_retry(lake: LakeConfig, doing: str, fn, attempts: int = MAX_ATTEMPTS):
    delay = 0.05
    for attempt in range(attempts):
        try:
            return fn()
        except duckdb.Error as e:
            if not is_conflict(e) or attempt == attempts - 1:
                raise _store_error(e, lake, doing) from e
        time.sleep(delay * random.uniform(0.5, 1.5))
        delay = min(delay * 2, 2.0)


# -- schema ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    name: str
    type: str
    not_null: bool
    default: Optional[str]


_CREATE_VIEW_OR_MACRO = re.compile(r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(VIEW|MACRO)\s+(\w+)", re.I)


def _strip_comments(sql: str) -> str:
    return "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))


def embedded_schema() -> tuple[dict[str, list[Column]], list[tuple[str, str, str]]]:
    """The embedded store's tables `{table: [Column]}` (from a fresh in-memory database
    migrated through schema.sql) and its views and macros `[(kind, name, sql)]` in order."""
    con = duckdb.connect(":memory:")
    try:
        migrate(con, ":memory:")
        rows = con.execute(
            "SELECT c.table_name, c.column_name, c.data_type, c.is_nullable, c.column_default "
            "FROM information_schema.columns c JOIN information_schema.tables t "
            "  ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
            "WHERE c.table_schema = 'main' AND t.table_type = 'BASE TABLE' "
            "ORDER BY c.table_name, c.ordinal_position").fetchall()
    finally:
        con.close()
    tables: dict[str, list[Column]] = {}
    for table, col, typ, nullable, default in rows:
        tables.setdefault(table, []).append(Column(col, typ, nullable == "NO", default))
    objects = []
    for _, sql in schema_steps():
        for stmt in duckdb.extract_statements(sql):
            text = _strip_comments(stmt.query).strip()
            m = _CREATE_VIEW_OR_MACRO.match(text)
            if m:
                objects.append((m.group(1).upper(), m.group(2), text))
    return tables, objects


def _column_sql(c: Column) -> str:
    sql = f'"{c.name}" {c.type}'
    if c.default is not None:
        sql += f" DEFAULT {c.default}"
    if c.not_null:
        sql += " NOT NULL"
    return sql


def lake_version(con, lake: LakeConfig) -> int:
    try:
        row = con.execute(f'SELECT value FROM "{lake.alias}".schema_info WHERE key = \'version\'').fetchone()
    except duckdb.CatalogException:
        return 0
    return int(row[0]) if row else 0


def ensure_schema(con, lake: LakeConfig) -> int:
    """Create the embedded schema's tables, columns, views and macros the lake lacks.

    Runs under a catalog-wide advisory lock, so many workers opening a new lake at once
    create each table once. Returns the schema version the lake is at."""
    if lake_version(con, lake) == LATEST_VERSION:
        return LATEST_VERSION
    with _Locks(lake) as locks, locks.hold(["schema"]):
        current = lake_version(con, lake)
        if current > LATEST_VERSION:
            raise StoreError(redact(lake.catalog), f"the lake has schema version {current}, newer than this "
                                           f"vanban knows ({LATEST_VERSION}); upgrade vanban")
        if current == LATEST_VERSION:
            return current
        tables, objects = embedded_schema()
        a = lake.alias
        with _guard(lake, "creating the lake's tables"):
            have = {}
            for t, c in con.execute("SELECT table_name, column_name FROM information_schema.columns "
                                    "WHERE table_catalog = ? AND table_schema = 'main'", [a]).fetchall():
                have.setdefault(t, set()).add(c)
            con.begin()
            try:
                for table, cols in tables.items():
                    if table not in have:
                        con.execute(f'CREATE TABLE "{a}"."{table}" ({", ".join(map(_column_sql, cols))})')
                        continue
                    for c in cols:
                        if c.name not in have[table]:
                            con.execute(f'ALTER TABLE "{a}"."{table}" ADD COLUMN "{c.name}" {c.type}'
                                        + (f" DEFAULT {c.default}" if c.default is not None else ""))
                con.commit()
            except BaseException:
                _rollback(con)
                raise
            # views and macros name tables unqualified: create them with the lake current
            home = con.execute("SELECT current_database()").fetchone()[0]
            con.execute(f'USE "{a}"')
            con.begin()
            try:
                for kind, name, sql in objects:
                    con.execute(re.sub(r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?", "CREATE OR REPLACE ", sql,
                                       count=1, flags=re.I))
                con.execute(f'DELETE FROM "{a}".schema_info WHERE key = \'version\'')
                con.execute(f'INSERT INTO "{a}".schema_info VALUES (\'version\', ?)', [str(LATEST_VERSION)])
                con.commit()
            except BaseException:
                _rollback(con)
                raise
            finally:
                con.execute(f'USE "{home}"')
    return LATEST_VERSION


def _rollback(con) -> None:
    try:
        con.rollback()
    except duckdb.Error:
        pass


# -- locks -----------------------------------------------------------------------------------
def lock_key(name: str) -> int:
    """A signed 64-bit advisory-lock key for a name (`doc:<sha256>`, `path:<source path>`)."""
    return int.from_bytes(hashlib.sha256(f"vanban:{name}".encode()).digest()[:8], "big", signed=True)


class _Locks:
    """PostgreSQL session advisory locks on the catalog database. A process that dies drops
    its connection, and PostgreSQL releases its locks."""

    def __init__(self, lake: LakeConfig):
        self.lake = lake
        self._pg = None

    def __enter__(self) -> "_Locks":
        try:
            import psycopg
        except ImportError as e:  # pragma: no cover - the scale extra brings it
            raise StoreError(None, "the DuckLake store needs psycopg (pip install -e '.[scale]')") from e
        try:
            self._pg = psycopg.connect(self.lake.catalog, autocommit=True)
            self._pg.execute(f"SET lock_timeout = '{int(LOCK_TIMEOUT_S)}s'")
        except psycopg.Error as e:
            raise StoreError(redact(self.lake.catalog), f"cannot connect to the catalog database: {e}",
                             transient=True) from e
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._pg is not None:
            try:
                self._pg.close()
            finally:
                self._pg = None

    @contextmanager
    def hold(self, names: Sequence[str]) -> Iterator[None]:
        """Hold the locks of `names` (taken in a fixed order, so two holders never deadlock)."""
        import psycopg
        keys = sorted({lock_key(n) for n in names})
        taken = []
        try:
            for k in keys:
                self._pg.execute("SELECT pg_advisory_lock(%s)", [k])
                taken.append(k)
            yield
        except psycopg.Error as e:
            raise StoreError(redact(self.lake.catalog), f"taking a writer's lock in the catalog: {e}",
                             transient=True) from e
        finally:
            for k in reversed(taken):
                try:
                    self._pg.execute("SELECT pg_advisory_unlock(%s)", [k])
                except psycopg.Error:
                    self.close()       # a lost connection has released the locks already
                    break


# -- writing: pipeline/scale/lakewriter.py (LakeWriter) ---------------------------------------


# -- reading, export, upkeep -----------------------------------------------------------------
def query_lake(lake: LakeConfig, sql: str, params: Sequence[Any] | None = None) -> tuple[list[str], list[tuple]]:
    """Run one statement on the lake, read-only, with its tables unqualified; return its
    column names and rows."""
    con = connect(lake, read_only=True)
    try:
        with _guard(lake, "running the query"):
            con.execute(f'USE "{lake.alias}"')
            cur = con.execute(sql, list(params) if params else None)
            if cur.description is None:
                return [], []
            return [d[0] for d in cur.description], cur.fetchall()
    finally:
        con.close()


def lake_counts(lake: LakeConfig) -> dict[str, int]:
    tables, _ = embedded_schema()
    out = {}
    for t in tables:
        out[t] = query_lake(lake, f'SELECT count(*) FROM "{t}"')[1][0][0]
    return out


def export_lake_to_duckdb(lake: LakeConfig, db_path: str | Path, *, search_index: bool = True) -> dict[str, int]:
    """Copy every table of the lake into a DuckDB file with the embedded schema (created or
    migrated by `open_store`; its archive tables are replaced), so `score.py --db`, `vanban
    search --db` and the notebook read it like any embedded archive. Returns rows per table."""
    db_path = Path(db_path)
    open_store(db_path).close()                 # create / carry forward the embedded schema
    tables, _ = embedded_schema()
    ducklake, postgres = extension_paths()
    con = duckdb.connect(str(db_path), config={"autoinstall_known_extensions": False,
                                               "autoload_known_extensions": False})
    counts = {}
    try:
        with _guard(lake, f"exporting the lake to {db_path}"):
            con.execute(f"LOAD '{_sql_str(ducklake)}'")
            con.execute(f"LOAD '{_sql_str(postgres)}'")
            src = "vanban_lake_export_source"    # not `lake.alias`: the file may be called lake.duckdb
            con.execute(f"ATTACH 'ducklake:postgres:{_sql_str(lake.catalog)}' AS \"{src}\" (READ_ONLY)")
            con.begin()
            for table, cols in tables.items():
                if table == "schema_info":
                    continue
                names = ", ".join(f'"{c.name}"' for c in cols)
                con.execute(f'DELETE FROM main."{table}"')
                con.execute(f'INSERT INTO main."{table}" ({names}) SELECT {names} FROM "{src}"."{table}"')
                counts[table] = con.execute(f'SELECT count(*) FROM main."{table}"').fetchone()[0]
            con.commit()
    finally:
        con.close()
    with open_store(db_path) as store:
        # the lake's writers group files into notices as they store them (the notices table
        # came over as it is); a lake written by an older vanban did not: group those here,
        # so the exported archive's views count notices as the embedded store's do
        if store.query("SELECT count(*) FROM documents WHERE notice_id IS NULL AND coalesce(is_notice, true)")[1][0][0]:
            store.rebuild_notices()
        counts["notices"] = store.query("SELECT count(*) FROM notices")[1][0][0]
        if search_index:
            store.rebuild_search_index()
    return counts


def compact_lake(lake: LakeConfig) -> None:
    """Move inlined rows to Parquet and merge small files (safe while others write: a
    conflict is retried)."""
    con = connect(lake, ensure=False)
    try:
        _with_retry(lake, "flushing inlined data", lambda: con.execute(
            f"CALL ducklake_flush_inlined_data('{_sql_str(lake.alias)}')"))
        _with_retry(lake, "merging small files", lambda: con.execute(
            f"CALL ducklake_merge_adjacent_files('{_sql_str(lake.alias)}')"))
    finally:
        con.close()
