"""The teams' surfaces of the hostile-input table (see :mod:`tests.hostile_surface`).

The six calendar and team methods on the world's store (memory, SQLite in
memory, SQLite file), the constructors and readers of calendar definitions,
teams, members, absences, assignment plans and rules, and a desk that
assigns with a plan, each with one valid call. The world holds the calendar
and team ``广州网点`` (``SEEDED_CALENDAR``, ``SEEDED_TEAM``).
"""

from __future__ import annotations

from typing import Any

from aftersales import MemoryStore, ServiceDesk
from aftersales.calendar import CalendarDefinition
from aftersales.service.assignment import AssignmentPlan
from aftersales.teams import Absence, BySkill, LeastOpen, Member, RoundRobin, Team
from aftersales.testing.contracts import head_office_calendar, outlet_team
from tests.helpers import CUSTOMER, START
from tests.hostile_surface import Surface, World, parameters

#: What every world keeps (stored by ``World.reset``).
SEEDED_CALENDAR = head_office_calendar(saturday=True)
SEEDED_TEAM = outlet_team()

_STORE_CALLS: dict[str, dict[str, Any]] = {
    "save_calendar": {"name": "热线", "definition": head_office_calendar(), "replace": False},
    "get_calendar": {"name": "广州网点"},
    "find_calendars": {},
    "save_team": {"team": outlet_team(members=3), "replace": True},
    "get_team": {"name": "广州网点"},
    "find_teams": {},
}


def _store_method(method: str) -> Surface:
    def call(world: World, overrides: dict[str, Any]) -> Any:
        return getattr(world.store, method)(**{**_STORE_CALLS[method], **overrides})

    return Surface(f"store.{method}", call, parameters(getattr(MemoryStore, method)), stores=True)


def _assigning_desk(**kwargs: Any) -> Any:
    """A desk assigning with ``AssignmentPlan(**kwargs)`` over a store of the seeded team, used."""
    store = MemoryStore()
    store.save_calendar("广州网点", SEEDED_CALENDAR)
    store.save_team(SEEDED_TEAM)
    desk = ServiceDesk(store, assignment=AssignmentPlan(**kwargs))
    return desk.open_ticket(
        customer=CUSTOMER,
        channel="phone",
        category="product_quality",
        description="黑屏",
        occurred_at=START,
        by="李工",
        at=START,
    )


_CONSTRUCTORS: dict[str, tuple[Any, dict[str, Any]]] = {
    "CalendarDefinition": (
        CalendarDefinition,
        {
            "tz": "Asia/Shanghai",
            "week": {0: [("09:00", "12:00")], 5: [("09:00", "17:00")]},
            "official": "CN",
            "subdiv": None,
            "language": "zh_CN",
            "days_off": {START.date(): "盘点"},
            "working_days": {},
            "complete_years": [2027],
            "workday_hours": "sat",
        },
    ),
    "CalendarDefinition.from_dict": (
        CalendarDefinition.from_dict,
        {"data": head_office_calendar().to_dict(), "where": "calendar.toml"},
    ),
    "CalendarDefinition.from_toml": (
        CalendarDefinition.from_toml,
        {"text": head_office_calendar().to_toml(), "where": "calendar.toml"},
    ),
    "Member": (Member, {"name": "陈工", "skills": ["product_quality"], "active": True}),
    "Absence": (
        Absence,
        {"member": "陈工", "start": START, "end": START.add(days=1), "reason": "年假"},
    ),
    "Team": (
        Team,
        {
            "name": "广州网点",
            "calendar": "广州网点",
            "members": [Member("陈工")],
            "absences": [Absence("陈工", START, START.add(days=1))],
            "fallback": "值班主管",
        },
    ),
    "Team.from_dict": (Team.from_dict, {"data": SEEDED_TEAM.to_dict(), "where": "team.toml"}),
    "BySkill": (BySkill, {"then": RoundRobin(), "otherwise": LeastOpen()}),
    "AssignmentPlan": (
        _assigning_desk,
        {
            "rule": BySkill(),
            "team": "广州网点",
            "channel_teams": {"service_outlet": "广州网点"},
            "escalation_teams": {1: "广州网点"},
        },
    ),
}


def team_surfaces() -> list[Surface]:
    """The store's calendar and team methods, and the teams' constructors and readers."""
    surfaces = [_store_method(name) for name in _STORE_CALLS]
    for name, (target, valid) in sorted(_CONSTRUCTORS.items()):

        def call(world: World, overrides: dict[str, Any], t: Any = target, v: Any = valid) -> Any:
            return t(**{**v, **overrides})

        surfaces.append(Surface(f"new {name}", call, tuple(valid)))
    return surfaces
