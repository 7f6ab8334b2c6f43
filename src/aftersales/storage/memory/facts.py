"""The memory adapter's facts: the projections it keeps, read and rewritten in place.

Private: :class:`~aftersales.storage.memory.MemoryStore` answers
``read_facts`` with the reference answer
(:func:`aftersales.readmodel.reading.read_from_projections`), ``find_facts``
by filtering its current facts, and ``save_projections`` by replacing the
projections of tickets still at the projected version. The SQL stores are
held to these answers by the contract suite (:mod:`aftersales.testing.contracts.facts`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from datetime import datetime

from aftersales.calendar import WorkCalendar
from aftersales.model.ticket import Ticket
from aftersales.readmodel.facts import ProjectedFacts
from aftersales.readmodel.projection import TicketProjection
from aftersales.readmodel.reading import check_facts_query, check_projections

__all__ = ["current_facts", "replace_projections"]


def current_facts(
    tickets: Mapping[str, Ticket],
    projections: Mapping[str, TicketProjection],
    received_from: object = None,
    received_before: object = None,
    ticket_ids: object = None,
    key: object = None,
) -> Iterator[ProjectedFacts]:
    """``find_facts`` over ``projections``: current facts in ``(received, id)`` order (see the port).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.readmodel import Projector
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> projection = Projector(None, WorkCalendar.always("UTC")).project(ticket)
        >>> [f.ticket_id for f in current_facts({ticket.id: ticket}, {ticket.id: projection})]
        ['T202405001']
    """
    low, high, ids, wanted = check_facts_query(received_from, received_before, ticket_ids, key)
    low_us = None if low is None else WorkCalendar.epoch_us(low)
    high_us = None if high is None else WorkCalendar.epoch_us(high)
    found = []
    for ticket_id, projection in projections.items():
        if not projection.facts or ticket_id not in tickets:
            continue
        if (ids is not None and ticket_id not in ids) or (
            wanted is not None and projection.key != wanted
        ):
            continue
        facts = projection.facts[-1]
        if (low_us is None or facts.received_us >= low_us) and (
            high_us is None or facts.received_us < high_us
        ):
            found.append(facts)
    found.sort(key=lambda f: (f.received_us, f.ticket_id))
    yield from found


def replace_projections(
    tickets: Mapping[str, Ticket],
    projections: MutableMapping[str, TicketProjection],
    due: MutableMapping[str, datetime | None],
    items: Iterable[tuple[str, TicketProjection]],
) -> int:
    """``save_projections``: keep each projection of a ticket still at its version; how many kept.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.readmodel import Projector
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> kept: dict = {}
        >>> pair = (ticket.id, Projector(None, WorkCalendar.always("UTC")).project(ticket))
        >>> replace_projections({ticket.id: ticket}, kept, {}, [pair]), list(kept)
        (1, ['T202405001'])
    """
    checked = check_projections(items)
    written = 0
    for ticket_id, projection in checked:
        ticket = tickets.get(ticket_id)
        if ticket is None or ticket.version != projection.version:
            continue
        projections[ticket_id] = projection
        due[ticket_id] = projection.due_at
        written += 1
    return written
