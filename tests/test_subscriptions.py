"""Subscriptions: at-least-once delivery from a checkpoint, retries, dead letters, leases, SLA
notices, the PostgreSQL wake-up and ``aftersales subscribe``."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales import Channel, Customer, FixedClock, ProblemCategory, ServiceDesk
from aftersales.calendar import WorkCalendar
from aftersales.cli.program import main
from aftersales.errors import InvalidData, NotFound
from aftersales.model.events import SlaBreached, SlaWarned, TicketEvent
from aftersales.service.sla_notice_delivery import sla_notice_handler
from aftersales.service.subscriptions import Retry, Subscription
from aftersales.sla import SlaPolicy
from aftersales.storage import MemoryStore, SQLiteStore
from aftersales.testing.contracts import build_ticket
from aftersales.testing.contracts.feed import noted

T0 = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")


@pytest.fixture(params=["memory", "sqlite"])
def store(request: Any, tmp_path: Path) -> Iterator[Any]:
    made: Any = MemoryStore() if request.param == "memory" else SQLiteStore(tmp_path / "s.db")
    yield made
    made.close()


def _fill(store: Any, tickets: int = 3, notes: int = 2) -> list[TicketEvent]:
    written: list[TicketEvent] = []
    for number in range(tickets):
        ticket = noted(build_ticket(f"S{number}", minutes=number), notes)
        store.save(ticket, expected_version=0)
        written += ticket.history
    return written


class Flaky:
    """A handler that fails ``failures[position]`` times on a position, then records it."""

    def __init__(self, failures: dict[int, int] | None = None) -> None:
        self.failures = dict(failures or {})
        self.delivered: list[tuple[int, TicketEvent]] = []
        self.calls: list[int] = []

    def __call__(self, position: int, event: TicketEvent) -> None:
        self.calls.append(position)
        if self.failures.get(position, 0) > 0:
            self.failures[position] -= 1
            raise TimeoutError(f"mail server down at {position}")
        self.delivered.append((position, event))


def test_every_event_is_delivered_once_in_order_and_then_the_new_ones(store: Any) -> None:
    written = _fill(store)
    handler = Flaky()
    subscription = Subscription(store, "audit", handler, batch=4)
    assert subscription.run(until_idle=True) == len(written) == 9
    assert [event for _, event in handler.delivered] == written
    assert [p for p, _ in handler.delivered] == list(range(1, 10))
    assert store.checkpoint("audit") == store.feed_head() == 9
    assert subscription.run(until_idle=True) == 0
    store.save(noted(store.get("S1"), 1), expected_version=3)
    assert subscription.run(until_idle=True) == 1
    assert [(p, e.ticket_id, e.seq) for p, e in handler.delivered[9:]] == [(10, "S1", 4)]


def test_a_failing_handler_is_retried_with_doubling_pauses(store: Any) -> None:
    _fill(store, tickets=1)
    pauses: list[float] = []
    handler = Flaky({2: 3})
    retry = Retry(5, timedelta(seconds=1.5), timedelta(seconds=4))
    subscription = Subscription(store, "mail", handler, retry=retry, sleep=pauses.append)
    assert subscription.run(until_idle=True) == 3
    assert pauses == [1.5, 3.0, 4.0]
    assert handler.calls == [1, 2, 2, 2, 2, 3]
    assert [p for p, _ in handler.delivered] == [1, 2, 3]
    assert store.dead_letters("mail") == []


def test_an_event_that_keeps_failing_is_parked_and_can_be_replayed(store: Any) -> None:
    _fill(store, tickets=1)
    pauses: list[float] = []
    handler = Flaky({2: 10})
    subscription = Subscription(store, "mail", handler, retry=Retry(3), sleep=pauses.append)
    assert subscription.run(until_idle=True) == 3
    assert [p for p, _ in handler.delivered] == [1, 3]
    assert store.checkpoint("mail") == 3
    [letter] = store.dead_letters("mail")
    assert (letter.position, letter.attempts) == (2, 3)
    assert letter.error == "TimeoutError: mail server down at 2"
    assert pauses == [1.0, 2.0]
    with pytest.raises(TimeoutError):
        subscription.replay(2)  # still failing: kept
    assert [d.position for d in store.dead_letters("mail")] == [2]
    handler.failures[2] = 0
    subscription.replay(2)
    assert [p for p, _ in handler.delivered] == [1, 3, 2]
    assert store.dead_letters("mail") == []
    with pytest.raises(NotFound):
        subscription.replay(2)


def test_the_checkpoint_moves_only_after_the_handler_returned(store: Any) -> None:
    _fill(store, tickets=1)

    def dies_at_two(position: int, event: TicketEvent) -> None:
        if position == 2:
            raise SystemExit("the process is going away")

    with pytest.raises(SystemExit):
        Subscription(store, "mail", dies_at_two).run(until_idle=True)
    assert store.checkpoint("mail") == 1
    handler = Flaky()
    assert Subscription(store, "mail", handler).run(until_idle=True) == 2  # the lease was released
    assert [p for p, _ in handler.delivered] == [2, 3]


def test_a_batch_handler_gets_batches_and_a_failing_batch_is_split(store: Any) -> None:
    _fill(store)
    batches: list[list[int]] = []

    def load(batch: Sequence[tuple[int, TicketEvent]]) -> None:
        positions = [p for p, _ in batch]
        if 5 in positions:
            raise ValueError("row 5 does not fit the warehouse")
        batches.append(positions)

    subscription = Subscription(
        store, "bi", load, batched=True, batch=4, retry=Retry(2), sleep=lambda _: None
    )
    assert subscription.run(until_idle=True) == 9
    assert batches == [[1, 2, 3, 4], [6], [7], [8], [9]]
    assert [d.position for d in store.dead_letters("bi")] == [5]
    assert store.checkpoint("bi") == 9


def test_named_subscriptions_are_independent(store: Any) -> None:
    _fill(store, tickets=1)
    first, second = Flaky(), Flaky({1: 10})
    Subscription(store, "one", first).run(until_idle=True)
    Subscription(store, "two", second, retry=Retry(1)).run(until_idle=True)
    assert [p for p, _ in first.delivered] == [1, 2, 3]
    assert [p for p, _ in second.delivered] == [2, 3]
    assert store.dead_letters("one") == []
    assert [d.position for d in store.dead_letters("two")] == [1]


def test_another_copy_waits_for_the_lease_then_takes_over(store: Any) -> None:
    _fill(store, tickets=1)
    clock = FixedClock(T0)
    first, second = Flaky(), Flaky()
    lease = timedelta(seconds=30)
    holder = Subscription(store, "mail", first, owner="w1", clock=clock, lease=lease, batch=1)
    waiting = Subscription(store, "mail", second, owner="w2", clock=clock, lease=lease)
    assert holder.process_batch() == 1  # w1 holds the lease and does not release it
    clock.set(T0.add(seconds=29))
    assert waiting.process_batch() is None
    assert second.delivered == []
    clock.set(T0.add(seconds=31))
    assert waiting.process_batch() == 2
    assert [p for p, _ in second.delivered] == [2, 3]
    assert holder.process_batch() is None  # w1 lost it


def test_a_copy_that_lost_its_lease_mid_batch_stops_and_the_event_is_delivered_again(
    store: Any,
) -> None:
    _fill(store, tickets=1)
    clock = FixedClock(T0)
    lease = timedelta(seconds=30)
    taken: list[int] = []

    def slow(position: int, event: TicketEvent) -> None:
        taken.append(position)
        if position == 2:  # the call outlives the lease, and another copy claims it
            clock.set(T0.add(minutes=5))
            assert store.claim("mail", "w2", lease=lease, at=clock.now()) == 1

    copy = Subscription(store, "mail", slow, owner="w1", clock=clock, lease=lease)
    assert copy.run(until_idle=True) == 1
    assert taken == [1, 2]
    assert store.checkpoint("mail") == 1  # position 2 is delivered again by w2
    store.release("mail", "w2")
    again = Flaky()
    assert Subscription(store, "mail", again, clock=clock).run(until_idle=True) == 2
    assert [p for p, _ in again.delivered] == [2, 3]


def test_two_copies_at_once_never_deliver_an_event_twice_or_together(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with SQLiteStore(path) as writer:
        _fill(writer, tickets=10, notes=3)
    active = 0
    most = 0
    delivered: list[int] = []
    lock = threading.Lock()

    def handler(position: int, event: TicketEvent) -> None:
        nonlocal active, most
        with lock:
            active += 1
            most = max(most, active)
        time.sleep(0.002)
        with lock:
            active -= 1
            delivered.append(position)

    stop = threading.Event()
    stores = [SQLiteStore(path), SQLiteStore(path)]
    copies = [
        Subscription(s, "mail", handler, owner=f"w{i}", batch=3, poll_interval=0.01)
        for i, s in enumerate(stores)
    ]
    threads = [threading.Thread(target=c.run, kwargs={"stop": stop}) for c in copies]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while len(delivered) < 40 and time.monotonic() < deadline:
        time.sleep(0.01)
    stop.set()
    for thread in threads:
        thread.join()
    for s in stores:
        s.close()
    assert sorted(delivered) == list(range(1, 41))
    assert most == 1


@settings(max_examples=30, deadline=None)
@given(
    failures=st.dictionaries(st.integers(1, 9), st.integers(0, 6), max_size=5),
    attempts=st.integers(1, 5),
    batch=st.integers(1, 10),
)
def test_every_event_is_delivered_or_parked_exactly_as_the_retries_say(
    failures: dict[int, int], attempts: int, batch: int
) -> None:
    store = MemoryStore()
    _fill(store)
    handler = Flaky(failures)
    subscription = Subscription(
        store, "mail", handler, batch=batch, retry=Retry(attempts), sleep=lambda _: None
    )
    assert subscription.run(until_idle=True) == 9
    parked = {p for p, n in failures.items() if n >= attempts}
    assert [p for p, _ in handler.delivered] == [p for p in range(1, 10) if p not in parked]
    assert [(d.position, d.attempts) for d in store.dead_letters("mail")] == [
        (p, attempts) for p in sorted(parked)
    ]
    assert store.checkpoint("mail") == 9


def test_bad_arguments_are_refused_naming_them() -> None:
    with pytest.raises(InvalidData) as raised:
        Subscription(MemoryStore(), "no spaces", print, batch=0)
    assert set(dict(raised.value.problems)) == {"name", "batch"}
    with pytest.raises(InvalidData, match="keeps no subscription checkpoints"):
        Subscription(_FeedOnly(), "mail", print)
    with pytest.raises(InvalidData, match="attempts: 0 is out of range"):
        Retry(0)


class _FeedOnly:
    def events_since(self, position: int, *, limit: int = 1000) -> list[Any]:
        return []

    def feed_head(self) -> int:
        return 0


# -- SLA notices through the feed ------------------------------------------------------------


def test_an_sla_notice_is_sent_after_its_commit_and_a_failed_send_is_retried(
    tmp_path: Path,
) -> None:
    clock = FixedClock(T0)
    store = SQLiteStore(tmp_path / "desk.db")
    desk = ServiceDesk(store, clock=clock, sla=SlaPolicy.default(WorkCalendar.china()))
    desk.open_ticket(
        customer=Customer(id="C1", name="甲公司"),
        channel=Channel.PHONE,
        category=ProblemCategory.LOGISTICS_DELAY,
        description="发货延迟三天",
        occurred_at=clock.now(),
        by="李工",
        priority="urgent",
        ticket_id="T1",
    )
    sent: list[tuple[str, int]] = []
    failing = [2]

    def send(event: Any) -> None:
        if failing[0]:
            failing[0] -= 1
            raise ConnectionError("smtp: connection refused")
        sent.append((event.metric, event.level))

    pauses: list[float] = []
    mail = Subscription(store, "sla-mail", sla_notice_handler(send), sleep=pauses.append)
    assert mail.run(until_idle=True) == 1  # the ticket's opening: nothing to send
    clock.set(T0.add(minutes=20))
    notices = desk.sweep_sla()
    clock.set(T0.add(minutes=45))
    notices += desk.sweep_sla()
    assert [(n.metric, n.level) for n in notices] == [("first_response", 1), ("first_response", 3)]
    crossings = [e for _, e in store.events_since(1) if isinstance(e, SlaWarned | SlaBreached)]
    assert len(crossings) == 2
    assert mail.run(until_idle=True) == 2
    assert sent == [("first_response", 1), ("first_response", 3)]
    assert pauses == [1.0, 2.0]  # two failed sends, then sent: once
    assert store.dead_letters("sla-mail") == []
    assert store.checkpoint("sla-mail") == store.feed_head()
    store.close()


# -- PostgreSQL: the same delivery, woken by NOTIFY ------------------------------------------


def test_on_postgres_a_commit_wakes_the_subscription_at_once(postgres_dsn: str) -> None:
    pytest.importorskip("psycopg")
    from aftersales.storage.postgres import PostgresStore
    from tests.storage.test_postgres import _reset

    _reset(postgres_dsn)
    with PostgresStore(postgres_dsn, max_size=4) as store:
        _fill(store, tickets=1)
        arrived = threading.Event()
        handler = Flaky()

        def record(position: int, event: TicketEvent) -> None:
            handler(position, event)
            if position == 4:
                arrived.set()

        stop = threading.Event()
        subscription = Subscription(store, "mail", record, poll_interval=60)
        thread = threading.Thread(target=subscription.run, kwargs={"stop": stop})
        thread.start()
        deadline = time.monotonic() + 10
        while store.checkpoint("mail") < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.2)  # now waiting for a NOTIFY, with a 60 s poll interval
        started = time.monotonic()
        store.save(noted(store.get("S0"), 1), expected_version=3)
        assert arrived.wait(5)
        woke_after = time.monotonic() - started
        stop.set()
        store.save(build_ticket("S9"), expected_version=0)  # wakes it to see the stop
        thread.join(10)
        assert not thread.is_alive()
        assert woke_after < 2
        assert [p for p, _ in handler.delivered[:4]] == [1, 2, 3, 4]


# -- the command line ------------------------------------------------------------------------

#: Deliveries of :func:`collect`, the handler the command-line tests name.
COLLECTED: list[int] = []


def collect(position: int, event: TicketEvent) -> None:
    """A handler for ``--handler tests.test_subscriptions:collect``: fails on position 2."""
    if position == 2 and not COLLECTED.count(-2):
        raise ValueError("position 2 is refused")
    COLLECTED.append(position)


def test_aftersales_subscribe_delivers_lists_replays_and_discards(
    tmp_path: Path, capsys: Any
) -> None:
    path = tmp_path / "desk.db"
    with SQLiteStore(path) as writer:
        _fill(writer, tickets=1)
    COLLECTED.clear()
    common = ["subscribe", "--db", str(path), "--name", "cli"]
    handler = ["--handler", "tests.test_subscriptions:collect"]
    fast = ["--attempts", "2", "--base-delay", "0.001"]
    assert main([*common, *handler, *fast, "--once"]) == 0
    assert COLLECTED == [1, 3]
    assert capsys.readouterr().out == "3 events done; checkpoint 3 of 3; 1 dead letters\n"
    assert main([*common, "--dead-letters"]) == 0
    listed = capsys.readouterr().out
    assert listed.startswith("2\t2 attempts\t")
    assert "ValueError: position 2 is refused" in listed
    COLLECTED.append(-2)  # the cause is fixed
    assert main([*common, *handler, "--replay", "2"]) == 0
    assert COLLECTED[-1] == 2
    assert main([*common, "--dead-letters"]) == 0
    assert main([*common, "--discard", "2"]) == 2  # nothing left to discard
    assert "dead letter" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--handler", "no_such_module_x:send"], "cannot import 'no_such_module_x'"),
        (["--handler", "os.path"], "accepted: MODULE:FUNCTION"),
        (["--handler", "os.path:no_such_function"], "has no function 'no_such_function'"),
        ([], "--handler MODULE:FUNCTION is required"),
    ],
)
def test_aftersales_subscribe_refuses_a_bad_handler(
    tmp_path: Path, capsys: Any, extra: list[str], message: str
) -> None:
    path = tmp_path / "desk.db"
    SQLiteStore(path).close()
    assert main(["subscribe", "--db", str(path), "--name", "cli", *extra, "--once"]) == 2
    assert message in capsys.readouterr().err
