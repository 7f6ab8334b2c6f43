"""The error hierarchy of ``aftersales``.

Every error the library raises on purpose derives from :class:`AftersalesError`.
Each one names the offending value and what would have been accepted, so that a
front end can show it to an operator as is.  An error never leaves a ticket, a
store or an index half-changed: the check happens before anything is written.

Example:
    >>> from aftersales.errors import AftersalesError, ScoreOutOfRange
    >>> try:
    ...     raise ScoreOutOfRange("score", 7, low=1, high=5)
    ... except AftersalesError as error:
    ...     print(error)
    score: 7 is out of range; accepted: an integer from 1 to 5
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from aftersales._shown import shown

__all__ = [
    "AccessDenied",
    "AftersalesError",
    "AttributesRefused",
    "CalendarCoverageError",
    "CalendarError",
    "CellProblem",
    "ConcurrencyError",
    "DuplicateId",
    "EmptyCalendarError",
    "ImportRejected",
    "InvalidActionTransition",
    "InvalidArticleTransition",
    "InvalidData",
    "InvalidTag",
    "InvalidTransition",
    "LeaseLost",
    "MetricNotMeasured",
    "MissingPriority",
    "NaiveDatetimeError",
    "NotAuthenticated",
    "NotFound",
    "NotPermitted",
    "PolicyFileRefused",
    "ReportSettingsRefused",
    "ScheduleError",
    "SchemaUpgradeNeeded",
    "ScoreOutOfRange",
    "SpanTooLongError",
    "StorageError",
    "SubstatusNotAllowed",
    "UnknownValue",
    "UnsupportedSchemaVersion",
    "WebhookDeliveryError",
]


class AftersalesError(Exception):
    """Base of every error raised on purpose by ``aftersales``.

    Example:
        >>> issubclass(InvalidTransition, AftersalesError)
        True
    """


class InvalidData(AftersalesError, ValueError):
    """A value, or several, that the library cannot accept.

    ``problems`` lists ``(path, message)`` pairs, one for every offending place;
    ``path`` is a dotted path (``solution.steps[1].deadline``) or a field name.

    Example:
        >>> error = InvalidData.from_problems([("score", "7 is out of range"), ("at", "naive")])
        >>> error.problems
        (('score', '7 is out of range'), ('at', 'naive'))
        >>> print(error)
        2 invalid values:
          score: 7 is out of range
          at: naive
    """

    problems: tuple[tuple[str, str], ...]

    def __init__(self, message: str, *, problems: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)

    @classmethod
    def from_problems(cls, problems: Sequence[tuple[str, str]]) -> InvalidData:
        """Build one error that lists every ``(path, message)`` problem.

        Example:
            >>> InvalidData.from_problems([("id", "empty")]).problems
            (('id', 'empty'),)
        """
        if len(problems) == 1:
            path, message = problems[0]
            return cls(f"{path}: {message}", problems=problems)
        lines = "\n".join(f"  {path}: {message}" for path, message in problems)
        return cls(f"{len(problems)} invalid values:\n{lines}", problems=problems)


class NaiveDatetimeError(InvalidData):
    """A datetime without a time zone where an aware one is required.

    Example:
        >>> from datetime import datetime
        >>> print(NaiveDatetimeError("at", datetime(2024, 5, 10, 14, 30)))
        at: 2024-05-10 14:30:00 has no time zone; accepted: an aware datetime such as 2024-05-10T14:30:00+08:00
    """

    def __init__(self, name: str, value: object) -> None:
        message = (
            f"{value} has no time zone; accepted: an aware datetime"
            " such as 2024-05-10T14:30:00+08:00"
        )
        super().__init__(f"{name}: {message}", problems=[(name, message)])
        self.name = name
        self.value = value


class UnknownValue(InvalidData):
    """A value outside a closed or registered vocabulary.

    Example:
        >>> print(UnknownValue("channel", "phne", ["email", "phone"]))
        channel: 'phne' is not a known value; accepted: 'email', 'phone'
    """

    def __init__(self, name: str, value: object, accepted: Iterable[object]) -> None:
        self.name = name
        self.value = value
        self.accepted = tuple(accepted)
        listed = ", ".join(shown(item) for item in self.accepted)
        message = f"{shown(value)} is not a known value; accepted: {listed}"
        super().__init__(f"{name}: {message}", problems=[(name, message)])


class ScoreOutOfRange(InvalidData):
    """A score (satisfaction 1–5, NPS 0–10, …) outside its scale.

    Example:
        >>> ScoreOutOfRange("score", 0, low=1, high=5).accepted
        (1, 5)
    """

    def __init__(self, name: str, value: object, *, low: int, high: int) -> None:
        self.name = name
        self.value = value
        self.accepted = (low, high)
        message = f"{shown(value)} is out of range; accepted: an integer from {low} to {high}"
        super().__init__(f"{name}: {message}", problems=[(name, message)])


class MissingPriority(InvalidData):
    """A ticket opened without a priority where nothing decides one.

    The desk consults no priority rules (``ServiceDesk(priority_rules=None)``)
    and its SLA policy sets no default priority.

    Example:
        >>> print(MissingPriority(("urgent", "high", "medium", "low")))
        priority: missing, and the desk consults no priority rules (priority_rules=None) and has no default priority; accepted: a priority given at intake ('urgent', 'high', 'medium', 'low'), or SlaPolicy(..., default_priority=...)
    """

    def __init__(self, levels: Iterable[object]) -> None:
        self.name = "priority"
        self.accepted = tuple(levels)
        listed = ", ".join(shown(level) for level in self.accepted)
        message = (
            "missing, and the desk consults no priority rules (priority_rules=None)"
            " and has no default priority;"
            f" accepted: a priority given at intake ({listed}),"
            " or SlaPolicy(..., default_priority=...)"
        )
        super().__init__(f"priority: {message}", problems=[("priority", message)])


class SubstatusNotAllowed(InvalidData):
    """A declared sub-status that belongs to another status than the ticket's.

    ``accepted``: the ticket's other sub-statuses, and ``None`` when it has one.

    Example:
        >>> print(SubstatusNotAllowed("waiting_parts", ticket_id="T1", status="analysing",
        ...       under="in_progress", accepted=["waiting_manufacturer"], label="待备件"))
        substatus: 'waiting_parts' (待备件) is declared under in_progress, not under analysing, the status of ticket 'T1'; accepted: 'waiting_manufacturer'
    """

    def __init__(
        self, value: object, *, ticket_id: str, status: str, under: str,
        accepted: Iterable[object], label: str = "",
    ) -> None:  # fmt: skip
        self.value, self.ticket_id, self.status = value, ticket_id, status
        self.accepted = tuple(accepted)
        listed = ", ".join(shown(item) for item in self.accepted)
        listed = listed or f"nothing, no sub-status is declared under {status}"
        named = f"{shown(value)} ({label})" if label else shown(value)
        message = (
            f"{named} is declared under {under}, not under {status},"
            f" the status of ticket {shown(ticket_id)}; accepted: {listed}"
        )
        super().__init__(f"substatus: {message}", problems=[("substatus", message)])


class InvalidTransition(AftersalesError):
    """A command the ticket's current status does not allow.

    ``ticket_id`` holds the id of the object refused (a ticket here, an
    action or an article in the subclasses, whose messages say which).

    Example:
        >>> from aftersales.vocab import TicketStatus
        >>> error = InvalidTransition("T1", TicketStatus.CLOSED, "acknowledge", ["reopen"])
        >>> print(error)
        ticket 'T1' is closed; 'acknowledge' is not allowed there; allowed: 'reopen'
    """

    #: What the message calls the object refused.
    what = "ticket"

    def __init__(self, ticket_id: str, status: Any, command: str, allowed: Iterable[str]) -> None:
        self.ticket_id = ticket_id
        self.status = status
        self.command = command
        self.allowed = tuple(sorted(allowed))
        listed = ", ".join(repr(name) for name in self.allowed) or "nothing (final status)"
        status_text = getattr(status, "value", status)
        super().__init__(
            f"{self.what} {ticket_id!r} is {str(status_text).replace('_', ' ')}; "
            f"{command!r} is not allowed there; allowed: {listed}"
        )


class InvalidActionTransition(InvalidTransition):
    """A command the improvement action's status does not allow (``aftersales.improvement``).

    Example:
        >>> from aftersales.improvement import ActionStatus
        >>> print(InvalidActionTransition("A1", ActionStatus.VERIFIED, "start", []))
        improvement action 'A1' is verified; 'start' is not allowed there; allowed: nothing (final status)
    """

    what = "improvement action"


class InvalidArticleTransition(InvalidTransition):
    """Publishing, revising or retiring an article whose status does not allow it.

    Raised by :class:`~aftersales.knowledge.KnowledgeArticle` (and importable
    from :mod:`aftersales.knowledge`); ``ticket_id`` holds the article's id.

    Example:
        >>> from aftersales.knowledge import ArticleStatus
        >>> error = InvalidArticleTransition("KB-1", ArticleStatus.RETIRED, "publish", [])
        >>> error.ticket_id, error.allowed
        ('KB-1', ())
        >>> str(error).startswith("knowledge article 'KB-1' is retired; 'publish' is not allowed")
        True
    """

    what = "knowledge article"


class AccessDenied(AftersalesError, PermissionError):
    """The host's access policy refused to show a customer's contact unmasked.

    Nothing is recorded or changed; ``viewer``, ``purpose`` and the policy's
    ``reason`` say who asked, why, and why not.

    Example:
        >>> print(AccessDenied("T1", viewer="实习生", purpose="好奇", reason="not on the duty roster"))
        ticket 'T1': the contact is not revealed to by='实习生' for purpose='好奇' (not on the duty roster); accepted: a viewer and purpose the access policy grants
    """

    def __init__(self, ticket_id: str, *, viewer: str, purpose: str, reason: str = "") -> None:
        self.ticket_id = ticket_id
        self.viewer = viewer
        self.purpose = purpose
        self.reason = reason
        because = f" ({reason})" if reason else ""
        super().__init__(
            f"ticket {shown(ticket_id)}: the contact is not revealed to by={shown(viewer)}"
            f" for purpose={shown(purpose)}{because}; accepted: a viewer and purpose the access policy"
            " grants"
        )


class NotAuthenticated(AftersalesError):
    """A request to the HTTP API (``aftersales.api``) without valid credentials (HTTP 401).

    Example:
        >>> print(NotAuthenticated("the bearer token is wrong"))
        not authenticated: the bearer token is wrong; accepted: credentials the API's auth hook accepts
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(
            f"not authenticated: {reason}; accepted: credentials the API's auth hook accepts"
        )


class NotPermitted(AftersalesError, PermissionError):
    """An HTTP API caller asking for what the host does not allow it (HTTP 403); nothing was done.

    Example:
        >>> print(NotPermitted("anonymous", "acknowledge"))
        'anonymous' may not run 'acknowledge'; accepted: a principal the host's auth hook lets write
    """

    def __init__(self, principal: str, action: str) -> None:
        self.principal = principal
        self.action = action
        super().__init__(
            f"{shown(principal)} may not run {shown(action)};"
            " accepted: a principal the host's auth hook lets write"
        )


class NotFound(AftersalesError, LookupError):
    """Nothing stored under that key.

    Example:
        >>> print(NotFound("ticket", "T404"))
        no ticket with id 'T404'
    """

    def __init__(self, kind: str, key: object) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"no {kind} with id {shown(key)}")


class MetricNotMeasured(NotFound, KeyError):
    """An SLA report holds no cycle of that metric: the metric did not measure the ticket.

    A metric measures a ticket once its clock has started, when the ticket's
    priority has a target and its category fits. Also a :class:`KeyError`,
    what ``report[metric]`` raised before.

    Example:
        >>> error = MetricNotMeasured("onsite_within", ticket_id="T1", measured=["resolution"])
        >>> print(error)
        metric: 'onsite_within' did not measure ticket 'T1'; accepted: 'resolution'
        >>> isinstance(error, KeyError), error.measured
        (True, ('resolution',))
    """

    def __init__(self, metric: object, *, ticket_id: str, measured: Iterable[str]) -> None:
        self.kind = "metric"
        self.key = metric
        self.ticket_id = ticket_id
        self.measured = tuple(measured)
        listed = ", ".join(shown(name) for name in self.measured) or "none (no clock has started)"
        Exception.__init__(
            self,
            f"metric: {shown(metric)} did not measure ticket {shown(ticket_id)}; accepted: {listed}",
        )

    def __str__(self) -> str:
        return str(self.args[0])


class DuplicateId(AftersalesError):
    """Creating an object under an id that is already taken.

    Example:
        >>> print(DuplicateId("ticket", "T1"))
        a ticket with id 'T1' already exists; accepted: an unused id
    """

    def __init__(self, kind: str, key: object) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"a {kind} with id {shown(key)} already exists; accepted: an unused id")


class ConcurrencyError(AftersalesError):
    """A save against a version that has moved on; nothing was written.

    Reload the object, decide again, and retry.

    Example:
        >>> print(ConcurrencyError("ticket", "T1", expected=3, actual=4))
        ticket 'T1' was changed concurrently: expected version 3, stored version is 4; reload and retry
    """

    def __init__(self, kind: str, key: object, *, expected: int, actual: int | None) -> None:
        self.kind = kind
        self.key = key
        self.expected = expected
        self.actual = actual
        stored = "absent" if actual is None else str(actual)
        super().__init__(
            f"{kind} {key!r} was changed concurrently: expected version {expected}, "
            f"stored version is {stored}; reload and retry"
        )


class CalendarError(AftersalesError):
    """Base of the working-calendar errors.

    Example:
        >>> issubclass(CalendarCoverageError, CalendarError)
        True
    """


class CalendarCoverageError(CalendarError):
    """A date in a year for which the calendar has no official data.

    The message names both ways out: declare the year complete (the weekly
    hours alone), in Python or on the command line, or load the official
    schedule once it is published.

    Example:
        >>> print(CalendarCoverageError(2031, covered=[*range(2020, 2028), 2029]))  # doctest: +NORMALIZE_WHITESPACE
        no official calendar data for 2031; accepted: dates in the covered years 2020–2027, 2029.
        To use the weekly hours alone for 2031, declare the year complete: complete_years=[2031]
        in WorkCalendar.china() or WorkCalendar.for_country(), or --complete-years 2031 on the
        command line. To use the official days off instead, load the official schedule for 2031
        once it is published: WorkCalendar.china(schedules=[load_schedule("cn-2031.toml")]) in
        Python, or 'aftersales calendar load cn-2031.toml --db DB' for every process on a store
        (the file format: docs/calendar-schedules.md).
    """

    def __init__(self, year: int, *, covered: Iterable[int]) -> None:
        self.year = year
        self.covered = tuple(sorted(covered))
        span = (
            f"dates in the covered years {_runs(self.covered)}"
            if self.covered
            else "none (the calendar has no official data)"
        )
        super().__init__(
            f"no official calendar data for {year}; accepted: {span}. "
            f"To use the weekly hours alone for {year}, declare the year complete: "
            f"complete_years=[{year}] in WorkCalendar.china() or WorkCalendar.for_country(), "
            f"or --complete-years {year} on the command line. "
            f"To use the official days off instead, load the official schedule for {year} "
            f'once it is published: WorkCalendar.china(schedules=[load_schedule("cn-{year}.toml")])'
            f" in Python, or 'aftersales calendar load cn-{year}.toml --db DB' for every process"
            " on a store (the file format: docs/calendar-schedules.md)."
        )


def _runs(years: Sequence[int]) -> str:
    """Sorted years as runs: ``2001–2026, 2031``."""
    runs: list[list[int]] = []
    for year in years:
        if runs and runs[-1][1] == year - 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


class ScheduleError(InvalidData):
    """An official holiday schedule (or its file) that cannot be used: every problem is named.

    Raised for a schedule that contradicts itself (a date both off and working,
    a working day on a Monday–Friday, a date outside its year), one that
    contradicts the ``holidays`` package or another schedule of the same year,
    and a file that cannot be read as one; ``problems`` lists each
    ``(path, message)``.

    Example:
        >>> error = ScheduleError.from_problems([("year", "'x' is not a year")])
        >>> isinstance(error, InvalidData), error.problems
        (True, (('year', "'x' is not a year"),))
    """


class EmptyCalendarError(CalendarError):
    """A calendar that has no working time at all.

    Example:
        >>> print(EmptyCalendarError())
        the calendar has no working time; accepted: at least one working interval in the week
    """

    def __init__(self, detail: str = "the calendar has no working time") -> None:
        super().__init__(f"{detail}; accepted: at least one working interval in the week")


class SpanTooLongError(CalendarError):
    """A query that reaches past the range the calendar can compute.

    ``name`` is the argument that reaches there, when one instant given to the
    calendar already lies outside its range.

    Example:
        >>> print(SpanTooLongError("2400-01-01", limit="9999-12-31"))
        the span reaches 2400-01-01, past what the calendar can compute; accepted: up to 9999-12-31
        >>> print(SpanTooLongError("the year 9999", limit="1900–2399", name="start"))
        start: the span reaches the year 9999, past what the calendar can compute; accepted: up to 1900–2399
    """

    def __init__(self, reached: object, *, limit: object, name: str | None = None) -> None:
        self.reached = reached
        self.limit = limit
        self.name = name
        where = "" if name is None else f"{name}: "
        super().__init__(
            f"{where}the span reaches {reached}, past what the calendar can compute;"
            f" accepted: up to {limit}"
        )


class StorageError(AftersalesError):
    """A store that cannot read or write what it should (corrupt row, broken schema).

    Example:
        >>> print(StorageError("row 'T1' of tickets: bad JSON"))
        row 'T1' of tickets: bad JSON
    """


class UnsupportedSchemaVersion(StorageError, InvalidData):
    """Stored data written by a schema version this library does not know.

    Example:
        >>> print(UnsupportedSchemaVersion("database", 9, supported=(1, 2)))
        database: schema version 9 is not supported; accepted: 1, 2
    """

    def __init__(self, where: str, version: object, *, supported: Iterable[int]) -> None:
        self.where = where
        self.version = version
        self.supported = tuple(supported)
        listed = ", ".join(str(v) for v in self.supported)
        message = f"schema version {version} is not supported; accepted: {listed}"
        InvalidData.__init__(self, f"{where}: {message}", problems=[(where, message)])


# The import's errors live in their own module of this package (they need the classes above).
from aftersales.errors.attributes import AttributesRefused  # noqa: E402
from aftersales.errors.delivery import LeaseLost, WebhookDeliveryError  # noqa: E402
from aftersales.errors.import_cells import CellProblem, ImportRejected  # noqa: E402
from aftersales.errors.policy_file import PolicyFileRefused  # noqa: E402
from aftersales.errors.report_settings import ReportSettingsRefused  # noqa: E402
from aftersales.errors.schema import SchemaUpgradeNeeded  # noqa: E402
from aftersales.errors.ticket_details import InvalidTag  # noqa: E402
