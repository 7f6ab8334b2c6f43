"""ServiceDesk.sweep_sla and the watchlist through the SLA alert index (issue 12, part 4).

A worked example computed by hand on office hours, then: sweeping at T
records exactly what ``check_sla`` on every open ticket at T records (random
stores and policies, memory and SQLite), a second sweep records nothing, one
unit of work per batch, the watchlist gives what it gave before the index (the
old implementation is kept here as the reference), and sweepers in four
processes on one SQLite file record and return each crossing exactly once.
PostgreSQL's concurrent sweepers are in ``tests/storage/test_sla_sweep_postgres.py``.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales import FixedClock, ServiceDesk, Ticket
from aftersales.calendar import WorkCalendar
from aftersales.model.events import NoteAdded, SlaBreached, SlaWarned
from aftersales.model.query import TicketQuery
from aftersales.sla import SlaAlert, SlaNotice, SlaPolicy
from aftersales.storage import MemoryStore, Save, SQLiteStore
from aftersales.testing.contracts import BASE, build_ticket
from aftersales.testing.strategies import event_histories, sla_policies
from aftersales.vocab import Priority
from tests.helpers import examples

SH = "Asia/Shanghai"
OFFICE = WorkCalendar(SH, {d: [("09:00", "12:00"), ("13:30", "18:00")] for d in range(5)})
POLICY = SlaPolicy.default(OFFICE)


def at(day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, 3, day, hour, minute, tz=SH)


def stored(store: Any, tickets: list[Ticket], policy: SlaPolicy | None) -> Any:
    """``store`` holding ``tickets``, each with its projection under ``policy``."""
    projector = ServiceDesk(MemoryStore(), sla=policy).projector
    store.save_many([Save(t, 0, projection=projector.project(t)) for t in tickets])
    return store


def keys(notices: list[SlaNotice]) -> list[tuple[str, str, int, int, bool]]:
    return sorted((n.ticket_id, n.metric, n.cycle, n.level, n.breach) for n in notices)


def recorded(store: Any) -> Counter[tuple[str, str, int, int]]:
    """Every SLA crossing the stored histories record, with how often."""
    return Counter(
        (t.id, e.metric, e.cycle, e.level)
        for t in store.find(TicketQuery())
        for e in t.history
        if isinstance(e, SlaWarned | SlaBreached)
    )


def opened_at(ticket_id: str, when: pendulum.DateTime, priority: Priority) -> Ticket:
    minutes = int((when - BASE).total_seconds() // 60)
    return build_ticket(ticket_id, minutes=minutes, priority=priority)


# -- a worked example -----------------------------------------------------------------------


def test_a_sweep_records_what_is_due_and_only_that() -> None:
    # Monday 2026-03-02 on office hours. U1 urgent at 09:00: first response warnings
    # 09:15 and 09:24, breached after 09:30. G1 general at 09:00: first response 4 h,
    # warnings 11:00 and 12:12 (after lunch: 13:42), breach after 13:30 + 1 h = 14:30.
    # G2 general at 10:00: warnings 12:00 and 14:42. Swept at 11:30.
    tickets = [
        opened_at("U1", at(2, 9), Priority.URGENT),
        opened_at("G1", at(2, 9), Priority.GENERAL),
        opened_at("G2", at(2, 10), Priority.GENERAL),
    ]
    store = stored(MemoryStore(), tickets, POLICY)
    desk = ServiceDesk(store, clock=FixedClock(at(2, 11, 30)), sla=POLICY)
    notices = desk.sweep_sla()
    assert [(n.ticket_id, n.metric, n.level, n.breach, n.passed) for n in notices] == [
        ("U1", "first_response", 3, True, (1, 2)),
        ("G1", "first_response", 1, False, ()),
    ]
    assert notices[0].crossed_at == at(2, 9, 30)
    assert notices[1].crossed_at == at(2, 11)
    assert [type(e) for e in store.get("U1").history[1:]] == [SlaBreached]
    assert store.get("G2").version == 1
    assert desk.sweep_sla() == []
    desk.clock.set(at(2, 12, 5))  # type: ignore[attr-defined]
    assert keys(desk.sweep_sla()) == [("G2", "first_response", 0, 1, False)]


def test_a_desk_without_policy_or_with_a_bad_batch_refuses_to_sweep() -> None:
    from aftersales import InvalidData

    with pytest.raises(InvalidData, match="no SLA policy"):
        ServiceDesk().sweep_sla()
    desk = ServiceDesk(sla=POLICY, clock=FixedClock(at(2, 9)))
    for batch in (0, 10_001, 1.5, "5"):
        with pytest.raises(InvalidData, match="batch"):
            desk.sweep_sla(batch=batch)  # type: ignore[arg-type]


class CountingStore(MemoryStore):
    """A memory store that counts its units of work."""

    units = 0

    @contextmanager
    def unit_of_work(self) -> Iterator[Any]:
        self.units += 1
        with super().unit_of_work() as unit:
            yield unit


def test_one_unit_of_work_per_batch() -> None:
    tickets = [opened_at(f"U{i:03d}", at(2, 9), Priority.URGENT) for i in range(25)]
    tickets += [opened_at(f"Q{i:03d}", at(2, 9), Priority.GENERAL) for i in range(5)]
    store = stored(CountingStore(), tickets, POLICY)
    desk = ServiceDesk(store, clock=FixedClock(at(2, 9, 20)), sla=POLICY)
    store.units = 0
    notices = desk.sweep_sla(batch=10)
    assert len(notices) == 25  # the urgent ones, first warning; the general ones are not due
    assert store.units == 3  # 10 + 10 + 5: the last batch is short, so no fourth read
    store.units = 0
    assert desk.sweep_sla(batch=10) == []
    assert store.units == 1


def test_tickets_updated_after_the_sweep_instant_are_left_for_later() -> None:
    # Urgent at 09:00, its first warning due at 09:15; a note at 09:40, nothing recorded.
    ticket = opened_at("U1", at(2, 9), Priority.URGENT)
    noted = ticket.apply(ticket.new_event(NoteAdded, by="李工", at=at(2, 9, 40), text="来电"))
    store = stored(MemoryStore(), [noted], POLICY)
    desk = ServiceDesk(store, clock=FixedClock(at(2, 9, 50)), sla=POLICY)
    assert store.find_alerts_due(at(2, 9, 30))[0][1].id == "U1"
    assert desk.sweep_sla(at=at(2, 9, 30)) == []
    assert store.get("U1").version == 2
    assert keys(desk.sweep_sla()) == [("U1", "first_response", 0, 3, True)]


def test_an_index_computed_under_another_policy_is_reported(
    caplog: pytest.LogCaptureFixture,
) -> None:
    strict = SlaPolicy.default(WorkCalendar.always(SH))
    store = stored(MemoryStore(), [opened_at("U1", at(2, 8), Priority.URGENT)], strict)
    desk = ServiceDesk(store, clock=FixedClock(at(2, 8, 20)), sla=POLICY)  # before office hours
    with caplog.at_level(logging.WARNING, logger="aftersales.desk"):
        assert desk.sweep_sla() == []
    assert "1 tickets were due" in caplog.text
    assert "projections rebuild" in caplog.text


class RacingStore(MemoryStore):
    """A store where another sweeper records the first due ticket right after a sweep reads it."""

    def __init__(self) -> None:
        super().__init__()
        self.rival: ServiceDesk | None = None
        self.rival_notices: list[SlaNotice] = []

    @contextmanager
    def unit_of_work(self) -> Iterator[Any]:
        with super().unit_of_work() as unit:
            read = unit.find_alerts_due

            def find_alerts_due(at: datetime, **paging: Any) -> Any:
                page = read(at, **paging)
                rival, self.rival = self.rival, None
                if page and rival is not None:  # commits at once: the store's lock is re-entrant
                    self.rival_notices = rival.check_sla(page[0][1].id, at=at)
                return page

            unit.find_alerts_due = find_alerts_due
            yield unit


def test_a_ticket_another_sweeper_recorded_meanwhile_is_read_again_not_recorded_twice() -> None:
    tickets = [opened_at(f"U{i}", at(2, 9), Priority.URGENT) for i in range(4)]
    store = stored(RacingStore(), tickets, POLICY)
    reference = stored(MemoryStore(), tickets, POLICY)
    clock = FixedClock(at(2, 10))
    store.rival = ServiceDesk(store, clock=clock, sla=POLICY)
    swept = ServiceDesk(store, clock=clock, sla=POLICY).sweep_sla()
    assert [n.ticket_id for n in store.rival_notices] == ["U0"]
    assert keys(swept) == [(f"U{i}", "first_response", 0, 3, True) for i in (1, 2, 3)]
    checking = ServiceDesk(reference, clock=clock, sla=POLICY)
    assert keys(swept + store.rival_notices) == keys(
        [n for t in tickets for n in checking.check_sla(t.id)]
    )
    assert set(recorded(store).values()) == {1}


class PlainTicketStore:
    """A ticket store without the alert index: only the ``TicketStore`` port."""

    def __init__(self) -> None:
        self._inner = MemoryStore()
        self.vocabulary = self._inner.vocabulary

    def save(self, ticket: Ticket, **kwargs: Any) -> None:
        self._inner.save(ticket, **kwargs)

    def get(self, ticket_id: str) -> Ticket:
        return self._inner.get(ticket_id)

    def history(self, ticket_id: str) -> Any:
        return self._inner.history(ticket_id)

    def find(self, query: TicketQuery) -> list[Ticket]:
        return self._inner.find(query)

    def stream(self, query: TicketQuery, *, batch: int = 1000) -> Iterator[Ticket]:
        return iter(self._inner.find(query))

    def __contains__(self, ticket_id: object) -> bool:
        return ticket_id in self._inner


def test_a_store_without_the_index_is_swept_by_reading_every_open_ticket() -> None:
    tickets = [
        opened_at("U1", at(2, 9), Priority.URGENT),
        opened_at("G1", at(2, 9), Priority.GENERAL),
    ]
    plain = PlainTicketStore()
    for ticket in tickets:
        plain.save(ticket, expected_version=0)
    desk = ServiceDesk(plain, clock=FixedClock(at(2, 11, 30)), sla=POLICY)  # type: ignore[arg-type]
    assert keys(desk.sweep_sla()) == [
        ("G1", "first_response", 0, 1, False),
        ("U1", "first_response", 0, 3, True),
    ]
    assert desk.sweep_sla() == []


# -- the sweep agrees with check_sla on every open ticket ---------------------------------------


@st.composite
def random_stores(draw: st.DrawFn) -> tuple[list[Ticket], SlaPolicy, datetime]:
    histories = draw(
        st.lists(
            event_histories(max_events=10),
            min_size=1,
            max_size=6,
            unique_by=lambda h: h[0].ticket_id,
        )
    )
    tickets = [Ticket.replay(history) for history in histories]
    last = max(ticket.updated_at for ticket in tickets)
    seconds = draw(st.integers(0, 10 * 24 * 3600))
    return tickets, draw(sla_policies()), last + timedelta(seconds=seconds)


def check_sweep_agrees(store: Any, reference: Any, data: st.DataObject) -> None:
    tickets, policy, sweep_at = data.draw(random_stores())
    stored(store, tickets, policy)
    stored(reference, tickets, policy)
    desk = ServiceDesk(store, clock=FixedClock(sweep_at), sla=policy)
    checking = ServiceDesk(reference, clock=FixedClock(sweep_at), sla=policy)
    swept = desk.sweep_sla(batch=data.draw(st.integers(1, 4)))
    checked = [
        notice
        for ticket in reference.find(TicketQuery(open_only=True))
        for notice in checking.check_sla(ticket.id)
    ]
    assert sorted(swept, key=repr) == sorted(checked, key=repr)
    assert store.find(TicketQuery()) == reference.find(TicketQuery())
    assert desk.sweep_sla() == []


@settings(max_examples=examples(0.4))  # each example builds and sweeps a whole store
@given(st.data())
def test_sweeping_records_what_check_sla_on_every_open_ticket_records(data: st.DataObject) -> None:
    check_sweep_agrees(MemoryStore(), MemoryStore(), data)


@settings(max_examples=25)
@given(st.data())
def test_sweeping_a_sqlite_store_records_what_check_sla_records(data: st.DataObject) -> None:
    store = SQLiteStore(":memory:")
    try:
        check_sweep_agrees(store, MemoryStore(), data)
    finally:
        store.close()


# -- the watchlist, against the implementation it had before the index --------------------------


def reference_watchlist(
    desk: ServiceDesk, due_before: datetime, at: datetime
) -> list[tuple[Ticket, SlaAlert]]:
    """``sla_watchlist`` before issue 12: every open ticket read and evaluated."""
    policy = desk.sla_policy
    assert policy is not None
    found = []
    for ticket in desk.store.find(TicketQuery(open_only=True)):
        for alert in policy.evaluate(ticket, at).alerts_before(due_before):
            found.append((ticket, alert))
    return sorted(found, key=lambda pair: pair[1].at)


@settings(max_examples=examples(0.4))  # each example builds a whole store and its index
@given(random_stores(), st.integers(-5 * 86400, 20 * 86400), st.integers(-3 * 86400, 10 * 86400))
def test_the_watchlist_lists_what_it_listed_before_the_index(
    drawn: tuple[list[Ticket], SlaPolicy, datetime], ahead: int, moved: int
) -> None:
    tickets, policy, read_at = drawn
    read_at = read_at + timedelta(seconds=moved)  # possibly before some tickets' last events
    desk = ServiceDesk(
        stored(MemoryStore(), tickets, policy), sla=policy, clock=FixedClock(read_at)
    )
    due_before = read_at + timedelta(seconds=ahead)
    assert desk.sla_watchlist(due_before, at=read_at) == reference_watchlist(
        desk, due_before, read_at
    )


def test_the_watchlist_reads_only_the_tickets_its_index_names() -> None:
    tickets = [opened_at(f"U{i}", at(2, 9), Priority.URGENT) for i in range(3)]
    tickets += [opened_at(f"G{i}", at(2, 9), Priority.GENERAL) for i in range(3)]

    finds: list[TicketQuery] = []

    class Spy(MemoryStore):
        def find(self, query: TicketQuery) -> list[Ticket]:
            finds.append(query)
            return super().find(query)

    store = stored(Spy(), tickets, POLICY)
    desk = ServiceDesk(store, clock=FixedClock(at(2, 9, 5)), sla=POLICY)
    watch = desk.sla_watchlist(at(2, 9, 20))
    assert {(t.id, a.level) for t, a in watch} == {("U0", 1), ("U1", 1), ("U2", 1)}
    assert all(not query.open_only or query.updated_from is not None for query in finds)


# -- sweepers in four processes on one SQLite file ------------------------------------------


def _sweeper(path: str, sweep_at: str, start: Any, out: Any) -> None:
    store = SQLiteStore(path)
    try:
        desk = ServiceDesk(store, clock=FixedClock(pendulum.parse(sweep_at)), sla=POLICY)
        start.wait()
        notices = desk.sweep_sla(batch=7)
        out.put([(n.ticket_id, n.metric, n.cycle, n.level) for n in notices])
    finally:
        store.close()


def due_tickets(count: int) -> list[Ticket]:
    """Tickets of every priority opened over a Monday morning, most of them due by 15:00."""
    priorities = list(Priority)
    return [
        opened_at(f"S{i:04d}", at(2, 9).add(minutes=(i * 7) % 240), priorities[i % 3])
        for i in range(count)
    ]


def test_four_processes_sweeping_one_sqlite_file_record_each_crossing_once(tmp_path: Path) -> None:
    tickets = due_tickets(300)
    sweep_at = at(2, 15)
    path = tmp_path / "sweep.db"
    with SQLiteStore(path) as store:
        stored(store, tickets, POLICY)
    crossings = {
        (t.id, n.metric, n.cycle, n.level)
        for t in tickets
        for n in POLICY.evaluate(t, sweep_at).notifications
    }
    assert len(crossings) >= 250  # most tickets have a crossing due, some two
    context = multiprocessing.get_context("spawn")
    start, out = context.Event(), context.Queue()
    workers = [
        context.Process(target=_sweeper, args=(str(path), sweep_at.isoformat(), start, out))
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    start.set()
    returned = [out.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    everything = [crossing for found in returned for crossing in found]
    assert len(everything) == len(set(everything))  # no crossing returned twice
    assert set(everything) == crossings
    with SQLiteStore(path) as store:
        counts = recorded(store)
        assert set(counts) == crossings
        assert set(counts.values()) == {1}
        assert ServiceDesk(store, clock=FixedClock(sweep_at), sla=POLICY).sweep_sla() == []


def test_a_ticket_whose_breach_was_recorded_stays_at_the_head_of_the_worklist() -> None:
    # U1 urgent at 09:00 is breached after 09:30 (first response, still running);
    # G1 general at 09:00 is due at 13:30. Swept at 11:30: U1's breach is recorded.
    tickets = [
        opened_at("U1", at(2, 9), Priority.URGENT),
        opened_at("G1", at(2, 9), Priority.GENERAL),
    ]
    for store in (MemoryStore(), SQLiteStore(":memory:")):
        stored(store, tickets, POLICY)
        desk = ServiceDesk(store, clock=FixedClock(at(2, 11, 30)), sla=POLICY)
        assert [n.ticket_id for n in desk.sweep_sla() if n.breach] == ["U1"]
        worklist = store.find(TicketQuery(due_before=at(2, 18), order="due"))
        assert [t.id for t in worklist] == ["U1", "G1"]
