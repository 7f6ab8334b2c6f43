"""A ServiceKpis' counters as a FactsSummary, and back: the same figures; absorbed figures are final."""

from __future__ import annotations

from datetime import timedelta

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales.calendar import WorkCalendar
from aftersales.errors import InvalidData
from aftersales.kpi import KpiOptions, Period, ServiceKpis
from aftersales.kpi.summary import FactsSummary
from aftersales.sla import SlaPolicy
from aftersales.testing.samples import sample_ticket
from aftersales.testing.strategies import tickets

_CALENDAR = WorkCalendar.always("UTC")


def _kpis(at: pendulum.DateTime) -> ServiceKpis:
    return ServiceKpis(
        Period.parse("2026-10", "UTC"),
        _CALENDAR,
        policy=SlaPolicy.default(_CALENDAR),
        at=at,
        options=KpiOptions(repeat_window=timedelta(days=400)),
        key_customers={"C1"},
    )


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    found=st.lists(tickets(max_events=10), max_size=6),
    settle=st.booleans(),
    at=st.sampled_from(
        [pendulum.datetime(2026, 11, 1, tz="UTC"), pendulum.datetime(2040, 1, 1, tz="UTC")]
    ),
)
def test_absorbing_a_summary_gives_the_figures_of_the_summarised_counters(
    found: list, settle: bool, at: pendulum.DateTime
) -> None:  # type: ignore[type-arg]
    fed = _kpis(at)
    for ticket in found:
        fed.add(ticket)
    absorbed = _kpis(at)
    absorbed.absorb(fed.summary(settle=settle))
    assert absorbed.result() == fed.result()


def test_settled_repeat_complaints_are_added_to_the_arrivals_held() -> None:
    """Two repeats settled by a store, one more found among the arrivals added afterwards."""
    kpis = ServiceKpis(Period.parse("2024-05", "UTC"), _CALENDAR)
    kpis.absorb(FactsSummary(repeats=(2, 5)))
    day = 86_400_000_000
    may_10 = 1_715_299_200_000_000  # 2024-05-10T00:00Z
    kpis.add_arrival("C9", "consultation", may_10)
    kpis.add_arrival("C9", "consultation", may_10 + day)  # a repeat, within 30 days
    repeat = kpis.result().repeat
    assert (repeat.numerator, repeat.denominator) == (3, 7)


def test_an_accumulator_that_absorbed_settled_repeats_cannot_be_merged() -> None:
    absorbed = ServiceKpis(Period.parse("2024-05", "UTC"), _CALENDAR)
    absorbed.absorb(FactsSummary(received=1, repeats=(0, 1)))
    other = ServiceKpis(Period.parse("2024-05", "UTC"), _CALENDAR)
    other.add(sample_ticket())
    for left, right in ((absorbed, other), (other, absorbed)):
        with pytest.raises(InvalidData) as raised:
            left.merge(right)
        assert "absorbed settled repeat complaints" in str(raised.value)
    unsettled = ServiceKpis(Period.parse("2024-05", "UTC"), _CALENDAR)
    unsettled.absorb(FactsSummary(received=1))
    assert unsettled.merge(other).result().received == 2
