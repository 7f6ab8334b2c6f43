"""The PostgreSQL schema, one :class:`~aftersales.storage.Migration` per version.

A later step is appended, never edited. The tables are PostgreSQL's own
(times ``TIMESTAMPTZ``, booleans ``BOOLEAN``, record ids collated ``"C"``
so that "by id" is code point order in every locale); the descriptions and
the indexes are the ones every dialect shares
(:data:`~aftersales.storage._sql.schema.STEPS`,
:data:`~aftersales.storage._sql.schema.INDEXES`).

Example:
    >>> SCHEMA_VERSION, BOOLEANS.true
    (19, 'TRUE')
    >>> MIGRATIONS[3].statements[0].split(",")[0]
    'CREATE TABLE root_causes (id TEXT COLLATE "C" PRIMARY KEY'
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

#: How PostgreSQL spells a boolean in SQL (the partial indexes and the queries alike).
BOOLEANS: Final = Booleans(true="TRUE", false="FALSE")

#: The schema, one step per version. A later step is appended, never edited.
MIGRATIONS: Final = (
    Migration(
        1,
        STEPS[1],
        (
            "CREATE TABLE tickets ( id TEXT PRIMARY KEY, version INTEGER NOT NULL,"
            " status TEXT NOT NULL, priority TEXT NOT NULL, customer_id TEXT NOT NULL,"
            " assignee TEXT, channel TEXT NOT NULL, category TEXT NOT NULL,"
            " is_open BOOLEAN NOT NULL,"
            " received_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL)",
            "CREATE TABLE ticket_events ("
            " ticket_id TEXT NOT NULL REFERENCES tickets (id), seq INTEGER NOT NULL,"
            " data TEXT NOT NULL, PRIMARY KEY (ticket_id, seq))",
            *BOOLEANS.indexes(1, "tickets"),
        ),
    ),
    Migration(
        2,
        STEPS[2],
        (
            "CREATE TABLE customers ( id TEXT PRIMARY KEY, name TEXT NOT NULL, data TEXT NOT NULL)",
            "ALTER TABLE tickets ADD COLUMN product_model TEXT",
            "ALTER TABLE tickets ADD COLUMN due_at TIMESTAMPTZ",
            "UPDATE tickets SET product_model = e.data::jsonb #>> '{purchase,product,model}'"
            " FROM ticket_events AS e WHERE e.ticket_id = tickets.id AND e.seq = 1",
            *BOOLEANS.indexes(2, "tickets"),
        ),
    ),
    Migration(3, STEPS[3], ("DROP INDEX tickets_open_due", *BOOLEANS.indexes(3, "tickets"))),
    Migration(
        4,
        STEPS[4],
        (
            'CREATE TABLE root_causes (id TEXT COLLATE "C" PRIMARY KEY, department TEXT NOT NULL,'
            " category TEXT NOT NULL, data TEXT NOT NULL)",
            *BOOLEANS.indexes(4, "root_causes"),
            "CREATE TABLE root_cause_tickets ("
            ' root_cause_id TEXT COLLATE "C" NOT NULL REFERENCES root_causes (id),'
            " ticket_id TEXT NOT NULL, PRIMARY KEY (root_cause_id, ticket_id))",
            *BOOLEANS.indexes(4, "root_cause_tickets"),
            'CREATE TABLE improvement_actions (id TEXT COLLATE "C" PRIMARY KEY,'
            " version INTEGER NOT NULL, status TEXT NOT NULL, cause_id TEXT NOT NULL,"
            " owner TEXT NOT NULL, due_at TIMESTAMPTZ NOT NULL, data TEXT NOT NULL)",
            *BOOLEANS.indexes(4, "improvement_actions"),
            'CREATE TABLE knowledge_articles (id TEXT COLLATE "C" PRIMARY KEY,'
            " version INTEGER NOT NULL, status TEXT NOT NULL, product TEXT,"
            " category TEXT NOT NULL, data TEXT NOT NULL)",
            *BOOLEANS.indexes(4, "knowledge_articles"),
            "CREATE TABLE knowledge_article_versions ("
            ' id TEXT COLLATE "C" NOT NULL REFERENCES knowledge_articles (id),'
            " version INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (id, version))",
            "CREATE TABLE knowledge_uses (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            ' article_id TEXT COLLATE "C" NOT NULL REFERENCES knowledge_articles (id),'
            " ticket_id TEXT NOT NULL, at TIMESTAMPTZ NOT NULL, data TEXT NOT NULL)",
            *BOOLEANS.indexes(4, "knowledge_uses"),
            'CREATE TABLE followups (id TEXT COLLATE "C" PRIMARY KEY, version INTEGER NOT NULL,'
            " customer_id TEXT NOT NULL, due_at TIMESTAMPTZ NOT NULL, done BOOLEAN NOT NULL,"
            " data TEXT NOT NULL)",
            *BOOLEANS.indexes(4, "followups"),
        ),
    ),
    Migration(
        5,
        STEPS[5],
        (
            "CREATE TABLE vocabulary_terms (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            " kind TEXT NOT NULL, code TEXT NOT NULL, label_en TEXT NOT NULL,"
            " label_zh TEXT NOT NULL, UNIQUE (kind, code))",
            "CREATE TABLE vocabulary_aliases (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            " kind TEXT NOT NULL, alias TEXT NOT NULL, code TEXT NOT NULL, UNIQUE (kind, alias),"
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
                "bigint": "BIGINT",
                "boolean": "BOOLEAN",
                "time": "TIMESTAMPTZ",
                "date": "DATE",
                "key": "INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
            },
            "TEXT",
            lambda table: BOOLEANS.indexes(7, table),
        ),
    ),
    Migration(
        8,
        STEPS[8],
        (
            "ALTER TABLE tickets ADD COLUMN next_alert_at TIMESTAMPTZ",
            "ALTER TABLE tickets ADD COLUMN first_alert_at TIMESTAMPTZ",
            *BOOLEANS.indexes(8, "tickets"),
        ),
    ),
    Migration(
        9,
        STEPS[9],
        (
            'CREATE TABLE calendar_schedules (country TEXT COLLATE "C" NOT NULL,'
            " year INTEGER NOT NULL, data TEXT NOT NULL, loaded_at TIMESTAMPTZ NOT NULL,"
            " PRIMARY KEY (country, year))",
        ),
    ),
    Migration(
        10,
        STEPS[10],
        (
            f"CREATE INDEX customers_key_account ON customers ({KEY_ACCOUNT_INDEX['postgres']})",
            *BOOLEANS.indexes(10, "ticket_facts"),
        ),
    ),
    Migration(
        11,
        STEPS[11],
        (
            "ALTER TABLE ticket_events ADD COLUMN position BIGINT",
            # existing events by event time (UTC ISO 8601 text sorts by time), ticket, seq;
            # the time is found in the text, so that an unreadable row cannot stop the upgrade
            "UPDATE ticket_events SET position = r.n FROM (SELECT ticket_id, seq, row_number()"
            ' OVER (ORDER BY substring(data from \'"at": "([^"]*)"\'), ticket_id, seq) AS n'
            " FROM ticket_events) AS r"
            " WHERE r.ticket_id = ticket_events.ticket_id AND r.seq = ticket_events.seq",
            "ALTER TABLE ticket_events ALTER COLUMN position SET NOT NULL",
            "CREATE UNIQUE INDEX ticket_events_position ON ticket_events (position)",
            "CREATE TABLE event_feed_head (id INTEGER PRIMARY KEY CHECK (id = 1),"
            " position BIGINT NOT NULL)",
            "INSERT INTO event_feed_head (id, position) SELECT 1, count(*) FROM ticket_events",
            'CREATE TABLE subscriptions (name TEXT COLLATE "C" PRIMARY KEY,'
            " position BIGINT NOT NULL, owner TEXT, lease_until BIGINT NOT NULL)",
            'CREATE TABLE subscription_dead_letters (name TEXT COLLATE "C" NOT NULL,'
            " position BIGINT NOT NULL, error TEXT NOT NULL, attempts INTEGER NOT NULL,"
            " parked_at BIGINT NOT NULL, PRIMARY KEY (name, position))",
        ),
    ),
    Migration(
        12,
        STEPS[12],
        (
            "ALTER TABLE tickets ADD COLUMN substatus TEXT",
            # found in the text, so that an unreadable snapshot cannot stop the upgrade
            'UPDATE tickets SET substatus = substring(snapshot from \'"substatus": "([^"]*)"\')'
            " WHERE snapshot LIKE '%\"substatus\": %'",
            *BOOLEANS.indexes(12, "tickets"),
            *substatus_statements(
                {"text": "TEXT", "integer": "INTEGER", "bigint": "BIGINT", "time": "TIMESTAMPTZ"}
            ),
        ),
    ),
    Migration(
        13,
        STEPS[13],
        (
            'CREATE TABLE reply_templates (code TEXT COLLATE "C" NOT NULL,'
            " version INTEGER NOT NULL, category TEXT, channel TEXT, language TEXT NOT NULL,"
            " retired BOOLEAN NOT NULL, updated_at TIMESTAMPTZ NOT NULL, data TEXT NOT NULL,"
            " PRIMARY KEY (code, version))",
        ),
    ),
    Migration(
        14,
        STEPS[14],
        (
            "ALTER TABLE tickets ADD COLUMN ticket_type TEXT",
            *BOOLEANS.indexes(14, "tickets"),
            *type_statements({"text": "TEXT", "boolean": "BOOLEAN"}, BOOLEANS.true, BOOLEANS.false),
        ),
    ),
    Migration(
        15,
        STEPS[15],
        (
            "CREATE TABLE ticket_tags (ticket_id TEXT NOT NULL REFERENCES tickets (id),"
            " tag TEXT NOT NULL,"
            " PRIMARY KEY (ticket_id, tag))",
            *BOOLEANS.indexes(15, "ticket_tags"),
            # the tags of the snapshots; one that is not valid JSON is skipped (and reported
            # by check_integrity), so that it cannot stop the upgrade
            "CREATE FUNCTION pg_temp.aftersales_snapshot_tags(snapshot TEXT) RETURNS SETOF TEXT"
            " LANGUAGE plpgsql AS $$ BEGIN RETURN QUERY SELECT jsonb_array_elements_text("
            "snapshot::jsonb -> 'tags'); EXCEPTION WHEN OTHERS THEN RETURN; END $$",
            "INSERT INTO ticket_tags (ticket_id, tag) SELECT id, pg_temp.aftersales_snapshot_tags("
            "snapshot) FROM tickets WHERE snapshot LIKE '%\"tags\": [%'",
            "DROP FUNCTION pg_temp.aftersales_snapshot_tags(TEXT)",
        ),
    ),
    Migration(
        16,
        STEPS[16],
        (
            'CREATE TABLE attribute_definitions (name TEXT COLLATE "C" PRIMARY KEY,'
            " position INTEGER NOT NULL, data TEXT NOT NULL)",
            "CREATE TABLE ticket_attributes (ticket_id TEXT NOT NULL REFERENCES tickets (id),"
            " name TEXT NOT NULL, value_text TEXT NOT NULL,"
            " PRIMARY KEY (ticket_id, name, value_text))",
            *BOOLEANS.indexes(16, "ticket_attributes"),
        ),
    ),
    Migration(
        17,
        STEPS[17],
        (
            'CREATE TABLE calendars (name TEXT COLLATE "C" PRIMARY KEY, data TEXT NOT NULL,'
            " updated_at TIMESTAMPTZ NOT NULL)",
            'CREATE TABLE teams (name TEXT COLLATE "C" PRIMARY KEY, calendar TEXT NOT NULL,'
            " data TEXT NOT NULL, updated_at TIMESTAMPTZ NOT NULL)",
        ),
    ),
    Migration(
        18,
        STEPS[18],
        (
            'CREATE TABLE surveys (id TEXT COLLATE "C" PRIMARY KEY, at TIMESTAMPTZ NOT NULL,'
            " ticket_id TEXT, customer_id TEXT, data TEXT NOT NULL)",
            *BOOLEANS.indexes(18, "surveys"),
            'CREATE TABLE installed_base (product_model TEXT COLLATE "C" PRIMARY KEY,'
            " units INTEGER NOT NULL, updated_at TIMESTAMPTZ NOT NULL)",
        ),
    ),
    Migration(
        19,
        STEPS[19],
        (
            "CREATE TABLE sla_policies (version INTEGER PRIMARY KEY,"
            " effective_us BIGINT NOT NULL, adopted_us BIGINT NOT NULL, note TEXT NOT NULL,"
            " document TEXT NOT NULL)",
            *BOOLEANS.indexes(19, "sla_policies"),
        ),
    ),
)
#: The schema version this library writes.
SCHEMA_VERSION: Final = MIGRATIONS[-1].version
