"""The SQL adapters' SLA alert index: two instants on each ``tickets`` row, read in order.

Private: :class:`AlertQueries` is a base of
:class:`~aftersales.storage._sql.store.SQLStore`, whose unit of work reads
through :meth:`AlertQueries._unit_alerts_due`. A save writes the projection's ``next_alert_at`` and
``first_alert_at`` into the ticket's row (:func:`alert_columns`), in the
save's transaction; ``find_alerts_due`` reads them through the partial
indexes ``tickets_next_alert`` and ``tickets_first_alert`` (open tickets
with an instant), ``(instant, id)`` order serving order, keyset and limit.
Inside a unit of work PostgreSQL locks the rows it returns and skips the
rows another transaction has locked (``FOR UPDATE SKIP LOCKED``), so
concurrent sweepers split the due tickets between them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar

import pendulum

from aftersales.model.ticket import Ticket
from aftersales.readmodel.projection import TicketProjection
from aftersales.storage._sql.ticket_reads import TICKET_READ
from aftersales.storage.save_checks import check_alerts_query

__all__ = ["ALERT_COLUMNS", "AlertQueries", "alert_columns"]

#: The alert columns of the ``tickets`` table (schema 8), in row order.
ALERT_COLUMNS = ("next_alert_at", "first_alert_at")


def alert_columns(projection: TicketProjection | None) -> tuple[datetime | None, datetime | None]:
    """The values of :data:`ALERT_COLUMNS` for a save with ``projection`` (none: not indexed).

    Example:
        >>> from aftersales.readmodel import TicketProjection
        >>> alert_columns(None), alert_columns(TicketProjection(key="k", version=1))
        ((None, None), (None, None))
    """
    if projection is None:
        return (None, None)
    return (projection.next_alert_at, projection.first_alert_at)


def _instant(value: Any) -> pendulum.DateTime:
    """A stored alert instant (µs since 1970 UTC, or a ``TIMESTAMPTZ``) in UTC."""
    if isinstance(value, datetime):
        return pendulum.instance(value).in_timezone("UTC")
    return pendulum.from_timestamp(0, tz="UTC").add(microseconds=int(value))


class AlertQueries:
    """``find_alerts_due`` of the SQL stores.

    Example:
        >>> import pendulum
        >>> from aftersales.storage import SQLiteStore
        >>> SQLiteStore(":memory:").find_alerts_due(pendulum.datetime(2026, 3, 2, tz="UTC"))
        []
    """

    #: Appended to the index read of a unit of work (PostgreSQL: ``FOR UPDATE SKIP LOCKED``).
    claim_rows: ClassVar[str] = ""
    open_literal: ClassVar[str] = "1"

    # -- what SQLStore and the dialects provide -----------------------------------------

    def _reading(self) -> Any:
        raise NotImplementedError

    def _sql(self, text: str) -> str:
        raise NotImplementedError

    def _ts(self, value: datetime | None) -> Any:
        raise NotImplementedError

    def _decode_tickets(self, rows: Sequence[Sequence[Any]], *, lazy: bool = False) -> list[Ticket]:
        raise NotImplementedError

    # -- the index ------------------------------------------------------------------------

    def find_alerts_due(
        self,
        at: datetime,
        *,
        include_recorded: bool = False,
        limit: int | None = None,
        after: tuple[datetime, str] | None = None,
    ) -> list[tuple[pendulum.DateTime, Ticket]]:
        """See :meth:`~aftersales.storage.SlaAlertStore.find_alerts_due`."""
        query = check_alerts_query(at, include_recorded, limit, after)
        with self._reading() as cur:
            return self._alerts_due(cur, *query, claim=False)

    def _unit_alerts_due(
        self, cur: Any, at: object, include_recorded: object, limit: object, after: object
    ) -> list[tuple[pendulum.DateTime, Ticket]]:
        """``find_alerts_due`` in the unit of work of ``cur``: the rows read are the unit's."""
        query = check_alerts_query(at, include_recorded, limit, after)
        return self._alerts_due(cur, *query, claim=True)

    def _alerts_due(
        self,
        cur: Any,
        at: datetime,
        include_recorded: bool,
        limit: int | None,
        after: tuple[datetime, str] | None,
        *,
        claim: bool,
    ) -> list[tuple[pendulum.DateTime, Ticket]]:
        column = ALERT_COLUMNS[1] if include_recorded else ALERT_COLUMNS[0]
        sql = (
            f"SELECT id, {column} FROM tickets WHERE is_open = {self.open_literal}"
            f" AND {column} IS NOT NULL AND {column} <= ?"
        )
        params: list[Any] = [self._ts(at)]
        if after is not None:
            sql += f" AND ({column}, id) > (?, ?)"
            params += [self._ts(after[0]), after[1]]
        sql += f" ORDER BY {column}, id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        if claim:
            sql += self.claim_rows
        cur.execute(self._sql(sql), params)
        heads = cur.fetchall()
        if not heads:
            return []
        ids = [ticket_id for ticket_id, _ in heads]
        cur.execute(
            self._sql(
                f"SELECT {TICKET_READ} FROM tickets AS t"
                " LEFT JOIN ticket_events AS e ON e.ticket_id = t.id"
                f" WHERE t.id IN ({', '.join('?' * len(ids))}) ORDER BY t.id, e.seq"
            ),
            ids,
        )
        tickets = {ticket.id: ticket for ticket in self._decode_tickets(cur.fetchall())}
        return [(_instant(instant), tickets[ticket_id]) for ticket_id, instant in heads]
