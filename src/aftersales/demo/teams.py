"""The demo's teams: the Shanghai head office, the Guangzhou outlet, the second line, on their calendars.

:func:`store_demo_teams` stores two calendars — the head office's office
hours with a lunch break, and the outlet's, open on Saturdays too — and three
teams on them; :func:`demo_assignment` assigns a new ticket by skill within the
head office (the outlet takes those registered at a service outlet or a store
desk) and an escalated one within the second line. The members are the people
of the scenarios (:mod:`aftersales.demo.scenarios`), so that a ticket lands
with the one who handles it: 王工程师 repairs the coffee machines, 售后主管
takes the escalated complaints.

Example:
    >>> from aftersales.storage import MemoryStore
    >>> store = MemoryStore()
    >>> store_demo_teams(store)
    >>> [t.name for t in store.find_teams()], list(store.find_calendars())
    (['上海总部', '二线支持', '广州网点'], ['上海总部', '广州网点'])
"""

from __future__ import annotations

from aftersales.calendar import CalendarDefinition
from aftersales.service.assignment import AssignmentPlan
from aftersales.storage.ports import TeamStore
from aftersales.teams import BySkill, LeastOpen, Member, RoundRobin, Team

__all__ = ["DEMO_CALENDARS", "DEMO_TEAMS", "demo_assignment", "store_demo_teams"]

_SH = "Asia/Shanghai"

#: The demo's named calendars: office hours with a lunch break, and an outlet open on Saturdays.
DEMO_CALENDARS = {
    "上海总部": CalendarDefinition(
        _SH, dict.fromkeys(range(5), (("09:00", "12:00"), ("13:30", "18:00"))), official="CN"
    ),
    "广州网点": CalendarDefinition(
        _SH, dict.fromkeys(range(6), (("09:00", "12:00"), ("13:00", "17:30"))), official="CN"
    ),
}

#: The demo's teams, each on one of :data:`DEMO_CALENDARS`.
DEMO_TEAMS = (
    Team(
        "上海总部",
        "上海总部",
        [
            Member("李工", skills=["A型智能办公设备"]),
            Member("王工程师", skills=["C型商用咖啡机"]),
            Member(
                "客服小刘",
                skills=["usage_guidance", "logistics_delay", "service_attitude", "consultation"],
            ),
        ],
    ),
    Team(
        "广州网点",
        "广州网点",
        [Member("陈工", skills=["C型商用咖啡机"]), Member("林工", skills=["usage_guidance"])],
    ),
    Team(
        "二线支持",
        "上海总部",
        [
            Member("二线专家赵工", skills=["product_quality", "A型智能办公设备"]),
            Member("售后主管", skills=["service_attitude", "aftersales_process"]),
        ],
    ),
)


def store_demo_teams(store: TeamStore) -> None:
    """Store :data:`DEMO_CALENDARS` and :data:`DEMO_TEAMS` in ``store`` (again: nothing changes)."""
    for name, definition in DEMO_CALENDARS.items():
        store.save_calendar(name, definition)
    for team in DEMO_TEAMS:
        store.save_team(team)


def demo_assignment() -> AssignmentPlan:
    """By skill (the fewest open tickets among the skilled, else round robin) at the head office.

    Tickets registered at a service outlet or a store desk go to the Guangzhou
    outlet; an escalation goes to the second line.

    Example:
        >>> plan = demo_assignment()
        >>> plan.channel_teams["service_outlet"], plan.escalation_team(2)
        ('广州网点', '二线支持')
    """
    return AssignmentPlan(
        BySkill(then=LeastOpen(), otherwise=RoundRobin()),
        team="上海总部",
        channel_teams={"service_outlet": "广州网点", "store_desk": "广州网点"},
        escalation_teams={1: "二线支持"},
    )
