"""``aftersales sla sweep``: record the SLA notices due in a store, and print them.

:func:`add_sla_parser` declares the ``sla`` command, its ``sweep``
subcommand, ``policy show|load``
(:mod:`~aftersales.cli._policy_commands`) and ``backtest``
(:mod:`~aftersales.cli._backtest`); :func:`run_sweep` runs the sweep
under the store's policy in force (:func:`~aftersales.cli._policy.store_policy`): the store's due tickets are read
through its SLA alert index and their notices recorded
(:meth:`ServiceDesk.sweep_sla <aftersales.ServiceDesk.sweep_sla>`), one line
printed per notice, then their count. Several sweeps may run at once on one
store (from cron on several machines, say): each crossing is recorded and
printed by exactly one of them.

Example:
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="aftersales")
    >>> add_sla_parser(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["sla", "sweep", "--db", "x.db", "--batch", "50"])
    >>> args.batch, args.calendar, args.at
    (50, 'china', None)
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pendulum

from aftersales.cli import _args
from aftersales.cli._backtest import add_backtest_parser
from aftersales.cli._calendar import add_calendar_options
from aftersales.cli._commands import _check_store
from aftersales.cli._policy import store_policy
from aftersales.cli._policy_commands import add_policy_parser
from aftersales.service.desk import ServiceDesk
from aftersales.sla import SlaNotice
from aftersales.storage.sqlite import SQLiteStore

__all__ = ["add_sla_parser", "batch_size", "notice_line", "run_sweep"]

_FORMAT = argparse.RawDescriptionHelpFormatter


def batch_size(value: str) -> int:
    """How many tickets one transaction of a sweep handles: an integer from 1 to 10,000.

    Example:
        >>> batch_size("500")
        500
        >>> batch_size("0")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: '0' is not a batch size; accepted: an integer from 1 to 10000, e.g. 500
    """
    if not value.isdigit() or not 1 <= int(value) <= 10_000:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a batch size; accepted: an integer from 1 to 10000, e.g. 500"
        )
    return int(value)


def add_sla_parser(commands: Any) -> None:
    """Declare ``aftersales sla sweep`` on the subcommands ``commands``."""
    sla = commands.add_parser(
        "sla",
        help="SLA notices, the SLA policy and backtests of a store",
        description="SLA notices, the SLA policy and backtests of an aftersales SQLite store.",
        epilog=(
            "examples:\n  aftersales sla sweep --db aftersales-demo/aftersales.db\n"
            "  aftersales sla policy show --db aftersales-demo/aftersales.db"
        ),
        formatter_class=_FORMAT,
    )
    actions = sla.add_subparsers(dest="action", required=True, metavar="ACTION")
    sweep = actions.add_parser(
        "sweep",
        help="record and print the SLA warnings and breaches due",
        description=(
            "Record the SLA warnings and breaches due at --at (default: now) on every open\n"
            "ticket of the store, as check_sla does one ticket at a time, and print them: one\n"
            "line each (ticket, metric, level or breach, when it was crossed, the due time),\n"
            "then their count. Only the tickets whose next alert has come are read (the\n"
            "store's SLA alert index), in batches of one transaction each. Sweeps running at\n"
            "once record and print each crossing exactly once."
        ),
        epilog=(
            "examples:\n"
            "  aftersales sla sweep --db aftersales-demo/aftersales.db\n"
            "  aftersales sla sweep --db desk.db --at 2026-10-15T12:00 --complete-years 2027"
        ),
        formatter_class=_FORMAT,
    )
    sweep.add_argument("--db", required=True, metavar="FILE", help="the SQLite store to sweep")
    sweep.add_argument(
        "--at",
        type=_args.instant,
        metavar="DATETIME",
        help="the instant to sweep at: an ISO date-time, with an offset or in the calendar's"
        " zone, e.g. 2026-10-15T12:00 (default: now; at most a few minutes ahead of it)",
    )
    sweep.add_argument(
        "--batch",
        type=batch_size,
        default=500,
        metavar="N",
        help="tickets per transaction, 1 to 10000 (default: %(default)s)",
    )
    add_calendar_options(sweep)
    sweep.set_defaults(run=run_sweep)
    add_policy_parser(actions)
    add_backtest_parser(actions)


def notice_line(notice: SlaNotice, calendar_tz: str) -> str:
    """One printed line of a notice: ticket, metric, level or breach, crossed at, due (local time).

    Example:
        >>> at = pendulum.datetime(2026, 3, 2, 1, 30, tz="UTC")
        >>> notice_line(SlaNotice("first_response", 0, 3, True, at, at, ticket_id="T1"), "Asia/Shanghai")
        'T1  first_response  breach     crossed 2026-03-02 09:30  due 2026-03-02 09:30'
    """
    level = "breach" if notice.breach else f"warning {notice.level}"
    crossed = notice.crossed_at.in_timezone(calendar_tz).format("YYYY-MM-DD HH:mm")
    due = notice.due_at.in_timezone(calendar_tz).format("YYYY-MM-DD HH:mm")
    return f"{notice.ticket_id}  {notice.metric}  {level:<9}  crossed {crossed}  due {due}"


def run_sweep(args: argparse.Namespace) -> int:
    """``aftersales sla sweep``: sweep the store, print the notices and their count."""
    path = Path(args.db)
    _check_store(path, f"--db {path}")
    at = None if args.at is None else pendulum.instance(args.at, tz=args.tz)
    store = SQLiteStore(path)
    try:
        desk = ServiceDesk(store, sla=store_policy(args, store, at))
        notices = desk.sweep_sla(at=at, batch=args.batch)
    finally:
        store.close()
    for notice in notices:
        print(notice_line(notice, args.tz))
    print(f"{len(notices)} SLA notices recorded")
    return 0
