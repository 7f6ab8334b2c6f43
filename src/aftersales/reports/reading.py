"""When a report reads its period, and which tickets it reads from its source.

A report's figures are read at one instant: the tickets as they stood just
before it (see :func:`aftersales.kpi.as_of`). By default that instant is
``min(now, end of the period)``: a period in progress is read now, so a ticket
opened five minutes ago shows a running first-response clock, not a breached
one; a period entirely in the past is read at its end, today as on the day
after it closed.

A report's tickets come from a :class:`TicketSource` (anything with
``find(query)``: every ticket store is one) or from an iterable of tickets.
Reports are domain: they never import storage.

Example:
    >>> import pendulum
    >>> from aftersales.kpi import Period
    >>> from aftersales.time import FixedClock
    >>> october = Period.parse("2026-10", "Asia/Shanghai")
    >>> read_at(october, clock=FixedClock(pendulum.datetime(2026, 10, 12, 9, tz="UTC"))).isoformat()
    '2026-10-12T09:00:00+00:00'
    >>> read_at(october, clock=FixedClock(pendulum.datetime(2027, 1, 5, tz="UTC"))) == october.end
    True
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol, runtime_checkable

import attrs
import pendulum

from aftersales._shown import shown
from aftersales.errors import InvalidData
from aftersales.kpi.periods import Period
from aftersales.kpi.service import ServiceKpis
from aftersales.model.query import TicketQuery
from aftersales.model.ticket import Ticket
from aftersales.time import Clock, SystemClock, ensure_aware

__all__ = ["TicketSource", "read_at"]


@runtime_checkable
class TicketSource(Protocol):
    """Where a report reads its tickets: anything that finds tickets by a :class:`~aftersales.model.query.TicketQuery`.

    Every ticket store is one (``MemoryStore``, ``SQLiteStore``,
    ``PostgresStore``, an adapter of your own); so is any object whose
    ``find(query)`` returns the matching tickets in the query's order, at most
    ``query.limit`` of them after ``query.after_id``. A report builder given
    anything else takes it as an iterable of tickets.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.reports import daily
        >>> from aftersales.testing.samples import sample_ticket
        >>> class Shelf:
        ...     def __init__(self, *tickets):
        ...         self.stored = {t.id: (t, None) for t in tickets}
        ...     def find(self, query):
        ...         return query.select(self.stored)
        >>> shelf = Shelf(sample_ticket())
        >>> isinstance(shelf, TicketSource), isinstance([sample_ticket()], TicketSource)
        (True, False)
        >>> [line.ticket_id for line in daily(shelf, "2024-05-10", calendar=WorkCalendar.china()).tickets]
        ['T202405001']
    """

    def find(self, query: TicketQuery) -> list[Ticket]:
        """The tickets matching ``query``, in its order (see :meth:`TicketQuery.select <aftersales.model.query.TicketQuery.select>`)."""
        ...


def checked_source(source: object) -> TicketSource | list[Ticket]:
    """``source`` as a report builder reads it: a :class:`TicketSource` as it is, or its tickets.

    Anything else, or an iterable holding something other than tickets, is
    refused with :class:`~aftersales.errors.InvalidData` naming the value and
    what is accepted. A text is refused although it has ``find``.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> [t.id for t in checked_source(iter([sample_ticket()]))]
        ['T202405001']
        >>> checked_source("T202405001")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: source: 'T202405001' is not a ticket source; accepted: a TicketSource with find(query), such as a ticket store, or an iterable of tickets
    """
    accepted = "a TicketSource with find(query), such as a ticket store, or an iterable of tickets"
    if isinstance(source, TicketSource) and not isinstance(source, str | bytes | bytearray):
        return source
    if isinstance(source, str | bytes | bytearray) or not isinstance(source, Iterable):
        message = f"{shown(source)} is not a ticket source; accepted: {accepted}"
        raise InvalidData(f"source: {message}", problems=[("source", message)])
    tickets = list(source)
    problems = [
        (f"source[{index}]", f"{shown(item)} is not a Ticket; accepted: {accepted}")
        for index, item in enumerate(tickets)
        if not isinstance(item, Ticket)
    ]
    if problems:
        raise InvalidData.from_problems(problems[:10])
    return tickets


def read_at(
    period: Period, *, at: datetime | None = None, clock: Clock | None = None
) -> pendulum.DateTime:
    """The instant a report of ``period`` reads its figures at.

    ``at`` when given (any aware instant, also after the period, to see late
    events); otherwise ``min(clock.now(), period.end)``, the clock being the
    system clock by default.

    Example:
        >>> import pendulum
        >>> from aftersales.kpi import Period
        >>> day = Period.parse("2026-10-12", "UTC")
        >>> read_at(day, at=pendulum.datetime(2026, 10, 20, tz="UTC")).day
        20
        >>> read_at(day, clock="now")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: clock: 'now' is not a Clock; accepted: an object with now(), e.g. FixedClock or SystemClock
    """
    if at is not None:
        return ensure_aware(at, "at")
    if clock is None:
        clock = SystemClock()
    elif not isinstance(clock, Clock):
        message = f"{clock!r} is not a Clock; accepted: an object with now(), e.g. FixedClock or SystemClock"
        raise InvalidData(f"clock: {message}", problems=[("clock", message)])
    now = ensure_aware(clock.now(), "clock.now()")
    return now if now < period.end else period.end


def tickets_for(source: TicketSource | Iterable[Ticket], kpis: ServiceKpis) -> list[Ticket]:
    """The tickets a period's figures need: the cohort, the look-back and the backlog.

    From a :class:`TicketSource`, they are queried (received in the period or its look-back,
    or older and open at the figures' ``at``); an iterable is taken whole.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.storage import MemoryStore
        >>> from aftersales.testing.samples import sample_ticket
        >>> store = MemoryStore()
        >>> store.save(sample_ticket(), expected_version=0)
        >>> kpis = ServiceKpis(Period.parse("2024-05", "Asia/Shanghai"), WorkCalendar.china())
        >>> [t.id for t in tickets_for(store, kpis)], tickets_for([], kpis)
        (['T202405001'], [])
    """
    if not isinstance(source, TicketSource):
        return list(source)
    start = kpis.period.start.subtract(seconds=kpis.options.repeat_window.total_seconds())
    end = kpis.at if kpis.at > kpis.period.end else kpis.period.end
    found: dict[str, Ticket] = {}
    queries = (
        TicketQuery(received_from=start, received_before=end),
        # open at ``at``: either still open now, or changed at or after ``at``
        TicketQuery(received_before=start, open_only=True),
        TicketQuery(received_before=start, updated_from=kpis.at),
    )
    for query in queries:
        for ticket in _paged(source, query):
            found[ticket.id] = ticket
    return sorted(found.values(), key=lambda t: (t.received_at, t.id))


def _paged(source: TicketSource, query: TicketQuery, size: int = 2000) -> Iterable[Ticket]:
    after: str | None = None
    while True:
        page = source.find(attrs.evolve(query, limit=size, after_id=after))
        yield from page
        if len(page) < size:
            return
        after = page[-1].id
