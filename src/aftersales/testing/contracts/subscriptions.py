"""The subscriptions part of the storage contract: checkpoints, leases and dead letters.

:class:`SubscriptionStoreContract` is the suite of a
:class:`~aftersales.storage.SubscriptionStore`: a new name starts at
checkpoint 0; one owner at a time holds a name's lease, until it ends or is
released; only that owner advances the checkpoint, never backwards; names are
independent; dead letters are kept by position, replaced when parked again,
and discarded one by one; refusals write nothing. Its hypothesis test holds
random claims, advances and releases, by several owners at moving instants,
to a reference model.

This module imports pytest and hypothesis; the rest of ``aftersales`` does not.

Example:
    >>> from aftersales.storage import MemoryStore
    >>> class TestMemorySubscriptions(SubscriptionStoreContract):
    ...     def make_store(self):
    ...         return MemoryStore()
    >>> TestMemorySubscriptions().make_store().checkpoint("notices")
    0
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pendulum
import pytest
from hypothesis import strategies as st

from aftersales.errors import InvalidData, NotFound
from aftersales.storage.ports.subscriptions import LeaseLost, SubscriptionStore
from aftersales.testing.contracts.fixtures import StoreUnderTest, add_hypothesis_test

__all__ = ["SubscriptionStoreContract"]

#: The instant the suite's leases are measured from.
T0 = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")
LEASE = timedelta(seconds=30)


class SubscriptionStoreContract(StoreUnderTest):
    """The contract of :class:`~aftersales.storage.SubscriptionStore`.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> class TestSQLiteSubscriptions(SubscriptionStoreContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> isinstance(TestSQLiteSubscriptions().make_store(), SubscriptionStore)
        True
    """

    hypothesis_examples = 25

    def test_a_new_name_starts_at_zero_with_no_dead_letters(self, store: Any) -> None:
        assert isinstance(store, SubscriptionStore)
        assert store.checkpoint("notices") == 0
        assert store.dead_letters("notices") == []
        assert store.claim("notices", "w1", lease=LEASE, at=T0) == 0

    def test_one_owner_holds_the_lease_until_it_ends(self, store: Any) -> None:
        assert store.claim("notices", "w1", lease=LEASE, at=T0) == 0
        store.advance("notices", "w1", 5, at=T0.add(seconds=1))
        assert store.claim("notices", "w2", lease=LEASE, at=T0.add(seconds=29)) is None
        assert store.claim("notices", "w1", lease=LEASE, at=T0.add(seconds=29)) == 5  # renewed
        assert store.claim("notices", "w2", lease=LEASE, at=T0.add(seconds=58)) is None
        assert store.claim("notices", "w2", lease=LEASE, at=T0.add(seconds=59)) == 5
        with pytest.raises(LeaseLost) as raised:
            store.advance("notices", "w1", 9, at=T0.add(seconds=60))
        assert "'notices'" in str(raised.value)
        assert "'w1'" in str(raised.value)
        assert store.checkpoint("notices") == 5

    def test_release_lets_another_owner_claim_at_once(self, store: Any) -> None:
        store.claim("notices", "w1", lease=LEASE, at=T0)
        store.release("notices", "w2")  # not its lease: nothing happens
        assert store.claim("notices", "w2", lease=LEASE, at=T0) is None
        store.release("notices", "w1")
        assert store.claim("notices", "w2", lease=LEASE, at=T0) == 0
        with pytest.raises(LeaseLost):
            store.advance("notices", "w1", 1, at=T0)

    def test_the_checkpoint_never_moves_back(self, store: Any) -> None:
        store.claim("notices", "w1", lease=LEASE, at=T0)
        store.advance("notices", "w1", 7, at=T0)
        store.advance("notices", "w1", 7, at=T0)
        with pytest.raises(InvalidData, match="6 is before the checkpoint 7"):
            store.advance("notices", "w1", 6, at=T0)
        assert store.checkpoint("notices") == 7

    def test_an_unclaimed_name_cannot_advance(self, store: Any) -> None:
        with pytest.raises(LeaseLost):
            store.advance("never", "w1", 1, at=T0)
        assert store.checkpoint("never") == 0

    def test_names_are_independent(self, store: Any) -> None:
        assert store.claim("notices", "w1", lease=LEASE, at=T0) == 0
        assert store.claim("bi-export", "w2", lease=LEASE, at=T0) == 0
        store.advance("notices", "w1", 3, at=T0)
        store.park("notices", 2, "TimeoutError: smtp", 5)
        assert store.checkpoint("bi-export") == 0
        assert store.dead_letters("bi-export") == []

    def test_dead_letters_are_kept_replaced_and_discarded(self, store: Any) -> None:
        store.park("notices", 9, "ValueError: first", 3)
        store.park("notices", 4, "TimeoutError: smtp", 5)
        store.park("notices", 9, "ValueError: again", 6)
        letters = store.dead_letters("notices")
        assert [(d.name, d.position, d.error, d.attempts) for d in letters] == [
            ("notices", 4, "TimeoutError: smtp", 5),
            ("notices", 9, "ValueError: again", 6),
        ]
        assert all(d.parked_at.tzinfo is not None for d in letters)
        store.discard("notices", 4)
        assert [d.position for d in store.dead_letters("notices")] == [9]
        with pytest.raises(NotFound):
            store.discard("notices", 4)
        assert [d.position for d in store.dead_letters("notices")] == [9]

    def test_a_long_error_is_cut(self, store: Any) -> None:
        store.park("notices", 1, "E" * 50_000, 1)
        [letter] = store.dead_letters("notices")
        assert len(letter.error) == 2000
        assert letter.error.endswith("… (cut)")

    @pytest.mark.parametrize(
        ("call", "named"),
        [
            (lambda s: s.claim("no spaces", "w1", lease=LEASE), "name"),
            (lambda s: s.claim("notices", "", lease=LEASE), "owner"),
            (lambda s: s.claim("notices", "w1", lease=timedelta(0)), "lease"),
            (lambda s: s.claim("notices", "w1", lease=30), "lease"),
            (lambda s: s.claim("notices", "w1", lease=LEASE, at=T0.naive()), "at"),
            (lambda s: s.advance("notices", "w1", -1), "position"),
            (lambda s: s.advance("notices", "w1", "7"), "position"),
            (lambda s: s.park("notices", 1, "boom", 0), "attempts"),
            (lambda s: s.park("notices", 1, None, 1), "error"),
            (lambda s: s.discard("notices", 1.5), "position"),
        ],
    )
    def test_bad_arguments_are_refused_naming_them(self, store: Any, call: Any, named: str) -> None:
        with pytest.raises(InvalidData) as raised:
            call(store)
        assert named in dict(raised.value.problems)
        assert store.checkpoint("notices") == 0
        assert store.dead_letters("notices") == []
        assert store.claim("notices", "w9", lease=LEASE, at=T0) == 0  # nobody holds it

    # -- the model-based run ---------------------------------------------------------------

    def check_leases_match_a_reference(self, data: Any) -> None:
        store = self.make_store()
        try:
            # name -> [checkpoint, owner, lease end in seconds after T0]
            model: dict[str, list[Any]] = {}
            now = 0
            for _ in range(data.draw(st.integers(1, 12))):
                now += data.draw(st.integers(0, 40))
                at = T0.add(seconds=now)
                name = data.draw(st.sampled_from(("a", "b")))
                owner = data.draw(st.sampled_from(("w1", "w2", "w3")))
                row = model.setdefault(name, [0, None, 0])
                held = row[1] is not None and row[1] != owner and row[2] > now
                action = data.draw(st.sampled_from(("claim", "advance", "release")))
                if action == "claim":
                    got = store.claim(name, owner, lease=LEASE, at=at)
                    if held:
                        assert got is None
                    else:
                        assert got == row[0]
                        row[1], row[2] = owner, now + 30
                elif action == "advance":
                    position = row[0] + data.draw(st.integers(0, 5))
                    if row[1] == owner and row[2] > now:
                        store.advance(name, owner, position, at=at)
                        row[0] = position
                    else:
                        with pytest.raises(LeaseLost):
                            store.advance(name, owner, position, at=at)
                else:
                    store.release(name, owner)
                    if row[1] == owner:
                        row[1], row[2] = None, 0
                assert store.checkpoint(name) == row[0]
        finally:
            self.dispose_store(store)


add_hypothesis_test(
    SubscriptionStoreContract, "test_leases_match_a_reference", "check_leases_match_a_reference"
)
