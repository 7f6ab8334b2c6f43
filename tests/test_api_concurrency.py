"""8 concurrent HTTP clients run commands on shared tickets with expected versions.

Every 409 must be a real conflict (the ticket had moved past the version the
client sent), no request may fail with a 5xx, every accepted command must be
in the ticket's history exactly once, and each history must replay to the
stored ticket.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from aftersales import ServiceDesk
from aftersales.api import bearer_token, create_app
from aftersales.api.local import LocalServer
from aftersales.model import Ticket
from aftersales.model.events import NoteAdded
from aftersales.storage import SQLiteStore

CLIENTS = 8
ROUNDS = 12
TICKETS = ("T-C1", "T-C2", "T-C3")
AUTH = {"Authorization": "Bearer t0ken"}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, SQLiteStore]]:
    store = SQLiteStore(tmp_path / "concurrent.db")
    app = create_app(ServiceDesk(store), auth=bearer_token("t0ken", name="并发"))
    with LocalServer(app) as server:
        with httpx.Client(base_url=server.url, headers=AUTH, timeout=60) as client:
            for ticket_id in TICKETS:
                body = {
                    "customer": {"id": "C1", "name": "并发客户"},
                    "channel": "phone",
                    "category": "product_quality",
                    "description": "并发测试",
                    "occurred_at": "2026-10-09T08:30:00+08:00",
                    "ticket_id": ticket_id,
                }
                assert client.post("/tickets", json=body).status_code == 201
        yield server.url, store
    store.close()


def test_concurrent_commands_conflict_only_for_real_and_histories_stay_consistent(
    served: tuple[str, SQLiteStore],
) -> None:
    url, store = served
    accepted: list[tuple[str, str]] = []
    conflicts: list[tuple[int, dict[str, object]]] = []
    others: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(CLIENTS)

    def client_thread(number: int) -> None:
        with httpx.Client(base_url=url, headers=AUTH, timeout=60) as client:
            barrier.wait()
            for round_ in range(ROUNDS):
                ticket_id = TICKETS[(number + round_) % len(TICKETS)]
                read = client.get(f"/tickets/{ticket_id}")
                version = int(read.headers["etag"].strip('"'))
                text = f"client {number} round {round_}"
                done = client.post(
                    f"/tickets/{ticket_id}/commands/add_note",
                    json={"text": text},
                    headers={"If-Match": f'"{version}"'},
                )
                with lock:
                    if done.status_code == 200:
                        accepted.append((ticket_id, text))
                        assert done.json()["version"] == version + 1
                    elif done.status_code == 409:
                        conflicts.append((version, done.json()))
                    else:
                        others.append(f"{done.status_code} {done.text[:200]}")

    threads = [threading.Thread(target=client_thread, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert others == []
    assert len(accepted) + len(conflicts) == CLIENTS * ROUNDS
    assert accepted, "no command was accepted"
    assert conflicts, "no conflict happened: the clients did not overlap"
    for sent, body in conflicts:
        assert body["error"] == "ConcurrencyError"
        assert body["expected_version"] == sent
        current = body["current_version"]
        assert isinstance(current, int)
        assert current > sent
        assert "add_note" in body["allowed_commands"]  # type: ignore[operator]
    notes: Counter[tuple[str, str]] = Counter()
    for ticket_id in TICKETS:
        history = store.history(ticket_id)
        assert [event.seq for event in history] == list(range(1, len(history) + 1))
        assert Ticket.replay(history) == store.get(ticket_id)
        notes.update((ticket_id, e.text) for e in history if isinstance(e, NoteAdded))
    assert notes == Counter(accepted)  # every accepted command once, nothing else
    feed = store.events_since(0, limit=10_000)
    assert [position for position, _ in feed] == list(range(1, len(feed) + 1))
    assert len(feed) == len(TICKETS) + len(accepted)
