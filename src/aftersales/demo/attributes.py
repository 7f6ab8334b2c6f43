"""The demo's custom attributes: 保修类型 (a choice) and 更换部件 (a text), declared in its store.

:func:`declare_demo_attributes` declares :data:`DEMO_ATTRIBUTES` in a store
that keeps declarations (again and again without changing anything); the
scenarios (:mod:`aftersales.demo.scenarios`) set the warranty at intake and
the part replaced once the repair is done.

Example:
    >>> from aftersales.storage import MemoryStore
    >>> store = MemoryStore()
    >>> declare_demo_attributes(store)
    >>> [d.label_zh for d in store.attribute_definitions()]
    ['保修类型', '更换部件']
"""

from __future__ import annotations

from aftersales.model.attributes import AttributeDefinition, AttributeDefinitions
from aftersales.storage.ports import AttributeDefinitionStore

__all__ = ["DEMO_ATTRIBUTES", "declare_demo_attributes"]

#: The warranty a repair is done under, and the part the engineer replaced.
DEMO_ATTRIBUTES = AttributeDefinitions(
    [
        AttributeDefinition(
            "warranty_type",
            "保修类型",
            "Warranty type",
            kind="choice",
            choices=[
                ("in_warranty", "保内", "In warranty"),
                ("extended", "延保", "Extended warranty"),
                ("paid", "保外付费", "Paid repair"),
            ],
        ),
        AttributeDefinition("replaced_part", "更换部件", "Part replaced", kind="text"),
    ]
)


def declare_demo_attributes(store: object) -> None:
    """Declare :data:`DEMO_ATTRIBUTES` in ``store`` (nothing for a store without declarations)."""
    if not isinstance(store, AttributeDefinitionStore):
        return
    declared = store.attribute_definitions()
    for definition in DEMO_ATTRIBUTES:
        if definition.name not in declared or declared.get(definition.name) != definition:
            store.declare_attribute(definition)
