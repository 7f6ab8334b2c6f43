"""Field checks shared by the frozen model classes.

Each model class calls :func:`run_checks` from ``__attrs_post_init__`` with a
list of ``(field, check)`` pairs.  Every check is run, so one construction
reports every bad field at once; a check may also normalise its value (aware
datetimes become UTC), which is written back onto the frozen instance.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any, Final

import pendulum

from aftersales._shown import shown
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
        raise _bad(name, f"{shown(value)} is not a valid id; accepted: 1–64 of A–Z a–z 0–9 _ . : -")
    return value


#: The longest text a field holds, in characters.
MAX_TEXT: Final = 10_000
#: The largest integer a field holds (versions, levels, cycles, counts, limits):
#: the largest signed 32-bit integer, which every store keeps exactly.
MAX_INT: Final = 2**31 - 1

#: The longest name a store keys rows by (a calendar, a team, a product model): MySQL keys
#: such texts as ``VARCHAR(191)``, the most ``utf8mb4`` characters an index prefix of
#: 767 bytes holds, so every store refuses a longer one the same way.
MAX_KEY_TEXT: Final = 191

_UNENCODABLE = re.compile("[\x00\ud800-\udfff]")
_TEXT_RULE = "valid Unicode text without NUL characters"


def text_problem(value: str) -> str | None:
    """What keeps ``value`` from being stored as text: a NUL or a lone surrogate, or ``None``.

    Such a string cannot be encoded as UTF-8 (or is cut short by C libraries),
    so it is refused at the command, before anything is written.

    Example:
        >>> text_problem("卡纸"), text_problem("a\\x00b"), text_problem("ab\\ud800")
        (None, 'has a NUL character at position 1', 'has a lone surrogate U+D800 at position 2')
    """
    found = _UNENCODABLE.search(value)
    if found is None:
        return None
    char = found.group()
    what = "a NUL character" if char == "\x00" else f"a lone surrogate U+{ord(char):04X}"
    return f"has {what} at position {found.start()}"


def _checked_text(value: Any, name: str, *, blank: bool) -> str:
    if not isinstance(value, str):
        kind = type(value).__name__
        raise _bad(name, f"{kind} is not a text; accepted: {_TEXT_RULE}")
    if not blank and not value.strip():
        raise _bad(name, f"{shown(value)} is empty; accepted: a non-blank text")
    if len(value) > MAX_TEXT:
        raise _bad(name, f"{len(value)} characters is too long; accepted: up to {MAX_TEXT:,}")
    problem = text_problem(value)
    if problem is not None:
        raise _bad(name, f"the text {problem}; accepted: {_TEXT_RULE}")
    return value


def text(value: Any, name: str) -> str:
    """A non-blank string of at most 10,000 characters, valid Unicode without NUL."""
    return _checked_text(value, name, blank=False)


def optional_text(value: Any, name: str) -> str:
    """A string of at most 10,000 characters, possibly empty, valid Unicode without NUL."""
    return _checked_text(value, name, blank=True)


def optional_name(value: Any, name: str) -> str | None:
    """``None`` or a non-blank string."""
    return None if value is None else text(value, name)


def flag(value: Any, name: str) -> bool:
    """A real ``bool`` (not 0/1 or a string)."""
    if not isinstance(value, bool):
        raise _bad(name, f"{shown(value)} is not a boolean; accepted: true or false")
    return value


def integer(low: int, high: int = MAX_INT) -> Check:
    """An ``int`` (not bool) within ``[low, high]``; ``high`` is at most :data:`MAX_INT`."""
    top = min(high, MAX_INT)

    def check(value: Any, name: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise _bad(
                name, f"{shown(value)} is not an integer; accepted: an integer from {low} to {top}"
            )
        if not low <= value <= top:
            raise _bad(
                name, f"{shown(value)} is out of range; accepted: an integer from {low} to {top}"
            )
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
    """A registered term of an open vocabulary (a code, label or alias is looked up).

    Consults the active company vocabulary, if any (``aftersales.Vocabulary.active``).
    """

    def check(value: Any, name: str) -> Term:
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
        raise _bad(name, f"{shown(value)} is not a date; accepted: a date such as 2024-03-15")
    return value


def instance_of(cls: type) -> Check:
    """An instance of ``cls`` (already validated by its own construction).

    A refused value is named by its type, not shown: a dict or a string offered
    for a customer, a contact or a ticket may hold a phone number or an e-mail.
    """

    def check(value: Any, name: str) -> Any:
        if not isinstance(value, cls):
            kind = type(value).__name__
            raise _bad(name, f"{kind} is not a {cls.__name__}; accepted: a {cls.__name__}")
        return value

    return check


def tuple_of(check: Check, *, non_empty: bool = False) -> Check:
    """A sequence turned into a tuple, each item checked (``name[i]`` paths)."""

    def check_all(value: Any, name: str) -> tuple[Any, ...]:
        if isinstance(value, str | bytes) or not isinstance(value, Iterable):
            # named by its type: a string here may be a phone number or an e-mail
            raise _bad(name, f"{type(value).__name__} is not a list; accepted: a list")
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


def items(value: Any, name: str) -> tuple[Any, ...]:
    """A list (any iterable but a string, bytes or a mapping) as a tuple; the items are unchecked.

    Example:
        >>> items(["repair"], "demands")
        ('repair',)
        >>> items(5, "demands")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: demands: int is not a list; accepted: a list
    """
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise _bad(name, f"{type(value).__name__} is not a list; accepted: a list")
    return tuple(value)


def protocol(kind: type, accepted: str) -> Check:
    """An object with the methods of the runtime-checkable protocol ``kind``.

    Example:
        >>> from aftersales.time import Clock
        >>> protocol(Clock, "an object with now()")(5, "clock")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: clock: int is not a Clock; accepted: an object with now()
    """

    def check(value: Any, name: str) -> Any:
        if not isinstance(value, kind):
            raise _bad(
                name, f"{type(value).__name__} is not a {kind.__name__}; accepted: {accepted}"
            )
        return value

    return check


def function(accepted: str) -> Check:
    """A callable (a function, a method, a class …).

    Example:
        >>> function("id_factory(at) -> str")("T1", "id_factory")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: id_factory: str is not callable; accepted: id_factory(at) -> str
    """

    def check(value: Any, name: str) -> Any:
        if not callable(value):
            raise _bad(name, f"{type(value).__name__} is not callable; accepted: {accepted}")
        return value

    return check


def duration(low: timedelta, high: timedelta) -> Check:
    """A :class:`~datetime.timedelta` within ``[low, high]``.

    Example:
        >>> from datetime import timedelta
        >>> duration(timedelta(0), timedelta(days=1))(timedelta(days=2), "max_clock_skew")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: max_clock_skew: 2 days, 0:00:00 is out of range; accepted: a timedelta from 0:00:00 to 1 day, 0:00:00
    """

    def check(value: Any, name: str) -> timedelta:
        accepted = f"accepted: a timedelta from {low} to {high}"
        if not isinstance(value, timedelta):
            raise _bad(name, f"{shown(value)} is not a timedelta; {accepted}")
        if not low <= value <= high:
            raise _bad(name, f"{value} is out of range; {accepted}")
        return value

    return check


def run_checks_on(arguments: Mapping[str, tuple[Any, Check]]) -> None:
    """Check the arguments of a call, ``name → (value, check)``: every problem in one error.

    One bad argument raises its own specific error, as :func:`run_checks` does.

    Example:
        >>> run_checks_on({"limit": (0, integer(1)), "text": ("", text)})
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: 2 invalid values:
          limit: 0 is out of range; accepted: an integer from 1 to 2147483647
          text: '' is empty; accepted: a non-blank text
    """
    errors: list[InvalidData] = []
    for name, (value, check) in arguments.items():
        try:
            check(value, name)
        except InvalidData as error:
            errors.append(error)
    if len(errors) == 1:  # its own specific class (ScoreOutOfRange, UnknownValue …)
        raise errors[0]
    if errors:
        raise InvalidData.from_problems([p for error in errors for p in error.problems])


def counts(
    value: Any, name: str, *, length: int | None = None, high: int | None = None
) -> list[int]:
    """A list of integers from 0 to ``high`` (default :data:`MAX_INT`), ``length`` of them if given.

    Checked item by item only when the fast test fails, so a long list of
    plain integers costs one pass.

    Example:
        >>> counts([0, 2, 1], "counts", length=3)
        [0, 2, 1]
        >>> counts([0, -2], "counts", length=2)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: counts[1]: -2 is out of range; accepted: an integer from 0 to 2147483647
    """
    top = MAX_INT if high is None else high
    values = list(items(value, name))
    if length is not None and len(values) != length:
        raise _bad(name, f"{len(values)} items; accepted: exactly {length} counts")
    if not all(type(v) is int and 0 <= v <= top for v in values):
        each = integer(0, top)
        for index, item in enumerate(values):
            each(item, f"{name}[{index}]")
    return values


def database_path(value: object) -> str:
    """An SQLite database path: ``":memory:"`` or a file path without NUL, up to 4,096 characters.

    Example:
        >>> database_path("a\\x00b")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: path: the path has a NUL character at position 1; accepted: ':memory:' or a file path (valid Unicode without NUL, up to 4,096 characters)
    """
    accepted = (
        "accepted: ':memory:' or a file path (valid Unicode without NUL, up to 4,096 characters)"
    )
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str) or not value.strip():
        message = f"{shown(value)} is not a path; {accepted}"
        raise InvalidData(f"path: {message}", problems=[("path", message)])
    problem = text_problem(value)
    if problem is not None or len(value) > 4096:
        what = f"the path {problem}" if problem else f"{len(value)} characters is too long"
        raise InvalidData(f"path: {what}; {accepted}", problems=[("path", f"{what}; {accepted}")])
    return value


def seconds(low: float, high: float) -> Check:
    """A number of seconds (an ``int`` or a finite ``float``, not a bool) within ``[low, high]``.

    Example:
        >>> seconds(0, 3600)(float("nan"), "timeout")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: timeout: nan is not a number of seconds; accepted: from 0 to 3600
    """

    def check(value: Any, name: str) -> float:
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or not low <= value <= high:
            raise _bad(
                name, f"{shown(value)} is not a number of seconds; accepted: from {low} to {high}"
            )
        return float(value)

    return check


def member_of(accepted: Sequence[str], normalise: Callable[[str], str] = str) -> Check:
    """One of the texts ``accepted`` (after ``normalise``, e.g. ``str.upper``).

    Example:
        >>> member_of(("OFF", "FULL"), str.upper)("full", "synchronous")
        'FULL'
    """

    def check(value: Any, name: str) -> str:
        if isinstance(value, str) and normalise(value) in accepted:
            return normalise(value)
        raise UnknownValue(name, value, accepted)

    return check
