"""The record queries of the stores, each described once: its table, filters and order.

Private, shared by the adapters: the memory stores run a :class:`RecordQuery`
over objects (:meth:`RecordQuery.select`), the SQL stores turn the same
description into ``WHERE`` and ``ORDER BY`` (:meth:`RecordQuery.sql`), so the
two cannot drift apart. A filter names a column and reads the same value off
the object; the order names columns that are also the objects' attributes.

Example:
    >>> query = actions_query(status=None, cause_id="RC-1", owner=None, open_only=True)
    >>> query.sql("id, data", false="0", time=str)[0]
    'SELECT id, data FROM improvement_actions WHERE cause_id = ? AND status IN (?, ?) ORDER BY due_at, id'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from operator import attrgetter
from typing import Any, Literal, TypeVar

import attrs

from aftersales import _checks as check
from aftersales.improvement.lifecycle import ActionStatus
from aftersales.knowledge.article import ArticleStatus

__all__ = [
    "Filter",
    "RecordQuery",
    "actions_query",
    "articles_query",
    "followups_query",
    "root_causes_query",
    "uses_query",
]

R = TypeVar("R")

#: The root causes linked to a ticket (one ``?``), read through the index ``root_cause_tickets_ticket``.
_TICKET_LINKS = "SELECT root_cause_id FROM root_cause_tickets WHERE ticket_id = ?"
#: The statuses of an open improvement action.
OPEN_ACTIONS = tuple(status.value for status in ActionStatus if status.is_open)


@attrs.frozen(slots=True)
class Filter:
    """One filter: ``column`` (and ``read(obj)``) compared with ``value`` by ``test``.

    ``"equal"``: equal to it; ``"at_most"``: at most it (a time); ``"one_of"``:
    one of its values; ``"false"``: false (``value`` unused; in SQL the
    dialect's literal, as the partial indexes are written); ``"has"``: the
    object's collection holds ``value`` (in SQL: ``column`` is one of the rows
    of ``linked``, a ``SELECT`` of one column with one ``?`` for ``value``).

    Example:
        >>> from aftersales.testing.contracts import make_action
        >>> owner = Filter("owner", "赵经理", attrgetter("owner"))
        >>> owner.admits(make_action()), owner.clause("0", str)
        (True, ('owner = ?', ['赵经理']))
    """

    column: str
    value: Any
    read: Callable[[Any], Any]
    test: Literal["equal", "at_most", "one_of", "false", "has"] = "equal"
    linked: str = ""

    def admits(self, obj: Any) -> bool:
        """True when ``obj`` passes this filter."""
        found = self.read(obj)
        if self.test == "equal":
            return bool(found == self.value)
        if self.test == "at_most":
            return bool(found <= self.value)
        if self.test == "one_of":
            return found in self.value
        if self.test == "has":
            return self.value in found
        return not found

    def clause(self, false: str, time: Callable[[datetime], Any]) -> tuple[str, list[Any]]:
        """The SQL condition (``?`` placeholders) and its parameters."""
        if self.test == "equal":
            return f"{self.column} = ?", [self.value]
        if self.test == "at_most":
            return f"{self.column} <= ?", [time(self.value)]
        if self.test == "one_of":
            return f"{self.column} IN ({', '.join('?' * len(self.value))})", list(self.value)
        if self.test == "has":
            return f"{self.column} IN ({self.linked})", [self.value]
        return f"{self.column} = {false}", []


@attrs.frozen(slots=True)
class RecordQuery:
    """The records of ``table`` that pass every filter, ordered by ``order``.

    ``order`` names columns that are also attributes of the objects; ties keep
    the order the records were written in (``sequence``: the SQL column that
    holds it, when the order alone is not unique).

    Example:
        >>> query = root_causes_query(department="采购部", ticket_id=None)
        >>> query.sql("id, data", false="0", time=str)
        ('SELECT id, data FROM root_causes WHERE department = ? ORDER BY id', ['采购部'])
    """

    table: str
    filters: tuple[Filter, ...]
    order: tuple[str, ...]
    sequence: str | None = None

    def select(self, objects: Iterable[R]) -> list[R]:
        """The objects that pass every filter, in order (stable: ties keep their order)."""
        found = [obj for obj in objects if all(f.admits(obj) for f in self.filters)]
        return sorted(found, key=attrgetter(*self.order))

    def sql(
        self, columns: str, *, false: str, time: Callable[[datetime], Any]
    ) -> tuple[str, list[Any]]:
        """``SELECT columns`` of this query (``?`` placeholders), and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        for item in self.filters:
            clause, values = item.clause(false, time)
            clauses.append(clause)
            params.extend(values)
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        order = ", ".join(self.order if self.sequence is None else (*self.order, self.sequence))
        return f"SELECT {columns} FROM {self.table}{where} ORDER BY {order}", params


def _equal(*pairs: tuple[str, Any, Callable[[Any], Any]]) -> list[Filter]:
    """An equality filter for each pair whose value is given."""
    return [Filter(column, value, read) for column, value, read in pairs if value is not None]


def root_causes_query(*, department: str | None, ticket_id: str | None) -> RecordQuery:
    """``find_root_causes(...)``: by id; ``ticket_id`` through the links of ``root_cause_tickets``.

    Example:
        >>> root_causes_query(department=None, ticket_id="T1").sql("id", false="0", time=str)
        ('SELECT id FROM root_causes WHERE id IN (SELECT root_cause_id FROM root_cause_tickets WHERE ticket_id = ?) ORDER BY id', ['T1'])
    """
    filters = _equal(("department", department, attrgetter("department")))
    if ticket_id is not None:
        filters.append(Filter("id", ticket_id, attrgetter("ticket_ids"), "has", _TICKET_LINKS))
    return RecordQuery("root_causes", tuple(filters), ("id",))


def actions_query(
    *, status: object, cause_id: str | None, owner: str | None, open_only: bool
) -> RecordQuery:
    """``find_actions(...)``: by ``(due_at, id)``; ``UnknownValue`` for an unknown status.

    Example:
        >>> actions_query(status="paused", cause_id=None, owner=None, open_only=False)
        Traceback (most recent call last):
        ...
        aftersales.errors.UnknownValue: status: 'paused' is not a known value; accepted: ...
    """
    wanted = None if status is None else check.member(ActionStatus)(status, "status")
    filters = _equal(
        ("status", None if wanted is None else wanted.value, _status_value),
        ("cause_id", cause_id, attrgetter("cause_id")),
        ("owner", owner, attrgetter("owner")),
    )
    if open_only:
        filters.append(Filter("status", OPEN_ACTIONS, _status_value, "one_of"))
    return RecordQuery("improvement_actions", tuple(filters), ("due_at", "id"))


def articles_query(*, status: object, product: str | None, category: object) -> RecordQuery:
    """``find_articles(...)``: latest versions by id; ``category`` a term or its code."""
    wanted = None if status is None else check.member(ArticleStatus)(status, "status")
    filters = _equal(
        ("status", None if wanted is None else wanted.value, _status_value),
        ("product", product, attrgetter("product")),
        ("category", getattr(category, "code", category), attrgetter("category.code")),
    )
    return RecordQuery("knowledge_articles", tuple(filters), ("id",))


def uses_query(*, article_id: str | None) -> RecordQuery:
    """``find_uses(...)``: by ``(at, article_id)``, then in the order recorded."""
    filters = _equal(("article_id", article_id, attrgetter("article_id")))
    return RecordQuery("knowledge_uses", tuple(filters), ("at", "article_id"), sequence="seq")


def followups_query(
    *, customer_id: str | None, open_only: bool, due_before: datetime | None
) -> RecordQuery:
    """``find_followups(...)``: by ``(due_at, id)``; ``due_before`` inclusive and aware."""
    limit = None if due_before is None else check.aware(due_before, "due_before")
    filters = _equal(("customer_id", customer_id, attrgetter("customer_id")))
    if open_only:
        filters.append(Filter("done", None, attrgetter("done"), "false"))
    if limit is not None:
        filters.append(Filter("due_at", limit, attrgetter("due_at"), "at_most"))
    return RecordQuery("followups", tuple(filters), ("due_at", "id"))


def _status_value(obj: Any) -> Any:
    return obj.status.value
