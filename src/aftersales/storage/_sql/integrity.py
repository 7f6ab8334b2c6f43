"""``check_integrity()`` of the SQL adapters: every table, typed column and row looked at.

Private: :class:`IntegrityChecks` is a base of
:class:`~aftersales.storage._sql.store.SQLStore`. A check names each problem by
table and row, in the order: the database's own check, missing tables,
mistyped columns, the record tables, customers, the company vocabulary, the
official holiday schedules, then each ticket (its events read strictly and replayed, its queryable columns and
its snapshot compared with them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence, Set
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, ClassVar

from aftersales.errors import StorageError
from aftersales.model.customer import Customer
from aftersales.model.ticket import Ticket
from aftersales.readmodel.projection import TicketProjection
from aftersales.storage._sql.schema import (
    SCHEMA_TABLE,
    TICKET_COLUMNS,
    TYPED_COLUMNS,
    Migration,
    TypedColumn,
)

__all__ = ["ColumnProblem", "IntegrityChecks", "row_name"]

#: A mistyped value: the key of its row (``None``: the whole column), and the problem.
ColumnProblem = tuple[tuple[Any, ...] | None, str]

#: The tables each part of the check reads.
_TICKET_TABLES = {"tickets", "ticket_events"}
_RECORD_TABLES = {
    "root_causes",
    "root_cause_tickets",
    "improvement_actions",
    "knowledge_articles",
    "knowledge_article_versions",
    "knowledge_uses",
    "followups",
}
_VOCABULARY_TABLES = {"vocabulary_terms", "vocabulary_aliases"}
_FEED_TABLES = {"ticket_events", "event_feed_head"}
#: Columns of a tickets row not compared as they are: the caller's SLA due time and alert
#: instants, which the events do not give, and the snapshot, compared field by field.
_NOT_FROM_EVENTS = {"due_at", "snapshot", "next_alert_at", "first_alert_at"}


def _shown(value: object) -> str:
    """A column value in a problem: times in ISO 8601, anything else as its ``repr``."""
    return repr(value.isoformat()) if isinstance(value, datetime) else repr(value)


def row_name(table: str, key: Sequence[Any], names: str) -> str:
    """How a problem names a row: ``tickets row 'T1'`` or ``t row (a=1, b='x')``.

    Example:
        >>> row_name("ticket_events", ("T1", 2), "ticket_id, seq")
        "ticket_events row (ticket_id='T1', seq=2)"
    """
    if len(key) == 1:
        return f"{table} row {key[0]!r}"
    pairs = ", ".join(
        f"{name}={value!r}" for name, value in zip(names.split(", "), key, strict=True)
    )
    return f"{table} row ({pairs})"


class IntegrityChecks:
    """The integrity check of a SQL store; see :meth:`check_integrity`.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> SQLiteStore(":memory:").check_integrity()
        []
    """

    where: str = "store"
    migrations: ClassVar[tuple[Migration, ...]] = ()

    # -- what SQLStore and the dialects provide -----------------------------------------

    def _reading(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _table_names(self, cur: Any) -> set[str]:
        raise NotImplementedError

    def _schema_tables(self, version: int | None = None) -> list[str]:
        raise NotImplementedError

    def _ticket_row(
        self, ticket: Ticket, due_at: datetime | None, projection: TicketProjection | None = None
    ) -> tuple[Any, ...]:
        raise NotImplementedError

    def _decode_customer(self, customer_id: str, data: Any) -> Customer:
        raise NotImplementedError

    def _reference_ticket(self, ticket_id: str) -> tuple[Ticket, list[str]]:
        raise NotImplementedError

    def _record_problems(self, missing: Set[str] = frozenset()) -> list[str]:
        raise NotImplementedError

    def _vocabulary_problems(self) -> list[str]:
        raise NotImplementedError

    def _schedule_problems(self) -> list[str]:
        raise NotImplementedError

    def _reply_template_problems(self) -> list[str]:
        raise NotImplementedError

    def _team_problems(self) -> list[str]:
        raise NotImplementedError

    def _survey_problems(self) -> list[str]:
        raise NotImplementedError

    def _installed_base_problems(self) -> list[str]:
        raise NotImplementedError

    def _policy_problems(self) -> list[str]:
        raise NotImplementedError

    def _attribute_problems(self) -> list[str]:
        raise NotImplementedError

    def _feed_problems(self) -> list[str]:
        raise NotImplementedError

    def _tag_rows(self, cur: Any) -> dict[str, frozenset[str]]:
        raise NotImplementedError

    def _database_check(self) -> list[str]:
        """The database's own consistency check (nothing by default)."""
        return []

    def _column_problems(self, column: TypedColumn) -> list[ColumnProblem]:
        """The rows (or the column itself) whose type is not ``column.kind``."""
        return []

    # -- the check ---------------------------------------------------------------------------

    def check_integrity(self) -> list[str]:
        """Every problem found, each naming its table (and row); ``[]`` when the store is sound.

        In order: the database's own check; each table of the schema that is
        missing; each value of a typed column (a time, an integer, a boolean)
        that has another type; each row of the record tables, of
        ``customers``, of the vocabulary tables, of ``calendar_schedules``,
        of ``reply_templates``, of ``calendars`` and ``teams`` and of
        ``sla_policies`` that cannot be read (and each team whose calendar is
        not stored); each
        ticket whose events cannot be read strictly or do not replay, or whose
        ``tickets`` row (its columns, then its snapshot, field by field) or
        ``ticket_tags`` rows disagree with them; each unreadable attribute
        declaration, and each ticket whose ``ticket_attributes`` rows disagree
        with its snapshot. Reads only; a missing table's checks are skipped.

        Example:
            >>> import sqlite3, tempfile, os
            >>> from aftersales.storage import SQLiteStore
            >>> from aftersales.testing.samples import sample_ticket
            >>> path = os.path.join(tempfile.mkdtemp(), "desk.db")
            >>> store = SQLiteStore(path)
            >>> store.save(sample_ticket(), expected_version=0)
            >>> store.check_integrity()
            []
            >>> with sqlite3.connect(path) as conn:
            ...     _ = conn.execute("UPDATE tickets SET received_at = 'yesterday'")
            >>> print("\\n".join(store.check_integrity()))  # doctest: +ELLIPSIS
            tickets row 'T202405001': received_at holds text 'yesterday'; accepted: ...
        """
        problems = self._database_check()
        with self._reading() as cur:
            present = self._table_names(cur)
        version = self._readable_version(present)
        missing = {name for name in self._schema_tables(version) if name not in present}
        problems += [f"table {name} is missing" for name in sorted(missing)]
        broken: set[tuple[str, tuple[Any, ...] | None]] = set()
        for column in TYPED_COLUMNS:
            if column.table in present:
                for key, problem in self._column_problems(column):
                    problems.append(problem)
                    if column.table == "tickets":
                        broken.add((column.column, key))
        parts: list[tuple[str, Callable[[], list[str]]]] = [
            ("the record tables", lambda: self._record_problems(missing & _RECORD_TABLES))
        ]
        if "customers" in present:
            parts.append(("customers", self._customer_problems))
        if present >= _VOCABULARY_TABLES:
            parts.append(("the vocabulary tables", self._vocabulary_problems))
        if "calendar_schedules" in present:
            parts.append(("calendar_schedules", self._schedule_problems))
        if "reply_templates" in present:
            parts.append(("reply_templates", self._reply_template_problems))
        if {"calendars", "teams"} <= present:
            parts.append(("calendars and teams", self._team_problems))
        if "surveys" in present:
            parts.append(("surveys", self._survey_problems))
        if "installed_base" in present:
            parts.append(("installed_base", self._installed_base_problems))
        if "sla_policies" in present:
            parts.append(("sla_policies", self._policy_problems))
        if present >= _TICKET_TABLES:
            tagged = "ticket_tags" in present
            parts.append(("tickets", lambda: self._ticket_problems(broken, tagged=tagged)))
        if {"attribute_definitions", "ticket_attributes", "tickets"} <= present:
            parts.append(("custom attributes", self._attribute_problems))
        if present >= _FEED_TABLES:
            parts.append(("the event feed", self._feed_problems))
        for what, part in parts:
            try:
                problems += part()
            except StorageError as error:  # a table broken beyond reading: say so, go on
                problems.append(f"{what} could not be checked: {error}")
        return problems

    def _readable_version(self, present: set[str]) -> int | None:
        """``None`` (the database's version), or the latest when the database cannot say."""
        if SCHEMA_TABLE not in present:
            return max((m.version for m in self.migrations), default=0)
        return None

    def _customer_problems(self) -> list[str]:
        with self._reading() as cur:
            cur.execute("SELECT id, name, data FROM customers ORDER BY id")
            rows = cur.fetchall()
        problems: list[str] = []
        for customer_id, name, data in rows:
            try:
                customer = self._decode_customer(customer_id, data)
            except StorageError as error:
                problems.append(str(error))
                continue
            where = row_name("customers", (customer_id,), "id")
            if customer.id != customer_id:
                problems.append(f"{where}: holds customer {customer.id!r}")
            elif customer.name != name:
                problems.append(f"{where}: name {name!r} but its data gives {customer.name!r}")
        return problems

    def _ticket_problems(
        self, broken: set[tuple[str, tuple[Any, ...] | None]], *, tagged: bool = False
    ) -> list[str]:
        problems: list[str] = []
        with self._reading() as cur:
            tag_rows = self._tag_rows(cur) if tagged else {}
            cur.execute(f"SELECT {', '.join(TICKET_COLUMNS)} FROM tickets ORDER BY id")
            rows = cur.fetchall()
            cur.execute(
                "SELECT DISTINCT ticket_id FROM ticket_events"
                " WHERE ticket_id NOT IN (SELECT id FROM tickets) ORDER BY ticket_id"
            )
            problems += [f"ticket_events rows of missing ticket {r[0]!r}" for r in cur.fetchall()]
        known = {row[0] for row in rows}
        problems += [
            f"ticket_tags rows of missing ticket {i!r}" for i in tag_rows if i not in known
        ]
        for row in rows:
            ticket_id = row[0]
            try:
                ticket, snapshot_problems = self._reference_ticket(ticket_id)
            except StorageError as error:
                problems.append(str(error))
                continue
            expected = self._ticket_row(ticket, None)
            for name, found, wanted in zip(TICKET_COLUMNS, row, expected, strict=True):
                if (
                    found == wanted
                    or name in _NOT_FROM_EVENTS
                    or (name, (ticket_id,)) in broken
                    or (name, None) in broken
                ):
                    continue
                problems.append(
                    f"{row_name('tickets', (ticket_id,), 'id')}: {name} {_shown(found)}"
                    f" but its events give {_shown(wanted)}"
                )
            problems += snapshot_problems
            stored_tags = tag_rows.get(ticket_id, frozenset())
            if tagged and stored_tags != ticket.tags:
                problems.append(
                    f"ticket_tags rows of ticket {ticket_id!r}: {sorted(stored_tags)!r}"
                    f" but its events give {sorted(ticket.tags)!r}"
                )
        return problems
