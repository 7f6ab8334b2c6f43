"""The calendar options every command reading SLA clocks takes: ``--calendar``, ``--tz``, ``--complete-years``.

``aftersales report`` and ``aftersales sla sweep`` read a store's SLA clocks
on the same working calendar, named by the same options: :func:`add_calendar_options`
declares them on a parser and :func:`calendar_of` builds the calendar they name.

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
        " e.g. 2027 (default: none)",
    )


def calendar_of(args: argparse.Namespace) -> WorkCalendar:
    """The working calendar the parsed calendar options name.

    Example:
        >>> args = argparse.Namespace(calendar="china", tz="Asia/Shanghai", complete_years=[2027])
        >>> 2027 in calendar_of(args).complete_years
        True
    """
    if args.calendar == "china":
        return WorkCalendar.china(tz=args.tz, complete_years=args.complete_years or ())
    return WorkCalendar.always(args.tz)
