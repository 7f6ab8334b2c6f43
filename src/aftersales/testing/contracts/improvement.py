"""The contract of a root-cause and improvement-action store.

Subclass :class:`ImprovementStoreContract` in a test module (name the
subclass ``Test…``) and give it a ``make_store()`` returning a new, empty
:class:`~aftersales.storage.ImprovementStore` each call.

This module imports pytest; the rest of ``aftersales`` does not.

Example:
    >>> from aftersales.storage import MemoryImprovementStore
    >>> class TestMemory(ImprovementStoreContract):
    ...     def make_store(self):
    ...         return MemoryImprovementStore()
    >>> TestMemory().make_store().find_root_causes()
    []
"""

from __future__ import annotations

import pytest

from aftersales.errors import ConcurrencyError, DuplicateId, NotFound
from aftersales.improvement.lifecycle import ActionStatus
from aftersales.testing.contracts.builders import RECORDS_BASE, make_action, make_root_cause
from aftersales.testing.contracts.fixtures import StoreUnderTest

__all__ = ["ImprovementStoreContract"]


class ImprovementStoreContract(StoreUnderTest):
    """What every :class:`~aftersales.storage.ImprovementStore` must do.

    Example:
        >>> from aftersales.storage import MemoryImprovementStore
        >>> class TestMemory(ImprovementStoreContract):
        ...     def make_store(self):
        ...         return MemoryImprovementStore()
        >>> TestMemory().make_store().find_actions()
        []
    """

    def test_root_cause_round_trip_and_query_by_ticket(self) -> None:
        store = self.make_store()
        store.save_root_cause(make_root_cause("RC-1", "T1", "T2"))
        store.save_root_cause(make_root_cause("RC-2", "T2", department="产品部"))
        assert store.get_root_cause("RC-1") == make_root_cause("RC-1", "T1", "T2")
        assert [c.id for c in store.find_root_causes(ticket_id="T2")] == ["RC-1", "RC-2"]
        assert [c.id for c in store.find_root_causes(ticket_id="T1")] == ["RC-1"]
        assert store.find_root_causes(ticket_id="T9") == []
        assert [c.id for c in store.find_root_causes(department="产品部")] == ["RC-2"]
        both = store.find_root_causes(department="产品部", ticket_id="T2")
        assert [c.id for c in both] == ["RC-2"]
        assert store.find_root_causes(department="产品部", ticket_id="T1") == []

    def test_saving_a_root_cause_again_replaces_it(self) -> None:
        store = self.make_store()
        store.save_root_cause(make_root_cause("RC-1", "T1"))
        store.save_root_cause(make_root_cause("RC-1", "T1").link("T3"))
        assert store.get_root_cause("RC-1").ticket_ids == ("T1", "T3")
        assert [c.id for c in store.find_root_causes(ticket_id="T3")] == ["RC-1"]

    def test_missing_root_cause_is_not_found(self) -> None:
        with pytest.raises(NotFound):
            self.make_store().get_root_cause("RC-404")

    def test_actions_with_optimistic_concurrency(self) -> None:
        store = self.make_store()
        action = make_action()
        store.save_action(action, expected_version=0)
        with pytest.raises(DuplicateId):
            store.save_action(action, expected_version=0)
        started = action.start(by="赵经理", at=RECORDS_BASE.add(days=1))
        store.save_action(started, expected_version=1)
        stale = action.drop(by="王经理", at=RECORDS_BASE.add(days=1), reason="合并到其他措施")
        with pytest.raises(ConcurrencyError):
            store.save_action(stale, expected_version=1)
        assert store.get_action("IA-1") == started

    def test_action_filters_and_order(self) -> None:
        store = self.make_store()
        store.save_action(make_action("IA-1", days=10), expected_version=0)
        store.save_action(make_action("IA-2", days=5, cause_id="RC-2"), expected_version=0)
        done = (
            make_action("IA-3", days=1)
            .start(by="o", at=RECORDS_BASE)
            .complete(by="o", at=RECORDS_BASE)
        )
        store.save_action(done, expected_version=0)
        assert [a.id for a in store.find_actions()] == ["IA-3", "IA-2", "IA-1"]
        assert [a.id for a in store.find_actions(open_only=True)] == ["IA-2", "IA-1"]
        assert [a.id for a in store.find_actions(status=ActionStatus.DONE)] == ["IA-3"]
        assert [a.id for a in store.find_actions(cause_id="RC-2")] == ["IA-2"]
        with pytest.raises(NotFound):
            store.get_action("IA-404")
