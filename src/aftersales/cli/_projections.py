"""``aftersales projections rebuild``: recompute every ticket's read models in a store.

:func:`add_projections_parser` declares the ``projections`` command and its
``rebuild`` subcommand; :func:`run_rebuild` runs it: every ticket's
projection (its facts, SLA cycles, due and alert instants) is recomputed
under the store's SLA policy in force now (``aftersales sla policy load``;
the default one without) on the calendar the options name — the
configuration ``aftersales report`` and ``aftersales sla sweep`` read with —
and written a batch per transaction
(:func:`~aftersales.service.projections.rebuild_projections`). Progress goes
to stderr, the count to stdout. Interrupting it is safe; running it again
finishes it.

Example:
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="aftersales")
    >>> add_projections_parser(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["projections", "rebuild", "--db", "x.db", "--batch", "200"])
    >>> args.batch, args.calendar
    (200, 'china')
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from aftersales.cli._calendar import add_calendar_options
from aftersales.cli._commands import _check_store
from aftersales.cli._policy import store_policy
from aftersales.cli._sla import batch_size
from aftersales.readmodel.projection import Projector
from aftersales.service.projections import rebuild_projections
from aftersales.storage.sqlite import SQLiteStore

__all__ = ["add_projections_parser", "run_rebuild"]

_FORMAT = argparse.RawDescriptionHelpFormatter


def add_projections_parser(commands: Any) -> None:
    """Declare ``aftersales projections rebuild`` on the subcommands ``commands``."""
    projections = commands.add_parser(
        "projections",
        help="the read models of a store",
        description="The read models of an aftersales SQLite store (docs/read-models.md).",
        epilog="example:\n  aftersales projections rebuild --db aftersales-demo/aftersales.db",
        formatter_class=_FORMAT,
    )
    actions = projections.add_subparsers(dest="action", required=True, metavar="ACTION")
    rebuild = actions.add_parser(
        "rebuild",
        help="recompute every ticket's facts, SLA clocks, due and alert instants",
        description=(
            "Recompute every ticket's read models (its facts, SLA clock cycles, due and alert\n"
            "instants) under the store's SLA policy in force now (the default one when none\n"
            "is adopted) on the calendar the options name, as\n"
            "'aftersales report' and 'aftersales sla sweep' read them, and write them in\n"
            "batches of one transaction each. Run it after a change of calendar or policy\n"
            "(a report then says how many tickets had facts computed under another one).\n"
            "Events are not touched; an interrupted rebuild can simply be run again."
        ),
        epilog=(
            "examples:\n"
            "  aftersales projections rebuild --db aftersales-demo/aftersales.db\n"
            "  aftersales projections rebuild --db desk.db --complete-years 2027 --batch 2000"
        ),
        formatter_class=_FORMAT,
    )
    rebuild.add_argument("--db", required=True, metavar="FILE", help="the SQLite store to rebuild")
    rebuild.add_argument(
        "--batch",
        type=batch_size,
        default=500,
        metavar="N",
        help="tickets per transaction, 1 to 10000 (default: %(default)s)",
    )
    add_calendar_options(rebuild)
    rebuild.set_defaults(run=run_rebuild)


def run_rebuild(args: argparse.Namespace) -> int:
    """``aftersales projections rebuild``: rebuild the store's read models, print the count."""
    path = Path(args.db)
    _check_store(path, f"--db {path}")
    store = SQLiteStore(path)
    try:
        projector = Projector(store_policy(args, store))
        total = len(store)

        def progress(done: int, written: int) -> None:
            print(f"aftersales projections rebuild: {done} of {total} tickets", file=sys.stderr)

        written = rebuild_projections(store, projector, batch=args.batch, progress=progress)
    finally:
        store.close()
    print(f"{written} tickets rebuilt (projection key {projector.key[:12]})")
    return 0
