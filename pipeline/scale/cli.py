"""The command functions behind `vanban import --engine ray` and `vanban query --lake`.

Each is a few lines over one library function (`import_with_ray`, `query_lake`,
`export_lake_to_duckdb`) and maps a `VanbanError` to a message and exit code 2, like
pipeline/cli.py. `pipeline/cli.py` calls `ray_import` and `lake_query`; this module's own
`app` runs the same functions standalone: `python -m pipeline.scale.cli --help`.
"""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.markup import escape

from pipeline.cliout import fail, out, print_rows, print_summary
from pipeline.errors import VanbanError

CATALOG_HELP = ("DuckLake catalog: a PostgreSQL connection string ('host=db dbname=lake user=vanban'); "
                "default $VANBAN_LAKE_CATALOG.")
DATA_HELP = "DuckLake data path (a shared folder, or s3://bucket/prefix/); default $VANBAN_LAKE_DATA."


def ray_import(paths: List[Path], catalog: Optional[str], data: Optional[str], address: Optional[str],
               workers: Optional[int], exclude: List[str], quiet: bool, take_all: bool = False) -> None:
    """`vanban import --engine ray`: import into the DuckLake on a Ray cluster; exit 1 when
    some files failed (files skipped as not documents fail nothing)."""
    from pipeline.scale.lake import LakeConfig
    from pipeline.scale.ray_engine import import_with_ray
    try:
        lake = LakeConfig.from_env(catalog, data)
        summary = import_with_ray(paths, lake, address=address, num_workers=workers,
                                  exclude=exclude, progress=not quiet, take_all=take_all)
    except VanbanError as e:
        fail(e)
    print_summary(summary, into=lake.describe())


def lake_query(sql: str, catalog: Optional[str], data: Optional[str], as_csv: bool, as_json: bool) -> None:
    """`vanban query --lake`: one SQL statement on the DuckLake, read-only."""
    from pipeline.scale.lake import LakeConfig, query_lake
    try:
        cols, rows = query_lake(LakeConfig.from_env(catalog, data), sql)
    except VanbanError as e:
        fail(e)
    print_rows(cols, rows, as_csv, as_json)


def lake_export(db: Path, catalog: Optional[str], data: Optional[str]) -> None:
    """Copy the lake's tables into a DuckDB file with the embedded schema."""
    from pipeline.scale.lake import LakeConfig, export_lake_to_duckdb
    try:
        counts = export_lake_to_duckdb(LakeConfig.from_env(catalog, data), db)
    except VanbanError as e:
        fail(e)
    out.print(f"{counts.get('documents', 0)} documents in {len(counts)} tables written to {escape(str(db))}")


# -- standalone: python -m pipeline.scale.cli ----------------------------------------------
app = typer.Typer(help="vanban on a Ray cluster, into a DuckLake.\n\n"
                       "Example: python -m pipeline.scale.cli import data/raw --address auto",
                  no_args_is_help=True, add_completion=False, rich_markup_mode=None)


@app.command("import")
def import_cmd(paths: List[Path] = typer.Argument(..., help="Files or folders (recursive)."),
               catalog: Optional[str] = typer.Option(None, "--catalog", help=CATALOG_HELP),
               data: Optional[str] = typer.Option(None, "--lake-data", help=DATA_HELP),
               address: Optional[str] = typer.Option(None, "--address", help="Ray cluster ('auto': the one on this machine); default: start a local one."),
               workers: Optional[int] = typer.Option(None, "--workers", "-w", help="Tasks at once (default: the cluster's CPUs)."),
               exclude: List[str] = typer.Option([], "--exclude", "-x", help="Skip files whose name matches this glob (repeatable)."),
               quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars."),
               take_all: bool = typer.Option(False, "--all", help="Also read files that are not documents (JSON, markdown, CSV… as text); without it they are skipped and counted.")) -> None:
    """Import notices into the DuckLake with Ray.

    Example: python -m pipeline.scale.cli import /archive/inbox --address auto --catalog 'host=db dbname=lake'
    """
    ray_import(paths, catalog, data, address, workers, exclude, quiet, take_all)


@app.command("query")
def query_cmd(sql: str = typer.Argument(..., help="One SQL statement (read-only; tables unqualified)."),
              catalog: Optional[str] = typer.Option(None, "--catalog", help=CATALOG_HELP),
              data: Optional[str] = typer.Option(None, "--lake-data", help=DATA_HELP),
              as_csv: bool = typer.Option(False, "--csv", help="Print CSV."),
              as_json: bool = typer.Option(False, "--json", help="Print JSON lines, one object per row.")) -> None:
    """Run SQL on the DuckLake.

    Example: python -m pipeline.scale.cli query "select count(*) from documents" --catalog 'host=db dbname=lake'
    """
    lake_query(sql, catalog, data, as_csv, as_json)


@app.command("export")
def export_cmd(db: Path = typer.Option(..., "--db", help="DuckDB file to write (created with the embedded schema)."),
               catalog: Optional[str] = typer.Option(None, "--catalog", help=CATALOG_HELP),
               data: Optional[str] = typer.Option(None, "--lake-data", help=DATA_HELP)) -> None:
    """Copy the DuckLake's tables into a DuckDB file (for score.py, search, the notebook).

    Example: python -m pipeline.scale.cli export --db lake.duckdb --catalog 'host=db dbname=lake'
    """
    lake_export(db, catalog, data)


if __name__ == "__main__":
    app()
