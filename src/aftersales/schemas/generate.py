"""JSON Schema (draft 2020-12) from declared Python types, by the converter's conventions.

:class:`SchemaBuilder` turns a declared type into the schema of its JSON form
as :mod:`aftersales.serialization` writes and reads it: an instant is an ISO
8601 string with an offset (``format: date-time``), a date ``YYYY-MM-DD``, an
enum one of its values, an open vocabulary term its code (a string: a company
registers its own codes, so no fixed list), a tuple an array, a frozenset an
array of unique items, custom attribute values an object of names to values
(:data:`~aftersales.schemas.attributes.ATTRIBUTE_VALUES`), ``X | None``
either, and an attrs class an object of its fields with no other keys, kept
once under ``$defs`` and referred to with ``$ref``. Every schema the builder
finishes is self-contained (its own ``$defs``, refs relative to its root), so
it can be re-rooted as an OpenAPI component. Imports: the domain only.

Example:
    >>> from aftersales.model import SolutionStep
    >>> builder = SchemaBuilder()
    >>> builder.of(tuple[SolutionStep, ...])
    {'type': 'array', 'items': {'$ref': '#/$defs/SolutionStep'}}
    >>> builder.defs["SolutionStep"]["required"]
    ['action', 'executor', 'deadline']
"""

from __future__ import annotations

import copy
import types
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any, Final, Literal, Union, get_args, get_origin, get_type_hints

import attrs

from aftersales.errors import InvalidData
from aftersales.model.attribute_values import AttributeValues
from aftersales.schemas.attributes import ATTRIBUTE_VALUES
from aftersales.vocab import Term

__all__ = ["DIALECT", "SCHEMA_ID_BASE", "SchemaBuilder", "schema_id"]

#: The JSON Schema dialect of every schema here.
DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
#: The base of every schema's ``$id`` (a name, not a download location).
SCHEMA_ID_BASE: Final = "urn:aftersales:schema:v1:"


def schema_id(name: str) -> str:
    """The stable ``$id`` of the schema called ``name`` (``commands/reopen`` …).

    Example:
        >>> schema_id("views/ticket_view")
        'urn:aftersales:schema:v1:views/ticket_view'
    """
    return SCHEMA_ID_BASE + name


class SchemaBuilder:
    """Builds schemas of declared types, collecting the attrs classes met under :attr:`defs`.

    Example:
        >>> from aftersales.vocab import Priority
        >>> SchemaBuilder().of(Priority | None)
        {'anyOf': [{'enum': ['urgent', 'important', 'general']}, {'type': 'null'}]}
    """

    def __init__(self) -> None:
        self.defs: dict[str, dict[str, Any]] = {}

    def of(self, declared: Any) -> dict[str, Any]:
        """The schema of the JSON form of ``declared``."""
        origin = get_origin(declared)
        if origin in (Union, types.UnionType):
            return {"anyOf": [self.of(arm) for arm in get_args(declared)]}
        if origin is Literal:
            values = get_args(declared)
            return {"const": values[0]} if len(values) == 1 else {"enum": list(values)}
        if origin is tuple or origin is list:
            return {"type": "array", "items": self.of(get_args(declared)[0])}
        if origin is frozenset:  # written as a sorted list without repeats
            return {"type": "array", "items": self.of(get_args(declared)[0]), "uniqueItems": True}
        simple = _SIMPLE.get(declared)
        if simple is not None:
            return dict(simple)
        if declared is type(None):
            return {"type": "null"}
        if isinstance(declared, type):
            if issubclass(declared, AttributeValues):  # names to values of any kind
                return copy.deepcopy(ATTRIBUTE_VALUES)
            if issubclass(declared, datetime):
                return {"type": "string", "format": "date-time"}
            if issubclass(declared, date):
                return {"type": "string", "format": "date"}
            if issubclass(declared, Enum):
                return {"enum": [member.value for member in declared]}
            if issubclass(declared, Term):
                return {
                    "type": "string",
                    "description": f"a {declared.__name__} code registered in the store",
                }
            if attrs.has(declared):
                return self._ref(declared)
        message = f"{declared!r} has no JSON form; accepted: a type the converter writes"
        raise InvalidData(f"declared: {message}", problems=[("declared", message)])

    def object(
        self,
        fields: Mapping[str, Any],
        *,
        required: Iterable[str],
        nullable: Iterable[str] = (),
        title: str | None = None,
        description: str | None = None,
    ) -> dict[str, Any]:
        """An object of ``fields`` (name → declared type), no other keys; ``nullable`` also take null.

        Example:
            >>> SchemaBuilder().object({"text": str}, required=["text"])
            {'type': 'object', 'properties': {'text': {'type': 'string'}}, 'required': ['text'], 'additionalProperties': False}
        """
        open_to_null = set(nullable)
        properties = {}
        for name, declared in fields.items():
            schema = self.of(declared)
            if name in open_to_null and declared is not type(None):
                schema = {"anyOf": [schema, {"type": "null"}]}
            properties[name] = schema
        body: dict[str, Any] = {}
        if title is not None:
            body["title"] = title
        if description is not None:
            body["description"] = description
        body.update(
            {
                "type": "object",
                "properties": properties,
                "required": list(required),
                "additionalProperties": False,
            }
        )
        return body

    def finished(self, name: str, schema: Mapping[str, Any]) -> dict[str, Any]:
        """``schema`` as a root document: dialect, ``$id`` and the ``$defs`` it refers to.

        Example:
            >>> SchemaBuilder().finished("x", {"type": "string"})["$id"]
            'urn:aftersales:schema:v1:x'
        """
        document = {"$schema": DIALECT, "$id": schema_id(name), **schema}
        if self.defs:
            document["$defs"] = {key: self.defs[key] for key in sorted(self.defs)}
        return document

    def _ref(self, cls: type) -> dict[str, Any]:
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = {}  # placeholder: a class that refers to itself stops here
            hints = get_type_hints(cls)
            fields = [f for f in attrs.fields(cls) if f.init]
            self.defs[name] = self.object(
                {f.name: hints[f.name] for f in fields},
                required=[f.name for f in fields if f.default is attrs.NOTHING],
                title=name,
            )
        return {"$ref": f"#/$defs/{name}"}


_SIMPLE: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    float: {"type": "number"},
}
