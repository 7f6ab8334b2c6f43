"""When a report reads its period, and which tickets it reads from a store.

A report's figures are read at one instant: the tickets as they stood just
before it (see :func:`aftersales.kpi.as_of`). By default that instant is
``min(now, end of the period)``: a period in progress is read now, so a ticket
opened five minutes ago shows a running first-response clock, not a breached
one; a period entirely in the past is read at its end, today as on the day
after it closed.

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

import attrs
import pendulum

from aftersales.errors import InvalidData
from aftersales.kpi.periods import Period
from aftersales.kpi.service import ServiceKpis
from aftersales.model.ticket import Ticket
from aftersales.storage.protocols import TicketQuery, TicketStore
from aftersales.time import Clock, SystemClock, ensure_aware

__all__ = ["read_at"]


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


def tickets_for(source: TicketStore | Iterable[Ticket], kpis: ServiceKpis) -> list[Ticket]:
    """The tickets a period's figures need: the cohort, the look-back and the backlog.

    From a store, they are queried (received in the period or its look-back,
    or older and open at the figures' ``as_of``); an iterable is taken whole.

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
    if not isinstance(source, TicketStore):
        return list(source)
    start = kpis.period.start.subtract(seconds=kpis.options.repeat_window.total_seconds())
    end = kpis.as_of if kpis.as_of > kpis.period.end else kpis.period.end
    found: dict[str, Ticket] = {}
    queries = (
        TicketQuery(received_from=start, received_before=end),
        # open at as_of: either still open now, or changed at or after as_of
        TicketQuery(received_before=start, open_only=True),
        TicketQuery(received_before=start, updated_from=kpis.as_of),
    )
    for query in queries:
        for ticket in _paged(source, query):
            found[ticket.id] = ticket
    return sorted(found.values(), key=lambda t: (t.received_at, t.id))


def _paged(store: TicketStore, query: TicketQuery, size: int = 2000) -> Iterable[Ticket]:
    after: str | None = None
    while True:
        page = store.find(attrs.evolve(query, limit=size, after_id=after))
        yield from page
        if len(page) < size:
            return
        after = page[-1].id
