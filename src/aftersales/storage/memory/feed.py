"""The memory adapter's event feed: the stored events in a list, in commit order.

Private: :class:`MemoryFeed` is a base of
:class:`~aftersales.storage.memory.MemoryStore`, the reference the SQL stores
are held to by the contract suites (:mod:`aftersales.testing.contracts.feed`).
A unit of work appends the events it stores to the feed when it commits,
under the store's lock, so positions follow the commits, without gaps.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

from aftersales.model.events import TicketEvent
from aftersales.model.ticket import Ticket
from aftersales.storage.ports.feed import check_feed_request

__all__ = ["MemoryFeed"]


class MemoryFeed:
    """:class:`~aftersales.storage.ports.feed.EventFeed` in a list: position ``p`` is item ``p - 1``.

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> from aftersales.testing.samples import sample_ticket
        >>> store = MemoryStore()
        >>> store.save(sample_ticket(), expected_version=0)
        >>> [(p, e.seq) for p, e in store.events_since(3)]
        [(4, 4), (5, 5), (6, 6), (7, 7), (8, 8), (9, 9)]
    """

    _lock: threading.RLock
    _tickets: dict[str, Ticket]

    def _feed(self) -> list[TicketEvent]:
        events: list[TicketEvent] | None = getattr(self, "_feed_events", None)
        if events is None:
            with self._lock:
                events = getattr(self, "_feed_events", None)
                if events is None:
                    events = []
                    self._feed_events = events
        return events

    def _append_to_feed(self, staged: Mapping[str, Ticket]) -> None:
        """Append the events of ``staged`` tickets not stored yet (call it under the lock)."""
        feed = self._feed()
        for ticket_id, ticket in staged.items():
            stored = self._tickets.get(ticket_id)
            feed.extend(ticket.history[0 if stored is None else stored.version :])

    def events_since(self, position: int, *, limit: int = 1000) -> list[tuple[int, TicketEvent]]:
        """See :meth:`~aftersales.storage.ports.feed.EventFeed.events_since`."""
        position, limit = check_feed_request(position, limit)
        feed = self._feed()
        with self._lock:
            found = feed[position : position + limit]
        return [(position + index + 1, event) for index, event in enumerate(found)]

    def feed_head(self) -> int:
        """See :meth:`~aftersales.storage.ports.feed.EventFeed.feed_head`."""
        feed = self._feed()
        with self._lock:
            return len(feed)
