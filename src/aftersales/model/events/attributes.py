"""The event of ``set_attributes``: custom attribute values set on a ticket, or cleared.

The values are the ones the desk checked against the store's declarations
(:mod:`aftersales.model.attributes`); the event does not consult them, so a
history stays readable whatever is declared later. Imports the event base,
the fields and the attribute values.

Example:
    >>> AttributesSet.command, AttributesSet.type
    ('set_attributes', 'attributes_set')
"""

from __future__ import annotations

from typing import Any, ClassVar

import attrs

from aftersales import _checks as check
from aftersales.errors import InvalidData
from aftersales.model.attribute_values import (
    AttributeValues,
    attribute_name,
    attribute_values,
)
from aftersales.model.events.base import BASE_CHECKS, TicketEvent
from aftersales.model.fields import TicketDraft

__all__ = ["AttributesSet"]


def _cleared(value: Any, name: str) -> tuple[str, ...]:
    return tuple(sorted(set(check.tuple_of(attribute_name)(value, name))))


@attrs.frozen(slots=True, kw_only=True)
class AttributesSet(TicketEvent):
    """Custom attribute values set (``attributes``) and cleared (``cleared``, names), at once.

    A name is not both set and cleared; the event changes something (it is
    refused when every value is the ticket's already and every cleared name is
    absent). Status unchanged.

    Example:
        >>> import pendulum
        >>> from aftersales.model.attribute_values import NO_ATTRIBUTES
        >>> draft = TicketDraft()
        >>> draft.attributes = NO_ATTRIBUTES
        >>> AttributesSet(ticket_id="T1", seq=2, by="李工", attributes={"onsite": True},
        ...               at=pendulum.datetime(2024, 5, 10, tz="UTC")).fold(draft)
        >>> dict(draft.attributes)
        {'onsite': True}
    """

    command: ClassVar[str] = "set_attributes"
    type: ClassVar[str] = "attributes_set"

    attributes: AttributeValues
    cleared: tuple[str, ...] = ()

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (
        ("attributes", attribute_values),
        ("cleared", _cleared),
    )

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        both = sorted(set(self.cleared) & set(self.attributes))
        if both:
            message = f"{both} are also set; accepted: names that are not set by the same event"
            raise InvalidData(f"cleared: {message}", problems=[("cleared", message)])
        if not self.attributes and not self.cleared:
            message = "nothing is set or cleared; accepted: at least one attribute"
            raise InvalidData(f"attributes: {message}", problems=[("attributes", message)])

    def check_against(self, draft: TicketDraft) -> None:
        held = draft.attributes
        unchanged = all(
            name in held and held[name] == value and type(held[name]) is type(value)
            for name, value in self.attributes.items()
        ) and not any(name in held for name in self.cleared)
        if unchanged:
            message = "every value is the ticket's already; accepted: a change of an attribute"
            raise InvalidData(f"attributes: {message}", problems=[("attributes", message)])

    def fold(self, draft: TicketDraft) -> None:
        draft.attributes = draft.attributes.updated(self.attributes, self.cleared)
