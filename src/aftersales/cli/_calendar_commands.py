"""``aftersales calendar load``/``show``, the official holiday schedules, and ``define``/``list``, the named calendars.

``calendar load FILE --db DB`` reads an official schedule (TOML, JSON or
iCalendar, ``docs/calendar-schedules.md``; an iCalendar feed gives one
schedule per year it lists), checks it against the installed ``holidays``
package as :meth:`WorkCalendar.china(schedules=...)
<aftersales.calendar.WorkCalendar.china>` would, and stores it, one row per
country and year, so that every command and process on that store
(``report``, ``sla sweep``, ``projections rebuild``) uses it. ``calendar show YEAR`` prints a year's days off and
working weekends and says where they come from: the package, the store's
schedules, or the files given with ``--schedule``. ``calendar define NAME
FILE --db DB`` stores a working calendar under a name (a
:class:`~aftersales.calendar.CalendarDefinition` file, TOML or JSON, see
``docs/teams.md``) for the teams that work on it; ``calendar list`` prints
the stored ones.

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
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aftersales.calendar import (
    CalendarDefinition,
    OfficialSchedule,
    WorkCalendar,
    load_schedule,
    schedules_from_ics,
)
from aftersales.calendar.official import OfficialSource
from aftersales.calendar.schedule_files import FORMATS
from aftersales.cli import _args
from aftersales.cli._commands import _check_store
from aftersales.errors import CalendarCoverageError, InvalidData
from aftersales.storage.ports.schedules import replacing
from aftersales.storage.ports.teams import check_name
from aftersales.storage.sqlite import SQLiteStore

__all__ = [
    "add_calendar_parser",
    "definition_line",
    "read_definition_file",
    "run_define",
    "run_list",
    "run_load",
    "run_show",
    "schedule_lines",
    "schedules_in",
]

_FORMAT = argparse.RawDescriptionHelpFormatter
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def add_calendar_parser(commands: Any) -> None:
    """Declare ``aftersales calendar load``, ``show``, ``define`` and ``list`` on ``commands``."""
    calendar = commands.add_parser(
        "calendar",
        help="official holiday schedules (load, show) and the store's named calendars (define, list)",
        description=(
            "The official days off and working weekends (调休) of the China working calendar.\n"
            "The holidays package has them up to the last year it knows; load the State\n"
            "Council's schedule for the next year into a store as soon as it is published\n"
            "(file format: docs/calendar-schedules.md).\n"
            "A store also keeps named working calendars, one per team's working hours\n"
            "(file format: docs/teams.md)."
        ),
        epilog=(
            "examples:\n"
            "  aftersales calendar load cn-2027.toml --db aftersales-demo/aftersales.db\n"
            "  aftersales calendar show 2027 --db aftersales-demo/aftersales.db\n"
            "  aftersales calendar define 上海总部 calendar-shanghai.toml --db desk.db\n"
            "  aftersales calendar list --db desk.db"
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
    _add_definition_parsers(actions)


def _add_definition_parsers(actions: Any) -> None:
    """Declare ``calendar define`` and ``calendar list``."""
    define = actions.add_parser(
        "define",
        help="store a working calendar under a name, for the teams that work on it",
        description=(
            "Read a calendar definition (TOML or JSON: time zone, weekly hours, official\n"
            "days off, the company's own days off and working days; docs/teams.md), build\n"
            "it with the official schedules stored in the store, and store it under NAME.\n"
            "A different definition already stored under NAME is kept unless --replace."
        ),
        epilog=(
            "examples:\n"
            "  aftersales calendar define 上海总部 calendar-shanghai.toml --db desk.db\n"
            "  aftersales calendar define 广州网点 calendar-guangzhou.toml --db desk.db --replace"
        ),
        formatter_class=_FORMAT,
    )
    define.add_argument("name", metavar="NAME", help="the calendar's name, e.g. 上海总部")
    define.add_argument("file", metavar="FILE", help="the definition file (.toml or .json)")
    define.add_argument("--db", required=True, metavar="DB", help="the SQLite store to keep it in")
    define.add_argument(
        "--replace", action="store_true", help="replace a different definition of that name"
    )
    define.set_defaults(run=run_define)
    listing = actions.add_parser(
        "list",
        help="print the named calendars stored in a store",
        description="Print each named calendar of the store: its zone, weekly hours and days off.",
        epilog="example:\n  aftersales calendar list --db desk.db",
        formatter_class=_FORMAT,
    )
    listing.add_argument("--db", required=True, metavar="DB", help="the SQLite store")
    listing.set_defaults(run=run_list)


def read_definition_file(path: Path) -> CalendarDefinition:
    """The calendar definition a ``.toml`` or ``.json`` file holds (by its suffix; TOML otherwise).

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     file = Path(folder) / "hotline.json"
        ...     _ = file.write_text('{"tz": "UTC", "week": {"mon": ["00:00-24:00"]}}', "utf-8")
        ...     read_definition_file(file).week[0]
        (('00:00', '24:00'),)
    """
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            message = f"not JSON ({error}); accepted: a JSON file of a calendar definition"
            raise InvalidData(f"{path}: {message}", problems=[(str(path), message)]) from None
        return CalendarDefinition.from_dict(data, where=str(path))
    return CalendarDefinition.from_toml(text, where=str(path))


def run_define(args: argparse.Namespace) -> int:
    """``aftersales calendar define``: check a definition file and store it under a name."""
    path = Path(args.db)
    _check_store(path, f"--db {path}")
    definition = read_definition_file(Path(args.file))
    name = check_name(args.name, "NAME")
    with SQLiteStore(path) as store:
        schedules = store.find_schedules(definition.official) if definition.official else ()
        definition.build(schedules)  # refuses a schedule the definition's country contradicts
        stored = store.find_calendars().get(name)
        store.save_calendar(name, definition, replace=args.replace)
    if stored == definition:
        print(f"{name}: this definition is already stored in {path}; nothing changed")
    else:
        verb = "replaced the stored definition with" if stored is not None else "stored"
        print(f"{name}: {verb} {definition_line(definition)} in {path}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """``aftersales calendar list``: one line per named calendar of the store."""
    path = Path(args.db)
    _check_store(path, f"--db {path}")
    with SQLiteStore(path) as store:
        calendars = store.find_calendars()
    if not calendars:
        print(f"no named calendars in {path}; define one with 'aftersales calendar define'")
    for name, definition in calendars.items():
        print(f"{name}: {definition_line(definition)}")
    return 0


def definition_line(definition: CalendarDefinition) -> str:
    """A calendar definition in one line: zone, weekly hours, official and own days off.

    Example:
        >>> from datetime import date
        >>> lunch = [("09:00", "12:00"), ("13:30", "18:00")]
        >>> print(definition_line(CalendarDefinition(
        ...     "Asia/Shanghai", {**dict.fromkeys(range(5), lunch), 5: [("09:00", "17:00")]},
        ...     official="CN", days_off={date(2026, 12, 31): "年终盘点"})))
        Asia/Shanghai; Mon–Fri 09:00–12:00 13:30–18:00, Sat 09:00–17:00; official days off of CN; 1 own day off
    """
    runs: list[tuple[int, int, tuple[tuple[str, str], ...]]] = []
    for day, hours in enumerate(definition.week):
        if hours and runs and runs[-1][1] == day - 1 and runs[-1][2] == hours:
            runs[-1] = (runs[-1][0], day, hours)
        elif hours:
            runs.append((day, day, hours))
    week = ", ".join(
        (_WEEKDAYS[a] if a == b else f"{_WEEKDAYS[a]}–{_WEEKDAYS[b]}")
        + " "
        + " ".join(f"{start}–{end}" for start, end in hours)
        for a, b, hours in runs
    )
    parts = [definition.tz, week]
    if definition.official is not None:
        sub = f"-{definition.subdiv}" if definition.subdiv else ""
        parts.append(f"official days off of {definition.official}{sub}")
    else:
        parts.append("no official days off")
    for count, what in (
        (len(definition.days_off), "own day off"),
        (len(definition.working_days), "own working day"),
    ):
        if count:
            parts.append(f"{count} {what}{'' if count == 1 else 's'}")
    return "; ".join(parts)


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
