"""Strict argument types of the ``aftersales`` command line (argparse ``type=`` functions).

Each parser returns the value in its canonical form or raises
``argparse.ArgumentTypeError`` naming the value and the form that is accepted;
argparse turns that into a usage error (exit status 2). A value of another
form is refused, never reinterpreted: ``--week 2026-10`` is not a month.

Imports: the standard library and pendulum only.

Example:
    >>> month("2026-10"), iso_week("2026-W53"), day("2026-10-12")
    ('2026-10', '2026-W53', '2026-10-12')
    >>> month("2026-W42")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: '2026-W42' is not a month; accepted: YYYY-MM with a month 01–12, e.g. 2026-10
"""

from __future__ import annotations

import argparse
import math
import re
from datetime import date, datetime

import pendulum

__all__ = ["FORMS", "day", "instant", "iso_week", "month", "scale", "year", "zone"]

#: The written form of each kind of period, for help texts.
FORMS = {"day": "YYYY-MM-DD", "week": "YYYY-Www", "month": "YYYY-MM"}

_MONTH = re.compile(r"(\d{4})-(\d{2})")
_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?")


def _refuse(value: str, what: str, accepted: str) -> argparse.ArgumentTypeError:
    return argparse.ArgumentTypeError(f"{value!r} is not {what}; accepted: {accepted}")


def month(value: str) -> str:
    """A calendar month, ``YYYY-MM``.

    Example:
        >>> month("2026-13")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: '2026-13' is not a month; accepted: YYYY-MM with a month 01–12, e.g. 2026-10
    """
    found = _MONTH.fullmatch(value)
    if found is None or int(found[1]) < 1 or not 1 <= int(found[2]) <= 12:
        raise _refuse(value, "a month", "YYYY-MM with a month 01–12, e.g. 2026-10")
    return value


def iso_week(value: str) -> str:
    """An ISO week, ``YYYY-Www``, with a week that the year has (52 or 53 of them).

    Example:
        >>> iso_week("2025-W53")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: '2025-W53' is not an ISO week; accepted: YYYY-Www with a week 01–52 for 2025, e.g. 2026-W42
    """
    found = _WEEK.fullmatch(value)
    if found is None or int(found[1]) < 1:
        raise _refuse(value, "an ISO week", "YYYY-Www with a week 01–52 or 53, e.g. 2026-W42")
    year, week = int(found[1]), int(found[2])
    weeks = date(year, 12, 28).isocalendar().week
    if not 1 <= week <= weeks:
        raise _refuse(
            value, "an ISO week", f"YYYY-Www with a week 01–{weeks} for {year}, e.g. 2026-W42"
        )
    return value


def day(value: str) -> str:
    """A calendar date, ``YYYY-MM-DD``.

    Example:
        >>> day("12/10/2026")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: '12/10/2026' is not a date; accepted: YYYY-MM-DD, e.g. 2026-10-12
    """
    found = _DAY.fullmatch(value)
    refused = _refuse(value, "a date", "YYYY-MM-DD, e.g. 2026-10-12")
    if found is None:
        raise refused
    try:
        date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        raise refused from None
    return value


def year(value: str) -> int:
    """A year, four digits.

    Example:
        >>> year("2027")
        2027
        >>> year("27")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: '27' is not a year; accepted: four digits, e.g. 2027
    """
    if not re.fullmatch(r"\d{4}", value) or int(value) < 1:
        raise _refuse(value, "a year", "four digits, e.g. 2027")
    return int(value)


def zone(value: str) -> str:
    """An IANA time zone name that pendulum knows.

    Example:
        >>> zone("Europe/Paris")
        'Europe/Paris'
        >>> zone("Mars/Base")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: 'Mars/Base' is not a time zone; accepted: an IANA name such as Asia/Shanghai or UTC
    """
    try:
        pendulum.timezone(value)
    except (ValueError, OSError):
        raise _refuse(value, "a time zone", "an IANA name such as Asia/Shanghai or UTC") from None
    return value


def scale(value: str) -> float:
    """A finite number at least 0.

    Example:
        >>> scale("0.25")
        0.25
        >>> scale("-1")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: '-1' is not a scale; accepted: a number ≥ 0 (0: no quarter, 1: about 15 tickets a working day)
    """
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number < 0:
        accepted = "a number ≥ 0 (0: no quarter, 1: about 15 tickets a working day)"
        raise _refuse(value, "a scale", accepted)
    return number


def instant(value: str) -> datetime:
    """An ISO date-time, with an offset (aware) or without (naive: local to the calendar).

    Example:
        >>> instant("2026-10-15T12:00")
        datetime.datetime(2026, 10, 15, 12, 0)
        >>> instant("2026-10-15 12:00+08:00").utcoffset()
        datetime.timedelta(seconds=28800)
        >>> instant("2026-10-15")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: '2026-10-15' is not a date-time; accepted: YYYY-MM-DDTHH:MM[:SS][+HH:MM], e.g. 2026-10-15T12:00 or '2026-10-15 12:00+08:00'
    """
    accepted = "YYYY-MM-DDTHH:MM[:SS][+HH:MM], e.g. 2026-10-15T12:00 or '2026-10-15 12:00+08:00'"
    if _INSTANT.fullmatch(value) is None:
        raise _refuse(value, "a date-time", accepted)
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise _refuse(value, "a date-time", accepted) from None
