"""`vanban`: import notices into DuckDB, query, search, show and export them.

Each command opens the database, calls one library function, and maps a `VanbanError` to a
message and an exit code (0 ok, 1 some files failed, 2 the command could not run).
"""
from __future__ import annotations

import atexit
import gc
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.markup import escape
from rich.text import Text
from rich.tree import Tree

from pipeline.cliout import add_notice, err, fail, out, plain, print_rows, print_summary
from pipeline.errors import VanbanError
from pipeline.store.duckdb import DEFAULT_DB, open_store

app = typer.Typer(help="Vietnamese official notices (văn bản hành chính) → a DuckDB archive.\n\n"
                       "Example: vanban import data/raw && vanban search \"ke hoach khoa hoc\"",
                  no_args_is_help=True, add_completion=False, rich_markup_mode=None)

@app.callback()
def _run() -> None:
    # A command's process ends after it: freeze what is loaded (spaCy, DuckDB, the models) out
    # of the garbage collector's sight, so the interpreter's exit does not traverse it all once
    # more (measured: 0.2-0.3 s of CPU after a one-file import). Objects are still released.
    atexit.register(gc.freeze)


DEFAULT_INBOX = Path("data/raw")
DB_OPTION = typer.Option(DEFAULT_DB, "--db", help="DuckDB database file.")


def _progress_bar(quiet: bool):
    """The import's progress bar on stderr (rich.progress is loaded only when importing)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn

    class Rate(ProgressColumn):
        def render(self, task) -> Text:
            speed = task.completed / task.elapsed if task.elapsed else 0.0
            return Text(f"{speed:.1f} files/s")

    return Progress(TextColumn("importing"), BarColumn(), MofNCompleteColumn(), Rate(),
                    TimeElapsedColumn(), console=err, disable=quiet)


@app.command("import")
def import_cmd(paths: List[Path] = typer.Argument(None, help="Files or folders (recursive); default data/raw."),
               db: Path = DB_OPTION,
               workers: Optional[int] = typer.Option(None, "--workers", "-w",
                                                     help="Processes that read and analyse (default: the cores, or none for a few files; 0: none)."),
               exclude: List[str] = typer.Option([], "--exclude", "-x", help="Skip files whose name matches this glob (repeatable)."),
               quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
               take_all: bool = typer.Option(False, "--all", help="Also read files that are not documents (JSON, markdown, ini, CSV… as text); without it they are skipped and counted."),
               engine: str = typer.Option("local", "--engine", help="local: processes on this machine into --db; ray: a Ray cluster into the DuckLake."),
               address: Optional[str] = typer.Option(None, "--address", help="With --engine ray: the Ray cluster ('auto': the one started on this machine); default: start a local one."),
               lake_catalog: Optional[str] = typer.Option(None, "--catalog", help="With --engine ray: DuckLake catalog, a PostgreSQL connection string; default $VANBAN_LAKE_CATALOG."),
               lake_data: Optional[str] = typer.Option(None, "--lake-data", help="With --engine ray: DuckLake data path; default $VANBAN_LAKE_DATA.")) -> None:
    """Import notices: each file stored once, known by the sha256 of its bytes, under its
    absolute path. Files that are not documents (JSON, markdown, ini, CSV, spreadsheets,
    archives, web pages, Thumbs.db) are skipped and counted; they do not fail the import.

    Example: vanban import data/raw ../shared/corpus/dev --exclude '*.json' --workers 2
    """
    paths = paths or [DEFAULT_INBOX]
    if engine == "ray":
        from pipeline.scale.cli import ray_import
        return ray_import(paths, lake_catalog, lake_data, address, workers, exclude, quiet, take_all)
    if engine != "local":
        err.print(f"[bold red]error:[/] --engine is local or ray, not {escape(engine)}")
        raise typer.Exit(2)
    # DuckDB's client imports pandas at the first bound parameter wherever it is installed
    # (an extra: a user's install lacks it, store/duckdb.py marks it absent then): ~0.25 s of
    # the CPU of a one-file import (issue 14), for nothing an import uses (rows travel as JSON,
    # store/bulk.py). This process ends with the command, so nothing else here can want it;
    # a library caller (a notebook) is left alone.
    sys.modules.setdefault("pandas", None)
    from pipeline.importer import import_paths
    with _progress_bar(quiet) as bar:
        task = bar.add_task("import", total=None)

        def progress(done: int, total: int, outcome) -> None:
            bar.update(task, completed=done, total=total)

        try:
            summary = import_paths(paths, db, workers=workers, on_progress=progress, exclude=exclude,
                                   take_all=take_all)
        except VanbanError as e:
            fail(e)
    print_summary(summary)


@app.command("query")
def query_cmd(sql: str = typer.Argument(..., help="One SQL statement (the database is opened read-only)."),
              db: Path = DB_OPTION,
              as_csv: bool = typer.Option(False, "--csv", help="Print CSV."),
              as_json: bool = typer.Option(False, "--json", help="Print JSON lines, one object per row."),
              timeout: float = typer.Option(30.0, "--timeout", help="Seconds to wait while an import holds the file."),
              lake: bool = typer.Option(False, "--lake", help="Query the DuckLake (--catalog or $VANBAN_LAKE_CATALOG) instead of --db."),
              lake_catalog: Optional[str] = typer.Option(None, "--catalog", help="DuckLake catalog (PostgreSQL connection string).")) -> None:
    """Run SQL on the archive, read-only.

    Example: vanban query "select unit, count(*) from tasks group by unit" --csv
    """
    if lake:
        from pipeline.scale.cli import lake_query
        return lake_query(sql, lake_catalog, None, as_csv, as_json)
    try:
        with open_store(db, read_only=True, timeout=timeout) as store:
            cols, rows = store.query(sql)
    except VanbanError as e:
        fail(e)
    print_rows(cols, rows, as_csv, as_json)


@app.command("search")
def search_cmd(text: str = typer.Argument(..., help="Words to find; accents and case do not matter."),
               db: Path = DB_OPTION,
               limit: int = typer.Option(10, "--limit", "-n", help="How many notices to show.")) -> None:
    """Full-text search of notices and their tasks, best first, with the matching passage.

    Example: vanban search "ke hoach khoa hoc" --limit 5
    """
    from pipeline.store.search import search
    try:
        hits = search(db, text, limit)
    except VanbanError as e:
        fail(e)
    if not hits:
        out.print("no notice matches")
    for i, h in enumerate(hits, 1):
        title = " ".join(x for x in [f"{h.number or ''}/{h.symbol}" if h.symbol else None,
                                     h.issued_date.isoformat() if h.issued_date else None] if x)
        out.print(f"[bold]{i}. {escape(h.doc_id)}[/] {escape(title)}  score {h.score:.2f}  [dim]{escape(h.source_path)}[/]"
                  + (f"  [cyan]notice {h.notice_id}: {h.files} files[/]" if h.files > 1 else ""))
        if h.subject:
            out.print(f"   {escape(h.subject)}")
        passage = Text("   …" + h.passage.replace("\n", " ") + "…")
        for s, e in h.highlights:
            passage.stylize("bold yellow", s + 4, e + 4)
        out.print(passage)


def _header_line(k: str, v) -> str:
    return f"{k}: {escape(str(plain(v)))}"


@app.command("show")
def show_cmd(doc: str = typer.Argument(..., help="doc_id (or a prefix), sha256, or a path the file was seen under (relative or absolute) or its name."),
             db: Path = DB_OPTION) -> None:
    """Print one notice as a tree: header, sections, tasks with unit and deadline, citations.

    Example: vanban show qngai-skhcn-tb-ketluan-2021.docx
    """
    from pipeline.store.browse import notice_of
    try:
        with open_store(db, read_only=True) as store:
            d = store.document(doc)
            notice = notice_of(store, d["header"]["doc_id"])
    except VanbanError as e:
        fail(e)
    h = d["header"]
    tree = Tree(f"[bold]{escape(h['doc_id'])}[/] {escape(h['source_path'])}")
    add_notice(tree, notice, h.get("is_notice"))
    header = tree.add("header")
    for k in ["issuer_parent", "issuer", "number", "symbol", "doc_type", "doc_type_name", "place",
              "issued_date", "subject", "urgency", "confidentiality", "sign_authority", "signed_for",
              "signer_title", "signer_name", "format", "pages", "sha256", "imported_at", "is_notice"]:
        if h.get(k) is not None:
            header.add(_header_line(k, h[k]))
    if d.get("paths"):
        paths = tree.add(f"paths ({len(d['paths'])})")
        for p in d["paths"]:
            paths.add(f"{escape(p['kind'])} {escape(p['path'])}")
    if d["sections"]:
        sec = tree.add(f"sections ({len(d['sections'])})")
        for s in d["sections"]:
            sec.add(f"{escape(s['path'] or '')}  {escape(s['heading'] or '')}")
    if d["tasks"]:
        tasks = tree.add(f"tasks ({len(d['tasks'])})")
        for t in d["tasks"]:
            extra = " ".join(x for x in [f"[cyan]{escape(t['unit'])}[/]" if t["unit"] else "",
                                         f"[magenta]by {t['deadline'].isoformat()}[/]" if t["deadline"] else ""] if x)
            text = (t["text"] or "").replace("\n", " ")
            tasks.add(f"{escape(t['path'] or '')} {extra} {escape(text[:160])}{'…' if len(text) > 160 else ''}")
    if d["citations"]:
        cits = tree.add(f"citations ({len(d['citations'])})")
        for c in d["citations"]:
            cits.add(escape(" ".join(str(x) for x in [c["ref"], c["cited_date"]] if x)))
    for name in ["recipients", "persons", "dates"]:
        if d[name]:
            node = tree.add(f"{name} ({len(d[name])})")
            for r in d[name]:
                node.add(escape(str(r.get("text") or r.get("name") or r.get("value"))))
    if d["warnings"]:
        node = tree.add(f"warnings ({len(d['warnings'])})")
        for w in d["warnings"]:
            node.add(escape(w["message"]))
    out.print(tree)


@app.command("export")
def export_cmd(parquet: Path = typer.Option(..., "--parquet", help="Folder to write <table>.parquet files into."),
               db: Path = DB_OPTION) -> None:
    """Write every table of the archive as Parquet.

    Example: vanban export --parquet data/processed/parquet
    """
    try:
        with open_store(db, read_only=True) as store:
            written = store.export_parquet(parquet)
    except VanbanError as e:
        fail(e)
    out.print(f"{len(written)} tables written to {escape(str(parquet))}")


# `vanban watch` and `vanban bench` are declared here and import their module when they run:
# importing pipeline.watch at start-up loaded the importer, the model and pydantic for every
# command (~0.1 s of CPU for a `vanban query` that needs none of it), and pipeline.bench
# another ~0.01 s (issue 14). The server's command module imports only typer and the store
# (FastAPI and uvicorn are loaded when it runs), so it is registered from there.

# pipeline.watch's defaults, repeated so that declaring the command does not import the module;
# tests/test_cli.py checks they agree
WATCH_SETTLE_SECONDS = 2.0


@app.command("watch")
def watch_cmd(inbox: Path = typer.Argument(DEFAULT_INBOX, help="Folder to watch (created if missing); default data/raw."),
              db: Path = DB_OPTION,
              settle_seconds: float = typer.Option(WATCH_SETTLE_SECONDS, "--settle",
                                                   help="Seconds a file must stay unchanged before it is read.")) -> None:
    """Watch a folder: import each file once it is completely written, then move it to
    done/ or to failed/ beside NAME.error.txt. Runs until Ctrl-C or SIGTERM.

    Example: vanban watch data/raw --db data/processed/vanban.duckdb
    """
    import signal
    import threading

    from pipeline.importer import ALREADY, FAILED, IMPORTED, SKIPPED, FileOutcome
    from pipeline.errors import StoreError
    from pipeline.watch import watch
    out = err
    stop = threading.Event()
    signals = {"count": 0}

    def on_signal(signum, frame):
        signals["count"] += 1
        if signals["count"] == 1:
            out.print("[yellow]stopping after the file in hand… (again to stop at once)[/]")
            stop.set()
        else:
            raise KeyboardInterrupt

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    colours = {IMPORTED: "green", ALREADY: "cyan", FAILED: "red", SKIPPED: "yellow"}

    def report(o: FileOutcome, moved_to: Path) -> None:
        line = f"[{colours.get(o.status, 'white')}]{o.status}[/] {escape(o.path)} → {escape(str(moved_to))}"
        if o.doc_id:
            line += f" [dim]{o.doc_id}[/]"
        if o.status == FAILED:
            line += f": {escape(o.error or '')} at {o.stage}: {escape(o.message or '')}"
        elif o.status == SKIPPED:
            line += f": {escape(o.error or '')}: {escape(o.message or '')}"
        out.print(line)

    out.print(f"watching [bold]{escape(str(inbox))}[/] → {escape(str(db))} (Ctrl-C to stop)")
    try:
        summary = watch(inbox, db, stop, settle_seconds=settle_seconds, on_outcome=report)
    except KeyboardInterrupt:
        out.print("[yellow]stopped; the file in hand was rolled back and stays in the inbox[/]")
        raise typer.Exit(130)
    except StoreError as e:
        out.print(f"[bold red]error:[/] {escape(str(e))}")
        raise typer.Exit(2)
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
    out.print(f"stopped: {summary.imported} imported, {summary.already_stored} already stored, "
              f"{summary.skipped} skipped, {summary.failed} failed")


@app.command("bench")
def bench_cmd(n: int = 200, n_scan: int = 8, rss_docs: int = 0, peers: bool = True,
              peer_python: Optional[str] = None, sample: int = 20, startup_only: bool = False,
              real_scans: Optional[Path] = None) -> None:
    """Benchmark the import against the bare parsers and the peers; writes data/processed/bench/.
    `--startup-only`: only one .docx by the CLI and one upload to a warm server, printed.
    `--real-scans FOLDER`: only the scans of FOLDER (*.scan.pdf) against tesseract alone.

    Example: vanban bench --n 1000 --rss-docs 10000
    """
    if real_scans is not None:
        from pipeline.benchscan import main as scans_main
        scans_main([str(real_scans)])
        return
    if startup_only:
        from pipeline.benchstartup import main as startup_main
        startup_main([])
        return
    from pipeline.bench import main
    argv = ["--n", str(n), "--n-scan", str(n_scan), "--rss-docs", str(rss_docs), "--sample", str(sample)]
    if not peers:
        argv += ["--peers", "none"]
    if peer_python:
        argv += ["--peer-python", peer_python]
    main(argv)


from pipeline.server.command import serve_command  # noqa: E402

app.command("serve")(serve_command)


if __name__ == "__main__":
    app()
