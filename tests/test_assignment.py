"""Assignment through the desk: at intake and on escalation, on the teams and calendars a store keeps.

The teams and calendars are the ones in ``examples/teams/`` (the Shanghai
head office: Monday–Friday 09:00–12:00 and 13:30–18:00, 张工 on leave 2–6
March 2026, fallback 上海值班主管; the Guangzhou outlet: Monday–Saturday
09:00–12:00 and 13:00–17:30). Member names sort 张工 < 李工 < 王工 (by code
point), which is the round robin's order among members never given a ticket.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales import Customer, FixedClock, ServiceDesk
from aftersales.calendar import CalendarDefinition
from aftersales.errors import InvalidData, UnknownValue
from aftersales.model.events import Assigned, Escalated, NoteAdded, TicketEvent, TicketOpened
from aftersales.model.query import TicketQuery
from aftersales.serialization import from_json, to_json
from aftersales.serialization_trusted import trusted_event_from_json
from aftersales.service.assignment import AssignmentPlan
from aftersales.storage import MemoryStore, SQLiteStore
from aftersales.teams import BySkill, LeastOpen, Member, RoundRobin, Team
from aftersales.trusted_text import event_text

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "teams"
SH = "Asia/Shanghai"
MONDAY = pendulum.datetime(2026, 3, 2, 10, tz=SH)  # 张工 is on leave this week
SATURDAY = pendulum.datetime(2026, 3, 7, 10, tz=SH)
HOTLINE = CalendarDefinition(SH, [[("00:00", "24:00")]] * 7)
CUSTOMER = Customer(id="C202603001", name="XX科技有限公司")


def _example(store: Any, *, fallback: bool = True) -> Any:
    """``store`` with the example calendars and teams (the head office without its fallback)."""
    for name, file in (("上海总部", "shanghai"), ("广州网点", "guangzhou"), ("热线", "hotline")):
        text = (EXAMPLES / f"calendar-{file}.toml").read_text(encoding="utf-8")
        store.save_calendar(name, CalendarDefinition.from_toml(text, where=file))
    for file in ("shanghai", "guangzhou"):
        team = Team.from_toml((EXAMPLES / f"team-{file}.toml").read_text(encoding="utf-8"))
        store.save_team(team if fallback else attrs.evolve(team, fallback=None))
    return store


def _desk(store: Any, at: pendulum.DateTime, plan: AssignmentPlan) -> ServiceDesk:
    return ServiceDesk(store, clock=FixedClock(at), assignment=plan)


def _open(
    desk: ServiceDesk,
    at: pendulum.DateTime,
    *,
    channel: str = "phone",
    category: str = "product_quality",
    ticket_id: str | None = None,
) -> Any:
    return desk.open_ticket(
        customer=CUSTOMER,
        channel=channel,
        category=category,
        description="开机后黑屏,指示灯不亮",
        occurred_at=at.subtract(minutes=30),
        by="接线员",
        ticket_id=ticket_id,
        at=at,
    )


PLAN = AssignmentPlan(RoundRobin(), team="上海总部", channel_teams={"service_outlet": "广州网点"})


# -- intake -----------------------------------------------------------------------------


def test_intake_assigns_in_the_same_save_and_records_the_reason() -> None:
    store = _example(MemoryStore())
    ticket = _open(_desk(store, MONDAY, PLAN), MONDAY, ticket_id="T1")
    assert [type(e) for e in store.history("T1")] == [TicketOpened, Assigned]
    assert store.get("T1") == ticket
    assigned = ticket.history[-1]
    assert assigned.by == "接线员"
    assert assigned.at == MONDAY
    # 张工 is on leave: 李工 is the first of the others by name
    assert ticket.assignee == "李工"
    assert (
        assigned.reason
        == "team '上海总部': round robin: 李工 holds no open ticket (the longest ago)"
    )
    assert [position for position, _ in store.events_since(0)] == [1, 2]


@pytest.mark.parametrize(
    ("at", "channel", "assignee", "reason_ends"),
    [
        (MONDAY, "phone", "李工", "(the longest ago)"),
        (MONDAY.add(weeks=1), "phone", "张工", "(the longest ago)"),  # back from leave
        (MONDAY.replace(hour=12, minute=30), "phone", "上海值班主管", "; the team's fallback"),
        (MONDAY.replace(hour=13, minute=30), "phone", "李工", "(the longest ago)"),
        (SATURDAY, "phone", "上海值班主管", "; the team's fallback"),
        (SATURDAY, "service_outlet", "林工", "(the longest ago)"),  # the outlet opens on Saturdays
        (SATURDAY.replace(hour=12, minute=30), "service_outlet", "接线员", "; not assigned"),
        (pendulum.datetime(2026, 10, 3, 10, tz=SH), "service_outlet", "接线员", "; not assigned"),
    ],
)
def test_working_hours_and_absences_decide_who_is_at_work(
    at: pendulum.DateTime, channel: str, assignee: str, reason_ends: str
) -> None:
    ticket = _open(_desk(_example(MemoryStore()), at, PLAN), at, channel=channel)
    assert ticket.assignee == assignee
    last = ticket.history[-1]
    if assignee == "接线员":  # nobody at work, no fallback: the handler keeps it, a note says why
        assert isinstance(last, NoteAdded)
        assert last.text.startswith("team '广州网点': nobody at work (")
        assert last.text.endswith(reason_ends)
    else:
        assert isinstance(last, Assigned)
        assert last.reason is not None
        assert last.reason.endswith(reason_ends)


def test_a_saturday_at_the_head_office_without_fallback_leaves_the_handler_and_a_note() -> None:
    store = _example(MemoryStore(), fallback=False)
    ticket = _open(_desk(store, SATURDAY, PLAN), SATURDAY)
    assert ticket.assignee == "接线员"
    assert ticket.history[-1] == NoteAdded(
        ticket_id=ticket.id,
        seq=2,
        at=SATURDAY,
        by="接线员",
        text="team '上海总部': nobody at work (2026-03-07T02:00:00+00:00 is outside the working"
        " hours of calendar '上海总部'); not assigned",
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(1, 24),
    st.lists(st.sampled_from(["王工", "李工", "张工", "陈工", "Alice"]), min_size=1, unique=True),
)
def test_round_robin_shares_tickets_evenly_among_the_members_at_work(
    count: int, names: list[str]
) -> None:
    store = MemoryStore()
    store.save_calendar("热线", HOTLINE)
    store.save_team(Team("热线", "热线", [Member(n) for n in names]))
    desk = _desk(store, MONDAY.add(minutes=count), AssignmentPlan(RoundRobin(), team="热线"))
    assignees = [_open(desk, MONDAY.add(minutes=i)).assignee for i in range(count)]
    counts = Counter(assignees)
    assert set(counts) <= set(names)
    assert sum(counts.values()) == count
    assert max(counts.values()) - min(counts.get(n, 0) for n in names) <= 1
    # tickets arriving one by one go round the team in name order
    assert assignees == [sorted(names)[i % len(names)] for i in range(count)]


def test_least_open_counts_the_open_tickets_each_member_holds() -> None:
    store = MemoryStore()
    store.save_calendar("热线", HOTLINE)
    store.save_team(Team("热线", "热线", [Member("王工"), Member("李工")]))
    desk = _desk(store, MONDAY.add(hours=1), AssignmentPlan(LeastOpen(), team="热线"))
    first = _open(desk, MONDAY)
    assert first.assignee == "李工"  # none open: the first by name
    desk.assign(first.id, by="主管", assignee="王工", at=MONDAY.add(minutes=1))
    second = _open(desk, MONDAY.add(minutes=2))
    assert second.assignee == "李工"  # 王工 holds one, 李工 none
    third = _open(desk, MONDAY.add(minutes=3))
    assert third.assignee == "李工"  # one each: the first by name
    assert third.history[-1].reason == "team '热线': least open: 李工 holds 1 open ticket (fewest)"


def test_by_skill_takes_the_skilled_member_else_the_fallback_rule() -> None:
    plan = AssignmentPlan(BySkill(then=RoundRobin(), otherwise=RoundRobin()), team="上海总部")
    store = _example(MemoryStore())
    desk = _desk(store, MONDAY.add(hours=1), plan)
    quality = _open(desk, MONDAY, category="product_quality")
    assert quality.assignee == "王工"
    assert quality.history[-1].reason == (
        "team '上海总部': by skill product_quality: round robin: 王工 holds no open ticket"
        " (the longest ago)"
    )
    assert _open(desk, MONDAY.add(minutes=1), category="consultation").assignee == "李工"
    # 张工 handles logistics but is on leave: round robin over everyone at work, and
    # 王工 was given a ticket longer ago than 李工
    logistics = _open(desk, MONDAY.add(minutes=2), category="logistics_delay")
    assert logistics.assignee == "王工"
    assert logistics.history[-1].reason == (
        "team '上海总部': no member at work has a skill of 'logistics_delay'; round robin: 王工"
        " was last given one at 2026-03-02T02:00:00+00:00 (the longest ago)"
    )


# -- escalation ---------------------------------------------------------------------------


def test_escalation_hands_the_ticket_to_the_team_of_the_level() -> None:
    store = _example(MemoryStore())
    store.save_team(Team("二线专家", "热线", [Member("专家甲"), Member("专家乙")]))
    plan = attrs.evolve(PLAN, escalation_teams={1: "二线专家"})
    desk = _desk(store, MONDAY.add(hours=1), plan)
    ticket = _open(desk, MONDAY, ticket_id="T1")
    escalated = desk.escalate("T1", by="李工", reason="客户要求主管介入", at=MONDAY.add(minutes=5))
    assert [type(e) for e in escalated.history[-2:]] == [Escalated, Assigned]
    assert escalated.version == ticket.version + 2
    assert store.get("T1") == escalated
    assert escalated.assignee == "专家乙"  # neither was given one: 乙 (U+4E59) sorts before 甲
    assert escalated.history[-1].reason == (
        "team '二线专家': round robin: 专家乙 holds no open ticket (the longest ago)"
    )
    # level 2: the team of the highest level listed up to it, and the other expert this time
    again = desk.escalate("T1", by="专家乙", reason="需要厂家支持", at=MONDAY.add(minutes=9))
    assert again.escalation_level == 2
    assert again.assignee == "专家甲"


def test_an_escalation_below_the_first_listed_level_does_not_reassign() -> None:
    store = _example(MemoryStore())
    store.save_team(Team("经理", "热线", [Member("王经理")]))
    desk = _desk(store, MONDAY.add(hours=1), attrs.evolve(PLAN, escalation_teams={2: "经理"}))
    ticket = _open(desk, MONDAY, ticket_id="T1")
    once = desk.escalate("T1", by="李工", reason="二线", at=MONDAY.add(minutes=1))
    assert once.version == ticket.version + 1
    assert once.assignee == ticket.assignee
    twice = desk.escalate("T1", by="李工", reason="经理", at=MONDAY.add(minutes=2))
    assert twice.assignee == "王经理"


# -- refusals -----------------------------------------------------------------------------


def test_an_unknown_team_is_refused_listing_the_stored_ones_and_nothing_is_written() -> None:
    store = _example(MemoryStore())
    desk = _desk(store, MONDAY, AssignmentPlan(RoundRobin(), team="北京分部"))
    with pytest.raises(UnknownValue) as raised:
        _open(desk, MONDAY, ticket_id="T1")
    assert str(raised.value) == (
        "assignment.team: '北京分部' is not a known value; accepted: '上海总部', '广州网点'"
    )
    assert store.count(TicketQuery()) == 0
    assert list(store.events_since(0)) == []


def test_an_unknown_escalation_team_refuses_the_escalation_and_keeps_the_ticket() -> None:
    store = _example(MemoryStore())
    desk = _desk(store, MONDAY.add(hours=1), attrs.evolve(PLAN, escalation_teams={1: "二线"}))
    ticket = _open(desk, MONDAY, ticket_id="T1")
    with pytest.raises(UnknownValue, match=r"assignment\.escalation_teams: '二线'"):
        desk.escalate("T1", by="李工", reason="r", at=MONDAY.add(minutes=1))
    assert store.get("T1") == ticket


@pytest.mark.parametrize(
    ("build", "path"),
    [
        (lambda: AssignmentPlan("round robin", team="t"), "rule"),  # type: ignore[arg-type]
        (lambda: AssignmentPlan(RoundRobin(), team=""), "team"),
        (lambda: AssignmentPlan(RoundRobin(), team="t", channel_teams=["phone"]), "channel_teams"),
        (
            lambda: AssignmentPlan(RoundRobin(), team="t", channel_teams={"phone": " t"}),
            "channel_teams['phone']",
        ),
        (
            lambda: AssignmentPlan(RoundRobin(), team="t", escalation_teams={0: "t"}),
            "escalation_teams[0]",
        ),
        (
            lambda: AssignmentPlan(RoundRobin(), team="t", escalation_teams={"1": "t"}),
            "escalation_teams['1']",
        ),
        (lambda: ServiceDesk(assignment="上海总部"), "assignment"),  # type: ignore[arg-type]
    ],
)
def test_a_bad_plan_is_refused_naming_it(build: Any, path: str) -> None:
    with pytest.raises(InvalidData) as raised:
        build()
    assert path in dict(raised.value.problems), raised.value.problems
    assert "accepted" in str(raised.value)


# -- the Assigned event's reason, and old texts ---------------------------------------------

#: An assignment as every version before the reason wrote it (checked against the last commit).
OLD_ASSIGNED = (
    '{"schema_version": 1, "ticket_id": "T1", "seq": 2, "at": "2026-03-02T02:00:00+00:00",'
    ' "by": "接线员", "assignee": "李工", "type": "assigned"}'
)


def test_an_assignment_stored_before_the_reason_reads_back_and_is_written_alike() -> None:
    for read in (
        lambda: from_json(TicketEvent, OLD_ASSIGNED),
        lambda: trusted_event_from_json(OLD_ASSIGNED),
    ):
        event = read()
        assert isinstance(event, Assigned)
        assert event.reason is None
        assert to_json(event) == OLD_ASSIGNED
        assert event_text(event) == OLD_ASSIGNED


def test_an_assignment_with_its_reason_round_trips_through_every_stored_form() -> None:
    event = Assigned(ticket_id="T1", seq=2, at=MONDAY, by="接线员", assignee="李工", reason="轮流")
    text = to_json(event)
    assert text == OLD_ASSIGNED.replace('"type"', '"reason": "轮流", "type"')
    assert event_text(event) == text
    assert from_json(TicketEvent, text) == event
    assert trusted_event_from_json(text) == event


# -- the SQL stores ---------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgres"])
def sql_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "sqlite":
        with SQLiteStore(tmp_path / "desk.db") as store:
            yield store
        return
    from aftersales.storage.postgres import PostgresStore
    from tests.storage.test_postgres import _reset

    dsn = request.getfixturevalue("postgres_dsn")
    _reset(dsn)
    with PostgresStore(dsn, max_size=2) as store:
        yield store


def test_intake_and_escalation_assign_on_the_sql_stores(sql_store: Any) -> None:
    store = _example(sql_store)
    store.save_team(Team("二线专家", "热线", [Member("专家甲")]))
    desk = _desk(store, MONDAY.add(hours=1), attrs.evolve(PLAN, escalation_teams={1: "二线专家"}))
    _open(desk, MONDAY, ticket_id="T1")
    second = _open(desk, MONDAY.add(minutes=1), ticket_id="T2")
    assert second.assignee == "王工"  # 李工 holds T1 now
    desk.escalate("T1", by="李工", reason="升级", at=MONDAY.add(minutes=2))
    stored = store.get("T1")
    assert stored.assignee == "专家甲"
    assert [e.reason for e in stored.history if isinstance(e, Assigned)] == [
        "team '上海总部': round robin: 李工 holds no open ticket (the longest ago)",
        "team '二线专家': round robin: 专家甲 holds no open ticket (the longest ago)",
    ]
    assert store.check_integrity() == []
