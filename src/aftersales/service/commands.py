"""The service desk's command table: each lifecycle command, its event and the desk's part in it.

A command is declared once, as its event class (listed in
:data:`~aftersales.model.events.EVENTS_BY_COMMAND`): the event's own fields
are the command's arguments, with the event's defaults. What the desk adds to
a few commands is declared here as data, not written into their methods:

* ``propose_solution`` takes its ``steps`` as any list;
* ``record_visit`` records the desk's ``visit_threshold`` with the visit, a
  ``channel`` of ``None`` is the event's default (a return-visit call), and
  ``dimensions`` may be a mapping of dimensions to scores;
* ``escalate`` without a ``level`` raises the ticket's level by one;
* ``set_substatus`` takes a sub-status the desk's SLA policy declares (by code
  or label; recorded as its code) under the ticket's current status, or ``None``;
* ``change_priority`` takes a level of the desk's priority scale (or a seed
  priority) and records the seed priority it reports as with the level's code;
* ``add_tags`` and ``remove_tags`` take tags in any form, record their normal
  forms, and narrow them to the tags that change the ticket;
* ``set_attributes`` takes values of the attributes the desk's store declares
  (each normalised by its declaration, ``None`` to clear one) and records the
  values set and the names cleared;
* ``record_sla_warning`` and ``record_sla_breach`` accept only a ``metric`` of
  the desk's SLA policy (without one: a built-in metric).

:meth:`ServiceDesk.execute <aftersales.ServiceDesk.execute>` runs any command
from this table; each named method of the desk is a one-line call of it.
Imports: the domain only (the desk is seen through :class:`DeskSettings`).

Example:
    >>> COMMANDS["escalate"].arguments
    ('level', 'reason', 'to')
    >>> COMMANDS["record_visit"].arguments
    ('resolved', 'score', 'comment', 'channel', 'dimensions')
    >>> COMMANDS["escalate"].required
    ('reason',)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, Protocol, TypedDict

import attrs

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.calendar import WorkCalendar
from aftersales.errors import InvalidData, UnknownValue
from aftersales.lifecycle import OPEN_COMMAND, TRANSITIONS, current_command
from aftersales.model.events import EVENTS_BY_COMMAND, ContactRevealed, TicketEvent
from aftersales.model.ticket import Ticket
from aftersales.priority_levels import PriorityScale
from aftersales.service.attribute_arguments import attribute_fields
from aftersales.service.json_arguments import payload_path, structured_arguments
from aftersales.service.sla_choice import known_sla_policy
from aftersales.service.substatus_arguments import declared_substatus, substatus_of_the_status
from aftersales.service.tag_arguments import normal_tags, tags_to_add, tags_to_remove
from aftersales.sla import SlaPolicy

__all__ = [
    "COMMANDS",
    "DESK_ONLY",
    "Command",
    "DerivedFields",
    "DeskSettings",
    "command_named",
    "priority_scale_of",
]


class DeskSettings(Protocol):
    """What a command's declaration may read from the desk running it.

    Example:
        >>> from aftersales import ServiceDesk
        >>> desk: DeskSettings = ServiceDesk(visit_threshold=4)
        >>> desk.visit_threshold
        4
    """

    @property
    def visit_threshold(self) -> int:
        """The lowest return-visit score that closes a ticket."""
        ...

    @property
    def sla_policy(self) -> SlaPolicy | None:
        """The desk's SLA policy, if it has one."""
        ...


#: Computes an event field from the desk and the ticket the command applies to.
Fill = Callable[[DeskSettings, Ticket], Any]
#: Checks (and may normalise) one argument, given the desk and the argument's name.
ArgumentCheck = Callable[[DeskSettings, Any, str], Any]
#: Checks one argument against the ticket the command applies to, given the desk and its name.
TicketCheck = Callable[[DeskSettings, Ticket, Any, str], None]
#: Narrows one argument to what changes the ticket (or refuses it), given the desk and its name.
Narrowing = Callable[[DeskSettings, Ticket, Any, str], Any]


@attrs.frozen(slots=True)
class DerivedFields:
    """Event fields the desk derives from one argument, beside the argument's own field.

    ``derive(desk, value, name)`` checks the argument's ``value`` and returns the
    event fields it stands for, its own among them; ``fields`` names the others,
    which are therefore not arguments of the command.

    Example:
        >>> from aftersales import ServiceDesk
        >>> COMMANDS["change_priority"].derived["priority"].derive(ServiceDesk(), "紧急", "priority")
        {'priority': <Priority.URGENT: 'urgent'>, 'priority_level': None}
    """

    fields: tuple[str, ...]
    derive: Callable[[DeskSettings, Any, str], Mapping[str, Any]]


_EVENT_BASE = frozenset(field.name for field in attrs.fields(TicketEvent))


def _read_only(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


def _names(names: Iterable[str]) -> frozenset[str]:
    return frozenset(names)


@attrs.frozen(slots=True, kw_only=True)
class Command:
    """A lifecycle command as the desk runs it: its event and the desk's additions.

    Args:
        name: the command (the event's ``command``).
        event: the event class it records.
        desk_fills: event fields the desk sets itself; not arguments of the command.
        computed: arguments the desk computes when they are left out or ``None``.
        optional: arguments whose ``None`` leaves the event's default.
        checks: argument checks run before the ticket is read.
        derived: arguments that stand for several event fields, by argument.
        against_ticket: argument checks against the ticket, run once the
            lifecycle allows the command in the ticket's status.
        narrowed: arguments narrowed to what changes the ticket, by argument,
            run after ``against_ticket``.

    Example:
        >>> from aftersales.model.events import NoteAdded
        >>> note = Command(name="add_note", event=NoteAdded)
        >>> note.arguments, note.required
        (('text',), ('text',))
    """

    name: str
    event: type[TicketEvent]
    desk_fills: Mapping[str, Fill] = attrs.field(factory=dict, converter=_read_only)
    computed: Mapping[str, Fill] = attrs.field(factory=dict, converter=_read_only)
    optional: frozenset[str] = attrs.field(default=frozenset(), converter=_names)
    checks: Mapping[str, ArgumentCheck] = attrs.field(factory=dict, converter=_read_only)
    derived: Mapping[str, DerivedFields] = attrs.field(factory=dict, converter=_read_only)
    against_ticket: Mapping[str, TicketCheck] = attrs.field(factory=dict, converter=_read_only)
    narrowed: Mapping[str, Narrowing] = attrs.field(factory=dict, converter=_read_only)

    #: The command's arguments, in the event's field order: what a payload may hold.
    arguments: tuple[str, ...] = attrs.field(init=False)
    #: The arguments a payload must hold: no event default, not computed by the desk.
    required: tuple[str, ...] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        fields = [f for f in attrs.fields(self.event) if f.init and f.name not in _EVENT_BASE]
        not_arguments = {*self.desk_fills, *(n for d in self.derived.values() for n in d.fields)}
        arguments = tuple(f.name for f in fields if f.name not in not_arguments)
        required = tuple(
            f.name
            for f in fields
            if f.name in arguments and f.default is attrs.NOTHING and f.name not in self.computed
        )
        object.__setattr__(self, "arguments", arguments)
        object.__setattr__(self, "required", required)

    def arguments_from(self, desk: DeskSettings, payload: object) -> dict[str, Any]:
        """The checked arguments of ``payload``; nothing of the desk or the store is read.

        Raises :class:`~aftersales.errors.InvalidData` naming every key that is
        not an argument and every required argument that is missing (all at
        once), or naming the argument a check of this command refuses.

        Example:
            >>> from aftersales import ServiceDesk
            >>> COMMANDS["reopen"].arguments_from(ServiceDesk(), {"cause": "复发"})
            Traceback (most recent call last):
            ...
            aftersales.errors.InvalidData: 2 invalid values:
              payload['cause']: is not an argument of reopen; accepted: reason
              payload['reason']: is missing; accepted: a value for this argument of reopen
        """
        if not isinstance(payload, Mapping):
            accepted = ", ".join(self.arguments) or "no arguments"
            message = (
                f"{type(payload).__name__} is not a mapping; accepted: a mapping of {accepted}"
            )
            raise InvalidData(f"payload: {message}", problems=[("payload", message)])
        allowed = self.arguments
        problems = [
            (
                f"payload[{shown(key)}]",
                f"is not an argument of {self.name}; accepted: {', '.join(allowed) or 'none'}",
            )
            for key in payload
            if key not in allowed
        ]
        problems += [
            (
                f"payload[{name!r}]",
                f"is missing; accepted: a value for this argument of {self.name}",
            )
            for name in self.required
            if name not in payload
        ]
        if problems:
            raise InvalidData.from_problems(problems)
        arguments, problems = structured_arguments(
            self.event,
            {
                name: value
                for name, value in payload.items()
                if not (value is None and (name in self.optional or name in self.computed))
            },
        )
        failed = {path.split("'")[1] for path, _ in problems}
        errors: list[InvalidData] = []
        field_checks = dict(self.event._checks)
        for name in [name for name in arguments if name not in failed]:
            try:
                if name in self.checks:
                    arguments[name] = self.checks[name](desk, arguments[name], name)
                if name in self.derived:
                    fields = self.derived[name].derive(desk, arguments[name], name)
                    for field, value in fields.items():
                        field_checks[field](value, field)
                    arguments.update(fields)
                else:
                    field_checks[name](arguments[name], name)
            except InvalidData as error:
                errors.append(error)
        if not problems and len(errors) == 1:
            raise errors[0]
        problems += [(payload_path(path), m) for error in errors for path, m in error.problems]
        if problems:
            raise InvalidData.from_problems(problems)
        return arguments

    def event_fields(
        self, desk: DeskSettings, ticket: Ticket, arguments: Mapping[str, Any]
    ) -> dict[str, Any]:
        """The event's own fields: ``arguments`` with what the desk computes and fills in.

        Runs the checks against the ticket first when the lifecycle allows the
        command in its status (otherwise applying the event refuses it).

        Example:
            >>> from aftersales import ServiceDesk
            >>> from aftersales.testing.samples import sample_ticket
            >>> COMMANDS["escalate"].event_fields(ServiceDesk(), sample_ticket(), {"reason": "r"})
            {'reason': 'r', 'level': 1}
        """
        fields = dict(arguments)
        if TRANSITIONS.is_allowed(ticket.status, self.name):
            for name, check_it in self.against_ticket.items():
                if name in arguments:
                    check_it(desk, ticket, arguments[name], name)
            for name, narrow in self.narrowed.items():
                if name in fields:
                    fields[name] = narrow(desk, ticket, fields[name], name)
        for name, compute in self.computed.items():
            if name not in fields:
                fields[name] = compute(desk, ticket)
        for name, fill in self.desk_fills.items():
            fields[name] = fill(desk, ticket)
        return fields


def _next_level(desk: DeskSettings, ticket: Ticket) -> int:
    """The escalation level one above the ticket's."""
    return ticket.escalation_level + 1


def _policy_version(desk: DeskSettings, ticket: Ticket) -> int | None:
    """The version of the store's policy file the desk's policies came from (``None``: in code)."""
    return getattr(desk.sla_policy, "version", None)


def _visit_threshold(desk: DeskSettings, ticket: Ticket) -> int:
    """The desk's threshold, kept in the visit so that replays never depend on today's desk."""
    return desk.visit_threshold


def _as_list(desk: DeskSettings, value: Any, name: str) -> tuple[Any, ...]:
    """Any list (iterable) as a tuple; its items are checked by the event."""
    return check.items(value, name)


@functools.cache
def _built_in_metrics() -> tuple[str, ...]:
    """The names of the metrics of :meth:`SlaPolicy.default`."""
    return tuple(m.name for m in SlaPolicy.default(WorkCalendar.always()).metrics)


def _metric_of_the_desk(desk: DeskSettings, value: Any, name: str) -> str:
    """A metric of the desk's SLA policy (without one: a built-in metric)."""
    policy = desk.sla_policy
    names = _built_in_metrics() if policy is None else tuple(m.name for m in policy.metrics)
    if not isinstance(value, str) or value not in names:
        raise UnknownValue(name, value, names)
    return value


def priority_scale_of(desk: DeskSettings) -> PriorityScale:
    """The priority levels of the desk's SLA policy (without one: the seeds' three).

    Example:
        >>> from aftersales import ServiceDesk
        >>> priority_scale_of(ServiceDesk()).codes
        ('urgent', 'important', 'general')
    """
    policy = desk.sla_policy
    return PriorityScale.three_levels() if policy is None else policy.priority_scale


def _priority_fields(desk: DeskSettings, value: Any, name: str) -> dict[str, Any]:
    """The seed priority and the level code of ``value``, a level (or seed) of the desk's scale."""
    scale = priority_scale_of(desk)
    try:
        priority, level = scale.recorded(value)
    except UnknownValue:
        raise UnknownValue(name, value, scale.codes) from None
    return {"priority": priority, "priority_level": level}


class _DeskPart(TypedDict, total=False):
    desk_fills: Mapping[str, Fill]
    computed: Mapping[str, Fill]
    optional: frozenset[str]
    checks: Mapping[str, ArgumentCheck]
    derived: Mapping[str, DerivedFields]
    against_ticket: Mapping[str, TicketCheck]
    narrowed: Mapping[str, Narrowing]


_SLA_NOTICE: _DeskPart = {"checks": {"metric": _metric_of_the_desk}}

#: What the desk adds to a command, by command; every other command is its event alone.
_DESK_PART: dict[str, _DeskPart] = {
    "propose_solution": {"checks": {"steps": _as_list}},
    "record_visit": {
        "desk_fills": {"threshold": _visit_threshold},
        "optional": frozenset({"channel"}),
    },
    "escalate": {"computed": {"level": _next_level}},
    "set_substatus": {
        "checks": {"substatus": declared_substatus},
        "against_ticket": {"substatus": substatus_of_the_status},
    },
    "change_priority": {
        "derived": {"priority": DerivedFields(("priority_level",), _priority_fields)}
    },
    "record_sla_warning": _SLA_NOTICE,
    "record_sla_breach": _SLA_NOTICE,
    "add_tags": {"checks": {"tags": normal_tags}, "narrowed": {"tags": tags_to_add}},
    "remove_tags": {"checks": {"tags": normal_tags}, "narrowed": {"tags": tags_to_remove}},
    "change_sla_policy": {
        "checks": {"sla_policy": known_sla_policy},
        "desk_fills": {"policy_version": _policy_version},
    },
    "set_attributes": {"derived": {"attributes": DerivedFields(("cleared",), attribute_fields)}},
}


#: The commands only the desk's own methods run: opening a ticket, and revealing its
#: contact (recorded only once the host's access policy granted it).
DESK_ONLY: Mapping[str, str] = MappingProxyType(
    {
        OPEN_COMMAND: "creates a ticket; accepted: ServiceDesk.open_ticket(...) for it",
        ContactRevealed.command: (
            "needs the host's access decision; accepted:"
            " ServiceDesk.reveal_contact(ticket_id, by=..., purpose=..., access=...) for it"
        ),
    }
)

#: Every command on an existing ticket, by name (those of :data:`DESK_ONLY` have their own method).
COMMANDS: Mapping[str, Command] = MappingProxyType(
    {
        name: Command(name=name, event=event, **_DESK_PART.get(name, {}))
        for name, event in sorted(EVENTS_BY_COMMAND.items())
        if name not in DESK_ONLY
    }
)


def command_named(name: object, *, stacklevel: int = 1) -> Command:
    """The command called ``name``; :class:`~aftersales.errors.UnknownValue` listing them otherwise.

    An old name (:data:`~aftersales.lifecycle.RENAMED_COMMANDS`) gives the command under its new
    name, with a :class:`DeprecationWarning` attributed to the caller
    (``stacklevel`` 1), or to the frame ``stacklevel - 1`` above it.

    Example:
        >>> command_named("reopen").event.__name__
        'Reopened'
        >>> command_named("close")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        aftersales.errors.UnknownValue: command: 'close' is not a known value; accepted: 'acknowledge', 'add_note', ...
    """
    if isinstance(name, str):
        found = COMMANDS.get(current_command(name, stacklevel=stacklevel + 1))
        if found is not None:
            return found
    if isinstance(name, str) and name in DESK_ONLY:
        message = (
            f"{name!r} {DESK_ONLY[name]}, or a command on an existing ticket: {', '.join(COMMANDS)}"
        )
        raise InvalidData(f"command: {message}", problems=[("command", message)])
    raise UnknownValue("command", name, COMMANDS)
