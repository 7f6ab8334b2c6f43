"""JSON Schemas of custom attribute values: any value a ticket holds, and each declared kind's.

A ticket's ``attributes`` (in its view, its events and its stored form) is
an object of attribute names to values of any kind, since a history outlives
its declarations: :data:`ATTRIBUTE_VALUES` (what
:class:`~aftersales.schemas.generate.SchemaBuilder` gives for
:class:`~aftersales.model.attribute_values.AttributeValues`). A payload of
``set_attributes`` may also give ``null`` to clear one:
:data:`ATTRIBUTE_CHANGES`. What one store accepts is narrower, by kind:
:func:`attribute_value_schema` of a declaration, and
:func:`attributes_schema` of all of a store's (``aftersales attributes
schema``). Imports the domain only.

Example:
    >>> from aftersales.model.attributes import AttributeDefinition
    >>> warranty = AttributeDefinition("warranty_type", "保修类型", "Warranty type",
    ...     kind="choice", choices=[("in_warranty", "保内", "In warranty")])
    >>> attribute_value_schema(warranty)
    {'title': '保修类型 (Warranty type)', 'enum': ['in_warranty']}
"""

from __future__ import annotations

from typing import Any, Final

from aftersales.model.attribute_values import MAX_ATTRIBUTE_TEXT, MAX_SAFE_INTEGER
from aftersales.model.attributes import AttributeDefinition, AttributeDefinitions, AttributeKind

__all__ = [
    "ATTRIBUTE_CHANGES",
    "ATTRIBUTE_NAME",
    "ATTRIBUTE_VALUES",
    "attribute_value_schema",
    "attributes_schema",
]

#: The pattern of an attribute name.
ATTRIBUTE_NAME: Final = {"pattern": "^[a-z][a-z0-9_]{0,39}$"}

_TEXT: Final = {"type": "string", "minLength": 1, "maxLength": MAX_ATTRIBUTE_TEXT}
_NUMBER: Final = {"type": "number", "minimum": -MAX_SAFE_INTEGER, "maximum": MAX_SAFE_INTEGER}
_ANY_VALUE: Final = {
    "anyOf": [
        _TEXT,
        {"type": "number"},
        {"type": "boolean"},
        {"type": "array", "items": _TEXT, "minItems": 1, "uniqueItems": True},
    ],
    "description": "a text, choice code or date (YYYY-MM-DD), a number, a boolean,"
    " or the codes of a multiple choice",
}

#: Any attribute values a ticket holds: names to values of any kind.
ATTRIBUTE_VALUES: Final = {
    "type": "object",
    "propertyNames": ATTRIBUTE_NAME,
    "additionalProperties": _ANY_VALUE,
}
#: A ``set_attributes`` payload's ``attributes``: names to values, or ``null`` to clear one.
ATTRIBUTE_CHANGES: Final = {
    "type": "object",
    "propertyNames": ATTRIBUTE_NAME,
    "additionalProperties": {"anyOf": [_ANY_VALUE, {"type": "null"}]},
    "minProperties": 1,
}


def attribute_value_schema(definition: AttributeDefinition) -> dict[str, Any]:
    """The schema of a value a command may set ``definition`` to (codes for the choices).

    Example:
        >>> from aftersales.model.attributes import AttributeDefinition
        >>> attribute_value_schema(AttributeDefinition("bought_on", "购买日期", "Bought on",
        ...                                            kind="date"))
        {'title': '购买日期 (Bought on)', 'type': 'string', 'format': 'date'}
    """
    title = {"title": f"{definition.label_zh} ({definition.label_en})"}
    codes = list(definition.codes)
    by_kind: dict[AttributeKind, dict[str, Any]] = {
        AttributeKind.TEXT: _TEXT,
        AttributeKind.NUMBER: _NUMBER,
        AttributeKind.DATE: {"type": "string", "format": "date"},
        AttributeKind.CHOICE: {"enum": codes},
        AttributeKind.MULTI_CHOICE: {
            "type": "array",
            "items": {"enum": codes},
            "uniqueItems": True,
        },
        AttributeKind.BOOLEAN: {"type": "boolean"},
    }
    return {**title, **by_kind[definition.kind]}


def attributes_schema(declared: AttributeDefinitions, *, opening: bool = False) -> dict[str, Any]:
    """The schema of the ``attributes`` a store accepts: at intake (``opening``) or later.

    At intake the required attributes must be given; later any may be
    ``null`` (cleared) but a required one. Names not declared are refused.

    Example:
        >>> from aftersales.model.attributes import AttributeDefinition
        >>> declared = AttributeDefinitions([AttributeDefinition(
        ...     "serial_number", "设备序列号", "Serial number", kind="text", required=True)])
        >>> attributes_schema(declared, opening=True)["required"]
        ['serial_number']
        >>> attributes_schema(declared)["properties"]["serial_number"]["maxLength"]
        500
    """
    properties: dict[str, Any] = {}
    for definition in declared:
        schema = attribute_value_schema(definition)
        if not opening and not definition.required:
            schema = {"anyOf": [schema, {"type": "null"}], "title": schema["title"]}
        properties[definition.name] = schema
    body: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if opening:
        body["required"] = [item.name for item in declared.required]
    else:
        body["minProperties"] = 1
    return body
