"""The service desk: intake, priority rules, concurrency and bad input."""

from __future__ import annotations

import threading
from datetime import datetime

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales import (
    Channel,
    ConcurrencyError,
    Contact,
    Customer,
    DuplicateId,
    FixedClock,
    IntakeFacts,
    InvalidData,
    MemoryStore,
    NaiveDatetimeError,
    NotFound,
    Priority,
    PriorityAssessment,
    ProblemCategory,
    ScoreOutOfRange,
    ServiceDesk,
    Ticket,
    TicketQuery,
    TicketStatus,
    UnknownValue,
    is_complaint,
)
from aftersales.model.events import NoteAdded
from tests.helpers import CUSTOMER, START, open_sample, run_command, ticket_in


def test_intake_records_every_field_of_the_follow_up_record(desk: ServiceDesk) -> None:
    contact = Contact(name="张先生", phone="13812345678")
    customer = Customer(id="C202405001", name="XX科技有限公司", contacts=(contact,))
    ticket = open_sample(
        desk,
        customer=customer,
        customer_words="“打开就黑屏”",
        impact="前台 1 台设备",
        demands=["repair", "compensation"],
        facts=IntakeFacts(product_unusable=True),
    )
    assert ticket.status is TicketStatus.RECEIVED
    assert ticket.contact == contact
    assert ticket.handler == ticket.assignee == "李工"
    assert ticket.priority is Priority.URGENT
    assert ticket.history[0].priority_reason == "product unusable"
    assert [d.code for d in ticket.demands] == ["repair", "compensation"]
    assert ticket.received_at == START
    assert ticket.occurred_at == START.subtract(minutes=15)
    assert ticket.received_at.tzinfo is not None
    assert ticket.close_status.label_zh == "处理中"


def test_a_repeated_unresolved_complaint_is_important(desk: ServiceDesk) -> None:
    first = open_sample(desk, "T1", facts=IntakeFacts(consultation=True))
    assert first.priority is Priority.GENERAL
    second = open_sample(desk, "T2")
    assert second.priority is Priority.IMPORTANT
    assert second.history[0].priority_reason == "repeated complaint still unresolved"
    other_category = open_sample(desk, "T3", category=ProblemCategory.LOGISTICS_DELAY)
    assert other_category.priority is Priority.GENERAL


def test_a_repeat_is_found_whatever_form_the_category_is_given_in(desk: ServiceDesk) -> None:
    # Issue 10: the zh quick start's category="产品质量" used to miss the repeat.
    first = open_sample(desk, "T1", category="产品质量")
    assert first.priority is Priority.GENERAL
    second = open_sample(desk, "T2", category="产品质量")
    assert (second.priority, second.priority.label_zh) == (Priority.IMPORTANT, "重要")
    assert second.history[0].priority_reason == "repeated complaint still unresolved"


def test_consultations_are_not_repeated_complaints(desk: ServiceDesk) -> None:
    # Issue 10: a customer's second open consultation used to be 重要.
    for ticket_id in ("T1", "T2"):
        ticket = open_sample(desk, ticket_id, category=ProblemCategory.CONSULTATION)
        assert ticket.priority.label_zh == "一般"
    for ticket_id in ("T3", "T4"):
        ticket = open_sample(desk, ticket_id, facts=IntakeFacts(consultation=True))
        assert (ticket.priority, ticket.history[0].priority_reason) == (
            Priority.GENERAL,
            "consultation",
        )


def test_only_open_complaints_count_as_prior(desk: ServiceDesk) -> None:
    ticket_in(desk, TicketStatus.CLOSED, "T1")
    assert open_sample(desk, "T2").priority is Priority.GENERAL
    assert open_sample(desk, "T3").priority is Priority.IMPORTANT


@given(st.data())
def test_the_category_form_never_changes_the_priority(data: st.DataObject) -> None:
    category = data.draw(st.sampled_from(ProblemCategory.members()), label="category")
    forms = st.sampled_from([category, category.code, category.label_en, category.label_zh])
    desk = ServiceDesk(clock=FixedClock(START))
    open_sample(desk, "T1", category=data.draw(forms, label="first"))
    second = open_sample(desk, "T2", category=data.draw(forms, label="second"))
    complaint = category != ProblemCategory.CONSULTATION
    assert second.priority is (Priority.IMPORTANT if complaint else Priority.GENERAL)
    assert second.category == category


@given(st.sampled_from(ProblemCategory.members()), st.booleans())
def test_is_complaint_is_false_exactly_for_consultations(
    category: ProblemCategory, consultation: bool
) -> None:
    # a consultation, by category or by intake fact, is never a complaint; all else is
    expected = category != ProblemCategory.CONSULTATION and not consultation
    assert is_complaint(category, consultation=consultation) is expected


def test_a_given_priority_wins_over_the_rules(desk: ServiceDesk) -> None:
    ticket = open_sample(desk, priority="important", facts=IntakeFacts(safety_hazard=True))
    assert ticket.priority is Priority.IMPORTANT


def test_custom_priority_rules_replace_the_defaults(clock: FixedClock) -> None:
    class VipRules:
        def assess(self, facts: IntakeFacts) -> PriorityAssessment:
            return PriorityAssessment(Priority.URGENT, "VIP contract")

    desk = ServiceDesk(clock=clock, priority_rules=VipRules())
    ticket = open_sample(desk, facts=IntakeFacts(consultation=True))
    assert (ticket.priority, ticket.history[0].priority_reason) == (Priority.URGENT, "VIP contract")


def test_commands_are_stamped_by_the_injected_clock(desk: ServiceDesk, clock: FixedClock) -> None:
    open_sample(desk)
    later = clock.advance(minutes=12)
    ticket = desk.acknowledge("T1", by="李工")
    assert ticket.first_response_at == later == ticket.updated_at


def test_back_dating_before_the_last_event_is_refused(desk: ServiceDesk) -> None:
    before = open_sample(desk)
    with pytest.raises(InvalidData, match="before the previous event"):
        desk.acknowledge("T1", by="李工", at=START.subtract(minutes=1))
    assert desk.get("T1") == before


def test_stale_expected_version_raises_and_writes_nothing(desk: ServiceDesk) -> None:
    ticket = ticket_in(desk, TicketStatus.ANALYSING)
    with pytest.raises(ConcurrencyError) as raised:
        desk.add_note("T1", by="李工", text="迟到的备注", expected_version=ticket.version - 1)
    assert (raised.value.expected, raised.value.actual) == (ticket.version - 1, ticket.version)
    assert desk.get("T1") == ticket


def test_a_save_from_a_stale_read_is_refused(desk: ServiceDesk) -> None:
    stale = ticket_in(desk, TicketStatus.ANALYSING)
    fresh = desk.add_note("T1", by="赵工", text="客户来电催促")
    late = stale.apply(stale.new_event(NoteAdded, by="李工", at=stale.updated_at, text="晚到"))
    with pytest.raises(ConcurrencyError):
        desk.store.save(late, expected_version=stale.version)
    assert desk.get("T1") == fresh


def test_concurrent_writers_never_lose_or_duplicate_a_command(clock: FixedClock) -> None:
    store = MemoryStore()
    desk = ServiceDesk(store, clock=clock)
    ticket_in(desk, TicketStatus.ANALYSING)
    accepted: list[str] = []
    refused: list[str] = []
    barrier = threading.Barrier(8)
    lock = threading.Lock()

    def writer(n: int) -> None:
        barrier.wait()
        for i in range(25):
            text = f"writer {n} note {i}"
            try:
                desk.add_note("T1", by=f"agent{n}", text=text)
            except ConcurrencyError:
                with lock:
                    refused.append(text)
            else:
                with lock:
                    accepted.append(text)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = desk.get("T1")
    notes = [note.text for note in stored.notes]
    assert sorted(notes) == sorted(accepted)
    assert len(notes) == len(set(notes))
    assert len(accepted) + len(refused) == 200
    assert Ticket.replay(stored.history) == stored


def test_duplicate_ticket_id_is_refused(desk: ServiceDesk) -> None:
    first = open_sample(desk)
    with pytest.raises(DuplicateId, match="T1"):
        open_sample(desk)
    assert desk.get("T1") == first


def test_unknown_ticket_is_not_found(desk: ServiceDesk) -> None:
    with pytest.raises(NotFound, match="T404"):
        desk.acknowledge("T404", by="李工")


def test_naive_datetimes_are_refused_everywhere(desk: ServiceDesk) -> None:
    naive = datetime(2026, 10, 9, 8, 0)
    with pytest.raises(NaiveDatetimeError, match="occurred_at"):
        open_sample(desk, occurred_at=naive)
    assert "T1" not in desk.store
    open_sample(desk)
    with pytest.raises(NaiveDatetimeError):
        desk.acknowledge("T1", by="李工", at=naive)
    with pytest.raises(NaiveDatetimeError):
        FixedClock(naive)
    assert desk.get("T1").version == 1


def test_unknown_vocabulary_values_are_refused(desk: ServiceDesk) -> None:
    with pytest.raises(UnknownValue) as raised:
        open_sample(desk, channel="phne")
    assert raised.value.value == "phne"
    assert "phone" in raised.value.accepted
    with pytest.raises(UnknownValue):
        open_sample(desk, priority="asap")
    assert len(desk.find()) == 0


def test_out_of_range_scores_are_refused_and_nothing_is_written(desk: ServiceDesk) -> None:
    before = ticket_in(desk, TicketStatus.AWAITING_VISIT)
    for score in (0, 6, True, 4.5):
        with pytest.raises(ScoreOutOfRange) as raised:
            desk.record_visit("T1", by="回访员", resolved=True, score=score)  # type: ignore[arg-type]
        assert raised.value.accepted == (1, 5)
    assert desk.get("T1") == before
    with pytest.raises(ScoreOutOfRange):
        ServiceDesk(visit_threshold=9)


def test_several_bad_fields_are_reported_together(desk: ServiceDesk) -> None:
    with pytest.raises(InvalidData) as raised:
        desk.open_ticket(
            customer=CUSTOMER,
            channel="fax",
            category="weather",
            description="   ",
            occurred_at=START,
            by="李工",
        )
    paths = {path for path, _ in raised.value.problems}
    assert {"channel", "category", "description"} <= paths


def test_occurrence_after_registration_is_refused(desk: ServiceDesk) -> None:
    with pytest.raises(InvalidData, match="occurred_at"):
        open_sample(desk, occurred_at=START.add(hours=1))


def test_company_vocabulary_is_accepted_once_registered(desk: ServiceDesk) -> None:
    with pytest.raises(UnknownValue):
        open_sample(desk, channel="dingtalk")
    Channel.register("dingtalk", "DingTalk", "钉钉")
    ticket = open_sample(desk, channel="dingtalk")
    assert ticket.channel.label_zh == "钉钉"


def test_find_filters_and_pages_in_a_stable_order(desk: ServiceDesk, clock: FixedClock) -> None:
    for n in range(5):
        clock.advance(minutes=1)
        open_sample(desk, f"T{n}", priority=Priority.URGENT if n % 2 else Priority.GENERAL)
    run_command(desk, "T1", "acknowledge")
    urgent = desk.find(priority=Priority.URGENT)
    assert [t.id for t in urgent] == ["T1", "T3"]
    assert [t.id for t in desk.find(status=TicketStatus.ANALYSING)] == ["T1"]
    first_page = desk.find(TicketQuery(limit=2))
    second_page = desk.find(TicketQuery(limit=2, after_id=first_page[-1].id))
    assert [t.id for t in first_page + second_page] == ["T0", "T1", "T2", "T3"]


def test_clock_advance_moves_time(clock: FixedClock) -> None:
    start = clock.now()
    assert clock.advance(hours=2) == start.add(hours=2)
    assert clock.set(pendulum.datetime(2030, 1, 1, tz="UTC")).year == 2030
