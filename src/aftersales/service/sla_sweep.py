"""The SLA sweep and the watchlist, read through the stores' SLA alert index.

:func:`sweep` records the notices due at an instant on exactly the tickets
whose next alert (``TicketProjection.next_alert_at``) has come: it reads them
from the index in batches, one unit of work (one transaction) per batch,
records each ticket's notices as ``SlaWarned``/``SlaBreached`` events and
saves the batch's tickets together with their new projections, which moves
their next alerts past the instant. Sweepers running at once never record a
crossing twice: the saves are optimistic (when another sweeper recorded a
ticket first, the batch is saved again ticket by ticket, each read again and
re-evaluated, which finds nothing left for that one), and the units split
the due tickets (PostgreSQL skips the rows another unit holds; the embedded
stores run one unit at a time). A store without the index is swept by reading every
open ticket. :func:`watched_tickets` is what the watchlist evaluates.

``ServiceDesk.sweep_sla`` and ``ServiceDesk.sla_watchlist`` call these with
the desk's own recording and projecting; this module knows only the ports.

Example:
    >>> import pendulum
    >>> from aftersales import Channel, Customer, FixedClock, ProblemCategory, ServiceDesk
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.sla import SlaPolicy
    >>> clock = FixedClock(pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai"))
    >>> desk = ServiceDesk(clock=clock, sla=SlaPolicy.default(WorkCalendar.china()))
    >>> _ = desk.open_ticket(customer=Customer(id="C1", name="甲公司"), channel=Channel.PHONE,
    ...     category=ProblemCategory.LOGISTICS_DELAY, description="发货延迟三天",
    ...     occurred_at=clock.now(), by="李工", priority="urgent", ticket_id="T1")
    >>> _ = clock.set(clock.now().add(minutes=20))  # first response: 50 % of 30 minutes passed
    >>> [(n.ticket_id, n.metric, n.level) for n in desk.sweep_sla()]
    [('T1', 'first_response', 1)]
    >>> desk.sweep_sla()
    []
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pendulum

from aftersales.errors import CalendarCoverageError, ConcurrencyError
from aftersales.model.query import TicketQuery
from aftersales.model.ticket import Ticket
from aftersales.readmodel.projection import TicketProjection
from aftersales.sla import SlaNotice
from aftersales.storage.ports import Save, TicketStore, UnitOfWork
from aftersales.storage.ports.alerts import SlaAlertStore, SlaAlertUnit

__all__ = ["Recorder", "sweep", "watched_tickets"]

_log = logging.getLogger("aftersales.desk")

#: ``record(ticket)``: the ticket with its due notices recorded, and the notices.
Recorder = Callable[[Ticket], tuple[Ticket, tuple[SlaNotice, ...]]]

#: How often a ticket that another writer moved on is read again before giving up.
_ATTEMPTS = 8
#: Tickets per page of the watchlist's index read.
_PAGE = 500


def sweep(
    store: TicketStore,
    at: pendulum.DateTime,
    *,
    record: Recorder,
    project: Callable[[Ticket], TicketProjection],
    batch: int,
) -> list[SlaNotice]:
    """Record the SLA notices due at ``at`` on every ticket the store's index says is due.

    ``record`` evaluates a ticket at ``at`` (see :data:`Recorder`) and
    ``project`` computes a saved ticket's projection. Returns the notices
    recorded, batch by batch in the index's order (each ticket's in time
    order), once their unit has committed. Tickets updated after ``at``, and
    tickets whose clocks the calendar cannot read, are left for a later sweep.

    Example:
        >>> from aftersales.readmodel import Projector
        >>> from aftersales.storage import MemoryStore
        >>> at = pendulum.datetime(2026, 3, 2, tz="UTC")
        >>> sweep(MemoryStore(), at, record=lambda t: (t, ()), project=Projector(None).project,
        ...       batch=10)
        []
    """
    if not isinstance(store, SlaAlertStore):
        return _sweep_each_open_ticket(store, at, record, project)
    found: list[SlaNotice] = []
    stale = 0
    after: tuple[datetime, str] | None = None
    while True:
        with store.unit_of_work() as uow:
            page = uow.find_alerts_due(at, limit=batch, after=after)
            recorded, passed = _record_page(
                uow, [ticket for _, ticket in page], at, record, project
            )
        found += recorded
        stale += passed
        if len(page) < batch:
            break
        after = (page[-1][0], page[-1][1].id)
    if stale:
        _log.warning(
            "%d tickets were due in the SLA alert index at %s but have nothing to notify: their"
            " read models were computed under another SLA policy or calendar;"
            " `aftersales projections rebuild` recomputes them",
            stale,
            at.isoformat(),
        )
    return found


def _record_page(
    unit: SlaAlertUnit,
    tickets: list[Ticket],
    at: pendulum.DateTime,
    record: Recorder,
    project: Callable[[Ticket], TicketProjection],
) -> tuple[list[SlaNotice], int]:
    """Record the notices of a page of due tickets in one batch; the notices, and the stale count.

    A ticket another writer moved on since the page was read makes the batch
    fail as a whole: the page is then recorded ticket by ticket, each read
    again when it moved.
    """
    saves: list[Save] = []
    recorded: list[SlaNotice] = []
    noted: list[Ticket] = []
    stale = 0
    for ticket in tickets:
        if ticket.updated_at > at:
            continue  # it moved past the sweep's instant: a later sweep reads it
        try:
            updated, notices = record(ticket)
        except CalendarCoverageError as error:
            _log.warning("ticket %s: its SLA clocks cannot be read: %s", ticket.id, error)
            continue
        if not notices:
            stale += 1
            continue
        saves.append(Save(updated, ticket.version, projection=project(updated)))
        recorded += notices
        noted.append(ticket)
    if not saves:
        return recorded, stale
    try:
        unit.save_many(saves)
    except ConcurrencyError:
        recorded = [n for t in noted for n in _record_one(unit, t, at, record, project) or ()]
    return recorded, stale


def _record_one(
    unit: SlaAlertUnit | UnitOfWork | TicketStore,
    ticket: Ticket,
    at: pendulum.DateTime,
    record: Recorder,
    project: Callable[[Ticket], TicketProjection],
) -> tuple[SlaNotice, ...] | None:
    """Record ``ticket``'s notices through ``unit``; ``None`` when it had none to record."""
    for attempt in range(_ATTEMPTS):
        if ticket.updated_at > at:
            return ()  # it moved past the sweep's instant: a later sweep reads it
        try:
            updated, notices = record(ticket)
        except CalendarCoverageError as error:
            _log.warning("ticket %s: its SLA clocks cannot be read: %s", ticket.id, error)
            return ()
        if not notices:
            return None if attempt == 0 else ()
        try:
            unit.save(updated, expected_version=ticket.version, projection=project(updated))
        except ConcurrencyError:
            if attempt == _ATTEMPTS - 1:
                raise
            ticket = unit.get(ticket.id)  # recorded by another sweeper? read it and look again
            continue
        return notices
    return ()


def _sweep_each_open_ticket(
    store: TicketStore,
    at: pendulum.DateTime,
    record: Recorder,
    project: Callable[[Ticket], TicketProjection],
) -> list[SlaNotice]:
    """The sweep of a store without the alert index: every open ticket, one save each."""
    found: list[SlaNotice] = []
    for ticket in store.find(TicketQuery(open_only=True)):
        found += _record_one(store, ticket, at, record, project) or ()
    return found


def watched_tickets(
    store: TicketStore, due_before: pendulum.DateTime, at: pendulum.DateTime
) -> list[Ticket]:
    """The open tickets the watchlist up to ``due_before`` read at ``at`` must evaluate.

    From the index: the tickets whose earliest alert (``first_alert_at``, a
    lower bound of every alert they can have once their last event is past)
    is at or before ``due_before``, and the open tickets updated after ``at``
    (for them the bound says nothing). Without the index, every open
    ticket. In ``(received_at, id)`` order, as ``find`` gives them.

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> watched_tickets(MemoryStore(), pendulum.datetime(2026, 3, 2, tz="UTC"),
        ...                 pendulum.datetime(2026, 3, 1, tz="UTC"))
        []
    """
    if not isinstance(store, SlaAlertStore):
        return store.find(TicketQuery(open_only=True))
    found = {ticket.id: ticket for ticket in _indexed(store, due_before)}
    later = TicketQuery(open_only=True, updated_from=at + timedelta(microseconds=1))
    found.update((ticket.id, ticket) for ticket in store.find(later))
    return sorted(found.values(), key=lambda ticket: (ticket.received_at, ticket.id))


def _indexed(store: SlaAlertStore, due_before: pendulum.DateTime) -> Iterator[Ticket]:
    after: tuple[datetime, str] | None = None
    while True:
        page = store.find_alerts_due(due_before, include_recorded=True, limit=_PAGE, after=after)
        yield from (ticket for _, ticket in page)
        if len(page) < _PAGE:
            return
        after = (page[-1][0], page[-1][1].id)
