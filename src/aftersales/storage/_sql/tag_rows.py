"""The ``ticket_tags`` table of the SQL adapters: one row per tag of each ticket, and its queries.

Private: :class:`TicketTagRows` is a base of
:class:`~aftersales.storage._sql.store.SQLStore`. A ticket's tags are kept
beside its events in the save's transaction, as its ``tickets`` row is: a new
ticket's tags are inserted; a stored ticket's rows are replaced only when the
events saved add or remove tags (other saves, the most, touch nothing here).
They depend on the events alone, not on a policy or a calendar, so
``projections rebuild`` has nothing to recompute; schema step 15 filled them
from the snapshots, and ``check_integrity()`` compares them with the events.

``TicketQuery(tags=...)`` becomes one ``id IN (SELECT ticket_id FROM
ticket_tags WHERE tag = ?)`` per tag, each served by the ``(tag, ticket_id)``
index ``ticket_tags_tag``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Final

from aftersales.model.events import TagsAdded, TagsRemoved
from aftersales.model.ticket import Ticket
from aftersales.storage._sql.schema import insert_sql

__all__ = ["TAG_EVENTS", "TicketTagRows", "tag_clauses"]

#: The events that change a ticket's tags.
TAG_EVENTS: Final = (TagsAdded, TagsRemoved)
_INSERT: Final = insert_sql("ticket_tags", ("ticket_id", "tag"))
#: How many ids one ``DELETE … IN (…)`` names.
_CHUNK: Final = 500


def tag_clauses(tags: Iterable[str]) -> tuple[list[str], list[str]]:
    """The ``WHERE`` clauses (``?`` placeholders) selecting the tickets with every one of ``tags``.

    Example:
        >>> tag_clauses(["vip"])
        (['tickets.id IN (SELECT ticket_id FROM ticket_tags WHERE tag = ?)'], ['vip'])
    """
    ordered = sorted(tags)
    clause = "tickets.id IN (SELECT ticket_id FROM ticket_tags WHERE tag = ?)"
    return [clause] * len(ordered), ordered


class TicketTagRows:
    """Writes and reads ``ticket_tags``.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> from aftersales.testing.samples import sample_ticket
        >>> store = SQLiteStore(":memory:")
        >>> store.save(sample_ticket("T1"), expected_version=0)
        >>> with store._reading() as cur:
        ...     store._tag_rows(cur)
        {}
    """

    # -- what SQLStore and the dialects provide -----------------------------------------

    def _sql(self, text: str) -> str:
        raise NotImplementedError

    # -- writes --------------------------------------------------------------------------

    def _write_tags(self, cur: Any, saved: Sequence[tuple[Ticket, int]]) -> None:
        """Keep the tag rows of the tickets ``saved`` (each with the version it was stored at)."""
        replaced: list[str] = []
        rows: list[tuple[str, str]] = []
        for ticket, version in saved:
            if version == 0:
                rows += [(ticket.id, tag) for tag in sorted(ticket.tags)]
            elif any(isinstance(event, TAG_EVENTS) for event in ticket.history[version:]):
                replaced.append(ticket.id)
                rows += [(ticket.id, tag) for tag in sorted(ticket.tags)]
        for start in range(0, len(replaced), _CHUNK):
            ids = replaced[start : start + _CHUNK]
            cur.execute(
                self._sql(
                    f"DELETE FROM ticket_tags WHERE ticket_id IN ({', '.join('?' * len(ids))})"
                ),
                ids,
            )
        if rows:
            cur.executemany(self._sql(_INSERT), rows)

    # -- reads ---------------------------------------------------------------------------

    def _tag_rows(self, cur: Any) -> dict[str, frozenset[str]]:
        """Every ticket's tags as ``ticket_tags`` holds them, by ticket id."""
        cur.execute("SELECT ticket_id, tag FROM ticket_tags ORDER BY ticket_id, tag")
        found: dict[str, set[str]] = {}
        for ticket_id, tag in cur.fetchall():
            found.setdefault(ticket_id, set()).add(tag)
        return {ticket_id: frozenset(tags) for ticket_id, tags in found.items()}
