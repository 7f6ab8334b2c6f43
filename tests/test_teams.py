"""Teams, members and absences: who is at work when, the file forms, and the refusals.

The assignment rules' decisions are checked here on values (no store, no
desk); tests/test_assignment.py checks them through the desk.
"""

from __future__ import annotations

import json
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.calendar import CalendarDefinition, WorkCalendar
from aftersales.errors import InvalidData, UnknownValue
from aftersales.teams import (
    Absence,
    BySkill,
    LeastOpen,
    Member,
    RoundRobin,
    Team,
    Workload,
    decide_assignment,
)
from aftersales.testing.contracts import build_ticket

SH = "Asia/Shanghai"
MONDAY = pendulum.datetime(2026, 3, 2, 10, tz=SH)
LUNCH = (("09:00", "12:00"), ("13:30", "18:00"))
HEAD_OFFICE = CalendarDefinition(SH, dict.fromkeys(range(5), LUNCH), official="CN").build()
ALWAYS = WorkCalendar.always(SH)
NAMES = ("王工", "李工", "张工", "陈工", "Alice")


# -- at work ------------------------------------------------------------------------------


def test_an_absence_covers_its_start_and_not_its_end() -> None:
    team = Team("t", "c", [Member("王工")], [Absence("王工", MONDAY, MONDAY.add(hours=2), "培训")])
    assert team.at_work(MONDAY.subtract(seconds=1), ALWAYS)[0] == [Member("王工")]
    assert team.at_work(MONDAY, ALWAYS) == (
        [],
        [f"王工 is away until {MONDAY.add(hours=2).in_timezone('UTC').isoformat()} (培训)"],
    )
    assert team.at_work(MONDAY.add(hours=2), ALWAYS)[0] == [Member("王工")]


def test_inactive_members_and_hours_outside_the_calendar_put_nobody_at_work() -> None:
    team = Team("上海总部", "上海总部", [Member("王工", active=False), Member("李工")])
    assert team.at_work(MONDAY, HEAD_OFFICE) == ([Member("李工")], ["王工 is inactive"])
    lunch = MONDAY.replace(hour=12, minute=30)
    working, why = team.at_work(lunch, HEAD_OFFICE)
    assert working == []
    assert why == ["2026-03-02T04:30:00+00:00 is outside the working hours of calendar '上海总部'"]


def test_a_calendar_that_cannot_say_puts_nobody_at_work_and_says_why() -> None:
    team = Team("上海总部", "上海总部", [Member("李工")])
    later = pendulum.datetime(2031, 3, 3, 10, tz=SH)  # no official data for 2031
    working, why = team.at_work(later, HEAD_OFFICE)
    assert working == []
    assert why[0].startswith("calendar '上海总部' cannot say whether it works then: ")
    assert "2031" in why[0]


# -- decisions ------------------------------------------------------------------------------


def test_nobody_at_work_goes_to_the_fallback_or_to_nobody_with_the_reason() -> None:
    ticket = build_ticket("T1")
    night = MONDAY.replace(hour=20)
    with_fallback = Team("上海总部", "上海总部", [Member("李工")], fallback="值班主管")
    without = Team("上海总部", "上海总部", [Member("李工")])
    chosen = decide_assignment(RoundRobin(), ticket, with_fallback, HEAD_OFFICE, Workload(), night)
    assert chosen.assignee == "值班主管"
    assert chosen.reason == (
        "team '上海总部': nobody at work (2026-03-02T12:00:00+00:00 is outside the working hours"
        " of calendar '上海总部'); the team's fallback"
    )
    none = decide_assignment(RoundRobin(), ticket, without, HEAD_OFFICE, Workload(), night)
    assert none.assignee is None
    assert none.reason.endswith("; not assigned")


def _chosen(rule: Any, members: list[Member], workload: Workload) -> str | None:
    pick = rule.choose(build_ticket("T1"), members, workload)
    return None if pick is None else str(pick.member)


def test_least_open_takes_the_fewest_and_breaks_ties_by_name() -> None:
    members = [Member("王工"), Member("李工"), Member("Alice")]
    # "A" sorts before the Chinese names
    assert _chosen(LeastOpen(), members, Workload({"王工": 0, "李工": 1, "Alice": 0})) == "Alice"
    assert _chosen(LeastOpen(), members, Workload({"王工": 0, "李工": 1, "Alice": 2})) == "王工"
    assert _chosen(LeastOpen(), [], Workload()) is None


def test_round_robin_takes_the_never_assigned_then_the_longest_ago() -> None:
    members = [Member("王工"), Member("李工"), Member("张工")]
    workload = Workload(last_assigned={"王工": MONDAY, "李工": MONDAY.subtract(hours=1)})
    assert _chosen(RoundRobin(), members, workload) == "张工"
    workload = Workload(
        last_assigned={"王工": MONDAY, "李工": MONDAY.subtract(hours=1), "张工": MONDAY}
    )
    assert _chosen(RoundRobin(), members, workload) == "李工"
    pick = RoundRobin().choose(build_ticket("T1"), members, workload)
    assert pick is not None
    assert "was last given one at 2026-03-02T01:00:00+00:00" in pick.reason


def test_by_skill_prefers_the_skilled_and_falls_back_when_none_is_at_work() -> None:
    skilled = Member("陈工", skills=["product_quality"])
    others = [Member("林工"), Member("Alice", skills=["A型智能办公设备"])]
    ticket = build_ticket("T1", product_model="A型智能办公设备")
    team = Team("广州网点", "广州网点", [skilled, *others])
    away = Team(
        "广州网点", "广州网点", [skilled, *others], [Absence("陈工", MONDAY, MONDAY.add(days=1))]
    )
    busy = Workload({"陈工": 9, "Alice": 0, "林工": 0})
    # both 陈工 (category) and Alice (product model) are skilled: the fewer open tickets wins
    assert decide_assignment(BySkill(), ticket, team, ALWAYS, busy, MONDAY).assignee == "Alice"
    only_category = build_ticket("T2")
    decision = decide_assignment(BySkill(), only_category, team, ALWAYS, busy, MONDAY)
    assert decision.assignee == "陈工"
    assert decision.reason.startswith("team '广州网点': by skill product_quality: least open")
    decision = decide_assignment(BySkill(), only_category, away, ALWAYS, busy, MONDAY)
    assert decision.assignee == "Alice"  # 陈工 is away: the fallback rule over everyone at work
    assert "no member at work has a skill of 'product_quality'" in decision.reason
    strict = BySkill(otherwise=None)
    decision = decide_assignment(strict, only_category, away, ALWAYS, busy, MONDAY)
    assert decision.assignee is None
    assert decision.reason == ("team '广州网点': the rule chose none of 林工, Alice; not assigned")


def test_by_skill_refuses_rules_that_are_not_rules() -> None:
    with pytest.raises(InvalidData, match="then: str is not a AssignmentRule"):
        BySkill(then="least open")  # type: ignore[arg-type]


# -- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "path", "words"),
    [
        (lambda: Team("", "c", [Member("王工")]), "name", "is empty"),
        (lambda: Team("t", " c", [Member("王工")]), "calendar", "is not a name"),
        (lambda: Team("t", "c", []), "members", "at least one item"),
        (lambda: Team("t", "c", [Member("王工"), Member("王工")]), "members[1]", "listed twice"),
        (lambda: Team("t", "c", ["王工"]), "members[0]", "str is not a Member"),
        (
            lambda: Team("t", "c", [Member("王工")], [Absence("赵工", MONDAY, MONDAY.add(days=1))]),
            "absences[0].member",
            "'赵工' is not a known value; accepted: '王工'",
        ),
        (
            lambda: Team(
                "t",
                "c",
                [Member("王工")],
                [
                    Absence("王工", MONDAY, MONDAY.add(days=2)),
                    Absence("王工", MONDAY.add(days=1), MONDAY.add(days=3)),
                ],
            ),
            "absences[1]",
            "overlaps absences[0]",
        ),
        (lambda: Team("t", "c", [Member("王工")], fallback=""), "fallback", "is empty"),
        (lambda: Member("王工", skills="product_quality"), "skills", "str is not a list"),
        (lambda: Member("王工", skills=[""]), "skills[0]", "is empty"),
        (lambda: Member("王工", active="yes"), "active", "not a boolean"),
        (lambda: Absence("王工", MONDAY, MONDAY), "end", "is not after the start"),
        (
            lambda: Absence("王工", MONDAY.naive(), MONDAY.add(days=1)),
            "start",
            "has no time zone",
        ),
    ],
)
def test_refusals_name_the_value_and_what_is_accepted(build: Any, path: str, words: str) -> None:
    with pytest.raises(InvalidData) as raised:
        build()
    found = dict(raised.value.problems)
    assert path in found, raised.value.problems
    assert words in found[path]
    assert "accepted" in found[path]


def test_absences_of_different_members_may_overlap_and_touching_ones_may_follow() -> None:
    team = Team(
        "t",
        "c",
        [Member("王工"), Member("李工")],
        [
            Absence("王工", MONDAY, MONDAY.add(days=2)),
            Absence("李工", MONDAY, MONDAY.add(days=2)),
            Absence("王工", MONDAY.add(days=2), MONDAY.add(days=3)),
        ],
    )
    assert len(team.absences) == 3


def test_an_unknown_member_is_refused_listing_the_members() -> None:
    with pytest.raises(UnknownValue, match="accepted: '王工', '李工'"):
        Team("t", "c", [Member("王工"), Member("李工")]).member("赵工")


# -- file forms -------------------------------------------------------------------------------


@st.composite
def teams(draw: st.DrawFn) -> Team:
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
    members = [
        Member(
            n,
            skills=draw(st.sets(st.sampled_from(["product_quality", "A型", "咨询"]), max_size=2)),
            active=draw(st.booleans()),
        )
        for n in names
    ]
    absences = []
    for name in draw(st.lists(st.sampled_from(names), max_size=3, unique=True)):
        start = MONDAY.add(minutes=draw(st.integers(0, 10_000)))
        end = start.add(minutes=draw(st.integers(1, 10_000)))
        absences.append(Absence(name, start, end, draw(st.sampled_from(["", "年假", 'a"b']))))
    fallback = draw(st.none() | st.sampled_from(["值班主管", "queue:广州"]))
    return Team(
        draw(st.sampled_from(["上海总部", "广州网点"])),
        "日历",
        members,
        absences,
        fallback=fallback,
    )


def _toml(team: Team) -> str:
    """The team written as a user would write its TOML file, by hand."""
    lines = [f"name = {_quoted(team.name)}", f"calendar = {_quoted(team.calendar)}"]
    if team.fallback is not None:
        lines.append(f"fallback = {_quoted(team.fallback)}")
    for member in team.members:
        skills = ", ".join(_quoted(s) for s in sorted(member.skills))
        lines += ["[[members]]", f"name = {_quoted(member.name)}", f"skills = [{skills}]"]
        lines.append(f"active = {'true' if member.active else 'false'}")
    for absence in team.absences:
        lines += [
            "[[absences]]",
            f"member = {_quoted(absence.member)}",
            f"start = {absence.start.in_timezone(SH).isoformat()}",
            f"end = {absence.end.isoformat()}",
            f"reason = {_quoted(absence.reason)}",
        ]
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@settings(max_examples=60, deadline=None)
@given(teams())
def test_a_team_reads_back_from_its_dictionary_json_and_toml_forms(team: Team) -> None:
    assert Team.from_dict(team.to_dict()) == team
    assert Team.from_dict(json.loads(team.to_json())) == team
    assert Team.from_toml(_toml(team)) == team


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"name": "t", "calendar": "c"}, "members"),
        ({"name": "t", "calendar": "c", "members": {}}, "members"),
        (
            {"name": "t", "calendar": "c", "members": [{"name": "王工", "level": 3}]},
            "members[0].level",
        ),
        (
            {
                "name": "t",
                "calendar": "c",
                "members": [{"name": "王工"}],
                "absences": [
                    {"member": "王工", "start": "monday", "end": "2026-03-03T00:00+08:00"}
                ],
            },
            "absences[0].start",
        ),
        (
            {
                "name": "t",
                "calendar": "c",
                "members": [{"name": "王工"}],
                "absences": [
                    {"member": "王工", "start": "2026-03-02T00:00", "end": "2026-03-03T00:00+08:00"}
                ],
            },
            "absences[0].start",
        ),
    ],
)
def test_a_team_file_is_refused_naming_the_path(data: dict[str, Any], path: str) -> None:
    with pytest.raises(InvalidData) as raised:
        Team.from_dict(data, where="team.toml")
    assert str(raised.value).startswith("team.toml: ")
    assert path in dict(raised.value.problems), raised.value.problems
