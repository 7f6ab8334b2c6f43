"""Two breakdowns of the monthly report: tickets by type, and satisfaction by dimension.

:func:`type_table` lists the valid tickets of the period by their type
(投诉, 报修 …; :class:`~aftersales.vocab.TicketType`), says which types the
complaint figures count, and gives the tickets whose type was not recorded
a row of their own. :func:`dimension_table` lists each satisfaction
dimension scored in the period (专业知识, 服务态度 …;
:class:`~aftersales.vocab.SatisfactionDimension`) with its mean, its count
and its share of 4–5 (the CSAT threshold). Labels come from the active
vocabulary (a company's own types and dimensions included), the code where
none names it.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.kpi import Period, ServiceKpis
    >>> from aftersales.testing.samples import sample_ticket
    >>> kpis = ServiceKpis(Period.parse("2024-05", "UTC"), WorkCalendar.always("UTC"))
    >>> kpis.add(sample_ticket())
    >>> type_table(kpis.result(), "en").rows
    [['Not recorded', '1', '100.0%', '—']]
    >>> dimension_table(kpis.result(), "zh") is None  # no dimension scored
    True
"""

from __future__ import annotations

from aftersales.errors import UnknownValue
from aftersales.kpi.figures import KpiFigures
from aftersales.reports.blocks import Table
from aftersales.reports.labels import text
from aftersales.vocab import SatisfactionDimension, Term, TicketType

__all__ = ["dimension_table", "type_table"]


def _label(kind: type[Term], code: str, lang: str) -> str:
    try:
        return kind.get(code).label(lang)
    except UnknownValue:
        return code


def _share(count: int, whole: int) -> str:
    return f"{100 * count / whole:.1f}%" if whole else "—"


def _yes(flag: bool, lang: str) -> str:
    return text("yes", lang) if flag else "—"


def type_table(figures: KpiFigures, lang: str) -> Table:
    """The valid tickets by type: count, share, whether the type counts as a complaint.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.kpi import Period, ServiceKpis
        >>> empty = ServiceKpis(Period.parse("2024-05", "UTC"), WorkCalendar.always("UTC")).result()
        >>> type_table(empty, "zh").headers
        ['工单类型', '数量', '占比', '计入投诉']
    """
    valid = figures.valid
    pairs = figures.volumes.get("ticket_type", ())
    rows = [
        [
            _label(TicketType, code, lang),
            str(count),
            _share(count, valid),
            _yes(TicketType.complaint_code(code), lang),
        ]
        for code, count in pairs
    ]
    untyped = valid - sum(count for _, count in pairs)
    if untyped:
        rows.append([text("type_not_recorded", lang), str(untyped), _share(untyped, valid), "—"])
    headers = ("ticket_type", "count", "share", "counts_as_complaint")
    return Table([text(key, lang) for key in headers], rows)


def dimension_table(figures: KpiFigures, lang: str) -> Table | None:
    """Each satisfaction dimension scored: mean, count, share of scores at or above the CSAT threshold.

    ``None`` when no visit of the period scored a dimension.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.kpi import KpiOptions, Period, ServiceKpis
        >>> from aftersales.kpi.facts import TicketFacts
        >>> import attrs
        >>> from aftersales.testing.samples import sample_ticket
        >>> kpis = ServiceKpis(Period.parse("2024-05", "UTC"), WorkCalendar.always("UTC"))
        >>> facts = kpis.facts(sample_ticket())
        >>> kpis.add_facts(attrs.evolve(facts, dimensions=(("service_attitude", 4),)))
        >>> dimension_table(kpis.result(), "en").rows
        [['Service attitude', '4.00', '1', '100.0%']]
    """
    scored = figures.satisfaction_by_dimension
    if not scored:
        return None
    order = {term.code: index for index, term in enumerate(SatisfactionDimension.members())}
    rows = [
        [
            _label(SatisfactionDimension, item.dimension, lang),
            "—" if item.scores.mean is None else f"{item.scores.mean:.2f}",
            str(item.scores.count),
            "—" if item.scores.csat is None else f"{item.scores.csat:.1f}%",
        ]
        for item in sorted(scored, key=lambda d: (order.get(d.dimension, len(order)), d.dimension))
    ]
    headers = ("satisfaction_dimension", "mean_score", "count", "csat")
    return Table([text(key, lang) for key in headers], rows)
