"""The ``aftersales`` command line.

``aftersales demo`` plays realistic tickets through the service desk on the
embedded SQLite store, with the default SLA policy on the China calendar, and
prints each ticket's follow-up record, history and SLA clocks, in Chinese or
English; then it generates a quarter of tickets (a progress bar on a terminal),
stores them and writes the last month's report as Markdown, HTML, PowerPoint
and Excel, all in one folder (``./aftersales-demo/`` unless ``--out`` says otherwise).
``aftersales report daily|weekly|monthly|quarterly|yearly`` reports on any SQLite store (from
its stored facts), ``aftersales sla sweep`` records and prints the SLA
notices due in one, ``aftersales sla backtest`` judges a period of one under
a proposed policy file beside the policy in force, and ``aftersales projections rebuild`` recomputes its
read models after a change of calendar or policy; ``aftersales calendar
load`` stores an official holiday schedule in one (next year's, before the
``holidays`` package has it) and ``aftersales calendar show`` prints a year's;
``aftersales calendar define``/``list`` and ``aftersales team define``/``list``
keep the named working calendars and the teams that work on them;
``aftersales attributes declare``/``list``/``schema`` the custom attributes
its tickets may hold.

Bad input ends with one line on stderr and exit status 2; see :func:`main`.

Example:
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> main(["demo", "--out", folder, "--lang", "en", "--only", "T20261012-002", "--scale", "0"])  # doctest: +ELLIPSIS +NORMALIZE_WHITESPACE
    aftersales demo: writing into .../
    aftersales demo: 8 tickets, ... events, SQLite store .../aftersales.db, SLA read at 2026-10-19 09:00
    <BLANKLINE>
    T20261012-002  刘女士  wechat  usage_guidance  general  closed (closed)
      contact: 刘女士 186****2222 l********@example.com
      occurred: 2026-10-12 11:00  problem: 扫地机器人无法连接家庭 Wi-Fi,APP 提示配网失败
      2026-10-12 11:05  客服小刘      registered
      2026-10-12 11:05  客服小刘      SLA policy                sla_policy=standard; reason=default
      2026-10-12 11:14  客服小刘      resolved on first contact answer=指导客户切换到 2.4GHz 频段后重新配网,已连接成功
      2026-10-13 11:14  回访专员小周  return visit              resolved=yes; score=4; comment=讲解清楚; channel=Return-visit call
      SLA first response            met       0h09m / 4h00m  due 2026-10-12 16:35
      SLA resolution                met       0h09m / 42h55m  due 2026-10-19 18:00
      SLA return visit              met       7h30m / 27h46m  due 2026-10-15 18:00
    0
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from aftersales._version import __version__
from aftersales.cli import _args
from aftersales.cli._attributes import add_attributes_parser
from aftersales.cli._calendar import add_calendar_options
from aftersales.cli._calendar_commands import add_calendar_parser
from aftersales.cli._commands import Refused, run_demo, run_report
from aftersales.cli._db import add_db_parser
from aftersales.cli._projections import add_projections_parser
from aftersales.cli._report_options import (
    DECK_FORMS,
    DECK_KINDS,
    DECK_REPORT_KINDS,
    add_deck_options,
)
from aftersales.cli._report_outputs import add_output_options
from aftersales.cli._schema import add_schema_parser
from aftersales.cli._serve import add_serve_parser
from aftersales.cli._sla import add_sla_parser
from aftersales.cli._subscribe import add_subscribe_parser
from aftersales.cli._team_commands import add_team_parser
from aftersales.cli._transfer import add_transfer_parsers
from aftersales.demo import SCENARIO_IDS
from aftersales.errors import AftersalesError

__all__ = ["build_parser", "main"]


_FORMAT = argparse.RawDescriptionHelpFormatter


def build_parser() -> argparse.ArgumentParser:
    """The parser of the ``aftersales`` command, with its subcommands.

    Example:
        >>> args = build_parser().parse_args(["report", "weekly", "--week", "2026-W42", "--db", "x.db"])
        >>> args.kind, args.period, args.lang
        ('weekly', '2026-W42', 'zh')
    """
    parser = argparse.ArgumentParser(
        prog="aftersales",
        description=(
            "After-sales service SDK: a demo, reports and SLA sweeps on an aftersales SQLite store."
        ),
        epilog=(
            "examples:\n  aftersales demo\n  aftersales report monthly --help\n"
            "  aftersales sla sweep --db aftersales-demo/aftersales.db\n"
            "  aftersales calendar load cn-2027.toml --db aftersales-demo/aftersales.db"
        ),
        formatter_class=_FORMAT,
    )
    parser.add_argument("--version", action="version", version=f"aftersales {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _demo_parser(commands)
    report = commands.add_parser(
        "report",
        help="daily / weekly / monthly / quarterly / yearly report of a store",
        description=(
            "The daily, weekly, monthly, quarterly or yearly report of an aftersales SQLite\n"
            "store, printed as "
            "Markdown, or written as Markdown (--md), self-contained HTML (--html), a PowerPoint\n"
            "deck (--pptx) and an Excel workbook (--xlsx); --templates DIR overrides the HTML\n"
            "and Markdown templates."
        ),
        epilog=(
            "examples:\n"
            "  aftersales report monthly --db aftersales-demo/aftersales.db --month 2026-10\n"
            "  aftersales report daily --db aftersales-demo/aftersales.db --day 2026-10-12 --lang en"
        ),
        formatter_class=_FORMAT,
    )
    kinds = report.add_subparsers(dest="kind", required=True, metavar="KIND")
    for kind, flag, parse, example, what in (*_REPORT_KINDS, *DECK_REPORT_KINDS):
        sub = kinds.add_parser(
            kind,
            help=f"the {kind} report",
            description=what,
            epilog=(
                "example:\n"
                f"  aftersales report {kind} --db aftersales-demo/aftersales.db --{flag} {example}"
                " --md out.md --complete-years 2027"
            ),
            formatter_class=_FORMAT,
        )
        sub.add_argument(
            f"--{flag}",
            dest="period",
            required=True,
            type=parse,
            metavar={**_args.FORMS, **DECK_FORMS}[flag],
            help=f"the {flag} to report on, e.g. {example}",
        )
        _report_options(sub)
        if kind in DECK_KINDS:
            add_deck_options(sub)
        sub.set_defaults(run=run_report)
    add_sla_parser(commands)
    add_projections_parser(commands)
    add_calendar_parser(commands)
    add_team_parser(commands)
    add_attributes_parser(commands)
    add_schema_parser(commands)
    add_db_parser(commands)
    add_serve_parser(commands)
    add_subscribe_parser(commands)
    add_transfer_parsers(commands)
    return parser


_REPORT_KINDS = (
    (
        "daily",
        "day",
        _args.day,
        "2026-10-12",
        "The daily report: the day's key figures and SLA achievement, the problems received\n"
        "that day, and the open backlog with its ageing, for one day in the calendar's zone.",
    ),
    (
        "weekly",
        "week",
        _args.iso_week,
        "2026-W42",
        "The weekly report: the week's figures against the previous week, the TOP 5 problem\n"
        "types, the daily trend, the four quadrants and the improvement actions that lag.",
    ),
    (
        "monthly",
        "month",
        _args.month,
        "2026-10",
        "The monthly report: volumes month on month and against the rolling 3-month\n"
        "average, closure, response and handling times, SLA achievement, satisfaction,\n"
        "major events, root causes and improvement actions.",
    ),
)


def _demo_parser(commands: Any) -> None:
    demo = commands.add_parser(
        "demo",
        help="play realistic tickets through the lifecycle",
        description=(
            "Play six realistic tickets through the service desk on a SQLite store, with the\n"
            "default SLA policy on the China calendar, and print each one's follow-up record,\n"
            "history and SLA clocks; then generate a quarter of tickets (Q4 2026), store them\n"
            "and write the last month's report as Markdown, HTML, PowerPoint and Excel.\n"
            "Everything goes into one folder; a demo database left there by an earlier run is\n"
            "replaced."
        ),
        epilog=(
            "examples:\n"
            "  aftersales demo                          # into ./aftersales-demo/\n"
            "  aftersales demo --lang en --scale 0      # the six tickets only, in English\n"
            "  aftersales demo --out /tmp/demo --only T20261012-001 --scale 0.5"
        ),
        formatter_class=_FORMAT,
    )
    demo.add_argument(
        "--out",
        default="aftersales-demo",
        metavar="DIR",
        help="folder for the database and the reports, created when missing (default: %(default)s"
        " in the current directory)",
    )
    demo.add_argument(
        "--db",
        metavar="FILE",
        help="SQLite file to create instead of DIR/aftersales.db (it must not exist)",
    )
    demo.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="language (default: %(default)s)"
    )
    demo.add_argument(
        "--only",
        nargs="*",
        choices=SCENARIO_IDS,
        metavar="ID",
        help="print only these scenario tickets (none when no id is given); accepted: "
        + ", ".join(SCENARIO_IDS),
    )
    demo.add_argument(
        "--seed",
        type=int,
        default=2026,
        help="seed of the generated quarter (default: %(default)s)",
    )
    demo.add_argument(
        "--scale",
        type=_args.scale,
        default=1.0,
        help="volume of the quarter: 1 is about 15 tickets a working day, 0 skips the quarter"
        " (default: %(default)s)",
    )
    demo.set_defaults(run=run_demo)


def _report_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--db", required=True, metavar="FILE", help="the SQLite store to report on")
    sub.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="language (default: %(default)s)"
    )
    sub.add_argument(
        "--as-of",
        type=_args.instant,
        metavar="DATETIME",
        help="the instant the figures are read at: an ISO date-time, with an offset or in the"
        " calendar's zone, e.g. 2026-10-15T12:00 or '2026-10-15 12:00+08:00' (default: now,"
        " or the period's end once it is over)",
    )
    sub.add_argument("--md", metavar="FILE", help="write the Markdown here (default: print it)")
    sub.add_argument("--html", metavar="FILE", help="write the HTML page here")
    add_output_options(sub)
    add_calendar_options(sub)


def _complain(message: str) -> None:
    """``message`` on stderr as one ``aftersales:`` line, any further lines indented under it."""
    first, *rest = message.splitlines() or [""]
    print(f"aftersales: {first}", file=sys.stderr)
    for line in rest:
        print(line if line.startswith(" ") else f"  {line}", file=sys.stderr)


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so that the reader that went away gets nothing more.

    Python's documentation, "Note on SIGPIPE": without it, the interpreter's last
    flush of stdout fails again at exit and prints a traceback.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``aftersales`` command; returns the exit status.

    A usage error exits with status 2 (argparse). An :class:`~aftersales.AftersalesError`
    or a file that cannot be read or written prints one line ``aftersales: …`` on
    stderr, without a traceback, and returns 2. When the reader of stdout goes away
    (``aftersales report … | head -1``) the command ends quietly with status 141,
    as a Unix tool stopped by SIGPIPE does.

    Example:
        >>> main(["report", "daily", "--day", "2026-10-12", "--db", "no-such-file.db"])
        2
    """
    args = build_parser().parse_args(argv)
    try:
        status = int(args.run(args))
        sys.stdout.flush()
    except BrokenPipeError:
        _drop_stdout()
        return 141
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except (AftersalesError, Refused) as error:
        _complain(str(error))
        return 2
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        _complain(f"{where}{error.strerror or error}")
        return 2
    return status


if __name__ == "__main__":
    sys.exit(main())
