"""Service teams and how a ticket finds its handler among them.

* :mod:`~aftersales.teams.team`: :class:`Team`, its :class:`Member` s and
  their :class:`Absence` s, and who of them is at work at an instant;
* :mod:`~aftersales.teams.assignment`: the :class:`AssignmentRule` protocol,
  :class:`RoundRobin`, :class:`LeastOpen` and :class:`BySkill`, the
  :class:`Workload` they read, and :func:`decide_assignment`, the decision
  with its recorded reason.

Teams and calendar definitions are kept in a store
(:class:`~aftersales.storage.TeamStore`); the desk applies a rule at intake
and on escalation (:mod:`aftersales.service.assignment`, ``docs/teams.md``).
Domain layer: imports the calendar, the model and the domain helpers.

Example:
    >>> Team("上海总部", "上海总部", [Member("王工")]).members[0].active
    True
"""

from aftersales.teams.assignment import (
    AssignmentDecision,
    AssignmentRule,
    BySkill,
    LeastOpen,
    Pick,
    RoundRobin,
    Workload,
    decide_assignment,
    ticket_skills,
)
from aftersales.teams.team import Absence, Member, Team

__all__ = [
    "Absence",
    "AssignmentDecision",
    "AssignmentRule",
    "BySkill",
    "LeastOpen",
    "Member",
    "Pick",
    "RoundRobin",
    "Team",
    "Workload",
    "decide_assignment",
    "ticket_skills",
]
