"""How the command line prints: results as a table, CSV or JSON lines, an import summary,
and a `VanbanError` as one line with an exit code. Shared by `vanban` and its scale-out
commands, so both print alike."""
from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections import Counter

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipeline.errors import VanbanError



def _console(stream, stderr: bool = False) -> Console:
    """Piped output is read by grep and scripts: a line is neither broken nor cropped at 80
    columns there (a long path split "3 files" in two, a tree cut "read from"); a terminal
    still gets lines fitted to its width."""
    if stream.isatty():
        return Console(stderr=stderr)
    return Console(stderr=stderr, width=4000, soft_wrap=True)


out = _console(sys.stdout)
err = _console(sys.stderr, stderr=True)


def fail(e: VanbanError, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {escape(str(e))}", soft_wrap=True)
    raise typer.Exit(code)


def plain(v):
    """A value as JSON or CSV can hold it."""
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return str(v)


def print_rows(cols: list[str], rows: list[tuple], as_csv: bool = False, as_json: bool = False) -> None:
    if as_csv:
        w = csv.writer(sys.stdout)
        w.writerow(cols)
        w.writerows([plain(v) for v in r] for r in rows)
    elif as_json:
        for r in rows:
            sys.stdout.write(json.dumps(plain(dict(zip(cols, r))), ensure_ascii=False) + "\n")
    else:
        table = Table(*cols, show_lines=False)
        for r in rows:
            table.add_row(*[escape("" if v is None else str(plain(v))) for v in r])
        out.print(table)
        out.print(f"{len(rows)} rows")


def print_summary(summary, into: str = "") -> None:
    """The end of an import: counts, then each failed file with its reason; exit 1 when any
    failed. Files skipped as not documents are counted by kind and never fail the import."""
    where = f" into {escape(into)}" if into else ""
    skipped = getattr(summary, "skipped", [])
    kinds = Counter(o.error for o in skipped)
    by_kind = " (" + ", ".join(f"{n} {escape(k or '?')}" for k, n in sorted(kinds.items())) + ")" if kinds else ""
    out.print(f"{summary.files} files in {summary.seconds:.1f}s ({summary.files_per_second:.1f} files/s){where}: "
              f"[green]{summary.imported} imported[/], {summary.already_stored} already stored, "
              f"{len(skipped)} skipped{by_kind}, "
              f"[{'red' if summary.failed else 'green'}]{len(summary.failed)} failed[/]", soft_wrap=True)
    for f in summary.failed:
        out.print(f"  [red]failed[/] {escape(f.path)}: {escape(f.error or '')} at {f.stage}: "
                  f"{escape(f.message or '')}", soft_wrap=True)
    if summary.failed:
        raise typer.Exit(1)


def add_notice(tree, notice, is_notice=None) -> None:
    """Under a file's tree, the notice it belongs to and its files (`browse.notice_of`), so a
    reader of one file sees the draft, the PDF and the scan that are the same notice."""
    if notice is None:
        if is_notice is False:
            tree.add("notice: none (no mark of an official notice: no Số, kind, motto or issuer)")
        return
    node = tree.add(f"notice {notice['notice_id']} ({len(notice['files'])} files)")
    for f in notice["files"]:
        marks = ", ".join(m for m, on in (("read from", f["chosen"]), ("this file", f.get("this"))) if on)
        # the marks before the path: a long path wraps on a narrow terminal
        node.add(f"{escape(f['doc_id'])} {escape(f['role'] or 'other')}" + (f" [bold]({marks})[/]" if marks else "")
                 + f"  {escape(f['source_path'])}")
