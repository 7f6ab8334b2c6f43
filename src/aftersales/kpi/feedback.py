"""Customer feedback by class (反馈分类): :class:`FeedbackClass` and the rule that classifies a comment.

DOMAIN §7: a customer's feedback is on the staff (服务人员: professional
knowledge, attitude, response speed), on the resolution (解决效果: its effect,
its accuracy), or a free suggestion (建议); every piece is recorded and
classified. A survey answer (:class:`~aftersales.kpi.SurveyResponse`) is a
piece of feedback when it carries a comment, and it falls in exactly one
class, decided by :func:`classify_feedback`, in this order:

1. the class recorded with it, when the person who read the comment gave one;
2. else, when a dimension scored under 4 (the customer was not satisfied with
   it), the lowest-scored dimension: 解决效果 → resolution, any other
   dimension (专业知识, 服务态度, 响应速度, a company's own) → staff; when
   解决效果 ties for the lowest, resolution;
3. else, when the overall satisfaction is under 4 or the NPS answer is a
   detractor's (0–6), resolution: an unhappy customer who named no dimension;
4. else (a satisfied customer's comment, or a comment with no score),
   suggestion.

Imports: the vocabulary and the satisfaction scores.

Example:
    >>> from aftersales.model.satisfaction import dimension_scores
    >>> classify_feedback(comment="师傅迟到", dimensions=dimension_scores({"服务态度": 2, "解决效果": 4}))
    <FeedbackClass.STAFF: 'staff'>
    >>> classify_feedback(comment="希望增加夜间热线", satisfaction=5)
    <FeedbackClass.SUGGESTION: 'suggestion'>
    >>> classify_feedback(comment="", satisfaction=1) is None
    True
"""

from __future__ import annotations

from collections.abc import Sequence

from aftersales.model.satisfaction import DimensionScore
from aftersales.vocab import SatisfactionDimension, _Labelled

__all__ = ["SATISFIED", "FeedbackClass", "classify_feedback"]

#: The lowest score (overall or by dimension) of a satisfied customer.
SATISFIED = 4
#: The highest NPS answer of a detractor.
_DETRACTOR = 6


class FeedbackClass(_Labelled):
    """The class of one piece of customer feedback (反馈分类).

    Example:
        >>> [(c.value, c.label_zh) for c in FeedbackClass]
        [('staff', '服务人员'), ('resolution', '解决效果'), ('suggestion', '建议')]
        >>> FeedbackClass.parse("建议") is FeedbackClass.SUGGESTION
        True
    """

    STAFF = ("staff", "服务人员")
    RESOLUTION = ("resolution", "解决效果")
    SUGGESTION = ("suggestion", "建议")


def classify_feedback(
    *,
    comment: str,
    given: FeedbackClass | None = None,
    dimensions: Sequence[DimensionScore] | None = None,
    satisfaction: int | None = None,
    nps: int | None = None,
) -> FeedbackClass | None:
    """The class of a comment by the module's rule; ``None`` when there is no comment.

    Example:
        >>> from aftersales.model.satisfaction import dimension_scores
        >>> low = dimension_scores({"专业知识": 3, "解决效果": 3})
        >>> classify_feedback(comment="没修好", dimensions=low)
        <FeedbackClass.RESOLUTION: 'resolution'>
        >>> classify_feedback(comment="没修好", dimensions=low, given=FeedbackClass.SUGGESTION)
        <FeedbackClass.SUGGESTION: 'suggestion'>
        >>> classify_feedback(comment="不会推荐", nps=3)
        <FeedbackClass.RESOLUTION: 'resolution'>
    """
    if not comment.strip():
        return None
    if given is not None:
        return given
    unhappy = [d for d in dimensions or () if d.score < SATISFIED]
    if unhappy:
        lowest = min(d.score for d in unhappy)
        codes = {d.dimension.code for d in unhappy if d.score == lowest}
        if SatisfactionDimension.RESOLUTION_EFFECT.code in codes:
            return FeedbackClass.RESOLUTION
        return FeedbackClass.STAFF
    if (satisfaction is not None and satisfaction < SATISFIED) or (
        nps is not None and nps <= _DETRACTOR
    ):
        return FeedbackClass.RESOLUTION
    return FeedbackClass.SUGGESTION
