"""Schema step 14 (ticket types, satisfaction by dimension) upgrades a schema-13 database.

A store is created at schema 13 and its rows are written as schema 13 wrote
them (the ``tickets`` columns up to ``substatus``, the facts columns of
schemas 7 and 12, the visits without scores by dimension), for tickets of
before types: a consultation, two product-quality problems. Opened by this
library, the database is upgraded: the tickets read back, the facts read
back as the projection of today's code gives them (the consultation no
complaint, the others complaints: the rule of a ticket without a type), the
integrity check finds nothing, the month reads the same from the facts as by
replaying, and a ticket typed after the upgrade is found by its type. On
SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pendulum
import pytest

from aftersales import Customer, FixedClock, ServiceDesk, TicketQuery, WorkCalendar
from aftersales.kpi import Rate
from aftersales.readmodel.projection import Projector
from aftersales.reports import monthly
from aftersales.storage import MemoryStore, SQLiteStore
from aftersales.storage._sql.facts_schema import (
    CYCLE_COLUMNS,
    FACTS_COLUMNS,
    FACTS_COLUMNS_12,
    VISIT_COLUMNS,
    row_values,
    visit_values,
)
from aftersales.storage._sql.schema import TICKET_COLUMNS, insert_sql
from aftersales.trusted_text import event_text

TZ = "Asia/Shanghai"
CAL = WorkCalendar.always(TZ)
_PROJECTOR = Projector(None, CAL)
#: The columns schema 13 had: tickets up to the sub-status, facts of schemas 7 and 12.
_TICKETS_13 = TICKET_COLUMNS[: TICKET_COLUMNS.index("substatus") + 1]
_FACTS_13 = tuple(name for name, _, _ in FACTS_COLUMNS + FACTS_COLUMNS_12)
_VISITS_13 = tuple(name for name, _, _ in VISIT_COLUMNS)


def _at(day: int, hour: int = 9) -> pendulum.DateTime:
    return pendulum.datetime(2026, 10, day, hour, tz=TZ)


def _tickets() -> ServiceDesk:
    """Three untyped October tickets of one customer: a consultation, two product problems."""
    desk = ServiceDesk(clock=FixedClock(_at(31, 23)))
    customer = Customer(id="C1", name="甲公司")
    for tid, day, category in (("Q1", 3, "consultation"), ("P1", 5, "product_quality"),
                               ("P2", 8, "product_quality")):  # fmt: skip
        desk.open_ticket(
            ticket_id=tid, customer=customer, channel="phone", category=category,
            description="问题", occurred_at=_at(day, 8), by="李工", priority="general",
            at=_at(day),
        )  # fmt: skip
    for tid, day in (("Q1", 3), ("P1", 5)):
        desk.resolve_on_first_contact(tid, by="李工", answer="已处理", at=_at(day, 10))
        desk.record_visit(tid, by="回访", resolved=True, score=4, at=_at(day, 11))
    return desk


def _write_as_schema_13(store: Any, desk: ServiceDesk) -> None:
    """The rows of ``desk``'s tickets and their facts, as a schema-13 store wrote them."""
    time: Callable[[int | None], Any] = (lambda us: us) if store._times_as_us() else store._time
    with store._writing() as cur:
        position = 0
        for ticket in desk.find():
            projection = _PROJECTOR.project(ticket)
            (facts,) = projection.facts  # one month: no earlier version kept
            row = store._ticket_row(ticket, projection.due_at, projection)[: len(_TICKETS_13)]
            cur.execute(store._sql(insert_sql("tickets", _TICKETS_13)), row)
            for event in ticket.history:
                position += 1
                cur.execute(
                    store._sql(
                        insert_sql("ticket_events", ("ticket_id", "seq", "data", "position"))
                    ),
                    (ticket.id, event.seq, event_text(event), position),
                )
            key_id = store._key_id(cur, projection.key, create=True)
            values = row_values(facts, key_id, time, store._day)[: len(_FACTS_13)]
            cur.execute(store._sql(insert_sql("ticket_facts", _FACTS_13)), values)
            for index, c in enumerate(facts.cycles):
                cur.execute(
                    store._sql(insert_sql("ticket_sla_cycles", [n for n, _, _ in CYCLE_COLUMNS])),
                    (ticket.id, index, c.metric, c.cycle, c.rule_only, c.counts, c.state,
                     time(c.started_us), time(c.stopped_us), time(c.due_us), time(c.breach_us)),
                )  # fmt: skip
            for visit in facts.visits:
                visit_row = visit_values(ticket.id, visit, time)[: len(_VISITS_13)]
                cur.execute(store._sql(insert_sql("ticket_visits", _VISITS_13)), visit_row)
        cur.execute(store._sql("UPDATE event_feed_head SET position = ?"), (position,))


def _check_upgraded(store: Any, desk: ServiceDesk) -> None:
    assert store.schema_version() >= 14
    for ticket in desk.find():
        assert store.get(ticket.id) == ticket
    stored = {f.ticket_id: f for f in store.find_facts()}
    assert stored == {t.id: _PROJECTOR.project(t).facts[-1] for t in desk.find()}
    assert {tid: f.complaint for tid, f in stored.items()} == {
        "Q1": False,
        "P1": True,
        "P2": True,
    }
    assert all(f.ticket_type is None and f.dimension_scores == () for f in stored.values())
    assert store.check_integrity() == []
    from_facts = monthly(store, "2026-10", calendar=CAL)
    assert from_facts.figures.closure == Rate(1, 2)  # P1 closed, P2 open; Q1 no complaint
    assert from_facts.figures.repeat == Rate(1, 2)  # P2, 3 days after P1
    replayed = MemoryStore()
    replayed.save_many(list(desk.find()))
    assert from_facts.to_dict() == monthly(replayed, "2026-10", calendar=CAL).to_dict()
    later = ServiceDesk(store, clock=FixedClock(_at(31, 23)))
    later.open_ticket(
        ticket_id="N1", customer=Customer(id="C2", name="乙公司"), channel="phone",
        category="product_quality", description="新工单", occurred_at=_at(20, 8), by="李工",
        priority="general", at=_at(20), ticket_type="报修",
    )  # fmt: skip
    assert store.find_ids(TicketQuery(ticket_type="repair")) == ["N1"]
    assert store.find_ids(TicketQuery(ticket_type="complaint")) == []
    assert store.check_integrity() == []


def test_sqlite_upgrade_to_14_keeps_the_tickets_and_flags_the_complaints(tmp_path: Path) -> None:
    path = tmp_path / "schema13.db"
    desk = _tickets()
    with SQLiteStore(path, _target_version=13) as old:
        assert old.schema_version() == 13
        _write_as_schema_13(old, desk)
    with SQLiteStore(path) as store:
        _check_upgraded(store, desk)


def test_postgres_upgrade_to_14_keeps_the_tickets_and_flags_the_complaints(
    fresh_postgres: str,
) -> None:
    from aftersales.storage import PostgresStore

    desk = _tickets()
    with PostgresStore(fresh_postgres, _target_version=13) as old:
        assert old.schema_version() == 13
        _write_as_schema_13(old, desk)
    with PostgresStore(fresh_postgres) as store:
        _check_upgraded(store, desk)


@pytest.mark.parametrize("dialect", ["sqlite", "postgres"])
def test_step_14_adds_its_columns_and_index_in_both_dialects(dialect: str) -> None:
    from aftersales.storage.postgres import migrations as postgres_migrations
    from aftersales.storage.sqlite import migrations as sqlite_migrations

    module = {"sqlite": sqlite_migrations, "postgres": postgres_migrations}[dialect]
    (step,) = [m for m in module.MIGRATIONS if m.version == 14]
    text = "\n".join(step.statements)
    for table in ("ticket_facts", "ticket_facts_past"):
        for column in ("ticket_type", "complaint", "dimension_scores"):
            assert f"ALTER TABLE {table} ADD COLUMN {column} " in text
        assert f"UPDATE {table} SET complaint = " in text
    assert "ALTER TABLE tickets ADD COLUMN ticket_type TEXT" in text
    assert "ALTER TABLE ticket_visits ADD COLUMN dimensions TEXT" in text
    assert "CREATE INDEX tickets_ticket_type ON tickets (ticket_type)" in text
