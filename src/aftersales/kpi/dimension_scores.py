"""Satisfaction by dimension (满意度维度) as a mergeable accumulator: :class:`DimensionScores`.

A return visit may score 专业知识, 服务态度, 响应速度, 解决效果 (or a
company's own :class:`~aftersales.vocab.SatisfactionDimension`) from 1 to 5
beside the overall score. Each ticket counts, per dimension, the latest score
its visits gave that dimension (as the overall satisfaction counts the
latest visit's score); :class:`DimensionScores` keeps one histogram of those
scores per dimension, so that partitions merge exactly, and gives per
dimension the count, the mean, the share at or above the CSAT threshold
(4–5 by default) and the distribution (:class:`DimensionSatisfaction`).

Example:
    >>> left, right = DimensionScores(), DimensionScores()
    >>> left.add((("service_attitude", 5), ("response_speed", 3)))
    >>> right.add((("service_attitude", 4),))
    >>> [(d.dimension, d.scores.count, d.scores.mean, d.scores.csat) for d in left.merge(right).result()]
    [('response_speed', 1, 3.0, 0.0), ('service_attitude', 2, 4.5, 100.0)]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import attrs

from aftersales import _checks as check
from aftersales.errors import InvalidData
from aftersales.kpi.accumulators import Scores, ScoreStats

__all__ = ["DimensionSatisfaction", "DimensionScores"]


@attrs.frozen(slots=True)
class DimensionSatisfaction:
    """The scores one satisfaction dimension got over a period: count, mean, CSAT, distribution.

    ``dimension`` is the dimension's code (``"service_attitude"``); ``scores``
    the :class:`~aftersales.kpi.ScoreStats` of the tickets that scored it.

    Example:
        >>> stats = DimensionSatisfaction("service_attitude", Scores.of([5, 4, 2]).result())
        >>> stats.scores.count, round(stats.scores.csat, 1)
        (3, 66.7)
    """

    dimension: str
    scores: ScoreStats


class DimensionScores:
    """One histogram of scores 1–5 per satisfaction dimension (see the module).

    ``csat_threshold`` is the lowest score counted as satisfied (the
    accumulator's ``KpiOptions.csat_threshold``).

    Example:
        >>> scores = DimensionScores(csat_threshold=5)
        >>> scores.add((("resolution_effect", 4),))
        >>> scores.result()[0].scores.csat
        0.0
    """

    __slots__ = ("csat_threshold", "histograms")

    def __init__(self, *, csat_threshold: int = 4) -> None:
        check.score(1, 5)(csat_threshold, "csat_threshold")
        self.csat_threshold = csat_threshold
        #: dimension code → histogram of its scores.
        self.histograms: dict[str, Scores] = {}

    def _of(self, dimension: str) -> Scores:
        found = self.histograms.get(dimension)
        if found is None:
            found = self.histograms[dimension] = Scores(csat_threshold=self.csat_threshold)
        return found

    def add(self, pairs: Iterable[tuple[str, int]]) -> None:
        """Add one ticket's scores: ``(dimension code, score 1–5)`` pairs."""
        for dimension, score in pairs:
            self._of(dimension).add(score)

    def merge(self, other: DimensionScores) -> DimensionScores:
        """A new accumulator with both operands' scores (same CSAT threshold)."""
        if not isinstance(other, DimensionScores) or other.csat_threshold != self.csat_threshold:
            message = f"{other!r} differs; accepted: DimensionScores(csat_threshold={self.csat_threshold})"
            raise InvalidData(f"other: {message}", problems=[("other", message)])
        merged = DimensionScores(csat_threshold=self.csat_threshold)
        empty = Scores(csat_threshold=self.csat_threshold)
        for dimension in sorted(set(self.histograms) | set(other.histograms)):
            mine = self.histograms.get(dimension, empty)
            merged.histograms[dimension] = mine.merge(other.histograms.get(dimension, empty))
        return merged

    def absorb(self, counts: Mapping[str, Sequence[int]]) -> None:
        """Add histograms counted elsewhere: dimension code → counts of the scores 1–5."""
        for dimension, histogram in counts.items():
            held = self._of(dimension).counts
            for index, count in enumerate(check.counts(list(histogram), dimension, length=5)):
                held[index] += count

    def summary(self) -> dict[str, tuple[int, ...]]:
        """The histograms as plain values (what :meth:`absorb` takes)."""
        return {dimension: tuple(h.counts) for dimension, h in self.histograms.items()}

    def result(self) -> tuple[DimensionSatisfaction, ...]:
        """Per dimension that got a score, by code: its :class:`DimensionSatisfaction`."""
        return tuple(
            DimensionSatisfaction(dimension, self.histograms[dimension].result())
            for dimension in sorted(self.histograms)
            if sum(self.histograms[dimension].counts)
        )
