"""The events of a ticket's details: its tags, its attachments and where service is given.

Tags (``add_tags``, ``remove_tags``) are taken in every status but the final
one, cancelled: teams tag closed tickets when they analyse them. Attachments
(``attach``, ``detach``) are taken while the ticket is open and once it is
closed (a signed service report often comes after closing); the location
(``set_location``) while it is open. None of them changes the status.

Each event records exactly its change: ``TagsAdded`` only tags the ticket
does not have, ``TagsRemoved`` only tags it has, ``AttachmentAdded`` a file
whose digest is not attached yet, ``AttachmentRemoved`` the digest of one that
is, ``LocationSet`` a location other than the ticket's. The desk narrows what
a caller asks for to that change (see :mod:`aftersales.service.tag_arguments`).
Imports: the event base and the model's values.

Example:
    >>> TagsAdded.command, AttachmentAdded.type, LocationSet.command
    ('add_tags', 'attachment_added', 'set_location')
"""

from __future__ import annotations

from typing import ClassVar, Final

import attrs

from aftersales import _checks as check
from aftersales.errors import InvalidData, UnknownValue
from aftersales.errors.ticket_details import InvalidTag
from aftersales.model.attachments import AttachmentRef, sha256_digest
from aftersales.model.events.base import BASE_CHECKS, TicketEvent
from aftersales.model.fields import TicketDraft
from aftersales.model.location import Location
from aftersales.model.masking import default_masking
from aftersales.model.tags import MAX_TAGS, tag_set

__all__ = [
    "MAX_ATTACHMENTS",
    "AttachmentAdded",
    "AttachmentRemoved",
    "LocationSet",
    "TagsAdded",
    "TagsRemoved",
]

#: The most attachments one ticket holds.
MAX_ATTACHMENTS: Final = 200


def _tags(value: object, name: str) -> tuple[str, ...]:
    return tag_set(value, name, non_empty=True)


def _tag_problem(name: str, tags: list[str], reason: str, accepted: str) -> InvalidTag:
    message = default_masking().text(f"{tags!r} {reason}; accepted: {accepted}")
    return InvalidTag(f"{name}: {message}", problems=[(name, message)])


@attrs.frozen(slots=True, kw_only=True)
class TagsAdded(TicketEvent):
    """Tags put on the ticket (normal forms, sorted), none of which it had.

    Example:
        >>> import pendulum
        >>> draft = TicketDraft()
        >>> draft.tags = frozenset({"vip"})
        >>> event = TagsAdded(ticket_id="T1", seq=4, by="李工", tags=["返修", " VIP2 "],
        ...                   at=pendulum.datetime(2024, 5, 11, tz="UTC"))
        >>> event.tags
        ('vip2', '返修')
        >>> event.fold(draft)
        >>> sorted(draft.tags)
        ['vip', 'vip2', '返修']
    """

    command: ClassVar[str] = "add_tags"
    type: ClassVar[str] = "tags_added"

    tags: tuple[str, ...]

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (("tags", _tags),)

    def check_against(self, draft: TicketDraft) -> None:
        already = sorted(draft.tags.intersection(self.tags))
        if already:
            raise _tag_problem(
                "tags", already, f"already on ticket {draft.id!r}", "tags the ticket does not have"
            )
        if len(draft.tags) + len(self.tags) > MAX_TAGS:
            count = len(draft.tags) + len(self.tags)
            raise _tag_problem(
                "tags",
                list(self.tags),
                f"would give ticket {draft.id!r} {count} tags",
                f"at most {MAX_TAGS} tags on a ticket",
            )

    def fold(self, draft: TicketDraft) -> None:
        draft.tags = draft.tags.union(self.tags)


@attrs.frozen(slots=True, kw_only=True)
class TagsRemoved(TicketEvent):
    """Tags taken off the ticket (normal forms, sorted), each of which it had.

    Example:
        >>> import pendulum
        >>> draft = TicketDraft()
        >>> draft.tags, draft.id = frozenset({"vip", "返修"}), "T1"
        >>> TagsRemoved(ticket_id="T1", seq=5, by="李工", tags=["VIP"],
        ...             at=pendulum.datetime(2024, 5, 11, tz="UTC")).fold(draft)
        >>> sorted(draft.tags)
        ['返修']
    """

    command: ClassVar[str] = "remove_tags"
    type: ClassVar[str] = "tags_removed"

    tags: tuple[str, ...]

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (("tags", _tags),)

    def check_against(self, draft: TicketDraft) -> None:
        missing = sorted(set(self.tags).difference(draft.tags))
        if missing:
            held = ", ".join(sorted(draft.tags)) or "none"
            raise _tag_problem(
                "tags", missing, f"not on ticket {draft.id!r}", f"tags it has ({held})"
            )

    def fold(self, draft: TicketDraft) -> None:
        draft.tags = draft.tags.difference(self.tags)


@attrs.frozen(slots=True, kw_only=True)
class AttachmentAdded(TicketEvent):
    """A file attached to the ticket, by reference (the library keeps no file).

    The file's ``attached_at`` is no later than the event; a file whose
    digest is already attached to the ticket is refused (detach it first to
    replace its reference).

    Example:
        >>> AttachmentAdded.command, AttachmentAdded.type
        ('attach', 'attachment_added')
    """

    command: ClassVar[str] = "attach"
    type: ClassVar[str] = "attachment_added"

    attachment: AttachmentRef

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (
        ("attachment", check.instance_of(AttachmentRef)),
    )

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.attachment.attached_at > self.at:
            message = (
                f"{self.attachment.attached_at.isoformat()} is after the event at"
                f" {self.at.isoformat()}; accepted: a time no later than the attaching"
            )
            path = "attachment.attached_at"
            raise InvalidData(f"{path}: {message}", problems=[(path, message)])

    def check_against(self, draft: TicketDraft) -> None:
        digest = self.attachment.sha256
        if any(held.sha256 == digest for held in draft.attachments):
            message = (
                f"{digest!r} is already attached to ticket {draft.id!r};"
                " accepted: a file not attached to it (detach the old reference first)"
            )
            raise InvalidData(
                f"attachment.sha256: {message}", problems=[("attachment.sha256", message)]
            )
        if len(draft.attachments) >= MAX_ATTACHMENTS:
            message = (
                f"ticket {draft.id!r} holds {len(draft.attachments)} attachments;"
                f" accepted: at most {MAX_ATTACHMENTS} on a ticket"
            )
            raise InvalidData(f"attachment: {message}", problems=[("attachment", message)])

    def fold(self, draft: TicketDraft) -> None:
        draft.attachments = (*draft.attachments, self.attachment)


@attrs.frozen(slots=True, kw_only=True)
class AttachmentRemoved(TicketEvent):
    """The reference to an attached file taken off the ticket, named by the file's SHA-256 digest.

    Example:
        >>> AttachmentRemoved.command, AttachmentRemoved.type
        ('detach', 'attachment_removed')
    """

    command: ClassVar[str] = "detach"
    type: ClassVar[str] = "attachment_removed"

    sha256: str
    reason: str = ""

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (
        ("sha256", sha256_digest),
        ("reason", check.optional_text),
    )

    def check_against(self, draft: TicketDraft) -> None:
        held = [attachment.sha256 for attachment in draft.attachments]
        if self.sha256 not in held:
            raise UnknownValue("sha256", self.sha256, held)

    def fold(self, draft: TicketDraft) -> None:
        draft.attachments = tuple(a for a in draft.attachments if a.sha256 != self.sha256)


@attrs.frozen(slots=True, kw_only=True)
class LocationSet(TicketEvent):
    """Where service is given on site from now on, or ``None``: nowhere (no more on site).

    Setting the location the ticket already has is refused.

    Example:
        >>> import pendulum
        >>> draft = TicketDraft()
        >>> draft.location, draft.id = None, "T1"
        >>> LocationSet(ticket_id="T1", seq=3, by="李工", location=Location(region="华南区"),
        ...             at=pendulum.datetime(2024, 5, 11, tz="UTC")).fold(draft)
        >>> draft.location.region
        '华南区'
    """

    command: ClassVar[str] = "set_location"
    type: ClassVar[str] = "location_set"

    location: Location | None
    reason: str = ""

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (
        ("location", check.optional(check.instance_of(Location))),
        ("reason", check.optional_text),
    )

    def check_against(self, draft: TicketDraft) -> None:
        if self.location == draft.location:
            held = "no location" if draft.location is None else "this location"
            message = f"ticket {draft.id!r} has {held} already; accepted: another location" + (
                "" if draft.location is None else ", or None"
            )
            raise InvalidData(f"location: {message}", problems=[("location", message)])

    def fold(self, draft: TicketDraft) -> None:
        draft.location = self.location
