"""Rebuilding the read models: every ticket's projection recomputed under one projector.

After a change of SLA policy, calendar or callback rule, the stored facts
(and due and alert instants) were computed under another configuration:
reports replay those tickets, and say so. :func:`rebuild_projections` pages
through the store's tickets, computes each one's projection with the given
:class:`~aftersales.readmodel.Projector` and writes a page at a time
(:meth:`FactsStore.save_projections <aftersales.storage.FactsStore.save_projections>`),
each page its own transaction: an interrupted rebuild leaves every ticket
with a sound projection (old or new), and running it again finishes it. A
ticket saved meanwhile keeps the projection of its save. ``aftersales
projections rebuild`` is this function on a SQLite store.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.readmodel import Projector
    >>> from aftersales.sla import SlaPolicy
    >>> from aftersales.storage import MemoryStore
    >>> from aftersales.testing.samples import sample_ticket
    >>> store = MemoryStore()
    >>> store.save_many([sample_ticket("T1"), sample_ticket("T2")])  # no projection
    >>> rebuild_projections(store, Projector(SlaPolicy.default(WorkCalendar.china())))
    2
    >>> [facts.ticket_id for facts in store.find_facts()]
    ['T1', 'T2']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from aftersales import _checks as check
from aftersales.model.query import TicketQuery
from aftersales.readmodel.projection import Projector
from aftersales.storage.ports import TicketStore
from aftersales.storage.ports.facts import FactsStore

__all__ = ["rebuild_projections"]


class _Rebuildable(TicketStore, FactsStore, Protocol):
    """A ticket store that keeps facts."""


def rebuild_projections(
    store: _Rebuildable,
    projector: Projector,
    *,
    batch: int = 500,
    progress: Callable[[int, int], object] | None = None,
) -> int:
    """Recompute and write every stored ticket's projection; how many were written.

    ``batch`` tickets per transaction (1–10,000); ``progress(done, written)``
    is called after each. Tickets are read in ``(received, id)`` order.
    ``InvalidData`` for a bad ``batch``, ``projector`` or ``store``, having written nothing.
    """
    check.run_checks_on(
        {
            "batch": (batch, check.integer(1, 10_000)),
            "projector": (projector, check.instance_of(Projector)),
            "store": (store, check.instance_of(FactsStore)),
        }
    )
    done = written = 0
    after: str | None = None
    while True:
        page = store.find(TicketQuery(limit=batch, after_id=after))
        if not page:
            return written
        written += store.save_projections([(t.id, projector.project(t)) for t in page])
        done += len(page)
        if progress is not None:
            progress(done, written)
        if len(page) < batch:
            return written
        after = page[-1].id
