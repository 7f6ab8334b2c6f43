"""A command's arguments in their JSON form, structured with the library's one converter.

A front end sends a command's payload as JSON: an instant is an ISO 8601
string with an offset, a solution step an object, a list an array, a
vocabulary value its code. :func:`structured_arguments` turns each such value
into the domain value the command's event takes, by the event field's declared
type and :func:`aftersales.serialization.structure` (no second definition of
any type); a value that already is a domain value is left as it is, so the
typed methods and ``execute`` with domain values work as before. Texts,
numbers, flags and vocabulary codes need no structuring: the event's own
checks read them. Every problem is reported with its path in the payload
(``payload['steps'][1]['action']``). Imports: the domain only.

Example:
    >>> from aftersales.model.events import SolutionProposed
    >>> arguments, problems = structured_arguments(SolutionProposed, {
    ...     "summary": "上门更换",
    ...     "steps": [{"action": "更换电源", "executor": "王工",
    ...                "deadline": "2024-05-12T18:00:00+08:00"}]})
    >>> arguments["steps"][0].deadline.isoformat(), problems
    ('2024-05-12T10:00:00+00:00', [])
    >>> structured_arguments(SolutionProposed, {"summary": "s", "steps": [{"action": "a"}]})[1]
    [("payload['steps'][0]['executor']", 'missing; accepted: a value'), ("payload['steps'][0]['deadline']", 'missing; accepted: a value')]
"""

from __future__ import annotations

import re
import types
from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from typing import Any, Union, get_args, get_origin, get_type_hints

import attrs

from aftersales.errors import InvalidData
from aftersales.model.events import TicketEvent
from aftersales.serialization import structure
from aftersales.vocab import Term

__all__ = ["argument_types", "payload_path", "structured_arguments"]

Problems = list[tuple[str, str]]

_PART = re.compile(r"\[(\d+)\]|\.?([^.\[]+)")


def payload_path(path: str) -> str:
    """A problem's path (``steps[1].action``) as a path in the payload.

    Example:
        >>> payload_path("steps[1].action"), payload_path("score")
        ("payload['steps'][1]['action']", "payload['score']")
    """
    parts = []
    for index, key in _PART.findall(path):
        parts.append(f"[{index}]" if index else f"[{key!r}]")
    return "payload" + "".join(parts)


def argument_types(event: type[TicketEvent]) -> Mapping[str, Any]:
    """The declared type of each field of ``event`` (the arguments of its command).

    Example:
        >>> from aftersales.model.events import Reopened
        >>> argument_types(Reopened)["reason"]
        <class 'str'>
    """
    found = _ARGUMENT_TYPES.get(event)
    if found is None:
        hints = get_type_hints(event)
        found = types.MappingProxyType(
            {f.name: hints[f.name] for f in attrs.fields(event) if f.init}
        )
        _ARGUMENT_TYPES[event] = found
    return found


_ARGUMENT_TYPES: dict[type, Mapping[str, Any]] = {}


def structured_arguments(
    event: type[TicketEvent], arguments: Mapping[str, Any]
) -> tuple[dict[str, Any], Problems]:
    """``arguments`` with their JSON forms structured, and the problems found (payload paths)."""
    declared = argument_types(event)
    structured: dict[str, Any] = {}
    problems: Problems = []
    for name, value in arguments.items():
        try:
            structured[name] = _structured(value, declared[name])
        except InvalidData as error:
            problems += [(payload_path(name + _relative(sub)), m) for sub, m in error.problems]
    return structured, problems


def _relative(sub: str) -> str:
    return sub if not sub or sub.startswith("[") else f".{sub}"


def _structured(value: Any, declared: Any) -> Any:
    """``value`` as ``declared`` when it is in its JSON form; otherwise ``value`` itself."""
    origin = get_origin(declared)
    if origin in (Union, types.UnionType):
        arms = [arm for arm in get_args(declared) if arm is not type(None)]
        if value is None or len(arms) != 1:
            return value
        return _structured(value, arms[0])
    if origin is tuple:
        item_type = get_args(declared)[0]
        if not isinstance(value, list | tuple):
            return value  # any other iterable is checked (and listed) by the command
        items: list[Any] = []
        problems: Problems = []
        for index, item in enumerate(value):
            try:
                items.append(_structured(item, item_type))
            except InvalidData as error:
                problems += [(f"[{index}]{_relative(sub)}", m) for sub, m in error.problems]
        if problems:
            raise InvalidData.from_problems(problems)
        return tuple(items)
    if not isinstance(declared, type) or isinstance(value, declared):
        return value
    if issubclass(declared, datetime) and isinstance(value, str):
        return structure(declared, value)
    if attrs.has(declared) and not issubclass(declared, Term | Enum) and isinstance(value, dict):
        return structure(declared, value)
    return value
