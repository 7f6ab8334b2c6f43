"""Strict conversion between ``aftersales`` values and plain data (dicts, JSON).

One ``cattrs`` converter serves every public value type. It is strict: unknown
keys, wrong types (a string where a number goes, ``1`` where a boolean goes),
naive datetimes, unregistered vocabulary codes and out-of-range scores are all
refused with one :class:`~aftersales.InvalidData` that lists *every* offending
path. Datetimes are written as ISO 8601 in UTC; vocabulary as its code.

The top-level dict carries ``schema_version``; :func:`from_dict` refuses a
version it does not know with :class:`~aftersales.errors.UnsupportedSchemaVersion`.
A ticket is stored with its full history; reading it back replays the history
and checks that the stored fields agree with it. Lists and objects nested
deeper than :data:`MAX_DEPTH` (64) levels are refused with an ``InvalidData``
naming the path where they got too deep, before anything recurses into them.

Example:
    >>> from aftersales.testing.samples import sample_ticket
    >>> ticket = sample_ticket()
    >>> data = to_dict(ticket)
    >>> data["schema_version"], data["status"], data["priority"]
    (1, 'closed', 'urgent')
    >>> from_dict(Ticket, data) == ticket
    True
    >>> from aftersales.model import Contact
    >>> from_dict(Contact, {"schema_version": 1, "name": "张先生", "phone": 13812345678, "age": 3})
    Traceback (most recent call last):
    ...
    aftersales.errors.InvalidData: 2 invalid values:
      phone: the number 138****5678 is not a string; accepted: a string
      age: unknown key; accepted: name, phone, email, role
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum, StrEnum
from functools import partial
from typing import Any, Final, TypeVar, cast, get_args, get_origin

import attrs
import cattrs
import pendulum
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.strategies import configure_tagged_union, include_subclasses

from aftersales._nesting import data_too_deep, depth_problem, text_too_deep
from aftersales._shown import shown
from aftersales.errors import InvalidData, UnknownValue, UnsupportedSchemaVersion
from aftersales.model.attribute_values import AttributeValues
from aftersales.model.events import TicketEvent
from aftersales.model.fields import omitted_fields
from aftersales.model.masking import MASKED_FIELD, default_masking
from aftersales.model.ticket import Ticket
from aftersales.time import to_utc
from aftersales.vocab import Term

__all__ = [
    "MAX_DEPTH",
    "SCHEMA_VERSION",
    "SUPPORTED_SCHEMA_VERSIONS",
    "converter",
    "from_dict",
    "from_json",
    "parse_json",
    "structure",
    "to_dict",
    "to_json",
]

T = TypeVar("T")

#: The version of the stored form written by this library.
SCHEMA_VERSION: Final = 1
#: The stored-form versions this library reads.
SUPPORTED_SCHEMA_VERSIONS: Final = (1,)
#: How deep lists and objects may nest in data read by :func:`from_dict`,
#: :func:`from_json` and :func:`parse_json` (a ticket needs about 6 levels).
MAX_DEPTH: Final = 64


class _WrongType(TypeError):
    """A value of the wrong JSON type; the message is what ends up in the problem list."""


class _FieldProblems(Exception):
    """Value-check problems of one field, with paths made relative to that field."""

    def __init__(self, name: str, problems: tuple[tuple[str, str], ...]) -> None:
        super().__init__(name)
        self.problems = [(path.removeprefix(name), message) for path, message in problems]


def _strict(kind: type, label: str) -> Any:
    def structure(value: Any, _: Any) -> Any:
        if type(value) is not kind and not (kind is float and type(value) is int):
            raise _WrongType(f"{shown(value)} is not {label}; accepted: {label}")
        return value

    return structure


def _structure_datetime(value: Any, _: Any) -> pendulum.DateTime:
    if not isinstance(value, str):
        raise _WrongType(
            f"{shown(value)} is not a datetime string; accepted: ISO 8601 with an offset"
        )
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _WrongType(
            f"{shown(value)} is not a datetime; accepted: ISO 8601 with an offset"
        ) from None
    if parsed.tzinfo is None:
        raise _WrongType(
            f"{shown(value)} has no time zone; accepted: an aware datetime such as"
            " 2024-05-10T14:30:00+08:00"
        )
    return to_utc(parsed)


def _unstructure_datetime(value: datetime) -> str:
    return to_utc(value).isoformat()


def _structure_date(value: Any, _: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise _WrongType(f"{shown(value)} is not a date string; accepted: YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _WrongType(f"{shown(value)} is not a date; accepted: YYYY-MM-DD") from None


def _structure_enum(value: Any, cls: type[Enum]) -> Enum:
    for member in cls:
        if member.value == value:
            return member
    accepted = ", ".join(repr(m.value) for m in cls)
    raise _WrongType(f"{shown(value)} is not a known value; accepted: {accepted}")


def _enum_value(member: Enum) -> Any:
    return member.value


def _structure_term(value: Any, cls: type[Term]) -> Term:
    if not isinstance(value, str):
        raise _WrongType(f"{shown(value)} is not a code string; accepted: a registered code")
    try:
        return cls.get(value)
    except UnknownValue as error:
        raise _WrongType(error.problems[0][1]) from None


def _structure_ticket(value: Any, _: Any) -> Ticket:
    if not isinstance(value, dict):
        raise _WrongType(f"{type(value).__name__} is not an object; accepted: a ticket object")
    try:
        history = converter.structure(value.get("history"), list[TicketEvent])
    except Exception as error:
        raise InvalidData.from_problems(_problems(error, "history")) from error
    ticket = Ticket.replay(history)
    replayed = converter.unstructure(ticket)
    problems = [
        (key, _disagreement(key, value[key], replayed.get(key)))
        for key in value
        if key != "history" and value[key] != replayed.get(key)
    ]
    problems += [
        (key, "missing; accepted: the value the history gives")
        for key in replayed
        if key not in value
    ]
    if problems:
        raise InvalidData.from_problems(problems)
    return ticket


def _disagreement(key: str, stored: Any, replayed: Any) -> str:
    if key == "contact":  # contact details are not shown in errors
        return "the stored contact disagrees with the history's; accepted: the history's contact"
    return f"{shown(stored)} disagrees with the history, which gives {shown(replayed)}"


def _checked_structure_hook(conv: cattrs.Converter, cls: type) -> Any:
    """cattrs's structure function for ``cls``, reporting value checks beside type errors.

    cattrs stops at type errors before the class is built, so its value checks
    (scores, ids, non-blank texts) would go unreported; they are run here on
    every field that did structure, so one pass lists every bad path.
    """
    generated: Callable[[Any, Any], Any] = make_dict_structure_fn(
        cls, conv, **_masked_field_hooks(cls)
    )
    checks = dict(getattr(cls, "_checks", ()))
    hints = {field.name: field.type for field in attrs.fields(cls)}

    def structure(data: Any, _: Any) -> Any:
        try:
            return generated(data, cls)
        except ClassValidationError as error:
            failed = {note.name for _, note in error.group_exceptions()[0]}
            if not failed:  # the class was built and its own checks reported everything
                raise
            extra: list[Exception] = []
            for name, check in checks.items():
                if name in failed or not isinstance(data, dict) or name not in data:
                    continue
                try:
                    check(conv.structure(data[name], hints[name]), name)
                except InvalidData as problem:
                    found = _FieldProblems(name, problem.problems)
                    found.__notes__ = [AttributeValidationNote(name, name, hints[name])]
                    extra.append(found)
                except Exception:  # a type error is already reported through ``failed``
                    continue
            if not extra:
                raise
            raise ClassValidationError(error.message, [*error.exceptions, *extra], cls) from None

    return structure


def _masked_field_hooks(cls: type) -> dict[str, Any]:
    """Hooks for the fields holding a phone or an e-mail: a value of a wrong type is named masked."""
    return {
        field.name: override(struct_hook=_masked_text(field.metadata[MASKED_FIELD]))
        for field in attrs.fields(cls)
        if MASKED_FIELD in field.metadata
    }


def _masked_text(kind: Any) -> Callable[[Any, Any], Any]:
    def structure(value: Any, declared: Any) -> Any:
        if type(value) is str or (value is None and type(None) in get_args(declared)):
            return value
        masked = default_masking().describe(value, kind)
        raise _WrongType(f"{masked} is not a string; accepted: a string")

    return structure


def _omitting_unstructure_hook(conv: cattrs.Converter, cls: type) -> Any:
    """cattrs's unstructure function for ``cls``, leaving out its omitted fields while ``None``."""
    omitted: dict[str, Any] = {name: override(omit_if_default=True) for name in omitted_fields(cls)}
    return make_dict_unstructure_fn(cls, conv, **omitted)


def _is_frozenset(declared: Any) -> bool:
    return declared is frozenset or get_origin(declared) is frozenset


def _frozenset_hooks(conv: cattrs.Converter, declared: Any) -> tuple[Any, Any]:
    """A ``frozenset``'s hooks: written as a sorted list, read strictly from a list."""
    arguments = get_args(declared)
    item_type = arguments[0] if arguments else Any

    def unstructure(value: frozenset[Any]) -> list[Any]:
        return sorted(conv.unstructure(item) for item in value)

    def structure(value: Any, _: Any) -> frozenset[Any]:
        if type(value) is not list:
            raise _WrongType(f"{type(value).__name__} is not a list; accepted: a list")
        return frozenset(conv.structure(item, item_type) for item in value)

    return unstructure, structure


def _structure_attributes(value: Any, _: Any) -> AttributeValues:
    if type(value) is not dict:
        raise _WrongType(
            f"{type(value).__name__} is not an object; accepted: attribute names and their values"
        )
    return AttributeValues(value, path="")


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook_factory(
        lambda t: attrs.has(t) and hasattr(t, "_checks"),
        lambda t: _checked_structure_hook(conv, t),
    )
    conv.register_unstructure_hook_factory(
        lambda t: isinstance(t, type) and attrs.has(t) and bool(omitted_fields(t)),
        lambda t: _omitting_unstructure_hook(conv, t),
    )
    conv.register_unstructure_hook_factory(_is_frozenset, lambda t: _frozenset_hooks(conv, t)[0])
    conv.register_structure_hook_factory(_is_frozenset, lambda t: _frozenset_hooks(conv, t)[1])
    conv.register_structure_hook(str, _strict(str, "a string"))
    conv.register_structure_hook(int, _strict(int, "an integer"))
    conv.register_structure_hook(bool, _strict(bool, "a boolean"))
    conv.register_structure_hook(float, _strict(float, "a number"))
    conv.register_structure_hook(AttributeValues, _structure_attributes)
    conv.register_unstructure_hook(AttributeValues, AttributeValues.plain)
    conv.register_structure_hook(pendulum.DateTime, _structure_datetime)
    conv.register_structure_hook(datetime, _structure_datetime)
    conv.register_unstructure_hook(pendulum.DateTime, _unstructure_datetime)
    conv.register_unstructure_hook(datetime, _unstructure_datetime)
    conv.register_structure_hook(date, _structure_date)
    conv.register_unstructure_hook(date, date.isoformat)
    # Hooks dispatch on the class's MRO: StrEnum precedes str there, so every
    # str-valued enum (the labelled vocabularies among them) is read strictly by value.
    for base in (Enum, StrEnum):
        conv.register_structure_hook(base, _structure_enum)
        conv.register_unstructure_hook(base, _enum_value)
    conv.register_structure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, Term), _structure_term
    )
    conv.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, Term), lambda term: term.code
    )
    include_subclasses(
        TicketEvent,
        conv,
        union_strategy=partial(
            configure_tagged_union,
            tag_name="type",
            tag_generator=lambda cls: str(getattr(cls, "type", "") or cls.__name__),
        ),
    )
    conv.register_structure_hook(Ticket, _structure_ticket)
    return conv


#: The strict converter behind :func:`to_dict` and :func:`from_dict`.
converter: Final = _make_converter()


def to_dict(value: Any) -> dict[str, Any]:
    """The stored form of an attrs value: plain data plus ``schema_version``.

    Example:
        >>> from aftersales.model import Contact
        >>> to_dict(Contact(name="张先生", phone="13812345678"))
        {'schema_version': 1, 'name': '张先生', 'phone': '13812345678', 'email': None, 'role': None}
    """
    if not attrs.has(type(value)):
        message = (
            f"{type(value).__name__} is not an aftersales value type;"
            " accepted: a value such as a Ticket, a Customer or a TicketEvent"
        )
        raise InvalidData(f"value: {message}", problems=[("value", message)])
    data = converter.unstructure(value, unstructure_as=_declared_type(value))
    return {"schema_version": SCHEMA_VERSION, **data}


def from_dict(cls: type[T], data: Any) -> T:
    """Rebuild a ``cls`` from its stored form, refusing anything not exactly right.

    Example:
        >>> from aftersales.model import Contact
        >>> from_dict(Contact, {"schema_version": 1, "name": "张先生", "phone": None,
        ...                     "email": None, "role": None})
        Contact(name='张先生', phone=None, email=None, role=None)
    """
    if not (isinstance(cls, type) and attrs.has(cast(Any, cls))):
        message = (
            f"{shown(cls)} is not an aftersales value type;"
            " accepted: a class such as Ticket, Customer or TicketEvent"
        )
        raise InvalidData(f"cls: {message}", problems=[("cls", message)])
    if not isinstance(data, dict):
        message = f"{type(data).__name__} is not an object; accepted: an object"
        raise InvalidData(f"$: {message}", problems=[("$", message)])
    deep = data_too_deep(data, limit=MAX_DEPTH)
    if deep is not None:
        raise InvalidData.from_problems([depth_problem(deep, MAX_DEPTH)])
    version = data.get("schema_version")
    if version is None:
        message = f"missing; accepted: {', '.join(map(str, SUPPORTED_SCHEMA_VERSIONS))}"
        raise InvalidData(f"schema_version: {message}", problems=[("schema_version", message)])
    if version not in SUPPORTED_SCHEMA_VERSIONS or type(version) is not int:
        raise UnsupportedSchemaVersion(
            "schema_version", version, supported=SUPPORTED_SCHEMA_VERSIONS
        )
    body = {key: value for key, value in data.items() if key != "schema_version"}
    target: Any = TicketEvent if issubclass(cls, TicketEvent) else cls
    try:
        value = converter.structure(body, target)
    except Exception as error:  # every failure becomes one InvalidData listing all paths
        problems = _problems(error, "")
        raise InvalidData.from_problems(problems or [("$", str(error))]) from error
    if not isinstance(value, cls):
        message = f"{type(value).__name__} is not a {cls.__name__}; accepted: {cls.__name__}"
        raise InvalidData(f"type: {message}", problems=[("type", message)])
    return value


def structure(declared: Any, data: Any) -> Any:
    """Plain ``data`` (no ``schema_version``) as a value of the ``declared`` type, strictly.

    What :func:`from_dict` does for one part of a document: a field's type such
    as ``pendulum.DateTime`` or ``SolutionStep``. Raises one
    :class:`~aftersales.errors.InvalidData` whose paths are relative to ``data``
    (``""`` for ``data`` itself, ``deadline``, ``[1].action``).

    Example:
        >>> from aftersales.model import SolutionStep
        >>> structure(SolutionStep, {"action": "更换电源", "executor": "王工",
        ...                          "deadline": "2024-05-12T18:00:00+08:00"}).deadline.hour
        10
        >>> structure(SolutionStep, {"action": "", "executor": 3, "deadline": "soon"})
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: 3 invalid values:
          executor: 3 is not a string; accepted: a string
          deadline: 'soon' is not a datetime; accepted: ISO 8601 with an offset
          action: '' is empty; accepted: a non-blank text
    """
    deep = data_too_deep(data, limit=MAX_DEPTH)
    if deep is not None:
        path, message = depth_problem(deep, MAX_DEPTH)
        raise InvalidData.from_problems([(path.removeprefix("$"), message)])
    try:
        return converter.structure(data, declared)
    except Exception as error:  # every failure becomes one InvalidData listing all paths
        problems = [(path.removeprefix("$"), message) for path, message in _problems(error, "")]
        raise InvalidData.from_problems(problems or [("", str(error))]) from error


def to_json(value: Any, *, indent: int | None = None) -> str:
    """:func:`to_dict` as JSON text (UTF-8 characters kept as they are).

    Example:
        >>> from aftersales.model import Product
        >>> to_json(Product(model="A型智能办公设备"))
        '{"schema_version": 1, "model": "A型智能办公设备", "name": null}'
    """
    if indent is not None and (type(indent) is not int or not 0 <= indent <= 16):
        message = f"{shown(indent)} is not an indent; accepted: None or an integer from 0 to 16"
        raise InvalidData(f"indent: {message}", problems=[("indent", message)])
    return json.dumps(to_dict(value), ensure_ascii=False, indent=indent)


def from_json(cls: type[T], text: str | bytes) -> T:
    """:func:`from_dict` from JSON text; malformed JSON is ``InvalidData`` too.

    The text is read with :func:`parse_json`, so nesting deeper than
    :data:`MAX_DEPTH` is refused before it is parsed.

    Example:
        >>> from aftersales.model import Product
        >>> from_json(Product, '{"schema_version": 1, "model": "A型", "name": null}').model
        'A型'
    """
    return from_dict(cls, parse_json(text))


def parse_json(text: str | bytes) -> Any:
    """JSON text as plain data, refusing nesting deeper than :data:`MAX_DEPTH` levels.

    The depth is checked by a loop over the brackets before the text is
    parsed, so even a document nested 100,000 deep gives an ``InvalidData``
    naming the path where it got too deep (never a ``RecursionError``). The
    stores read their rows with it too.

    Example:
        >>> parse_json('{"a": [1, 2]}')
        {'a': [1, 2]}
        >>> parse_json("[" * 100_000 + "]" * 100_000)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: $[0][0][0][0][0][0][0][0]…(48 more)…[0][0][0][0][0][0][0][0]: nested deeper than 64 levels; accepted: at most 64 levels of lists and objects
    """
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as error:
            message = f"not UTF-8 ({error}); accepted: JSON text in UTF-8"
            raise InvalidData(f"$: {message}", problems=[("$", message)]) from None
    if not isinstance(text, str):
        message = f"{type(text).__name__} is not JSON text; accepted: a str or bytes"
        raise InvalidData(f"text: {message}", problems=[("text", message)])
    deep = text_too_deep(text, limit=MAX_DEPTH)
    if deep is not None:
        raise InvalidData.from_problems([depth_problem(deep, MAX_DEPTH)])
    try:
        return json.loads(text)
    except ValueError as error:
        message = f"not valid JSON ({error}); accepted: a JSON object"
        raise InvalidData(f"$: {message}", problems=[("$", message)]) from None


def _declared_type(value: Any) -> type:
    return TicketEvent if isinstance(value, TicketEvent) else type(value)


def _join(path: str, part: str) -> str:
    if not path or not part:
        return path or part
    return f"{path}{part}" if part.startswith("[") else f"{path}.{part}"


def _problems(error: BaseException, path: str) -> list[tuple[str, str]]:
    if isinstance(error, ForbiddenExtraKeysError):
        accepted = ", ".join(f.name for f in attrs.fields(error.cl)) if attrs.has(error.cl) else ""
        return [
            (_join(path, key), f"unknown key; accepted: {accepted}")
            for key in sorted(error.extra_fields)
        ]
    if isinstance(error, ClassValidationError | IterableValidationError):
        found: list[tuple[str, str]] = []
        with_notes, others = error.group_exceptions()
        for sub, note in with_notes:
            if isinstance(error, IterableValidationError):
                part = f"[{getattr(note, 'index', '?')}]"
            else:
                part = getattr(note, "name", "?")
            found += _problems(sub, _join(path, part))
        for sub in others:
            found += _problems(sub, path)
        return found
    if isinstance(error, cattrs.BaseValidationError):
        found = []
        for sub in error.exceptions:
            found += _problems(sub, path)
        return found
    if isinstance(error, InvalidData):
        return [
            (_join(path, sub_path) if sub_path else path or "$", message)
            for sub_path, message in (error.problems or [("", str(error))])
        ]
    if isinstance(error, KeyError):
        return [(path or str(error.args[0]), "missing; accepted: a value")]
    if isinstance(error, _FieldProblems):
        return [
            (f"{path}{rest}" if rest.startswith("[") else _join(path, rest.lstrip(".")), message)
            for rest, message in error.problems
        ]
    if isinstance(error, _WrongType):
        return [(path or "$", str(error))]
    return [(path or "$", f"{error}")]
