"""Subscriptions: the host's handler fed every stored event, at least once, from a checkpoint.

A :class:`Subscription` reads the store's event feed
(:class:`~aftersales.storage.EventFeed`) after its checkpoint, calls the
host's handler with each ``(position, event)``, and moves the checkpoint
past an event only after the handler returned: a process that dies between
the two delivers that one event again when it restarts (at least once, never
lost). A handler that raises is called again after a pause that doubles each
time (:class:`Retry`); an event that keeps failing is parked as a dead letter
(:meth:`~aftersales.storage.SubscriptionStore.park`) and the subscription
moves on; :meth:`Subscription.replay` delivers a dead letter again when an
operator has fixed the cause. Checkpoints, leases and dead letters are kept
in the store's own database (:class:`~aftersales.storage.SubscriptionStore`).

Subscriptions with different names run independently. Two copies of one
subscription (two processes, two hosts) never deliver at the same time: a
copy delivers only while it holds the name's lease, which it renews as it
goes; the other waits, and takes over when the lease ends (a copy killed
mid-way) or is released. Keep the lease longer than the slowest handler call.

:meth:`Subscription.run` is the loop: it polls the feed every
``poll_interval`` seconds, or on PostgreSQL waits for the ``NOTIFY`` a
transaction that stores events sends (:class:`~aftersales.storage.FeedSignal`),
so it wakes at once. ``aftersales subscribe`` runs one from the command line.

Example:
    >>> from aftersales.storage import SQLiteStore
    >>> from aftersales.testing.samples import sample_ticket
    >>> store = SQLiteStore(":memory:")
    >>> store.save(sample_ticket(), expected_version=0)
    >>> seen = []
    >>> subscription = Subscription(store, "audit", lambda p, e: seen.append((p, e.type)))
    >>> subscription.run(until_idle=True)
    9
    >>> seen[:2], store.checkpoint("audit")
    ([(1, 'ticket_opened'), (2, 'acknowledged')], 9)
    >>> subscription.run(until_idle=True)  # nothing new: nothing delivered again
    0
"""

from __future__ import annotations

import logging
import os
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any, Protocol

import attrs
import pendulum

from aftersales import _checks as check
from aftersales.errors import InvalidData, NotFound
from aftersales.model.events import TicketEvent
from aftersales.storage.ports.feed import FEED_LIMIT, EventFeed, FeedSignal
from aftersales.storage.ports.subscriptions import (
    LONGEST_LEASE,
    LeaseLost,
    SubscriptionStore,
    check_name_and_position,
)
from aftersales.time import Clock

__all__ = ["BatchHandler", "Handler", "Retry", "SubscribedStore", "Subscription", "default_owner"]

_log = logging.getLogger("aftersales.subscriptions")

#: ``handler(position, event)``: the host's work for one event; raising means "not done".
Handler = Callable[[int, TicketEvent], None]
#: ``handler(batch)``: the same for a batch of ``(position, event)`` pairs, all or nothing.
BatchHandler = Callable[[Sequence[tuple[int, TicketEvent]]], None]


class SubscribedStore(EventFeed, SubscriptionStore, Protocol):
    """A store a subscription runs on: its event feed and its subscriptions' checkpoints."""


@attrs.frozen(slots=True)
class Retry:
    """How often an event is delivered before it is parked, and the pauses between deliveries.

    The pause after the ``n``-th failure is ``base_delay × 2^(n−1)``, at most
    ``max_delay``.

    Example:
        >>> retry = Retry(attempts=5, base_delay=timedelta(seconds=1), max_delay=timedelta(seconds=5))
        >>> [retry.pause(n) for n in range(1, 5)]
        [1.0, 2.0, 4.0, 5.0]
    """

    attempts: int = 5
    base_delay: timedelta = timedelta(seconds=1)
    max_delay: timedelta = timedelta(minutes=5)

    def __attrs_post_init__(self) -> None:
        check.run_checks_on(
            {
                "attempts": (self.attempts, check.integer(1, 1000)),
                "base_delay": (self.base_delay, check.duration(timedelta(0), timedelta(hours=1))),
                "max_delay": (self.max_delay, check.duration(timedelta(0), timedelta(days=1))),
            }
        )

    def pause(self, failures: int) -> float:
        """Seconds to wait after the ``failures``-th failed delivery of an event."""
        doubled = self.base_delay.total_seconds() * float(2 ** min(failures - 1, 60))
        return min(doubled, self.max_delay.total_seconds())


def default_owner() -> str:
    """This process's name as a lease owner: host, process id and a random part.

    Example:
        >>> owner = default_owner()
        >>> str(os.getpid()) in owner, len(owner) <= 64
        (True, True)
    """
    host = re.sub(r"[^A-Za-z0-9_.:-]", "-", socket.gethostname())[:32] or "host"
    return f"{host}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class _LeaseGone(Exception):
    """The lease ended under a running batch: stop delivering."""


class Subscription:
    """A named reader of the event feed that feeds the host's handler, at least once.

    Args:
        store: a store with an event feed and subscription checkpoints
            (``MemoryStore``, ``SQLiteStore``, ``PostgresStore``).
        name: the subscription's name (an id); its checkpoint and dead letters
            are kept under it.
        handler: ``handler(position, event)``, or with ``batched=True``
            ``handler(batch)`` for a list of ``(position, event)`` pairs (a
            failing batch is then delivered again event by event, so only the
            failing events are parked).
        batch: events read per batch, 1 to 10,000.
        lease: how long a claim lasts without renewal; renewed as the
            subscription goes, so another copy takes over within ``lease`` of
            this one dying.
        retry: attempts and pauses before an event is parked.
        poll_interval: seconds :meth:`run` waits when the feed has nothing new
            (on PostgreSQL it is woken at once by a commit).
        owner: this copy's name on the lease (default: :func:`default_owner`).
        clock: the clock leases are measured on (default: the system clock).
        sleep: how to pause between deliveries (tests inject a recorder).

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> from aftersales.testing.samples import sample_ticket
        >>> store = MemoryStore()
        >>> store.save(sample_ticket(), expected_version=0)
        >>> batches = []
        >>> subscription = Subscription(store, "bi", batches.append, batched=True, batch=4)
        >>> subscription.run(until_idle=True), [len(b) for b in batches]
        (9, [4, 4, 1])
    """

    def __init__(
        self,
        store: SubscribedStore,
        name: str,
        handler: Handler | BatchHandler,
        *,
        batched: bool = False,
        batch: int = 100,
        lease: timedelta = timedelta(seconds=30),
        retry: Retry | None = None,
        poll_interval: float = 1.0,
        owner: str | None = None,
        clock: Clock | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        check.run_checks_on(
            {
                "store": (
                    store,
                    check.protocol(EventFeed, "a store with an event feed (events_since)"),
                ),
                "name": (name, check.identifier),
                "handler": (handler, check.function("handler(position, event)")),
                "batched": (batched, check.flag),
                "batch": (batch, check.integer(1, FEED_LIMIT)),
                "lease": (lease, check.duration(timedelta(seconds=1), LONGEST_LEASE)),
                "retry": (retry, check.optional(check.instance_of(Retry))),
                "poll_interval": (poll_interval, check.seconds(0, 3600)),
                "owner": (owner, check.optional(check.identifier)),
                "sleep": (sleep, check.function("sleep(seconds)")),
            }
        )
        if not isinstance(store, SubscriptionStore):
            message = (
                f"{type(store).__name__} keeps no subscription checkpoints; accepted: a store"
                " with claim, advance and park (MemoryStore, SQLiteStore, PostgresStore)"
            )
            raise InvalidData(f"store: {message}", problems=[("store", message)])
        self.store = store
        self.name = name
        self.handler = handler
        self.batched = batched
        self.batch = batch
        self.lease = lease
        self.retry = Retry() if retry is None else retry
        self.poll_interval = poll_interval
        self.owner = default_owner() if owner is None else owner
        self.clock = clock
        self.sleep = sleep
        self._renewed: float | None = None  # when the lease was last claimed (seconds)

    def __repr__(self) -> str:
        return f"Subscription({self.name!r}, owner={self.owner!r})"

    # -- time and the lease ------------------------------------------------------------------

    def _now(self) -> pendulum.DateTime:
        return pendulum.now("UTC") if self.clock is None else self.clock.now()

    def _claim(self) -> int | None:
        at = self._now()
        checkpoint = self.store.claim(self.name, self.owner, lease=self.lease, at=at)
        self._renewed = None if checkpoint is None else at.timestamp()
        return checkpoint

    def _keep_lease(self) -> None:
        """Renew the lease when a third of it has passed; :class:`_LeaseGone` when it was lost."""
        if self._renewed is None:
            raise _LeaseGone
        due = self._now().timestamp() - self._renewed >= self.lease.total_seconds() / 3
        if due and self._claim() is None:
            raise _LeaseGone

    def release(self) -> None:
        """Give the lease up, so that another copy may take over at once."""
        if self._renewed is not None:
            self.store.release(self.name, self.owner)
            self._renewed = None

    # -- delivery ------------------------------------------------------------------------------

    def process_batch(self) -> int | None:
        """Deliver one batch after the checkpoint; the events done (delivered or parked).

        ``None`` when another copy holds the lease (nothing delivered).
        """
        checkpoint = self._claim()
        if checkpoint is None:
            return None
        events = self.store.events_since(checkpoint, limit=self.batch)
        done = 0
        try:
            if self.batched and events:
                done = self._deliver_batch(events)
            else:
                for position, event in events:
                    self._deliver(position, event)
                    done += 1
        except (_LeaseGone, LeaseLost):
            _log.warning("subscription %r: the lease of %s was lost", self.name, self.owner)
            self._renewed = None
        return done

    def _attempt(self, position: int, call: Callable[[], None]) -> tuple[bool, int, str]:
        """Call ``call`` until it returns or the retries run out: (done, failures, last error)."""
        failures = 0
        while True:
            self._keep_lease()
            try:
                call()
            except Exception as error:  # the host's failure, whatever it is
                failures += 1
                _log.warning(
                    "subscription %r: delivery %d of position %d failed (%s)",
                    self.name,
                    failures,
                    position,
                    type(error).__name__,
                )
                if failures >= self.retry.attempts:
                    return False, failures, f"{type(error).__name__}: {error}"
                self.sleep(self.retry.pause(failures))
            else:
                return True, failures, ""

    def _deliver(self, position: int, event: TicketEvent) -> None:
        handler: Any = self.handler
        if self.batched:
            done, failures, error = self._attempt(position, lambda: handler([(position, event)]))
        else:
            done, failures, error = self._attempt(position, lambda: handler(position, event))
        if not done:
            self.store.park(self.name, position, error, failures)
            _log.error(
                "subscription %r: position %d parked after %d failed deliveries",
                self.name,
                position,
                failures,
            )
        self.store.advance(self.name, self.owner, position, at=self._now())

    def _deliver_batch(self, events: list[tuple[int, TicketEvent]]) -> int:
        handler: Any = self.handler
        done, _, _ = self._attempt(events[0][0], lambda: handler(events))
        if done:
            self.store.advance(self.name, self.owner, events[-1][0], at=self._now())
            return len(events)
        for position, event in events:  # one by one: only the failing events are parked
            self._deliver(position, event)
        return len(events)

    # -- the loop ------------------------------------------------------------------------------

    def run(self, *, until_idle: bool = False, stop: threading.Event | None = None) -> int:
        """Deliver batch after batch; the number of events done. Releases the lease at the end.

        Runs until ``stop`` is set, or with ``until_idle`` until the feed has
        nothing after the checkpoint (or another copy holds the lease). Between
        empty reads it waits ``poll_interval`` seconds, or for a commit on a
        store that signals them (:class:`~aftersales.storage.FeedSignal`).
        """
        signal = self.store if isinstance(self.store, FeedSignal) else None
        if signal is not None:
            signal.wait_for_events(0)  # listen before the first read: no commit slips by
        total = 0
        try:
            while stop is None or not stop.is_set():
                done = self.process_batch()
                total += done or 0
                if done:
                    continue
                if until_idle:
                    break
                if signal is not None:
                    signal.wait_for_events(self.poll_interval)
                elif stop is not None:
                    stop.wait(self.poll_interval)
                else:
                    time.sleep(self.poll_interval)
        finally:
            self.release()
        return total

    def replay(self, position: int) -> None:
        """Deliver the dead letter at ``position`` again; forget it once the handler returns.

        ``NotFound`` when no dead letter is kept at ``position``; the
        handler's error (the letter kept) when it fails again.
        """
        check_name_and_position(self.name, position)
        if all(letter.position != position for letter in self.store.dead_letters(self.name)):
            raise NotFound(f"dead letter of subscription {self.name!r}", position)
        [(found, event)] = self.store.events_since(position - 1, limit=1)
        handler: Any = self.handler
        if self.batched:
            handler([(found, event)])
        else:
            handler(found, event)
        self.store.discard(self.name, position)
