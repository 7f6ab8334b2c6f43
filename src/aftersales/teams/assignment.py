"""Assignment rules: which member of a team gets a ticket, and the reason recorded for it.

An :class:`AssignmentRule` chooses among the members at work
(:meth:`Team.at_work <aftersales.teams.Team.at_work>`), reading their
:class:`Workload`:

* :class:`RoundRobin`: the member given a ticket longest ago (never, first;
  ties by name), so that tickets arriving one by one go round the team;
* :class:`LeastOpen`: the member holding the fewest open tickets (ties by name);
* :class:`BySkill`: the members whose skills include the ticket's category
  code, product model or product name (:func:`ticket_skills`), chosen among
  by another rule; when none of them is at work, a fallback rule over
  everyone at work (or nobody).

:func:`decide_assignment` is the whole decision: who is at work, what the
rule chooses, and otherwise the team's ``fallback`` or nobody, always with
the reason the desk records (see ``docs/teams.md``). Every rule is
deterministic: the same team, workload and instant give the same member.

Imports the teams' model, the ticket and the domain helpers.

Example:
    >>> import pendulum
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.teams import Member, Team
    >>> from aftersales.testing.samples import sample_ticket
    >>> team = Team("热线", "热线", [Member("王工"), Member("李工")])
    >>> at = pendulum.datetime(2026, 3, 2, 10, tz="Asia/Shanghai")
    >>> decision = decide_assignment(LeastOpen(), sample_ticket(), team, WorkCalendar.always(),
    ...                              Workload({"王工": 3, "李工": 1}), at)
    >>> decision.assignee, decision.reason
    ('李工', "team '热线': least open: 李工 holds 1 open ticket (fewest)")
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

import attrs
import pendulum

from aftersales import _checks as check
from aftersales.calendar import WorkCalendar
from aftersales.model.ticket import Ticket
from aftersales.teams.team import Member, Team

__all__ = [
    "AssignmentDecision",
    "AssignmentRule",
    "BySkill",
    "LeastOpen",
    "Pick",
    "RoundRobin",
    "Workload",
    "decide_assignment",
    "ticket_skills",
]


@attrs.frozen(slots=True, eq=False)
class Workload:
    """What the rules read about members: the open tickets each holds, and when each last got one.

    ``last_assigned`` maps a member to the latest instant they were given a
    ticket (the desk reads it from the open tickets they hold, see
    :func:`aftersales.service.assignment.workload_of`); a member missing from
    a mapping holds none, or was never given one.

    Example:
        >>> Workload({"王工": 2}).open_of("王工"), Workload().last_assigned_to("王工")
        (2, None)
    """

    open_tickets: Mapping[str, int] = attrs.field(factory=dict)
    last_assigned: Mapping[str, datetime] = attrs.field(factory=dict)

    def open_of(self, member: str) -> int:
        """How many open tickets ``member`` holds (0 when not listed)."""
        return self.open_tickets.get(member, 0)

    def last_assigned_to(self, member: str) -> datetime | None:
        """When ``member`` was last given a ticket, or ``None``."""
        return self.last_assigned.get(member)


@attrs.frozen(slots=True)
class Pick:
    """A rule's choice: the member, and why (the text recorded on the ``Assigned`` event).

    Example:
        >>> Pick("王工", "least open: 王工 holds 0 open tickets (fewest)").member
        '王工'
    """

    member: str
    reason: str


@runtime_checkable
class AssignmentRule(Protocol):
    """Chooses a member among ``candidates`` (the members at work), or ``None`` for none of them.

    Example:
        >>> isinstance(RoundRobin(), AssignmentRule), isinstance("round robin", AssignmentRule)
        (True, False)
    """

    def choose(
        self, ticket: Ticket, candidates: Sequence[Member], workload: Workload
    ) -> Pick | None:
        """The member for ``ticket`` among ``candidates`` (in the team's order), with the reason."""
        ...


def _at(value: datetime) -> str:
    return pendulum.instance(value).in_timezone("UTC").isoformat()


@attrs.frozen(slots=True)
class RoundRobin:
    """The member given a ticket longest ago: never given one first, then the oldest; ties by name.

    Example:
        >>> import pendulum
        >>> from aftersales.testing.samples import sample_ticket
        >>> at = pendulum.datetime(2026, 3, 2, 9, tz="UTC")
        >>> RoundRobin().choose(sample_ticket(), [Member("王工"), Member("李工")],
        ...                     Workload(last_assigned={"王工": at, "李工": at.add(minutes=5)})).member
        '王工'
    """

    def choose(
        self, ticket: Ticket, candidates: Sequence[Member], workload: Workload
    ) -> Pick | None:
        """See :class:`AssignmentRule`."""
        if not candidates:
            return None

        def key(member: Member) -> tuple[bool, str, str]:
            last = workload.last_assigned_to(member.name)
            return (last is not None, "" if last is None else _at(last), member.name)

        chosen = min(candidates, key=key)
        last = workload.last_assigned_to(chosen.name)
        when = "holds no open ticket" if last is None else f"was last given one at {_at(last)}"
        return Pick(chosen.name, f"round robin: {chosen.name} {when} (the longest ago)")


@attrs.frozen(slots=True)
class LeastOpen:
    """The member holding the fewest open tickets; ties by name.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> LeastOpen().choose(sample_ticket(), [Member("王工"), Member("李工")], Workload()).member
        '李工'
    """

    def choose(
        self, ticket: Ticket, candidates: Sequence[Member], workload: Workload
    ) -> Pick | None:
        """See :class:`AssignmentRule`."""
        if not candidates:
            return None
        chosen = min(candidates, key=lambda m: (workload.open_of(m.name), m.name))
        count = workload.open_of(chosen.name)
        tickets = "ticket" if count == 1 else "tickets"
        return Pick(chosen.name, f"least open: {chosen.name} holds {count} open {tickets} (fewest)")


def ticket_skills(ticket: Ticket) -> frozenset[str]:
    """What a member's skills are matched against: the category's code, the product's model and name.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> sorted(ticket_skills(sample_ticket()))
        ['A型智能办公设备', 'product_quality']
    """
    found = {ticket.category.code}
    if ticket.purchase is not None:
        found.add(ticket.purchase.product.model)
        if ticket.purchase.product.name is not None:
            found.add(ticket.purchase.product.name)
    return frozenset(found)


def _rule(value: Any, name: str) -> AssignmentRule:
    rule: AssignmentRule = check.protocol(
        AssignmentRule, "an assignment rule: RoundRobin(), LeastOpen(), BySkill(...)"
    )(value, name)
    return rule


@attrs.frozen(slots=True)
class BySkill:
    """The members skilled for the ticket, chosen among by ``then``; else ``otherwise`` over all at work.

    A member is skilled for a ticket when their skills include the
    ticket's category code, product model or product name
    (:func:`ticket_skills`). When no skilled member is at work,
    ``otherwise`` chooses among everyone at work (``None``: nobody is chosen,
    and the team's fallback applies).

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> members = [Member("王工"), Member("李工", skills=["product_quality"])]
        >>> BySkill().choose(sample_ticket(), members, Workload({"李工": 5})).reason
        'by skill product_quality: least open: 李工 holds 5 open tickets (fewest)'
        >>> BySkill().choose(sample_ticket(), members[:1], Workload()).reason
        "no member at work has a skill of 'A型智能办公设备', 'product_quality'; least open: 王工 holds 0 open tickets (fewest)"
    """

    then: AssignmentRule = attrs.field(factory=LeastOpen)
    otherwise: AssignmentRule | None = attrs.field(factory=LeastOpen)

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, (("then", _rule), ("otherwise", check.optional(_rule))))

    def choose(
        self, ticket: Ticket, candidates: Sequence[Member], workload: Workload
    ) -> Pick | None:
        """See :class:`AssignmentRule`."""
        wanted = ticket_skills(ticket)
        skilled = [m for m in candidates if m.skills & wanted]
        if skilled:
            pick = self.then.choose(ticket, skilled, workload)
            if pick is not None:
                matched = sorted(self._skills_of(pick.member, skilled) & wanted)
                return Pick(pick.member, f"by skill {', '.join(matched)}: {pick.reason}")
        if self.otherwise is None:
            return None
        pick = self.otherwise.choose(ticket, candidates, workload)
        if pick is None:
            return None
        listed = ", ".join(repr(s) for s in sorted(wanted))
        return Pick(pick.member, f"no member at work has a skill of {listed}; {pick.reason}")

    @staticmethod
    def _skills_of(name: str, members: Sequence[Member]) -> frozenset[str]:
        return next((m.skills for m in members if m.name == name), frozenset())


@attrs.frozen(slots=True)
class AssignmentDecision:
    """Who gets the ticket (``None``: nobody, it stays with its handler), and the recorded reason.

    Example:
        >>> AssignmentDecision(None, "team '热线': nobody at work").assignee is None
        True
    """

    assignee: str | None
    reason: str


def decide_assignment(
    rule: AssignmentRule,
    ticket: Ticket,
    team: Team,
    calendar: WorkCalendar,
    workload: Workload,
    at: datetime,
) -> AssignmentDecision:
    """The member of ``team`` who gets ``ticket`` at ``at`` under ``rule``, with the reason.

    Only the members at work at ``at`` on ``calendar`` (the team's) are
    candidates. When the rule chooses nobody — nobody is at work, or
    :class:`BySkill` without ``otherwise`` found no skilled member — the
    ticket goes to the team's ``fallback`` when it has one, else to nobody
    (``assignee`` is ``None``); the reason says why either way.

    Example:
        >>> import pendulum
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.testing.samples import sample_ticket
        >>> team = Team("上海总部", "上海总部", [Member("王工")], fallback="值班主管")
        >>> night = pendulum.datetime(2026, 3, 2, 20, tz="Asia/Shanghai")
        >>> decide_assignment(RoundRobin(), sample_ticket(), team, WorkCalendar.china(),
        ...                   Workload(), night).assignee
        '值班主管'
    """
    at = check.aware(at, "at")
    working, why_not = team.at_work(at, calendar)
    prefix = f"team {team.name!r}: "
    pick = rule.choose(ticket, working, workload) if working else None
    if pick is not None:
        return AssignmentDecision(pick.member, prefix + pick.reason)
    if working:
        why = "the rule chose none of " + ", ".join(m.name for m in working)
    else:
        why = "nobody at work (" + "; ".join(why_not) + ")"
    if team.fallback is not None:
        return AssignmentDecision(team.fallback, f"{prefix}{why}; the team's fallback")
    return AssignmentDecision(None, f"{prefix}{why}; not assigned")
