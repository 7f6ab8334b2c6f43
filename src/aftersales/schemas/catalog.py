"""The JSON Schemas of every command payload, event and view, each a self-contained document.

Each schema is generated from the declaration it describes (nothing is typed
twice): a command payload from the command's declaration (its event's fields,
which of them are required, which take ``null`` for "let the desk decide"), an
event's stored form (``to_dict(event)``) from the event class, the ticket and
event views from :mod:`aftersales.views.shapes`. Names are paths:
``commands/<command>``, ``events/<type tag>``, ``views/<view>``; each schema's
``$id`` is :func:`~aftersales.schemas.generate.schema_id` of its name.
:func:`schema_catalog` gives them all, by name. Imports: the domain only (the
command table is passed in by the caller, from the service layer).

Example:
    >>> from aftersales.model.events import Reopened
    >>> event_schema(Reopened)["properties"]["type"]
    {'const': 'reopened'}
    >>> view_schema("ticket_view")["$id"]
    'urn:aftersales:schema:v1:views/ticket_view'
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Mapping
from typing import Any, Final, Protocol, get_args

import attrs

from aftersales.errors import UnknownValue
from aftersales.model.attribute_values import AttributeValues
from aftersales.model.events import EVENT_TYPES, TicketEvent
from aftersales.model.satisfaction import DimensionScore
from aftersales.schemas.attributes import ATTRIBUTE_CHANGES
from aftersales.schemas.generate import SchemaBuilder
from aftersales.schemas.policy_file import POLICY_FILE_SCHEMA_NAME, policy_file_schema
from aftersales.serialization import SCHEMA_VERSION
from aftersales.views.reports import REPORT_KINDS
from aftersales.views.shapes import TICKET_VIEW, VIEW_NAMES, event_view_shape, value_shape

__all__ = [
    "CommandDeclaration",
    "command_schema",
    "event_schema",
    "schema_catalog",
    "view_schema",
]

_EVENT_BASE: Final = frozenset(field.name for field in attrs.fields(TicketEvent))
#: Scores by dimension as an event holds them, and the object a payload may give instead.
_SCORES_BY_DIMENSION: Final = tuple[DimensionScore, ...]
_SCORES_OBJECT: Final = {
    "type": "object",
    "additionalProperties": {"type": "integer", "minimum": 1, "maximum": 5},
}


class CommandDeclaration(Protocol):
    """What a command payload's schema is generated from (a ``Command`` of the service desk).

    Example:
        >>> from aftersales.service.commands import COMMANDS
        >>> isinstance(COMMANDS["reopen"].arguments, tuple)
        True
    """

    @property
    def name(self) -> str:
        """The command."""
        ...

    @property
    def event(self) -> type[TicketEvent]:
        """The event class it records."""
        ...

    @property
    def arguments(self) -> tuple[str, ...]:
        """The payload's keys."""
        ...

    @property
    def required(self) -> tuple[str, ...]:
        """The keys a payload must hold."""
        ...

    @property
    def optional(self) -> Collection[str]:
        """The arguments whose ``null`` leaves the event's default."""
        ...

    @property
    def computed(self) -> Mapping[str, Any]:
        """The arguments the desk computes when they are ``null`` or left out."""
        ...

    @property
    def derived(self) -> Mapping[str, Any]:
        """The arguments the desk reads against its own settings (a level of its priority scale)."""
        ...


def command_schema(command: CommandDeclaration) -> dict[str, Any]:
    """The schema of ``command``'s JSON payload (``ServiceDesk.execute``'s ``payload``).

    An argument the desk reads against its own settings (``change_priority``'s
    ``priority``: a level of the desk's priority scale, or a seed priority) is
    a string: which strings a desk takes depends on its scale. Scores by
    dimension (``record_visit``'s ``dimensions``) may also be an object of
    dimension codes to scores 1–5, as the desk takes them. Custom attributes
    (``set_attributes``' ``attributes``) are an object of names to values, or
    to ``null`` to clear one; which names and values a store takes depends on
    its declarations (see :func:`~aftersales.schemas.attributes.attributes_schema`).

    Example:
        >>> from aftersales.service.commands import COMMANDS
        >>> schema = command_schema(COMMANDS["escalate"])
        >>> schema["required"], schema["properties"]["level"]
        (['reason'], {'anyOf': [{'type': 'integer'}, {'type': 'null'}]})
        >>> command_schema(COMMANDS["change_priority"])["properties"]["priority"]
        {'type': 'string'}
        >>> command_schema(COMMANDS["record_visit"])["properties"]["dimensions"]["anyOf"][0]
        {'type': 'object', 'additionalProperties': {'type': 'integer', 'minimum': 1, 'maximum': 5}}
    """
    builder = SchemaBuilder()
    declared = value_shape(command.event)
    shape = {**declared, **dict.fromkeys(command.derived, str)}
    body = builder.object(
        {name: shape[name] for name in command.arguments},
        required=command.required,
        nullable=[*command.optional, *command.computed],
        title=f"{command.name} payload",
        description=(command.event.__doc__ or "").strip().splitlines()[0],
    )
    for name in command.arguments:
        if declared[name] is AttributeValues:  # names to values, or null to clear one
            body["properties"][name] = copy.deepcopy(ATTRIBUTE_CHANGES)
        if _SCORES_BY_DIMENSION in get_args(shape[name]):
            forms = body["properties"][name]
            forms["anyOf"] = [_SCORES_OBJECT, *forms["anyOf"]]
    return builder.finished(f"commands/{command.name}", body)


def event_schema(event: type[TicketEvent]) -> dict[str, Any]:
    """The schema of an event's stored form (:func:`aftersales.serialization.to_dict`).

    Example:
        >>> from aftersales.model.events import VisitRecorded
        >>> "threshold" in event_schema(VisitRecorded)["required"]
        False
    """
    builder = SchemaBuilder()
    body = _event_object(builder, event, stored=True)
    return builder.finished(f"events/{event.type}", body)


def view_schema(name: str) -> dict[str, Any]:
    """The schema of the view ``name``: one of ``ticket_view``, ``event_view``,
    ``history_view``, ``report_view``.

    Example:
        >>> view_schema("history_view")["type"]
        'array'
    """
    builder = SchemaBuilder()
    if name == "ticket_view":
        body = builder.object(TICKET_VIEW, required=list(TICKET_VIEW), title="ticket view")
    elif name in ("event_view", "history_view"):
        for event in EVENT_TYPES.values():
            builder.defs[f"{event.__name__}View"] = _event_object(builder, event, stored=False)
        one_of = {"oneOf": [{"$ref": f"#/$defs/{e.__name__}View"} for e in EVENT_TYPES.values()]}
        body = one_of if name == "event_view" else {"type": "array", "items": one_of}
    elif name == "report_view":
        body = {
            "title": "report view",
            "type": "object",
            "properties": {
                "kind": {"enum": list(REPORT_KINDS)},
                "period": {"type": "string"},
                "read_at": {"type": "string", "format": "date-time"},
                "figures": {"type": "object"},
            },
            "required": ["kind", "period", "read_at", "figures"],
        }
    else:
        raise UnknownValue("view", name, VIEW_NAMES)
    return builder.finished(f"views/{name}", body)


def schema_catalog(commands: Mapping[str, CommandDeclaration]) -> dict[str, dict[str, Any]]:
    """Every schema by name: the payloads of ``commands``, every event, every view, the policy file.

    Example:
        >>> from aftersales.service.commands import COMMANDS
        >>> catalog = schema_catalog(COMMANDS)
        >>> "commands/propose_solution" in catalog, "events/ticket_opened" in catalog
        (True, True)
    """
    catalog = {f"commands/{name}": command_schema(command) for name, command in commands.items()}
    catalog.update({f"events/{tag}": event_schema(event) for tag, event in EVENT_TYPES.items()})
    catalog.update({f"views/{name}": view_schema(name) for name in VIEW_NAMES})
    catalog[POLICY_FILE_SCHEMA_NAME] = policy_file_schema()
    return catalog


def _event_object(
    builder: SchemaBuilder, event: type[TicketEvent], *, stored: bool
) -> dict[str, Any]:
    """An event's stored form (``schema_version`` first, defaulted fields optional) or view."""
    shape = dict(event_view_shape(event, masked=not stored))
    defaults = {f.name for f in attrs.fields(event) if f.default is not attrs.NOTHING}
    if stored:
        shape = {"schema_version": Any, **shape}
        fields = {name: declared for name, declared in shape.items() if name != "schema_version"}
        body = builder.object(
            fields,
            required=["schema_version", *(n for n in fields if n not in defaults)],
            title=event.__name__,
        )
        body["properties"] = {"schema_version": {"const": SCHEMA_VERSION}, **body["properties"]}
        return body
    return builder.object(shape, required=list(shape), title=f"{event.__name__} view")
