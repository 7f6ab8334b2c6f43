"""The toolkit's calendar and SLA-policy strategies draw valid, varied values."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pendulum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales import SlaPolicy, SlaState, Ticket, TicketEvent, WorkCalendar, WorkingTime
from aftersales.testing.strategies import (
    CALENDAR_ANCHORS,
    event_histories,
    sla_policies,
    work_calendars,
)
from tests.helpers import examples

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def instants(cal: WorkCalendar) -> st.SearchStrategy[pendulum.DateTime]:
    """Instants within ten days of the dates the calendar's exceptions cluster around."""
    anchors = CALENDAR_ANCHORS[cal.tz.name]
    return st.builds(
        lambda anchor, minutes: pendulum.datetime(
            anchor.year, anchor.month, anchor.day, tz=cal.tz
        ).add(minutes=minutes),
        st.sampled_from(anchors),
        st.integers(-10 * 1440, 10 * 1440),
    )


@SETTINGS
@given(cal=work_calendars(), data=st.data())
def test_every_calendar_has_working_time_and_add_inverts_working_time(
    cal: WorkCalendar, data: st.DataObject
) -> None:
    a = data.draw(instants(cal), label="a")
    d = timedelta(minutes=data.draw(st.integers(0, 3 * 24 * 60), label="minutes"))
    assert cal.is_working_time(cal.next_working_time(a))
    assert cal.next_working_time(a) - a < timedelta(days=8)  # working time every week
    assert cal.working_time(a, cal.add(a, d)) == d
    assert cal.working_time(cal.add(a, -d), a) == d
    assert cal.working_time(a, a.add(weeks=1)) >= timedelta(hours=1)


CASES: dict[str, Callable[[WorkCalendar], bool]] = {
    "a lunch break": lambda cal: any(len(day) == 2 for day in cal.week[:5]),
    "a partial day off": lambda cal: any(off.partial for off in cal.holidays.values()),
    "a whole day off": lambda cal: any(not off.partial for off in cal.holidays.values()),
    "an extra working day (调休)": lambda cal: bool(cal.workdays),
    "special hours": lambda cal: bool(cal.special_hours),
    "Europe/Berlin": lambda cal: cal.tz.name == "Europe/Berlin",
    "America/New_York": lambda cal: cal.tz.name == "America/New_York",
}


def test_calendars_cover_the_interesting_cases() -> None:
    seen: set[str] = set()

    @settings(max_examples=examples(2.0), database=None, deadline=None)
    @given(work_calendars())
    def collect(cal: WorkCalendar) -> None:
        seen.update(name for name, condition in CASES.items() if condition(cal))

    collect()
    assert seen == set(CASES)


@SETTINGS
@given(policy=sla_policies(), history=event_histories(max_events=12), data=st.data())
def test_policies_evaluate_every_history(
    policy: SlaPolicy, history: list[TicketEvent], data: st.DataObject
) -> None:
    ticket = Ticket.replay(history)
    now = ticket.updated_at.add(minutes=data.draw(st.integers(0, 3 * 24 * 60), label="later"))
    report = policy.evaluate(ticket, now)
    assert report == policy.evaluate(ticket, now)  # pure
    names = {m.name for m in policy.metrics}
    for result in report.results:
        assert result.metric in names
        assert result.elapsed >= timedelta(0)
        assert result.paused >= timedelta(0)
        assert result.state in set(SlaState)
        assert 0 <= result.level <= len(policy[result.metric].metric.warn_at) + 1
        if isinstance(result.target, WorkingTime):
            assert result.budget == result.target.duration
        if result.state is SlaState.BREACHED:
            assert result.elapsed >= result.budget
    later = policy.evaluate(ticket, now.add(hours=5))
    for before, after in zip(report.results, later.results, strict=True):
        assert after.elapsed >= before.elapsed
        assert after.level >= before.level


@SETTINGS
@given(sla_policies())
def test_policies_use_their_drawn_settings(policy: SlaPolicy) -> None:
    assert policy.metrics
    assert len({m.name for m in policy.metrics}) == len(policy.metrics)
    for metric in policy.metrics:
        assert metric.targets
        assert all(level for level in metric.warn_at)
