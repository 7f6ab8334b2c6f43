"""The event feed part of the storage contract: ``events_since`` and ``feed_head``.

:class:`EventFeedContract` is the suite of an
:class:`~aftersales.storage.EventFeed`: every event a store keeps is in the
feed once, at positions 1, 2, 3 … without gaps, in the order the writes
committed, each ticket's events in ``seq`` order; refused writes (a stale
version, a duplicate id, a unit of work that raises, a refused save inside a
unit) leave no trace and no gap; ``limit`` pages read the same sequence;
bad arguments are refused naming them. Its hypothesis test runs random
saves, ``save_many`` calls and units of work, some refused, and holds the
feed to what was written, step by step.

This module imports pytest and hypothesis; the rest of ``aftersales`` does not.

Example:
    >>> from aftersales.storage import MemoryStore
    >>> class TestMemoryFeed(EventFeedContract):
    ...     def make_store(self):
    ...         return MemoryStore()
    >>> TestMemoryFeed().make_store().feed_head()
    0
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from hypothesis import strategies as st

from aftersales.errors import ConcurrencyError, DuplicateId, InvalidData
from aftersales.model.events import NoteAdded, TicketEvent
from aftersales.model.ticket import Ticket
from aftersales.storage.ports.feed import FEED_LIMIT, EventFeed
from aftersales.storage.ports.records import Save
from aftersales.testing.contracts.builders import advance, build_ticket
from aftersales.testing.contracts.fixtures import StoreUnderTest, add_hypothesis_test

__all__ = ["EventFeedContract", "check_feed_blocks", "noted"]


def noted(ticket: Ticket, notes: int) -> Ticket:
    """``ticket`` with ``notes`` more ``NoteAdded`` events, a minute apart.

    Example:
        >>> noted(build_ticket("T1"), 2).version
        3
    """
    for number in range(notes):
        ticket = advance(ticket, NoteAdded, text=f"备注 {ticket.version + number}")
    return ticket


def _key(event: TicketEvent) -> tuple[str, int]:
    return (event.ticket_id, event.seq)


def check_feed_blocks(store: Any, blocks: Iterable[list[TicketEvent]]) -> None:
    """Assert that ``store``'s feed is exactly ``blocks``, one after the other, positions 1 … N.

    Each block is what one committed write stored: the feed holds its events
    together, in any order that keeps each ticket's ``seq`` order.

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> store = MemoryStore()
        >>> ticket = noted(build_ticket("T1"), 1)
        >>> store.save(ticket, expected_version=0)
        >>> check_feed_blocks(store, [list(ticket.history)])
    """
    feed = store.events_since(0, limit=FEED_LIMIT)
    assert [position for position, _ in feed] == list(range(1, len(feed) + 1))
    assert store.feed_head() == len(feed)
    start = 0
    for block in blocks:
        found = [event for _, event in feed[start : start + len(block)]]
        assert sorted(found, key=_key) == sorted(block, key=_key), (start, found, block)
        for ticket_id in {event.ticket_id for event in found}:
            seqs = [event.seq for event in found if event.ticket_id == ticket_id]
            assert seqs == sorted(seqs), (ticket_id, seqs)
        start += len(block)
    assert start == len(feed), f"{len(feed) - start} events in the feed that no write stored"


class EventFeedContract(StoreUnderTest):
    """The contract of :class:`~aftersales.storage.EventFeed`.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> class TestSQLiteFeed(EventFeedContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> isinstance(TestSQLiteFeed().make_store(), EventFeed)
        True
    """

    hypothesis_examples = 25

    def test_is_an_event_feed_and_starts_empty(self, store: Any) -> None:
        assert isinstance(store, EventFeed)
        assert store.feed_head() == 0
        assert store.events_since(0) == []

    def test_saves_are_numbered_from_one_in_commit_order(self, store: Any) -> None:
        first, second = noted(build_ticket("F1"), 2), build_ticket("F2", minutes=1)
        store.save(first, expected_version=0)
        store.save(second, expected_version=0)
        longer = noted(first, 1)
        store.save(longer, expected_version=first.version)
        feed = store.events_since(0)
        assert [(p, e.ticket_id, e.seq) for p, e in feed] == [
            (1, "F1", 1),
            (2, "F1", 2),
            (3, "F1", 3),
            (4, "F2", 1),
            (5, "F1", 4),
        ]
        assert [event for _, event in feed] == [*first.history, *second.history, longer.history[3]]
        assert store.feed_head() == 5

    def test_events_since_returns_the_events_after_a_position_up_to_the_limit(
        self, store: Any
    ) -> None:
        store.save(noted(build_ticket("F1"), 5), expected_version=0)
        assert [p for p, _ in store.events_since(2, limit=3)] == [3, 4, 5]
        assert [p for p, _ in store.events_since(4)] == [5, 6]
        assert store.events_since(6) == []
        assert store.events_since(1000) == []

    def test_refused_saves_leave_no_gap(self, store: Any) -> None:
        first = build_ticket("F1")
        store.save(first, expected_version=0)
        with pytest.raises(ConcurrencyError):
            store.save(noted(first, 2), expected_version=2)
        with pytest.raises(DuplicateId):
            store.save(first, expected_version=0)
        with pytest.raises(DuplicateId):
            store.save_many([build_ticket("F2"), first])
        second = build_ticket("F3", minutes=1)
        store.save(second, expected_version=0)
        check_feed_blocks(store, [list(first.history), list(second.history)])

    def test_a_unit_of_work_that_raises_stores_nothing_in_the_feed(self, store: Any) -> None:
        try:
            with store.unit_of_work() as uow:
                uow.save(noted(build_ticket("F1"), 1), expected_version=0)
                raise _Abandoned
        except _Abandoned:
            pass
        assert store.events_since(0) == []
        assert store.feed_head() == 0
        kept = build_ticket("F2")
        store.save(kept, expected_version=0)
        assert [(p, e.ticket_id) for p, e in store.events_since(0)] == [(1, "F2")]

    def test_a_refused_save_inside_a_unit_leaves_the_others_and_no_gap(self, store: Any) -> None:
        stored = build_ticket("F0")
        store.save(stored, expected_version=0)
        first, last = noted(build_ticket("F1"), 1), build_ticket("F3")
        with store.unit_of_work() as uow:
            uow.save(first, expected_version=0)
            with pytest.raises(ConcurrencyError):
                uow.save(noted(stored, 2), expected_version=2)
            uow.save(last, expected_version=0)
        check_feed_blocks(store, [list(stored.history), [*first.history, *last.history]])

    @pytest.mark.parametrize(
        ("position", "limit", "named"),
        [
            (-1, 10, "position"),
            ("0", 10, "position"),
            (True, 10, "position"),
            (None, 10, "position"),
            (0, 0, "limit"),
            (0, FEED_LIMIT + 1, "limit"),
            (0, 2.5, "limit"),
        ],
    )
    def test_bad_arguments_are_refused_naming_them(
        self, store: Any, position: Any, limit: Any, named: str
    ) -> None:
        with pytest.raises(InvalidData) as raised:
            store.events_since(position, limit=limit)
        assert [path for path, _ in raised.value.problems] == [named]
        assert "accepted: an integer from" in str(raised.value)

    # -- the model-based run ---------------------------------------------------------------

    def check_random_writes_match_the_feed(self, data: Any) -> None:
        store = self.make_store()
        try:
            self._random_writes(store, data)
        finally:
            self.dispose_store(store)

    def _random_writes(self, store: Any, data: Any) -> None:
        stored: dict[str, Ticket] = {}
        blocks: list[list[TicketEvent]] = []
        made = 0

        def fresh(notes: int) -> Ticket:
            nonlocal made
            made += 1
            return noted(build_ticket(f"R{made:03d}", minutes=made), notes)

        def pick() -> Ticket:
            return stored[data.draw(st.sampled_from(sorted(stored)))]

        steps = data.draw(st.lists(st.sampled_from(_STEPS), min_size=1, max_size=10))
        for step in steps:
            if step != "new" and not stored:
                step = "new"
            block: list[TicketEvent] = []
            if step == "new":
                ticket = fresh(data.draw(st.integers(0, 3)))
                store.save(ticket, expected_version=0)
                stored[ticket.id], block = ticket, list(ticket.history)
            elif step == "extend":
                before = pick()
                after = noted(before, data.draw(st.integers(1, 3)))
                store.save(after, expected_version=before.version)
                stored[after.id], block = after, list(after.history[before.version :])
            elif step == "stale":
                before = pick()
                with pytest.raises(ConcurrencyError):
                    store.save(noted(before, 2), expected_version=before.version + 1)
            elif step == "save_many":
                chosen = data.draw(st.sets(st.sampled_from(sorted(stored)), max_size=3))
                refused = data.draw(st.booleans())
                items = [Save(noted(stored[i], 1), stored[i].version) for i in sorted(chosen)]
                items += [Save(fresh(data.draw(st.integers(0, 2))))]
                if refused:
                    items.append(Save(items[-1].ticket))  # the same new ticket twice
                    with pytest.raises(DuplicateId):
                        store.save_many(items)
                else:
                    store.save_many(items)
                    for item in items:
                        previous = stored.get(item.ticket.id)
                        block += item.ticket.history[0 if previous is None else previous.version :]
                        stored[item.ticket.id] = item.ticket
            else:  # a unit of work, with a refused save inside, or raising at its end
                raising = step == "unit_raises"
                new = fresh(1)
                extended = pick()
                longer = noted(extended, 1)
                try:
                    with store.unit_of_work() as uow:
                        uow.save(new, expected_version=0)
                        with pytest.raises(ConcurrencyError):
                            uow.save(noted(extended, 2), expected_version=extended.version + 1)
                        uow.save(longer, expected_version=extended.version)
                        if raising:
                            raise _Abandoned
                except _Abandoned:
                    pass
                else:
                    block = [*new.history, longer.history[-1]]
                    stored[new.id], stored[longer.id] = new, longer
            if block:
                blocks.append(block)
            check_feed_blocks(store, blocks)
        head = store.feed_head()
        limit = data.draw(st.integers(1, max(1, head)))
        paged: list[tuple[int, TicketEvent]] = []
        while page := store.events_since(paged[-1][0] if paged else 0, limit=limit):
            assert len(page) <= limit
            paged += page
        assert paged == store.events_since(0, limit=FEED_LIMIT)


class _Abandoned(Exception):
    """Raised inside a unit of work to abandon it."""


_STEPS = ("new", "extend", "stale", "save_many", "unit", "unit_raises")

add_hypothesis_test(
    EventFeedContract, "test_random_writes_match_the_feed", "check_random_writes_match_the_feed"
)
