"""Storage port of the custom attribute declarations: what a store's tickets may hold.

Part of :mod:`aftersales.storage.ports` (imports the domain only).
:class:`AttributeDefinitionStore` keeps a company's
:class:`~aftersales.model.attributes.AttributeDefinition` values, so that
every process on the store (the desk, an import, the CLI, a report) checks
and labels attribute values the same way. :func:`redeclared` is the rule
every adapter applies to a declaration: a new name is appended, a known name
is replaced in its place, and names and labels stay distinct.

Example:
    >>> from aftersales.storage import MemoryStore, SQLiteStore
    >>> isinstance(MemoryStore(), AttributeDefinitionStore)
    True
    >>> isinstance(SQLiteStore(":memory:"), AttributeDefinitionStore)
    True
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from aftersales import _checks as check
from aftersales.model.attributes import AttributeDefinition, AttributeDefinitions

__all__ = ["AttributeDefinitionStore", "redeclared"]


@runtime_checkable
class AttributeDefinitionStore(Protocol):
    """A store's custom attribute declarations, in declaration order.

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> store = MemoryStore()
        >>> store.declare_attribute(AttributeDefinition(
        ...     "serial_number", "设备序列号", "Serial number", kind="text"))
        >>> store.attribute_definitions().names
        ('serial_number',)
    """

    def declare_attribute(self, definition: AttributeDefinition) -> None:
        """Declare ``definition``: a new name is appended, a declared one replaced in its place.

        Any change is accepted (see :mod:`aftersales.model.attributes` for what
        it means for stored tickets, which are never rewritten); a name or label
        taken by another attribute raises :class:`~aftersales.InvalidData`, and
        a value other than an ``AttributeDefinition`` too. Nothing is written on
        error.
        """
        ...

    def attribute_definitions(self) -> AttributeDefinitions:
        """Every declaration, in the order the names were first declared."""
        ...


def redeclared(
    declared: AttributeDefinitions, definition: object
) -> tuple[AttributeDefinitions, int]:
    """``declared`` with ``definition`` declared, and its position (0-based) among them.

    Example:
        >>> first = AttributeDefinition("serial_number", "设备序列号", "Serial number", kind="text")
        >>> onsite = AttributeDefinition("onsite", "需上门", "On site", kind="boolean")
        >>> both, at = redeclared(AttributeDefinitions([first]), onsite)
        >>> both.names, at
        (('serial_number', 'onsite'), 1)
        >>> redeclared(both, AttributeDefinition("serial", "需上门", "Serial", kind="text"))
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: definitions[2]: '需上门' is also definitions[1]; accepted: distinct names and labels
    """
    checked: AttributeDefinition = check.instance_of(AttributeDefinition)(definition, "definition")
    items = list(declared)
    names = [item.name for item in items]
    if checked.name in names:
        position = names.index(checked.name)
        items[position] = checked
    else:
        position = len(items)
        items.append(checked)
    return AttributeDefinitions(items), position
