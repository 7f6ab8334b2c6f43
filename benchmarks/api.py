"""The HTTP API's throughput on SQLite: requests/s of a ticket read and of a command, 8 clients.

A SQLite store of ``--tickets`` tickets is opened through the API, then served
by uvicorn on 127.0.0.1 (one process, the router of ``aftersales.api``, a
bearer token); ``--clients`` threads (8 by default), each with its own
keep-alive ``httpx`` client, send

* **read**: ``GET /tickets/{id}`` of random tickets, ``--reads`` in all;
* **command**: ``POST /tickets/{id}/commands/add_note`` on random tickets,
  ``--commands`` in all, without an expected version (so a 409 is a lost race
  between two saves of the same ticket, counted apart).

Wall time, requests/s and the median and p95 latency are printed per kind.
Both sides must agree: every read's body must be the ticket view the store
gives directly (``ticket_view(store.get(id))``; no write runs during the reads),
and after the commands every accepted note must be in its ticket's history
once, and nothing else: the script prints one ``agreement:`` line and exits
with status 1 when any differs.

Usage:
    python benchmarks/api.py                      # 200 tickets, 4000 reads, 1000 commands
    python benchmarks/api.py --reads 20000 --commands 5000
    python benchmarks/api.py --tiny               # seconds: the test suite's run
"""

from __future__ import annotations

import os
import sys

# benchmarks/calendar.py is named like the stdlib module: keep this folder off the path.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import argparse  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import httpx  # noqa: E402

from aftersales import ServiceDesk  # noqa: E402
from aftersales.api import bearer_token, create_app  # noqa: E402
from aftersales.api.local import LocalServer  # noqa: E402
from aftersales.model.events import NoteAdded  # noqa: E402
from aftersales.storage import SQLiteStore  # noqa: E402
from aftersales.views import ticket_view  # noqa: E402

AUTH = {"Authorization": "Bearer bench"}


def opening(ticket_id: str) -> dict[str, Any]:
    return {
        "customer": {"id": f"C{ticket_id[-2:]}", "name": "压测客户"},
        "channel": "phone",
        "category": "product_quality",
        "description": "开机后频繁死机",
        "occurred_at": "2026-10-09T08:30:00+08:00",
        "ticket_id": ticket_id,
    }


def hammer(
    url: str, clients: int, work: list[list[tuple[str, str, Any]]]
) -> tuple[float, list[float], list[tuple[str, str, int, Any]]]:
    """Run each client's ``(method, path, body)`` list on its own thread; wall time, latencies, results."""
    latencies: list[float] = []
    results: list[tuple[str, str, int, Any]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def client(items: list[tuple[str, str, Any]]) -> None:
        mine: list[float] = []
        seen: list[tuple[str, str, int, Any]] = []
        with httpx.Client(base_url=url, headers=AUTH, timeout=60) as http:
            barrier.wait()
            for method, path, body in items:
                began = time.perf_counter()
                response = http.request(method, path, json=body)
                mine.append(time.perf_counter() - began)
                seen.append(
                    (path, body["text"] if body else "", response.status_code, response.json())
                )
        with lock:
            latencies.extend(mine)
            results.extend(seen)

    threads = [threading.Thread(target=client, args=(items,)) for items in work]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, latencies, results


def report(kind: str, wall: float, latencies: list[float]) -> None:
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(
        f"{kind:<40} {len(latencies):>7,} requests  {wall:7.2f} s  {len(latencies) / wall:9,.0f} req/s"
        f"  median {statistics.median(ordered) * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms"
    )


def read_differences(store: SQLiteStore, results: list[tuple[str, str, int, Any]]) -> int:
    """Reads whose status is not 200 or whose body is not the store's ticket view."""
    expected: dict[str, Any] = {}
    differ = 0
    for path, _, status, body in results:
        ticket_id = path.rsplit("/", 1)[1]
        if ticket_id not in expected:
            expected[ticket_id] = ticket_view(store.get(ticket_id))
        differ += status != 200 or body != expected[ticket_id]
    return differ


def stored_notes(store: SQLiteStore, ids: list[str]) -> Counter[tuple[str, str]]:
    """The notes in the tickets' histories, by ``(ticket id, text)``."""
    notes: Counter[tuple[str, str]] = Counter()
    for ticket_id in ids:
        notes.update(
            (ticket_id, e.text) for e in store.history(ticket_id) if isinstance(e, NoteAdded)
        )
    return notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=200)
    parser.add_argument("--reads", type=int, default=4000)
    parser.add_argument("--commands", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--tiny", action="store_true", help="20 tickets, 160 reads, 80 commands")
    args = parser.parse_args(argv)
    if args.tiny:
        args.tickets, args.reads, args.commands = 20, 160, 80
    rng = random.Random(args.seed)
    ids = [f"T-BENCH-{n:05d}" for n in range(args.tickets)]
    with tempfile.TemporaryDirectory(prefix="aftersales-api-") as directory:
        store = SQLiteStore(Path(directory) / "api.db")
        app = create_app(ServiceDesk(store), auth=bearer_token("bench", name="压测"))
        with LocalServer(app, grace=5) as server:
            with httpx.Client(base_url=server.url, headers=AUTH, timeout=60) as http:
                for ticket_id in ids:
                    assert http.post("/tickets", json=opening(ticket_id)).status_code == 201
            print(
                f"SQLite, {args.tickets:,} tickets, {args.clients} client threads,"
                f" uvicorn on {server.url} (one process)"
            )
            per = [[] for _ in range(args.clients)]  # type: list[list[tuple[str, str, Any]]]
            for n in range(args.reads):
                per[n % args.clients].append(("GET", f"/tickets/{rng.choice(ids)}", None))
            wall, latencies, reads = hammer(server.url, args.clients, per)
            report("GET /tickets/{id}", wall, latencies)
            differ = read_differences(store, reads)
            per = [[] for _ in range(args.clients)]
            for n in range(args.commands):
                body = {"text": f"note {n}"}
                per[n % args.clients].append(
                    ("POST", f"/tickets/{rng.choice(ids)}/commands/add_note", body)
                )
            wall, latencies, commands = hammer(server.url, args.clients, per)
            report("POST /tickets/{id}/commands/add_note", wall, latencies)
        statuses = Counter(status for _, _, status, _ in commands)
        print(
            f"command statuses: {dict(sorted(statuses.items()))} (409: two saves raced; nothing written)"
        )
        accepted = Counter(
            (path.split("/")[2], text) for path, text, status, _ in commands if status == 200
        )
        notes = stored_notes(store, ids)
        differ += sum(((accepted - notes) + (notes - accepted)).values())
        differ += sum(count for status, count in statuses.items() if status not in (200, 409))
        store.close()
    print(
        "agreement: read bodies vs the store's ticket views, accepted commands vs the stored"
        f" histories, {differ} of {len(reads) + len(commands):,} requests differ"
    )
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
