"""Rows in bulk: many rows of one table written by one statement, with one bound value.

DuckDB's Python client converts every bound parameter on its own, and a list parameter
element by element; without pandas installed each conversion first tries to import pandas
(a walk of `sys.path`), so a statement that binds a value per cell costs milliseconds per
row (issue 14). Here a table's rows travel as one JSON text, bound once, and DuckDB unpacks
it (`from_json`): every scalar is read as text and CAST to its column's type, so a value
the column cannot hold (2^40 for an INTEGER, `abc` for a DATE) fails the statement as a
bound parameter would, where a typed `from_json` would quietly store NULL.

Measured against pyarrow (an Arrow table read by DuckDB's Arrow scan): Arrow writes a row
in about a third of the time, but `import pyarrow` costs ~0.15 s a process and ~40 MB of
wheel, for a fraction of a millisecond a document; JSON needs nothing (README, benchmark).

Works on an open connection inside the caller's transaction and does not import duckdb:
the caller turns the driver's errors into ours.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any, Iterable, Sequence

Row = dict[str, Any]


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    raise TypeError(f"a {type(value).__name__} cannot be stored: {value!r}")


def to_json(values: Any) -> str:
    """The text bound for a bulk statement: dates as ISO text, non-ASCII kept as it is."""
    return json.dumps(values, ensure_ascii=False, default=_jsonable)


def strings_sql(param: str = "?") -> str:
    """SQL for a list of strings bound as one JSON text (`to_json(["a", "b"])`): a subquery
    to use as `x IN (…)`."""
    return f"(SELECT unnest(from_json({param}, '[\"VARCHAR\"]')))"


def column_types(con) -> dict[str, dict[str, str]]:
    """{table: {column: DuckDB type}} of the archive's base tables."""
    out: dict[str, dict[str, str]] = {}
    for table, column, kind in con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position").fetchall():
        out.setdefault(table, {})[column] = kind
    return out


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _read_as(kind: str) -> str:
    """How `from_json` reads a column: lists as themselves, every scalar as text."""
    return kind if kind.endswith("[]") else "VARCHAR"


def _cast(column: str, kind: str) -> str:
    src = f"r.{_quote(column)}"
    value = src if kind == "VARCHAR" or kind.endswith("[]") else f"CAST({src} AS {kind})"
    return f"{value} AS {_quote(column)}"


def rows_select(columns: Sequence[str], types: dict[str, str], param: str = "?") -> str:
    """`SELECT <each column cast to its type> FROM <the rows bound as one JSON text>`."""
    kinds = {c: types.get(c, "VARCHAR") for c in columns}   # unknown: the INSERT will say
    shape = to_json([{c: _read_as(k) for c, k in kinds.items()}]).replace("'", "''")
    return (f"SELECT {', '.join(_cast(c, k) for c, k in kinds.items())} "
            f"FROM (SELECT unnest(from_json({param}, '{shape}')) AS r)")


def insert_rows(con, table: str, rows: Sequence[Row], types: dict[str, str]) -> None:
    """Insert `rows` (dicts with the same keys, columns of `table`) with one statement."""
    if not rows:
        return
    columns = list(rows[0])
    con.execute(f"INSERT INTO {_quote(table)} ({', '.join(map(_quote, columns))}) "
                + rows_select(columns, types), [to_json(list(rows))])


def concat(batches: Iterable[dict[str, list[Row]]], tables: Sequence[str]) -> dict[str, list[Row]]:
    """The rows of many notices, table by table, in order."""
    out: dict[str, list[Row]] = {t: [] for t in tables}
    for rows in batches:
        for t in tables:
            out[t].extend(rows[t])
    return out
