"""Storage port of the event feed: every stored event at a global position, in commit order.

Part of :mod:`aftersales.storage.ports` (imports the domain only). A store
that keeps the feed gives each event it stores a position: 1 for the first,
then increasing by one without gaps, in the order the writes committed. So
``events_since(0)`` reads the feed from its beginning, ``events_since(p)``
returns the events after ``p``, and a reader that remembers the last position
it read (a checkpoint) never skips an event that commits later: a write that
is refused or rolled back gives its positions back. Each ticket's events
keep their ``seq`` order. Subscriptions
(:mod:`aftersales.service.subscriptions`) read it from a stored checkpoint.

Example:
    >>> from aftersales.storage import MemoryStore, SQLiteStore
    >>> from aftersales.testing.samples import sample_ticket
    >>> store = SQLiteStore(":memory:")
    >>> isinstance(store, EventFeed), isinstance(MemoryStore(), EventFeed)
    (True, True)
    >>> store.save(sample_ticket(), expected_version=0)
    >>> [(position, event.seq) for position, event in store.events_since(0, limit=3)]
    [(1, 1), (2, 2), (3, 3)]
"""

from __future__ import annotations

from typing import Final, Protocol, cast, runtime_checkable

from aftersales._shown import shown
from aftersales.errors import InvalidData
from aftersales.model.events import TicketEvent

__all__ = ["FEED_LIMIT", "MAX_POSITION", "EventFeed", "FeedSignal", "check_feed_request"]

#: The most events one ``events_since`` call returns.
FEED_LIMIT: Final = 10_000
#: The largest position a feed holds (a signed 64-bit integer, ``BIGINT``).
MAX_POSITION: Final = 2**63 - 1


@runtime_checkable
class EventFeed(Protocol):
    """The stored events, each at its global position (1, 2, 3 … in commit order).

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> from aftersales.testing.samples import sample_ticket
        >>> store = MemoryStore()
        >>> store.feed_head(), store.events_since(0)
        (0, [])
        >>> store.save(sample_ticket(), expected_version=0)
        >>> store.feed_head() == len(store.events_since(0)) == len(sample_ticket().history)
        True
    """

    def events_since(self, position: int, *, limit: int = 1000) -> list[tuple[int, TicketEvent]]:
        """The ``(position, event)`` pairs after ``position``, at most ``limit``, by position.

        ``position`` 0 reads from the beginning; a position past the head
        returns ``[]``. ``InvalidData`` naming ``position`` (an integer from 0)
        or ``limit`` (an integer from 1 to :data:`FEED_LIMIT`) otherwise.
        """
        ...

    def feed_head(self) -> int:
        """The position of the last event committed (0 for an empty feed)."""
        ...


@runtime_checkable
class FeedSignal(Protocol):
    """A store that can wake a reader when events commit, instead of being polled.

    :class:`~aftersales.storage.postgres.PostgresStore` provides it with
    ``LISTEN``/``NOTIFY``; a subscription on a store without it polls.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> isinstance(SQLiteStore(":memory:"), FeedSignal)
        False
    """

    def wait_for_events(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for a commit that stored events; whether one came."""
        ...


def check_feed_request(position: object, limit: object) -> tuple[int, int]:
    """``events_since``'s arguments, checked as every adapter checks them before reading.

    Example:
        >>> check_feed_request(0, 500)
        (0, 500)
        >>> check_feed_request(-1, 0)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: 2 invalid values:
          position: -1 is out of range; accepted: an integer from 0 (the feed's beginning) to 9223372036854775807
          limit: 0 is out of range; accepted: an integer from 1 to 10000
    """
    problems: list[tuple[str, str]] = []
    for name, value, low, high, note in (
        ("position", position, 0, MAX_POSITION, " (the feed's beginning)"),
        ("limit", limit, 1, FEED_LIMIT, ""),
    ):
        accepted = f"accepted: an integer from {low}{note} to {high}"
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append((name, f"{shown(value)} is not an integer; {accepted}"))
        elif not low <= value <= high:
            problems.append((name, f"{value} is out of range; {accepted}"))
    if problems:
        raise InvalidData.from_problems(problems)
    return cast(int, position), cast(int, limit)
