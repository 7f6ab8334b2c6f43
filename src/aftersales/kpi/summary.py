"""The counters of :class:`~aftersales.kpi.ServiceKpis` as a plain value: :class:`FactsSummary`.

A store that aggregates its stored facts itself (a SQL ``GROUP BY`` instead
of one :class:`~aftersales.kpi.TicketFacts` row at a time) hands the result
back as a :class:`FactsSummary`, and :meth:`ServiceKpis.absorb
<aftersales.kpi.ServiceKpis.absorb>` adds it to the accumulator: the figures
are then those the rows themselves would have given. The names of the
counters are the accumulator's (see ``docs/kpi.md`` for each formula).

Repeat complaints need every arrival of a customer and category: a summary
either settles them (``repeats``: hits and total over every arrival the
store holds) or lists its arrivals (``arrivals``) so that arrivals added
later are compared with them.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.kpi import Period, ServiceKpis
    >>> kpis = ServiceKpis(Period.parse("2024-05", "UTC"), WorkCalendar.always("UTC"))
    >>> kpis.absorb(FactsSummary(received=3, ratios={"closure": (2, 3)}))
    >>> kpis.result().received, kpis.result().closure.percent
    (3, 66.66666666666666)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

__all__ = ["FactsSummary"]


@attrs.frozen(slots=True, kw_only=True)
class FactsSummary:
    """The counters of a :class:`~aftersales.kpi.ServiceKpis`, filled by a store from its facts.

    ``ratios`` maps a ratio's name to ``(hits, total)``; ``durations`` a
    duration's name to its values in µs; ``tallies`` a tally's name to its
    counts (a key counted zero times is still a key); ``scores`` counts the
    satisfaction scores 1–5; ``names`` maps a customer to ``(received_us,
    name)`` of its latest cohort ticket; ``ageing`` counts the backlog per
    ageing bucket. ``repeats`` is ``(hits, total)`` when settled; otherwise
    ``arrivals`` maps ``(customer, category)`` to ``(received_us, in
    cohort)`` pairs. ``substatuses`` maps a sub-status to ``(tickets entered,
    tickets in it still, working µs, calendar µs)`` (see :mod:`aftersales.kpi.substatus_time`).
    ``dimensions`` counts the scores 1–5 per satisfaction dimension (see
    :mod:`aftersales.kpi.dimension_scores`).

    Example:
        >>> FactsSummary(scores=(0, 0, 0, 1, 2)).scores[4]
        2
    """

    received: int = 0
    backlog: int = 0
    ageing: Mapping[int, int] = attrs.field(factory=dict)
    ratios: Mapping[str, tuple[int, int]] = attrs.field(factory=dict)
    durations: Mapping[str, Sequence[int]] = attrs.field(factory=dict)
    tallies: Mapping[str, Mapping[Any, int]] = attrs.field(factory=dict)
    scores: tuple[int, ...] = (0, 0, 0, 0, 0)
    names: Mapping[str, tuple[int, str]] = attrs.field(factory=dict)
    repeats: tuple[int, int] | None = None
    arrivals: Mapping[tuple[str, str], Sequence[tuple[int, bool]]] = attrs.field(factory=dict)
    substatuses: Mapping[str, tuple[int, int, Sequence[int], Sequence[int]]] = attrs.field(
        factory=dict
    )
    dimensions: Mapping[str, Sequence[int]] = attrs.field(factory=dict)


def absorb(state: Any, summary: FactsSummary) -> None:
    """Add ``summary`` to the counters of a ``ServiceKpis`` state (its ``_State``)."""
    state.received += summary.received
    state.backlog += summary.backlog
    for bucket, count in summary.ageing.items():
        state.tallies["ageing"].add(bucket, count)
    for name, (hits, total) in summary.ratios.items():
        ratio = state.ratios[name]
        ratio.hits += hits
        ratio.total += total
    for name, values in summary.durations.items():
        state.durations[name].values.extend(values)
    for name, counts in summary.tallies.items():
        tally = state.tallies[name]
        for key, count in counts.items():
            tally.add(key, count)
    for index, count in enumerate(summary.scores):
        state.scores.counts[index] += count
    for customer, latest in summary.names.items():
        known = state.names.get(customer)
        if known is None or known < latest:
            state.names[customer] = latest
    if summary.repeats is not None:
        hits, total = summary.repeats
        state.settled[0] += hits
        state.settled[1] += total
        state.absorbed = True
    for pair, times in summary.arrivals.items():
        state.arrivals.setdefault(pair, []).extend(times)
    state.substatuses.absorb(summary.substatuses)
    state.dimensions.absorb(summary.dimensions)


def summarize(state: Any, *, settle: bool, window_us: int) -> FactsSummary:
    """The counters of a ``ServiceKpis`` state as a summary (repeats settled or as arrivals).

    The inverse of :func:`absorb`: absorbing the summary of a state into an
    empty accumulator gives that state's figures. ``window_us`` is the
    repeat-complaint window the repeats are settled with.
    """
    hits, total = state.repeat_counts(window_us) if settle else (0, 0)
    return FactsSummary(
        received=state.received,
        backlog=state.backlog,
        ageing=dict(state.tallies["ageing"].counts),
        ratios={name: (r.hits, r.total) for name, r in state.ratios.items()},
        durations={name: list(d.values) for name, d in state.durations.items()},
        tallies={
            name: dict(tally.counts) for name, tally in state.tallies.items() if name != "ageing"
        },
        scores=tuple(state.scores.counts),
        names=dict(state.names),
        repeats=(hits + state.settled[0], total + state.settled[1]) if settle else None,
        arrivals={} if settle else {k: list(v) for k, v in state.arrivals.items()},
        substatuses=state.substatuses.summary(),
        dimensions=state.dimensions.summary(),
    )
