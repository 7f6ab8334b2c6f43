"""Sub-statuses (issue 18): the field, ``set_substatus`` at the desk, storage, time in sub-statuses.

The expected figures are worked out by hand from the fixture's times (a
working day of 9:00–17:00, Monday to Friday), not read from the code.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales import (
    Channel,
    FixedClock,
    InvalidData,
    InvalidTransition,
    MemoryStore,
    Priority,
    ProblemCategory,
    ServiceDesk,
    SlaPolicy,
    SolutionStep,
    SQLiteStore,
    Ticket,
    TicketQuery,
    TicketStatus,
    UnknownValue,
    WorkCalendar,
)
from aftersales.errors import SubstatusNotAllowed
from aftersales.kpi import Period, ServiceKpis, SubstatusWaits
from aftersales.model.events import (
    Acknowledged,
    Cancelled,
    CustomerAgreed,
    ExecutionFinished,
    SolutionProposed,
    SubstatusSet,
    TicketEvent,
    TicketOpened,
)
from aftersales.model.substatus import AFTER_SALES_SUBSTATUSES, SubStatuses
from aftersales.readmodel.projection import Projector
from aftersales.readmodel.reading import FactsRequest
from aftersales.reports import monthly
from aftersales.serialization import from_json, parse_json, to_json
from aftersales.testing.samples import sample_ticket
from aftersales.testing.strategies import event_histories
from aftersales.ticket_snapshot import snapshot_json, ticket_from_snapshot
from aftersales.views import ticket_view
from tests.helpers import START, examples, run_command, ticket_in

TZ = "Asia/Shanghai"
POLICY = SlaPolicy.default(WorkCalendar.always(TZ)).with_options(
    substatuses=AFTER_SALES_SUBSTATUSES
)


@pytest.fixture(params=["memory", "sqlite"])
def desk(request: pytest.FixtureRequest) -> Iterator[ServiceDesk]:
    store: Any = MemoryStore() if request.param == "memory" else SQLiteStore(":memory:")
    yield ServiceDesk(store, clock=FixedClock(START), sla=POLICY)
    if request.param == "sqlite":
        store.close()


# -- the desk ---------------------------------------------------------------------------------


def test_a_label_is_recorded_as_its_code_and_none_clears_it(desk: ServiceDesk) -> None:
    ticket_in(desk, TicketStatus.IN_PROGRESS)
    waiting = desk.set_substatus("T1", by="备件库", substatus="待备件", reason="缺货")
    assert waiting.substatus == "waiting_parts"
    assert waiting.status is TicketStatus.IN_PROGRESS
    assert waiting.history[-1].substatus == "waiting_parts"
    assert waiting.history[-1].reason == "缺货"
    assert desk.find(substatus="waiting_parts") == [waiting]
    other = desk.set_substatus(
        "T1", by="备件库", substatus="waiting for the customer to send the product"
    )
    assert other.substatus == "waiting_customer_return"
    cleared = desk.execute("set_substatus", "T1", {"substatus": None}, by="备件库")
    assert cleared.substatus is None
    assert desk.find(substatus="waiting_customer_return") == []
    assert Ticket.replay(cleared.history) == cleared == desk.get("T1")


def _stored(desk: ServiceDesk) -> tuple[Any, ...]:
    """Everything the desk's store holds of the tickets: tickets, histories, queries, facts."""
    store: Any = desk.store
    tickets = store.find(TicketQuery())
    return (
        [to_json(t) for t in tickets],
        [list(store.history(t.id)) for t in tickets],
        [
            [t.id for t in store.find(TicketQuery(substatus=s.code))]
            for s in AFTER_SALES_SUBSTATUSES
        ],
        list(store.find_facts()),
    )


#: (status the ticket is in, sub-status it has, the value given, the error, words of its message)
REFUSALS = [
    (TicketStatus.IN_PROGRESS, None, "waiting_prts", UnknownValue,
     ["'waiting_prts' is not a known value", "'waiting_parts'", "None"]),
    (TicketStatus.IN_PROGRESS, None, "待厂家", SubstatusNotAllowed,
     ["'waiting_manufacturer' (待厂家) is declared under analysing, not under in_progress", "ticket 'T1'",
      "accepted: 'waiting_parts', 'waiting_customer_return'"]),
    (TicketStatus.IN_PROGRESS, "waiting_parts", "waiting_manufacturer", SubstatusNotAllowed,
     ["accepted: 'waiting_customer_return', None"]),
    (TicketStatus.RECEIVED, None, "waiting_parts", SubstatusNotAllowed,
     ["not under received", "accepted: nothing, no sub-status is declared under received"]),
    (TicketStatus.IN_PROGRESS, "waiting_parts", "待备件", InvalidData,
     ["'waiting_parts' is what the ticket has", "another sub-status code, or None"]),
    (TicketStatus.ANALYSING, None, None, InvalidData,
     ["None is what the ticket has (no sub-status)", "accepted: another sub-status code"]),
    (TicketStatus.IN_PROGRESS, None, 5, UnknownValue, ["5 is not a known value"]),
    (TicketStatus.IN_PROGRESS, None, "waiting parts!", UnknownValue, ["'waiting parts!'"]),
    (TicketStatus.CLOSED, None, "waiting_parts", InvalidTransition,
     ["'set_substatus' is not allowed there"]),
    (TicketStatus.CANCELLED, None, "待厂家", InvalidTransition, ["is cancelled"]),
]  # fmt: skip


@pytest.mark.parametrize(("status", "current", "value", "error", "words"), REFUSALS)
def test_a_refused_substatus_names_the_value_and_what_is_accepted_and_writes_nothing(
    desk: ServiceDesk,
    status: TicketStatus,
    current: str | None,
    value: Any,
    error: type[Exception],
    words: list[str],
) -> None:
    ticket_in(desk, status)
    if current is not None:
        desk.set_substatus("T1", by="李工", substatus=current)
    before = _stored(desk)
    for call in (
        lambda: desk.set_substatus("T1", by="李工", substatus=value),
        lambda: desk.execute("set_substatus", "T1", {"substatus": value}, by="李工"),
    ):
        with pytest.raises(error) as raised:
            call()
        assert type(raised.value) is error
        for word in words:
            assert word in str(raised.value)
        assert _stored(desk) == before


def test_the_refusal_is_an_invalid_data_that_carries_its_parts() -> None:
    desk = ServiceDesk(clock=FixedClock(START), sla=POLICY)
    ticket_in(desk, TicketStatus.ANALYSING)
    with pytest.raises(ValueError) as raised:
        desk.set_substatus("T1", by="李工", substatus="待备件")
    error = raised.value
    assert isinstance(error, SubstatusNotAllowed)
    assert isinstance(error, InvalidData)
    assert (error.value, error.ticket_id, error.status) == ("waiting_parts", "T1", "analysing")
    assert error.accepted == ("waiting_manufacturer",)
    assert error.problems[0][0] == "substatus"


def test_a_desk_without_a_policy_has_the_after_sales_substatuses_and_none_means_none() -> None:
    desk = ServiceDesk(clock=FixedClock(START))
    ticket_in(desk, TicketStatus.IN_PROGRESS)
    assert desk.set_substatus("T1", by="李工", substatus="待备件").substatus == "waiting_parts"
    desk.set_substatus("T1", by="李工", substatus=None)
    none = SlaPolicy.default(WorkCalendar.always(TZ)).with_options(substatuses=SubStatuses())
    empty = ServiceDesk(clock=FixedClock(START), sla=none)
    empty.store.save(desk.get("T1"), expected_version=0)
    with pytest.raises(UnknownValue, match=r"accepted: None$"):
        empty.set_substatus("T1", by="李工", substatus="待备件")


# -- the model: a change of status clears it ---------------------------------------------------


def _waiting(desk: ServiceDesk) -> Ticket:
    ticket_in(desk, TicketStatus.IN_PROGRESS)
    return desk.set_substatus("T1", by="李工", substatus="waiting_parts")


@pytest.mark.parametrize(
    ("command", "status"),
    [
        ("finish_execution", TicketStatus.AWAITING_VISIT),
        ("report_new_problem", TicketStatus.ANALYSING),
        ("cancel", TicketStatus.CANCELLED),
    ],
)
def test_a_step_that_changes_the_status_clears_the_substatus(
    desk: ServiceDesk, command: str, status: TicketStatus
) -> None:
    _waiting(desk)
    after = run_command(desk, "T1", command)
    assert (after.status, after.substatus) == (status, None)
    assert desk.find(substatus="waiting_parts") == []


@pytest.mark.parametrize(
    "command", ["record_progress", "escalate", "add_note", "book_onsite_visit", "assign"]
)
def test_a_command_that_keeps_the_status_keeps_the_substatus(
    desk: ServiceDesk, command: str
) -> None:
    _waiting(desk)
    assert run_command(desk, "T1", command).substatus == "waiting_parts"


def _reference_substatus(history: list[TicketEvent]) -> list[str | None]:
    """After each event: the value of the last ``set_substatus`` since the status last changed."""
    found: list[str | None] = []
    current: str | None = None
    ticket = Ticket.replay(history[:1])
    status = ticket.status
    for event in history[1:]:
        ticket = ticket.apply(event)
        if isinstance(event, SubstatusSet):
            current = event.substatus
        elif ticket.status is not status:
            current = None
        status = ticket.status
        found.append(current)
    return [None, *found]


@settings(max_examples=examples(2.0), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=event_histories(max_events=30))
def test_for_all_histories_the_substatus_is_the_last_one_set_since_the_status_changed(
    history: list[TicketEvent],
) -> None:
    expected = _reference_substatus(history)
    ticket = Ticket.replay(history[:1])
    folded = [ticket.substatus]
    for event in history[1:]:
        ticket = ticket.apply(event)
        folded.append(ticket.substatus)
    assert folded == expected
    assert Ticket.replay(history).substatus == expected[-1]


# -- stored forms ------------------------------------------------------------------------------

#: The snapshot of the sample ticket's first four events as this library wrote it before
#: sub-statuses existed (written by the release before them): no ``substatus`` key.
OLD_SNAPSHOT = (
    '{"snapshot_version": 1, "id": "T202405001", "version": 4, "status": "awaiting_confirmation",'
    ' "customer_id": "C202405001", "customer_name": "XX科技有限公司", "contact": {"name": "张先生",'
    ' "phone": "13812345678", "email": null, "role": "行政主管"}, "purchase": {"product":'
    ' {"model": "A型智能办公设备", "name": null}, "purchased_on": "2024-03-15", "serial_number":'
    ' "SN-A2403-0158", "order_number": null, "warranty_months": 12, "extended_months": 0},'
    ' "channel": "phone", "category": "product_quality", "demands": ["repair"], "priority":'
    ' "urgent", "description": "设备开机后频繁死机,约每小时一次,重启后可短暂恢复", "impact":'
    ' "行政部 3 台设备中 1 台受影响,打印与扫描业务中断", "customer_words":'
    ' "每天死机好几次,严重影响办公", "occurred_at": "2024-05-10T06:30:00+00:00", "received_at":'
    ' "2024-05-10T06:45:00+00:00", "handler": "李工", "assignee": "李工", "escalation_level": 0,'
    ' "first_response_at": "2024-05-10T06:50:00+00:00", "first_resolved_at": null,'
    ' "resolved_at": null, "closed_at": null, "cancelled_at": null, "reopen_count": 0,'
    ' "resolved_on_first_contact": false, "updated_at": "2024-05-10T08:40:00+00:00",'
    ' "statuses": "received analysing analysing awaiting_confirmation"}'
)


def test_a_snapshot_written_before_substatuses_reads_as_none_and_is_written_alike() -> None:
    history = sample_ticket().history[:4]
    old = ticket_from_snapshot(parse_json(OLD_SNAPSHOT), history)
    assert old.substatus is None
    assert old == Ticket.replay(history)
    assert snapshot_json(old) == OLD_SNAPSHOT  # no sub-status: the very text as before


def test_a_ticket_with_a_substatus_round_trips_through_every_stored_form() -> None:
    ticket = _ticket_at(pendulum.datetime(2026, 10, 12, 9, tz=TZ), "R1", in_progress=True)
    ticket = _set(ticket, pendulum.datetime(2026, 10, 12, 10, tz=TZ), "waiting_parts")
    text = snapshot_json(ticket)
    assert '"substatus": "waiting_parts"' in text
    assert ticket_from_snapshot(parse_json(text), ticket.history) == ticket
    event = ticket.history[-1]
    assert from_json(TicketEvent, to_json(event)) == event
    assert parse_json(to_json(event))["type"] == "substatus_set"
    assert from_json(Ticket, to_json(ticket)) == ticket
    view = ticket_view(ticket)
    assert (view["substatus"], view["substatus_label_zh"]) == ("waiting_parts", "waiting_parts")
    labelled = ticket_view(ticket, substatuses=AFTER_SALES_SUBSTATUSES)
    assert (labelled["substatus_label_zh"], labelled["substatus_label_en"]) == (
        "待备件",
        "waiting for spare parts",
    )
    assert (
        ticket_view(sample_ticket(), substatuses=AFTER_SALES_SUBSTATUSES)["substatus_label_zh"]
        is None
    )


# -- time in sub-statuses: a fixture worked out by hand ----------------------------------------

#: Monday to Friday, 9:00 to 17:00.
CALENDAR = WorkCalendar(TZ, dict.fromkeys(range(5), (("09:00", "17:00"),)))
KPI_POLICY = SlaPolicy.default(CALENDAR).with_options(substatuses=AFTER_SALES_SUBSTATUSES)
OCTOBER = Period.parse("2026-10", TZ)


def _at(day: int, hour: int) -> pendulum.DateTime:
    return pendulum.datetime(2026, 10, day, hour, tz=TZ)


def _ticket_at(at: pendulum.DateTime, ticket_id: str, *, in_progress: bool) -> Ticket:
    opened = TicketOpened(
        ticket_id=ticket_id, seq=1, at=at, by="李工", customer_id="C1", customer_name="XX科技",
        channel=Channel.PHONE, category=ProblemCategory.PRODUCT_QUALITY,
        occurred_at=at.subtract(hours=1), description="研磨电机停转", priority=Priority.GENERAL,
    )  # fmt: skip
    ticket = Ticket.replay([opened])
    ticket = ticket.apply(ticket.new_event(Acknowledged, by="李工", at=at))
    if in_progress:
        step = SolutionStep("更换电机", "王工", at.add(days=5))
        ticket = ticket.apply(
            ticket.new_event(SolutionProposed, by="李工", at=at, summary="更换", steps=(step,))
        )
        ticket = ticket.apply(ticket.new_event(CustomerAgreed, by="李工", at=at, words="好"))
    return ticket


def _set(ticket: Ticket, at: pendulum.DateTime, code: str | None) -> Ticket:
    return ticket.apply(ticket.new_event(SubstatusSet, by="备件库", at=at, substatus=code))


def _then(
    ticket: Ticket, at: pendulum.DateTime, event: type[TicketEvent], **payload: Any
) -> Ticket:
    return ticket.apply(ticket.new_event(event, by="李工", at=at, **payload))


def _fixture() -> list[Ticket]:
    """October 2026 (the 12th is a Monday); hours of 9:00–17:00 working time."""
    t1 = _ticket_at(_at(12, 9), "K1", in_progress=True)  # Mon 10:00 → Tue 11:00: 7 + 2 = 9 h
    t1 = _set(_set(t1, _at(12, 10), "waiting_parts"), _at(13, 11), None)  # 25 h of calendar time
    t2 = _ticket_at(_at(12, 9), "K2", in_progress=True)  # 1 h, then 3 h: 4 h either way
    t2 = _set(_set(t2, _at(12, 14), "waiting_parts"), _at(12, 15), None)
    t2 = _set(t2, _at(14, 9), "waiting_parts")
    t2 = _then(t2, _at(14, 12), ExecutionFinished, summary="已更换")  # leaving the status ends it
    t3 = _ticket_at(_at(15, 9), "K3", in_progress=True)  # still waiting when October ends
    t3 = _set(t3, _at(15, 10), "waiting_parts")
    t4 = _ticket_at(_at(12, 9), "K4", in_progress=False)  # Mon 9:00 → 13:00: 4 h, 4 h
    t4 = _set(t4, _at(12, 9), "waiting_manufacturer")
    step = SolutionStep("返厂维修", "王工", _at(20, 9))
    t4 = _then(t4, _at(12, 13), SolutionProposed, summary="返厂", steps=(step,))
    t5 = _ticket_at(_at(13, 9), "K5", in_progress=True)  # cancelled: in no figure
    t5 = _then(_set(t5, _at(13, 10), "waiting_parts"), _at(13, 12), Cancelled, reason="重复")
    t6 = _ticket_at(pendulum.datetime(2026, 9, 30, 9, tz=TZ), "K6", in_progress=True)
    t6 = _set(_set(t6, _at(12, 9), "waiting_parts"), _at(12, 16), None)  # received in September
    return [t1, t2, t3, t4, t5, t6]


HOUR = timedelta(hours=1)


def _check_october(figures: Any) -> None:
    manufacturer, parts = figures.substatuses
    assert (parts.substatus, parts.entered, parts.waiting) == ("waiting_parts", 3, 1)
    assert (parts.working.count, parts.working.mean, parts.working.median) == (
        2,
        6.5 * HOUR,
        6.5 * HOUR,
    )
    assert (parts.calendar.mean, parts.calendar.median) == (14.5 * HOUR, 14.5 * HOUR)
    assert (parts.working_total, parts.calendar_total) == (13 * HOUR, 29 * HOUR)
    assert (manufacturer.substatus, manufacturer.entered, manufacturer.waiting) == (
        "waiting_manufacturer", 1, 0,
    )  # fmt: skip
    assert (manufacturer.working.mean, manufacturer.calendar.mean) == (4 * HOUR, 4 * HOUR)


def test_time_in_substatuses_by_replay_matches_the_hand_worked_figures() -> None:
    kpis = ServiceKpis(OCTOBER, CALENDAR, policy=KPI_POLICY)
    for ticket in _fixture():
        kpis.add(ticket)
    figures = kpis.result()
    _check_october(figures)
    data = figures.to_dict()["substatuses"][1]
    assert data["substatus"] == "waiting_parts"
    assert (data["working_total"], data["working"]["median"]) == (13 * 3600.0, 6.5 * 3600.0)


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def facts_store(request: pytest.FixtureRequest) -> Iterator[Any]:
    if request.param == "memory":
        yield MemoryStore()
        return
    if request.param == "sqlite":
        with SQLiteStore(":memory:") as store:
            yield store
        return
    dsn = request.getfixturevalue("postgres_dsn")
    from aftersales.storage.postgres import PostgresStore
    from tests.storage.test_postgres import _reset

    _reset(dsn)
    with PostgresStore(dsn) as store:
        yield store


def test_each_store_reads_the_same_time_in_substatuses_from_its_facts(facts_store: Any) -> None:
    projector = Projector(KPI_POLICY, CALENDAR)
    for ticket in _fixture():
        facts_store.save(ticket, expected_version=0, projection=projector.project(ticket))
    kpis = ServiceKpis(OCTOBER, CALENDAR, policy=KPI_POLICY)
    reading = facts_store.read_facts(FactsRequest.of(kpis))
    assert reading.summary is not None  # read from the facts: nothing replayed
    assert (reading.fallback, reading.missing) == ((), ())
    kpis.absorb(reading.summary)
    _check_october(kpis.result())
    stays = {f.ticket_id: f.substatus_spans for f in facts_store.find_facts()}
    assert [(s.substatus, s.work_us) for s in stays["K1"]] == [("waiting_parts", 9 * 3600 * 10**6)]
    assert (stays["K3"][0].ended_us, stays["K3"][0].work_us) == (None, None)
    report = monthly(facts_store, OCTOBER, calendar=CALENDAR, policy=KPI_POLICY, at=OCTOBER.end)
    _check_october(report.figures)
    markdown = report.to_markdown(lang="zh")
    assert "子状态等待时长" in markdown
    assert "| 待备件 | 3 | 1 | 13.00 小时 | 6.50 小时 | 6.50 小时 | 14.50 小时 |" in markdown
    assert "| 待厂家 | 1 | 0 | 4.00 小时 | 4.00 小时 | 4.00 小时 | 4.00 小时 |" in markdown
    english = report.to_markdown(lang="en")
    assert "Time in sub-statuses" in english
    assert "| waiting for spare parts | 3 | 1 |" in english


def test_a_month_without_substatuses_has_no_such_table_and_codes_show_without_a_policy() -> None:
    plain = monthly([sample_ticket()], "2024-05", calendar=CALENDAR)
    assert plain.figures.substatuses == ()
    assert "子状态等待时长" not in plain.to_markdown(lang="zh")
    coded = monthly(_fixture(), OCTOBER, calendar=CALENDAR, at=OCTOBER.end)
    assert "| waiting\\_parts | 3 | 1 | 13.00 小时 |" in coded.to_markdown(lang="zh")  # escaped


_ROWS = st.lists(
    st.tuples(
        st.sampled_from(["waiting_parts", "waiting_manufacturer", "x.y"]),
        st.integers(0, 3),
        st.integers(0, 10**12),
        st.integers(0, 10**12),
        st.booleans(),
    ),
    max_size=3,
    unique_by=lambda row: row[0],
)


@settings(max_examples=examples(2.0), deadline=None)
@given(tickets=st.lists(_ROWS, max_size=12), cuts=st.lists(st.integers(0, 12), max_size=4))
def test_merging_partitions_in_any_order_gives_the_one_pass_figures(
    tickets: list[list[tuple[str, int, int, int, bool]]], cuts: list[int]
) -> None:
    whole = SubstatusWaits()
    for rows in tickets:
        whole.add(rows)
    bounds = sorted({0, len(tickets), *(min(c, len(tickets)) for c in cuts)})
    parts = []
    for low, high in itertools.pairwise(bounds):
        part = SubstatusWaits()
        for rows in tickets[low:high]:
            part.add(rows)
        parts.append(part)
    merged = SubstatusWaits()
    for part in reversed(parts):
        merged = part.merge(merged)
    assert merged.result() == whole.result()
    entered = {code for rows in tickets for code, *_ in rows}
    assert [f.substatus for f in whole.result()] == sorted(entered)
    for figure in whole.result():
        mine = [row for rows in tickets for row in rows if row[0] == figure.substatus]
        assert figure.entered == len(mine)
        assert figure.waiting == sum(row[4] for row in mine)
        assert figure.working_total == timedelta(microseconds=sum(r[2] for r in mine if r[1]))
