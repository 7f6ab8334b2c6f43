"""The memory adapter's custom attribute declarations: a list behind a lock.

:class:`MemoryAttributeDefinitions` is a base of
:class:`~aftersales.storage.memory.MemoryStore`; it is the reference the SQL
stores are held to by the contract suite
(:mod:`aftersales.testing.contracts.attributes`). The memory store answers
``TicketQuery(attributes=...)`` with the query's own reference semantics.
"""

from __future__ import annotations

import threading

from aftersales.model.attributes import AttributeDefinition, AttributeDefinitions
from aftersales.storage.ports.attributes import redeclared

__all__ = ["MemoryAttributeDefinitions"]


class MemoryAttributeDefinitions:
    """:class:`~aftersales.storage.ports.AttributeDefinitionStore` in memory; thread-safe.

    Example:
        >>> store = MemoryAttributeDefinitions()
        >>> store.declare_attribute(AttributeDefinition("onsite", "需上门", "On site", kind="boolean"))
        >>> store.declare_attribute(AttributeDefinition("onsite", "需上门", "On-site", kind="boolean"))
        >>> [item.label_en for item in store.attribute_definitions()]
        ['On-site']
    """

    _definitions_lock = threading.Lock()

    def declare_attribute(self, definition: AttributeDefinition) -> None:
        """See :meth:`~aftersales.storage.ports.AttributeDefinitionStore.declare_attribute`."""
        with self._definitions_lock:
            declared, _ = redeclared(self._declared(), definition)
            self._attribute_definitions = declared

    def attribute_definitions(self) -> AttributeDefinitions:
        """See :meth:`~aftersales.storage.ports.AttributeDefinitionStore.attribute_definitions`."""
        return self._declared()

    def _declared(self) -> AttributeDefinitions:
        found: AttributeDefinitions | None = getattr(self, "_attribute_definitions", None)
        return AttributeDefinitions() if found is None else found
