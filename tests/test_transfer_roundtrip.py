"""Export → import gives the same tickets, on the memory, SQLite and PostgreSQL stores.

"The same tickets" means: for every exported ticket, the imported ticket has
the same id and the same template columns — 客户编号, 客户名称, 联系人 and
联系方式 (revealed, so in full), 购买产品/服务 (model, purchase date, serial and
order numbers), 问题发生时间, 问题描述, 客户期望, 优先级, 初步对接人, every
analysis finding with its root cause, the latest solution (summary, each
step's action, executor and deadline) or the first-contact answer, every
answer of the customer (agreed or disputed, words), every key node (time,
operator, result, on site), the latest return visit (time, resolved, score,
comment), the improvement suggestions, 关闭状态, 更新时间, channel and problem
type — to the second. The export holds only these, so nothing else (the
instants of steps without a time of their own, SLA events, notes) is
compared. The tickets are generated through the service desk at instants the
test draws (not the import's rule), along every path the template can hold.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales import FixedClock, ServiceDesk, SolutionStep, Ticket
from aftersales.model.customer import Contact, Customer
from aftersales.model.product import Product, Purchase
from aftersales.storage import MemoryStore, SQLiteStore
from aftersales.testing.strategies import aware_datetimes, ids, texts
from aftersales.transfer import (
    RevealRequest,
    export_records,
    import_records,
    template_cells,
)
from aftersales.views import AllowedViewers
from aftersales.vocab import Channel, Demand, Priority, ProblemCategory, RootCauseCategory

CLOCK = FixedClock(pendulum.datetime(2030, 1, 1, tz="Asia/Shanghai"))
REVEAL = RevealRequest("迁移专员", "迁移到新系统", AllowedViewers({"迁移专员"}))
PATHS = (
    "registered",
    "analysing",
    "proposed",
    "disputed",
    "executing",
    "replanned",
    "first_contact",
    "closed",
    "visit_unresolved",
)
_COUNTER = itertools.count()


def words(size: int = 20) -> st.SearchStrategy[str]:
    """One-line texts without surrounding white space (a cell's value is trimmed)."""
    return texts(size).map(str.strip).filter(bool)


@st.composite
def ticket_specs(draw: st.DrawFn) -> dict[str, Any]:
    """What a template-level ticket holds, and when each of its steps happened."""
    contact = draw(
        st.none()
        | st.builds(
            Contact,
            name=words(8),
            phone=st.none() | st.integers(13000000000, 19999999999).map(str),
            email=st.none() | st.from_regex(r"\A[a-z][a-z0-9.]{0,8}@[a-z]{2,6}\.(com|cn)\Z"),
        )
    )
    purchase = draw(
        st.none()
        | st.builds(
            Purchase,
            product=st.builds(Product, model=words(12)),
            purchased_on=st.dates(pendulum.date(2015, 1, 1), pendulum.date(2024, 12, 31)),
            serial_number=st.none() | ids("SN"),
            order_number=st.none() | ids("SO"),
        )
    )
    gaps = draw(st.lists(st.integers(0, 3 * 86400), min_size=20, max_size=20))
    return {
        "customer": Customer(id=draw(ids("C")), name=draw(words())),
        "contact": contact,
        "purchase": purchase,
        "occurred": draw(
            aware_datetimes(
                pendulum.datetime(2020, 1, 1), pendulum.datetime(2025, 1, 1), ("Asia/Shanghai",)
            )
        ),
        "lag": draw(st.integers(0, 86400)),
        "description": draw(words(40)),
        "demands": draw(st.lists(st.sampled_from(Demand.members()), unique=True, max_size=3)),
        "priority": draw(st.sampled_from(list(Priority))),
        "handler": draw(words(8)),
        "channel": draw(st.sampled_from(Channel.members())),
        "category": draw(st.sampled_from(ProblemCategory.members())),
        "findings": draw(
            st.lists(
                st.tuples(words(), st.none() | st.sampled_from(RootCauseCategory.members())),
                max_size=2,
            )
        ),
        "summary": draw(words()),
        "steps": draw(
            st.lists(
                st.tuples(words(), words(8), st.integers(0, 9 * 86400)), min_size=1, max_size=3
            )
        ),
        "path": draw(st.sampled_from(PATHS)),
        "words": draw(st.lists(words(), min_size=2, max_size=2)),
        "nodes": draw(st.lists(st.tuples(words(8), words(), st.booleans()), max_size=3)),
        "visit": draw(st.tuples(st.integers(1, 5), st.just("") | words())),
        "improvement": draw(st.none() | words()),
        "ending": draw(st.sampled_from(("none", "escalate", "cancel"))),
        "gaps": gaps,
    }


def build(desk: ServiceDesk, spec: dict[str, Any]) -> Ticket:
    """Play the spec through the desk, each step ``gaps[i]`` seconds after the one before."""
    gaps = iter(spec["gaps"])
    at = spec["occurred"].add(seconds=spec["lag"])

    def later() -> pendulum.DateTime:
        nonlocal at
        at = at.add(seconds=next(gaps))
        return at

    by = spec["handler"]
    ticket_id = f"T{next(_COUNTER):06d}{uuid.uuid4().hex[:6]}"
    contact = (
        None if spec["ending"] == "cancel" else spec["contact"]
    )  # a cancelled one stays masked
    desk.open_ticket(
        customer=spec["customer"],
        channel=spec["channel"],
        category=spec["category"],
        description=spec["description"],
        occurred_at=spec["occurred"],
        by=by,
        priority=spec["priority"],
        contact=contact,
        purchase=spec["purchase"],
        demands=spec["demands"],
        ticket_id=ticket_id,
        at=at,
    )
    path = spec["path"]
    steps = [SolutionStep(a, e, spec["occurred"].add(seconds=s)) for a, e, s in spec["steps"]]

    def run(command: str, **payload: Any) -> None:
        desk.execute(command, ticket_id, payload, by=payload.pop("by", by), at=later())

    if path != "registered" and path != "first_contact":
        run("acknowledge")
        for finding, cause in spec["findings"]:
            run("record_analysis", finding=finding, root_cause=cause)
    if path == "first_contact":
        run("resolve_on_first_contact", answer=spec["summary"])
    if path in ("proposed", "disputed", "executing", "replanned", "closed", "visit_unresolved"):
        run("propose_solution", summary=spec["summary"], steps=steps)
    if path == "disputed":
        run("record_dispute", words=spec["words"][0])
    if path in ("executing", "replanned", "closed", "visit_unresolved"):
        run("record_agreement", words=spec["words"][0])
        for operator, result, onsite in spec["nodes"]:
            run("record_progress", result=result, onsite=onsite, by=operator)
    if path == "replanned":
        run("report_new_problem", description="又出现异响")
        run("propose_solution", summary=spec["summary"], steps=steps)
        run("record_agreement", words=spec["words"][1])
    visit_score, comment = spec["visit"]
    if path in ("closed", "visit_unresolved"):
        run("finish_execution", summary="完成")
    if path in ("closed", "first_contact"):
        run("record_visit", resolved=True, score=max(visit_score, 3), comment=comment)
    if path == "visit_unresolved":
        run("record_visit", resolved=False, score=visit_score, comment=comment)
    if spec["improvement"]:
        run("suggest_improvement", text=spec["improvement"])
    closed = path in ("closed", "first_contact")
    if spec["ending"] == "escalate" and not closed:
        run("escalate", reason="客户投诉升级")
    elif spec["ending"] == "cancel" and not closed:
        run("cancel", reason="客户撤销")
    return desk.get(ticket_id)


def round_trip(source: ServiceDesk, target: ServiceDesk, tickets: list[Ticket], file: Path) -> None:
    export_records(source, file, reveal=REVEAL)
    result = import_records(target, file)
    assert sorted(result.created) == sorted(t.id for t in tickets)
    for ticket in tickets:
        imported = target.get(ticket.id)
        assert template_cells(imported) == template_cells(ticket)
        # and, read from the tickets themselves, a few of those columns
        assert imported.contact == ticket.contact
        assert imported.updated_at == ticket.updated_at
        assert imported.close_status is ticket.close_status
        assert [(n.at, n.by, n.result, n.onsite) for n in imported.execution_log] == [
            (n.at, n.by, n.result, n.onsite) for n in ticket.execution_log
        ]
        assert [(v.score, v.resolved, v.comment) for v in imported.visits[-1:]] == [
            (v.score, v.resolved, v.comment) for v in ticket.visits[-1:]
        ]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ticket_specs(), min_size=1, max_size=4), st.sampled_from(("csv", "xlsx")))
def test_export_then_import_gives_the_same_tickets(
    tmp_path: Path, specs: list[dict[str, Any]], kind: str
) -> None:
    source = ServiceDesk(MemoryStore(), clock=CLOCK)
    tickets = [build(source, spec) for spec in specs]
    target = ServiceDesk(MemoryStore(), clock=CLOCK)
    round_trip(source, target, tickets, tmp_path / f"{uuid.uuid4().hex}.{kind}")


@pytest.fixture
def postgres_database(postgres_dsn: str) -> Iterator[str]:
    """A fresh database on the test cluster, dropped after the test."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    name = f"transfer_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    params = conninfo_to_dict(postgres_dsn)
    params["dbname"] = name
    try:
        yield make_conninfo(**params)  # type: ignore[arg-type]
    finally:
        with psycopg.connect(postgres_dsn, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _specs(count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` specs drawn by hypothesis with a fixed seed (one per path at least)."""
    found: list[dict[str, Any]] = []

    @settings(max_examples=count, database=None, derandomize=True)
    @given(ticket_specs())
    def collect(spec: dict[str, Any]) -> None:
        found.append(spec)

    collect()
    for index, path in enumerate(PATHS):
        found[index % len(found)] = {**found[index % len(found)], "path": path}
    return found


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_round_trip_on_sqlite(tmp_path: Path, kind: str) -> None:
    source = ServiceDesk(SQLiteStore(tmp_path / "old.db"), clock=CLOCK)
    tickets = [build(source, spec) for spec in _specs(30, 1)]
    target = ServiceDesk(SQLiteStore(tmp_path / "new.db"), clock=CLOCK)
    round_trip(source, target, tickets, tmp_path / f"all.{kind}")
    assert len(target.store) == len(tickets)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_round_trip_on_postgres(tmp_path: Path, postgres_database: str, kind: str) -> None:
    from aftersales.storage.postgres import PostgresStore

    source = ServiceDesk(MemoryStore(), clock=CLOCK)
    tickets = [build(source, spec) for spec in _specs(20, 2)]
    with PostgresStore(postgres_database, max_size=2) as store:
        target = ServiceDesk(store, clock=CLOCK)
        round_trip(source, target, tickets, tmp_path / f"in.{kind}")
        again = import_records(target, tmp_path / f"in.{kind}")
        assert again.created == ()
        assert sorted(again.unchanged) == sorted(t.id for t in tickets)
        export_records(target, tmp_path / f"out.{kind}", reveal=REVEAL)  # reveals recorded in PG
        assert all(
            store.get(t.id).history[-1].type == "contact_revealed"
            for t in tickets
            if t.contact and t.is_open
        )
    back = ServiceDesk(MemoryStore(), clock=CLOCK)
    import_records(back, tmp_path / f"out.{kind}")
    for ticket in tickets:
        assert template_cells(back.get(ticket.id)) == template_cells(ticket)
