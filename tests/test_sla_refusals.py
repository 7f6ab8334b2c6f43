"""The SLA engine's public functions refuse bad input with a specific AftersalesError.

``report[name]`` raised a bare ``KeyError`` and ``report.first(name)`` a bare
``IndexError`` for a metric that did not measure the ticket; both now raise
:class:`aftersales.MetricNotMeasured`, still a ``KeyError``. A policy's clock
read on a ticket it does not measure, an evaluation of something that is not a
ticket, a visit threshold, trigger or picture width that is not one: each
raised a ``KeyError``, ``AttributeError`` or ``TypeError`` from deep inside (issue 11).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales import (
    AftersalesError,
    InvalidData,
    MetricNotMeasured,
    NotFound,
    ScoreOutOfRange,
    SlaPolicy,
    Ticket,
)
from aftersales.calendar import WorkCalendar
from aftersales.model.events import TicketEvent
from aftersales.sla import Trigger
from aftersales.sla.picture import timeline_svg
from aftersales.testing.samples import sample_ticket
from aftersales.testing.strategies import event_histories

OFFICE = WorkCalendar(
    "Asia/Shanghai", {d: [("09:00", "12:00"), ("13:30", "18:00")] for d in range(5)}
)
POLICY = SlaPolicy.default(OFFICE)
NAMES = [metric.name for metric in POLICY.metrics]
SAMPLE = sample_ticket()
NOT_A_TICKET = st.one_of(
    st.none(), st.integers(), st.text(), st.dictionaries(st.text(), st.integers(), max_size=2)
)


# -- looking a metric up in a report ---------------------------------------------------------


def test_a_metric_that_did_not_measure_the_ticket_is_named_with_the_ones_that_did() -> None:
    report = POLICY.evaluate(SAMPLE, SAMPLE.updated_at)  # the visit scored well: no callback
    measured = "'first_response', 'resolution', 'return_visit', 'onsite_within'"
    for lookup in (report.__getitem__, report.first):
        with pytest.raises(MetricNotMeasured) as caught:
            lookup("low_score_callback")
        assert str(caught.value) == (
            f"metric: 'low_score_callback' did not measure ticket {SAMPLE.id!r}; "
            f"accepted: {measured}"
        )
        assert isinstance(caught.value, KeyError)  # what report[name] raised before
        assert isinstance(caught.value, NotFound)
        assert isinstance(caught.value, AftersalesError)


@given(event_histories(), st.sampled_from(NAMES) | st.text(max_size=20))
def test_every_lookup_gives_a_cycle_or_a_refusal_listing_the_measured_metrics(
    history: list[TicketEvent], name: str
) -> None:
    ticket = Ticket.replay(history)
    report = POLICY.evaluate(ticket, ticket.updated_at)
    cycles = [result for result in report if result.metric == name]
    if cycles:
        assert report[name] is cycles[-1]
        assert report.first(name) is cycles[0]
        return
    measured = tuple(n for n in NAMES if any(result.metric == n for result in report))
    for lookup in (report.__getitem__, report.first):
        with pytest.raises(KeyError) as caught:
            lookup(name)
        error = caught.value
        assert isinstance(error, MetricNotMeasured)
        assert (error.key, error.ticket_id, error.measured) == (name, ticket.id, measured)
        assert str(error).startswith("metric: ")
        assert f" did not measure ticket {ticket.id!r}; accepted: " in str(error)
        assert all(repr(n) in str(error) for n in measured)


# -- reading clocks ---------------------------------------------------------------------------


@given(event_histories(), st.sampled_from(NAMES))
def test_a_policys_clock_reads_what_the_policy_reads_for_its_metric(
    history: list[TicketEvent], name: str
) -> None:
    ticket = Ticket.replay(history)
    expected = [r for r in POLICY.evaluate(ticket, ticket.updated_at) if r.metric == name]
    assert POLICY[name].evaluate(ticket, ticket.updated_at) == expected


@given(NOT_A_TICKET)
def test_only_a_ticket_is_evaluated(value: Any) -> None:
    expected = ((("ticket", f"{type(value).__name__} is not a Ticket; accepted: a Ticket"),),)
    for evaluate in (POLICY.evaluate, POLICY["resolution"].evaluate):
        with pytest.raises(InvalidData) as caught:
            evaluate(value, SAMPLE.updated_at)
        assert (caught.value.problems,) == expected


# -- building policies, triggers and pictures -------------------------------------------------


@given(st.integers(1, 5))
def test_the_visit_threshold_is_a_score(threshold: int) -> None:
    callback = SlaPolicy.default(OFFICE, visit_threshold=threshold).metrics[3]
    assert [t.label for t in callback.starts] == [f"visit scored under {threshold}"]


@given(
    st.one_of(
        st.integers().filter(lambda n: not 1 <= n <= 5),
        st.booleans(),
        st.floats(),
        st.text(),
        st.none(),
    )
)
def test_a_visit_threshold_that_is_no_score_is_refused(threshold: Any) -> None:
    with pytest.raises(ScoreOutOfRange) as caught:
        SlaPolicy.default(OFFICE, visit_threshold=threshold)
    [(path, message)] = caught.value.problems
    assert path == "visit_threshold"
    assert message.endswith("accepted: an integer from 1 to 5")


@given(st.one_of(st.integers(), st.text(), st.lists(st.none(), max_size=2)))
def test_a_trigger_filter_must_be_callable_and_its_label_a_text(value: Any) -> None:
    with pytest.raises(InvalidData) as caught:
        Trigger("acknowledge", value)
    assert caught.value.problems == (
        (
            "when",
            f"{type(value).__name__} is not callable; accepted: None or a function of the event",
        ),
    )
    if not isinstance(value, str):
        with pytest.raises(InvalidData) as caught:
            Trigger("acknowledge", label=value)
        assert caught.value.problems == (
            ("label", f"{type(value).__name__} is not a text; accepted: a text"),
        )


@given(st.one_of(st.integers(), st.floats(), st.text(max_size=4), st.none()))
def test_a_picture_is_drawn_at_a_width_from_100_to_10000(width: Any) -> None:
    result = POLICY.evaluate(SAMPLE, SAMPLE.updated_at)["resolution"]
    if isinstance(width, int) and not isinstance(width, bool) and 100 <= width <= 10_000:
        assert timeline_svg(result, width=width).startswith(
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}"'
        )
        return
    with pytest.raises(InvalidData) as caught:
        timeline_svg(result, width=width)
    [(path, message)] = caught.value.problems
    assert path == "width"
    assert message.endswith("accepted: an integer from 100 to 10000")
