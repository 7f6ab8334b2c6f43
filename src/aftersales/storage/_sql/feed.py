"""The event feed of the SQL adapters: a position on every ``ticket_events`` row, from a counter.

Private: :class:`FeedTables` is a base of
:class:`~aftersales.storage._sql.store.SQLStore`. Every transaction that
stores events first reserves a block of positions from the one-row table
``event_feed_head`` (schema version 11): ``UPDATE event_feed_head SET
position = position + n``. The row lock that update takes is held until the
transaction ends, so transactions that store events commit one after the
other, in the order of their positions: a reader never sees position ``p + 1``
before ``p``, and a transaction that rolls back (or a savepoint of a unit of
work that does) gives its block back, so positions have no gaps.
That serializes event writes on PostgreSQL (SQLite serializes every write
anyway), from the reservation to the commit. Events are read back on the
trusted decoding path (:meth:`TicketReads._decode_event
<aftersales.storage._sql.ticket_reads.TicketReads._decode_event>`).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, Final

from aftersales.model.events import TicketEvent
from aftersales.storage.ports.feed import check_feed_request
from aftersales.vocabulary import Vocabulary

__all__ = ["EVENT_INSERT", "FeedTables", "PositionedRow"]

#: How every path stores an event row: with its feed position.
EVENT_INSERT: Final = (
    "INSERT INTO ticket_events (ticket_id, seq, data, position) VALUES (?, ?, ?, ?)"
)

#: An event row as inserted: ``(ticket_id, seq, data, position)``.
PositionedRow = tuple[str, int, str, int]


class FeedTables:
    """``events_since`` and ``feed_head`` of the SQL stores, and the reservation of positions.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> from aftersales.testing.samples import sample_ticket
        >>> store = SQLiteStore(":memory:")
        >>> store.save(sample_ticket(), expected_version=0)
        >>> store.feed_head() == len(sample_ticket().history)
        True
        >>> [position for position, _ in store.events_since(store.feed_head() - 2)]
        [8, 9]
    """

    vocabulary: Vocabulary

    # -- what SQLStore and the dialects provide -----------------------------------------

    def _reading(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _sql(self, text: str) -> str:
        raise NotImplementedError

    def _decode_event(
        self, ticket_id: str, seq: object, data: object, *, strict: bool = False
    ) -> TicketEvent:
        raise NotImplementedError

    # -- writing ------------------------------------------------------------------------

    def _reserve_positions(self, cur: Any, count: int) -> int:
        """Reserve ``count`` positions in the open transaction ``cur``; the last one."""
        cur.execute("UPDATE event_feed_head SET position = position + ? WHERE id = 1", (count,))
        cur.execute("SELECT position FROM event_feed_head WHERE id = 1")
        return int(cur.fetchone()[0])

    def _positioned(self, cur: Any, rows: list[tuple[str, int, str]]) -> list[PositionedRow]:
        """``rows`` (``ticket_id, seq, data``) with the positions reserved for them, in order."""
        if not rows:
            return []
        first = self._reserve_positions(cur, len(rows)) - len(rows) + 1
        return [(*row, first + index) for index, row in enumerate(rows)]

    # -- reading ------------------------------------------------------------------------

    def events_since(self, position: int, *, limit: int = 1000) -> list[tuple[int, TicketEvent]]:
        """See :meth:`~aftersales.storage.ports.feed.EventFeed.events_since`."""
        position, limit = check_feed_request(position, limit)
        with self._reading() as cur:
            cur.execute(
                self._sql(
                    "SELECT position, ticket_id, seq, data FROM ticket_events"
                    " WHERE position > ? ORDER BY position LIMIT ?"
                ),
                (position, limit),
            )
            rows = cur.fetchall()
        with self.vocabulary.active():
            return [
                (int(found), self._decode_event(ticket_id, seq, data))
                for found, ticket_id, seq, data in rows
            ]

    def feed_head(self) -> int:
        """See :meth:`~aftersales.storage.ports.feed.EventFeed.feed_head`."""
        with self._reading() as cur:
            cur.execute("SELECT position FROM event_feed_head WHERE id = 1")
            return int(cur.fetchone()[0])

    # -- checks -------------------------------------------------------------------------

    def _feed_problems(self) -> list[str]:
        """Events without a position, and positions that are not exactly 1 … the head."""
        with self._reading() as cur:
            cur.execute(
                "SELECT count(*), count(position), min(position), max(position) FROM ticket_events"
            )
            rows, positioned, lowest, highest = cur.fetchone()
            cur.execute("SELECT position FROM event_feed_head WHERE id = 1")
            found = cur.fetchone()
        problems: list[str] = []
        if rows != positioned:
            problems.append(f"ticket_events: {rows - positioned} rows have no feed position")
        highest = int(highest or 0)
        if positioned != highest or (positioned and lowest != 1):
            problems.append(
                f"ticket_events: {positioned} positions from {lowest} to {highest};"
                " accepted: positions 1 to the number of events, without gaps"
            )
        head = None if found is None else int(found[0])
        if head != highest:
            problems.append(f"event_feed_head: position {head} but the last event is at {highest}")
        return problems
