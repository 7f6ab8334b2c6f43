"""The desk's part in custom attributes: values checked against the store's declarations.

The model takes any attribute value of a JSON kind (a history stays readable
whatever is declared later); the desk takes only what the store declares
(:class:`~aftersales.storage.ports.AttributeDefinitionStore`; a store without
declarations declares none). :func:`checked_attributes` turns a command's
``attributes`` mapping into the values to set and the names to clear
(``None``, or an empty list for a multiple choice, clears an attribute),
each value normalised by its declaration; every refused attribute is listed
in one :class:`~aftersales.errors.AttributesRefused`, before the ticket is
read. At intake every required attribute must be given; later a required
attribute cannot be cleared, and a ticket opened before it was required is
left as it is. An attribute no longer declared can still be cleared (its
legacy value removed), not set. Imports the domain and the storage ports only.

Example:
    >>> from aftersales.model.attributes import AttributeDefinition, AttributeDefinitions
    >>> declared = AttributeDefinitions([
    ...     AttributeDefinition("serial_number", "设备序列号", "Serial number", kind="text",
    ...                         required=True),
    ...     AttributeDefinition("bought_on", "购买日期", "Bought on", kind="date")])
    >>> values, cleared = checked_attributes(declared, {"serial_number": " SN-1 ",
    ...                                                 "bought_on": None})
    >>> dict(values), cleared
    ({'serial_number': 'SN-1'}, ('bought_on',))
    >>> checked_attributes(declared, {"bought_on": "5/10"}, opening=True)
    Traceback (most recent call last):
    ...
    aftersales.errors.attributes.AttributesRefused: 2 invalid values:
      attributes.bought_on: '5/10' is not a date; accepted: a date YYYY-MM-DD
      attributes.serial_number: missing; accepted: a text of 1–500 characters (required on new tickets)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aftersales._shown import shown
from aftersales.errors import AttributesRefused, InvalidData
from aftersales.model.attribute_values import AttributeValue, AttributeValues, attribute_name
from aftersales.model.attributes import AttributeDefinitions, AttributeKind
from aftersales.model.masking import default_masking
from aftersales.storage.ports.attributes import AttributeDefinitionStore

__all__ = ["attribute_fields", "checked_attributes", "declared_attributes"]


def declared_attributes(desk: object) -> AttributeDefinitions:
    """The declarations of the desk's store (none when the store keeps no declarations).

    Example:
        >>> from aftersales import ServiceDesk
        >>> len(declared_attributes(ServiceDesk()))
        0
    """
    store = getattr(desk, "store", None)
    if isinstance(store, AttributeDefinitionStore):
        return store.attribute_definitions()
    return AttributeDefinitions()


def _is_name(name: object) -> bool:
    try:
        attribute_name(name, "name")
    except InvalidData:
        return False
    return True


def _clears(value: Any, kind: AttributeKind) -> bool:
    if value is None:
        return True
    return kind is AttributeKind.MULTI_CHOICE and isinstance(value, list | tuple) and not value


def checked_attributes(
    declared: AttributeDefinitions,
    attributes: object,
    *,
    opening: bool = False,
    path: str = "attributes",
) -> tuple[AttributeValues, tuple[str, ...]]:
    """The values to set and the names to clear that ``attributes`` asks for, checked.

    ``opening`` (``open_ticket``): every required attribute must have a value,
    and a ``None`` simply sets nothing. Otherwise (``set_attributes``) the
    mapping must name at least one attribute, and a required one cannot be
    cleared. Raises :class:`~aftersales.errors.AttributesRefused` listing every
    refused attribute at ``path.<name>``.
    """
    if not isinstance(attributes, Mapping):
        message = (
            f"{type(attributes).__name__} is not a mapping;"
            " accepted: a mapping of attribute names to values"
        )
        raise AttributesRefused(f"{path}: {message}", problems=[(path, message)])
    if not attributes and not opening:
        message = "{} names no attribute; accepted: at least one attribute name and its value"
        raise AttributesRefused(f"{path}: {message}", problems=[(path, message)])
    problems: list[tuple[str, str]] = []
    values: dict[str, AttributeValue] = {}
    cleared: list[str] = []
    for name, value in attributes.items():
        masked = default_masking().text(name if isinstance(name, str) else shown(name))
        where = f"{path}.{masked}" if isinstance(name, str) else f"{path}[{masked}]"
        if name not in declared:
            if value is None and not opening and _is_name(name):
                cleared.append(name)  # a legacy value of an attribute no longer declared
                continue
            listed = ", ".join(declared.names) or "none (no attribute is declared)"
            problems.append((where, f"is not a declared attribute; accepted: {listed}"))
            continue
        definition = declared.get(name)
        if _clears(value, definition.kind):
            if definition.required and not opening:
                problems.append(
                    (where, f"is required and cannot be cleared; accepted: {definition.accepted}")
                )
            elif not opening:
                cleared.append(name)
            continue
        try:
            values[name] = definition.normalised(value, where)
        except InvalidData as error:
            problems += error.problems
    if opening:
        problems += [
            (f"{path}.{item.name}", f"missing; accepted: {item.accepted} (required on new tickets)")
            for item in declared.required
            if item.name not in values
        ]
    if problems:
        raise AttributesRefused.from_problems(problems)
    return AttributeValues(values, path=path), tuple(sorted(cleared))


def attribute_fields(desk: object, value: Any, name: str) -> dict[str, Any]:
    """``set_attributes``'s event fields: the values to set and the names to clear.

    Example:
        >>> from aftersales import AttributeDefinition, ServiceDesk
        >>> desk = ServiceDesk()
        >>> desk.store.declare_attribute(AttributeDefinition("onsite", "需上门", "On site",
        ...                                                  kind="boolean"))
        >>> attribute_fields(desk, {"onsite": False}, "attributes")
        {'attributes': AttributeValues({'onsite': False}), 'cleared': ()}
    """
    values, cleared = checked_attributes(declared_attributes(desk), value, path=name)
    return {"attributes": values, "cleared": cleared}
