"""How the SQL adapters read a :class:`~aftersales.model.query.TicketQuery`: its ``WHERE``, order and page.

Private: :class:`TicketQueries` is a base of
:class:`~aftersales.storage._sql.store.SQLStore`. It writes the same
selection as :meth:`TicketQuery.select <aftersales.model.query.TicketQuery.select>`
in SQL (``?`` placeholders), so that the ``tickets`` indexes serve it: the
keyset paging compares ``(received_at, id)`` or ``(due_at, id)`` with the
anchor ticket's row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from aftersales.errors import NotFound
from aftersales.model.query import TicketQuery
from aftersales.storage._sql.attributes import attribute_filters
from aftersales.storage._sql.tag_rows import tag_clauses
from aftersales.vocabulary import Vocabulary

__all__ = ["TicketQueries"]


class TicketQueries:
    """The ``WHERE``, ``ORDER BY`` and ``LIMIT`` of a ticket query.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> store = SQLiteStore(":memory:")
        >>> with store._reading() as cur:
        ...     store._page_sql(cur, TicketQuery(open_only=True, limit=5), "id")
        ('SELECT id FROM tickets WHERE is_open = 1 ORDER BY received_at, id LIMIT ?', [5])
    """

    #: SQL literal for "open" in ``is_open`` (must match the partial index).
    open_literal: ClassVar[str] = "1"
    vocabulary: Vocabulary

    # -- what SQLStore and the dialects provide -----------------------------------------

    def _ts(self, value: datetime | None) -> Any:
        raise NotImplementedError

    def _sql(self, text: str) -> str:
        raise NotImplementedError

    # -- the query -----------------------------------------------------------------------

    def _where(self, cur: Any, query: TicketQuery) -> tuple[str, list[Any]]:
        """The ``WHERE`` clause of ``query`` (its codes looked up in the store's vocabulary)."""
        with self.vocabulary.active():
            query = query.resolved()
        clauses: list[str] = []
        params: list[Any] = []

        def add(clause: str, *values: Any) -> None:
            clauses.append(clause)
            params.extend(values)

        if query.status is not None:
            add("status = ?", query.status.value)
        if query.substatus is not None:
            add("substatus = ?", query.substatus)
        if query.priority is not None:
            add("priority = ?", query.priority.value)
        if query.customer_id is not None:
            add("customer_id = ?", query.customer_id)
        if query.assignee is not None:
            add("assignee = ?", query.assignee)
        if query.channel is not None:
            add("channel = ?", str(query.channel))
        if query.category is not None:
            add("category = ?", str(query.category))
        if query.ticket_type is not None:
            add("ticket_type = ?", str(query.ticket_type))
        if query.product_model is not None:
            add("product_model = ?", query.product_model)
        if query.tags:
            tag_tests, tags = tag_clauses(query.tags)
            clauses.extend(tag_tests)
            params.extend(tags)
        if query.attributes:
            attribute_tests, values = attribute_filters(query)
            clauses.extend(attribute_tests)
            params.extend(values)
        if query.received_from is not None:
            add("received_at >= ?", self._ts(query.received_from))
        if query.received_before is not None:
            add("received_at < ?", self._ts(query.received_before))
        if query.updated_from is not None:
            add("updated_at >= ?", self._ts(query.updated_from))
        if query.updated_before is not None:
            add("updated_at < ?", self._ts(query.updated_before))
        if query.due_before is not None:
            add(
                f"is_open = {self.open_literal} AND due_at IS NOT NULL AND due_at < ?",
                self._ts(query.due_before),
            )
        if query.open_only:
            add(f"is_open = {self.open_literal}")
        if query.after_id is not None:
            cur.execute(
                self._sql("SELECT received_at, due_at FROM tickets WHERE id = ?"),
                (query.after_id,),
            )
            anchor = cur.fetchone()
            if anchor is None:
                raise NotFound("ticket", query.after_id)
            received_at, due_at = anchor
            if query.order == "received":
                add("(received_at, id) > (?, ?)", received_at, query.after_id)
            elif due_at is None:
                add("due_at IS NULL AND id > ?", query.after_id)
            elif query.due_before is not None:  # no NULL due_at left: the index range alone
                add("(due_at, id) > (?, ?)", due_at, query.after_id)
            else:
                add("((due_at, id) > (?, ?) OR due_at IS NULL)", due_at, query.after_id)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    @staticmethod
    def _order_by(query: TicketQuery, table: str = "") -> str:
        """The ``ORDER BY`` terms of ``query.order`` (columns prefixed with ``table``).

        ``due_at IS NULL`` puts tickets without a due time last in every dialect;
        with ``due_before`` there are none, and ``due_at, id`` is exactly the
        partial index ``tickets_open_due``, which then serves order and limit.
        """
        if query.order == "received":
            return f"{table}received_at, {table}id"
        if query.due_before is not None:
            return f"{table}due_at, {table}id"
        return f"{table}due_at IS NULL, {table}due_at, {table}id"

    def _page_sql(self, cur: Any, query: TicketQuery, columns: str) -> tuple[str, list[Any]]:
        """``SELECT columns FROM tickets`` for ``query``, ordered and limited, and its parameters."""
        where, params = self._where(cur, query)
        limit = ""
        if query.limit is not None:
            limit = " LIMIT ?"
            params.append(query.limit)
        return (
            f"SELECT {columns} FROM tickets{where} ORDER BY {self._order_by(query)}{limit}",
            params,
        )
