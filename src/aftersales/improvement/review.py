"""Effect review (效果评估): the linked problem type before vs after an action.

Satisfaction and volume are computed from the tickets themselves, over two
periods the user chooses (typically the weeks before the action and the 1–2
weeks after it was completed). A ticket belongs to a period by the time it was
received; its satisfaction is the score of its latest return visit.

Example:
    >>> import pendulum
    >>> from aftersales.testing.samples import sample_ticket
    >>> before = ReviewWindow(pendulum.datetime(2024, 5, 1, tz="Asia/Shanghai"),
    ...                       pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai"))
    >>> after = ReviewWindow(pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai"),
    ...                      pendulum.datetime(2024, 7, 1, tz="Asia/Shanghai"))
    >>> review = effect_review([sample_ticket()], category="product_quality",
    ...                        before=before, after=after)
    >>> review.before.tickets, review.before.mean_satisfaction, review.after.tickets
    (1, 5.0, 0)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import ClassVar

import attrs
import pendulum

from aftersales import _checks as check
from aftersales.errors import InvalidData
from aftersales.improvement.actions import ImprovementAction
from aftersales.model.ticket import Ticket
from aftersales.vocab import ProblemCategory

__all__ = ["EffectReview", "PeriodFigures", "ReviewWindow", "effect_review", "review_action"]


@attrs.frozen(slots=True)
class ReviewWindow:
    """A half-open period ``[start, end)`` of an effect review.

    Example:
        >>> import pendulum
        >>> ReviewWindow(pendulum.datetime(2024, 6, 2, tz="UTC"), pendulum.datetime(2024, 6, 1, tz="UTC"))
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: end: 2024-06-01T00:00:00+00:00 is not after start; accepted: a later time
    """

    start: pendulum.DateTime
    end: pendulum.DateTime

    _checks: ClassVar[check.Checks] = (("start", check.aware), ("end", check.aware))

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)
        if self.end <= self.start:
            message = f"{self.end.isoformat()} is not after start; accepted: a later time"
            raise InvalidData(f"end: {message}", problems=[("end", message)])

    def __contains__(self, at: object) -> bool:
        return isinstance(at, datetime) and self.start <= at < self.end

    @classmethod
    def around(
        cls, at: datetime, *, weeks_before: int = 4, weeks_after: int = 2
    ) -> tuple[ReviewWindow, ReviewWindow]:
        """The usual pair: ``weeks_before`` weeks up to ``at``, ``weeks_after`` weeks from it.

        Example:
            >>> import pendulum
            >>> b, a = ReviewWindow.around(pendulum.datetime(2024, 6, 1, tz="UTC"), weeks_before=2)
            >>> b.start.to_date_string(), a.end.to_date_string()
            ('2024-05-18', '2024-06-15')
        """
        pivot = check.aware(at, "at")
        return (
            cls(pivot.subtract(weeks=weeks_before), pivot),
            cls(pivot, pivot.add(weeks=weeks_after)),
        )


@attrs.frozen(slots=True)
class PeriodFigures:
    """Volume and satisfaction of the problem type in one period.

    ``mean_satisfaction`` is the mean of the scored tickets (``None`` when none
    was scored), rounded to 2 decimals.

    Example:
        >>> PeriodFigures(tickets=4, scored=2, satisfaction_total=7).mean_satisfaction
        3.5
    """

    tickets: int
    scored: int
    satisfaction_total: int

    @property
    def mean_satisfaction(self) -> float | None:
        """Mean satisfaction 1–5 of the scored tickets, or ``None``."""
        return None if self.scored == 0 else round(self.satisfaction_total / self.scored, 2)


@attrs.frozen(slots=True)
class EffectReview:
    """Before vs after for one problem type (and product, when given).

    Example:
        >>> r = EffectReview(category=ProblemCategory.LOGISTICS_DELAY, product_model=None,
        ...                  before=PeriodFigures(10, 5, 16), after=PeriodFigures(4, 2, 9))
        >>> r.before.mean_satisfaction, r.after.mean_satisfaction, r.satisfaction_change
        (3.2, 4.5, 1.3)
        >>> r.volume_change, r.improved
        (-6, True)
        >>> print(r.summary("zh"))
        物流延迟: 满意度 3.2 → 4.5 (+1.3), 工单量 10 → 4 (-6)
    """

    category: ProblemCategory
    product_model: str | None
    before: PeriodFigures
    after: PeriodFigures

    @property
    def satisfaction_change(self) -> float | None:
        """After minus before, or ``None`` when either period has no score."""
        b, a = self.before.mean_satisfaction, self.after.mean_satisfaction
        return None if a is None or b is None else round(a - b, 2)

    @property
    def volume_change(self) -> int:
        """Tickets after minus tickets before."""
        return self.after.tickets - self.before.tickets

    @property
    def improved(self) -> bool | None:
        """Satisfaction rose (``None`` when it cannot be compared)."""
        change = self.satisfaction_change
        return None if change is None else change > 0

    def summary(self, lang: str = "en") -> str:
        """One line: ``category: satisfaction b → a (+d), tickets b → a (d)``."""

        def show(value: float | None) -> str:
            return "–" if value is None else f"{value:g}"

        change = self.satisfaction_change
        delta = "" if change is None else f" ({change:+g})"
        what = self.category.label(lang)
        if self.product_model is not None:
            what = f"{what} / {self.product_model}"
        sat, vol = ("满意度", "工单量") if lang == "zh" else ("satisfaction", "tickets")
        return (
            f"{what}: {sat} {show(self.before.mean_satisfaction)} → "
            f"{show(self.after.mean_satisfaction)}{delta}, {vol} {self.before.tickets} → "
            f"{self.after.tickets} ({self.volume_change:+d})"
        )


def _figures(tickets: list[Ticket], window: ReviewWindow) -> PeriodFigures:
    inside = [t for t in tickets if t.received_at in window]
    scores = [t.satisfaction for t in inside if t.satisfaction is not None]
    return PeriodFigures(len(inside), len(scores), sum(scores))


def effect_review(
    tickets: Iterable[Ticket],
    *,
    category: ProblemCategory | str,
    before: ReviewWindow,
    after: ReviewWindow,
    product_model: str | None = None,
) -> EffectReview:
    """Satisfaction and volume of ``category`` (and ``product_model``) in two periods.

    Cancelled tickets are not counted. The periods may be any two windows
    (they may even overlap; each is computed on its own).

    Example:
        >>> effect_review([], category="物流延迟", before=ReviewWindow.around(
        ...     pendulum.datetime(2024, 6, 1, tz="UTC"))[0], after=ReviewWindow.around(
        ...     pendulum.datetime(2024, 6, 1, tz="UTC"))[1]).after.mean_satisfaction is None
        True
    """
    kind: ProblemCategory = check.term(ProblemCategory)(category, "category")
    for name, window in (("before", before), ("after", after)):
        check.instance_of(ReviewWindow)(window, name)
    model = check.optional_name(product_model, "product_model")
    listed = check.tuple_of(check.instance_of(Ticket))(tickets, "tickets")
    relevant = [
        t
        for t in listed
        if t.category == kind
        and t.cancelled_at is None
        and (model is None or t.product_model == model)
    ]
    return EffectReview(kind, model, _figures(relevant, before), _figures(relevant, after))


def review_action(
    action: ImprovementAction,
    tickets: Iterable[Ticket],
    *,
    before: ReviewWindow | None = None,
    after: ReviewWindow | None = None,
    weeks_before: int = 4,
    weeks_after: int = 2,
) -> EffectReview:
    """The effect review of an action's problem type (and product).

    Without explicit windows: ``weeks_before`` weeks before the action was
    created against ``weeks_after`` weeks from its completion; an action not
    completed yet needs explicit windows.

    Example:
        >>> import pendulum
        >>> at = pendulum.datetime(2024, 5, 20, 10, tz="Asia/Shanghai")
        >>> a = ImprovementAction.plan(id="IA-6", problem="p", cause_id="RC-6",
        ...     category="consultation", type="process_change", title="t", owner="o",
        ...     acceptance="a", at=at, by="b", due_at=at.add(days=14))
        >>> review_action(a, [])
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: after: is missing and the action is not completed; accepted: explicit before= and after= windows
    """
    if before is None:
        before = ReviewWindow(action.created_at.subtract(weeks=weeks_before), action.created_at)
    if after is None:
        done = action.completed_at
        if done is None:
            message = (
                "is missing and the action is not completed;"
                " accepted: explicit before= and after= windows"
            )
            raise InvalidData(f"after: {message}", problems=[("after", message)])
        after = ReviewWindow(done, done.add(weeks=weeks_after))
    return effect_review(
        tickets,
        category=action.category,
        before=before,
        after=after,
        product_model=action.product_model,
    )
