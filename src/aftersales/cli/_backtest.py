"""``aftersales sla backtest``: a period of a store judged under a proposed policy file.

The current policy is the store's policy in force at the period's end
(:func:`~aftersales.cli._policy.store_policy`: the adopted version, or the
command line's own); the proposed one is read from ``--policy FILE``
strictly, on the same named calendars. The standard output starts with the
same-policy check and shows per metric the met and breached cycles and
rates under both (or the JSON of :func:`~aftersales.backtest.backtest_json`
with ``--json``); ``--md`` and ``--html`` write the full report, flips
explained, HTML with charts. No contact, and no customer name, is written.

Example:
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="aftersales")
    >>> add_backtest_parser(parser.add_subparsers(dest="action"))
    >>> args = parser.parse_args(["backtest", "--db", "x.db", "--period", "2026-11", "--policy", "p.toml"])
    >>> args.period, args.json, args.workers
    ('2026-11', False, None)
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pendulum

from aftersales.backtest import backtest, backtest_html, backtest_json, backtest_markdown
from aftersales.backtest.render import sanity_line
from aftersales.backtest.run import store_opener
from aftersales.cli import _args
from aftersales.cli._calendar import add_calendar_options
from aftersales.cli._commands import _check_store, _output
from aftersales.cli._policy import policy_calendars, store_policy
from aftersales.kpi.periods import Period
from aftersales.sla.policy_file import load_policy_file
from aftersales.storage.sqlite import SQLiteStore

__all__ = ["add_backtest_parser", "run_backtest"]


def _workers(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        count = 0
    if not 1 <= count <= 64:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a count of processes; accepted: 1 to 64"
        )
    return count


def add_backtest_parser(actions: Any) -> None:
    """Declare ``backtest`` on the ``sla`` command's ``actions``."""
    command = actions.add_parser(
        "backtest",
        help="what a period would have looked like under a proposed policy file",
        description=(
            "Judge the tickets received in --period under the store's SLA policy in force and\n"
            "under the policy file --policy, clocks read at the period's end (or --as-of):\n"
            "per metric the met and breached cycles and the met rate under each, the cycles\n"
            "that flip either way (the first 50 explained), by priority, category, channel and\n"
            "team. The first line is the same-policy check: the current policy judged against\n"
            "itself by the same code, which must show 0 flips."
        ),
        epilog=(
            "examples (proposed.toml: the output of 'aftersales sla policy show', edited):\n"
            "  aftersales sla backtest --db desk.db --period 2026-11 --policy proposed.toml\n"
            "  aftersales sla backtest --db desk.db --period 2026-Q4 --policy proposed.toml"
            " --html backtest.html --md backtest.md"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument("--db", required=True, metavar="FILE", help="the SQLite store")
    command.add_argument(
        "--period",
        required=True,
        metavar="PERIOD",
        help="the tickets received in it: 2026-11, 2026-Q4, 2026-W45, 2026-11-02 or 2026",
    )
    command.add_argument("--policy", required=True, metavar="FILE", help="the proposed policy file")
    command.add_argument("--json", action="store_true", help="print the result as JSON")
    command.add_argument("--md", metavar="FILE", help="write the report as Markdown")
    command.add_argument("--html", metavar="FILE", help="write the report as HTML with charts")
    command.add_argument(
        "--as-of",
        type=_args.instant,
        metavar="DATETIME",
        help="read the clocks at this instant (default: the period's end)",
    )
    command.add_argument(
        "--workers",
        type=_workers,
        metavar="N",
        help="processes to use (default: the CPUs from 20,000 tickets on, else one)",
    )
    add_calendar_options(command)
    command.set_defaults(run=run_backtest)


def _summary(result: Any, period: str, policy_file: str) -> str:
    lines = [sanity_line(result), ""]
    lines.append(
        f"{result.tickets:,} tickets received in {period} compared ({result.from_facts:,} from"
        f" their stored facts): the policy in force vs {policy_file}"
    )
    head = f"{'metric':<20} {'met now':>9} {'breached':>9} {'rate':>7}   {'met then':>9}"
    lines += [head + f" {'breached':>9} {'rate':>7}   {'flips +/-':>11}"]
    for row in result.metrics:
        rates = [
            "–" if rate is None else f"{rate:.1%}" for rate in (row.current_rate, row.proposed_rate)
        ]
        lines.append(
            f"{row.metric:<20} {row.current_met:>9,} {row.current_breached:>9,} {rates[0]:>7}"
            f"   {row.proposed_met:>9,} {row.proposed_breached:>9,} {rates[1]:>7}"
            f"   {f'+{row.to_breached:,}/-{row.to_met:,}':>11}"
        )
    return "\n".join(lines)


def run_backtest(args: argparse.Namespace) -> int:
    """``aftersales sla backtest``: backtest the proposed policy file on a store's period."""
    path = Path(args.db)
    _check_store(path, f"--db {path}")
    period = Period.parse(args.period, args.tz)
    md, page = _output("--md", args.md), _output("--html", args.html)
    document = load_policy_file(Path(args.policy))
    at = period.end if args.as_of is None else pendulum.instance(args.as_of, tz=args.tz)
    store = SQLiteStore(path)
    try:
        current = store_policy(args, store, min(at, period.end))
        proposed = document.build(policy_calendars(args, store))
        result = backtest(
            store,
            period,
            proposed,
            current=current,
            at=at,
            workers=args.workers,
            opener=store_opener(store),
        )
    finally:
        store.close()
    names = {"period": period.label, "current": "in force", "proposed": Path(args.policy).name}
    if md is not None:
        md.write_text(backtest_markdown(result, **names), encoding="utf-8")
    if page is not None:
        page.write_text(backtest_html(result, **names), encoding="utf-8")
    if args.json:
        print(backtest_json(result, **names), end="")
    else:
        print(_summary(result, period.label, Path(args.policy).name))
    return 0
