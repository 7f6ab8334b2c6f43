"""How the SQL adapters read tickets back: from their snapshot and events, replaying nothing.

Private: :class:`TicketReads` is a base of
:class:`~aftersales.storage._sql.store.SQLStore`. A ``tickets`` row holds the
ticket's snapshot (:mod:`aftersales.ticket_snapshot`, from schema version 6)
and ``ticket_events`` its history; both were written by this library, so they
are decoded on the trusted path (:mod:`aftersales.serialization_trusted`):
the ticket is built from its snapshot, its events without re-running their
checks, and ``Ticket.replay`` is not called. A row without a snapshot
(written before version 6), or with one of another format or version, is
read the old way: its events decoded and replayed. Every row that cannot be
read raises :class:`~aftersales.StorageError` naming it; what a trusted read
cannot see (a value only the strict checks refuse, a snapshot disagreeing
with its events) is what ``check_integrity()`` reads strictly for
(:meth:`TicketReads._reference_ticket`).

:meth:`TicketReads.stream` reads in keyset pages, and leaves each ticket's
history undecoded until it is first read
(:mod:`aftersales.model.pending_history`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, ClassVar, Final

import attrs

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.errors import (
    AftersalesError,
    InvalidData,
    NotFound,
    StorageError,
    UnsupportedSchemaVersion,
)
from aftersales.model.events import TicketEvent
from aftersales.model.query import TicketQuery
from aftersales.model.ticket import Ticket
from aftersales.serialization import from_dict, parse_json
from aftersales.serialization_trusted import trusted_event, trusted_json
from aftersales.storage.save_checks import check_stream
from aftersales.ticket_snapshot import ticket_from_snapshot
from aftersales.vocabulary import Vocabulary

__all__ = ["EVENT_SEPARATOR", "SEQ_SEPARATOR", "TICKET_READ", "TicketReads", "event_problem"]

#: The columns a ticket read selects from ``tickets AS t`` joined with ``ticket_events AS e``:
#: ``id, version, status, snapshot, seq, data``, one row per event (see ``_decode_tickets``).
TICKET_READ: Final = (
    "t.id, t.version, t.status, CASE WHEN e.seq IS NULL OR e.seq = 1 THEN t.snapshot END,"
    " e.seq, e.data"
)
#: What separates the events of a ticket in one text, and each event's ``seq`` from its data:
#: the ASCII record and unit separators, which valid JSON text never holds unescaped.
EVENT_SEPARATOR: Final = "\x1e"
SEQ_SEPARATOR: Final = "\x1f"

#: A ticket's row: ``(id, version, status, snapshot)``; its events, as ``(seq, data)`` rows or
#: as one text (:attr:`TicketReads.events_of_ticket`), ``None`` when it has none.
_Head = tuple[str, int, str, Any]
_EventRows = list[tuple[Any, Any]]
_Events = _EventRows | str | None


def _seq_of(row: tuple[Any, Any]) -> Any:
    return row[0]


def event_problem(table: str, ticket_id: str, seq: object, problem: str) -> StorageError:
    """The error naming an event row: ``ticket_events row (ticket_id='T1', seq=2): …``.

    Example:
        >>> print(event_problem("ticket_events", "T1", 2, "missing"))
        ticket_events row (ticket_id='T1', seq=2): missing
    """
    return StorageError(f"{table} row (ticket_id={ticket_id!r}, seq={seq}): {problem}")


class TicketReads:
    """``get``, ``find``, ``stream`` and ``history`` of the SQL stores, and the ticket decoding.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> from aftersales.testing.samples import sample_ticket
        >>> store = SQLiteStore(":memory:")
        >>> store.save(sample_ticket(), expected_version=0)
        >>> [t.id for t in store.stream(TicketQuery(), batch=10)]
        ['T202405001']
    """

    vocabulary: Vocabulary
    #: The events of the ticket ``t`` as one text, ``seq`` and data of each joined by
    #: :data:`SEQ_SEPARATOR`, the events by :data:`EVENT_SEPARATOR`, in any order.
    events_of_ticket: ClassVar[str] = (
        "(SELECT group_concat(e.seq || char(31) || e.data, char(30))"
        " FROM ticket_events AS e WHERE e.ticket_id = t.id)"
    )

    # -- what SQLStore and TicketQueries provide ------------------------------------------

    def _reading(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _sql(self, text: str) -> str:
        raise NotImplementedError

    def _page_sql(self, cur: Any, query: TicketQuery, columns: str) -> tuple[str, list[Any]]:
        raise NotImplementedError

    @staticmethod
    def _order_by(query: TicketQuery, table: str = "") -> str:
        raise NotImplementedError

    # -- reading ------------------------------------------------------------------------------

    def get(self, ticket_id: str) -> Ticket:
        """See :meth:`~aftersales.storage.TicketStore.get`."""
        check.identifier(ticket_id, "ticket_id")
        with self._reading() as cur:
            return self._get(cur, ticket_id)

    def _get(self, cur: Any, ticket_id: str) -> Ticket:
        tickets = self._tickets_by_id(cur, [ticket_id])
        if not tickets:
            raise NotFound("ticket", ticket_id)
        return tickets[ticket_id]

    def _tickets_by_id(self, cur: Any, ids: Sequence[str]) -> dict[str, Ticket]:
        """The stored tickets among ``ids``, by id, read with the cursor ``cur``."""
        cur.execute(
            self._sql(
                f"SELECT t.id, t.version, t.status, t.snapshot, {self.events_of_ticket}"
                f" FROM tickets AS t WHERE t.id IN ({', '.join('?' * len(ids))})"
            ),
            list(ids),
        )
        return {ticket.id: ticket for ticket in self._decode_rows(cur.fetchall(), lazy=False)}

    def history(self, ticket_id: str) -> Sequence[TicketEvent]:
        """See :meth:`~aftersales.storage.TicketStore.history`."""
        return self.get(ticket_id).history

    def find(self, query: TicketQuery) -> list[Ticket]:
        """See :meth:`~aftersales.storage.TicketStore.find`."""
        check.instance_of(TicketQuery)(query, "query")
        return self._read_page(query, lazy=False)

    def stream(self, query: TicketQuery, *, batch: int = 1000) -> Iterator[Ticket]:
        """See :meth:`~aftersales.storage.TicketStore.stream`.

        Pages of ``batch`` tickets, each one statement (PostgreSQL: one
        read-only snapshot) continuing after the last ticket of the page
        before; each ticket's history is decoded when first read.
        """
        check_stream(query, batch)
        return self._stream(query, batch)

    def _stream(self, query: TicketQuery, batch: int) -> Iterator[Ticket]:
        remaining = query.limit
        page = query
        while remaining is None or remaining > 0:
            size = batch if remaining is None else min(batch, remaining)
            tickets = self._read_page(attrs.evolve(page, limit=size), lazy=True)
            yield from tickets
            if len(tickets) < size:
                return
            if remaining is not None:
                remaining -= size
            page = attrs.evolve(query, after_id=tickets[-1].id)

    def _read_page(self, query: TicketQuery, *, lazy: bool) -> list[Ticket]:
        """The tickets of one page of ``query`` (histories decoded on first read when ``lazy``)."""
        with self._reading() as cur:
            page, params = self._page_sql(
                cur, query, "id, version, status, received_at, due_at, snapshot"
            )
            cur.execute(
                self._sql(
                    f"SELECT t.id, t.version, t.status, t.snapshot, {self.events_of_ticket}"
                    f" FROM ({page}) AS t ORDER BY {self._order_by(query, 't.')}"
                ),
                params,
            )
            rows = cur.fetchall()
        return self._decode_rows(rows, lazy=lazy)

    def _decode_rows(self, rows: Iterable[Sequence[Any]], *, lazy: bool) -> list[Ticket]:
        """The tickets of rows ``(id, version, status, snapshot, events)``, in their order."""
        with self.vocabulary.active():
            return [
                self._decode_ticket(
                    (row[0], row[1], row[2], row[3]), row[4], lazy=lazy, vocabulary_active=True
                )
                for row in rows
            ]

    # -- decoding -----------------------------------------------------------------------------

    def _decode_event(
        self, ticket_id: str, seq: object, data: object, *, strict: bool = False
    ) -> TicketEvent:
        """One ``ticket_events`` row's event (call it under the store's vocabulary).

        Trusted by default; ``strict`` reads it as outside input, every check run.
        """
        try:
            parsed = parse_json(data) if isinstance(data, str | bytes) else data
            event = from_dict(TicketEvent, parsed) if strict else trusted_event(parsed)
        except UnsupportedSchemaVersion as error:
            raise event_problem("ticket_events", ticket_id, seq, str(error)) from error
        except (InvalidData, ValueError, TypeError) as error:
            raise event_problem("ticket_events", ticket_id, seq, f"unreadable: {error}") from error
        if event.ticket_id != ticket_id or event.seq != seq:
            problem = f"holds event {event.seq} of ticket {event.ticket_id!r}"
            raise event_problem("ticket_events", ticket_id, seq, problem)
        return event

    def _events(
        self, ticket_id: str, version: int, rows: _EventRows, *, strict: bool = False
    ) -> tuple[TicketEvent, ...]:
        """The events of a ticket's rows, all ``version`` of them (call it under the vocabulary)."""
        if len(rows) != version:
            raise StorageError(
                f"tickets row {ticket_id!r}: version {version} but {len(rows)} events in"
                " ticket_events; the history is incomplete"
            )
        if not strict:
            events = self._events_at_once(ticket_id, rows)
            if events is not None:
                return events
        decode = self._decode_event
        return tuple([decode(ticket_id, seq, data, strict=strict) for seq, data in rows])

    @staticmethod
    def _events_at_once(ticket_id: str, rows: _EventRows) -> tuple[TicketEvent, ...] | None:
        """The trusted events of ``rows`` with their texts parsed as one JSON array.

        ``None`` when anything is amiss: the rows are then read one by one, so
        that the error names the row.
        """
        texts = [data for _, data in rows]
        if not all(isinstance(text, str) for text in texts):
            return None
        try:
            parsed = trusted_json("[" + ",".join(texts) + "]")
            if len(parsed) != len(rows):
                return None
            events = tuple([trusted_event(data) for data in parsed])
        except InvalidData:
            return None
        for event, (seq, _) in zip(events, rows, strict=True):
            if event.ticket_id != ticket_id or event.seq != seq:
                return None
        return events

    @staticmethod
    def _split_events(ticket_id: str, events: _Events) -> _EventRows:
        """The ``(seq, data)`` rows of a ticket's events, in ``seq`` order."""
        if events is None:
            return []
        if not isinstance(events, str):
            return [row for row in events if row[0] is not None]
        rows: _EventRows = []
        for item in events.split(EVENT_SEPARATOR):
            seq, _, data = item.partition(SEQ_SEPARATOR)
            try:
                rows.append((int(seq), data))
            except ValueError:
                problem = "seq is not an integer; accepted: an integer"
                raise event_problem("ticket_events", ticket_id, repr(seq), problem) from None
        if any(rows[i][0] > rows[i + 1][0] for i in range(len(rows) - 1)):
            rows.sort(key=_seq_of)
        return rows

    def _history_loader(
        self, ticket_id: str, version: int, events: _Events
    ) -> Callable[[], tuple[TicketEvent, ...]]:
        """A function decoding ``events`` when the history is first read."""
        vocabulary = self.vocabulary

        def load() -> tuple[TicketEvent, ...]:
            with vocabulary.active():
                decoded = self._events(ticket_id, version, self._split_events(ticket_id, events))
            # version distinct seqs in order: 1 to version exactly when they start and end so
            if decoded and (decoded[0].seq != 1 or decoded[-1].seq != version):
                seqs = [event.seq for event in decoded]
                raise StorageError(
                    f"tickets row {ticket_id!r}: version {version} but its events are numbered"
                    f" {shown(seqs)}; the history is not whole"
                )
            return decoded

        return load

    def _decode_ticket(
        self, head: _Head, events: _Events, *, lazy: bool = False, vocabulary_active: bool = False
    ) -> Ticket:
        """The ticket of a ``tickets`` row and its events: from its snapshot, or replayed.

        ``lazy`` leaves the events of a ticket with a snapshot undecoded until
        its history is first read.
        """
        if not vocabulary_active:
            with self.vocabulary.active():
                return self._decode_ticket(head, events, lazy=lazy, vocabulary_active=True)
        ticket_id, version, _, snapshot = head
        whole = isinstance(events, str) and events.count(EVENT_SEPARATOR) + 1 == version
        if lazy and whole and snapshot is not None:
            ticket = self._from_snapshot(head, self._history_loader(ticket_id, version, events))
            if ticket is not None:
                return ticket
        rows = self._split_events(ticket_id, events)
        decoded = self._events(ticket_id, version, rows)
        in_order = all(event.seq == number for number, event in enumerate(decoded, start=1))
        ticket = self._from_snapshot(head, decoded) if snapshot is not None and in_order else None
        return ticket if ticket is not None else self._replayed(head, decoded)

    def _from_snapshot(
        self, head: _Head, history: tuple[TicketEvent, ...] | Callable[[], tuple[TicketEvent, ...]]
    ) -> Ticket | None:
        """The ticket of the row's snapshot, or ``None`` when it cannot serve (the events then)."""
        ticket_id, version, status, snapshot = head
        try:
            data = trusted_json(snapshot)
            if data.__class__ is not dict or data.get("version") != version:
                return None
            ticket = ticket_from_snapshot(data, history)
        except InvalidData:  # another format, or unreadable: the events are the truth
            return None
        if ticket.id != ticket_id:
            return None
        if ticket.status.value != status:
            raise StorageError(
                f"tickets row {ticket_id!r}: status {status!r} but its snapshot gives"
                f" {ticket.status.value!r}"
            )
        return ticket

    @staticmethod
    def _replayed(head: _Head, events: tuple[TicketEvent, ...]) -> Ticket:
        """The ticket its events replay into, checked against the row's status."""
        ticket_id, _, status, _ = head
        where = f"tickets row {ticket_id!r}"
        try:
            ticket = Ticket.replay(events)
        except AftersalesError as error:
            raise StorageError(f"{where}: its events do not replay: {error}") from error
        if ticket.status.value != status:
            raise StorageError(
                f"{where}: status {status!r} but its events give {ticket.status.value!r}"
            )
        return ticket

    def _decode_tickets(self, rows: Iterable[Sequence[Any]], *, lazy: bool = False) -> list[Ticket]:
        """The tickets of rows ``(id, version, status, snapshot, seq, data)`` in ticket order.

        Rows without the snapshot column (``id, version, status, seq, data``)
        are read by replaying their events.
        """
        tickets: list[Ticket] = []
        head: _Head | None = None
        events: _EventRows = []
        with self.vocabulary.active():
            for row in rows:
                ticket_id, version, status, *rest = row
                snapshot, seq, data = rest if len(rest) == 3 else (None, *rest)
                if head is None or head[0] != ticket_id:
                    if head is not None:
                        tickets.append(
                            self._decode_ticket(head, events, lazy=lazy, vocabulary_active=True)
                        )
                    head, events = (ticket_id, version, status, snapshot), []
                elif snapshot is not None and head[3] is None:
                    head = (ticket_id, version, status, snapshot)
                events.append((seq, data))
            if head is not None:
                tickets.append(self._decode_ticket(head, events, lazy=lazy, vocabulary_active=True))
        return tickets

    # -- the reference read of check_integrity ---------------------------------------------

    def _reference_ticket(self, ticket_id: str) -> tuple[Ticket, list[str]]:
        """The ticket its events replay into, read strictly, and how its snapshot disagrees.

        Raises :class:`~aftersales.StorageError` when the events cannot be read
        or replayed; the problems list the snapshot's disagreements with them.
        """
        with self._reading() as cur:
            cur.execute(
                self._sql(
                    "SELECT t.id, t.version, t.status, t.snapshot, e.seq, e.data FROM tickets AS t"
                    " LEFT JOIN ticket_events AS e ON e.ticket_id = t.id"
                    " WHERE t.id = ? ORDER BY e.seq"
                ),
                (ticket_id,),
            )
            rows = cur.fetchall()
        if not rows:
            raise NotFound("ticket", ticket_id)
        head: _Head = tuple(rows[0][:4])
        version = head[1]
        with self.vocabulary.active():
            events = self._events(
                ticket_id, version, [r[4:] for r in rows if r[4] is not None], strict=True
            )
            replayed = self._replayed(head, events)
            problems = self._snapshot_problems(head, replayed)
        return replayed, problems

    def _snapshot_problems(self, head: _Head, replayed: Ticket) -> list[str]:
        """How the row's snapshot disagrees with the ticket its events replay into."""
        ticket_id, _, _, snapshot = head
        where = f"tickets row {ticket_id!r}: snapshot"
        if snapshot is None:
            return []  # written before schema version 6: read by replaying
        try:
            data = parse_json(snapshot)
            snapped = ticket_from_snapshot(data, replayed.history)
        except UnsupportedSchemaVersion:
            return []  # a format of a later version: read by replaying
        except InvalidData as error:
            return [f"{where} unreadable: {error}"]
        if snapped.version != replayed.version:  # read by replaying, but stale all the same
            return [
                f"{where} is of version {shown(snapped.version)}, but the ticket is at version"
                f" {replayed.version}"
            ]
        problems = []
        for field in attrs.fields(Ticket):
            if field.name == "history":
                continue
            mine, theirs = getattr(snapped, field.name), getattr(replayed, field.name)
            if mine != theirs:
                problems.append(f"{where}: {_disagreement(field.name, mine, theirs)}")
        return problems


def _disagreement(name: str, snapped: object, replayed: object) -> str:
    if name == "contact":  # contact details are not shown in problems
        return "contact disagrees with its events'"
    return f"{name} {_shown(snapped)} but its events give {_shown(replayed)}"


def _shown(value: object) -> str:
    """A field's value in a problem: instants in ISO 8601, terms and statuses by their code."""
    if isinstance(value, tuple):
        return shown(tuple(getattr(item, "value", item) for item in value))
    if hasattr(value, "isoformat"):
        return repr(value.isoformat())
    return shown(getattr(value, "value", value))
