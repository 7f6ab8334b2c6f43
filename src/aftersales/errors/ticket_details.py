"""The errors of a ticket's details: a tag that cannot be stored, or does not fit the ticket.

:class:`InvalidTag` (an :class:`~aftersales.errors.InvalidData`) names each
offending tag (masked, should it hold a phone number or an e-mail) and what is
accepted; one error lists every bad tag of a command. Imports the errors only.

Example:
    >>> error = InvalidTag.from_problems([("tags[0]", "'' is blank; accepted: a tag")])
    >>> isinstance(error, ValueError), error.problems[0][0]
    (True, 'tags[0]')
"""

from __future__ import annotations

from aftersales.errors import InvalidData

__all__ = ["InvalidTag"]


class InvalidTag(InvalidData):
    """A tag refused: blank, too long, holding a separator, or not fitting the ticket.

    Raised by the tag checks (:mod:`aftersales.model.tags`) for a tag that
    cannot be stored, and by ``add_tags``/``remove_tags`` for tags that change
    nothing (all already on the ticket, or none of them on it) or would take
    the ticket over its limit of tags. ``problems`` holds one ``(path,
    message)`` pair per offending tag.

    Example:
        >>> from aftersales.model.tags import normal_tag
        >>> normal_tag("优先, 加急", "tags[0]")
        Traceback (most recent call last):
        ...
        aftersales.errors.ticket_details.InvalidTag: tags[0]: '优先, 加急' holds ','; accepted: a tag of 1 to 40 characters without , ; 、 or control characters
    """
