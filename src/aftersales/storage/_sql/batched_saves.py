"""Saving many tickets in one statement per table, inside a unit of work.

Private: :class:`BatchedSaves` is a base of
:class:`~aftersales.storage._sql.store.SQLStore`; its unit of work's
``save_many`` calls :meth:`BatchedSaves._save_many_in`. New tickets go through
the bulk insert of ``save_many``; the updates of stored tickets are checked
together (one read of their versions, one of the last stored event of each)
and written together (one ``executemany`` per table, the read models of all
of them at once), so that a sweep recording the notices of 500 tickets runs a
dozen statements, not a dozen per ticket. Everything is checked as
:meth:`SQLStore.save <aftersales.storage._sql.store.SQLStore.save>` checks it,
with the same errors; the caller's savepoint makes the batch all or nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from aftersales.errors import ConcurrencyError
from aftersales.model.events import TicketEvent
from aftersales.model.ticket import Ticket
from aftersales.readmodel.projection import TicketProjection
from aftersales.storage._sql.feed import EVENT_INSERT, PositionedRow
from aftersales.storage._sql.schema import TICKET_COLUMNS
from aftersales.storage._sql.ticket_reads import event_problem
from aftersales.storage.ports import Save
from aftersales.storage.save_checks import check_projection, check_save, not_extending
from aftersales.vocabulary import Vocabulary

__all__ = ["BatchedSaves"]

#: A checked write: the ticket, the version it was read at, its due time and projection.
_Entry = tuple[Ticket, int, datetime | None, TicketProjection | None]
#: Primary-key searches in one statement.
_SEARCHES = 250


class BatchedSaves:
    """``save_many`` inside a SQL unit of work: a few statements for the whole batch.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> from aftersales.testing.contracts import build_ticket
        >>> store = SQLiteStore(":memory:")
        >>> with store.unit_of_work() as uow:
        ...     uow.save_many([build_ticket("T1"), build_ticket("T2")])
        >>> len(store)
        2
    """

    vocabulary: Vocabulary

    # -- what SQLStore and the dialects provide -----------------------------------------

    def _sql(self, text: str) -> str:
        raise NotImplementedError

    def _ticket_row(
        self, ticket: Ticket, due_at: datetime | None, projection: TicketProjection | None = None
    ) -> tuple[Any, ...]:
        raise NotImplementedError

    def _event_rows(self, ticket: Ticket, after: int) -> list[tuple[str, int, str]]:
        raise NotImplementedError

    def _decode_event(
        self, ticket_id: str, seq: object, data: object, *, strict: bool = False
    ) -> TicketEvent:
        raise NotImplementedError

    def _positioned(self, cur: Any, rows: list[tuple[str, int, str]]) -> list[PositionedRow]:
        raise NotImplementedError

    def _insert_new(
        self, cur: Any, fresh: list[tuple[Ticket, datetime | None, TicketProjection | None]]
    ) -> None:
        raise NotImplementedError

    def _save(
        self,
        cur: Any,
        ticket: Ticket,
        expected_version: int,
        due: datetime | None,
        projection: TicketProjection | None = None,
    ) -> None:
        raise NotImplementedError

    def _keep_terms(self, cur: Any, events: Iterable[object]) -> None:
        raise NotImplementedError

    def _write_projections(
        self, cur: Any, items: Sequence[tuple[Ticket, TicketProjection | None]]
    ) -> None:
        raise NotImplementedError

    def _write_tags(self, cur: Any, saved: Sequence[tuple[Ticket, int]]) -> None:
        raise NotImplementedError

    def _write_attributes(self, cur: Any, saved: Sequence[tuple[Ticket, int]]) -> None:
        raise NotImplementedError

    # -- the batch ------------------------------------------------------------------------

    def _save_many_in(self, cur: Any, items: Iterable[Ticket | Save]) -> None:
        """Save ``items`` in the open transaction (or savepoint) ``cur``: new ones, then updates."""
        entries: list[_Entry] = []
        for item in items:
            entry = item if isinstance(item, Save) else Save(item)
            due = check_save(entry.ticket, entry.expected_version, entry.due_at)
            due, projection = check_projection(entry.ticket, due, entry.projection)
            entries.append((entry.ticket, entry.expected_version, due, projection))
        ids = [ticket.id for ticket, *_ in entries]
        if len(set(ids)) != len(ids):  # the same ticket twice: one after the other
            for checked in entries:
                self._save(cur, *checked)
            return
        self._insert_new(cur, [(t, due, p) for t, version, due, p in entries if version == 0])
        self._update_batch(cur, [checked for checked in entries if checked[1] != 0])

    def _update_batch(self, cur: Any, entries: list[_Entry]) -> None:
        """Stored tickets moved on from the versions read: checked, then written together."""
        if not entries:
            return
        self._check_versions(cur, entries)
        self._check_extending(cur, entries)
        assignments = ", ".join(f"{name} = ?" for name in TICKET_COLUMNS[1:])
        cur.executemany(
            self._sql(f"UPDATE tickets SET {assignments} WHERE id = ? AND version = ?"),
            [
                (*self._ticket_row(ticket, due, projection)[1:], ticket.id, version)
                for ticket, version, due, projection in entries
            ],
        )
        if cur.rowcount != len(entries):  # another writer came between the check and here
            ticket, version, *_ = entries[0]
            raise ConcurrencyError("ticket", ticket.id, expected=version, actual=None)
        cur.executemany(
            self._sql(EVENT_INSERT),
            self._positioned(
                cur,
                [
                    row
                    for ticket, version, *_ in entries
                    for row in self._event_rows(ticket, version)
                ],
            ),
        )
        self._keep_terms(
            cur, (event for ticket, version, *_ in entries for event in ticket.history[version:])
        )
        self._write_projections(cur, [(ticket, projection) for ticket, *_, projection in entries])
        self._write_tags(cur, [(ticket, version) for ticket, version, *_ in entries])
        self._write_attributes(cur, [(ticket, version) for ticket, version, *_ in entries])

    def _check_versions(self, cur: Any, entries: list[_Entry]) -> None:
        marks = ", ".join("?" * len(entries))
        cur.execute(
            self._sql(f"SELECT id, version FROM tickets WHERE id IN ({marks})"),
            [ticket.id for ticket, *_ in entries],
        )
        stored = {ticket_id: int(version) for ticket_id, version in cur.fetchall()}
        for ticket, version, *_ in entries:
            if stored.get(ticket.id) != version:
                raise ConcurrencyError(
                    "ticket", ticket.id, expected=version, actual=stored.get(ticket.id)
                )

    def _check_extending(self, cur: Any, entries: list[_Entry]) -> None:
        """Each ticket's history must extend the stored one: its last stored event is the same."""
        # one primary-key search per ticket (a row-value ``IN`` list would scan the table),
        # a few hundred at a time (SQLite nests ``OR`` at most 1,000 deep)
        stored: dict[str, Any] = {}
        for start in range(0, len(entries), _SEARCHES):
            chunk = entries[start : start + _SEARCHES]
            pairs = " OR ".join("(ticket_id = ? AND seq = ?)" for _ in chunk)
            cur.execute(
                self._sql(f"SELECT ticket_id, data FROM ticket_events WHERE {pairs}"),
                [value for ticket, version, *_ in chunk for value in (ticket.id, version)],
            )
            stored.update(cur.fetchall())
        with self.vocabulary.active():
            for ticket, version, *_ in entries:
                if ticket.id not in stored:
                    raise event_problem("ticket_events", ticket.id, version, "missing")
                if (
                    self._decode_event(ticket.id, version, stored[ticket.id])
                    != ticket.history[version - 1]
                ):
                    raise not_extending(ticket.id)
