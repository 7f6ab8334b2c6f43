"""Stored facts finished at an instant are the facts of the ticket replayed at that instant.

The core rule of :mod:`aftersales.readmodel.facts`: facts computed just after
a ticket's last event (a running clock's breach instant included) and finished
at any later instant ``T`` equal what :class:`~aftersales.kpi.facts.FactsReader`
computes by replaying the ticket at ``T`` — for random tickets, SLA policies
and calendars, at instants drawn around the clocks' breach instants; and the
earlier versions a projector keeps at week and month starts equal the replay
at those very instants.
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pendulum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales import FixedClock, ServiceDesk, Ticket
from aftersales.calendar import WorkCalendar
from aftersales.kpi.facts import FactsReader
from aftersales.readmodel.facts import FactsRules, boundaries, finish
from aftersales.readmodel.projection import Projector
from aftersales.sla import CalendarTime, SlaMetric, SlaPolicy, Trigger
from aftersales.storage import MemoryStore
from aftersales.testing.samples import sample_ticket
from aftersales.testing.strategies import sla_policies, tickets
from aftersales.vocab import Priority
from tests.helpers import examples

_SETTINGS = settings(
    max_examples=examples(1.0), deadline=None, suppress_health_check=list(HealthCheck)
)


def _replayed(ticket, policy, at_us, callback=timedelta(hours=48)):  # type: ignore[no-untyped-def]
    calendar = policy.calendar
    at = WorkCalendar.always("UTC").from_epoch_us(at_us)
    reader = FactsReader(
        at=at,
        calendar=calendar,
        tz=calendar.tz.name,
        policy=policy,
        callback_within=callback,
        key_customers={ticket.customer_id},
    )
    return reader.facts(ticket)


@_SETTINGS
@given(ticket=tickets(max_events=12), policy=sla_policies(), data=st.data())
def test_stored_facts_finished_at_any_later_instant_are_the_replayed_facts(
    ticket, policy, data
) -> None:  # type: ignore[no-untyped-def]
    callback = data.draw(st.sampled_from([timedelta(hours=48), timedelta(minutes=90)]))
    stored = FactsRules(policy, policy.calendar, callback).project(ticket)
    last = stored.last_event_us
    candidates = [last + 1, last + 3_600_000_000, last + 40 * 86_400_000_000]
    for cycle in stored.cycles:
        if cycle.breach_us is not None:
            candidates += [cycle.breach_us - 1, cycle.breach_us, cycle.breach_us + 1]
    candidates.append(last + data.draw(st.integers(1, 20 * 86_400_000_000)))
    for at_us in sorted({c for c in candidates if c > last}):
        expected = _replayed(ticket, policy, at_us, callback)
        assert finish(stored, at_us, {ticket.customer_id}) == expected, at_us


@_SETTINGS
@given(
    ticket=tickets(max_events=20),
    policy=sla_policies(),
    keep=st.sampled_from([("month",), ("week", "month"), ("week",)]),
)
def test_the_earlier_versions_kept_are_the_replayed_facts_at_their_instants(
    ticket, policy, keep
) -> None:  # type: ignore[no-untyped-def]
    kept = Projector(policy, keep=keep).project(ticket).facts
    zone = policy.calendar.tz.name
    rules = FactsRules(policy, policy.calendar)
    # up to the last event that bears on the facts: the current facts apply from there
    times = [e.at_us for e in ticket.history[: rules.settled(ticket)]]
    assert [i for f in kept[:-1] for i in f.as_of] == list(
        boundaries(times[0], times[-1], zone, keep)
    )
    last = ticket.history[-1].at_us
    for instant in boundaries(times[-1] + 1, last, zone, keep):
        assert kept[-1].applies_at(instant)
        expected = _replayed(ticket, policy, instant)
        assert finish(kept[-1], instant, {ticket.customer_id}) == expected
    assert kept[-1] == FactsRules(policy, policy.calendar).project(ticket)
    for earlier in kept[:-1]:
        assert earlier.as_of
        assert earlier.valid_until_us is not None
        for instant in earlier.as_of:
            assert earlier.last_event_us < instant <= earlier.valid_until_us
            expected = _replayed(ticket, policy, instant)
            assert finish(earlier, instant, {ticket.customer_id}) == expected


@settings(max_examples=examples(2.0), deadline=None)
@given(
    first=st.integers(0, 400 * 86_400_000_000),
    span=st.integers(0, 70 * 86_400_000_000),
    zone=st.sampled_from(["UTC", "Asia/Shanghai", "America/New_York", "Australia/Lord_Howe"]),
)
def test_boundaries_are_every_week_and_month_start_in_the_span(
    first: int, span: int, zone: str
) -> None:
    start = WorkCalendar.epoch_us(pendulum.datetime(2025, 10, 1, tz="UTC")) + first
    found = list(boundaries(start, start + span, zone))
    local = WorkCalendar.always(zone)
    expected = []
    day = local.from_epoch_us(start).date()
    while True:  # every local midnight, one day at a time
        midnight = WorkCalendar.epoch_us(pendulum.datetime(day.year, day.month, day.day, tz=zone))
        if midnight > start + span:
            break
        if midnight > start and (day.day == 1 or day.weekday() == 0):
            expected.append(midnight)
        day += timedelta(days=1)
    assert found == expected


def test_boundaries_by_hand() -> None:
    """30 Oct 2026 (a Friday) to 9 Nov 2026 in Shanghai: 1 Nov (a Sunday), Mondays 2 and 9 Nov."""
    start = WorkCalendar.epoch_us(pendulum.datetime(2026, 10, 30, 12, tz="Asia/Shanghai"))
    end = WorkCalendar.epoch_us(pendulum.datetime(2026, 11, 9, tz="Asia/Shanghai"))
    shown = WorkCalendar.always("Asia/Shanghai").from_epoch_us
    assert [shown(m).date() for m in boundaries(start, end, "Asia/Shanghai")] == [
        date(2026, 11, 1),
        date(2026, 11, 2),
        date(2026, 11, 9),
    ]


def test_a_running_clock_breaches_the_microsecond_after_its_target() -> None:
    """Urgent first response, 30 working minutes from 14:45 on Friday 10 May 2024 (China hours)."""
    ticket = sample_ticket()
    opened = type(ticket).replay(ticket.history[:1])
    policy = SlaPolicy.default(WorkCalendar.china())
    stored = FactsRules(policy, policy.calendar).project(opened)
    first = next(c for c in stored.cycles if c.metric == "first_response")
    due = WorkCalendar.epoch_us(pendulum.datetime(2024, 5, 10, 15, 15, tz="Asia/Shanghai"))
    assert (first.state, first.due_us, first.breach_us) == ("running", due, due + 1)
    assert {m: b for m, _, b in finish(stored, due).sla}["first_response"] == 0
    assert {m: b for m, _, b in finish(stored, due + 1).sla}["first_response"] == 1


def test_a_closed_tickets_clocks_never_change() -> None:
    ticket = sample_ticket()
    policy = SlaPolicy.default(WorkCalendar.china())
    stored = FactsRules(policy, policy.calendar).project(ticket)
    assert all(c.breach_us is None for c in stored.cycles)
    year = 365 * 86_400_000_000
    assert finish(stored, stored.last_event_us + 1) == finish(stored, stored.last_event_us + year)


@_SETTINGS
@given(ticket=tickets(max_events=12), policy=sla_policies(), data=st.data())
def test_recorded_sla_notices_leave_the_facts_and_their_instant_as_they_were(
    ticket, policy, data
) -> None:  # type: ignore[no-untyped-def]
    rules = FactsRules(policy, policy.calendar)
    before = rules.project(ticket)
    later_us = ticket.history[-1].at_us + data.draw(st.integers(1, 20 * 86_400_000_000))
    at = WorkCalendar.always("UTC").from_epoch_us(later_us)
    desk = ServiceDesk(store=MemoryStore(), clock=FixedClock(at), sla=policy)
    desk.store.save(ticket, expected_version=0)
    notices = desk.check_sla(ticket.id, at=at)
    noted = desk.store.get(ticket.id)
    assert noted.version == ticket.version + len(notices)
    after = rules.project(noted)
    assert attrs.evolve(after, version=ticket.version) == before
    # and they apply from the last event before the notices, as the replay reads them
    instants = {before.last_event_us + 1, later_us - 1, later_us, later_us + 1}
    for at_us in sorted(i for i in instants if i > before.last_event_us):
        assert finish(after, at_us, {ticket.customer_id}) == _replayed(noted, policy, at_us)


def test_a_notice_a_clock_is_triggered_by_is_not_settled_past() -> None:
    calendar = WorkCalendar.always("UTC")
    metric = SlaMetric(
        name="breach_followup",
        label_zh="违约跟进",
        label_en="breach follow-up",
        starts=(Trigger("record_sla_breach"),),
        stops=(Trigger("record_contact"),),
        targets={p: CalendarTime(timedelta(hours=1)) for p in Priority},
    )
    plain = FactsRules(SlaPolicy.default(calendar), calendar)
    watching = FactsRules(
        SlaPolicy([*SlaPolicy.default(calendar).metrics, metric], calendar), calendar
    )
    desk = ServiceDesk(store=MemoryStore(), clock=FixedClock(pendulum.datetime(2030, 1, 1)))
    ticket = sample_ticket()
    opened = Ticket.replay(ticket.history[:1])
    desk.store.save(opened, expected_version=0)
    noted = desk._with_notices(opened, opened.received_at.add(days=3), "sla", plain.policy)[0]
    assert len(noted.history) > 1
    assert plain.settled(noted) == 1
    assert watching.settled(noted) == len(noted.history)
