"""Priority levels (issue 18): a company's own scale, the level on tickets, the policy's default.

The scale's levels are recorded beside the seed priority they report as; a
three-level store writes exactly the events and snapshots it wrote before
levels existed (the expected texts below were written by the code before this
change), and reads them back unchanged.
"""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales import (
    Customer,
    FixedClock,
    IntakeFacts,
    InvalidData,
    MemoryStore,
    Priority,
    ServiceDesk,
    SlaPolicy,
    Ticket,
    UnknownValue,
    WorkCalendar,
)
from aftersales.api.open_request import open_request_schema, open_ticket, read_open_request
from aftersales.cli._ticket_text import render_ticket
from aftersales.errors import MissingPriority
from aftersales.model.events import PriorityChanged, TicketEvent, TicketOpened
from aftersales.priority import DEFAULT_PRIORITY_RULES
from aftersales.priority_levels import PriorityLevel, PriorityScale
from aftersales.reports import monthly
from aftersales.serialization import from_dict, from_json, parse_json, to_dict, to_json
from aftersales.serialization_trusted import trusted_event_from_json
from aftersales.testing.strategies import priority_scales, tickets
from aftersales.ticket_snapshot import snapshot_json, ticket_from_snapshot
from aftersales.trusted_text import event_text
from aftersales.views import event_view, ticket_view
from tests.helpers import START

CAL = WorkCalendar.always("Asia/Shanghai")
FOUR = PriorityScale.four_levels()
SOME = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _desk(
    scale: PriorityScale | None = None,
    *,
    default: str | None = None,
    rules: Any = DEFAULT_PRIORITY_RULES,
    policy: bool = True,
) -> ServiceDesk:
    sla = SlaPolicy.default(CAL).with_options(priority_scale=scale, default_priority=default)
    return ServiceDesk(
        MemoryStore(), clock=FixedClock(START), sla=sla if policy else None, priority_rules=rules
    )


def _open(desk: ServiceDesk, ticket_id: str = "T1", **fields: Any) -> Ticket:
    return desk.open_ticket(
        customer=Customer(id="C1", name="XX科技"),
        channel="phone",
        category="product_quality",
        description="开机后黑屏",
        occurred_at=START.subtract(minutes=15),
        by="李工",
        ticket_id=ticket_id,
        **fields,
    )


def _names(level: PriorityLevel) -> st.SearchStrategy[str]:
    """A level named as a caller may name it: its code or one of its labels."""
    return st.sampled_from([level.code, level.label_zh, level.label_en])


# -- the level a ticket records -------------------------------------------------------------


@SOME
@given(scale=priority_scales(), data=st.data())
def test_any_level_is_recorded_as_its_seed_and_the_rank_order_is_kept(
    scale: PriorityScale, data: st.DataObject
) -> None:
    desk = _desk(scale)
    first, second = data.draw(st.lists(st.sampled_from(scale.levels), min_size=2, max_size=2))
    opened = [
        _open(desk, f"T{n}", priority=data.draw(_names(level)))
        for n, level in enumerate((first, second))
    ]
    for ticket, level in zip(opened, (first, second), strict=True):
        assert ticket.priority is level.reports_as
        assert ticket.priority_level == (None if scale.is_seed else level.code)
        assert Ticket.replay(ticket.history) == ticket
        assert from_json(Ticket, to_json(ticket)) == ticket
        assert desk.get(ticket.id) == ticket
    if scale.rank(first) > scale.rank(second):
        assert opened[0].priority >= opened[1].priority


def test_a_seed_priority_stands_for_its_most_urgent_level() -> None:
    desk = _desk(FOUR)
    given_as = {"T1": Priority.IMPORTANT, "T2": "一般", "T3": "general", "T4": "紧急"}
    levels = {tid: _open(desk, tid, priority=p).priority_level for tid, p in given_as.items()}
    assert levels == {"T1": "high", "T2": "medium", "T3": "medium", "T4": "urgent"}


@pytest.mark.parametrize("value", ["normal", "中等", 3, "", Priority, ["high"]])
def test_a_priority_of_no_level_is_refused_naming_the_levels(value: Any) -> None:
    desk = _desk(FOUR)
    with pytest.raises(UnknownValue) as raised:
        _open(desk, priority=value)
    assert raised.value.name == "priority"
    assert raised.value.accepted == ("urgent", "high", "medium", "low")
    assert "'urgent', 'high', 'medium', 'low'" in str(raised.value)
    assert desk.find() == []


def test_the_seeds_scale_takes_no_level_code_of_four() -> None:
    desk = _desk()
    with pytest.raises(UnknownValue, match="'high' is not a known value; accepted: 'urgent'"):
        _open(desk, priority="high")
    assert "T1" not in desk.store


# -- the default priority --------------------------------------------------------------------


@SOME
@given(scale=priority_scales(), data=st.data())
def test_without_rules_a_ticket_without_priority_gets_the_policy_default(
    scale: PriorityScale, data: st.DataObject
) -> None:
    level = data.draw(st.sampled_from(scale.levels))
    desk = _desk(scale, default=data.draw(_names(level)), rules=None)
    ticket = _open(desk, facts=IntakeFacts(safety_hazard=True))  # no rule is consulted
    assert ticket.priority is level.reports_as
    assert ticket.priority_level == (None if scale.is_seed else level.code)
    assert ticket.history[0].priority_reason == "policy default priority"  # type: ignore[attr-defined]
    given_level = data.draw(st.sampled_from(scale.levels))
    explicit = _open(desk, "T2", priority=given_level.code)
    assert explicit.priority is given_level.reports_as
    assert explicit.history[0].priority_reason == ""  # type: ignore[attr-defined]


@pytest.mark.parametrize("policy", [True, False], ids=["policy-without-default", "no-policy"])
def test_without_rules_and_without_a_default_the_ticket_is_refused(policy: bool) -> None:
    desk = _desk(FOUR if policy else None, rules=None, policy=policy)
    with pytest.raises(MissingPriority) as raised:
        _open(desk)
    assert isinstance(raised.value, InvalidData)
    assert raised.value.problems[0][0] == "priority"
    assert "no priority rules (priority_rules=None) and has no default priority" in str(
        raised.value
    )
    assert "default_priority" in str(raised.value)
    assert desk.find() == []
    assert _open(desk, priority="urgent").priority is Priority.URGENT


@pytest.mark.parametrize(
    ("facts", "seed", "level", "reason"),
    [
        (IntakeFacts(product_unusable=True), Priority.URGENT, "urgent", "product unusable"),
        (IntakeFacts(partial_function_affected=True), Priority.IMPORTANT, "high", "part of the"),
        (None, Priority.GENERAL, "medium", "minor issue"),
    ],
)
def test_with_rules_the_rules_decide_and_the_default_is_not_used(
    facts: IntakeFacts | None, seed: Priority, level: str, reason: str
) -> None:
    desk = _desk(FOUR, default="low")
    ticket = _open(desk, facts=facts)
    assert (ticket.priority, ticket.priority_level) == (seed, level)
    assert ticket.history[0].priority_reason.startswith(reason)  # type: ignore[attr-defined]


def test_an_unknown_default_is_refused_by_the_policy() -> None:
    with pytest.raises(UnknownValue, match="'high' is not a known value"):
        SlaPolicy.default(CAL).with_options(default_priority="high")


# -- changing the priority -------------------------------------------------------------------


@SOME
@given(scale=priority_scales(), data=st.data())
def test_a_change_moves_to_any_other_level_and_a_change_to_the_same_is_refused(
    scale: PriorityScale, data: st.DataObject
) -> None:
    desk = _desk(scale)
    start, target = data.draw(st.lists(st.sampled_from(scale.levels), min_size=2, max_size=2))
    before = _open(desk, priority=start.code)
    if start == target:
        with pytest.raises(InvalidData, match="already"):
            desk.change_priority("T1", by="主管", priority=data.draw(_names(target)), reason="复核")
        assert desk.get("T1") == before
        return
    after = desk.change_priority("T1", by="主管", priority=data.draw(_names(target)), reason="复核")
    assert after.priority is target.reports_as
    assert after.priority_level == (None if scale.is_seed else target.code)
    assert isinstance(after.history[-1], PriorityChanged)
    assert Ticket.replay(after.history) == after == desk.get("T1")


def test_a_change_between_two_levels_of_one_seed_keeps_the_seed() -> None:
    desk = _desk(FOUR)
    _open(desk, priority="medium")
    low = desk.change_priority("T1", by="主管", priority="低", reason="不影响生产")
    assert (low.priority, low.priority_level) == (Priority.GENERAL, "low")
    with pytest.raises(InvalidData, match="already at level 'low'"):
        desk.change_priority("T1", by="主管", priority="low", reason="重复")
    with pytest.raises(UnknownValue, match="'normal' is not a known value; accepted: 'urgent'"):
        desk.change_priority("T1", by="主管", priority="normal", reason="x")
    assert desk.get("T1") == low


def test_execute_takes_a_level_by_label_and_refuses_a_level_key() -> None:
    desk = _desk(FOUR)
    _open(desk, priority="low")
    high = desk.execute("change_priority", "T1", {"priority": "高", "reason": "投诉"}, by="主管")
    assert (high.priority, high.priority_level) == (Priority.IMPORTANT, "high")
    payload = {"priority": "urgent", "priority_level": "low", "reason": "x"}
    with pytest.raises(InvalidData) as raised:
        desk.execute("change_priority", "T1", payload, by="主管")
    assert [path for path, _ in raised.value.problems] == ["payload['priority_level']"]
    assert desk.get("T1") == high


def test_a_three_level_ticket_moved_to_a_four_level_desk_takes_a_level() -> None:
    three, four = _desk(), _desk(FOUR)
    old = _open(three, priority="general")
    four.store.save(old, expected_version=0)
    low = four.change_priority("T1", by="主管", priority="low", reason="重新定级")
    assert (low.priority, low.priority_level) == (Priority.GENERAL, "low")


# -- what a three-level store writes, and what it wrote before --------------------------------

#: Written by the code before priority levels (``git worktree`` of the previous commit):
#: a ticket opened by the rules (important) on a three-level desk, then changed to urgent.
BEFORE_EVENTS = (
    '{"schema_version": 1, "ticket_id": "T1", "seq": 1, "at": "2026-10-09T01:00:00+00:00",'
    ' "by": "李工", "customer_id": "C1", "customer_name": "XX科技", "channel": "phone",'
    ' "category": "product_quality", "occurred_at": "2026-10-09T00:45:00+00:00",'
    ' "description": "开机后黑屏", "priority": "important", "contact": null, "purchase": null,'
    ' "demands": [], "impact": "", "customer_words": "",'
    ' "priority_reason": "part of the function affected", "handler": "李工",'
    ' "type": "ticket_opened"}',
    '{"schema_version": 1, "ticket_id": "T1", "seq": 2, "at": "2026-10-09T01:05:00+00:00",'
    ' "by": "主管", "priority": "urgent", "reason": "影响扩大", "type": "priority_changed"}',
)
BEFORE_SNAPSHOT = (
    '{"snapshot_version": 1, "id": "T1", "version": 2, "status": "received",'
    ' "customer_id": "C1", "customer_name": "XX科技", "contact": null, "purchase": null,'
    ' "channel": "phone", "category": "product_quality", "demands": [], "priority": "urgent",'
    ' "description": "开机后黑屏", "impact": "", "customer_words": "",'
    ' "occurred_at": "2026-10-09T00:45:00+00:00", "received_at": "2026-10-09T01:00:00+00:00",'
    ' "handler": "李工", "assignee": "李工", "escalation_level": 0, "first_response_at": null,'
    ' "first_resolved_at": null, "resolved_at": null, "closed_at": null, "cancelled_at": null,'
    ' "reopen_count": 0, "resolved_on_first_contact": false,'
    ' "updated_at": "2026-10-09T01:05:00+00:00", "statuses": "received received"}'
)


def _three_level_story() -> Ticket:
    desk = _desk()
    _open(desk, facts=IntakeFacts(partial_function_affected=True))
    desk.clock.set(START.add(minutes=5))  # type: ignore[attr-defined]
    return desk.change_priority("T1", by="主管", priority="紧急", reason="影响扩大")


def test_a_three_level_store_writes_the_text_it_wrote_before_levels() -> None:
    ticket = _three_level_story()
    assert tuple(to_json(event) for event in ticket.history) == BEFORE_EVENTS
    assert tuple(event_text(event) for event in ticket.history) == BEFORE_EVENTS
    assert snapshot_json(ticket) == BEFORE_SNAPSHOT


def test_events_and_snapshots_stored_before_levels_read_without_a_level() -> None:
    strict = [from_json(TicketEvent, text) for text in BEFORE_EVENTS]
    trusted = [trusted_event_from_json(text) for text in BEFORE_EVENTS]
    assert strict == trusted
    assert [e.priority_level for e in strict] == [None, None]  # type: ignore[attr-defined]
    snapshot = parse_json(BEFORE_SNAPSHOT)
    ticket = ticket_from_snapshot(snapshot, tuple(strict))
    assert ticket == Ticket.replay(strict) == _three_level_story()
    assert (ticket.priority, ticket.priority_level) == (Priority.URGENT, None)
    fields = {k: v for k, v in snapshot.items() if k not in ("snapshot_version", "statuses")}
    history = [
        {k: v for k, v in parse_json(t).items() if k != "schema_version"} for t in BEFORE_EVENTS
    ]
    stored = {"schema_version": 1, **fields, "history": history}
    assert from_dict(Ticket, stored) == ticket
    assert to_json(ticket) == json.dumps(stored, ensure_ascii=False)


@SOME
@given(ticket=tickets(max_events=12))
def test_a_level_is_written_only_when_set_and_read_back_on_every_path(ticket: Ticket) -> None:
    for event in ticket.history:
        text = to_json(event)
        level = getattr(event, "priority_level", None)
        assert ("priority_level" in parse_json(text)) is (level is not None)
        assert event_text(event) == text
        assert trusted_event_from_json(text) == from_json(TicketEvent, text) == event
    snapshot = snapshot_json(ticket)
    assert ("priority_level" in parse_json(snapshot)) is (ticket.priority_level is not None)
    assert ticket_from_snapshot(parse_json(snapshot), ticket.history) == ticket
    assert from_json(Ticket, to_json(ticket)) == ticket


def test_a_stored_level_that_is_no_identifier_or_disagrees_is_refused() -> None:
    opened = _open(_desk(FOUR), priority="high").history[0]
    data = to_dict(opened)
    with pytest.raises(InvalidData) as raised:
        from_dict(TicketEvent, {**data, "priority_level": "高 级"})
    assert [path for path, _ in raised.value.problems] == ["priority_level"]
    ticket = Ticket.replay([opened])
    with pytest.raises(InvalidData, match="priority_level: 'low' disagrees with the history"):
        from_dict(Ticket, {**to_dict(ticket), "priority_level": "low"})


# -- reports, views, the API body ---------------------------------------------------------------


def test_a_four_level_months_report_counts_high_as_important_and_medium_and_low_as_general() -> (
    None
):
    desk = _desk(FOUR)
    for n, level in enumerate(["urgent", "high", "high", "medium", "low", "低"]):
        _open(desk, f"T{n}", priority=level)
    report = monthly(desk.store, "2026-10", calendar=CAL)
    volumes = dict(report.figures.volumes["priority"])
    assert volumes == {"urgent": 1, "important": 2, "general": 3}
    assert report.value("received") == 6.0


def test_views_show_the_level_and_the_text_its_label() -> None:
    four = _open(_desk(FOUR), priority="high")
    three = _open(_desk(), priority="important")
    assert (ticket_view(four)["priority"], ticket_view(four)["priority_level"]) == (
        "important",
        "high",
    )
    assert ticket_view(three)["priority_level"] is None
    assert (ticket_view(four)["priority_label_zh"], ticket_view(four)["priority_label_en"]) == (
        "高",
        "high",
    )
    assert ticket_view(three)["priority_label_zh"] == "重要"
    vip = PriorityScale([PriorityLevel("high", "特急", "VIP", reports_as=Priority.URGENT)])
    assert ticket_view(four, priority_scale=vip)["priority_label_en"] == "VIP"
    with pytest.raises(InvalidData, match="priority_scale"):
        ticket_view(four, priority_scale="four")  # type: ignore[arg-type]
    assert event_view(four.history[0])["priority_level"] == "high"
    assert event_view(three.history[0])["priority_level"] is None
    assert (four.priority_label(), four.priority_label("en")) == ("高", "high")
    assert three.priority_label() == "重要"
    custom = PriorityScale([PriorityLevel("p1", "一级", "P1", reports_as=Priority.URGENT)])
    assert attrs.evolve(four, priority_level="p1").priority_label("en", custom) == "P1"
    assert attrs.evolve(four, priority_level="p9").priority_label() == "p9"
    assert "  高  " in render_ticket(four).splitlines()[0]
    assert "  high  " in render_ticket(four, lang="en").splitlines()[0]


def test_the_api_opens_a_ticket_at_a_level_of_the_desks_scale() -> None:
    body = {
        "customer": {"id": "C1", "name": "XX科技"},
        "channel": "phone",
        "category": "product_quality",
        "description": "开机死机",
        "occurred_at": "2026-10-09T08:30:00+08:00",
        "priority": "低",
        "ticket_id": "T1",
    }
    ticket = open_ticket(_desk(FOUR), read_open_request(body), by="李工")
    assert (ticket.priority, ticket.priority_level) == (Priority.GENERAL, "low")
    assert open_request_schema()["properties"]["priority"] == {
        "anyOf": [{"type": "string"}, {"type": "null"}]
    }
    with pytest.raises(InvalidData, match="priority"):
        read_open_request({**body, "priority": 2})


@pytest.mark.parametrize("level", ["", "高 级", 3, "x" * 65])
def test_an_event_refuses_a_level_that_is_no_identifier(level: Any) -> None:
    opened = _open(_desk(FOUR), priority="high").history[0]
    assert isinstance(opened, TicketOpened)
    with pytest.raises(InvalidData, match="priority_level"):
        attrs.evolve(opened, priority_level=level)
    with pytest.raises(InvalidData, match="priority_level"):
        PriorityChanged(
            ticket_id="T1",
            seq=2,
            at=START,
            by="主管",
            priority=Priority.GENERAL,
            reason="r",
            priority_level=level,
        )
