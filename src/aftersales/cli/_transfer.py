"""``aftersales import`` and ``aftersales export``: follow-up records from and to CSV and Excel files.

:func:`add_transfer_parsers` declares both commands; :func:`run_import` reads
a file into a store (:func:`aftersales.transfer.import_records`): every row
becomes a ticket, or nothing is written and every bad cell is printed on
stderr (row, heading, value with contacts masked, reason); ``--report FILE``
writes them all as a CSV. :func:`run_export` writes a store's tickets as
template rows (:func:`aftersales.transfer.export_records`), contacts masked
unless ``--reveal`` (with ``--by`` and ``--purpose``) records a reveal in each
ticket's history. The command line trusts whoever can open the database:
its reveal policy grants ``--by``, and every reveal is recorded under that
name. ``--db`` names a SQLite file (created by an import when missing),
``--dsn`` a PostgreSQL database (the ``postgres`` extra).

Example:
    >>> parser = argparse.ArgumentParser(prog="aftersales")
    >>> add_transfer_parsers(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["import", "old.xlsx", "--db", "x.db", "--dry-run"])
    >>> args.file, args.dry_run, args.partial, args.tz
    ('old.xlsx', True, False, 'Asia/Shanghai')
    >>> args = parser.parse_args(["export", "--db", "x.db", "--format", "csv", "--out", "o.csv"])
    >>> args.format, args.reveal, args.lang
    ('csv', False, 'zh')
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path
from typing import Any

from aftersales.cli._calendar import add_calendar_options, calendar_of
from aftersales.cli._commands import Refused, _check_store, _output
from aftersales.service.desk import ServiceDesk
from aftersales.sla import SlaPolicy
from aftersales.storage.sqlite import SQLiteStore
from aftersales.transfer import (
    ImportRejected,
    RevealRequest,
    export_records,
    import_records,
)
from aftersales.transfer.problems import CellProblem
from aftersales.views import AllowedViewers

__all__ = ["add_transfer_parsers", "run_export", "run_import", "write_report"]

_FORMAT = argparse.RawDescriptionHelpFormatter


def _where(parser: argparse.ArgumentParser, *, creates: bool) -> None:
    where = parser.add_mutually_exclusive_group(required=True)
    created = " (created when missing)" if creates else ""
    where.add_argument("--db", metavar="FILE", help=f"the SQLite store{created}")
    where.add_argument("--dsn", metavar="DSN", help="a PostgreSQL store ('postgres' extra)")


def add_transfer_parsers(commands: Any) -> None:
    """Declare ``aftersales import`` and ``aftersales export`` on the subcommands ``commands``."""
    imports = commands.add_parser(
        "import",
        help="load legacy follow-up records from a CSV or Excel file",
        description=(
            "Read follow-up records from a .csv or .xlsx file whose columns are the template's\n"
            "fields under their Chinese or English headings (docs/import-export.md), and turn\n"
            "each row into a ticket whose back-dated history reaches the row's 关闭状态. Nothing\n"
            "is written unless every row is good: every bad cell is printed (row as Excel\n"
            "numbers it, heading, reason). Importing the same file again adds nothing."
        ),
        epilog=(
            "examples:\n"
            "  aftersales import 跟进记录.xlsx --db desk.db --dry-run\n"
            "  aftersales import legacy.csv --db desk.db --mapping mapping.toml --report bad.csv\n"
            "  aftersales import legacy.csv --dsn postgresql://localhost/desk --partial"
        ),
        formatter_class=_FORMAT,
    )
    imports.add_argument("file", metavar="FILE", help="the .csv or .xlsx file to read")
    _where(imports, creates=True)
    imports.add_argument(
        "--mapping", metavar="TOML", help="a mapping file: other headings, value maps, defaults"
    )
    imports.add_argument("--sheet", help="the workbook's sheet (default: the first)")
    imports.add_argument(
        "--dry-run", action="store_true", help="check every row and report, write nothing"
    )
    imports.add_argument(
        "--partial",
        action="store_true",
        help="write the good rows even when others are bad (which are reported)",
    )
    imports.add_argument(
        "--report", metavar="FILE", help="write every bad cell to this CSV file (row, heading, …)"
    )
    add_calendar_options(imports)
    imports.set_defaults(run=run_import)

    exports = commands.add_parser(
        "export",
        help="write a store's tickets as follow-up records (CSV or Excel)",
        description=(
            "Write every ticket of a store as one row of the follow-up template, in a form\n"
            "'aftersales import' reads back. Contacts are masked unless --reveal is given,\n"
            "which records a reveal to --by for --purpose in each ticket's history first."
        ),
        epilog=(
            "examples:\n"
            "  aftersales export --db desk.db --format xlsx --out 跟进记录.xlsx\n"
            "  aftersales export --db desk.db --format csv --out all.csv --reveal"
            " --by 王经理 --purpose 迁移到新系统"
        ),
        formatter_class=_FORMAT,
    )
    _where(exports, creates=False)
    exports.add_argument("--format", choices=("csv", "xlsx"), required=True)
    exports.add_argument("--out", required=True, metavar="FILE", help="the file to write")
    exports.add_argument(
        "--lang",
        choices=("zh", "en"),
        default="zh",
        help="language of the headings (default: %(default)s)",
    )
    exports.add_argument(
        "--reveal", action="store_true", help="show contacts unmasked (needs --by and --purpose)"
    )
    exports.add_argument("--by", help="who the contacts are revealed to (recorded)")
    exports.add_argument("--purpose", help="why they are revealed (recorded)")
    add_calendar_options(exports)
    exports.set_defaults(run=run_export)


def _open(args: argparse.Namespace, *, creates: bool) -> Any:
    if args.db is not None:
        path = Path(args.db)
        if not (creates and not path.exists()):
            _check_store(path, f"--db {path}")
        return SQLiteStore(path)
    from aftersales.storage.postgres import PostgresStore

    return PostgresStore(args.dsn, max_size=2)


def write_report(path: Path, cells: list[CellProblem]) -> None:
    """Every bad cell as a CSV row: row, heading, value (masked), reason, accepted.

    Example:
        >>> import tempfile
        >>> file = Path(tempfile.mkdtemp()) / "bad.csv"
        >>> write_report(file, [CellProblem(2, "优先级", "'高级'", "is not a priority", "紧急")])
        >>> file.read_text(encoding="utf-8-sig").splitlines()[1]
        "2,优先级,'高级',is not a priority,紧急"
    """
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["row", "heading", "value", "reason", "accepted"])
        for cell in cells:
            writer.writerow([cell.row, cell.heading, cell.value, cell.reason, cell.accepted])


def run_import(args: argparse.Namespace) -> int:
    """``aftersales import``: import the file, print what was done (or every bad cell)."""
    report = _output("--report", args.report)
    source = Path(args.file)
    if not source.is_file():
        raise Refused(f"{source} does not exist; accepted: a .csv or .xlsx file")
    started = time.perf_counter()
    new_file = args.db is not None and not Path(args.db).exists()
    store = _open(args, creates=True)
    done = False
    try:
        desk = ServiceDesk(store, sla=SlaPolicy.default(calendar_of(args, store)))
        try:
            result = import_records(
                desk,
                source,
                mapping=args.mapping,
                dry_run=args.dry_run,
                partial=args.partial,
                tz=args.tz,
                sheet=args.sheet,
            )
        except ImportRejected as rejected:
            if report is not None:
                write_report(report, list(rejected.cells))
                print(f"aftersales import: every bad cell written to {report}", file=sys.stderr)
            raise
        done = result.written
    finally:
        store.close()
        if new_file and not done:
            _remove_database(Path(args.db))
    seconds = time.perf_counter() - started
    if report is not None:
        write_report(report, list(result.problems))
    for problem in result.problems[:100]:
        print(f"aftersales import: skipped {problem}", file=sys.stderr)
    if result.ignored_headings:
        ignored = ", ".join(result.ignored_headings)
        print(f"aftersales import: columns not read: {ignored}", file=sys.stderr)
    verb = "would create" if args.dry_run else "created"
    print(
        f"{result.rows} rows read from {result.source}: {verb} {len(result.created)} tickets"
        f" and {len(result.customers_created)} customers; {len(result.unchanged)} tickets"
        f" already there; {len(result.problems)} bad cells skipped;"
        f" {seconds:.1f} s ({result.rows / seconds if seconds else 0:.0f} rows/s)"
    )
    return 0


def _remove_database(path: Path) -> None:
    """Remove the SQLite file an import created but wrote nothing into (dry run, refusal)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def run_export(args: argparse.Namespace) -> int:
    """``aftersales export``: write the store's tickets to ``--out``; print the count."""
    out = _output("--out", args.out)
    assert out is not None
    reveal = None
    if args.reveal:
        if not args.by or not args.purpose:
            raise Refused(
                "--reveal needs --by NAME and --purpose TEXT; accepted: all three (recorded)"
            )
        reveal = RevealRequest(args.by, args.purpose, AllowedViewers({args.by}))
    elif args.by or args.purpose:
        raise Refused("--by and --purpose go with --reveal; accepted: all three, or none")
    store = _open(args, creates=False)
    try:
        desk = ServiceDesk(store, sla=SlaPolicy.default(calendar_of(args, store)))
        result = export_records(
            desk, out, format=args.format, reveal=reveal, lang=args.lang, tz=args.tz
        )
    finally:
        store.close()
    print(
        f"{result.rows} tickets written to {result.path} ({result.format});"
        f" contacts: {result.revealed} revealed (recorded), {result.masked} masked"
    )
    return 0
