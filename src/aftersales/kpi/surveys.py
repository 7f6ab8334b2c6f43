"""Survey answers the KPIs read beside the tickets: :class:`NpsResponse` and :class:`SurveyResponse`.

:class:`NpsResponse` is one NPS answer of a customer; :class:`SurveyResponse`
is a whole answered survey (NPS, overall satisfaction, satisfaction by
dimension, a comment), about a ticket or on its own, as stores keep it
(``save_survey``). Imports: the vocabulary, the model's satisfaction scores
and masking, the feedback classes.

Example:
    >>> import pendulum
    >>> NpsResponse(customer_id="C1", score=10, at=pendulum.datetime(2026, 10, 3, tz="UTC")).ticket_id is None
    True
"""

from __future__ import annotations

from typing import ClassVar

import attrs
import pendulum

from aftersales import _checks as check
from aftersales.errors import InvalidData
from aftersales.kpi.feedback import FeedbackClass, classify_feedback
from aftersales.model.masking import default_masking
from aftersales.model.satisfaction import DimensionScore, dimension_scores
from aftersales.vocab import Channel

__all__ = ["NpsResponse", "SurveyResponse"]


@attrs.frozen(slots=True, kw_only=True)
class NpsResponse:
    """One answer to "how likely are you to recommend us?" (0–10), from a survey.

    NPS is not a ticket field: surveys are usually sent per customer, not per
    ticket, so answers come in as their own records.

    Example:
        >>> import pendulum
        >>> NpsResponse(customer_id="C1", score=9, at=pendulum.datetime(2026, 10, 3, tz="UTC")).score
        9
        >>> NpsResponse(customer_id="C1", score=11, at=pendulum.datetime(2026, 10, 3, tz="UTC"))
        Traceback (most recent call last):
        ...
        aftersales.errors.ScoreOutOfRange: score: 11 is out of range; accepted: an integer from 0 to 10
    """

    customer_id: str
    score: int
    at: pendulum.DateTime
    ticket_id: str | None = None
    comment: str = ""

    def __attrs_post_init__(self) -> None:
        check.run_checks(
            self,
            (
                ("customer_id", check.identifier),
                ("score", check.score(0, 10)),
                ("at", check.aware),
                ("ticket_id", check.optional(check.identifier)),
                ("comment", check.optional_text),
            ),
        )


def _masked_comment(comment: object) -> str:
    """The repr of a comment: a phone number or e-mail address written in it is masked."""
    if not isinstance(comment, str):
        return repr(comment)
    return repr(default_masking().text(comment))


@attrs.frozen(slots=True, kw_only=True)
class SurveyResponse:
    """One answered survey (满意度调查 / NPS 调查), about a ticket or on its own.

    A survey is sent after a ticket (``ticket_id``) or to a customer with no
    ticket at all (``customer_id`` only, or neither for an anonymous online
    form); it answers the NPS question (``nps``, 0–10), the overall
    satisfaction (``satisfaction``, 1–5), the satisfaction by dimension
    (``dimensions``: 专业知识, 服务态度, 响应速度, 解决效果 or a company's own,
    1–5 each; a mapping of dimensions to scores is accepted), a free
    ``comment``, or any of these, but at least one. ``channel`` is how it was
    answered (a :class:`~aftersales.vocab.Channel`: a return-visit call, a
    WeChat form …), ``recorded_by`` who recorded it, ``feedback_class`` the
    class of its comment when the person who read it chose one.
    :attr:`feedback` is the class it is counted in (see
    :mod:`aftersales.kpi.feedback`). The repr masks a phone number or e-mail
    address written in the comment.

    Every bad field is refused at once (``InvalidData`` listing each, or the
    field's own error: ``ScoreOutOfRange``, ``UnknownValue`` …).

    Example:
        >>> import pendulum
        >>> answer = SurveyResponse(
        ...     id="S-1", at=pendulum.datetime(2026, 12, 3, 10, tz="Asia/Shanghai"),
        ...     channel="wechat", recorded_by="李娜", customer_id="C1", nps=9,
        ...     dimensions={"服务态度": 5, "解决效果": 3}, comment="请回电 13812345678",
        ... )
        >>> answer.feedback.label_zh, answer.at.isoformat()
        ('解决效果', '2026-12-03T02:00:00+00:00')
        >>> answer.comment in repr(answer), "138****5678" in repr(answer)
        (False, True)
        >>> SurveyResponse(id="S-2", at=answer.at, channel="phone", recorded_by="李娜")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: answers: nothing answered; accepted: an NPS answer (0–10), a satisfaction score (1–5), scores by dimension or a comment
    """

    id: str
    at: pendulum.DateTime
    channel: Channel
    recorded_by: str
    customer_id: str | None = None
    ticket_id: str | None = None
    nps: int | None = None
    satisfaction: int | None = None
    dimensions: tuple[DimensionScore, ...] | None = None
    comment: str = attrs.field(default="", repr=_masked_comment)
    feedback_class: FeedbackClass | None = None

    _checks: ClassVar[check.Checks] = (
        ("id", check.identifier),
        ("at", check.aware),
        ("channel", check.term(Channel)),
        ("recorded_by", check.text),
        ("customer_id", check.optional(check.identifier)),
        ("ticket_id", check.optional(check.identifier)),
        ("nps", check.optional(check.score(0, 10))),
        ("satisfaction", check.optional(check.score(1, 5))),
        ("dimensions", dimension_scores),
        ("comment", check.optional_text),
        ("feedback_class", check.optional(check.member(FeedbackClass))),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)
        if (
            self.nps is None
            and self.satisfaction is None
            and self.dimensions is None
            and not self.comment.strip()
        ):
            message = (
                "nothing answered; accepted: an NPS answer (0–10), a satisfaction score (1–5),"
                " scores by dimension or a comment"
            )
            raise InvalidData(f"answers: {message}", problems=[("answers", message)])

    @property
    def feedback(self) -> FeedbackClass | None:
        """The class the comment is counted in (:func:`~aftersales.kpi.feedback.classify_feedback`); ``None`` without one.

        Example:
            >>> import pendulum
            >>> SurveyResponse(
            ...     id="S-3", at=pendulum.datetime(2026, 12, 3, tz="UTC"), channel="web_form",
            ...     recorded_by="系统", comment="希望增加夜间热线",
            ... ).feedback
            <FeedbackClass.SUGGESTION: 'suggestion'>
        """
        return classify_feedback(
            comment=self.comment,
            given=self.feedback_class,
            dimensions=self.dimensions,
            satisfaction=self.satisfaction,
            nps=self.nps,
        )

    def nps_response(self) -> NpsResponse | None:
        """The NPS answer as an :class:`NpsResponse` (``None`` without one, or without a customer).

        Example:
            >>> import pendulum
            >>> SurveyResponse(
            ...     id="S-4", at=pendulum.datetime(2026, 12, 3, tz="UTC"), channel="phone",
            ...     recorded_by="李娜", customer_id="C1", nps=10,
            ... ).nps_response().score
            10
        """
        if self.nps is None or self.customer_id is None:
            return None
        return NpsResponse(
            customer_id=self.customer_id,
            score=self.nps,
            at=self.at,
            ticket_id=self.ticket_id,
            comment=self.comment,
        )
