"""``aftersales calendar load`` and ``aftersales calendar show``: the official holiday schedules.

``calendar load FILE --db DB`` reads an official schedule (TOML, JSON or
iCalendar, ``docs/calendar-schedules.md``; an iCalendar feed gives one
schedule per year it lists), checks it against the installed ``holidays``
package as :meth:`WorkCalendar.china(schedules=...)
<aftersales.calendar.WorkCalendar.china>` would, and stores it, one row per
country and year, so that every command and process on that store
(``report``, ``sla sweep``, ``projections rebuild``) uses it. ``calendar show YEAR`` prints a year's days off and
working weekends and says where they come from: the package, the store's
schedules, or the files given with ``--schedule``.

Example:
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="aftersales")
    >>> add_calendar_parser(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["calendar", "show", "2026", "--format", "toml"])
    >>> args.year, args.output, args.schedule
    (2026, 'toml', None)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aftersales.calendar import OfficialSchedule, WorkCalendar, load_schedule, schedules_from_ics
from aftersales.calendar.official import OfficialSource
from aftersales.calendar.schedule_files import FORMATS
from aftersales.cli import _args
from aftersales.cli._commands import _check_store
from aftersales.errors import CalendarCoverageError
from aftersales.storage.ports.schedules import replacing
from aftersales.storage.sqlite import SQLiteStore

__all__ = ["add_calendar_parser", "run_load", "run_show", "schedule_lines", "schedules_in"]

_FORMAT = argparse.RawDescriptionHelpFormatter
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def add_calendar_parser(commands: Any) -> None:
    """Declare ``aftersales calendar load`` and ``aftersales calendar show`` on ``commands``."""
    calendar = commands.add_parser(
        "calendar",
        help="official holiday schedules: load next year's, show a year's",
        description=(
            "The official days off and working weekends (调休) of the China working calendar.\n"
            "The holidays package has them up to the last year it knows; load the State\n"
            "Council's schedule for the next year into a store as soon as it is published\n"
            "(file format: docs/calendar-schedules.md)."
        ),
        epilog=(
            "examples:\n"
            "  aftersales calendar load cn-2027.toml --db aftersales-demo/aftersales.db\n"
            "  aftersales calendar show 2027 --db aftersales-demo/aftersales.db"
        ),
        formatter_class=_FORMAT,
    )
    actions = calendar.add_subparsers(dest="action", required=True, metavar="ACTION")
    load = actions.add_parser(
        "load",
        help="check an official schedule file and store it for every process on the store",
        description=(
            "Read an official schedule (TOML, JSON or iCalendar), check it (its dates, and\n"
            "against the holidays package for a year the package knows), and store it: every\n"
            "'report', 'sla sweep' and 'projections rebuild' on the store then uses it. An\n"
            "iCalendar feed of several years (recurrences expanded) stores one schedule per\n"
            "year, all or none. A different schedule already stored for a year is kept unless\n"
            "--replace. Afterwards run 'aftersales projections rebuild' so that stored due\n"
            "times use it."
        ),
        epilog=(
            "examples:\n"
            "  aftersales calendar load cn-2027.toml --db desk.db\n"
            "  aftersales calendar load 节假日2027.ics --db desk.db --replace\n"
            "  aftersales calendar load holidays-cn-2026-2028.ics --db desk.db"
        ),
        formatter_class=_FORMAT,
    )
    load.add_argument("file", metavar="FILE", help="the schedule file (.toml, .json or .ics)")
    load.add_argument("--db", required=True, metavar="DB", help="the SQLite store to keep it in")
    load.add_argument(
        "--replace",
        action="store_true",
        help="replace a different schedule stored for the same country and year",
    )
    load.add_argument(
        "--format",
        dest="file_format",
        choices=("toml", "json", "ics"),
        help="the file's format (default: from its suffix)",
    )
    load.set_defaults(run=run_load)
    show = actions.add_parser(
        "show",
        help="print a year's days off and working weekends, and where they come from",
        description=(
            "Print the official days off (date, weekday, holiday) and working weekends (date,\n"
            "weekday, reason) of a year in mainland China: from the schedules given with\n"
            "--schedule, those stored with --db, else the holidays package. A year without\n"
            "data ends with status 2 and names the two ways out."
        ),
        epilog=(
            "examples:\n"
            "  aftersales calendar show 2026\n"
            "  aftersales calendar show 2027 --db desk.db\n"
            "  aftersales calendar show 2027 --schedule cn-2027.toml --format toml"
        ),
        formatter_class=_FORMAT,
    )
    show.add_argument("year", type=_args.year, metavar="YEAR", help="the year, e.g. 2027")
    show.add_argument("--db", metavar="DB", help="also the schedules stored in this SQLite store")
    show.add_argument(
        "--schedule",
        nargs="+",
        action="extend",
        metavar="FILE",
        help="also these schedule files (.toml, .json or .ics)",
    )
    show.add_argument(
        "--format",
        dest="output",
        choices=("text", "toml"),
        default="text",
        help="text for reading, or a TOML schedule file (default: %(default)s)",
    )
    show.set_defaults(run=run_show)


def schedules_in(path: Path, file_format: str | None) -> tuple[OfficialSchedule, ...]:
    """The schedules a file holds: one (TOML, JSON), or one per year (an iCalendar feed).

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     feed = Path(folder) / "feed.ics"
        ...     _ = feed.write_text(
        ...         "BEGIN:VCALENDAR\\nBEGIN:VEVENT\\nSUMMARY:元旦\\nDTSTART:20310101\\n"
        ...         "RRULE:FREQ=YEARLY;COUNT=2\\nEND:VEVENT\\nBEGIN:VEVENT\\nSUMMARY:国庆节\\n"
        ...         "DTSTART:20311001\\nEND:VEVENT\\nBEGIN:VEVENT\\nSUMMARY:国庆节\\n"
        ...         "DTSTART:20321001\\nEND:VEVENT\\nEND:VCALENDAR\\n", "utf-8")
        ...     [(s.year, len(s.days_off)) for s in schedules_in(feed, None)]  # made-up dates
        [(2031, 2), (2032, 2)]
    """
    kind = file_format or ("ics" if path.suffix.lower() in FORMATS["ics"] else None)
    if kind == "ics":
        return schedules_from_ics(path)
    return (load_schedule(path, format=file_format),)


def _checked_against_package(schedules: Sequence[OfficialSchedule]) -> None:
    """Refuse ``schedules`` as the calendar of their country would (``ScheduleError``)."""
    for country in sorted({s.country for s in schedules}):
        mine = [s for s in schedules if s.country == country]
        if country == "CN":
            WorkCalendar.china(schedules=mine)
        else:
            WorkCalendar.for_country(country, tz="UTC", schedules=mine)


def run_load(args: argparse.Namespace) -> int:
    """``aftersales calendar load``: check a schedule file, store its years, say what was stored."""
    path = Path(args.db)
    _check_store(path, f"--db {path}")
    schedules = schedules_in(Path(args.file), args.file_format)
    _checked_against_package(schedules)
    with SQLiteStore(path) as store:
        stored = {(s.country, s.year): s for s in store.find_schedules()}
        befores = [stored.get((s.country, s.year)) for s in schedules]
        for before, schedule in zip(befores, schedules, strict=True):
            replacing(before, schedule, args.replace)  # refuses before anything is written
        for schedule in schedules:
            store.save_schedule(schedule, replace=args.replace)
    for before, schedule in zip(befores, schedules, strict=True):
        print(_loaded_line(before, schedule, path))
    if any(before != schedule for before, schedule in zip(befores, schedules, strict=True)):
        print(
            f"aftersales calendar load: note: run 'aftersales projections rebuild --db {path}'"
            " so that the stored SLA due times use it",
            file=sys.stderr,
        )
    return 0


def _loaded_line(before: OfficialSchedule | None, schedule: OfficialSchedule, path: Path) -> str:
    what = f"{schedule.country} {schedule.year}"
    if before == schedule:
        return f"{what}: this schedule is already stored in {path}; nothing changed"
    weekdays_off = sum(1 for d in schedule.days_off if d.weekday() < 5)
    verb = "replaced the stored schedule with" if before is not None else "stored"
    working = len(schedule.working_days)
    return (
        f"{what}: {verb} {len(schedule.days_off)} days off ({weekdays_off} on Monday–Friday) and"
        f" {working} working weekend day{'' if working == 1 else 's'} in {path}"
    )


def run_show(args: argparse.Namespace) -> int:
    """``aftersales calendar show``: print a year's official days, or name the ways out."""
    origins: dict[int, str] = {}
    schedules: list[OfficialSchedule] = []
    if args.db is not None:
        path = Path(args.db)
        _check_store(path, f"--db {path}")
        with SQLiteStore(path) as store:
            for schedule in store.find_schedules("CN"):
                schedules.append(schedule)
                origins[schedule.year] = f"the schedule stored in {path}"
    for name in args.schedule or ():
        for schedule in schedules_in(Path(name), None):
            schedules.append(schedule)
            origins.setdefault(schedule.year, f"the schedule file {name}")
    source = OfficialSource("CN", None, "zh_CN", schedules)
    found = source.schedule_of(args.year)
    if found is None:
        raise CalendarCoverageError(args.year, covered=source.covered)
    origin = origins.get(args.year, f"the holidays package {source.version}")
    if args.output == "toml":
        print(f"# CN {args.year}, from {origin}")
        print(found.to_toml(), end="")
    else:
        print("\n".join(schedule_lines(found, origin)))
    return 0


def schedule_lines(schedule: OfficialSchedule, origin: str) -> Sequence[str]:
    """The printed lines of ``calendar show``: where from, days off, working weekends.

    Example:
        >>> from datetime import date
        >>> s = OfficialSchedule(2031, {date(2031, 10, 1): "国庆节"}, {date(2031, 9, 28): "国庆节调休"})
        >>> print("\\n".join(schedule_lines(s, "an example")))
        CN 2031, from an example
        days off (1):
          2031-10-01  Wed  国庆节
        working weekends (1):
          2031-09-28  Sun  国庆节调休
    """
    lines = [f"{schedule.country} {schedule.year}, from {origin}"]
    if schedule.source and schedule.source not in origin:
        lines.append(f"source: {schedule.source}")
    for title, days in (
        ("days off", schedule.days_off),
        ("working weekends", schedule.working_days),
    ):
        lines.append(f"{title} ({len(days)}):")
        lines += [
            f"  {d.isoformat()}  {_WEEKDAYS[d.weekday()]}  {name}" for d, name in days.items()
        ]
    return lines
