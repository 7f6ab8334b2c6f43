"""The SLA sweep on PostgreSQL: units split the due tickets, four connections record each crossing once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from aftersales import FixedClock, ServiceDesk
from aftersales.sla import SlaNotice
from tests.storage.test_postgres import _reset
from tests.test_sla_sweep import POLICY, at, due_tickets, recorded, stored

pytest.importorskip("psycopg", reason="PostgreSQL tests need the 'postgres' extra")

from aftersales.storage.postgres import PostgresStore


@pytest.fixture
def dsn(postgres_dsn: str) -> str:
    _reset(postgres_dsn)
    return postgres_dsn


@pytest.fixture
def store(dsn: str) -> Iterator[PostgresStore]:
    with PostgresStore(dsn, max_size=2) as store:
        yield store


def test_a_unit_holds_the_tickets_it_read_and_another_unit_skips_them(
    store: PostgresStore, dsn: str
) -> None:
    stored(store, due_tickets(12), POLICY)
    sweep_at = at(2, 15)
    everything = [t.id for _, t in store.find_alerts_due(sweep_at)]
    assert len(everything) == 12
    with PostgresStore(dsn, max_size=1) as other, store.unit_of_work() as mine:
        held = [t.id for _, t in mine.find_alerts_due(sweep_at, limit=5)]
        with other.unit_of_work() as theirs:
            skipped = [t.id for _, t in theirs.find_alerts_due(sweep_at)]
        assert held == everything[:5]
        assert skipped == everything[5:]  # the rows this unit holds are skipped, not waited for
    assert [t.id for _, t in store.find_alerts_due(sweep_at)] == everything  # reads never wait


def test_a_sweep_records_what_check_sla_records(store: PostgresStore) -> None:
    from aftersales.storage import MemoryStore

    tickets = due_tickets(40)
    stored(store, tickets, POLICY)
    reference = stored(MemoryStore(), tickets, POLICY)
    desk = ServiceDesk(store, clock=FixedClock(at(2, 15)), sla=POLICY)
    checking = ServiceDesk(reference, clock=FixedClock(at(2, 15)), sla=POLICY)
    swept = desk.sweep_sla(batch=6)
    checked = [n for t in tickets for n in checking.check_sla(t.id)]
    assert sorted(swept, key=repr) == sorted(checked, key=repr)
    assert recorded(store) == recorded(reference)
    assert desk.sweep_sla() == []


def test_four_connections_sweeping_record_each_crossing_once(
    store: PostgresStore, dsn: str
) -> None:
    tickets = due_tickets(300)
    sweep_at = at(2, 15)
    stored(store, tickets, POLICY)
    crossings = {
        (t.id, n.metric, n.cycle, n.level)
        for t in tickets
        for n in POLICY.evaluate(t, sweep_at).notifications
    }
    start = threading.Barrier(4)
    returned: list[list[SlaNotice]] = [[] for _ in range(4)]
    failures: list[BaseException] = []

    def sweeper(index: int) -> None:
        try:
            with PostgresStore(dsn, max_size=1) as own:
                desk = ServiceDesk(own, clock=FixedClock(sweep_at), sla=POLICY)
                start.wait()
                returned[index] = desk.sweep_sla(batch=7)
        except BaseException as error:  # reported below, with the others
            failures.append(error)

    threads = [threading.Thread(target=sweeper, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures
    everything = [(n.ticket_id, n.metric, n.cycle, n.level) for found in returned for n in found]
    assert len(everything) == len(set(everything))
    assert set(everything) == crossings
    counts = recorded(store)
    assert set(counts) == crossings
    assert set(counts.values()) == {1}
    print("notices per connection:", [len(found) for found in returned])


def test_the_sweep_benchmark_on_postgres(postgres_dsn: str, tmp_path: Any) -> None:
    """``benchmarks/sla_sweep.py --dsn`` at a tiny size: both sides agree, scratch databases go."""
    import subprocess
    import sys
    from pathlib import Path

    import psycopg

    script = Path(__file__).parent.parent.parent / "benchmarks" / "sla_sweep.py"
    done = subprocess.run(
        [sys.executable, str(script), "--tickets", "300", "--dsn", postgres_dsn],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert "PostgreSQL:" in done.stdout
    assert done.stdout.count("nothing due: 0 of 300 open tickets due") == 2
    assert "agreement: notices returned and SLA events stored" in done.stdout
    assert ", 0 of 1,200 tickets differ" in done.stdout
    with psycopg.connect(postgres_dsn) as conn:
        names = [row[0] for row in conn.execute("SELECT datname FROM pg_database").fetchall()]
    assert not [name for name in names if name.startswith("aftersales_bench_")]
