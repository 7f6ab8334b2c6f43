"""Storage port of the facts projection: a store that keeps, reads and rewrites tickets' facts.

Part of :mod:`aftersales.storage.ports` (imports the domain only). A store
that keeps each ticket's facts (:mod:`aftersales.readmodel.facts`, written by
every save that carries a projection) answers a report's
:class:`~aftersales.readmodel.reading.FactsRequest` (:meth:`FactsStore.read_facts`),
lists the current facts as plain values (:meth:`FactsStore.find_facts`, e.g.
to export them to Parquet) and rewrites projections without touching events
(:meth:`FactsStore.save_projections`, what ``aftersales projections rebuild``
calls). Every shipped store provides it; the contract is
:mod:`aftersales.testing.contracts.facts`.

Example:
    >>> from aftersales.storage import MemoryStore, SQLiteStore
    >>> isinstance(MemoryStore(), FactsStore), isinstance(SQLiteStore(":memory:"), FactsStore)
    (True, True)
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from datetime import datetime
from typing import Protocol, runtime_checkable

from aftersales.readmodel.facts import ProjectedFacts
from aftersales.readmodel.projection import TicketProjection
from aftersales.readmodel.reading import FactsReading, FactsRequest

__all__ = ["FactsStore"]


@runtime_checkable
class FactsStore(Protocol):
    """Tickets' stored facts: read for a report, listed, rewritten by a rebuild.

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> list(MemoryStore().find_facts())
        []
    """

    def read_facts(self, request: FactsRequest) -> FactsReading:
        """The answer to ``request`` (see :mod:`aftersales.readmodel.reading`).

        The counters of the tickets whose facts apply at ``request.at`` under
        ``request.key``, the tickets to replay instead (``fallback``,
        ``missing``) and the lines asked for; the figures a report makes of it
        are those of replaying every ticket. Its ``summary`` is ``None`` when no
        ticket has facts under the key (the report replays every ticket; its
        ``foreign`` counts the cohort's tickets with facts under another key).
        Reads one snapshot; writes nothing.
        """
        ...

    def find_facts(
        self,
        *,
        received_from: datetime | None = None,
        received_before: datetime | None = None,
        ticket_ids: Collection[str] | None = None,
        key: str | None = None,
    ) -> Iterator[ProjectedFacts]:
        """The current facts of the tickets received in ``[received_from, received_before)``.

        Only those among ``ticket_ids`` and computed under ``key`` when given;
        in ``(received, ticket id)`` order, streamed (a store never holds them
        all at once). ``attrs.asdict(facts)`` gives plain values. Tickets
        without stored facts are not listed. ``InvalidData`` for a naive
        instant, a bad id or key, having read nothing.
        """
        ...

    def save_projections(self, items: Iterable[tuple[str, TicketProjection]]) -> int:
        """Replace the read models of tickets by ``(ticket id, projection)`` pairs; how many.

        In one transaction, and without touching any event: a projection
        replaces the ticket's due and alert instants and its facts when the
        ticket is still at the projection's version; a ticket that moved on
        (or is not stored) is left alone. ``InvalidData`` for an item that is
        not such a pair, or a projection holding another ticket's facts,
        having written nothing.
        """
        ...
