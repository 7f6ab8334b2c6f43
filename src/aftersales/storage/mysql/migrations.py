"""The MySQL/MariaDB schema, one :class:`~aftersales.storage.Migration` per version.

A later step is appended, never edited. Every table is InnoDB in
``utf8mb4`` with the binary collation ``utf8mb4_bin``: any Unicode text
(emoji, CJK extension B) is stored as given, ids and codes compare code point
by code point (``T1`` is not ``t1``, ``é`` is not ``e``) and sort as in the
other dialects. Times are ``DATETIME(6)`` in UTC (microseconds kept),
booleans ``BOOLEAN`` (``1``/``0``). Keys are ``VARCHAR`` of a bounded length
(an id holds at most 64 characters); other texts are ``TEXT`` or
``LONGTEXT``, indexed on their first 191 characters. MySQL has no partial
index, so the shared :data:`~aftersales.storage._sql.schema.INDEXES` are
created whole, and no index on an expression in MariaDB, so the key-account
test of schema 10 reads the customers' JSON without one.

Example:
    >>> SCHEMA_VERSION, BOOLEANS.true
    (19, '1')
    >>> index_statements(3, "tickets")
    ('CREATE INDEX tickets_open_due ON tickets (due_at, id)',)
    >>> MIGRATIONS[0].statements[0].split(",")[0]
    'CREATE TABLE tickets (id VARCHAR(64) PRIMARY KEY'
"""

from __future__ import annotations

import re
from typing import Final

from aftersales.storage._sql.facts_schema import (
    facts_statements,
    substatus_statements,
    type_statements,
)
from aftersales.storage._sql.schema import INDEXES, STEPS, Booleans, Migration

__all__ = ["BOOLEANS", "MIGRATIONS", "SCHEMA_VERSION", "TABLE_OPTIONS", "index_statements"]

#: How MySQL spells a boolean in SQL.
BOOLEANS: Final = Booleans(true="1", false="0")

#: What ends every ``CREATE TABLE``: InnoDB, ``utf8mb4``, a binary collation.
TABLE_OPTIONS: Final = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"

_ID = "VARCHAR(64)"  # an id (``_checks.identifier``: 1–64 ASCII characters)
_KEY = "VARCHAR(191)"  # a text in a primary or unique key (a code, a tag, a name)
_DATA = "LONGTEXT"  # JSON documents and events
_TIME = "DATETIME(6)"

#: The ``TEXT`` columns that indexes cover, indexed on a prefix of this many characters.
_PREFIX: Final = 191
_TEXT_INDEXED: Final = {
    "tickets": {"status", "priority", "assignee", "channel", "category", "product_model"}
    | {"substatus", "ticket_type"},
    "root_causes": {"department"},
    "improvement_actions": {"status", "owner"},
    "knowledge_articles": {"status", "product", "category"},
    "ticket_facts": {"category"},
}


def index_statements(version: int, table: str) -> tuple[str, ...]:
    """The ``CREATE INDEX`` statements of migration ``version`` on ``table``, in MySQL.

    Whole indexes (a partial index's ``WHERE`` is dropped: every query that
    names the condition still finds its rows through the index), ``TEXT``
    columns on a prefix.

    Example:
        >>> index_statements(2, "tickets")[6]
        'CREATE INDEX tickets_product_model ON tickets (product_model(191))'
    """
    prefixed = _TEXT_INDEXED.get(table, set())
    statements = []
    for index in INDEXES:
        if index.version != version or index.table != table:
            continue
        columns = ", ".join(
            f"{name}({_PREFIX})" if name in prefixed else name
            for name in (part.strip() for part in index.columns.split(","))
        )
        statements.append(f"CREATE INDEX {index.name} ON {table} ({columns})")
    return tuple(statements)


def _tables(*statements: str) -> tuple[str, ...]:
    """``statements`` with :data:`TABLE_OPTIONS` after each ``CREATE TABLE``."""
    return tuple(
        statement + TABLE_OPTIONS if statement.startswith("CREATE TABLE") else statement
        for statement in statements
    )


_KEYED_FACTS = re.compile(r"\b(ticket_id|customer_id|metric) TEXT\b")


def _facts(statements: tuple[str, ...]) -> tuple[str, ...]:
    """The shared facts statements in MySQL: key columns ``VARCHAR`` (no TEXT key), ``key`` quoted."""
    return _tables(
        *(_KEYED_FACTS.sub(r"\1 VARCHAR(64)", s).replace(", key ", ', "key" ') for s in statements)
    )


_FACT_TYPES: Final = {
    "text": "TEXT",
    "integer": "INTEGER",
    "bigint": "BIGINT",
    "boolean": "BOOLEAN",
    "time": _TIME,
    "date": "DATE",
    "key": "INTEGER AUTO_INCREMENT PRIMARY KEY",
}

#: The schema, one step per version. A later step is appended, never edited.
MIGRATIONS: Final = (
    Migration(
        1,
        STEPS[1],
        _tables(
            f"CREATE TABLE tickets (id {_ID} PRIMARY KEY, version INTEGER NOT NULL,"
            f" status TEXT NOT NULL, priority TEXT NOT NULL, customer_id {_ID} NOT NULL,"
            " assignee TEXT, channel TEXT NOT NULL, category TEXT NOT NULL,"
            f" is_open BOOLEAN NOT NULL, received_at {_TIME} NOT NULL,"
            f" updated_at {_TIME} NOT NULL)",
            f"CREATE TABLE ticket_events (ticket_id {_ID} NOT NULL, seq INTEGER NOT NULL,"
            f" data {_DATA} NOT NULL, PRIMARY KEY (ticket_id, seq),"
            " FOREIGN KEY (ticket_id) REFERENCES tickets (id))",
            *index_statements(1, "tickets"),
        ),
    ),
    Migration(
        2,
        STEPS[2],
        _tables(
            f"CREATE TABLE customers (id {_ID} PRIMARY KEY, name TEXT NOT NULL,"
            f" data {_DATA} NOT NULL)",
            "ALTER TABLE tickets ADD COLUMN product_model TEXT",
            f"ALTER TABLE tickets ADD COLUMN due_at {_TIME}",
            "UPDATE tickets AS t JOIN ticket_events AS e ON e.ticket_id = t.id AND e.seq = 1"
            " SET t.product_model = JSON_VALUE(e.data, '$.purchase.product.model')",
            *index_statements(2, "tickets"),
        ),
    ),
    Migration(
        3,
        STEPS[3],
        ("DROP INDEX tickets_open_due ON tickets", *index_statements(3, "tickets")),
    ),
    Migration(
        4,
        STEPS[4],
        _tables(
            f"CREATE TABLE root_causes (id {_ID} PRIMARY KEY, department TEXT NOT NULL,"
            f" category TEXT NOT NULL, data {_DATA} NOT NULL)",
            *index_statements(4, "root_causes"),
            f"CREATE TABLE root_cause_tickets (root_cause_id {_ID} NOT NULL,"
            f" ticket_id {_ID} NOT NULL, PRIMARY KEY (root_cause_id, ticket_id),"
            " FOREIGN KEY (root_cause_id) REFERENCES root_causes (id))",
            *index_statements(4, "root_cause_tickets"),
            f"CREATE TABLE improvement_actions (id {_ID} PRIMARY KEY,"
            f" version INTEGER NOT NULL, status TEXT NOT NULL, cause_id {_ID} NOT NULL,"
            f" owner TEXT NOT NULL, due_at {_TIME} NOT NULL, data {_DATA} NOT NULL)",
            *index_statements(4, "improvement_actions"),
            f"CREATE TABLE knowledge_articles (id {_ID} PRIMARY KEY,"
            " version INTEGER NOT NULL, status TEXT NOT NULL, product TEXT,"
            f" category TEXT NOT NULL, data {_DATA} NOT NULL)",
            *index_statements(4, "knowledge_articles"),
            f"CREATE TABLE knowledge_article_versions (id {_ID} NOT NULL,"
            f" version INTEGER NOT NULL, data {_DATA} NOT NULL, PRIMARY KEY (id, version),"
            " FOREIGN KEY (id) REFERENCES knowledge_articles (id))",
            "CREATE TABLE knowledge_uses (seq BIGINT AUTO_INCREMENT PRIMARY KEY,"
            f" article_id {_ID} NOT NULL, ticket_id {_ID} NOT NULL, at {_TIME} NOT NULL,"
            f" data {_DATA} NOT NULL, FOREIGN KEY (article_id) REFERENCES knowledge_articles (id))",
            *index_statements(4, "knowledge_uses"),
            f"CREATE TABLE followups (id {_ID} PRIMARY KEY, version INTEGER NOT NULL,"
            f" customer_id {_ID} NOT NULL, due_at {_TIME} NOT NULL, done BOOLEAN NOT NULL,"
            f" data {_DATA} NOT NULL)",
            *index_statements(4, "followups"),
        ),
    ),
    Migration(
        5,
        STEPS[5],
        _tables(
            "CREATE TABLE vocabulary_terms (seq BIGINT AUTO_INCREMENT PRIMARY KEY,"
            f" kind {_ID} NOT NULL, code {_KEY} NOT NULL, label_en TEXT NOT NULL,"
            " label_zh TEXT NOT NULL, UNIQUE (kind, code))",
            "CREATE TABLE vocabulary_aliases (seq BIGINT AUTO_INCREMENT PRIMARY KEY,"
            f" kind {_ID} NOT NULL, alias {_KEY} NOT NULL, code {_KEY} NOT NULL,"
            " UNIQUE (kind, alias),"
            " FOREIGN KEY (kind, code) REFERENCES vocabulary_terms (kind, code))",
        ),
    ),
    Migration(6, STEPS[6], (f"ALTER TABLE tickets ADD COLUMN snapshot {_DATA}",)),
    Migration(
        7,
        STEPS[7],
        _facts(facts_statements(_FACT_TYPES, _KEY, lambda table: index_statements(7, table))),
    ),
    Migration(
        8,
        STEPS[8],
        (
            f"ALTER TABLE tickets ADD COLUMN next_alert_at {_TIME}",
            f"ALTER TABLE tickets ADD COLUMN first_alert_at {_TIME}",
            *index_statements(8, "tickets"),
        ),
    ),
    Migration(
        9,
        STEPS[9],
        _tables(
            f"CREATE TABLE calendar_schedules (country {_ID} NOT NULL,"
            f" year INTEGER NOT NULL, data {_DATA} NOT NULL, loaded_at {_TIME} NOT NULL,"
            " PRIMARY KEY (country, year))",
        ),
    ),
    Migration(10, STEPS[10], index_statements(10, "ticket_facts")),
    Migration(
        11,
        STEPS[11],
        _tables(
            "ALTER TABLE ticket_events ADD COLUMN position BIGINT",
            # existing events by event time, ticket, seq (an unreadable row sorts first)
            "UPDATE ticket_events AS e JOIN (SELECT ticket_id, seq, ROW_NUMBER() OVER (ORDER BY"
            " JSON_VALUE(data, '$.at'), ticket_id, seq) AS n FROM ticket_events) AS r"
            " ON r.ticket_id = e.ticket_id AND r.seq = e.seq SET e.position = r.n",
            "ALTER TABLE ticket_events MODIFY position BIGINT NOT NULL",
            "CREATE UNIQUE INDEX ticket_events_position ON ticket_events (position)",
            "CREATE TABLE event_feed_head (id INTEGER PRIMARY KEY CHECK (id = 1),"
            " position BIGINT NOT NULL)",
            "INSERT INTO event_feed_head (id, position) SELECT 1, count(*) FROM ticket_events",
            f"CREATE TABLE subscriptions (name {_KEY} PRIMARY KEY,"
            " position BIGINT NOT NULL, owner TEXT, lease_until BIGINT NOT NULL)",
            f"CREATE TABLE subscription_dead_letters (name {_KEY} NOT NULL,"
            " position BIGINT NOT NULL, error LONGTEXT NOT NULL, attempts INTEGER NOT NULL,"
            " parked_at BIGINT NOT NULL, PRIMARY KEY (name, position))",
        ),
    ),
    Migration(
        12,
        STEPS[12],
        (
            "ALTER TABLE tickets ADD COLUMN substatus TEXT",
            "UPDATE tickets SET substatus = JSON_VALUE(snapshot, '$.substatus')"
            " WHERE snapshot LIKE '%\"substatus\": %'",
            *index_statements(12, "tickets"),
            *_facts(
                substatus_statements(
                    {"text": "TEXT", "integer": "INTEGER", "bigint": "BIGINT", "time": _TIME}
                )
            ),
        ),
    ),
    Migration(
        13,
        STEPS[13],
        _tables(
            f"CREATE TABLE reply_templates (code {_KEY} NOT NULL,"
            " version INTEGER NOT NULL, category TEXT, channel TEXT, language TEXT NOT NULL,"
            f" retired BOOLEAN NOT NULL, updated_at {_TIME} NOT NULL, data {_DATA} NOT NULL,"
            " PRIMARY KEY (code, version))",
        ),
    ),
    Migration(
        14,
        STEPS[14],
        (
            "ALTER TABLE tickets ADD COLUMN ticket_type TEXT",
            *index_statements(14, "tickets"),
            *type_statements({"text": "TEXT", "boolean": "BOOLEAN"}, BOOLEANS.true, BOOLEANS.false),
        ),
    ),
    Migration(
        15,
        STEPS[15],
        _tables(
            f"CREATE TABLE ticket_tags (ticket_id {_ID} NOT NULL, tag {_KEY} NOT NULL,"
            " PRIMARY KEY (ticket_id, tag), FOREIGN KEY (ticket_id) REFERENCES tickets (id))",
            *index_statements(15, "ticket_tags"),
            # the tags of the snapshots; one that is not valid JSON is skipped (and
            # reported by check_integrity)
            "INSERT INTO ticket_tags (ticket_id, tag) SELECT t.id, j.tag FROM (SELECT id,"
            " snapshot FROM tickets WHERE JSON_VALID(snapshot) AND snapshot LIKE"
            " '%\"tags\": [%') AS t, JSON_TABLE(t.snapshot, '$.tags[*]'"
            f" COLUMNS (tag {_KEY} PATH '$')) AS j",
        ),
    ),
    Migration(
        16,
        STEPS[16],
        _tables(
            f"CREATE TABLE attribute_definitions (name {_KEY} PRIMARY KEY,"
            f" position INTEGER NOT NULL, data {_DATA} NOT NULL)",
            # (64 + 64 + 500) characters of 4 bytes: within InnoDB's 3072-byte key
            f"CREATE TABLE ticket_attributes (ticket_id {_ID} NOT NULL, name {_ID} NOT NULL,"
            " value_text VARCHAR(500) NOT NULL, PRIMARY KEY (ticket_id, name, value_text),"
            " FOREIGN KEY (ticket_id) REFERENCES tickets (id))",
            *index_statements(16, "ticket_attributes"),
        ),
    ),
    Migration(
        17,
        STEPS[17],
        _tables(
            f"CREATE TABLE calendars (name {_KEY} PRIMARY KEY, data {_DATA} NOT NULL,"
            f" updated_at {_TIME} NOT NULL)",
            f"CREATE TABLE teams (name {_KEY} PRIMARY KEY, calendar TEXT NOT NULL,"
            f" data {_DATA} NOT NULL, updated_at {_TIME} NOT NULL)",
        ),
    ),
    Migration(
        18,
        STEPS[18],
        _tables(
            f"CREATE TABLE surveys (id {_ID} PRIMARY KEY, at {_TIME} NOT NULL,"
            f" ticket_id {_ID}, customer_id {_ID}, data {_DATA} NOT NULL)",
            *index_statements(18, "surveys"),
            f"CREATE TABLE installed_base (product_model {_KEY} PRIMARY KEY,"
            f" units INTEGER NOT NULL, updated_at {_TIME} NOT NULL)",
        ),
    ),
    Migration(
        19,
        STEPS[19],
        _tables(
            "CREATE TABLE sla_policies (version INTEGER PRIMARY KEY,"
            " effective_us BIGINT NOT NULL, adopted_us BIGINT NOT NULL, note TEXT NOT NULL,"
            f" document {_DATA} NOT NULL)",
            *index_statements(19, "sla_policies"),
        ),
    ),
)
#: The schema version this library writes.
SCHEMA_VERSION: Final = MIGRATIONS[-1].version
