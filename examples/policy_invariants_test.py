"""Assert the invariants of a promise on your own SLA policy, before backtesting it.

The policy below is a company's contract on its own office hours (Mon–Fri
08:30–12:00 and 13:00–17:30). Over drawn tickets (``tickets()``), the tests
check with ``aftersales.testing.policy_properties`` that:

1. tightening any targets (``stricter_policies``) never lowers the number of
   breached clocks;
2. more working hours (``wider_calendars``) never turn a breached clock met —
   while they *can* breach a met one: the last test shows such a ticket;
3. more pause statuses (``with_more_pauses``) never make a clock due earlier,
   use more working time or breach.

Run it with ``python examples/policy_invariants_test.py`` or ``pytest
examples/policy_invariants_test.py`` (needs the ``test`` extra: hypothesis, pytest).
Put your own policy in ``our_policy`` and your own tickets in the lists.
"""

from __future__ import annotations

import sys
from datetime import timedelta

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales import Priority, SlaPolicy, WorkCalendar, WorkingTime
from aftersales.backtest import with_target
from aftersales.model.events import Acknowledged
from aftersales.model.ticket import Ticket
from aftersales.testing.policy_properties import (
    assert_more_hours_never_unbreach,
    assert_pause_never_ends_earlier,
    assert_stricter_never_fewer_breaches,
    on_calendar,
    stricter_policies,
    wider_calendars,
    with_more_pauses,
)
from aftersales.testing.samples import sample_ticket
from aftersales.testing.strategies import tickets

OFFICE = WorkCalendar(
    "Asia/Shanghai", {d: [("08:30", "12:00"), ("13:00", "17:30")] for d in range(5)}
)


def our_policy(calendar: WorkCalendar = OFFICE) -> SlaPolicy:
    base = SlaPolicy.default(calendar, visit_threshold=4)
    return with_target(base, "first_response", Priority.URGENT, WorkingTime(timedelta(minutes=15)))


POLICY = our_policy()
SOME_TICKETS = st.lists(tickets(max_events=12), min_size=1, max_size=4, unique_by=lambda t: t.id)
CHECKS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _at(found: list[Ticket]) -> pendulum.DateTime:
    return max(ticket.updated_at for ticket in found).add(days=3)


@CHECKS
@given(found=SOME_TICKETS, stricter=stricter_policies(POLICY))
def test_a_stricter_target_never_lowers_the_breach_count(
    found: list[Ticket], stricter: SlaPolicy
) -> None:
    assert_stricter_never_fewer_breaches(POLICY, stricter, found, _at(found))


@CHECKS
@given(found=SOME_TICKETS, wider=wider_calendars(OFFICE))
def test_more_working_hours_never_unbreach_a_clock(
    found: list[Ticket], wider: WorkCalendar
) -> None:
    assert_more_hours_never_unbreach(POLICY, on_calendar(POLICY, wider), found, _at(found))


@CHECKS
@given(found=SOME_TICKETS, paused=with_more_pauses(POLICY))
def test_a_pause_status_never_makes_a_clock_end_earlier(
    found: list[Ticket], paused: SlaPolicy
) -> None:
    assert_pause_never_ends_earlier(POLICY, paused, found, _at(found))


def test_more_working_hours_can_breach_a_met_clock() -> None:
    """Received Friday 17:20, answered Monday 08:35: 15 minutes of office hours, a Saturday more."""
    opening = sample_ticket().history[0]  # urgent
    friday = pendulum.datetime(2026, 11, 20, 17, 20, tz="Asia/Shanghai")
    monday = pendulum.datetime(2026, 11, 23, 8, 35, tz="Asia/Shanghai")
    ticket = Ticket.replay([attrs.evolve(opening, at=friday, occurred_at=friday)])
    ticket = ticket.apply(ticket.new_event(Acknowledged, by="李工", at=monday, note="回电"))
    saturdays = WorkCalendar(
        "Asia/Shanghai", {d: [("08:30", "12:00"), ("13:00", "17:30")] for d in range(6)}
    )
    office = POLICY.evaluate(ticket, ticket.updated_at)["first_response"]
    weekend = on_calendar(POLICY, saturdays).evaluate(ticket, ticket.updated_at)["first_response"]
    assert (office.breached, weekend.breached) == (False, True)


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q", "-p", "no:cacheprovider"]))
