"""A subscriber killed with SIGKILL at random points resumes from its checkpoint: no delivered
event is lost, and an event is delivered twice only when the kill came between the handler's
return and the checkpoint's commit (at most one repeat per kill, the last event of a run)."""

from __future__ import annotations

import itertools
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aftersales.model.events import TicketEvent
from aftersales.storage import SQLiteStore
from aftersales.testing.contracts import build_ticket
from aftersales.testing.contracts.feed import noted
from tests.storage.reliability import writer_env

#: Where :func:`record` appends what it delivered (set in the subscriber's environment).
DELIVERIES = "AFTERSALES_TEST_DELIVERIES"


def record(position: int, event: TicketEvent) -> None:
    """The killed subscriber's handler: append ``pid position`` to the file, synced to disk."""
    with open(os.environ[DELIVERIES], "a", encoding="utf-8") as file:
        file.write(f"{os.getpid()} {position}\n")
        file.flush()
        os.fsync(file.fileno())


def _subscriber(path: Path, deliveries: Path, *, once: bool) -> subprocess.Popen[str]:
    env = writer_env()
    env[DELIVERIES] = str(deliveries)
    command = [sys.executable, "-m", "aftersales", "subscribe", "--db", str(path)]
    command += ["--name", "audit", "--owner", "worker-1", "--poll", "0.05"]
    command += ["--handler", "tests.test_subscriptions_kill:record", "--batch", "7"]
    return subprocess.Popen(
        [*command, *(["--once"] if once else [])],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _lines(deliveries: Path) -> list[tuple[int, int]]:
    if not deliveries.exists():
        return []
    return [
        (int(pid), int(position))
        for pid, position in (line.split() for line in deliveries.read_text().splitlines())
    ]


@pytest.mark.parametrize("seed", [1, 2])
def test_a_killed_subscriber_resumes_without_losing_or_repeating_more_than_one_event(
    tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    path, deliveries = tmp_path / "desk.db", tmp_path / "delivered.txt"
    with SQLiteStore(path) as store:
        store.save_many(noted(build_ticket(f"K{n:03d}", minutes=n), 4) for n in range(120))
        total = store.feed_head()
    assert total == 600
    kills = 0
    for _ in range(5):
        before = len(_lines(deliveries))
        child = _subscriber(path, deliveries, once=False)
        deadline = time.monotonic() + 60
        while len(_lines(deliveries)) < before + rng.randint(5, 60):  # mid-delivery
            assert child.poll() is None, child.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.001)
        time.sleep(rng.random() * 0.02)
        child.send_signal(signal.SIGKILL)
        child.wait()
        kills += 1
    final = _subscriber(path, deliveries, once=True)
    out, err = final.communicate(timeout=120)
    assert final.returncode == 0, err
    assert f"checkpoint {total} of {total}; 0 dead letters" in out

    lines = _lines(deliveries)
    positions = [position for _, position in lines]
    assert set(positions) == set(range(1, total + 1))  # nothing lost
    runs: list[list[int]] = []
    for pid, position in lines:
        if not runs or runs[-1][0] != pid:
            runs.append([pid])
        runs[-1].append(position)
    assert len(runs) == kills + 1
    repeats = 0
    for previous, current in itertools.pairwise(runs):
        delivered, resumed = previous[1:], current[1:]
        assert delivered == list(range(delivered[0], delivered[-1] + 1))  # in order, no gap
        # the next run starts at the killed run's last event (its checkpoint was not committed)
        # or right after it
        assert resumed[0] in (delivered[-1], delivered[-1] + 1), (delivered[-3:], resumed[:3])
        repeats += resumed[0] == delivered[-1]
    assert len(positions) - total == repeats <= kills
