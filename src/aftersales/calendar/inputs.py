"""Checks of what enters a :class:`~aftersales.calendar.WorkCalendar`: instants, counts, lists.

Every query checks its arguments before the engine sees them, so a bad one
raises an :class:`~aftersales.errors.InvalidData` naming the argument, and an
instant outside the computable local years 1900–2399 a
:class:`~aftersales.errors.SpanTooLongError` naming it, instead of an
``OverflowError`` or a ``TypeError`` from deep inside.

Internal to :mod:`aftersales.calendar`; imports only its zone module and the
domain helpers.

Example:
    >>> from datetime import timedelta
    >>> duration_us(timedelta(hours=1), "duration")
    3600000000
    >>> duration_us(3600, "duration")
    Traceback (most recent call last):
    ...
    aftersales.errors.InvalidData: duration: int is not a timedelta; accepted: a datetime.timedelta
"""

from __future__ import annotations

import contextlib
import operator
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from aftersales._shown import shown
from aftersales.calendar.zone import MAX_YEAR, MIN_YEAR, ONE_US, to_us
from aftersales.errors import InvalidData, SpanTooLongError
from aftersales.time import ensure_aware

__all__ = [
    "EPOCH_RANGE",
    "LIMIT",
    "day_count",
    "duration_us",
    "epoch_list",
    "epoch_us_value",
    "instant_us",
    "items",
    "mapping",
    "naming",
    "same_length",
]

#: The limit named by errors about instants out of range.
LIMIT: Final = f"{MIN_YEAR}-01-01 – {MAX_YEAR}-12-31 (local time)"
#: Instants (µs since the epoch) a day beyond the computable years on either
#: side: outside, the local year is outside 1900–2399 in every zone.
EPOCH_RANGE: Final = range(
    to_us(datetime(MIN_YEAR - 1, 12, 30, tzinfo=UTC)),
    to_us(datetime(MAX_YEAR + 1, 1, 2, tzinfo=UTC)) + 1,
)


def _bad(name: str, message: str) -> InvalidData:
    return InvalidData(f"{name}: {message}", problems=[(name, message)])


def _beyond(name: str, reached: object) -> SpanTooLongError:
    return SpanTooLongError(reached, limit=LIMIT, name=name)


def instant_us(value: object, name: str) -> int:
    """An aware datetime as µs since the epoch; ``SpanTooLongError`` far outside 1900–2399.

    Example:
        >>> from datetime import datetime, timezone
        >>> instant_us(datetime(1970, 1, 1, 0, 0, 1, tzinfo=timezone.utc), "at")
        1000000
        >>> instant_us(datetime(9999, 1, 1, tzinfo=timezone.utc), "at")
        Traceback (most recent call last):
        ...
        aftersales.errors.SpanTooLongError: at: the span reaches 9999-01-01T00:00:00+00:00, past what the calendar can compute; accepted: up to 1900-01-01 – 2399-12-31 (local time)
    """
    if not (
        isinstance(value, datetime) and value.tzinfo is not None and value.utcoffset() is not None
    ):
        value = ensure_aware(value, name)
    try:
        u = to_us(value)
    except OverflowError:  # datetime.min ahead of UTC, datetime.max behind it
        raise _beyond(name, value.isoformat()) from None
    if u not in EPOCH_RANGE:
        raise _beyond(name, value.isoformat())
    return u


def epoch_us_value(value: object, name: str) -> int:
    """An instant given as µs since the epoch (an ``int``, not a ``bool``) in the computable years.

    Example:
        >>> epoch_us_value(0, "value")
        0
        >>> epoch_us_value(2**63, "value")
        Traceback (most recent call last):
        ...
        aftersales.errors.SpanTooLongError: value: the span reaches 9223372036854775808 µs since 1970, past what the calendar can compute; accepted: up to 1900-01-01 – 2399-12-31 (local time)
    """
    u = _int(value, name, "µs since 1970-01-01T00:00Z")
    if u not in EPOCH_RANGE:
        raise _beyond(name, f"{u} µs since 1970")
    return u


def _int(value: Any, name: str, what: str) -> int:
    if isinstance(value, bool):
        raise _bad(name, f"{value!r} is not an integer; accepted: an integer of {what}")
    try:
        return operator.index(value)  # int, numpy integers …
    except TypeError:
        raise _bad(
            name, f"{shown(value)} is not an integer; accepted: an integer of {what}"
        ) from None


def _sequence(value: object, name: str) -> Sequence[Any]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise _bad(name, f"{type(value).__name__} is not a list; accepted: a list")
    return value if isinstance(value, Sequence) else list(value)


def items(value: object, name: str) -> Sequence[Any]:
    """A list of values (any iterable but a string, bytes or a mapping).

    Example:
        >>> items((1, 2), "starts")
        (1, 2)
        >>> items(None, "starts")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: starts: NoneType is not a list; accepted: a list
    """
    return _sequence(value, name)


def mapping(value: object, name: str) -> Mapping[Any, Any]:
    """``{}`` for ``None``, else a mapping.

    Example:
        >>> mapping(None, "special_hours")
        {}
        >>> mapping([1], "special_hours")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: special_hours: list is not a mapping; accepted: {date: intervals}
    """
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _bad(name, f"{type(value).__name__} is not a mapping; accepted: {{date: intervals}}")
    return value


def epoch_list(value: object, name: str, *, instants: bool) -> list[int]:
    """A list of integers (µs): instants in the computable years, or durations.

    Example:
        >>> epoch_list([0, 5], "durations", instants=False)
        [0, 5]
        >>> epoch_list([0, "5"], "durations", instants=False)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: durations[1]: '5' is not an integer; accepted: an integer of µs
    """
    values = _sequence(value, name)
    if all(type(v) is int for v in values):
        checked = list(values)
    else:
        checked = [_int(v, f"{name}[{i}]", "µs") for i, v in enumerate(values)]
    if (
        instants
        and checked
        and (min(checked) not in EPOCH_RANGE or max(checked) not in EPOCH_RANGE)
    ):
        index = next(i for i, u in enumerate(checked) if u not in EPOCH_RANGE)
        raise _beyond(f"{name}[{index}]", f"{checked[index]} µs since 1970")
    return checked


@contextlib.contextmanager
def naming(name: str) -> Iterator[None]:
    """Name ``name`` in a ``SpanTooLongError`` raised inside: the argument that reaches too far.

    Example:
        >>> with naming("duration"):
        ...     raise SpanTooLongError("the year 2400", limit="2399-12-31")
        Traceback (most recent call last):
        ...
        aftersales.errors.SpanTooLongError: duration: the span reaches the year 2400, past what the calendar can compute; accepted: up to 2399-12-31
    """
    try:
        yield
    except SpanTooLongError as error:
        if error.name is not None:
            raise
        raise SpanTooLongError(error.reached, limit=error.limit, name=name) from None


def same_length(first: Sequence[Any], second: Sequence[Any], names: tuple[str, str]) -> None:
    """Refuse two parallel lists of different lengths.

    Example:
        >>> same_length([1], [1, 2], ("starts", "ends"))
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: ends: 2 given for 1 starts; accepted: one for each of starts
    """
    if len(first) != len(second):
        a, b = names
        raise _bad(b, f"{len(second)} given for {len(first)} {a}; accepted: one for each of {a}")


def duration_us(value: object, name: str) -> int:
    """A :class:`~datetime.timedelta` (pendulum durations included) in exact µs."""
    if not isinstance(value, timedelta):
        raise _bad(
            name, f"{type(value).__name__} is not a timedelta; accepted: a datetime.timedelta"
        )
    return timedelta.__floordiv__(value, ONE_US)


def day_count(value: object, name: str) -> int:
    """A count of working days: an ``int`` ≥ 0 (at most 2**31 - 1).

    Example:
        >>> day_count(-1, "n")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: n: -1 is not a count of days; accepted: an integer from 0 to 2147483647
    """
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 2**31 - 1:
        raise _bad(
            name,
            f"{shown(value)} is not a count of days; accepted: an integer from 0 to 2147483647",
        )
    return value
