"""Shared checks of the reliability tests: concurrent desks, killed writers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from aftersales import ConcurrencyError
from aftersales.model.events import Acknowledged, NoteAdded, SubstatusSet
from aftersales.model.ticket import Ticket
from aftersales.storage import TicketQuery
from aftersales.testing.contracts import advance, build_ticket

WRITER = Path(__file__).with_name("_writer.py")
ROOT = Path(__file__).resolve().parents[2]
TICKETS = ["W1", "W2", "W3"]


def row_as_written_by(
    version: int, *, is_open: object, time: Callable[[datetime], object]
) -> tuple[Ticket, str, tuple[object, ...]]:
    """Ticket ``M1``, and the columns and values of its ``tickets`` row as schema ``version`` wrote it.

    Version 1 had no ``product_model`` and no ``due_at``. ``is_open`` and
    ``time`` spell a boolean and a time as the dialect stores them.
    """
    ticket = advance(build_ticket("M1", product_model="A型"), Acknowledged)
    columns = (
        "id, version, status, priority, customer_id, assignee, channel, category, is_open,"
        " received_at, updated_at"
    )
    row = _version_one_row(ticket, is_open=is_open, time=time)
    if version >= 2:
        columns += ", product_model, due_at"
        row += ("A型", time(ticket.updated_at.add(hours=3)))
    return ticket, columns, row


def _version_one_row(
    ticket: Ticket, *, is_open: object, time: Callable[[datetime], object]
) -> tuple[object, ...]:
    """The values of ``ticket``'s ``tickets`` row in the columns schema 1 had."""
    return (
        ticket.id,
        ticket.version,
        ticket.status.value,
        ticket.priority.value,
        ticket.customer_id,
        ticket.assignee,
        ticket.channel.code,
        ticket.category.code,
        is_open,
        time(ticket.received_at),
        time(ticket.updated_at),
    )


def substatus_rows_before_12(
    *, is_open: object, time: Callable[[datetime], object]
) -> tuple[Ticket, str, tuple[object, ...], list[tuple[str, int, str, int]]]:
    """Ticket ``S1`` waiting for the manufacturer, its ``tickets`` row as schema 11 wrote it
    (snapshot with its ``substatus`` key, no ``substatus`` column) and its event rows with
    their feed positions."""
    from aftersales.serialization import to_json
    from aftersales.ticket_snapshot import snapshot_json

    ticket = advance(build_ticket("S1"), Acknowledged)
    ticket = advance(ticket, SubstatusSet, substatus="waiting_manufacturer", reason="寄回厂家检测")
    columns = (
        "id, version, status, priority, customer_id, assignee, channel, category, is_open,"
        " received_at, updated_at, product_model, due_at, snapshot"
    )
    row = (*_version_one_row(ticket, is_open=is_open, time=time), None, None, snapshot_json(ticket))
    events = [(ticket.id, e.seq, to_json(e), e.seq) for e in ticket.history]
    return ticket, columns, row, events


def writer_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    return env


def seed(store: Any) -> None:
    store.save_many([build_ticket(ticket_id) for ticket_id in TICKETS])


def run_threads(store: Any, threads: int, commands: int) -> list[dict[str, Any]]:
    from tests.storage._writer import desk_worker

    results: list[dict[str, Any]] = [{} for _ in range(threads)]
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            results[index] = desk_worker(store, f"t{index}", commands, TICKETS)
        except BaseException as error:  # surfaced by the assertion below
            errors.append(error)

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    return results


def run_processes(kind: str, target: str, processes: int, commands: int) -> list[dict[str, Any]]:
    children = [
        subprocess.Popen(
            [sys.executable, str(WRITER), "desk", kind, target, f"p{i}", str(commands), *TICKETS],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=writer_env(),
        )
        for i in range(processes)
    ]
    results = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def check_nothing_lost(store: Any, results: list[dict[str, Any]], commands: int) -> None:
    accepted = [text for result in results for text in result["accepted"]]
    refused = [text for result in results for text in result["refused"]]
    assert len(accepted) + len(refused) == commands * len(results)
    assert accepted, "no command was accepted at all"
    seen: Counter[str] = Counter()
    for ticket_id in TICKETS:
        stored = store.get(ticket_id)
        history = list(store.history(ticket_id))
        assert Ticket.replay(history) == stored
        assert [event.seq for event in history] == list(range(1, stored.version + 1))
        seen.update(e.text for e in history if isinstance(e, NoteAdded))
    assert all(count == 1 for count in seen.values()), seen.most_common(3)
    assert set(seen) == set(accepted)
    assert not set(refused) & set(seen)
    assert len(store.find(TicketQuery())) == len(TICKETS)


def kill_mid_batch(kind: str, target: str, size: int, hang_at: int) -> list[str]:
    """Run a bulk writer, SIGKILL it inside batch ``hang_at``; the lines it printed."""
    child = subprocess.Popen(
        [sys.executable, str(WRITER), "bulk", kind, target, str(size), str(hang_at)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=writer_env(),
    )
    assert child.stdout is not None
    lines = []
    for line in child.stdout:
        lines.append(line.strip())
        if line.startswith("MIDDLE"):
            break
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL, child.stderr.read() if child.stderr else ""
    return lines


def kill_after(kind: str, target: str, size: int, delay: float) -> list[str]:
    """Run a bulk writer that never hangs and SIGKILL it after ``delay`` seconds of writing."""
    child = subprocess.Popen(
        [sys.executable, str(WRITER), "bulk", kind, target, str(size), "-1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=writer_env(),
    )
    assert child.stdout is not None
    first = child.stdout.readline().strip()  # the first batch is committed: writing is under way
    timer = threading.Timer(delay, os.kill, args=(child.pid, signal.SIGKILL))
    timer.start()
    rest = child.stdout.read().split()
    timer.join()
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    return [first, *(" ".join(rest[i : i + 2]) for i in range(0, len(rest), 2))]


def check_batches(store: Any, size: int, committed: int) -> None:
    """Every batch is all there or not at all; at least ``committed`` batches are there."""
    ids = store.find_ids(TicketQuery())
    batches = Counter(ticket_id.split("-")[0] for ticket_id in ids)
    assert all(count == size for count in batches.values()), batches
    assert len(batches) >= committed
    assert sorted(batches) == [f"K{n:04d}" for n in range(len(batches))]
    assert store.check_integrity() == []


def race(ticket: Ticket, writers: list[tuple[str, Any]]) -> dict[str, str]:
    """Each store saves a note on ``ticket`` from its version at the same moment; what happened."""
    start = threading.Barrier(len(writers))
    outcomes: dict[str, str] = {}

    def write(name: str, store: Any) -> None:
        start.wait()
        try:
            store.save(advance(ticket, NoteAdded, text=name), expected_version=ticket.version)
            outcomes[name] = "saved"
        except ConcurrencyError as error:
            outcomes[name] = f"refused at {error.expected}, found {error.actual}"

    threads = [threading.Thread(target=write, args=writer) for writer in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
