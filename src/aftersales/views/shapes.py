"""The shapes of the public JSON views, derived from the model's own field declarations.

A view's fields are its value's fields (a ticket's :class:`~aftersales.model.fields.TicketFields`,
an event's attrs fields) with every :class:`~aftersales.model.customer.Contact`
shown as a :class:`~aftersales.model.customer.MaskedContact`, plus a few
derived fields. The views (:mod:`aftersales.views.tickets`) are written from
these shapes and the schemas (:mod:`aftersales.schemas`) are generated from
them, so no field is declared twice. Each shape maps a field name to its
declared type, in the order the view writes them. Imports: the model only.

Example:
    >>> list(TICKET_VIEW)[:3], TICKET_VIEW["contact"]
    (['id', 'version', 'status'], aftersales.model.customer.MaskedContact | None)
    >>> from aftersales.model.events import Reopened
    >>> list(event_view_shape(Reopened))
    ['type', 'ticket_id', 'seq', 'at', 'by', 'reason']
"""

from __future__ import annotations

import functools
import types
from collections.abc import Mapping
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import attrs

from aftersales.model.attributes import ShownAttribute
from aftersales.model.customer import Contact, MaskedContact
from aftersales.model.events import TicketEvent
from aftersales.model.fields import TicketFields
from aftersales.vocab import CloseStatus

__all__ = [
    "TICKET_VIEW",
    "TICKET_VIEW_EXTRAS",
    "VIEW_NAMES",
    "event_view_shape",
    "masked_type",
    "value_shape",
]

#: The fields a ticket view adds to the ticket's own: the template's three-way
#: close status, the commands the status allows, whether the contact is masked,
#: the sub-status's labels (the code itself where no declaration names it), the
#: priority's labels (the level's where the ticket has one), and the custom
#: attributes as read: labels, value as shown in zh and en, legacy or not.
TICKET_VIEW_EXTRAS: Mapping[str, Any] = types.MappingProxyType(
    {
        "close_status": CloseStatus,
        "allowed_commands": tuple[str, ...],
        "contact_masked": bool,
        "substatus_label_zh": str | None,
        "substatus_label_en": str | None,
        "priority_label_zh": str,
        "priority_label_en": str,
        "attributes_shown": tuple[ShownAttribute, ...],
    }
)


def masked_type(declared: Any) -> Any:
    """``declared`` with :class:`Contact` replaced by :class:`MaskedContact` (also in ``X | None``).

    Example:
        >>> masked_type(Contact | None)
        aftersales.model.customer.MaskedContact | None
    """
    if declared is Contact:
        return MaskedContact
    if get_origin(declared) in (Union, types.UnionType):
        arms = tuple(masked_type(arm) for arm in get_args(declared))
        return functools.reduce(lambda a, b: a | b, arms)
    return declared


def value_shape(
    cls: type, *, skip: frozenset[str] = frozenset(), masked: bool = True
) -> dict[str, Any]:
    """The declared type of each constructor field of the attrs class ``cls``, contacts masked.

    With ``masked=False`` the types are as declared (the stored form's shape).

    Example:
        >>> value_shape(Contact)
        {'name': <class 'str'>, 'phone': str | None, 'email': str | None, 'role': str | None}
    """
    hints = get_type_hints(cls)
    return {
        field.name: masked_type(hints[field.name]) if masked else hints[field.name]
        for field in attrs.fields(cls)
        if field.init and field.name not in skip
    }


def event_view_shape(event: type[TicketEvent], *, masked: bool = True) -> Mapping[str, Any]:
    """The fields of the view (and of the stored form) of an ``event`` class, ``type`` first.

    ``type`` is the event's serialized tag, a constant of the class; with
    ``masked=False``, contacts keep their declared type (the stored form).

    Example:
        >>> from aftersales.model.events import NoteAdded
        >>> event_view_shape(NoteAdded)["type"]
        typing.Literal['note_added']
    """
    found = _EVENT_SHAPES.get((event, masked))
    if found is None:
        tag: Any = Literal[event.type]
        found = types.MappingProxyType({"type": tag, **value_shape(event, masked=masked)})
        _EVENT_SHAPES[(event, masked)] = found
    return found


_EVENT_SHAPES: dict[tuple[type, bool], Mapping[str, Any]] = {}


#: The fields of a ticket view, in order: the ticket's fields, then :data:`TICKET_VIEW_EXTRAS`.
TICKET_VIEW: Mapping[str, Any] = types.MappingProxyType(
    {**value_shape(TicketFields), **TICKET_VIEW_EXTRAS}
)

#: The names of the views, as the schemas call them.
VIEW_NAMES = ("ticket_view", "event_view", "history_view", "report_view")
