"""What the commands of ``aftersales`` do: ``demo`` and ``report``, given parsed arguments.

Each returns the exit status; a value it cannot use raises :class:`Refused` or an
:class:`~aftersales.AftersalesError`, which :func:`aftersales.cli.main` prints as
one line. Nothing is written before the arguments are checked.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pendulum

from aftersales.calendar import WorkCalendar
from aftersales.cli._calendar import calendar_of
from aftersales.cli._demo_backtest import demo_backtest
from aftersales.cli._policy import command_line_policy, store_policy
from aftersales.cli._report_inputs import stored_report_arguments
from aftersales.cli._report_options import DECK_KINDS, deck_arguments
from aftersales.cli._report_outputs import report_outputs, write_demo_files
from aftersales.cli._ticket_text import render_sla, render_ticket
from aftersales.demo import (
    DEMO_END,
    DEMO_START,
    QUARTER_END,
    QUARTER_START,
    SCENARIO_IDS,
    demo_assignment,
    installed_base,
    plan_quarter,
    play,
    quarter_surveys,
    run_scenarios,
    store_demo_teams,
    store_quarter_improvements,
)
from aftersales.errors import NotFound
from aftersales.kpi.periods import Period
from aftersales.model.query import TicketQuery
from aftersales.reports import daily, monthly, quarterly, weekly, yearly
from aftersales.service.desk import ServiceDesk
from aftersales.sla import SlaPolicy
from aftersales.storage._sql.schema import SCHEMA_TABLE
from aftersales.storage.memory import MemoryStore
from aftersales.storage.ports import Save
from aftersales.storage.sqlite import SQLiteStore
from aftersales.time import FixedClock

__all__ = ["Refused", "run_demo", "run_report"]


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], object]]:
    """``advance(n)`` of a progress bar on stderr, drawn by tqdm only when stderr is a terminal.

    Without tqdm (the ``cli`` extra) there is no bar, and the demo runs the same.
    """
    try:
        from tqdm import tqdm
    except ImportError:
        yield lambda n: None
        return
    with tqdm(
        total=total,
        desc="quarter",
        unit=" tickets",
        file=sys.stderr,
        disable=not sys.stderr.isatty(),
    ) as bar:
        yield bar.update


def _quarter(store: SQLiteStore, policy: SlaPolicy, *, seed: int, scale: float) -> None:
    """Play a generated quarter through a desk, then write it to ``store`` in one transaction.

    Then store the surveys the demo customers answered, and the quarter's root
    causes and improvement actions, which every report of the store reads.
    """
    plans = list(plan_quarter(seed=seed, scale=scale))
    desk = ServiceDesk(MemoryStore(), clock=FixedClock(QUARTER_START), sla=policy)
    saves = []
    customers = {}
    with _progress(len(plans)) as advance:
        for planned in plans:
            ticket = play(desk, planned)
            customers[planned.customer.id] = planned.customer
            saves.append(Save(ticket, 0, projection=desk.projector.project(ticket)))
            advance(1)
    store.save_many(saves)
    for customer in customers.values():
        store.save_customer(customer)
    tickets = [save.ticket for save in saves]
    for survey in quarter_surveys(tickets, seed=seed):
        store.save_survey(survey)
    store_quarter_improvements(store, tickets)
    store.save_installed_base(installed_base(scale))


class Refused(Exception):
    """A command-line value the command cannot use (a missing file, a folder that is not there)."""


_STORE_ACCEPTED = (
    "accepted: the SQLite file of an aftersales store, e.g. aftersales-demo/aftersales.db"
)


def _check_store(path: Path, name: str) -> None:
    """Refuse anything at ``path`` but an aftersales SQLite store; nothing is written to check.

    ``name`` is how the message names the file (``--db FILE``).
    """
    if not path.is_file():
        problem = "is not a file" if path.exists() else "does not exist"
        raise Refused(f"{name} {problem}; {_STORE_ACCEPTED}")
    with path.open("rb") as file:
        if file.read(16) != b"SQLite format 3\x00":
            raise Refused(f"{name} is not a SQLite database; {_STORE_ACCEPTED}")
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        found = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (SCHEMA_TABLE,)
        ).fetchone()
    except sqlite3.DatabaseError as error:
        raise Refused(f"{name} cannot be read ({error}); {_STORE_ACCEPTED}") from None
    finally:
        connection.close()
    if found is None:
        raise Refused(f"{name} is a SQLite database of something else; {_STORE_ACCEPTED}")


def _output(flag: str, value: str | None) -> Path | None:
    """The file ``--md``/``--html`` names, refused unless its folder exists."""
    if value is None:
        return None
    path = Path(value)
    if not path.parent.is_dir():
        raise Refused(
            f"{flag} {path}: the folder {path.parent} does not exist;"
            " accepted: a file in an existing folder (create the folder first)"
        )
    if path.is_dir():
        raise Refused(f"{flag} {path} is a folder; accepted: a file name in it")
    return path


def _demo_database(args: argparse.Namespace, out: Path) -> Path:
    """The SQLite file the demo creates: ``--db`` (which must be new) or OUT/aftersales.db.

    A demo database left by an earlier run in OUT is replaced; any other file is refused.
    """
    if args.db is not None:
        path = Path(args.db)
        if path.exists():
            raise Refused(f"--db {path} exists; accepted: a new file name (the demo creates it)")
        return path
    path = out / "aftersales.db"
    if not path.exists():
        return path
    try:
        _check_store(path, str(path))
        with SQLiteStore(path) as store:
            store.get(SCENARIO_IDS[0])
    except (Refused, NotFound):
        raise Refused(
            f"{path} exists and is not a demo database; accepted: a demo database,"
            " which is replaced (remove the file or choose another --out folder)"
        ) from None
    print(f"aftersales demo: replacing the demo database of an earlier run, {path}")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def run_demo(args: argparse.Namespace) -> int:
    """``aftersales demo``: the scenarios, then the quarter and its monthly report."""
    out = Path(args.out)
    print(f"aftersales demo: writing into {out.resolve()}{os.sep}")
    if out.exists() and not out.is_dir():
        raise Refused(f"--out {out} is a file; accepted: a folder (created when missing)")
    path = _demo_database(args, out)
    out.mkdir(parents=True, exist_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    store = SQLiteStore(path)
    try:
        # the quarter's last SLA clocks run into 2027, whose official days off
        # the holidays data may not have yet: the demo declares it complete
        calendar = WorkCalendar.china(complete_years=(2027,))
        policy = command_line_policy(calendar)
        clock = FixedClock(DEMO_START)
        store_demo_teams(store)  # two teams on their own calendars, and the second line
        desk = ServiceDesk(store, clock=clock, sla=policy, assignment=demo_assignment())
        ids = run_scenarios(desk)
        clock.set(DEMO_END)
        for ticket_id in ids:
            desk.check_sla(ticket_id)
        events = sum(desk.get(i).version for i in ids)
        print(
            f"aftersales demo: {len(ids)} tickets, {events} events, "
            f"SQLite store {path}, SLA read at {DEMO_END.format('YYYY-MM-DD HH:mm')}"
        )
        for ticket_id in ids:
            if args.only is not None and ticket_id not in args.only:
                continue
            ticket = desk.get(ticket_id)
            print()
            print(
                render_ticket(
                    ticket, lang=args.lang, attribute_definitions=store.attribute_definitions()
                )
            )
            print("\n".join(render_sla(desk.sla(ticket_id), lang=args.lang)))
        if args.scale == 0:
            return 0
        print()
        _quarter(store, policy, seed=args.seed, scale=args.scale)
        total = store.count(TicketQuery())
        month = QUARTER_END.subtract(days=1).format("YYYY-MM")
        report = monthly(
            store,
            month,
            calendar=calendar,
            policy=policy,
            at=QUARTER_END,
            **stored_report_arguments(store, "monthly", month, calendar),
        )
        md = out / f"monthly-{month}.{args.lang}.md"
        page = out / f"monthly-{month}.{args.lang}.html"
        md.write_text(report.to_markdown(lang=args.lang), encoding="utf-8")
        page.write_text(report.to_html(lang=args.lang), encoding="utf-8")
        f = report.figures
        print(
            f"quarter {QUARTER_START.format('YYYY-MM-DD')} – {QUARTER_END.subtract(days=1).format('YYYY-MM-DD')}: "
            f"{total} tickets in the store; {month}: {f.received} received, "
            f"closure {f.closure.percent or 0:.1f}%, satisfaction {f.satisfaction.mean or 0:.2f}, "
            f"{len(f.events)} major events"
        )
        print(f"monthly report (Markdown): {md}")
        print(f"monthly report (HTML):     {page}")
        base = out / f"monthly-{month}.{args.lang}"
        print("\n".join(write_demo_files(report, store, base, args.lang)))
        quarter = Period.parse(QUARTER_START.format("YYYY-[Q]Q"), "Asia/Shanghai")
        print("\n".join(demo_backtest(store, policy, calendar, out, quarter)))
    finally:
        store.close()
    return 0


def run_report(args: argparse.Namespace) -> int:
    """``aftersales report KIND``: one report of a store, printed or written to files."""
    md, page = _output("--md", args.md), _output("--html", args.html)
    outputs = report_outputs(args)
    path = Path(args.db)
    _check_store(path, f"--db {path}")
    at = None
    if args.as_of is not None:
        at = pendulum.instance(args.as_of, tz=args.tz)
    builders: dict[str, Callable[..., Any]] = {"daily": daily, "weekly": weekly, "monthly": monthly}
    builders.update(quarterly=quarterly, yearly=yearly)
    build = builders[args.kind]
    deck = deck_arguments(args) if args.kind in DECK_KINDS else {}
    store = SQLiteStore(path)
    try:
        calendar = calendar_of(args, store)
        policy = store_policy(args, store, at)
        inputs = stored_report_arguments(store, args.kind, args.period, calendar)
        report: Any = build(
            store, args.period, calendar=calendar, policy=policy, at=at, **inputs, **deck
        )
        listed = outputs.tickets(store, report)
    finally:
        store.close()
    for note in report.notes:
        print(f"aftersales report: note: {note}", file=sys.stderr)
    text = report.to_markdown(lang=args.lang, templates=outputs.templates)
    if md is not None:
        md.write_text(text, encoding="utf-8")
        print(f"Markdown: {md}")
    if page is not None:
        shown = report.to_html(lang=args.lang, templates=outputs.templates)
        page.write_text(shown, encoding="utf-8")
        print(f"HTML: {page}")
    outputs.write(report, args.lang, listed)
    if md is None and page is None and not outputs.files:
        print(text)
    return 0
