"""Trusted decoding: values rebuilt from the stored form this library wrote, without re-validating.

:mod:`aftersales.serialization` reads outside input strictly: every type,
range and vocabulary term is checked, and the class's own checks run again.
A store reading back the rows it wrote itself needs none of that twice: this
module builds the same values straight from the plain data of
:func:`~aftersales.serialization.to_dict`, with one constructor per class
generated from its ``attrs`` fields (``object.__new__`` and the slots set
directly; instants from ISO 8601 straight to UTC :class:`pendulum.DateTime`;
enumerations by value; vocabulary terms looked up under the active
:class:`~aftersales.Vocabulary`; nested contacts, purchases, products and
solution steps likewise). Derived fields are set as the class's own
constructor sets them (``TicketEvent.at_us``).

It skips validation, not error handling: a missing key, a value of the wrong
shape, an unknown event type or vocabulary code, or an unsupported
``schema_version`` raises :class:`~aftersales.InvalidData` (the stores turn it
into a :class:`~aftersales.StorageError` naming the row). What a strict read
would refuse but a trusted one accepts (a score of 7 written by hand) is
found by ``check_integrity()``, which reads strictly.

Example:
    >>> from aftersales.serialization import from_dict, to_dict
    >>> from aftersales.testing.samples import sample_ticket
    >>> event = sample_ticket().history[-1]
    >>> trusted_event(to_dict(event)) == from_dict(type(event), to_dict(event)) == event
    True
    >>> trusted_event({"schema_version": 1, "type": "nonsense"})
    Traceback (most recent call last):
    ...
    aftersales.errors.InvalidData: type: 'nonsense' is not a known value; accepted: an event type such as 'ticket_opened'
"""

from __future__ import annotations

import json
import typing
from collections.abc import Callable
from datetime import date, datetime, timedelta
from enum import Enum
from functools import cache
from types import NoneType, UnionType
from typing import Any, Final, TypeVar

import attrs
import pendulum

from aftersales._shown import shown
from aftersales.errors import AftersalesError, InvalidData, UnsupportedSchemaVersion
from aftersales.model.attribute_values import AttributeValues
from aftersales.model.events import EVENT_TYPES, TicketEvent
from aftersales.model.stored_form import omitted_fields, omitted_while_empty
from aftersales.serialization import SUPPORTED_SCHEMA_VERSIONS, parse_json
from aftersales.time import to_utc
from aftersales.vocab import Term

__all__ = [
    "malformed",
    "trusted_builder",
    "trusted_encoder",
    "trusted_event",
    "trusted_event_from_json",
    "trusted_json",
    "utc_instant",
    "utc_text",
]

T = TypeVar("T")

_UTC: Final = pendulum.UTC
_from_iso = datetime.fromisoformat
_new_datetime = datetime.__new__
_DateTime = pendulum.DateTime
#: The errors a decoding of malformed data raises before it is turned into ``InvalidData``.
_MALFORMED: Final = (KeyError, TypeError, ValueError, AttributeError, IndexError)


def utc_instant(text: str) -> pendulum.DateTime:
    """The instant of a stored ISO 8601 text, as the UTC ``pendulum.DateTime`` the strict read gives.

    The stored form ends in ``+00:00`` and is read without a time-zone
    lookup; any other offset is converted, and a naive text refused.

    Example:
        >>> utc_instant("2024-05-10T06:30:00+00:00").isoformat()
        '2024-05-10T06:30:00+00:00'
        >>> utc_instant("2024-05-10T14:30:00+08:00") == utc_instant("2024-05-10T06:30:00+00:00")
        True
    """
    parsed = _from_iso(text)
    if not text.endswith("+00:00"):
        return to_utc(parsed, "datetime")
    return _new_datetime(
        _DateTime,
        parsed.year,
        parsed.month,
        parsed.day,
        parsed.hour,
        parsed.minute,
        parsed.second,
        parsed.microsecond,
        _UTC,
    )


#: The standard library's scanner: one call reads one JSON value from a position.
_scan_json: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def trusted_json(text: str) -> Any:
    """JSON text this library wrote, parsed; what ``parse_json`` would refuse raises its error.

    One call of the standard library's scanner, without the nesting check
    that :func:`~aftersales.serialization.parse_json` runs first: text nested
    deeper than ``MAX_DEPTH`` (but not deep enough to exhaust the scanner)
    is read here and refused by the strict read of ``check_integrity()``.

    Example:
        >>> trusted_json('{"seq": 2, "by": "李工"}')
        {'seq': 2, 'by': '李工'}
        >>> trusted_json('{"seq": 2')
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: $: not valid JSON (Expecting ',' delimiter: line 1 column 10 (char 9)); accepted: a JSON object
    """
    try:
        value, end = _scan_json(text, 0)
    except (StopIteration, ValueError, RecursionError):
        return parse_json(text)
    return value if end == len(text) else parse_json(text)


def _term_lookup(kind: type[Term]) -> Callable[[Any], Any]:
    return kind.get


def _enum_lookup(kind: type[Enum]) -> Callable[[Any], Any]:
    return kind._value2member_map_.__getitem__


_EPOCH: Final = datetime(1970, 1, 1, tzinfo=_UTC)
_ONE_US: Final = timedelta(microseconds=1)
_minus = datetime.__sub__


def _event_us(event: TicketEvent) -> int:
    """``utc_us(event.at)`` for the UTC instant a trusted read built (one C subtraction)."""
    return _minus(event.at, _EPOCH) // _ONE_US


#: Fields each class derives from its others on construction (not stored), and how.
_DERIVED: Final[dict[type, dict[str, Callable[[Any], Any]]]] = {
    TicketEvent: {"at_us": _event_us},
}


def _derived(cls: type) -> dict[str, Callable[[Any], Any]]:
    for base in cls.__mro__:
        if base in _DERIVED:
            return _DERIVED[base]
    return {}


class _Source:
    """The names one generated function refers to, and its expressions, for reading or writing."""

    def __init__(self, *, writing: bool = False) -> None:
        self.names: dict[str, Any] = {}
        self.writing = writing

    def name(self, prefix: str, value: Any) -> str:
        """A name for ``value`` in the generated function's globals."""
        for known, held in self.names.items():
            if held is value:
                return known
        name = f"{prefix}{len(self.names)}"
        self.names[name] = value
        return name

    def setter(self, cls: type, field: str) -> str:
        """The name of a function setting ``field`` on a ``cls`` (frozen or not): its slot's."""
        slot = getattr(cls, field, None)
        if hasattr(slot, "__set__") and hasattr(slot, "__get__"):
            return self.name(f"set_{field}_", slot.__set__)  # type: ignore[union-attr]
        put = self.name("put_", object.__setattr__)
        return f"(lambda made, value: {put}(made, {field!r}, value))"

    def converter(self, declared: Any) -> str | None:
        """The expression template (``{0}`` is the value) turning plain data into ``declared``.

        Writing, the other way: a ``declared`` value into plain data. ``None``
        when the plain value is the field's value.
        """
        if declared in (str, int, bool, float, NoneType, Any):
            return None
        origin = typing.get_origin(declared)
        if origin in (UnionType, typing.Union):
            options = [arg for arg in typing.get_args(declared) if arg is not NoneType]
            if len(options) != 1:
                raise _unsupported(declared)
            inner = self.converter(options[0])
            if inner is None:
                return None
            return f"(None if {{0}} is None else {inner})"
        if origin is tuple:
            args = typing.get_args(declared)
            if len(args) != 2 or args[1] is not Ellipsis:
                raise _unsupported(declared)
            inner = self.converter(args[0])
            made = "list" if self.writing else "tuple"
            if inner is None:
                return made + "({0})"
            return made + "([" + inner.format("item") + " for item in {0}])"
        if origin is frozenset:  # written as a sorted list, as ``to_dict`` writes it
            inner = self.converter(typing.get_args(declared)[0])
            made = "sorted" if self.writing else "frozenset"
            if inner is None:
                return made + "({0})"
            return made + "([" + inner.format("item") + " for item in {0}])"
        if not isinstance(declared, type):
            raise _unsupported(declared)
        if self.writing:
            return self._writer(declared)
        if issubclass(declared, datetime):
            return f"{self.name('instant_', utc_instant)}({{0}})"
        if issubclass(declared, date):
            return f"{self.name('date_', date.fromisoformat)}({{0}})"
        if issubclass(declared, Term):
            return f"{self.name('term_', _term_lookup(declared))}({{0}})"
        if issubclass(declared, Enum):
            return f"{self.name('enum_', _enum_lookup(declared))}({{0}})"
        if issubclass(declared, AttributeValues):
            return f"{self.name('attributes_', AttributeValues.trusted)}({{0}})"
        if attrs.has(declared):
            return f"{self.name('build_', trusted_builder(declared))}({{0}})"
        raise _unsupported(declared)

    def _writer(self, declared: type) -> str:
        if issubclass(declared, datetime):
            return f"{self.name('text_', utc_text)}({{0}})"
        if issubclass(declared, date):
            return "{0}.isoformat()"
        if issubclass(declared, Term):
            return "{0}.code"
        if issubclass(declared, Enum):
            return "{0}.value"
        if issubclass(declared, AttributeValues):
            return "{0}.plain()"
        if attrs.has(declared):
            return f"{self.name('plain_', trusted_encoder(declared))}({{0}})"
        raise _unsupported(declared)


def _unsupported(declared: Any) -> InvalidData:
    message = f"{shown(declared)} has no trusted reading; accepted: a type of the stored form"
    return InvalidData(f"type: {message}", problems=[("type", message)])


def utc_text(value: datetime) -> str:
    """The stored ISO 8601 text of an aware instant, in UTC (what ``to_dict`` writes for it).

    Example:
        >>> import pendulum
        >>> utc_text(pendulum.datetime(2024, 5, 10, 14, 30, 0, 5, tz="Asia/Shanghai"))
        '2024-05-10T06:30:00.000005+00:00'
    """
    if value.tzinfo is not _UTC:
        value = to_utc(value)
    naive = _new_datetime(
        datetime,
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
    )
    return naive.isoformat() + "+00:00"


#: The encoders generated so far, by class and the fields they leave out.
_ENCODERS: Final[dict[tuple[type, tuple[str, ...]], Callable[[Any], dict[str, Any]]]] = {}


def trusted_encoder(cls: type, *, skip: tuple[str, ...] = ()) -> Callable[[Any], dict[str, Any]]:
    """The stored form of a ``cls`` value as ``to_dict`` writes it (without ``schema_version``).

    Generated once per class from its attrs fields, leaving out the fields
    named in ``skip`` and the derived ones; a field declared
    :data:`~aftersales.model.fields.OMITTED_WHEN_NONE` is written after the
    others, and only when it is set (not ``None``, or not empty for a
    collection whose default is empty), as ``to_dict`` writes it; a
    ``frozenset`` is written as a sorted list. The value is
    trusted to be what its class's checks made it.

    Example:
        >>> from aftersales.model import Contact
        >>> from aftersales.serialization import to_dict
        >>> contact = Contact(name="张先生", phone="13812345678")
        >>> {"schema_version": 1, **trusted_encoder(Contact)(contact)} == to_dict(contact)
        True
    """
    known = _ENCODERS.get((cls, skip))
    if known is None:
        source = _Source(writing=True)
        hints = typing.get_type_hints(cls)
        omitted = omitted_fields(cls)
        while_empty = omitted_while_empty(cls)
        lines = ["def encode(value):", "    data = {"]
        later = []
        for field in attrs.fields(cls):
            if field.name in skip or not field.init:
                continue
            template = source.converter(hints[field.name])
            read = f"value.{field.name}"
            written = read if template is None else template.format(read)
            if field.name in omitted:
                later.append(
                    f"    if {read}:"
                    if field.name in while_empty
                    else f"    if {read} is not None:"
                )
                later.append(f"        data[{field.name!r}] = {written}")
            else:
                lines.append(f"        {field.name!r}: {written},")
        lines += ["    }", *later, "    return data"]
        namespace = dict(source.names)
        exec("\n".join(lines), namespace)  # the source is generated from attrs fields
        known = _ENCODERS[cls, skip] = namespace["encode"]
    return known


#: The builders generated so far, by class and the fields they leave unset.
_BUILDERS: Final[dict[tuple[type, tuple[str, ...]], Callable[[dict[str, Any]], Any]]] = {}


def trusted_builder(cls: type[T], *, skip: tuple[str, ...] = ()) -> Callable[[dict[str, Any]], T]:
    """The constructor of ``cls`` from its stored form (a dict), generated from its attrs fields.

    Keys missing from the data take the field's default, as the strict read
    does; other keys (``schema_version``, an event's ``type``) are not read.
    The fields named in ``skip`` are left unset, for the caller to set.
    Generated once per class. Malformed data raises a ``KeyError``,
    ``TypeError`` or ``ValueError`` here: :func:`trusted_event` turns those
    into ``InvalidData``.

    Example:
        >>> from aftersales.model import Contact
        >>> build = trusted_builder(Contact)
        >>> build({"name": "张先生", "phone": "13812345678", "email": None, "role": None})
        Contact(name='张先生', phone='138****5678', email=None, role=None)
    """
    known = _BUILDERS.get((cls, skip))
    if known is None:
        known = _BUILDERS[cls, skip] = _generate(cls, skip)
    return known


def _generate(cls: Any, skip: tuple[str, ...]) -> Callable[[dict[str, Any]], Any]:
    """The source of ``cls``'s builder, compiled (see :func:`trusted_builder`)."""
    source = _Source()
    hints = typing.get_type_hints(cls)
    lines = ["def build(data):", "    made = new(cls)"]
    source.names.update(new=object.__new__, cls=cls, missing=attrs.NOTHING)
    derived = _derived(cls)
    for field in attrs.fields(cls):
        if field.name in skip:
            continue
        if not field.init:
            if field.name not in derived:
                raise _unsupported(f"{cls.__name__}.{field.name} (derived)")
            compute = source.name("derive_", derived[field.name])
            lines.append(f"    {source.setter(cls, field.name)}(made, {compute}(made))")
            continue
        template = source.converter(hints[field.name])
        if field.default is attrs.NOTHING:
            raw = f"data[{field.name!r}]"
            value = raw if template is None else template.format(raw)
        else:
            lines.append(f"    raw = data.get({field.name!r}, missing)")
            converted = "raw" if template is None else template.format("raw")
            if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
                fallback = f"{source.name('factory_', field.default.factory)}()"
            else:
                fallback = source.name("default_", field.default)
            value = f"({fallback} if raw is missing else {converted})"
        lines.append(f"    {source.setter(cls, field.name)}(made, {value})")
    lines.append("    return made")
    namespace = dict(source.names)
    exec("\n".join(lines), namespace)  # the source is generated from attrs fields
    build: Callable[[dict[str, Any]], Any] = namespace["build"]
    build.__qualname__ = f"trusted_builder.<{cls.__name__}>"
    return build


@cache
def _event_builders() -> dict[Any, Callable[[dict[str, Any]], TicketEvent]]:
    """The trusted builder of every event class, by its ``type`` tag (generated on first use)."""
    return {tag: trusted_builder(cls) for tag, cls in EVENT_TYPES.items()}


_SUPPORTED: Final = frozenset(SUPPORTED_SCHEMA_VERSIONS)


def trusted_event(data: Any) -> TicketEvent:
    """The event of a stored form written by :func:`~aftersales.serialization.to_dict`, unvalidated.

    Call it under the store's vocabulary (``vocabulary.active()``). Raises
    :class:`~aftersales.UnsupportedSchemaVersion` for a ``schema_version``
    this library does not read and :class:`~aftersales.InvalidData` for data
    it cannot build an event from.

    Example:
        >>> from aftersales.serialization import to_dict
        >>> from aftersales.testing.samples import sample_ticket
        >>> opened = sample_ticket().history[0]
        >>> rebuilt = trusted_event(to_dict(opened))
        >>> rebuilt == opened, rebuilt.at_us == opened.at_us
        (True, True)
    """
    if data.__class__ is not dict:
        message = f"{type(data).__name__} is not an object; accepted: an event object"
        raise InvalidData(f"$: {message}", problems=[("$", message)])
    version = data.get("schema_version")
    if version.__class__ is not int or version not in _SUPPORTED:
        raise UnsupportedSchemaVersion(
            "schema_version", version, supported=SUPPORTED_SCHEMA_VERSIONS
        )
    tag = data.get("type")
    build = _event_builders().get(tag) if tag.__class__ is str else None
    if build is None:
        message = (
            f"{shown(tag)} is not a known value; accepted: an event type such as 'ticket_opened'"
        )
        raise InvalidData(f"type: {message}", problems=[("type", message)])
    try:
        return build(data)
    except AftersalesError:
        raise
    except _MALFORMED as error:
        raise malformed(EVENT_TYPES[str(tag)].__name__, error) from error


def trusted_event_from_json(text: str | bytes) -> TicketEvent:
    """:func:`trusted_event` of JSON text (read with :func:`~aftersales.serialization.parse_json`).

    Example:
        >>> from aftersales.serialization import to_json
        >>> from aftersales.testing.samples import sample_ticket
        >>> event = sample_ticket().history[1]
        >>> trusted_event_from_json(to_json(event)) == event
        True
    """
    return trusted_event(parse_json(text))


def malformed(what: str, error: BaseException) -> InvalidData:
    """The ``InvalidData`` of stored data a trusted read could not build ``what`` from.

    Example:
        >>> print(malformed("Contact", KeyError("name")))
        $: the stored Contact is malformed (KeyError: 'name'); accepted: the form to_dict writes
    """
    message = (
        f"the stored {what} is malformed ({type(error).__name__}: {error});"
        " accepted: the form to_dict writes"
    )
    return InvalidData(f"$: {message}", problems=[("$", message)])
