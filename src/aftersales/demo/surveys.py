"""The demo quarter's answered surveys: after return visits, and on their own.

:func:`quarter_surveys` draws, from a seed, the surveys the quarter's
customers answered: about one ticket in three with a return visit gets a
survey a few hours to two days later (by WeChat, the web form or a call),
answering the NPS question and the overall satisfaction near the visit's
score, often the four dimensions, sometimes a comment; beside them
standalone surveys of customers with no ticket in hand (a quarterly NPS
campaign, some anonymous web forms), mostly promoters, some with
suggestions. The return-visit team classifies some comments itself
(``feedback_class``); the others are classified by the library's rule.
Entry point: this module may import every layer below.

Example:
    >>> surveys = quarter_surveys([], seed=7)
    >>> len(surveys) > 0, all(s.ticket_id is None for s in surveys)
    (True, True)
    >>> surveys == quarter_surveys([], seed=7)
    True
"""

from __future__ import annotations

import random
from collections.abc import Iterable

import pendulum

from aftersales.demo.quarter import QUARTER_END, QUARTER_START
from aftersales.kpi.feedback import FeedbackClass
from aftersales.kpi.surveys import SurveyResponse
from aftersales.model.satisfaction import dimension_scores
from aftersales.model.ticket import Ticket
from aftersales.vocab import Channel

__all__ = ["quarter_surveys"]

#: Comments by the class a reader would give them; the unhappy ones by dimension.
_STAFF = ("上门工程师迟到,也没有提前告知", "客服讲解不够专业,问了三遍", "电话等待太久才接通")
_RESOLUTION = ("问题反复出现,没有根治", "换货后仍有异响", "维修后功能恢复,但用了两周又坏了")
_SUGGESTIONS = (
    "希望增加夜间热线",
    "建议提供视频安装教程",
    "希望 App 里能看到维修进度",
    "建议配件在官方商城单独销售",
)
_PRAISE = ("工程师很专业,讲解清楚", "处理及时,满意", "态度很好,谢谢")
_DIMENSIONS = ("professional_knowledge", "service_attitude", "response_speed", "resolution_effect")
_CHANNELS = ("wechat", "web_form", "return_visit_call")
_CHANNEL_WEIGHTS = (5, 3, 2)
_RECORDERS = ("回访专员小周", "回访专员小林")


def _channel(rnd: random.Random) -> Channel:
    return Channel.get(rnd.choices(_CHANNELS, _CHANNEL_WEIGHTS)[0])


def _after_visit(ticket: Ticket, number: int, rnd: random.Random) -> SurveyResponse | None:
    """The survey a customer answered after the ticket's last return visit (``None``: past the quarter)."""
    visit = ticket.visits[-1]
    at = pendulum.instance(visit.at).add(minutes=rnd.randint(120, 2880))
    if at >= QUARTER_END:
        return None
    score = visit.score
    satisfaction = min(5, max(1, score + rnd.choice((-1, 0, 0, 0, 1))))
    dimensions = None
    if rnd.random() < 0.6:
        dimensions = {
            code: min(5, max(1, satisfaction + rnd.choice((-1, 0, 0, 1)))) for code in _DIMENSIONS
        }
    comment, given = "", None
    if rnd.random() < 0.4:
        if satisfaction <= 3:
            comment = rnd.choice(_STAFF if rnd.random() < 0.4 else _RESOLUTION)
        else:
            comment = rnd.choice(_PRAISE if rnd.random() < 0.5 else _SUGGESTIONS)
            if comment in _SUGGESTIONS and rnd.random() < 0.5:
                given = FeedbackClass.SUGGESTION
    return SurveyResponse(
        id=f"SV-{ticket.id}-{number}",
        at=at,
        channel=_channel(rnd),
        recorded_by=rnd.choice(_RECORDERS),
        customer_id=ticket.customer_id,
        ticket_id=ticket.id,
        nps=min(10, max(0, 2 * satisfaction + rnd.choice((-2, -1, 0, 0, 1)))),
        satisfaction=satisfaction,
        dimensions=dimension_scores(dimensions),
        comment=comment,
        feedback_class=given,
    )


def _standalone(number: int, customers: list[str], rnd: random.Random) -> SurveyResponse:
    """A survey answered with no ticket: a campaign's NPS question, now and then a suggestion."""
    days = (QUARTER_END - QUARTER_START).days
    at = QUARTER_START.add(
        days=rnd.randrange(days), hours=rnd.randint(9, 20), minutes=rnd.randrange(60)
    )
    anonymous = not customers or rnd.random() < 0.25
    comment = rnd.choice(_SUGGESTIONS) if rnd.random() < 0.3 else ""
    return SurveyResponse(
        id=f"SV-NPS-{number:04d}",
        at=at,
        channel=Channel.WEB_FORM if anonymous else _channel(rnd),
        recorded_by="NPS 问卷系统",
        customer_id=None if anonymous else rnd.choice(customers),
        nps=rnd.choices(range(11), weights=(1, 1, 1, 1, 1, 2, 3, 6, 10, 14, 12))[0],
        comment=comment,
    )


def quarter_surveys(tickets: Iterable[Ticket], *, seed: int) -> list[SurveyResponse]:
    """The surveys answered in the demo quarter about ``tickets`` and on their own, in ``(at, id)`` order.

    Example:
        >>> from aftersales.demo.quarter import plan_quarter, replay
        >>> tickets = [replay(p) for p in plan_quarter(seed=3, scale=0.05)]
        >>> surveys = quarter_surveys(tickets, seed=3)
        >>> any(s.ticket_id for s in surveys), any(s.ticket_id is None for s in surveys)
        (True, True)
    """
    rnd = random.Random(f"surveys/{seed}")
    found: list[SurveyResponse] = []
    customers: set[str] = set()
    visited = 0
    for ticket in tickets:
        customers.add(ticket.customer_id)
        if ticket.visits:
            visited += 1
            if rnd.random() < 0.35:
                survey = _after_visit(ticket, len(ticket.visits), rnd)
                if survey is not None:
                    found.append(survey)
    pool = sorted(customers)
    found += [_standalone(n, pool, rnd) for n in range(max(12, visited // 4))]
    return sorted(found, key=lambda s: (s.at, s.id))
