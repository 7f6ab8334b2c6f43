"""The installed base part of the storage contract: ``save_installed_base`` and ``find_installed_base``.

:class:`InstalledBaseStoreContract` is the suite of a
:class:`~aftersales.storage.InstalledBaseStore`: saved units are read back in
product model order; a save sets the models it names and leaves the others;
a bad entry refuses the whole save, naming every bad entry, and writes
nothing. Its hypothesis test holds random saves to a reference dictionary.

This module imports pytest and hypothesis; the rest of ``aftersales`` does not.

Example:
    >>> from aftersales.storage import MemoryStore
    >>> class TestMemoryInstalledBase(InstalledBaseStoreContract):
    ...     def make_store(self):
    ...         return MemoryStore()
    >>> TestMemoryInstalledBase().make_store().find_installed_base()
    {}
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import strategies as st

from aftersales.errors import InvalidData
from aftersales.storage.ports.installed_base import InstalledBaseStore
from aftersales.testing.contracts.fixtures import StoreUnderTest, add_hypothesis_test

__all__ = ["InstalledBaseStoreContract"]

_MODELS = ("A型智能办公设备", "B型扫地机器人", "Z-100", "b-100")


class InstalledBaseStoreContract(StoreUnderTest):
    """The contract of :class:`~aftersales.storage.InstalledBaseStore`.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> class TestSQLiteInstalledBase(InstalledBaseStoreContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> isinstance(TestSQLiteInstalledBase().make_store(), InstalledBaseStore)
        True
    """

    hypothesis_examples = 20

    def test_is_an_installed_base_store_and_starts_empty(self, store: Any) -> None:
        assert isinstance(store, InstalledBaseStore)
        assert store.find_installed_base() == {}

    def test_units_are_read_back_in_model_order(self, store: Any) -> None:
        store.save_installed_base({"Z-100": 7, "B型扫地机器人": 1500, "b-100": 0, "A-1": 2**31 - 1})
        found = store.find_installed_base()
        assert found == {"A-1": 2**31 - 1, "B型扫地机器人": 1500, "Z-100": 7, "b-100": 0}
        assert list(found) == ["A-1", "B型扫地机器人", "Z-100", "b-100"]  # code point order

    def test_a_save_sets_the_models_it_names_and_keeps_the_others(self, store: Any) -> None:
        store.save_installed_base({"A-1": 10, "B-2": 20})
        store.save_installed_base({"B-2": 25, "C-3": 30})
        store.save_installed_base({})
        assert store.find_installed_base() == {"A-1": 10, "B-2": 25, "C-3": 30}

    @pytest.mark.parametrize(
        ("units", "paths"),  # the start of each bad entry's path, in order
        [
            ({"A-1": -1}, ["units['A-1']"]),
            ({"A-1": 1.5}, ["units['A-1']"]),
            ({"A-1": True}, ["units['A-1']"]),
            ({"A-1": 2**31}, ["units['A-1']"]),
            ({" ": 3, "A-1": "10"}, ["units[' ']", "units['A-1']"]),
            ({"长" * 201: 3}, ["units['长长长"]),
            ([("A-1", 10)], ["units"]),
        ],
    )
    def test_a_bad_entry_refuses_the_whole_save_and_nothing_is_written(
        self, store: Any, units: Any, paths: list[str]
    ) -> None:
        store.save_installed_base({"A-1": 10})
        good_and_bad = {"B-2": 5, **units} if isinstance(units, dict) else units
        with pytest.raises(InvalidData) as raised:
            store.save_installed_base(good_and_bad)
        found = [path for path, _ in raised.value.problems]
        assert len(found) == len(paths)
        assert all(path.startswith(wanted) for path, wanted in zip(found, paths, strict=True))
        assert store.find_installed_base() == {"A-1": 10}

    def check_saves_match_a_reference(self, data: Any) -> None:
        store = self.make_store()
        try:
            reference: dict[str, int] = {}
            saves = data.draw(
                st.lists(
                    st.dictionaries(st.sampled_from(_MODELS), st.integers(0, 2**31 - 1)),
                    max_size=6,
                )
            )
            for units in saves:
                store.save_installed_base(units)
                reference.update(units)
                assert store.find_installed_base() == {m: reference[m] for m in sorted(reference)}
        finally:
            self.dispose_store(store)


add_hypothesis_test(
    InstalledBaseStoreContract, "test_saves_match_a_reference", "check_saves_match_a_reference"
)
