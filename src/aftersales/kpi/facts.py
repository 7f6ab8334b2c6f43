"""A ticket reduced to what the KPIs read, as of an instant: :class:`TicketFacts`.

:func:`as_of` gives the ticket as it stood just before an instant (later events
dropped); :class:`FactsReader` turns it into one flat row of
:class:`TicketFacts` (durations in microseconds, SLA cycles counted per
metric; the class itself lives in :mod:`aftersales.kpi.ticket_facts`) under
one configuration: calendar, zone, SLA policy, callback rule and key
customers, with the code of the read models (:mod:`aftersales.readmodel.facts`),
so that stored facts and replayed tickets give the same rows.
:class:`~aftersales.kpi.ServiceKpis` adds those rows up.

Example:
    >>> import pendulum
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.testing.samples import sample_ticket
    >>> reader = FactsReader(
    ...     at=pendulum.datetime(2024, 6, 1, tz="UTC"), calendar=WorkCalendar.always("UTC"), tz="UTC"
    ... )
    >>> facts = reader.facts(sample_ticket())
    >>> facts.channel, facts.closed, facts.resolution_us > facts.first_response_us
    ('phone', True, True)
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection
from datetime import datetime, timedelta

import pendulum

from aftersales import _checks as check
from aftersales._renamed import renamed_attribute, renamed_keywords
from aftersales.calendar import WorkCalendar
from aftersales.kpi.ticket_facts import TicketFacts
from aftersales.model.ticket import Ticket
from aftersales.readmodel.facts import FactsRules, finish
from aftersales.sla import SlaPolicy

__all__ = ["FactsReader", "TicketFacts", "as_of"]


@renamed_keywords(moment="at")
def as_of(ticket: Ticket, at: datetime) -> Ticket | None:
    """The ticket as it stood just before ``at`` (events at or after it dropped).

    ``None`` when it was received at or after ``at``.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> as_of(ticket, ticket.history[2].at).version
        2
        >>> as_of(ticket, ticket.received_at) is None
        True
    """
    at = check.aware(at, "at")
    if ticket.updated_at < at:
        return ticket
    if ticket.received_at >= at:
        return None
    times = [event.at for event in ticket.history]
    return Ticket.replay(ticket.history[: bisect_left(times, at)])


class FactsReader:
    """Reduces tickets to their :class:`TicketFacts` as of one instant, under one configuration.

    Args:
        at: the instant the tickets are read at (see :func:`as_of`).
        calendar: the working calendar of the ``*_work_us`` durations.
        tz: the zone of the local date and hour of receipt.
        policy: the SLA policy whose cycles are counted (``None``: none).
        callback_within: the low-score callback's target when ``policy`` has
            no ``low_score_callback`` metric (see
            :func:`~aftersales.kpi.sla_counts.callback_policy`).
        key_customers: ids of the key customers.

    Example:
        >>> import pendulum
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> reader = FactsReader(at=ticket.received_at, calendar=WorkCalendar.always("UTC"), tz="UTC")
        >>> reader.facts(ticket) is None
        True
    """

    @renamed_keywords(as_of="at")
    def __init__(
        self,
        *,
        at: pendulum.DateTime,
        calendar: WorkCalendar,
        tz: str,
        policy: SlaPolicy | None = None,
        callback_within: timedelta = timedelta(hours=48),
        key_customers: Collection[str] = frozenset(),
    ) -> None:
        self.at = at
        self.calendar = calendar
        self.policy = policy
        self.callback_within = callback_within
        self.key_customers = frozenset(key_customers)
        self._at_us = WorkCalendar.epoch_us(at)
        self._zone = pendulum.timezone(tz)
        #: The configuration the facts are computed under (its ``key`` is the read models').
        self.rules = FactsRules(policy, calendar, callback_within)

    as_of = renamed_attribute("at")

    def facts(self, ticket: Ticket) -> TicketFacts | None:
        """``ticket`` reduced to what the KPIs read, as of ``at`` (``None``: not yet received).

        The facts of the ticket as it stood just before ``at``, its clocks read
        at ``at`` (:meth:`FactsRules.project <aftersales.readmodel.facts.FactsRules.project>`),
        finished at ``at`` (:func:`~aftersales.readmodel.facts.finish`): the
        code the read models use on stored facts.
        """
        seen = as_of(ticket, self.at)
        if seen is None:
            return None
        projected = self.rules.project(seen, at=self.at, tz=self._zone, crossings=False)
        return finish(projected, self._at_us, self.key_customers)
