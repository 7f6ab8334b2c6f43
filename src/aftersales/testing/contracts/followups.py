"""The contract of a follow-up store.

Subclass :class:`FollowUpStoreContract` in a test module (name the subclass
``Test…``) and give it a ``make_store()`` returning a new, empty
:class:`~aftersales.storage.FollowUpStore` each call.

This module imports pytest; the rest of ``aftersales`` does not.

Example:
    >>> from aftersales.storage import MemoryFollowUpStore
    >>> class TestMemory(FollowUpStoreContract):
    ...     def make_store(self):
    ...         return MemoryFollowUpStore()
    >>> TestMemory().make_store().find_followups(open_only=True)
    []
"""

from __future__ import annotations

import pytest

from aftersales.errors import ConcurrencyError, DuplicateId, NotFound
from aftersales.followup.tasks import FollowUpOutcome, FollowUpRecord
from aftersales.testing.contracts.builders import RECORDS_BASE, make_followup
from aftersales.testing.contracts.fixtures import StoreUnderTest

__all__ = ["FollowUpStoreContract"]


class FollowUpStoreContract(StoreUnderTest):
    """What every :class:`~aftersales.storage.FollowUpStore` must do.

    Example:
        >>> from aftersales.storage import MemoryFollowUpStore
        >>> class TestMemory(FollowUpStoreContract):
        ...     def make_store(self):
        ...         return MemoryFollowUpStore()
        >>> TestMemory().make_store().find_followups()
        []
    """

    def test_add_query_and_record(self) -> None:
        store = self.make_store()
        for task_id, days, customer in (("FU-b", 7, "C1"), ("FU-a", 30, "C2"), ("FU-c", 7, "C1")):
            store.save_followup(make_followup(task_id, days, customer), expected_version=0)
        with pytest.raises(DuplicateId):
            store.save_followup(make_followup("FU-a", 1), expected_version=0)
        assert [t.id for t in store.find_followups()] == ["FU-b", "FU-c", "FU-a"]
        assert [t.id for t in store.find_followups(customer_id="C2")] == ["FU-a"]
        assert [t.id for t in store.find_followups(due_before=RECORDS_BASE.add(days=7))] == [
            "FU-b",
            "FU-c",
        ]
        record = FollowUpRecord(
            at=RECORDS_BASE.add(days=8), by="回访专员", outcome=FollowUpOutcome.SATISFIED
        )
        done = store.get_followup("FU-b").with_record(record)
        store.save_followup(done, expected_version=1)
        assert store.get_followup("FU-b") == done
        assert [t.id for t in store.find_followups(open_only=True)] == ["FU-c", "FU-a"]
        with pytest.raises(ConcurrencyError):
            store.save_followup(done, expected_version=1)
        with pytest.raises(NotFound):
            store.get_followup("FU-zzz")
