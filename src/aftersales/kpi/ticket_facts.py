"""One ticket reduced to what the KPIs read, as of an instant: :class:`TicketFacts`.

The row :class:`~aftersales.kpi.ServiceKpis` adds up. It is made by
:class:`~aftersales.kpi.facts.FactsReader` (from a ticket) or finished from a
ticket's stored facts (:func:`aftersales.readmodel.facts.finish`); both go
through the same code, in :mod:`aftersales.readmodel.facts`. Kept in a module
of its own so that the read models can build it without importing the reader
(``aftersales.kpi.facts.TicketFacts`` still names it).

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.kpi import Period, ServiceKpis
    >>> from aftersales.testing.samples import sample_ticket
    >>> facts = ServiceKpis(Period.parse("2024-05", "UTC"), WorkCalendar.always("UTC")).facts(sample_ticket())
    >>> isinstance(facts, TicketFacts), facts.channel
    (True, 'phone')
"""

from __future__ import annotations

from datetime import date

import attrs

__all__ = ["TicketFacts"]


@attrs.frozen(slots=True, kw_only=True)
class TicketFacts:
    """What the KPIs read from one ticket, as of an instant: one flat row.

    Durations are integer microseconds (``*_work_us``: working time on the
    calendar; the others: calendar time). ``sla`` is ``(metric, met, breached)``
    per metric, counting the cycles that count, and ``sla_in_progress``
    ``(metric, running or paused)``; ``callbacks_met`` / ``callbacks_missed``
    are the met / breached cycles of the ``low_score_callback`` metric (see
    :mod:`aftersales.kpi.sla_counts`). ``substatuses`` is ``(code, stays ended,
    their working µs, their calendar µs, in it still)`` per sub-status the
    ticket was in (see :mod:`aftersales.readmodel.substatus_spans`).
    ``ticket_type`` is the type code recorded at intake (``None``: not
    recorded) and ``complaint`` whether the ticket is a complaint
    (:func:`aftersales.priority.is_complaint`; a row built without it counts
    as one, as every ticket did before types); ``dimensions`` are, per
    satisfaction dimension, the latest score the visits gave it (``(code,
    score)`` sorted by code). This is also the row the benchmark hands to pandas.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.kpi import Period, ServiceKpis
        >>> kpis = ServiceKpis(Period.parse("2024-05", "UTC"), WorkCalendar.always("UTC"))
        >>> facts = kpis.facts(sample_ticket())
        >>> facts.closed, facts.score, facts.first_response_us // 1_000_000
        (True, 5, 300)
    """

    ticket_id: str
    customer_id: str
    customer_name: str
    channel: str
    category: str
    product: str | None
    priority: str
    agent: str
    root_cause: str | None
    received_us: int
    local_date: date
    local_hour: int
    cancelled: bool
    closed: bool
    open: bool
    first_response_us: int | None
    first_response_work_us: int | None
    resolution_us: int | None
    resolution_work_us: int | None
    first_contact: bool
    escalated: bool
    reopened: bool
    ever_closed: bool
    one_touch: bool
    high_impact: bool
    score: int | None
    resolved: bool
    visited: bool
    callbacks_met: int
    callbacks_missed: int
    sla: tuple[tuple[str, int, int], ...]
    key_customer: bool
    age_us: int | None
    sla_in_progress: tuple[tuple[str, int], ...] = ()
    substatuses: tuple[tuple[str, int, int, int, bool], ...] = ()
    ticket_type: str | None = None
    complaint: bool = True
    dimensions: tuple[tuple[str, int], ...] = ()
