"""The calendar options every command reading SLA clocks takes: ``--calendar``, ``--tz``, ``--complete-years``.

``aftersales report``, ``aftersales sla sweep`` and ``aftersales projections
rebuild`` read a store's SLA clocks on the same working calendar, named by the
same options: :func:`add_calendar_options` declares them on a parser and
:func:`calendar_of` builds the calendar they name, with the official schedules
loaded into the store (``aftersales calendar load``) merged over the
``holidays`` package's data.

Example:
    >>> import argparse
    >>> parser = argparse.ArgumentParser()
    >>> add_calendar_options(parser)
    >>> calendar_of(parser.parse_args(["--calendar", "always", "--tz", "UTC"])).week[0]
    (('00:00', '24:00'),)
"""

from __future__ import annotations

import argparse

from aftersales.calendar import WorkCalendar
from aftersales.cli import _args
from aftersales.storage.ports import ScheduleStore

__all__ = ["add_calendar_options", "calendar_of"]


def add_calendar_options(parser: argparse.ArgumentParser) -> None:
    """Declare ``--calendar``, ``--tz`` and ``--complete-years`` on ``parser``.

    Example:
        >>> parser = argparse.ArgumentParser()
        >>> add_calendar_options(parser)
        >>> parser.parse_args([]).tz
        'Asia/Shanghai'
    """
    parser.add_argument(
        "--calendar",
        choices=("china", "always"),
        default="china",
        help="working calendar: China office hours with the official days off, or 24×7"
        " (default: %(default)s)",
    )
    parser.add_argument(
        "--tz",
        type=_args.zone,
        default="Asia/Shanghai",
        help="time zone of the calendar and of the report's periods (default: %(default)s)",
    )
    parser.add_argument(
        "--complete-years",
        type=_args.year,
        nargs="+",
        metavar="YEAR",
        help="years without official holiday data to treat as plain Monday–Friday weeks,"
        " e.g. 2027 (default: none; or load the year's official schedule with"
        " 'aftersales calendar load')",
    )


def calendar_of(args: argparse.Namespace, store: ScheduleStore | None = None) -> WorkCalendar:
    """The working calendar the parsed calendar options name, with ``store``'s Chinese schedules.

    Raises:
        ScheduleError: a stored schedule that contradicts the installed
            ``holidays`` package (e.g. after an upgrade that brought that year).

    Example:
        >>> from datetime import date
        >>> from aftersales.calendar import OfficialSchedule
        >>> from aftersales.storage import MemoryStore
        >>> args = argparse.Namespace(calendar="china", tz="Asia/Shanghai", complete_years=[2027])
        >>> 2027 in calendar_of(args).complete_years
        True
        >>> store = MemoryStore()
        >>> store.save_schedule(OfficialSchedule(2031, {date(2031, 10, 1): "国庆节"}))  # fictional
        >>> calendar_of(args, store).is_working_day(date(2031, 10, 1))
        False
    """
    if args.calendar == "china":
        schedules = () if store is None else store.find_schedules("CN")
        return WorkCalendar.china(
            tz=args.tz, complete_years=args.complete_years or (), schedules=schedules
        )
    return WorkCalendar.always(args.tz)
