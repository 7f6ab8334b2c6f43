"""Trusted JSON writing: the text ``to_json`` writes, built straight from the values.

A store writes each event and each ticket snapshot as JSON text. The strict
path (:func:`~aftersales.serialization.to_json`) unstructures the value
with the cattrs converter, then encodes the plain data; the values a store
writes were made by this library's own constructors, so none of that
generality is needed. This module generates, once per ``attrs`` class, a
function that writes the members of the JSON object directly from the
value's fields: strings through the standard library's own string encoder,
instants as their stored UTC text (:func:`~aftersales.serialization_trusted.utc_text`),
dates, vocabulary terms and enumerations by their stored form, nested
values and tuples likewise, anything else (a ``float``, an ``Any``) through
the standard library's encoder. The text is the very text ``to_json``
writes, character for character (keys in field order, ``", "`` and
``": "`` between them, non-ASCII characters kept).

Example:
    >>> from aftersales.serialization import to_json
    >>> from aftersales.testing.samples import sample_ticket
    >>> event = sample_ticket().history[0]
    >>> event_text(event) == to_json(event)
    True
"""

from __future__ import annotations

import json
import typing
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from functools import cache
from types import NoneType, UnionType
from typing import Any, Final

import attrs

from aftersales._shown import shown
from aftersales.errors import InvalidData
from aftersales.model.attribute_values import AttributeValues
from aftersales.model.events import EVENT_TYPES, TicketEvent
from aftersales.model.stored_form import omitted_fields, omitted_while_empty
from aftersales.serialization import SCHEMA_VERSION, to_json
from aftersales.serialization_trusted import utc_text
from aftersales.vocab import Term

__all__ = ["event_text", "members_writer"]

#: The standard library's string encoder, the one ``json.dumps(..., ensure_ascii=False)`` uses.
_string: Final[Callable[[str], str]] = json.encoder.encode_basestring
#: The standard library's encoder as ``to_json`` configures it, for values of no known shape.
_plain: Final = json.JSONEncoder(ensure_ascii=False).encode
_int_text: Final = int.__repr__


def _text(value: str) -> str:
    """A ``str`` field's JSON text (a value of another kind as the standard encoder writes it)."""
    return _string(value) if value.__class__ is str else _plain(value)


def _number(value: int) -> str:
    """An ``int`` field's JSON text (``true``/``false`` for a bool, as the standard encoder)."""
    return _int_text(value) if value.__class__ is int else _plain(value)


def _flag(value: bool) -> str:
    """A ``bool`` field's JSON text."""
    if value is True:
        return "true"
    return "false" if value is False else _plain(value)


def _enum_text(member: Enum) -> str:
    """An enumeration's JSON text: its value's."""
    value = member.value
    return _string(value) if value.__class__ is str else _plain(value)


class _Unsupported(Exception):
    """A declared type this module cannot write: the class is written by ``to_json``."""


class _Source:
    """The names one generated writer refers to."""

    def __init__(self) -> None:
        self.names: dict[str, Any] = {}

    def name(self, prefix: str, value: Any) -> str:
        for known, held in self.names.items():
            if held is value:
                return known
        name = f"{prefix}{len(self.names)}"
        self.names[name] = value
        return name

    def expression(self, declared: Any, read: str) -> str:
        """The expression giving the JSON text of ``read``, a value of type ``declared``."""
        if declared is str:
            return f"{self.name('text_', _text)}({read})"
        if declared is int:
            return f"{self.name('number_', _number)}({read})"
        if declared is bool:
            return f"{self.name('flag_', _flag)}({read})"
        if declared in (float, Any):
            return f"{self.name('plain_', _plain)}({read})"
        if declared is NoneType:
            return '"null"'
        origin = typing.get_origin(declared)
        if origin in (UnionType, typing.Union):
            options = [arg for arg in typing.get_args(declared) if arg is not NoneType]
            if len(options) != 1:
                raise _Unsupported(declared)
            return f'("null" if {read} is None else {self.expression(options[0], read)})'
        if origin is tuple:
            args = typing.get_args(declared)
            if len(args) != 2 or args[1] is not Ellipsis:
                raise _Unsupported(declared)
            item = self.expression(args[0], "item")
            return f'("[" + ", ".join([{item} for item in {read}]) + "]")'
        if origin is frozenset:  # a sorted list, as ``to_json`` writes it
            item = self.expression(typing.get_args(declared)[0], "item")
            return f'("[" + ", ".join([{item} for item in sorted({read})]) + "]")'
        if not isinstance(declared, type):
            raise _Unsupported(declared)
        if issubclass(declared, datetime):
            return f"""('"' + {self.name("instant_", utc_text)}({read}) + '"')"""
        if issubclass(declared, date):
            return f"""('"' + {read}.isoformat() + '"')"""
        if issubclass(declared, Term):
            return f"{self.name('text_', _text)}({read}.code)"
        if issubclass(declared, Enum):
            return f"{self.name('enum_', _enum_text)}({read})"
        if issubclass(declared, AttributeValues):
            return f"{self.name('plain_', _plain)}({read}.plain())"
        if attrs.has(declared):
            nested = self.name("members_", members_writer(declared))
            return f'("{{" + {nested}({read}) + "}}")'
        raise _Unsupported(declared)


#: The writers generated so far, by class and the fields they leave out (``None``: unsupported).
_WRITERS: Final[dict[tuple[type, tuple[str, ...]], Callable[[Any], str] | None]] = {}


def members_writer(cls: type, *, skip: tuple[str, ...] = ()) -> Callable[[Any], str]:
    """The members of the JSON object ``to_json`` writes for a ``cls`` value, without ``schema_version``.

    ``"name": value`` pairs separated by ``", "``, in field order, without
    the braces (so that a caller can add members before or after), leaving
    out the fields named in ``skip`` and the derived ones; a field declared
    :data:`~aftersales.model.fields.OMITTED_WHEN_NONE` comes after the others,
    and only when it is set (not ``None``, or not empty for a collection whose
    default is empty), as ``to_json`` writes it; a ``frozenset`` is a sorted
    list. Generated once per
    class; a class with a field of a type it cannot write (a ``dict``, a
    union of several types) raises :class:`~aftersales.InvalidData`:
    ``to_json`` writes those.

    Example:
        >>> from aftersales.model import Product
        >>> from aftersales.serialization import to_json
        >>> product = Product(model="A型智能办公设备")
        >>> members_writer(Product)(product)
        '"model": "A型智能办公设备", "name": null'
        >>> '{"schema_version": 1, ' + members_writer(Product)(product) + "}" == to_json(product)
        True
        >>> members_writer(dict)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: cls: <class 'dict'> has a field of a type without a trusted writer; accepted: attrs classes of texts, numbers, instants, dates, terms, enumerations, tuples and such classes
    """
    key = (cls, skip)
    if key not in _WRITERS:
        _WRITERS[key] = _generate(cls, skip)
    known = _WRITERS[key]
    if known is None:
        message = (
            f"{shown(cls)} has a field of a type without a trusted writer;"
            " accepted: attrs classes of texts, numbers, instants, dates, terms,"
            " enumerations, tuples and such classes"
        )
        raise InvalidData(f"cls: {message}", problems=[("cls", message)])
    return known


def _generate(cls: Any, skip: tuple[str, ...]) -> Callable[[Any], str] | None:
    if not attrs.has(cls):
        return None
    source = _Source()
    hints = typing.get_type_hints(cls)
    omitted = omitted_fields(cls)
    while_empty = omitted_while_empty(cls)
    parts: list[str] = []
    later: list[str] = []
    try:
        for field in attrs.fields(cls):
            if field.name in skip or not field.init or field.name in omitted:
                continue
            key = ("" if not parts else ", ") + _string(field.name) + ": "
            value = source.expression(hints[field.name], f"value.{field.name}")
            parts.append(f"{key!r} + {value}")
        for name in [f.name for f in attrs.fields(cls) if f.name in omitted - set(skip)]:
            if not parts:  # the object would start with a member that may be left out
                raise _Unsupported(cls)
            read = f"value.{name}"
            value = source.expression(hints[name], read)
            left_out = f"not {read}" if name in while_empty else f"{read} is None"
            later.append(f"('' if {left_out} else {', ' + _string(name) + ': '!r} + {value})")
    except _Unsupported:
        return None
    parts += later
    body = " + ".join(parts) if parts else "''"
    namespace = dict(source.names)
    exec(f"def members(value):\n    return {body}\n", namespace)  # generated from attrs fields
    members: Callable[[Any], str] = namespace["members"]
    members.__qualname__ = f"members_writer.<{cls.__name__}>"
    return members


@cache
def _event_writers() -> dict[type, Callable[[Any], str]]:
    """The writer of every registered event class whose fields it can write, by class."""
    writers = {}
    for tag, cls in EVENT_TYPES.items():
        try:
            members = members_writer(cls)
        except InvalidData:
            continue
        head = f'{{"schema_version": {SCHEMA_VERSION}, '
        tail = f', "type": {_string(tag)}}}'
        writers[cls] = _framed(members, head, tail)
    return writers


def _framed(members: Callable[[Any], str], head: str, tail: str) -> Callable[[Any], str]:
    def write(value: Any) -> str:
        return head + members(value) + tail

    return write


def event_text(event: TicketEvent) -> str:
    """The JSON text ``to_json(event)`` writes, the same characters, written directly.

    The event is trusted to be what its class's checks made it; an event of
    a class outside the registered ones is written by ``to_json`` itself.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> event_text(sample_ticket().history[1])[:40]
        '{"schema_version": 1, "ticket_id": "T202'
    """
    write = _event_writers().get(event.__class__)
    return to_json(event) if write is None else write(event)
