"""The SQLite schema, one :class:`~aftersales.storage.Migration` per version.

A later step is appended, never edited. The tables are SQLite's own
(times are ``INTEGER`` microseconds since 1970 UTC, booleans ``0``/``1``);
the descriptions and the indexes are the ones every dialect shares
(:data:`~aftersales.storage._sql.schema.STEPS`,
:data:`~aftersales.storage._sql.schema.INDEXES`).

Example:
    >>> [m.version for m in MIGRATIONS], SCHEMA_VERSION
    ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19], 19)
    >>> MIGRATIONS[2].statements[-1]
    'CREATE INDEX tickets_open_due ON tickets (due_at, id) WHERE is_open = 1 AND due_at IS NOT NULL'
"""

from __future__ import annotations

from typing import Final

from aftersales.storage._sql.facts_schema import (
    facts_statements,
    substatus_statements,
    type_statements,
)
from aftersales.storage._sql.schema import KEY_ACCOUNT_INDEX, STEPS, Booleans, Migration

__all__ = ["BOOLEANS", "MIGRATIONS", "SCHEMA_VERSION"]

#: How SQLite spells a boolean in SQL (the partial indexes and the queries alike).
BOOLEANS: Final = Booleans(true="1", false="0")

#: The schema, one step per version. A later step is appended, never edited.
MIGRATIONS: Final = (
    Migration(
        1,
        STEPS[1],
        (
            "CREATE TABLE tickets ("
            " id TEXT PRIMARY KEY, version INTEGER NOT NULL, status TEXT NOT NULL,"
            " priority TEXT NOT NULL, customer_id TEXT NOT NULL, assignee TEXT,"
            " channel TEXT NOT NULL, category TEXT NOT NULL, is_open INTEGER NOT NULL,"
            " received_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)",
            "CREATE TABLE ticket_events ("
            " ticket_id TEXT NOT NULL REFERENCES tickets (id), seq INTEGER NOT NULL,"
            " data TEXT NOT NULL, PRIMARY KEY (ticket_id, seq)) WITHOUT ROWID",
            *BOOLEANS.indexes(1, "tickets"),
        ),
    ),
    Migration(
        2,
        STEPS[2],
        (
            "CREATE TABLE customers ( id TEXT PRIMARY KEY, name TEXT NOT NULL, data TEXT NOT NULL)",
            "ALTER TABLE tickets ADD COLUMN product_model TEXT",
            "ALTER TABLE tickets ADD COLUMN due_at INTEGER",
            "UPDATE tickets SET product_model = (SELECT json_extract(e.data,"
            " '$.purchase.product.model') FROM ticket_events AS e"
            " WHERE e.ticket_id = tickets.id AND e.seq = 1)",
            *BOOLEANS.indexes(2, "tickets"),
        ),
    ),
    Migration(3, STEPS[3], ("DROP INDEX tickets_open_due", *BOOLEANS.indexes(3, "tickets"))),
    Migration(
        4,
        STEPS[4],
        (
            "CREATE TABLE root_causes (id TEXT PRIMARY KEY, department TEXT NOT NULL,"
            " category TEXT NOT NULL, data TEXT NOT NULL)",
            *BOOLEANS.indexes(4, "root_causes"),
            "CREATE TABLE root_cause_tickets ("
            " root_cause_id TEXT NOT NULL REFERENCES root_causes (id), ticket_id TEXT NOT NULL,"
            " PRIMARY KEY (root_cause_id, ticket_id)) WITHOUT ROWID",
            *BOOLEANS.indexes(4, "root_cause_tickets"),
            "CREATE TABLE improvement_actions (id TEXT PRIMARY KEY, version INTEGER NOT NULL,"
            " status TEXT NOT NULL, cause_id TEXT NOT NULL, owner TEXT NOT NULL,"
            " due_at INTEGER NOT NULL, data TEXT NOT NULL)",
            *BOOLEANS.indexes(4, "improvement_actions"),
            "CREATE TABLE knowledge_articles (id TEXT PRIMARY KEY, version INTEGER NOT NULL,"
            " status TEXT NOT NULL, product TEXT, category TEXT NOT NULL, data TEXT NOT NULL)",
            *BOOLEANS.indexes(4, "knowledge_articles"),
            "CREATE TABLE knowledge_article_versions ("
            " id TEXT NOT NULL REFERENCES knowledge_articles (id), version INTEGER NOT NULL,"
            " data TEXT NOT NULL, PRIMARY KEY (id, version)) WITHOUT ROWID",
            "CREATE TABLE knowledge_uses (seq INTEGER PRIMARY KEY,"
            " article_id TEXT NOT NULL REFERENCES knowledge_articles (id),"
            " ticket_id TEXT NOT NULL, at INTEGER NOT NULL, data TEXT NOT NULL)",
            *BOOLEANS.indexes(4, "knowledge_uses"),
            "CREATE TABLE followups (id TEXT PRIMARY KEY, version INTEGER NOT NULL,"
            " customer_id TEXT NOT NULL, due_at INTEGER NOT NULL, done INTEGER NOT NULL,"
            " data TEXT NOT NULL)",
            *BOOLEANS.indexes(4, "followups"),
        ),
    ),
    Migration(
        5,
        STEPS[5],
        (
            "CREATE TABLE vocabulary_terms (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
            " code TEXT NOT NULL, label_en TEXT NOT NULL, label_zh TEXT NOT NULL,"
            " UNIQUE (kind, code))",
            "CREATE TABLE vocabulary_aliases (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
            " alias TEXT NOT NULL, code TEXT NOT NULL, UNIQUE (kind, alias),"
            " FOREIGN KEY (kind, code) REFERENCES vocabulary_terms (kind, code))",
        ),
    ),
    Migration(6, STEPS[6], ("ALTER TABLE tickets ADD COLUMN snapshot TEXT",)),
    Migration(
        7,
        STEPS[7],
        facts_statements(
            {
                "text": "TEXT",
                "integer": "INTEGER",
                "bigint": "INTEGER",
                "boolean": "INTEGER",
                "time": "INTEGER",
                "date": "TEXT",
                "key": "INTEGER PRIMARY KEY",
            },
            "TEXT",
            lambda table: BOOLEANS.indexes(7, table),
            " WITHOUT ROWID",
        ),
    ),
    Migration(
        8,
        STEPS[8],
        (
            "ALTER TABLE tickets ADD COLUMN next_alert_at INTEGER",
            "ALTER TABLE tickets ADD COLUMN first_alert_at INTEGER",
            *BOOLEANS.indexes(8, "tickets"),
        ),
    ),
    Migration(
        9,
        STEPS[9],
        (
            "CREATE TABLE calendar_schedules (country TEXT NOT NULL, year INTEGER NOT NULL,"
            " data TEXT NOT NULL, loaded_at INTEGER NOT NULL, PRIMARY KEY (country, year))"
            " WITHOUT ROWID",
        ),
    ),
    Migration(
        10,
        STEPS[10],
        (
            f"CREATE INDEX customers_key_account ON customers ({KEY_ACCOUNT_INDEX['sqlite']})",
            *BOOLEANS.indexes(10, "ticket_facts"),
        ),
    ),
    Migration(
        11,
        STEPS[11],
        (
            "ALTER TABLE ticket_events ADD COLUMN position INTEGER",
            # existing events by event time (UTC ISO 8601 text sorts by time), ticket, seq
            "UPDATE ticket_events SET position = r.n FROM (SELECT ticket_id, seq, row_number()"
            " OVER (ORDER BY CASE WHEN json_valid(data) THEN json_extract(data, '$.at') END,"
            " ticket_id, seq) AS n FROM ticket_events) AS r"
            " WHERE r.ticket_id = ticket_events.ticket_id AND r.seq = ticket_events.seq",
            "CREATE UNIQUE INDEX ticket_events_position ON ticket_events (position)",
            "CREATE TABLE event_feed_head (id INTEGER PRIMARY KEY CHECK (id = 1),"
            " position INTEGER NOT NULL)",
            "INSERT INTO event_feed_head (id, position) SELECT 1, count(*) FROM ticket_events",
            "CREATE TABLE subscriptions (name TEXT PRIMARY KEY, position INTEGER NOT NULL,"
            " owner TEXT, lease_until INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE TABLE subscription_dead_letters (name TEXT NOT NULL,"
            " position INTEGER NOT NULL, error TEXT NOT NULL, attempts INTEGER NOT NULL,"
            " parked_at INTEGER NOT NULL, PRIMARY KEY (name, position)) WITHOUT ROWID",
        ),
    ),
    Migration(
        12,
        STEPS[12],
        (
            "ALTER TABLE tickets ADD COLUMN substatus TEXT",
            "UPDATE tickets SET substatus = CASE WHEN json_valid(snapshot)"
            " THEN json_extract(snapshot, '$.substatus') END",
            *BOOLEANS.indexes(12, "tickets"),
            *substatus_statements(
                {"text": "TEXT", "integer": "INTEGER", "bigint": "INTEGER", "time": "INTEGER"},
                " WITHOUT ROWID",
            ),
        ),
    ),
    Migration(
        13,
        STEPS[13],
        (
            "CREATE TABLE reply_templates (code TEXT NOT NULL, version INTEGER NOT NULL,"
            " category TEXT, channel TEXT, language TEXT NOT NULL, retired INTEGER NOT NULL,"
            " updated_at INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (code, version))"
            " WITHOUT ROWID",
        ),
    ),
    Migration(
        14,
        STEPS[14],
        (
            "ALTER TABLE tickets ADD COLUMN ticket_type TEXT",
            *BOOLEANS.indexes(14, "tickets"),
            *type_statements({"text": "TEXT", "boolean": "INTEGER"}, BOOLEANS.true, BOOLEANS.false),
        ),
    ),
    Migration(
        15,
        STEPS[15],
        (
            "CREATE TABLE ticket_tags (ticket_id TEXT NOT NULL REFERENCES tickets (id),"
            " tag TEXT NOT NULL,"
            " PRIMARY KEY (ticket_id, tag)) WITHOUT ROWID",
            *BOOLEANS.indexes(15, "ticket_tags"),
            # the tags of the snapshots; one that is not valid JSON is skipped (and reported
            # by check_integrity), so that it cannot stop the upgrade
            "INSERT INTO ticket_tags (ticket_id, tag) SELECT tickets.id, tag.value FROM tickets,"
            " json_each(CASE WHEN json_valid(tickets.snapshot) THEN tickets.snapshot ELSE '{}'"
            " END, '$.tags') AS tag WHERE tag.type = 'text'",
        ),
    ),
    Migration(
        16,
        STEPS[16],
        (
            "CREATE TABLE attribute_definitions (name TEXT PRIMARY KEY,"
            " position INTEGER NOT NULL, data TEXT NOT NULL) WITHOUT ROWID",
            "CREATE TABLE ticket_attributes (ticket_id TEXT NOT NULL REFERENCES tickets (id),"
            " name TEXT NOT NULL, value_text TEXT NOT NULL,"
            " PRIMARY KEY (ticket_id, name, value_text)) WITHOUT ROWID",
            *BOOLEANS.indexes(16, "ticket_attributes"),
        ),
    ),
    Migration(
        17,
        STEPS[17],
        (
            "CREATE TABLE calendars (name TEXT PRIMARY KEY, data TEXT NOT NULL,"
            " updated_at INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE TABLE teams (name TEXT PRIMARY KEY, calendar TEXT NOT NULL,"
            " data TEXT NOT NULL, updated_at INTEGER NOT NULL) WITHOUT ROWID",
        ),
    ),
    Migration(
        18,
        STEPS[18],
        (
            "CREATE TABLE surveys (id TEXT PRIMARY KEY, at INTEGER NOT NULL, ticket_id TEXT,"
            " customer_id TEXT, data TEXT NOT NULL) WITHOUT ROWID",
            *BOOLEANS.indexes(18, "surveys"),
            "CREATE TABLE installed_base (product_model TEXT PRIMARY KEY,"
            " units INTEGER NOT NULL, updated_at INTEGER NOT NULL) WITHOUT ROWID",
        ),
    ),
    Migration(
        19,
        STEPS[19],
        (
            "CREATE TABLE sla_policies (version INTEGER PRIMARY KEY,"
            " effective_us INTEGER NOT NULL, adopted_us INTEGER NOT NULL, note TEXT NOT NULL,"
            " document TEXT NOT NULL)",
            *BOOLEANS.indexes(19, "sla_policies"),
        ),
    ),
)
#: The schema version this library writes.
SCHEMA_VERSION: Final = MIGRATIONS[-1].version
