"""A writer process of the event feed's concurrency tests (run as a script, not collected).

Usage:
    python _feed_writer.py KIND TARGET WORKER ROUNDS

KIND is ``sqlite`` (TARGET a path) or ``postgres`` (TARGET a DSN). Each round
stores events in one of three ways (a new ticket, more events on one of its
own tickets, three new tickets in one ``save_many``); at the end it prints the
number of events it stored.
"""

from __future__ import annotations

import random
import sys
from typing import Any

from aftersales.model.ticket import Ticket
from aftersales.storage import Save
from aftersales.testing.contracts.builders import build_ticket
from aftersales.testing.contracts.feed import noted


def write_rounds(store: Any, worker: str, rounds: int) -> int:
    """Store events for ``rounds`` rounds; the number of events stored."""
    rng = random.Random(worker)
    own: list[Ticket] = []
    written = 0
    for index in range(rounds):
        choice = rng.random()
        if own and choice < 0.4:
            at = rng.randrange(len(own))
            longer = noted(own[at], rng.randint(1, 3))
            store.save(longer, expected_version=own[at].version)
            written += longer.version - own[at].version
            own[at] = longer
        elif choice < 0.7:
            fresh = [
                noted(build_ticket(f"{worker}-{index}-{n}", minutes=index), rng.randint(0, 2))
                for n in range(3)
            ]
            store.save_many([Save(ticket) for ticket in fresh])
            written += sum(ticket.version for ticket in fresh)
            own += fresh
        else:
            ticket = noted(build_ticket(f"{worker}-{index}", minutes=index), rng.randint(0, 3))
            store.save(ticket, expected_version=0)
            written += ticket.version
            own.append(ticket)
    return written


def main(argv: list[str]) -> int:
    kind, target, worker, rounds = argv
    if kind == "sqlite":
        from aftersales.storage import SQLiteStore

        store: Any = SQLiteStore(target)
    else:
        from aftersales.storage.postgres import PostgresStore

        store = PostgresStore(target, min_size=1, max_size=1)
    try:
        print(write_rounds(store, worker, int(rounds)), flush=True)
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
