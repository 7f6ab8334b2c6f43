"""Property-test your own SLA policy with ``aftersales.testing``.

The policy below is a company's own contract: its own calendar (Mon–Fri
08:30–12:00 and 13:00–17:30, Saturday mornings, a company day off), tighter
first-response targets, and a metric of its own — a quote (solution proposal)
within 4 working hours of the first response. The tests check it three ways:

1. on any working calendar (``work_calendars()``), a fresh ticket's first
   response is due exactly ``calendar.add(received, target)``;
2. on random tickets (``tickets()``), the clocks agree with the calendar and
   the quote clock only runs on acknowledged tickets;
3. a ``LifecycleStateMachine`` subclass drives a service desk with this policy
   through random command sequences, with every built-in invariant plus one of
   ours.

Run it with ``python examples/custom_policy_test.py`` or ``pytest
examples/custom_policy_test.py`` (needs the ``test`` extra: hypothesis, pytest).
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant

from aftersales import (
    Channel,
    Customer,
    FixedClock,
    Priority,
    ProblemCategory,
    ServiceDesk,
    SlaMetric,
    SlaPolicy,
    Ticket,
    TicketStatus,
    Trigger,
    WorkCalendar,
    WorkingTime,
)
from aftersales.testing.stateful import LifecycleStateMachine
from aftersales.testing.strategies import aware_datetimes, tickets, work_calendars

FIRST_RESPONSE = {
    Priority.URGENT: timedelta(minutes=15),
    Priority.IMPORTANT: timedelta(hours=1),
    Priority.GENERAL: timedelta(hours=2),
}


def company_calendar() -> WorkCalendar:
    office = [("08:30", "12:00"), ("13:00", "17:30")]
    return WorkCalendar(
        "Asia/Shanghai",
        {**dict.fromkeys(range(5), office), 5: [("09:00", "12:00")]},
        holidays={date(2026, 3, 20): "公司年会"},
    )


def our_policy(calendar: WorkCalendar) -> SlaPolicy:
    """The built-in metrics with our targets, plus our own ``quote`` metric."""
    base = SlaPolicy.default(calendar, visit_threshold=4)
    first_response = attrs.evolve(
        base["first_response"].metric,
        targets={p: WorkingTime(d) for p, d in FIRST_RESPONSE.items()},
        warn_at=(0.5, timedelta(minutes=5)),
    )
    quote = SlaMetric(
        name="quote",
        label_zh="方案报价",
        label_en="quote",
        starts=(Trigger("acknowledge"),),
        stops=(Trigger("propose_solution"), Trigger("resolve_on_first_contact")),
        targets={p: WorkingTime(timedelta(hours=4)) for p in Priority},
        warn_at=(0.8,),
    )
    others = [m for m in base.metrics if m.name != "first_response"]
    return SlaPolicy([first_response, quote, *others], calendar)


SETTINGS = settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@SETTINGS
@given(
    calendar=work_calendars(),
    received=aware_datetimes(datetime(2026, 2, 15), datetime(2026, 11, 15)),
    priority=st.sampled_from(list(Priority)),
)
def test_first_response_is_due_after_the_target_in_working_time(
    calendar: WorkCalendar, received: pendulum.DateTime, priority: Priority
) -> None:
    desk = ServiceDesk(clock=FixedClock(received), sla=our_policy(calendar))
    ticket = desk.open_ticket(
        customer=Customer(id="C1", name="甲公司"),
        channel=Channel.PHONE,
        category=ProblemCategory.CONSULTATION,
        description="咨询",
        occurred_at=received,
        by="agent",
        priority=priority,
    )
    result = desk.sla(ticket.id)["first_response"]
    assert result.due_at == calendar.add(received, FIRST_RESPONSE[priority])
    assert "quote" not in desk.sla(ticket.id).metrics()  # not acknowledged yet


@SETTINGS
@given(ticket=tickets(max_events=12), hours_later=st.integers(0, 72))
def test_clocks_agree_with_the_calendar(ticket: Ticket, hours_later: int) -> None:
    calendar = company_calendar()
    report = our_policy(calendar).evaluate(ticket, ticket.updated_at.add(hours=hours_later))
    if ticket.status is TicketStatus.CANCELLED:
        return
    answered = ticket.first_response_at
    if answered is not None:
        first = report.first("first_response")
        assert first.elapsed == calendar.working_time(ticket.received_at, answered)
    acknowledged = any(e.command == "acknowledge" for e in ticket.history)
    assert ("quote" in report.metrics()) == acknowledged


class OurPolicyMachine(LifecycleStateMachine):
    """The toolkit's lifecycle machine on our policy, with one invariant of our own."""

    def make_policy(self) -> SlaPolicy:
        return our_policy(company_calendar())

    @invariant()
    def first_response_uses_working_time_only(self) -> None:
        policy = self.desk.sla_policy
        assert policy is not None
        now = self.clock.now()
        for ticket_id in self.known:
            ticket = self.store.get(ticket_id)
            if ticket.status is TicketStatus.CANCELLED:
                continue
            result = policy.evaluate(ticket, now).first("first_response")
            until = ticket.first_response_at or now
            assert result.elapsed == policy.calendar.working_time(ticket.received_at, until)
            assert result.breached == (result.elapsed > FIRST_RESPONSE[ticket.priority])


OurPolicyMachine.TestCase.settings = settings(
    max_examples=15, stateful_step_count=25, deadline=None, database=None
)
TestOurPolicy = OurPolicyMachine.TestCase


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q", "-p", "no:cacheprovider"]))
