"""The answered surveys of a period as a mergeable accumulator: :class:`SurveyCounts` → :class:`SurveyFigures`.

:class:`~aftersales.kpi.ServiceKpis` feeds it every
:class:`~aftersales.kpi.SurveyResponse` answered in its period (``add_survey``).
It counts the surveys, their overall satisfaction and their satisfaction by
dimension — apart from the return visits' figures (``KpiFigures.satisfaction``),
so that a survey about a ticket never counts that ticket's visit twice — and
their comments by feedback class (服务人员, 解决效果, 建议; the rule is
:func:`~aftersales.kpi.feedback.classify_feedback`). Their NPS answers go to
``KpiFigures.nps``. Partitions merge exactly: every counter is a sum.

Example:
    >>> import pendulum
    >>> from aftersales.kpi.surveys import SurveyResponse
    >>> at = pendulum.datetime(2026, 12, 3, tz="UTC")
    >>> left, right = SurveyCounts(), SurveyCounts()
    >>> left.add(SurveyResponse(id="S1", at=at, channel="phone", recorded_by="李娜", satisfaction=5, comment="很好"))
    >>> right.add(SurveyResponse(id="S2", at=at, channel="phone", recorded_by="李娜", satisfaction=2, comment="没修好"))
    >>> figures = left.merge(right).result()
    >>> figures.count, figures.satisfaction.mean, figures.feedback
    (2, 3.5, (('staff', 0), ('resolution', 1), ('suggestion', 1)))
"""

from __future__ import annotations

import attrs

from aftersales.kpi.accumulators import Scores, ScoreStats, Tally
from aftersales.kpi.dimension_scores import DimensionSatisfaction, DimensionScores
from aftersales.kpi.feedback import FeedbackClass
from aftersales.kpi.surveys import SurveyResponse

__all__ = ["SurveyCounts", "SurveyFigures"]


@attrs.frozen(slots=True, kw_only=True)
class SurveyFigures:
    """What the surveys of a period say: how many, their satisfaction, their feedback by class.

    ``feedback`` lists every :class:`~aftersales.kpi.FeedbackClass` in its
    order (staff, resolution, suggestion) with the number of comments in it,
    zeros included; ``commented`` is their sum.

    Example:
        >>> empty = SurveyCounts().result()
        >>> empty.count, empty.satisfaction.mean, empty.commented
        (0, None, 0)
    """

    count: int
    satisfaction: ScoreStats
    satisfaction_by_dimension: tuple[DimensionSatisfaction, ...]
    feedback: tuple[tuple[str, int], ...]

    @property
    def commented(self) -> int:
        """The surveys with a comment: the pieces of feedback counted by class."""
        return sum(count for _, count in self.feedback)

    @staticmethod
    def empty(csat_threshold: int = 4) -> SurveyFigures:
        """The figures of no survey at all.

        Example:
            >>> SurveyFigures.empty().feedback
            (('staff', 0), ('resolution', 0), ('suggestion', 0))
        """
        return SurveyCounts(csat_threshold=csat_threshold).result()


class SurveyCounts:
    """The counters behind :class:`SurveyFigures` (see the module).

    ``csat_threshold`` is the lowest score counted as satisfied in the CSAT
    shares (``KpiOptions.csat_threshold``).

    Example:
        >>> SurveyCounts(csat_threshold=5).result().satisfaction.csat_threshold
        5
    """

    __slots__ = ("classes", "count", "dimensions", "scores")

    def __init__(self, *, csat_threshold: int = 4) -> None:
        self.count = 0
        self.scores = Scores(csat_threshold=csat_threshold)
        self.dimensions = DimensionScores(csat_threshold=csat_threshold)
        self.classes: Tally[str] = Tally()

    def add(self, response: SurveyResponse) -> None:
        """Count one answered survey (its period is the caller's to check)."""
        self.count += 1
        if response.satisfaction is not None:
            self.scores.add(response.satisfaction)
        if response.dimensions:
            self.dimensions.add(tuple((d.dimension.code, d.score) for d in response.dimensions))
        feedback = response.feedback
        if feedback is not None:
            self.classes.add(feedback.value)

    def merge(self, other: SurveyCounts) -> SurveyCounts:
        """A new accumulator holding the surveys of both."""
        merged = SurveyCounts(csat_threshold=self.scores.csat_threshold)
        merged.count = self.count + other.count
        merged.scores = self.scores.merge(other.scores)
        merged.dimensions = self.dimensions.merge(other.dimensions)
        merged.classes = self.classes.merge(other.classes)
        return merged

    def result(self) -> SurveyFigures:
        """The :class:`SurveyFigures` of the surveys counted."""
        counts = self.classes.counts
        return SurveyFigures(
            count=self.count,
            satisfaction=self.scores.result(),
            satisfaction_by_dimension=self.dimensions.result(),
            feedback=tuple((c.value, counts.get(c.value, 0)) for c in FeedbackClass),
        )
