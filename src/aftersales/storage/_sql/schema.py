"""The SQL adapters' schema: its migrations, tables, indexes and typed columns.

Private. Each dialect lists its :class:`Migration` steps (``MIGRATIONS`` in
:mod:`aftersales.storage.sqlite.migrations` and
:mod:`aftersales.storage.postgres.migrations`): its own table definitions
(the column types differ), with the descriptions of :data:`STEPS` and the
indexes of :data:`INDEXES` that both dialects share (:meth:`Booleans.indexes`).
:class:`SchemaSteps` applies them when a store opens, recording each in the
table ``aftersales_schema``, and knows which tables they create, so that
``check_integrity()`` can name a missing one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, ClassVar, Final, Literal

import attrs

from aftersales.errors import StorageError, UnsupportedSchemaVersion

__all__ = [
    "INDEXES",
    "KEY_ACCOUNT_INDEX",
    "KEY_ACCOUNT_TEST",
    "STEPS",
    "TICKET_COLUMNS",
    "TYPED_COLUMNS",
    "Booleans",
    "Index",
    "Migration",
    "SchemaSteps",
    "TypedColumn",
    "insert_sql",
]

#: The columns of the ``tickets`` table, in insertion order: the queryable ones, the
#: ticket's snapshot (:mod:`aftersales.ticket_snapshot`, from schema version 6), its
#: SLA alert instants (:mod:`aftersales.storage._sql.alerts`, from schema version 8),
#: its sub-status (from schema version 12) and its type (from schema version 14).
TICKET_COLUMNS: Final = (
    "id",
    "version",
    "status",
    "priority",
    "customer_id",
    "assignee",
    "channel",
    "category",
    "product_model",
    "is_open",
    "received_at",
    "updated_at",
    "due_at",
    "snapshot",
    "next_alert_at",
    "first_alert_at",
    "substatus",
    "ticket_type",
)


def insert_sql(table: str, columns: Sequence[str]) -> str:
    """``INSERT INTO table (columns) VALUES (?, …)``, one placeholder per column.

    Example:
        >>> insert_sql("customers", ("id", "name", "data"))
        'INSERT INTO customers (id, name, data) VALUES (?, ?, ?)'
    """
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


#: The table every migration is recorded in.
SCHEMA_TABLE: Final = "aftersales_schema"

_CREATE = re.compile(r"^CREATE TABLE (\w+)")
_DROP = re.compile(r"^DROP TABLE (\w+)")


@attrs.frozen(slots=True)
class Migration:
    """One step of a schema: the version it brings the database to, and its SQL.

    Example:
        >>> Migration(3, "knowledge articles", ("CREATE TABLE knowledge_articles (id TEXT)",)).version
        3
    """

    version: int
    description: str
    statements: tuple[str, ...]


#: What each migration brings, by version (the same in every dialect).
STEPS: Final = {
    1: "tickets and their events",
    2: "customers; product model and SLA due time on tickets; an index per query",
    3: "the due-time index also orders by id: the SLA worklist in (due_at, id) order",
    4: "root causes and their tickets, improvement actions, knowledge articles with their"
    " versions and uses, follow-ups",
    5: "the company vocabulary: its own terms and their aliases, in registration order",
    6: "a snapshot of each folded ticket beside its events, so that reads replay nothing",
    7: "the facts projection: each ticket's facts (and those it had at period starts),"
    " SLA clock cycles and return visits, with the keys of the configurations they were"
    " computed under",
    8: "the SLA alert index: when each open ticket's next alert is due (the sweep's) and its"
    " earliest alert, recorded or not (the watchlist's), in (instant, id) order",
    9: "official holiday schedules loaded into the store, one per country and year, that every"
    " process on it merges into its working calendar",
    10: "indexes for reports: the key accounts among the customers, and the open tickets'"
    " facts by the key of the configuration they were computed under",
    11: "the event feed: a global position on every event (existing events numbered by event"
    " time, ticket and seq) and its counter; subscriptions' checkpoints, leases and dead"
    " letters",
    12: "sub-statuses: each ticket's sub-status (filled from the snapshots) and its index; the"
    " facts projection's stays in sub-statuses, summed up per ticket version and listed for"
    " the current one",
    13: "reply templates: every version of each, by code and version, with the category,"
    " channel, language and retired flag the latest version is found by",
    14: "ticket types and satisfaction by dimension: each ticket's type and its index; the"
    " facts projection's type, complaint flag (filled from the category for the rows"
    " before) and latest scores by dimension, and each return visit's scores by dimension",
    15: "tags: one row per tag of each ticket (filled from the snapshots), indexed by tag",
    16: "custom attributes: the declarations by name in declaration order, and one row per"
    " value of each ticket's attributes (one per code of a multiple choice), indexed by name"
    " and value",
    17: "named working calendars and teams: each calendar's definition by name, each team's"
    " members, skills and absences by name with the name of its calendar",
    18: "what reports read beside the tickets: answered surveys (NPS, satisfaction, by"
    " dimension, comment), each by id with its answer time, ticket and customer, indexed by"
    " time, ticket and customer; the installed base, units in service per product model",
    19: "the SLA policies adopted: every version of the policy file with the instant it takes"
    " effect (indexed with the version), when it was adopted and a note",
}


@attrs.frozen(slots=True)
class Index:
    """An index a migration creates: on ``table (columns)``, partial when ``where`` is given.

    ``where`` spells booleans ``{true}`` and ``{false}``: each dialect has its
    own literals, and its queries must use the same ones for the partial
    index to serve them.

    Example:
        >>> Index(2, "tickets_open", "tickets", "id", "is_open = {true}").create("1", "0")
        'CREATE INDEX tickets_open ON tickets (id) WHERE is_open = 1'
    """

    version: int
    name: str
    table: str
    columns: str
    where: str = ""

    def create(self, true: str, false: str) -> str:
        """The ``CREATE INDEX`` statement with the dialect's boolean literals."""
        statement = f"CREATE INDEX {self.name} ON {self.table} ({self.columns})"
        if self.where:
            statement += " WHERE " + self.where.format(true=true, false=false)
        return statement


_OPEN_DUE = "is_open = {true} AND due_at IS NOT NULL"

#: Every index of the schema, in the order the migrations create them.
INDEXES: Final = (
    Index(1, "tickets_received", "tickets", "received_at, id"),
    Index(2, "tickets_status", "tickets", "status"),
    Index(2, "tickets_priority", "tickets", "priority"),
    Index(2, "tickets_customer", "tickets", "customer_id"),
    Index(2, "tickets_assignee", "tickets", "assignee"),
    Index(2, "tickets_channel", "tickets", "channel"),
    Index(2, "tickets_category", "tickets", "category"),
    Index(2, "tickets_product_model", "tickets", "product_model"),
    Index(2, "tickets_updated", "tickets", "updated_at"),
    Index(2, "tickets_open_due", "tickets", "due_at", _OPEN_DUE),
    Index(3, "tickets_open_due", "tickets", "due_at, id", _OPEN_DUE),
    Index(4, "root_causes_department", "root_causes", "department, id"),
    Index(4, "root_cause_tickets_ticket", "root_cause_tickets", "ticket_id, root_cause_id"),
    Index(4, "improvement_actions_due", "improvement_actions", "due_at, id"),
    Index(4, "improvement_actions_status", "improvement_actions", "status"),
    Index(4, "improvement_actions_cause", "improvement_actions", "cause_id"),
    Index(4, "improvement_actions_owner", "improvement_actions", "owner"),
    Index(4, "knowledge_articles_status", "knowledge_articles", "status"),
    Index(4, "knowledge_articles_product", "knowledge_articles", "product"),
    Index(4, "knowledge_articles_category", "knowledge_articles", "category"),
    Index(4, "knowledge_uses_article", "knowledge_uses", "article_id, at"),
    Index(4, "knowledge_uses_at", "knowledge_uses", "at, article_id"),
    Index(4, "followups_due", "followups", "due_at, id"),
    Index(4, "followups_open_due", "followups", "due_at, id", "done = {false}"),
    Index(4, "followups_customer", "followups", "customer_id, due_at"),
    Index(7, "ticket_facts_received", "ticket_facts", "received_at"),
    Index(7, "ticket_facts_open", "ticket_facts", "received_at", "is_open = {true}"),
    Index(7, "ticket_facts_last_event", "ticket_facts", "last_event_at, received_at"),
    Index(7, "ticket_facts_customer", "ticket_facts", "customer_id, category, received_at"),
    Index(7, "ticket_facts_past_as_of", "ticket_facts_past", "as_of, received_at"),
    Index(7, "ticket_visits_low_score", "ticket_visits", "at", "low_score = {true}"),
    Index(
        8,
        "tickets_next_alert",
        "tickets",
        "next_alert_at, id",
        "is_open = {true} AND next_alert_at IS NOT NULL",
    ),
    Index(
        8,
        "tickets_first_alert",
        "tickets",
        "first_alert_at, id",
        "is_open = {true} AND first_alert_at IS NOT NULL",
    ),
    Index(10, "ticket_facts_open_key", "ticket_facts", "key_id, received_at", "is_open = {true}"),
    Index(12, "tickets_substatus", "tickets", "substatus", "substatus IS NOT NULL"),
    Index(14, "tickets_ticket_type", "tickets", "ticket_type", "ticket_type IS NOT NULL"),
    Index(15, "ticket_tags_tag", "ticket_tags", "tag, ticket_id"),
    Index(16, "ticket_attributes_value", "ticket_attributes", "name, value_text, ticket_id"),
    Index(18, "surveys_at", "surveys", "at, id"),
    Index(18, "surveys_ticket", "surveys", "ticket_id, at", "ticket_id IS NOT NULL"),
    Index(18, "surveys_customer", "surveys", "customer_id, at", "customer_id IS NOT NULL"),
    Index(19, "sla_policies_effective", "sla_policies", "effective_us, version"),
)


#: A customers row's ``key_account`` flag read from its JSON, per dialect, and
#: how that dialect's value reads when the flag is set.
_KEY_ACCOUNT_FLAG: Final = {
    "sqlite": ("json_extract(data, '$.key_account')", "1"),
    "postgres": ("(data::jsonb ->> 'key_account')", "'true'"),
}
#: The one index on an expression (schema 10), the key accounts among the
#: customers: its columns per dialect. A query uses it only when it spells the
#: expression the same way, as :data:`KEY_ACCOUNT_TEST` does.
KEY_ACCOUNT_INDEX: Final = {
    dialect: f"({flag}), id" for dialect, (flag, _) in _KEY_ACCOUNT_FLAG.items()
}
#: The test of a key account in a query, per dialect.
KEY_ACCOUNT_TEST: Final = {
    dialect: f"{flag} = {true}" for dialect, (flag, true) in _KEY_ACCOUNT_FLAG.items()
}


@attrs.frozen(slots=True)
class Booleans:
    """How a dialect spells ``true`` and ``false`` in SQL: in its partial indexes and its queries.

    A partial index serves a query only when the query's condition spells the
    index's ``WHERE`` the same way, so both take the literals from here.

    Example:
        >>> Booleans(true="TRUE", false="FALSE").indexes(4, "followups")[1]
        'CREATE INDEX followups_open_due ON followups (due_at, id) WHERE done = FALSE'
    """

    true: str
    false: str

    def indexes(self, version: int, table: str) -> tuple[str, ...]:
        """The ``CREATE INDEX`` statements of migration ``version`` on ``table``, in order."""
        return tuple(
            index.create(self.true, self.false)
            for index in INDEXES
            if index.version == version and index.table == table
        )


@attrs.frozen(slots=True)
class TypedColumn:
    """A column whose values must have one type: a time, an integer or a boolean.

    ``key`` lists the columns that name a row of ``table`` in a problem.

    Example:
        >>> TypedColumn("tickets", "id", "received_at", "time").nullable
        False
    """

    table: str
    key: str
    column: str
    kind: Literal["time", "integer", "boolean"]
    nullable: bool = False


#: The typed columns of the schema: a write by hand could break them, and a
#: database that does not enforce column types (SQLite) would keep the result.
TYPED_COLUMNS: Final = (
    TypedColumn("tickets", "id", "version", "integer"),
    TypedColumn("tickets", "id", "is_open", "boolean"),
    TypedColumn("tickets", "id", "received_at", "time"),
    TypedColumn("tickets", "id", "updated_at", "time"),
    TypedColumn("tickets", "id", "due_at", "time", nullable=True),
    TypedColumn("tickets", "id", "next_alert_at", "time", nullable=True),
    TypedColumn("tickets", "id", "first_alert_at", "time", nullable=True),
    TypedColumn("ticket_events", "ticket_id, seq", "seq", "integer"),
    TypedColumn("improvement_actions", "id", "version", "integer"),
    TypedColumn("improvement_actions", "id", "due_at", "time"),
    TypedColumn("knowledge_articles", "id", "version", "integer"),
    TypedColumn("knowledge_article_versions", "id, version", "version", "integer"),
    TypedColumn("knowledge_uses", "seq", "at", "time"),
    TypedColumn("followups", "id", "version", "integer"),
    TypedColumn("followups", "id", "due_at", "time"),
    TypedColumn("followups", "id", "done", "boolean"),
    TypedColumn("calendar_schedules", "country, year", "year", "integer"),
    TypedColumn("calendar_schedules", "country, year", "loaded_at", "time"),
    TypedColumn("reply_templates", "code, version", "version", "integer"),
    TypedColumn("reply_templates", "code, version", "retired", "boolean"),
    TypedColumn("reply_templates", "code, version", "updated_at", "time"),
    TypedColumn("calendars", "name", "updated_at", "time"),
    TypedColumn("teams", "name", "updated_at", "time"),
    TypedColumn("surveys", "id", "at", "time"),
    TypedColumn("installed_base", "product_model", "units", "integer"),
    TypedColumn("installed_base", "product_model", "updated_at", "time"),
    TypedColumn("sla_policies", "version", "effective_us", "integer"),
    TypedColumn("sla_policies", "version", "adopted_us", "integer"),
)


class SchemaSteps:
    """Migrations applied when a store opens, and the tables they make.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> SQLiteStore(":memory:")._schema_tables()[-3:]
        ['surveys', 'installed_base', 'sla_policies']
    """

    migrations: ClassVar[tuple[Migration, ...]] = ()
    where: str = "store"

    # -- what SQLStore and the dialects provide -----------------------------------------

    def _reading(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _sql(self, text: str) -> str:
        raise NotImplementedError

    def _table_names(self, cur: Any) -> set[str]:
        """The tables the database holds (in the store's schema)."""
        raise NotImplementedError

    # -- migrations --------------------------------------------------------------------

    def _migrate(self, cur: Any, migrations: Sequence[Migration], target: int | None) -> int:
        """Apply the steps after the database's version (up to ``target``); the version reached."""
        tables = self._table_names(cur)
        if SCHEMA_TABLE not in tables:
            found = [name for name in self._tables_of(migrations) if name in tables]
            if found:
                raise StorageError(
                    f"{self.where}: table {SCHEMA_TABLE} is missing, but the schema's tables"
                    f" {', '.join(found)} exist; accepted: a database with its {SCHEMA_TABLE}"
                    " table (restore it from a backup), or a new database"
                )
        cur.execute(
            f"CREATE TABLE IF NOT EXISTS {SCHEMA_TABLE} (version INTEGER PRIMARY KEY,"
            " description TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        cur.execute(f"SELECT max(version) FROM {SCHEMA_TABLE}")
        found_version = cur.fetchone()[0]
        current = 0 if found_version is None else int(found_version)
        latest = migrations[-1].version
        if current > latest:
            raise UnsupportedSchemaVersion(
                f"{self.where}: written by a newer aftersales", current, supported=range(latest + 1)
            )
        for migration in migrations:
            if migration.version <= current or (target is not None and migration.version > target):
                continue
            self._refuse_interrupted(cur, migration)
            for statement in migration.statements:
                cur.execute(statement)
            cur.execute(
                self._sql(
                    f"INSERT INTO {SCHEMA_TABLE} (version, description, applied_at)"
                    " VALUES (?, ?, ?)"
                ),
                (migration.version, migration.description, datetime.now().astimezone().isoformat()),
            )
            current = migration.version
        return current

    def _refuse_interrupted(self, cur: Any, migration: Migration) -> None:
        """Raise when ``migration`` was begun and not recorded (only where DDL commits at once)."""

    def _recorded_version(self, cur: Any) -> int:
        """The version ``aftersales_schema`` records (0 without it), changing nothing."""
        if SCHEMA_TABLE not in self._table_names(cur):
            return 0
        cur.execute(f"SELECT max(version) FROM {SCHEMA_TABLE}")
        found = cur.fetchone()[0]
        return 0 if found is None else int(found)

    @staticmethod
    def _tables_of(migrations: Sequence[Migration]) -> list[str]:
        tables: list[str] = []
        for migration in migrations:
            for statement in migration.statements:
                if created := _CREATE.match(statement):
                    tables.append(created.group(1))
                elif dropped := _DROP.match(statement):
                    tables.remove(dropped.group(1))
        return tables

    def schema_version(self) -> int:
        """The schema version of the database (the last migration applied).

        Example:
            >>> from aftersales.storage import SQLiteStore
            >>> SQLiteStore(":memory:").schema_version()
            19
        """
        with self._reading() as cur:
            cur.execute(f"SELECT max(version) FROM {SCHEMA_TABLE}")
            return int(cur.fetchone()[0])

    def _schema_tables(self, version: int | None = None) -> list[str]:
        """The tables of schema ``version`` (default: the database's), ``aftersales_schema`` first."""
        version = self.schema_version() if version is None else version
        steps = [m for m in self.migrations if m.version <= version]
        return [SCHEMA_TABLE, *self._tables_of(steps)]
