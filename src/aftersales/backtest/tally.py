"""Adding up a backtest: per metric and per breakdown, met and breached under each policy, and the flips.

A :class:`BacktestTally` takes, cycle by cycle, the state of one SLA clock
cycle under the current policy and under the proposed one
(:meth:`BacktestTally.add_cycle`); tallies of partitions merge
(:meth:`BacktestTally.merge`) into the same counts in any order, so a
backtest spreads over processes. :meth:`BacktestTally.result` is the
:class:`Backtest`: per metric (:class:`MetricComparison`) and per priority,
category, channel and team (:class:`GroupComparison`) the met and breached
cycles and rates under each policy, and the :class:`Flip` s, the cycles
breached under one policy and not under the other, the first of them with an
``explain()`` of each side. Only cycles that count (see
:attr:`~aftersales.sla.MetricResult.counts`) are tallied. Domain layer.

Example:
    >>> from aftersales.sla import SlaState
    >>> tally = BacktestTally()
    >>> keys = GroupKeys("urgent", "product_quality", "phone", "热线一组")
    >>> tally.add_cycle("T1", keys, "first_response", 0, SlaState.MET, SlaState.BREACHED)
    >>> tally.add_cycle("T2", keys, "first_response", 0, SlaState.MET, SlaState.MET)
    >>> result = tally.result()
    >>> row = result.metric("first_response")
    >>> (row.current_met, row.proposed_met, row.proposed_breached), [f.ticket_id for f in result.flips]
    ((2, 1, 1), ['T1'])
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Final

import attrs

from aftersales import _checks as check
from aftersales.errors import UnknownValue
from aftersales.sla import SlaState

__all__ = [
    "DIMENSIONS",
    "Backtest",
    "BacktestTally",
    "Flip",
    "GroupComparison",
    "GroupKeys",
    "MetricComparison",
]

#: The breakdowns of a backtest, in the order reports show them.
DIMENSIONS: Final = ("priority", "category", "channel", "team")

_MET, _BREACHED = SlaState.MET, SlaState.BREACHED
# counters of a row: cycles, met and breached under the current policy, under the
# proposed one, and the flips to breached and to not breached
_ROW = 7


@attrs.frozen(slots=True)
class GroupKeys:
    """A ticket's values of the breakdowns: priority, category and channel codes, and team.

    Example:
        >>> GroupKeys("urgent", "consultation", "phone", "(no team)").of("channel")
        'phone'
    """

    priority: str
    category: str
    channel: str
    team: str

    def of(self, dimension: str) -> str:
        """The value of one of :data:`DIMENSIONS`."""
        return str(getattr(self, check.member_of(DIMENSIONS)(dimension, "dimension")))


@attrs.frozen(slots=True)
class Flip:
    """A clock cycle breached under one policy and not under the other.

    ``current`` and ``proposed`` are the cycle's :class:`~aftersales.sla.SlaState`
    values under each; ``current_explain`` and ``proposed_explain`` the
    ``explain()`` of each side (empty beyond the backtest's explained flips).

    Example:
        >>> flip = Flip("T1", "first_response", 0, "met", "breached",
        ...             GroupKeys("urgent", "consultation", "phone", "一组"))
        >>> flip.to_breached
        True
    """

    ticket_id: str
    metric: str
    cycle: int
    current: str
    proposed: str
    keys: GroupKeys
    current_explain: str = ""
    proposed_explain: str = ""

    @property
    def to_breached(self) -> bool:
        """True when the proposed policy breaches a cycle the current one does not."""
        return self.proposed == _BREACHED.value

    @property
    def order(self) -> tuple[str, str, int, str, str]:
        """The order flips are listed and explained in: ticket, metric, cycle, then the two
        states, a total order, so that partitions merge to the same list in any split."""
        return (self.ticket_id, self.metric, self.cycle, self.current, self.proposed)


def _rate(met: int, breached: int) -> float | None:
    judged = met + breached
    return None if judged == 0 else met / judged


@attrs.frozen(slots=True)
class MetricComparison:
    """One metric's cycles under both policies: met, breached, met rate, and flips each way.

    ``current_rate``/``proposed_rate`` are met / (met + breached) (``None``
    without any judged cycle); running, paused, cancelled and not applicable
    cycles count in ``cycles`` only.

    Example:
        >>> row = MetricComparison("first_response", 10, 9, 1, 7, 3, 2, 0)
        >>> row.current_rate, row.proposed_rate
        (0.9, 0.7)
    """

    metric: str
    cycles: int
    current_met: int
    current_breached: int
    proposed_met: int
    proposed_breached: int
    to_breached: int
    to_met: int

    @property
    def current_rate(self) -> float | None:
        """The met rate under the current policy."""
        return _rate(self.current_met, self.current_breached)

    @property
    def proposed_rate(self) -> float | None:
        """The met rate under the proposed policy."""
        return _rate(self.proposed_met, self.proposed_breached)

    @property
    def flips(self) -> int:
        """Flips either way."""
        return self.to_breached + self.to_met


@attrs.frozen(slots=True)
class GroupComparison:
    """One metric's comparison among the tickets of one breakdown value (``dimension`` = ``value``).

    Example:
        >>> row = GroupComparison("priority", "urgent", MetricComparison("first_response", 4, 4, 0, 3, 1, 1, 0))
        >>> row.comparison.flips
        1
    """

    dimension: str
    value: str
    comparison: MetricComparison


def _comparison(metric: str, row: list[int]) -> MetricComparison:
    return MetricComparison(metric, *row)


@attrs.frozen(slots=True, kw_only=True)
class Backtest:
    """What a period would have looked like under a proposed SLA policy, beside the current one.

    ``same_policy_flips`` is the sanity check: the flips found when the
    current policy is judged against itself by the same code (0 unless
    something is wrong; the reports show it first). ``tickets`` counts the
    tickets compared; ``from_facts`` of them were judged from their stored
    facts, the others replayed from their events. ``flips`` are every flip,
    in ticket order; the first ``explained`` carry both sides' ``explain()``.

    Example:
        >>> BacktestTally().result().same_policy_flips
        0
    """

    metrics: tuple[MetricComparison, ...]
    groups: tuple[GroupComparison, ...]
    flips: tuple[Flip, ...]
    tickets: int
    from_facts: int
    same_policy_cycles: int
    same_policy_flips: int
    explained: int

    def metric(self, name: str) -> MetricComparison:
        """The comparison of metric ``name``; ``UnknownValue`` naming the metrics otherwise."""
        for row in self.metrics:
            if row.metric == name:
                return row
        raise UnknownValue("metric", name, [row.metric for row in self.metrics])

    def breakdown(self, dimension: str) -> tuple[GroupComparison, ...]:
        """The rows of one of :data:`DIMENSIONS`, by value then metric."""
        wanted = check.member_of(DIMENSIONS)(dimension, "dimension")
        return tuple(row for row in self.groups if row.dimension == wanted)


@attrs.define(slots=True)
class BacktestTally:
    """The mergeable counts of a backtest (see the module); ``explain_limit`` flips get explained.

    Example:
        >>> a, b = BacktestTally(), BacktestTally()
        >>> keys = GroupKeys("general", "consultation", "email", "(no team)")
        >>> a.add_cycle("T2", keys, "resolution", 0, SlaState.BREACHED, SlaState.MET)
        >>> b.add_cycle("T1", keys, "resolution", 0, SlaState.MET, SlaState.MET)
        >>> a.merge(b).result() == b.merge(a).result()
        True
    """

    explain_limit: int = 50
    tickets: int = 0
    from_facts: int = 0
    same_policy_cycles: int = 0
    same_policy_flips: int = 0
    #: cycles by metric, breakdown values and the states under each policy
    _cells: Counter[tuple[str, GroupKeys, str, str]] = attrs.field(factory=Counter)
    _flips: list[Flip] = attrs.field(factory=list)

    def add_ticket(self, *, from_facts: bool) -> None:
        """Count one ticket compared (judged from stored facts, or replayed)."""
        self.tickets += 1
        self.from_facts += from_facts

    def add_check(self, agrees: bool) -> None:
        """Count one cycle of the same-policy check (``agrees``: no flip against itself)."""
        self.same_policy_cycles += 1
        self.same_policy_flips += not agrees

    def add_cycle(
        self,
        ticket_id: str,
        keys: GroupKeys,
        metric: str,
        cycle: int,
        current: SlaState,
        proposed: SlaState,
    ) -> None:
        """One counting cycle: its state under the current policy and under the proposed one."""
        self._cells[(metric, keys, current.value, proposed.value)] += 1
        if (current is _BREACHED) != (proposed is _BREACHED):
            self._flips.append(Flip(ticket_id, metric, cycle, current.value, proposed.value, keys))

    def flips_to_explain(self) -> list[Flip]:
        """The flips that get an ``explain()``: the first ``explain_limit`` in ticket order."""
        return sorted(self._flips, key=lambda flip: flip.order)[: self.explain_limit]

    def explain(self, explained: Iterable[Flip]) -> None:
        """Replace flips by the same flips with their explanations."""
        by_order = {flip.order: flip for flip in explained}
        self._flips = [by_order.get(flip.order, flip) for flip in self._flips]

    def merge(self, other: BacktestTally) -> BacktestTally:
        """A new tally holding both (neither changes); the explained flips stay the first ones."""
        merged = BacktestTally(
            min(self.explain_limit, other.explain_limit),
            self.tickets + other.tickets,
            self.from_facts + other.from_facts,
            self.same_policy_cycles + other.same_policy_cycles,
            self.same_policy_flips + other.same_policy_flips,
        )
        merged._cells = self._cells + other._cells
        flips = sorted([*self._flips, *other._flips], key=lambda flip: flip.order)
        limit = merged.explain_limit
        merged._flips = [*flips[:limit], *(_unexplained(f) for f in flips[limit:])]
        return merged

    def result(self) -> Backtest:
        """The :class:`Backtest` of everything added."""
        metrics: dict[str, list[int]] = {}
        groups: dict[tuple[str, str, str], list[int]] = {}
        for (metric, keys, current, proposed), count in self._cells.items():
            row = _row(current, proposed, count)
            _add(metrics.setdefault(metric, [0] * _ROW), row)
            for dimension in DIMENSIONS:
                _add(groups.setdefault((dimension, keys.of(dimension), metric), [0] * _ROW), row)
        flips = sorted(self._flips, key=lambda flip: flip.order)
        return Backtest(
            metrics=tuple(_comparison(m, row) for m, row in sorted(metrics.items())),
            groups=tuple(
                GroupComparison(dimension, value, _comparison(metric, row))
                for (dimension, value, metric), row in sorted(
                    groups.items(), key=lambda item: (DIMENSIONS.index(item[0][0]), item[0])
                )
            ),
            flips=tuple(flips),
            tickets=self.tickets,
            from_facts=self.from_facts,
            same_policy_cycles=self.same_policy_cycles,
            same_policy_flips=self.same_policy_flips,
            explained=sum(1 for flip in flips if flip.current_explain),
        )


def _row(current: str, proposed: str, count: int) -> list[int]:
    """The counters of ``count`` cycles in these states (see ``_ROW``)."""
    breached_before, breached_after = current == _BREACHED.value, proposed == _BREACHED.value
    return [
        count,
        count * (current == _MET.value),
        count * breached_before,
        count * (proposed == _MET.value),
        count * breached_after,
        count * (breached_after and not breached_before),
        count * (breached_before and not breached_after),
    ]


def _add(total: list[int], row: list[int]) -> None:
    for index, value in enumerate(row):
        total[index] += value


def _unexplained(flip: Flip) -> Flip:
    if not flip.current_explain and not flip.proposed_explain:
        return flip
    return attrs.evolve(flip, current_explain="", proposed_explain="")
