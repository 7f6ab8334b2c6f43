"""A ticket's return visits as its facts keep them, with their scores by dimension.

:class:`VisitFacts` is one return visit reduced to plain values (the rows of
``ticket_visits``); :func:`visit_facts` reduces a ticket's visits;
:func:`latest_dimension_scores` gives, per satisfaction dimension, the score
of the latest visit that scored it — what the KPIs count for the ticket, as
:class:`~aftersales.kpi.TicketFacts` counts the latest overall score.
:func:`dimensions_text` and :func:`read_dimensions` write and read those
pairs as one text column (``code=score;…``). Domain layer: imports only the model.

Example:
    >>> from aftersales.testing.samples import sample_ticket
    >>> [v.score for v in visit_facts(sample_ticket())]
    [5]
    >>> latest_dimension_scores([VisitFacts(8, 0, 2, False, True, "", (("service_attitude", 2),)),
    ...                          VisitFacts(9, 1, 5, True, False, "", (("response_speed", 5),))])
    (('response_speed', 5), ('service_attitude', 2))
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from aftersales.model.ticket import Ticket

__all__ = [
    "DimensionPairs",
    "VisitFacts",
    "dimensions_text",
    "latest_dimension_scores",
    "read_dimensions",
    "visit_facts",
]

#: Scores by satisfaction dimension: ``(code, score)`` pairs sorted by code.
DimensionPairs = tuple[tuple[str, int], ...]


@attrs.frozen(slots=True)
class VisitFacts:
    """One return visit: when (µs since the epoch), score, resolved, under the threshold, comment.

    ``dimensions`` are its scores by satisfaction dimension, ``(code,
    score)`` sorted by code (empty when it scored only the overall satisfaction).

    Example:
        >>> VisitFacts(9, 0, 2, True, True, "等了太久").low_score
        True
    """

    seq: int
    at_us: int
    score: int
    resolved: bool
    low_score: bool
    comment: str
    dimensions: DimensionPairs = ()


def visit_facts(ticket: Ticket) -> tuple[VisitFacts, ...]:
    """The return visits of ``ticket``, oldest first, as plain values.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> visit_facts(sample_ticket())[0].dimensions
        ()
    """
    return tuple(
        VisitFacts(
            v.seq,
            v.at_us,
            v.score,
            v.resolved,
            v.low_score,
            v.comment,
            tuple((d.dimension.code, d.score) for d in v.dimensions or ()),
        )
        for v in ticket.visits
    )


def latest_dimension_scores(visits: Iterable[VisitFacts]) -> DimensionPairs:
    """Per dimension, the score of the latest of ``visits`` (oldest first) that scored it.

    Example:
        >>> latest_dimension_scores([VisitFacts(9, 0, 4, True, False, "", (("service_attitude", 3),)),
        ...                          VisitFacts(10, 1, 5, True, False, "", (("service_attitude", 5),))])
        (('service_attitude', 5),)
    """
    latest: dict[str, int] = {}
    for visit in visits:
        latest.update(visit.dimensions)
    return tuple(sorted(latest.items()))


def dimensions_text(pairs: DimensionPairs) -> str | None:
    """``code=score`` per dimension, ``;``-separated (codes hold none of ``=;``); ``None`` for none.

    Example:
        >>> dimensions_text((("response_speed", 4), ("service_attitude", 5)))
        'response_speed=4;service_attitude=5'
        >>> dimensions_text(()) is None
        True
    """
    return ";".join(f"{code}={score}" for code, score in pairs) if pairs else None


def read_dimensions(text: str | None) -> DimensionPairs:
    """The pairs of a text written by :func:`dimensions_text` (``None``: none).

    Example:
        >>> read_dimensions("response_speed=4;service_attitude=5")
        (('response_speed', 4), ('service_attitude', 5))
        >>> read_dimensions(None)
        ()
    """
    if not text:
        return ()
    pairs = []
    for item in text.split(";"):
        code, _, score = item.partition("=")
        pairs.append((code, int(score)))
    return tuple(pairs)
