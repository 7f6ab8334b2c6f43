"""The SLA policy part of the storage contract: ``adopt_policy``, ``policy_versions``, ``policy_in_force``.

:class:`PolicyStoreContract` is the suite of a
:class:`~aftersales.storage.ports.PolicyStore`: adopted documents are read
back equal under versions 1, 2, … in adoption order, with their instants and
notes; the version in force at an instant is the one taking effect latest by
then, a later adoption winning a tie; bad arguments are refused, naming
every one, and nothing is written. Its hypothesis test holds random
adoptions and queries to the reference rule
(:func:`~aftersales.storage.ports.policies.in_force`).

This module imports pytest and hypothesis; the rest of ``aftersales`` does not.

Example:
    >>> from aftersales.storage import MemoryStore
    >>> class TestMemoryPolicies(PolicyStoreContract):
    ...     def make_store(self):
    ...         return MemoryStore()
    >>> TestMemoryPolicies().make_store().policy_versions()
    []
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import strategies as st

from aftersales.errors import InvalidData
from aftersales.sla.policy_document import PolicyDocument
from aftersales.sla.targets import WorkingTime
from aftersales.storage.ports.policies import PolicyStore, PolicyVersion, in_force
from aftersales.testing.contracts.fixtures import StoreUnderTest, add_hypothesis_test
from aftersales.testing.samples import sample_policy_document

__all__ = ["PolicyStoreContract"]

_DEC_1 = pendulum.datetime(2026, 12, 1, tz="Asia/Shanghai")


def _stricter(document: PolicyDocument, minutes: int) -> PolicyDocument:
    """``document`` with its first metric's urgent target set to ``minutes`` of working time."""
    name, spec = next(iter(document.policies.items()))
    first = spec.metrics[0]
    targets = {**first.targets, "urgent": WorkingTime(timedelta(minutes=minutes))}
    metrics = (attrs.evolve(first, targets=targets), *spec.metrics[1:])
    return attrs.evolve(document, policies={name: attrs.evolve(spec, metrics=metrics)})


def _summary(versions: list[PolicyVersion]) -> list[tuple[int, PolicyDocument, datetime, str]]:
    return [(v.version, v.document, v.effective_from, v.note) for v in versions]


class PolicyStoreContract(StoreUnderTest):
    """The contract of :class:`~aftersales.storage.ports.PolicyStore`.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> class TestSQLitePolicies(PolicyStoreContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> isinstance(TestSQLitePolicies().make_store(), PolicyStore)
        True
    """

    hypothesis_examples = 15

    def test_is_a_policy_store_and_starts_without_a_policy(self, store: Any) -> None:
        assert isinstance(store, PolicyStore)
        assert store.policy_versions() == []
        assert store.policy_in_force(_DEC_1) is None

    def test_adopted_documents_are_read_back_under_versions_in_adoption_order(
        self, store: Any
    ) -> None:
        first, second = sample_policy_document(), _stricter(sample_policy_document(), 20)
        before = pendulum.now("UTC")
        assert store.adopt_policy(first, _DEC_1, note="标准政策") == 1
        assert store.adopt_policy(second, _DEC_1.add(months=1)) == 2
        versions = store.policy_versions()
        assert _summary(versions) == [
            (1, first, _DEC_1, "标准政策"),
            (2, second, _DEC_1.add(months=1), ""),
        ]
        assert versions[1].document != versions[0].document
        assert all(before <= v.adopted_at <= pendulum.now("UTC") for v in versions)
        assert versions[0].adopted_at <= versions[1].adopted_at
        assert versions[0].effective_from.utcoffset() == timedelta(0)

    def test_the_version_in_force_takes_effect_latest_by_then(self, store: Any) -> None:
        document = sample_policy_document()
        store.adopt_policy(document, _DEC_1.add(months=2), note="March")
        store.adopt_policy(document, _DEC_1, note="December")
        store.adopt_policy(document, _DEC_1, note="December, again")

        def note(at: datetime) -> str | None:
            found = store.policy_in_force(at)
            return None if found is None else found.note

        assert note(_DEC_1.subtract(microseconds=1)) is None
        assert note(_DEC_1) == "December, again"
        assert note(_DEC_1.add(months=2).subtract(microseconds=1)) == "December, again"
        assert note(_DEC_1.add(months=2)) == "March"
        assert note(_DEC_1.add(years=5)) == "March"

    @pytest.mark.parametrize(
        ("arguments", "paths"),
        [
            (("policy.toml", _DEC_1, ""), ["document"]),
            ((None, datetime(2026, 12, 1), ""), ["document", "effective_from"]),
            (("sample", "2026-12-01", 7), ["effective_from", "note"]),
            (("sample", _DEC_1, "a\x00b"), ["note"]),
        ],
    )
    def test_bad_arguments_are_refused_naming_each_and_nothing_is_written(
        self, store: Any, arguments: tuple[Any, Any, Any], paths: list[str]
    ) -> None:
        store.adopt_policy(sample_policy_document(), _DEC_1, note="kept")
        document, effective_from, note = arguments
        if document == "sample":
            document = _stricter(sample_policy_document(), 5)
        with pytest.raises(InvalidData) as raised:
            store.adopt_policy(document, effective_from, note=note)
        assert [path for path, _ in raised.value.problems] == paths
        assert _summary(store.policy_versions()) == [(1, sample_policy_document(), _DEC_1, "kept")]

    def test_a_naive_instant_is_refused_when_asking_what_is_in_force(self, store: Any) -> None:
        with pytest.raises(InvalidData, match="no time zone"):
            store.policy_in_force(datetime(2026, 12, 1))

    def check_adoptions_match_the_reference_rule(self, data: Any) -> None:
        store = self.make_store()
        try:
            documents = [_stricter(sample_policy_document(), m) for m in (10, 20, 30)]
            days = st.integers(0, 60).map(lambda d: _DEC_1.add(days=d))
            adopted = data.draw(
                st.lists(st.tuples(st.sampled_from(documents), days), min_size=1, max_size=5)
            )
            for document, effective_from in adopted:
                store.adopt_policy(document, effective_from)
            versions = store.policy_versions()
            assert [(v.document, v.effective_from) for v in versions] == adopted
            for at in data.draw(st.lists(days.map(lambda d: d.add(hours=1)), max_size=5)):
                expected = in_force(versions, at)
                found = store.policy_in_force(at)
                assert (found and found.version) == (expected and expected.version)
        finally:
            self.dispose_store(store)


add_hypothesis_test(
    PolicyStoreContract,
    "test_adoptions_match_the_reference_rule",
    "check_adoptions_match_the_reference_rule",
)
