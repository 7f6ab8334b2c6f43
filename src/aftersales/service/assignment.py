"""Assignment at intake and on escalation: the desk's side of the teams' rules.

A :class:`AssignmentPlan` tells a :class:`~aftersales.ServiceDesk`
(``ServiceDesk(..., assignment=plan)``) which team takes a new ticket (by its
channel, else the plan's ``team``), which team an escalation to a level
hands the ticket to, and the :class:`~aftersales.teams.AssignmentRule` that
chooses the member. :func:`assigned_after` is what the desk calls after
building a ticket's opening event, and after an ``escalate`` event: it reads
the team and its calendar from the store (a
:class:`~aftersales.storage.TeamStore`), the members' :class:`Workload`
(:func:`workload_of`), lets :func:`~aftersales.teams.decide_assignment`
decide, and appends the outcome to the ticket, saved with that event in the
same save:

* a member (or the team's fallback) other than the current assignee: an
  ``Assigned`` event whose ``reason`` says which rule chose them and why;
* the current assignee again: nothing;
* nobody at work and no fallback: the ticket stays with its handler, and a
  ``NoteAdded`` event records why it was not assigned.

An unknown team raises :class:`~aftersales.errors.UnknownValue` listing the
stored teams, before anything is written. Imports the domain and the ports.

Example:
    >>> import pendulum
    >>> from aftersales import Customer, FixedClock, ServiceDesk
    >>> from aftersales.calendar import CalendarDefinition
    >>> from aftersales.storage import MemoryStore
    >>> from aftersales.teams import Member, RoundRobin, Team
    >>> store = MemoryStore()
    >>> store.save_calendar("热线", CalendarDefinition("Asia/Shanghai", [[("00:00", "24:00")]] * 7))
    >>> store.save_team(Team("热线", "热线", [Member("王工"), Member("李工")]))
    >>> clock = FixedClock(pendulum.datetime(2026, 3, 2, 10, tz="Asia/Shanghai"))
    >>> desk = ServiceDesk(store, clock=clock, assignment=AssignmentPlan(RoundRobin(), team="热线"))
    >>> ticket = desk.open_ticket(customer=Customer(id="C1", name="XX科技"), channel="phone",
    ...     category="consultation", description="咨询保修期", occurred_at=clock.now(), by="接线员")
    >>> ticket.assignee, ticket.history[-1].reason
    ('李工', "team '热线': round robin: 李工 holds no open ticket (the longest ago)")
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, Protocol

import attrs
import pendulum

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.calendar import CalendarDefinition, OfficialSchedule, WorkCalendar
from aftersales.errors import InvalidData, NotFound, UnknownValue
from aftersales.lifecycle import OPEN_COMMAND
from aftersales.model.events import Assigned, Escalated, NoteAdded, TicketOpened
from aftersales.model.query import TicketQuery
from aftersales.model.ticket import Ticket
from aftersales.storage.ports import ScheduleStore, TeamStore, TicketStore
from aftersales.storage.ports.teams import check_name
from aftersales.teams import AssignmentRule, Workload, decide_assignment
from aftersales.vocab import Channel

__all__ = ["AssignmentPlan", "assigned_after", "assigned_since", "workload_of"]


def _rule(value: Any, name: str) -> AssignmentRule:
    rule: AssignmentRule = check.protocol(
        AssignmentRule, "an assignment rule: RoundRobin(), LeastOpen(), BySkill(...)"
    )(value, name)
    return rule


def _team_name(value: Any, name: str) -> str:
    return check_name(value, name)


def _channel_teams(value: Any, name: str) -> Mapping[str, str]:
    """``{channel: team}`` keyed by channel code (a term, or its code as a text)."""
    if not isinstance(value, Mapping):
        message = f"{type(value).__name__} is not a mapping; accepted: {{channel: team name}}"
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
    found: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    for key, team in value.items():
        code = key.code if isinstance(key, Channel) else key
        path = f"{name}[{shown(code)}]"
        try:
            found[check.text(code, path)] = check_name(team, path)
        except InvalidData as error:
            problems += error.problems
    if problems:
        raise InvalidData.from_problems(problems)
    return MappingProxyType(found)


def _escalation_teams(value: Any, name: str) -> Mapping[int, str]:
    """``{level: team}``, levels 1–99."""
    if not isinstance(value, Mapping):
        message = f"{type(value).__name__} is not a mapping; accepted: {{level: team name}}"
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
    found: dict[int, str] = {}
    problems: list[tuple[str, str]] = []
    for level, team in value.items():
        path = f"{name}[{shown(level)}]"
        try:
            found[check.integer(1, 99)(level, path)] = check_name(team, path)
        except InvalidData as error:
            problems += error.problems
    if problems:
        raise InvalidData.from_problems(problems)
    return MappingProxyType(dict(sorted(found.items())))


@attrs.frozen(slots=True, eq=False)
class AssignmentPlan:
    """Which team takes a ticket at intake and on escalation, and the rule choosing the member.

    Args:
        rule: the :class:`~aftersales.teams.AssignmentRule` (``RoundRobin()``,
            ``LeastOpen()``, ``BySkill(...)``).
        team: the team of a new ticket (its name, as stored).
        channel_teams: the team of a new ticket arriving by a channel
            (``{"service_outlet": "广州网点"}``), instead of ``team``.
        escalation_teams: the team an escalation hands the ticket to, by
            level: an escalation to level *n* goes to the team of the
            highest level up to *n* listed here; below the lowest, the ticket
            is not reassigned.

    Example:
        >>> from aftersales.teams import LeastOpen
        >>> plan = AssignmentPlan(LeastOpen(), team="上海总部", escalation_teams={2: "二线专家"})
        >>> plan.escalation_team(1), plan.escalation_team(3)
        (None, '二线专家')
        >>> AssignmentPlan("round robin", team="上海总部")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: rule: str is not a AssignmentRule; accepted: an assignment rule: RoundRobin(), LeastOpen(), BySkill(...)
    """

    rule: AssignmentRule
    team: str = attrs.field(kw_only=True)
    channel_teams: Mapping[str, str] = attrs.field(factory=dict, kw_only=True)
    escalation_teams: Mapping[int, str] = attrs.field(factory=dict, kw_only=True)
    _calendars: dict[tuple[Any, ...], WorkCalendar] = attrs.field(
        factory=dict, init=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(
            self,
            (
                ("rule", _rule),
                ("team", _team_name),
                ("channel_teams", _channel_teams),
                ("escalation_teams", _escalation_teams),
            ),
        )

    def intake_team(self, ticket: Ticket) -> str:
        """The team of a new ``ticket``: its channel's, else :attr:`team`.

        Example:
            >>> from aftersales.teams import LeastOpen
            >>> from aftersales.testing.samples import sample_ticket
            >>> AssignmentPlan(LeastOpen(), team="上海总部",
            ...                channel_teams={"phone": "热线"}).intake_team(sample_ticket())
            '热线'
        """
        return self.channel_teams.get(ticket.channel.code, self.team)

    def escalation_team(self, level: int) -> str | None:
        """The team an escalation to ``level`` goes to, or ``None`` (no reassignment)."""
        found = None
        for listed, team in self.escalation_teams.items():
            if listed <= level:
                found = team
        return found

    def calendar_of(
        self, definition: CalendarDefinition, schedules: Iterable[OfficialSchedule]
    ) -> WorkCalendar:
        """``definition.build(schedules)``, built once per definition and schedules."""
        listed = tuple(schedules)
        key = (definition, *listed)
        built = self._calendars.get(key)
        if built is None:
            built = definition.build(listed)
            self._calendars[key] = built
        return built


class _Desk(Protocol):
    """What :func:`assigned_after` reads from the desk."""

    @property
    def store(self) -> TicketStore: ...

    @property
    def assignment(self) -> AssignmentPlan | None: ...


def assigned_since(ticket: Ticket, member: str) -> pendulum.DateTime | None:
    """When ``ticket`` was last handed to ``member``, if ``member`` holds it now.

    The opening event hands it to its handler; an ``Assigned`` event to its assignee.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> assigned_since(ticket, ticket.assignee) == ticket.received_at, assigned_since(ticket, "无名")
        (True, None)
    """
    if ticket.assignee != member:
        return None
    since = None
    for event in ticket.history:
        if isinstance(event, TicketOpened) or (
            isinstance(event, Assigned) and event.assignee == member
        ):
            since = event.at
    return since


def workload_of(store: TicketStore, members: Iterable[str]) -> Workload:
    """The open tickets each member holds in ``store``, and when each was last given one of them.

    One query per member (``TicketQuery(assignee=..., open_only=True)``).

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> from aftersales.testing.contracts import build_ticket
        >>> store = MemoryStore()
        >>> store.save(build_ticket("T1", handler="李工"), expected_version=0)
        >>> workload = workload_of(store, ["李工", "王工"])
        >>> workload.open_tickets, workload.last_assigned_to("李工") == store.get("T1").received_at
        ({'李工': 1, '王工': 0}, True)
    """
    counts: dict[str, int] = {}
    last: dict[str, datetime] = {}
    for member in members:
        held = store.find(TicketQuery(assignee=member, open_only=True))
        counts[member] = len(held)
        instants = [i for i in (assigned_since(t, member) for t in held) if i is not None]
        if instants:
            last[member] = max(instants)
    return Workload(counts, last)


def _team(store: TeamStore, name: str, path: str) -> Any:
    try:
        return store.get_team(name)
    except NotFound:
        raise UnknownValue(path, name, [t.name for t in store.find_teams()]) from None


def assigned_after(desk: _Desk, command: str, ticket: Ticket, by: str, at: datetime) -> Ticket:
    """``ticket`` after ``command``'s event with the desk's assignment appended (or unchanged).

    Only the opening of a ticket and ``escalate`` (to a level the plan names
    a team for) assign; a desk without a plan assigns nothing.

    Example:
        >>> from aftersales import ServiceDesk
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> assigned_after(ServiceDesk(), "escalate", ticket, "李工", ticket.updated_at) is ticket
        True
    """
    plan = desk.assignment
    if plan is None:
        return ticket
    if command == OPEN_COMMAND:
        team_name: str | None = plan.intake_team(ticket)
        path = "assignment.team"
    elif command == Escalated.command:
        team_name = plan.escalation_team(ticket.escalation_level)
        path = "assignment.escalation_teams"
    else:
        team_name = None
    if team_name is None:
        return ticket
    store = desk.store
    if not isinstance(store, TeamStore):
        message = (
            f"{type(store).__name__} keeps no teams; accepted: a store with teams"
            " (MemoryStore, SQLiteStore, PostgresStore)"
        )
        raise InvalidData(f"store: {message}", problems=[("store", message)])
    team = _team(store, team_name, path)
    definition = store.get_calendar(team.calendar)
    schedules: Iterable[OfficialSchedule] = ()
    if definition.official is not None and isinstance(store, ScheduleStore):
        schedules = store.find_schedules(definition.official)
    calendar = plan.calendar_of(definition, schedules)
    workload = workload_of(store, [m.name for m in team.members])
    decision = decide_assignment(plan.rule, ticket, team, calendar, workload, at)
    if decision.assignee is None:
        return ticket.apply(ticket.new_event(NoteAdded, by=by, at=at, text=decision.reason))
    if decision.assignee == ticket.assignee:
        return ticket
    event = ticket.new_event(
        Assigned, by=by, at=at, assignee=decision.assignee, reason=decision.reason
    )
    return ticket.apply(event)
