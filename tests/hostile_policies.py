"""The adopted SLA policies' surfaces of the hostile-input table (see :mod:`tests.hostile_surface`).

The three policy methods on the world's store (memory, SQLite in memory,
SQLite file) and ``load_policy_file``, each with one valid call. The world
holds one adopted policy, version 1 (``World.reset``).
"""

from __future__ import annotations

from typing import Any

from aftersales import MemoryStore
from aftersales.sla.policy_file import dump_policy_file, load_policy_file
from aftersales.testing.samples import sample_policy_document
from tests.helpers import START
from tests.hostile_surface import Surface, World, parameters

_STORE_CALLS: dict[str, dict[str, Any]] = {
    "adopt_policy": {
        "document": sample_policy_document(),
        "effective_from": START.add(months=1),
        "note": "紧急首响 20 分钟",
    },
    "policy_versions": {},
    "policy_in_force": {"at": START.add(days=1)},
}


def _store_method(method: str) -> Surface:
    def call(world: World, overrides: dict[str, Any]) -> Any:
        return getattr(world.store, method)(**{**_STORE_CALLS[method], **overrides})

    return Surface(f"store.{method}", call, parameters(getattr(MemoryStore, method)), stores=True)


def policy_surfaces() -> list[Surface]:
    """The store's policy methods, and reading a policy file."""
    text = dump_policy_file(sample_policy_document())

    def load(world: World, overrides: dict[str, Any]) -> Any:
        return load_policy_file(**{"source": text, **overrides})

    return [
        *(_store_method(name) for name in _STORE_CALLS),
        Surface("load_policy_file", load, ("source",)),
    ]
