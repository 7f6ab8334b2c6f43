"""The desk's part in ``add_tags`` and ``remove_tags``: tags normalised, then narrowed to the change.

The events record exactly what changed (``TagsAdded`` holds only tags the
ticket did not have, ``TagsRemoved`` only tags it had), so that a history
reads as what happened. A person or a front end asks for less precise things:
"tag it vip" when it may already be, "untag urgent" on a ticket without it.
:func:`normal_tags` normalises the tags before the ticket is read (every bad
tag named at once); :func:`tags_to_add` and :func:`tags_to_remove` then keep
the tags that change the ticket and refuse a command that would change
nothing with :class:`~aftersales.errors.InvalidTag`. Imports: the domain only.

Example:
    >>> from aftersales import ServiceDesk
    >>> from aftersales.testing.samples import sample_ticket
    >>> normal_tags(ServiceDesk(), ["VIP", "返修", "vip"], "tags")
    ('vip', '返修')
    >>> tags_to_remove(ServiceDesk(), sample_ticket(), ("vip",), "tags")
    Traceback (most recent call last):
    ...
    aftersales.errors.ticket_details.InvalidTag: tags: ['vip'] are not on ticket 'T202405001', which has no tags; accepted: tags it has
"""

from __future__ import annotations

from typing import Any

from aftersales.errors.ticket_details import InvalidTag
from aftersales.model.masking import default_masking
from aftersales.model.tags import tag_set
from aftersales.model.ticket import Ticket

__all__ = ["normal_tags", "tags_to_add", "tags_to_remove"]


def normal_tags(desk: object, value: Any, name: str) -> tuple[str, ...]:
    """The tags of ``value`` in their normal form, sorted, at least one (a desk's argument check)."""
    return tag_set(value, name, non_empty=True)


def _nothing_changes(name: str, tags: tuple[str, ...], why: str, accepted: str) -> InvalidTag:
    message = default_masking().text(f"{list(tags)!r} {why}; accepted: {accepted}")
    return InvalidTag(f"{name}: {message}", problems=[(name, message)])


def tags_to_add(desk: object, ticket: Ticket, tags: tuple[str, ...], name: str) -> tuple[str, ...]:
    """The tags of ``tags`` that ``ticket`` does not have; refused when it has them all.

    Example:
        >>> from aftersales import ServiceDesk
        >>> from aftersales.testing.samples import sample_ticket
        >>> tags_to_add(ServiceDesk(), sample_ticket(), ("vip",), "tags")
        ('vip',)
    """
    new = tuple(tag for tag in tags if tag not in ticket.tags)
    if not new:
        raise _nothing_changes(
            name, tags, f"are all on ticket {ticket.id!r} already", "a tag the ticket does not have"
        )
    return new


def tags_to_remove(
    desk: object, ticket: Ticket, tags: tuple[str, ...], name: str
) -> tuple[str, ...]:
    """The tags of ``tags`` that ``ticket`` has; refused when it has none of them."""
    held = tuple(tag for tag in tags if tag in ticket.tags)
    if not held:
        has = f"which has {', '.join(sorted(ticket.tags))}" if ticket.tags else "which has no tags"
        raise _nothing_changes(name, tags, f"are not on ticket {ticket.id!r}, {has}", "tags it has")
    return held
