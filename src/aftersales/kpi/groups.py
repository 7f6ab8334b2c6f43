""":class:`KpiGroups`: the KPIs per value of a dimension, or per day / ISO week / month.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> template = ServiceKpis(Period.parse("2024-05", "UTC"), WorkCalendar.always("UTC"))
    >>> KpiGroups(template, "agent").result()
    {}
"""

from __future__ import annotations

from aftersales import _checks as check
from aftersales.errors import InvalidData, UnknownValue
from aftersales.kpi.facts import TicketFacts
from aftersales.kpi.figures import DIMENSIONS, KpiFigures
from aftersales.kpi.periods import Period
from aftersales.kpi.service import ServiceKpis
from aftersales.model.ticket import Ticket

__all__ = ["KpiGroups"]


class KpiGroups:
    """:class:`ServiceKpis` per value of a dimension or per day / ISO week / month.

    ``by`` is one of :data:`DIMENSIONS` or ``"day"``, ``"week"``, ``"month"``
    (the local date of receipt, in the period's zone). Each group is a
    :class:`ServiceKpis` with the template's configuration holding the tickets
    of its key: its cohort, backlog and repeat look-back see only those
    tickets (a repeat complaint that came in through another channel is not
    seen by the channel groups; the overall figure sees it).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.testing.samples import sample_ticket
        >>> groups = KpiGroups(ServiceKpis(Period.parse("2024-05", "UTC"), WorkCalendar.always("UTC")), "channel")
        >>> groups.add(sample_ticket())
        >>> {key: figures.received for key, figures in groups.result().items()}
        {'phone': 1}
    """

    def __init__(self, template: ServiceKpis, by: str) -> None:
        check.instance_of(ServiceKpis)(template, "template")
        if not isinstance(by, str) or by not in (*DIMENSIONS, "day", "week", "month"):
            raise UnknownValue("by", by, (*DIMENSIONS, "day", "week", "month"))
        self.template = template.empty()
        self.by = by
        self.groups: dict[str, ServiceKpis] = {}

    def key(self, facts: TicketFacts) -> str:
        """The group of one ticket's facts."""
        if self.by in ("day", "week", "month"):
            return Period.of_date(self.by, facts.local_date, self.template.period.tz).label  # type: ignore[arg-type]
        value = getattr(facts, self.by)
        return "" if value is None else str(value)

    def add(self, ticket: Ticket) -> None:
        """Add one ticket to its group."""
        facts = self.template.facts(ticket)
        if facts is not None:
            self.add_facts(facts)

    def add_facts(self, facts: TicketFacts) -> None:
        """Add one ticket's facts to its group."""
        key = self.key(facts)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = self.template.empty()
        group.add_facts(facts)

    def merge(self, other: KpiGroups) -> KpiGroups:
        """A new grouping with each key's accumulators merged."""
        if not isinstance(other, KpiGroups) or other.by != self.by:
            message = f"{other!r} groups otherwise; accepted: KpiGroups by {self.by!r}"
            raise InvalidData(f"other: {message}", problems=[("other", message)])
        merged = KpiGroups(self.template, self.by)
        keys: set[str] = set(self.groups) | set(other.groups)
        for key in keys:
            a = self.groups.get(key) or self.template.empty()
            b = other.groups.get(key) or self.template.empty()
            merged.groups[key] = a.merge(b)
        return merged

    def result(self) -> dict[str, KpiFigures]:
        """``{key: figures}`` in key order."""
        return {key: self.groups[key].result() for key in sorted(self.groups)}
