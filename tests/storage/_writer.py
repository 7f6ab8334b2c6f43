"""A writer process for the storage reliability tests (run as a script, not collected).

Usage:
    python _writer.py desk   KIND TARGET WORKER COMMANDS TICKET_ID...
    python _writer.py bulk   KIND TARGET BATCH_SIZE HANG_AT_BATCH

KIND is ``sqlite`` (TARGET a path), ``postgres`` (TARGET a DSN), ``mysql`` (TARGET a URL)
or ``sqlalchemy`` (TARGET a SQLAlchemy URL: SqlAlchemyStore on an engine of its own).
``desk`` prints one JSON line: the note texts accepted and refused.
``bulk`` writes numbered batches with ``save_many``, printing ``COMMITTED k``
after each; in batch HANG_AT_BATCH it prints ``MIDDLE k`` half-way through the
batch, inside the transaction, and waits to be killed (-1: never hang).
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Iterator
from typing import Any

from aftersales import ConcurrencyError, ServiceDesk
from aftersales.model.ticket import Ticket
from aftersales.testing.contracts import build_ticket


def open_store(kind: str, target: str) -> Any:
    if kind == "sqlite":
        from aftersales.storage import SQLiteStore

        return SQLiteStore(target)
    if kind == "mysql":
        from aftersales.storage.mysql import MySQLStore

        return MySQLStore(target, max_size=2)
    if kind == "sqlalchemy":
        import sqlalchemy

        from aftersales.storage.sqlalchemy import SqlAlchemyStore

        return SqlAlchemyStore(sqlalchemy.create_engine(target, pool_size=2))
    from aftersales.storage.postgres import PostgresStore

    return PostgresStore(target, min_size=1, max_size=2)


def desk_worker(store: Any, worker: str, commands: int, ticket_ids: list[str]) -> dict[str, Any]:
    desk = ServiceDesk(store)
    rng = random.Random(worker)
    accepted: list[str] = []
    refused: list[str] = []
    for index in range(commands):
        text = f"{worker}-{index}"
        try:
            desk.add_note(rng.choice(ticket_ids), by=worker, text=text)
        except ConcurrencyError:
            refused.append(text)
        else:
            accepted.append(text)
    return {"accepted": accepted, "refused": refused}


def batch(number: int, size: int, hang: bool) -> Iterator[Ticket]:
    for index in range(size):
        if hang and index == size // 2:
            print(f"MIDDLE {number}", flush=True)
            time.sleep(600)
        yield build_ticket(f"K{number:04d}-{index:04d}", minutes=index % 60)


def main(argv: list[str]) -> None:
    mode, kind, target = argv[:3]
    store = open_store(kind, target)
    if mode == "desk":
        worker, commands, *ticket_ids = argv[3:]
        print(json.dumps(desk_worker(store, worker, int(commands), ticket_ids)), flush=True)
    else:
        size, hang_at = int(argv[3]), int(argv[4])
        number = 0
        while True:
            store.save_many(batch(number, size, hang=number == hang_at))
            print(f"COMMITTED {number}", flush=True)
            number += 1


if __name__ == "__main__":
    main(sys.argv[1:])
