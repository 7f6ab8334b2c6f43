"""Hypothesis strategies for ``aftersales`` values, built from the public constructors.

Use them to property-test code built on the library: your own priority rules,
storage adapters, reports, SLA policies. Event histories are random walks over the compiled
lifecycle (:data:`aftersales.TRANSITIONS`), so they cover every path the
lifecycle allows, and ``valid=False`` gives histories with exactly one defect
that a replay must refuse. :func:`work_calendars` draws working calendars (lunch
breaks, whole and partial days off, extra working days, special hours, zones
with DST) and :func:`sla_policies` SLA policies on them.

Requires the ``test`` extra (hypothesis).

Example:
    >>> from hypothesis import given, settings
    >>> from aftersales import Ticket
    >>> @settings(max_examples=20)
    ... @given(event_histories())
    ... def test_replay_keeps_history(history):
    ...     assert Ticket.replay(history).history == tuple(history)
    >>> test_replay_keeps_history()
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import attrs
import pendulum
from hypothesis import strategies as st

from aftersales.calendar import DayOff, WorkCalendar
from aftersales.lifecycle import TRANSITIONS
from aftersales.model.customer import Contact, Customer
from aftersales.model.events import EVENTS_BY_COMMAND, TicketEvent, TicketOpened
from aftersales.model.product import Product, Purchase
from aftersales.model.solution import SolutionStep
from aftersales.model.ticket import Ticket
from aftersales.sla import (
    CalendarTime,
    ReopenPolicy,
    SlaMetric,
    SlaPolicy,
    Target,
    WorkingDays,
    WorkingTime,
)
from aftersales.vocab import (
    Channel,
    Demand,
    Priority,
    ProblemCategory,
    RootCauseCategory,
    TicketStatus,
)

__all__ = [
    "CALENDAR_ANCHORS",
    "aware_datetimes",
    "command_arguments",
    "contacts",
    "customers",
    "event_histories",
    "ids",
    "purchases",
    "sla_policies",
    "sla_targets",
    "texts",
    "tickets",
    "work_calendars",
]

_ZONES = ("UTC", "Asia/Shanghai", "Europe/Berlin", "America/New_York", "Asia/Kolkata")


def ids(prefix: str = "T") -> st.SearchStrategy[str]:
    """Valid ids such as ``T0042`` or ``C202405001``.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(ids("C"))
        ... def check(value):
        ...     assert value.startswith("C") and len(value) == 10
        >>> check()
    """
    return st.integers(min_value=0, max_value=10**9).map(lambda n: f"{prefix}{n:09d}")


def texts(max_size: int = 40) -> st.SearchStrategy[str]:
    """Non-blank texts mixing Chinese, Latin, digits, punctuation and SQL metacharacters.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(texts(max_size=10))
        ... def check(text):
        ...     assert text.strip() and len(text) <= 10
        >>> check()
    """
    alphabet = st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(categories=("L", "N", "P", "S", "Zs"), max_codepoint=0x2FFF),
        st.sampled_from("'\";%_\\--/*"),
    )
    return st.text(alphabet, min_size=1, max_size=max_size).filter(lambda s: bool(s.strip()))


def aware_datetimes(
    min_value: datetime | None = None,
    max_value: datetime | None = None,
    zones: tuple[str, ...] = _ZONES,
) -> st.SearchStrategy[pendulum.DateTime]:
    """Aware pendulum datetimes (whole seconds) in a sample of zones incl. DST ones.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(aware_datetimes())
        ... def check(moment):
        ...     assert moment.tzinfo is not None
        >>> check()
    """
    low = (min_value or datetime(2020, 1, 1)).replace(tzinfo=None)
    high = (max_value or datetime(2030, 12, 31)).replace(tzinfo=None)
    return st.builds(
        lambda naive, zone: pendulum.instance(naive.replace(microsecond=0), tz=zone),
        st.datetimes(min_value=low, max_value=high),
        st.sampled_from(zones),
    )


def contacts() -> st.SearchStrategy[Contact]:
    """Contacts with mainland mobile numbers and/or e-mail addresses.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(contacts())
        ... def check(contact):
        ...     assert contact.masked().name == contact.name
        >>> check()
    """
    phones = st.integers(min_value=13000000000, max_value=19999999999).map(str)
    emails = st.from_regex(r"\A[a-z][a-z0-9.]{0,11}@[a-z]{2,8}\.(com|cn|net)\Z")
    return st.builds(
        Contact,
        name=texts(12),
        phone=st.none() | phones,
        email=st.none() | emails,
        role=st.none() | texts(10),
    )


def customers() -> st.SearchStrategy[Customer]:
    """Customers with 0–3 contacts.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(customers())
        ... def check(customer):
        ...     assert customer.id.startswith("C")
        >>> check()
    """
    return st.builds(
        Customer,
        id=ids("C"),
        name=texts(20),
        industry=st.none() | texts(8),
        contacts=st.lists(contacts(), max_size=3).map(tuple),
        key_account=st.booleans(),
    )


def purchases() -> st.SearchStrategy[Purchase]:
    """Purchases with serial or order numbers and 0–60 months of warranty.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(purchases())
        ... def check(purchase):
        ...     assert purchase.warranty_ends_on >= purchase.purchased_on
        >>> check()
    """
    return st.builds(
        Purchase,
        product=st.builds(Product, model=texts(16), name=st.none() | texts(16)),
        purchased_on=st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31)),
        serial_number=st.none() | ids("SN"),
        order_number=st.none() | ids("SO"),
        warranty_months=st.integers(0, 60),
        extended_months=st.integers(0, 24),
    )


def _terms(vocabulary: Any) -> st.SearchStrategy[Any]:
    return st.sampled_from(vocabulary.members())


def _opened(ticket_id: str, at: pendulum.DateTime) -> st.SearchStrategy[TicketOpened]:
    return st.builds(
        TicketOpened,
        ticket_id=st.just(ticket_id),
        seq=st.just(1),
        at=st.just(at),
        by=texts(8),
        customer_id=ids("C"),
        customer_name=texts(20),
        channel=_terms(Channel),
        category=_terms(ProblemCategory),
        occurred_at=st.integers(0, 72 * 3600).map(lambda s: at - timedelta(seconds=s)),
        description=texts(),
        priority=st.sampled_from(list(Priority)),
        contact=st.none() | contacts(),
        purchase=st.none() | purchases(),
        demands=st.lists(_terms(Demand), max_size=3, unique=True).map(tuple),
        impact=st.just("") | texts(),
        customer_words=st.just("") | texts(),
        priority_reason=st.just(""),
        handler=st.none() | texts(8),
    )


def _later(at: pendulum.DateTime) -> st.SearchStrategy[pendulum.DateTime]:
    return st.integers(0, 5 * 24 * 3600).map(lambda s: at + timedelta(seconds=s))


def _notice(at: pendulum.DateTime) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "metric": st.sampled_from(["first_response", "resolution", "return_visit"]),
            "cycle": st.integers(0, 3),
            "level": st.integers(1, 3),
            "crossed_at": st.just(at),
            "due_at": _later(at),
        }
    )


def command_arguments(
    command: str, ticket: Ticket, at: pendulum.DateTime
) -> st.SearchStrategy[dict[str, Any]]:
    """Keyword arguments of a plausible event for ``command`` on ``ticket`` at ``at``.

    The keys are the event's own fields (``by``, ``at`` and the ids excluded).

    Example:
        >>> from hypothesis import given, settings
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> @settings(max_examples=5)
        ... @given(command_arguments("reopen", ticket, ticket.updated_at))
        ... def check(arguments):
        ...     assert set(arguments) == {"reason"}
        >>> check()
    """
    return _payload(command, ticket, at)


def _payload(command: str, ticket: Ticket, at: pendulum.DateTime) -> st.SearchStrategy[Any]:
    """Keyword arguments of a plausible event for ``command`` on ``ticket``."""
    builders: dict[str, Callable[[], st.SearchStrategy[dict[str, Any]]]] = {
        "acknowledge": lambda: st.fixed_dictionaries({"note": st.just("") | texts()}),
        "resolve_on_first_contact": lambda: st.fixed_dictionaries({"answer": texts()}),
        "record_analysis": lambda: st.fixed_dictionaries(
            {
                "finding": texts(),
                "root_cause": st.none() | _terms(RootCauseCategory),
                "resolution_deadline": st.none() | _later(at),
            }
        ),
        "propose_solution": lambda: st.fixed_dictionaries(
            {
                "summary": texts(),
                "steps": st.lists(
                    st.builds(SolutionStep, texts(), texts(8), _later(at)), min_size=1, max_size=3
                ).map(tuple),
            }
        ),
        "customer_agrees": lambda: st.fixed_dictionaries({"words": texts()}),
        "customer_disputes": lambda: st.fixed_dictionaries(
            {"words": texts(), "change_request": st.just("") | texts()}
        ),
        "book_onsite_visit": lambda: st.fixed_dictionaries(
            {"appointment_at": _later(at), "engineer": texts(8)}
        ),
        "record_progress": lambda: st.fixed_dictionaries(
            {"result": texts(), "onsite": st.booleans()}
        ),
        "report_new_problem": lambda: st.fixed_dictionaries({"description": texts()}),
        "finish_execution": lambda: st.fixed_dictionaries({"summary": texts()}),
        "record_visit": lambda: st.fixed_dictionaries(
            {
                "resolved": st.booleans(),
                "score": st.integers(1, 5),
                "comment": st.just("") | texts(),
                "channel": _terms(Channel),
                "threshold": st.integers(1, 5),
            }
        ),
        "reopen": lambda: st.fixed_dictionaries({"reason": texts()}),
        "escalate": lambda: st.fixed_dictionaries(
            {
                "level": st.integers(ticket.escalation_level + 1, ticket.escalation_level + 2),
                "reason": texts(),
                "to": st.just("") | texts(8),
            }
        ),
        "assign": lambda: st.fixed_dictionaries({"assignee": texts(8)}),
        "change_priority": lambda: st.fixed_dictionaries(
            {
                "priority": st.sampled_from([p for p in Priority if p is not ticket.priority]),
                "reason": texts(),
            }
        ),
        "add_note": lambda: st.fixed_dictionaries({"text": texts()}),
        "record_contact": lambda: st.fixed_dictionaries(
            {"channel": _terms(Channel), "summary": texts(), "inbound": st.booleans()}
        ),
        "suggest_improvement": lambda: st.fixed_dictionaries({"text": texts()}),
        "cancel": lambda: st.fixed_dictionaries({"reason": texts()}),
        "record_sla_warning": lambda: _notice(at),
        "record_sla_breach": lambda: _notice(at),
    }
    return builders[command]()


@st.composite
def _valid_history(draw: st.DrawFn, max_events: int) -> list[TicketEvent]:
    ticket_id = draw(ids("T"))
    start = draw(aware_datetimes())
    ticket = Ticket.replay([draw(_opened(ticket_id, start))])
    length = draw(st.integers(1, max_events))
    while ticket.version < length:
        allowed = TRANSITIONS.allowed(ticket.status)
        if not allowed:
            break
        command = draw(st.sampled_from(allowed))
        at = draw(_later(ticket.updated_at))
        payload = draw(_payload(command, ticket, at))
        event = ticket.new_event(EVENTS_BY_COMMAND[command], by=draw(texts(8)), at=at, **payload)
        ticket = ticket.apply(event)
    return list(ticket.history)


def _corrupt(history: list[TicketEvent], data: st.DataObject) -> list[TicketEvent]:
    """Exactly one defect a replay must refuse."""
    defects = ["drop_opening", "gap", "other_ticket", "time_backwards", "refused_command"]
    if len(history) < 2:
        defects = ["drop_opening", "refused_command"]
    defect = data.draw(st.sampled_from(defects))
    events = list(history)
    if defect == "drop_opening":
        return events[1:] if len(events) > 1 else []
    index = data.draw(st.integers(1, len(events) - 1)) if len(events) > 1 else 1
    if defect == "gap":
        events[index] = attrs.evolve(events[index], seq=events[index].seq + 1)
    elif defect == "other_ticket":
        events[index] = attrs.evolve(events[index], ticket_id=events[index].ticket_id + "X")
    elif defect == "time_backwards":
        earlier = events[index - 1].at - timedelta(seconds=data.draw(st.integers(1, 86400)))
        events[index] = attrs.evolve(events[index], at=earlier)
        events = events[: index + 1]
    else:
        status = Ticket.replay(events).status
        refused = [c for c in TRANSITIONS.commands if not TRANSITIONS.is_allowed(status, c)] + [
            "open_ticket"
        ]
        command = data.draw(st.sampled_from(refused))
        last = events[-1]
        ticket = Ticket.replay(events)
        at = last.at + timedelta(minutes=1)
        if command == "open_ticket":
            opened = attrs.evolve(events[0], seq=last.seq + 1, at=at)
            return [*events, opened]
        payload = data.draw(_payload(command, ticket, at))
        events.append(ticket.new_event(EVENTS_BY_COMMAND[command], by="x", at=at, **payload))
    return events


def event_histories(
    *, valid: bool = True, max_events: int = 25
) -> st.SearchStrategy[list[TicketEvent]]:
    """Histories of one ticket: valid random walks over the lifecycle, or broken ones.

    With ``valid=False`` each history has exactly one defect (no opening event,
    a gap in ``seq``, an event of another ticket, time going backwards, or a
    command its status refuses), so ``Ticket.replay`` must raise.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(event_histories(max_events=8))
        ... def check(history):
        ...     assert history[0].command == "open_ticket"
        >>> check()
    """
    histories = _valid_history(max_events)
    if valid:
        return histories
    return st.builds(_corrupt, histories, st.data())


def tickets(
    *, status: TicketStatus | None = None, priority: Priority | None = None, max_events: int = 25
) -> st.SearchStrategy[Ticket]:
    """Tickets replayed from valid histories, optionally in a given status and priority.

    Example:
        >>> from hypothesis import HealthCheck, given, settings
        >>> from aftersales import TicketStatus
        >>> @settings(max_examples=5, suppress_health_check=[HealthCheck.filter_too_much])
        ... @given(tickets(status=TicketStatus.AWAITING_VISIT, max_events=10))
        ... def check(ticket):
        ...     assert ticket.status is TicketStatus.AWAITING_VISIT
        >>> check()
    """

    def prefixes(history: list[TicketEvent]) -> st.SearchStrategy[Ticket]:
        ticket = Ticket.replay(history[:1])
        matching = []
        for event in [None, *history[1:]]:
            if event is not None:
                ticket = ticket.apply(event)
            if (status is None or ticket.status is status) and (
                priority is None or ticket.priority is priority
            ):
                matching.append(ticket)
        return st.sampled_from(matching) if matching else st.nothing()

    return event_histories(max_events=max_events).flatmap(prefixes)


# ---------------------------------------------------------------------------
# working calendars and SLA policies

#: Dates around which the days off, extra working days and special hours of
#: :func:`work_calendars` are drawn: each zone's 2026 DST changes (two dates of
#: national holidays for zones without DST).
CALENDAR_ANCHORS: dict[str, tuple[date, ...]] = {
    "Europe/Berlin": (date(2026, 3, 29), date(2026, 10, 25)),
    "America/New_York": (date(2026, 3, 8), date(2026, 11, 1)),
    "Asia/Shanghai": (date(2026, 5, 1), date(2026, 10, 1)),
    "UTC": (date(2026, 5, 1), date(2026, 12, 25)),
    "Australia/Lord_Howe": (date(2026, 4, 5), date(2026, 10, 4)),  # 30-minute DST
}

_Intervals = tuple[tuple[str, str], ...]


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def _day_intervals(draw: st.DrawFn, max_count: int = 3, min_count: int = 0) -> _Intervals:
    """``min_count``–``max_count`` disjoint wall-clock intervals on 5-minute marks."""
    n = draw(st.integers(min_count, max_count))
    points = sorted(
        draw(st.lists(st.integers(0, 288), min_size=2 * n, max_size=2 * n, unique=True))
    )
    return tuple((_hhmm(points[i] * 5), _hhmm(points[i + 1] * 5)) for i in range(0, len(points), 2))


@st.composite
def _office_week(draw: st.DrawFn) -> tuple[_Intervals, ...]:
    """Office hours with a lunch break on the working weekdays, nothing on the others."""
    start = draw(st.integers(6 * 12, 10 * 12)) * 5  # 06:00–10:00
    lunch = draw(st.integers(11 * 12, 13 * 12)) * 5  # 11:00–13:00
    back = lunch + draw(st.integers(6, 18)) * 5  # 30–90 minutes
    end = draw(st.integers(16 * 12, 21 * 12)) * 5  # 16:00–21:00
    day = ((_hhmm(start), _hhmm(lunch)), (_hhmm(back), _hhmm(end)))
    days = draw(st.sampled_from([range(5), range(6), range(1, 6)]))
    return tuple(day if weekday in days else () for weekday in range(7))


@st.composite
def _random_week(draw: st.DrawFn) -> tuple[_Intervals, ...]:
    return tuple(draw(_day_intervals()) for _ in range(7))


def _weekly_minutes(week: tuple[_Intervals, ...]) -> int:
    def minutes(text: str) -> int:
        hours, mins = text.split(":")
        return int(hours) * 60 + int(mins)

    return sum(minutes(b) - minutes(a) for day in week for a, b in day)


@st.composite
def _work_calendar(
    draw: st.DrawFn, zones: tuple[str, ...], min_weekly_hours: float
) -> WorkCalendar:
    tz = draw(st.sampled_from(zones))
    week = draw(st.one_of(_office_week(), _random_week()))
    if _weekly_minutes(week) < min_weekly_hours * 60:
        week = (*week[:6], (("00:00", "24:00"),))  # a 24-hour Sunday shift
    anchors = CALENDAR_ANCHORS.get(tz, (date(2026, 5, 1), date(2026, 10, 1)))
    near = st.builds(
        lambda anchor, k: anchor + timedelta(days=k),
        st.sampled_from(anchors),
        st.integers(-10, 10),
    )
    off_hours = st.none() | _day_intervals(2, min_count=1)
    holidays: dict[date, str | DayOff] = {}
    for day, (name, hours) in draw(
        st.dictionaries(
            near, st.tuples(st.sampled_from(["Holiday", "公司庆典"]), off_hours), max_size=4
        )
    ).items():
        holidays[day] = name if hours is None else DayOff(name, hours=hours)
    whole_days_off = {day for day, value in holidays.items() if isinstance(value, str)}
    workdays = dict.fromkeys(draw(st.sets(near, max_size=3)) - whole_days_off, "调休")
    special = {
        day: list(hours)
        for day, hours in draw(st.dictionaries(near, _day_intervals(2), max_size=2)).items()
        if day not in whole_days_off
    }
    return WorkCalendar(
        tz,
        list(map(list, week)),
        holidays=holidays,
        workdays=workdays,
        special_hours=special,
        workday_hours=draw(st.integers(0, 6)),
    )


def work_calendars(
    *, zones: tuple[str, ...] = tuple(CALENDAR_ANCHORS), min_weekly_hours: float = 4
) -> st.SearchStrategy[WorkCalendar]:
    """Working calendars built with :class:`~aftersales.calendar.WorkCalendar`'s constructor.

    The week is either office hours with a lunch break (Mon–Fri, Mon–Sat or
    Tue–Sat) or 0–3 random intervals per weekday (a day may end at ``24:00``);
    a week with fewer than ``min_weekly_hours`` gets a 24-hour Sunday, so every
    calendar has working time every week. Up to four days off (whole, or
    partial with ``DayOff(name, hours=...)``), three extra working days (调休)
    and two dates of special hours (possibly closed) are drawn within ten days
    of the zone's :data:`CALENDAR_ANCHORS` (its 2026 DST changes), in zones
    with and without DST. No official holiday data is used, so the calendars
    cover every year.

    Example:
        >>> from datetime import timedelta
        >>> import pendulum
        >>> from hypothesis import given, settings
        >>> start = pendulum.datetime(2026, 3, 27, 16, tz="UTC")
        >>> @settings(max_examples=10, deadline=None)
        ... @given(work_calendars())
        ... def check(cal):
        ...     due = cal.add(start, timedelta(hours=3))
        ...     assert cal.working_time(start, due) == timedelta(hours=3)
        >>> check()
    """
    return _work_calendar(zones, min_weekly_hours)


def sla_targets(
    *, max_working_hours: int = 40, max_working_days: int = 5
) -> st.SearchStrategy[Target]:
    """SLA targets: working time (whole minutes), working days or calendar time.

    Example:
        >>> from hypothesis import given, settings
        >>> from aftersales import CalendarTime, WorkingDays, WorkingTime
        >>> @settings(max_examples=10)
        ... @given(sla_targets())
        ... def check(target):
        ...     assert isinstance(target, WorkingTime | WorkingDays | CalendarTime)
        >>> check()
    """
    minutes = st.integers(1, max_working_hours * 60).map(lambda m: timedelta(minutes=m))
    return st.one_of(
        st.builds(WorkingTime, minutes),
        st.builds(WorkingDays, st.integers(1, max_working_days)),
        st.builds(CalendarTime, minutes),
    )


def _warning_levels() -> st.SearchStrategy[tuple[float | timedelta, ...]]:
    fractions = st.integers(1, 19).map(lambda k: k / 20)  # 0.05 … 0.95
    leads = st.integers(1, 8 * 60).map(lambda m: timedelta(minutes=m))
    return st.lists(fractions | leads, max_size=3, unique=True).map(tuple)


@st.composite
def _sla_policy(
    draw: st.DrawFn,
    calendars: st.SearchStrategy[WorkCalendar],
    targets: st.SearchStrategy[Target],
) -> SlaPolicy:
    calendar = draw(calendars)
    base = SlaPolicy.default(
        calendar,
        visit_threshold=draw(st.integers(1, 5)),
        reopen=draw(st.sampled_from(list(ReopenPolicy))),
    )
    chosen = draw(st.lists(st.sampled_from(base.metrics), min_size=1, unique_by=lambda m: m.name))
    metrics: list[SlaMetric] = []
    for metric in sorted(chosen, key=base.metrics.index):
        measured = draw(st.sets(st.sampled_from(list(Priority)), min_size=1))
        metrics.append(
            attrs.evolve(
                metric,
                targets={p: draw(targets) for p in Priority if p in measured},
                warn_at=draw(_warning_levels()),
                reopen=draw(st.sampled_from(list(ReopenPolicy))),
                calendar=draw(st.none() | calendars),
            )
        )
    return SlaPolicy(metrics, calendar)


def sla_policies(
    calendars: st.SearchStrategy[WorkCalendar] | None = None,
    *,
    targets: st.SearchStrategy[Target] | None = None,
) -> st.SearchStrategy[SlaPolicy]:
    """SLA policies: a non-empty subset of the built-in metrics, re-targeted at random.

    Each metric keeps its start/stop/pause rules and gets random targets for a
    non-empty set of priorities (:func:`sla_targets`), 0–3 warning levels
    (fractions of the target and lead times), a random :class:`ReopenPolicy`
    and sometimes a calendar of its own; the policy's calendar and the
    ``visit_threshold`` of the low-score callback are drawn too.

    Args:
        calendars: where the calendars come from (default :func:`work_calendars`).
        targets: where the targets come from (default :func:`sla_targets`).

    Example:
        >>> from hypothesis import given, settings
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> @settings(max_examples=10, deadline=None)
        ... @given(sla_policies())
        ... def check(policy):
        ...     report = policy.evaluate(ticket, ticket.updated_at)
        ...     assert {r.metric for r in report.results} <= {m.name for m in policy.metrics}
        >>> check()
    """
    return _sla_policy(
        work_calendars() if calendars is None else calendars,
        sla_targets() if targets is None else targets,
    )
