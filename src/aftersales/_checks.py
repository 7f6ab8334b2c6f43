"""Field checks shared by the frozen model classes.

Each model class calls :func:`run_checks` from ``__attrs_post_init__`` with a
list of ``(field, check)`` pairs.  Every check is run, so one construction
reports every bad field at once; a check may also normalise its value (aware
datetimes become UTC), which is written back onto the frozen instance.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

import pendulum

from aftersales.errors import InvalidData, ScoreOutOfRange, UnknownValue
from aftersales.time import to_utc
from aftersales.vocab import Term

Check = Callable[[Any, str], Any]
#: The ``(field, check)`` pairs a model class declares as its ``_checks``.
Checks = tuple[tuple[str, Check], ...]

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,63}$")


def run_checks(instance: object, checks: Sequence[tuple[str, Check]]) -> None:
    """Run every check and write normalised values back.

    One bad field raises its own specific error (``NaiveDatetimeError``,
    ``UnknownValue``, ``ScoreOutOfRange`` …); several raise one ``InvalidData``
    listing every problem.
    """
    errors: list[InvalidData] = []
    for name, check in checks:
        value = getattr(instance, name)
        try:
            normalised = check(value, name)
        except InvalidData as error:
            errors.append(error)
            continue
        if normalised is not value:
            object.__setattr__(instance, name, normalised)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise InvalidData.from_problems([p for error in errors for p in error.problems])


def _bad(name: str, message: str) -> InvalidData:
    return InvalidData(f"{name}: {message}", problems=[(name, message)])


def aware(value: Any, name: str) -> pendulum.DateTime:
    """An aware datetime, normalised to UTC."""
    return to_utc(value, name)


def optional_aware(value: Any, name: str) -> pendulum.DateTime | None:
    """``None`` or an aware datetime, normalised to UTC."""
    return None if value is None else to_utc(value, name)


def identifier(value: Any, name: str) -> str:
    """An id: letters, digits and ``_.:-``, 1–64 characters, starting with a letter or digit."""
    if not isinstance(value, str) or not _ID.match(value):
        raise _bad(name, f"{value!r} is not a valid id; accepted: 1–64 of A–Z a–z 0–9 _ . : -")
    return value


def text(value: Any, name: str) -> str:
    """A non-blank string of at most 10,000 characters."""
    if not isinstance(value, str) or not value.strip():
        raise _bad(name, f"{value!r} is empty; accepted: a non-blank text")
    if len(value) > 10_000:
        raise _bad(name, f"{len(value)} characters is too long; accepted: up to 10,000")
    return value


def optional_text(value: Any, name: str) -> str:
    """A string of at most 10,000 characters, possibly empty."""
    if not isinstance(value, str):
        raise _bad(name, f"{value!r} is not a string; accepted: a text (may be empty)")
    if len(value) > 10_000:
        raise _bad(name, f"{len(value)} characters is too long; accepted: up to 10,000")
    return value


def optional_name(value: Any, name: str) -> str | None:
    """``None`` or a non-blank string."""
    return None if value is None else text(value, name)


def flag(value: Any, name: str) -> bool:
    """A real ``bool`` (not 0/1 or a string)."""
    if not isinstance(value, bool):
        raise _bad(name, f"{value!r} is not a boolean; accepted: true or false")
    return value


def integer(low: int, high: int | None = None) -> Check:
    """An ``int`` (not bool) within ``[low, high]``."""

    def check(value: Any, name: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise _bad(name, f"{value!r} is not an integer; accepted: an integer ≥ {low}")
        if value < low or (high is not None and value > high):
            accepted = f"≥ {low}" if high is None else f"from {low} to {high}"
            raise _bad(name, f"{value!r} is out of range; accepted: an integer {accepted}")
        return value

    return check


def score(low: int, high: int) -> Check:
    """A score on an integer scale; ``ScoreOutOfRange`` outside it."""

    def check(value: Any, name: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise ScoreOutOfRange(name, value, low=low, high=high)
        return value

    return check


def member(enum: type[Enum]) -> Check:
    """A member of a closed vocabulary (its value or Chinese label is parsed)."""

    def check(value: Any, name: str) -> Any:
        if isinstance(value, enum):
            return value
        for item in enum:
            if value == item.value or value == getattr(item, "label_zh", None):
                return item
        raise UnknownValue(name, value, [item.value for item in enum])

    return check


def term(vocabulary: type[Term]) -> Check:
    """A registered term of an open vocabulary (a code string is looked up)."""

    def check(value: Any, name: str) -> Term:
        if vocabulary.is_registered(value):
            return value  # type: ignore[no-any-return]
        try:
            return vocabulary.get(value)
        except UnknownValue as error:
            raise UnknownValue(name, error.value, error.accepted) from None

    return check


def optional(check: Check) -> Check:
    """``None`` or whatever ``check`` accepts."""

    def optional_check(value: Any, name: str) -> Any:
        return None if value is None else check(value, name)

    return optional_check


def a_date(value: Any, name: str) -> date:
    """A calendar date (not a datetime)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise _bad(name, f"{value!r} is not a date; accepted: a date such as 2024-03-15")
    return value


def instance_of(cls: type) -> Check:
    """An instance of ``cls`` (already validated by its own construction)."""

    def check(value: Any, name: str) -> Any:
        if not isinstance(value, cls):
            raise _bad(name, f"{value!r} is not a {cls.__name__}; accepted: a {cls.__name__}")
        return value

    return check


def tuple_of(check: Check, *, non_empty: bool = False) -> Check:
    """A sequence turned into a tuple, each item checked (``name[i]`` paths)."""

    def check_all(value: Any, name: str) -> tuple[Any, ...]:
        if isinstance(value, str | bytes) or not isinstance(value, Iterable):
            raise _bad(name, f"{value!r} is not a list; accepted: a list")
        items = tuple(value)
        if non_empty and not items:
            raise _bad(name, "is empty; accepted: at least one item")
        problems: list[tuple[str, str]] = []
        out = []
        for index, item in enumerate(items):
            try:
                out.append(check(item, f"{name}[{index}]"))
            except InvalidData as error:
                problems.extend(error.problems)
        if problems:
            raise InvalidData.from_problems(problems)
        if len(out) == len(items) and all(a is b for a, b in zip(out, items, strict=True)):
            return value if isinstance(value, tuple) else items
        return tuple(out)

    return check_all
