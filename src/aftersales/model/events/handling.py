"""The events of the commands any open ticket takes: escalation, hand-over, notes, cancelling.

Escalation (升级), assignment, a priority change, internal notes, contacts with
the customer, improvement suggestions (优化建议) and the sub-status (what the
ticket waits on: 待备件 …) leave the status as it is; cancelling withdraws the
ticket. Imports: the event base and the vocabulary.

Example:
    >>> Escalated.command, Cancelled.type
    ('escalate', 'cancelled')
"""

from __future__ import annotations

from typing import ClassVar

import attrs

from aftersales import _checks as check
from aftersales.errors import InvalidData
from aftersales.model.events.base import BASE_CHECKS, TicketEvent
from aftersales.model.fields import OMITTED_WHEN_NONE, TicketDraft
from aftersales.vocab import Channel, Priority

__all__ = [
    "Assigned",
    "Cancelled",
    "ContactRecorded",
    "ContactRevealed",
    "Escalated",
    "ImprovementSuggested",
    "NoteAdded",
    "PriorityChanged",
    "SubstatusSet",
]


@attrs.frozen(slots=True, kw_only=True)
class Escalated(TicketEvent):
    """Escalation (升级) to a higher level: second line, expert, manager.

    ``level`` is the new level and must be higher than the ticket's current one.

    Example:
        >>> Escalated.command
        'escalate'
    """

    command: ClassVar[str] = "escalate"
    type: ClassVar[str] = "escalated"

    level: int
    reason: str
    to: str = ""

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (
        ("level", check.integer(1, 99)),
        ("reason", check.text),
        ("to", check.optional_text),
    )

    def check_against(self, draft: TicketDraft) -> None:
        if self.level <= draft.escalation_level:
            message = (
                f"{self.level} does not raise the current level {draft.escalation_level};"
                f" accepted: an integer above {draft.escalation_level}"
            )
            raise InvalidData(f"level: {message}", problems=[("level", message)])

    def fold(self, draft: TicketDraft) -> None:
        draft.escalation_level = self.level


@attrs.frozen(slots=True, kw_only=True)
class Assigned(TicketEvent):
    """The ticket handed to another handler.

    ``reason`` says why (an assignment rule records which member it chose and
    why, see ``docs/teams.md``); ``None``, the default, is left out of the
    stored form, so an event stored before it existed reads back as it was.

    Example:
        >>> Assigned.command
        'assign'
    """

    command: ClassVar[str] = "assign"
    type: ClassVar[str] = "assigned"

    assignee: str
    reason: str | None = attrs.field(default=None, metadata={OMITTED_WHEN_NONE: True})

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (
        ("assignee", check.text),
        ("reason", check.optional_name),
    )

    def fold(self, draft: TicketDraft) -> None:
        draft.assignee = self.assignee


@attrs.frozen(slots=True, kw_only=True)
class PriorityChanged(TicketEvent):
    """The priority re-assessed; SLA clocks keep the time already used.

    ``priority_level`` is the level of the company's priority scale (``None`` on
    the seeds' three levels); a change may move between two levels reported as
    the same seed priority (medium to low).

    Example:
        >>> PriorityChanged.command
        'change_priority'
    """

    command: ClassVar[str] = "change_priority"
    type: ClassVar[str] = "priority_changed"

    priority: Priority
    reason: str
    priority_level: str | None = attrs.field(default=None, metadata={OMITTED_WHEN_NONE: True})

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (
        ("priority", check.member(Priority)),
        ("reason", check.text),
        ("priority_level", check.optional(check.identifier)),
    )

    def check_against(self, draft: TicketDraft) -> None:
        if self.priority_level is not None and self.priority_level == draft.priority_level:
            message = (
                f"the ticket is already at level {self.priority_level!r};"
                " accepted: another level of the scale"
            )
            raise InvalidData(f"priority: {message}", problems=[("priority", message)])
        unlevelled = self.priority_level is None and draft.priority_level is None
        if unlevelled and self.priority is draft.priority:
            others = [p.value for p in Priority if p is not self.priority]
            message = f"the ticket is already {self.priority.value}; accepted: {', '.join(others)}"
            raise InvalidData(f"priority: {message}", problems=[("priority", message)])

    def fold(self, draft: TicketDraft) -> None:
        draft.priority = self.priority
        draft.priority_level = self.priority_level


@attrs.frozen(slots=True, kw_only=True)
class NoteAdded(TicketEvent):
    """An internal note.

    Example:
        >>> NoteAdded.command
        'add_note'
    """

    command: ClassVar[str] = "add_note"
    type: ClassVar[str] = "note_added"

    text: str

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (("text", check.text),)


@attrs.frozen(slots=True, kw_only=True)
class ContactRecorded(TicketEvent):
    """A contact with the customer (call, message, visit) and what was said.

    Example:
        >>> ContactRecorded.command
        'record_contact'
    """

    command: ClassVar[str] = "record_contact"
    type: ClassVar[str] = "contact_recorded"

    channel: Channel
    summary: str
    inbound: bool = False

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (
        ("channel", check.term(Channel)),
        ("summary", check.text),
        ("inbound", check.flag),
    )


@attrs.frozen(slots=True, kw_only=True)
class ContactRevealed(TicketEvent):
    """The customer's contact shown unmasked to ``by``, for ``purpose`` (an audit record).

    Recorded by :meth:`ServiceDesk.reveal_contact <aftersales.ServiceDesk.reveal_contact>`
    once the host's :class:`~aftersales.views.ContactAccess` policy granted it;
    ``grounds`` is what the policy gave as its reason. It holds no contact
    detail itself, and leaves the ticket as it is.

    Example:
        >>> ContactRevealed.command, ContactRevealed.type
        ('reveal_contact', 'contact_revealed')
    """

    command: ClassVar[str] = "reveal_contact"
    type: ClassVar[str] = "contact_revealed"

    purpose: str
    grounds: str = ""

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (
        ("purpose", check.text),
        ("grounds", check.optional_text),
    )


@attrs.frozen(slots=True, kw_only=True)
class ImprovementSuggested(TicketEvent):
    """A product, service or process improvement proposed from this case (优化建议).

    Example:
        >>> ImprovementSuggested.command
        'suggest_improvement'
    """

    command: ClassVar[str] = "suggest_improvement"
    type: ClassVar[str] = "improvement_suggested"

    text: str

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (("text", check.text),)


@attrs.frozen(slots=True, kw_only=True)
class Cancelled(TicketEvent):
    """The ticket withdrawn (duplicate, customer withdrew, wrong entry).

    Example:
        >>> Cancelled.command
        'cancel'
    """

    command: ClassVar[str] = "cancel"
    type: ClassVar[str] = "cancelled"

    reason: str

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (("reason", check.text),)

    def fold(self, draft: TicketDraft) -> None:
        draft.cancelled_at = self.at


@attrs.frozen(slots=True, kw_only=True)
class SubstatusSet(TicketEvent):
    """What the ticket now waits on inside its status (待备件, 待厂家 …), or ``None``: nothing.

    ``substatus`` is a sub-status code as the desk checked it against the
    company's declaration (see :mod:`aftersales.model.substatus`); the model
    does not consult that declaration, so a history stays readable whatever is
    declared later. Setting the sub-status the ticket already has is refused.
    Any change of status clears it.

    Example:
        >>> import pendulum
        >>> draft = TicketDraft()
        >>> draft.substatus = None
        >>> SubstatusSet(ticket_id="T1", seq=5, by="李工", substatus="waiting_parts",
        ...              at=pendulum.datetime(2024, 5, 11, tz="UTC")).fold(draft)
        >>> draft.substatus
        'waiting_parts'
    """

    command: ClassVar[str] = "set_substatus"
    type: ClassVar[str] = "substatus_set"

    substatus: str | None
    reason: str = ""

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (
        ("substatus", check.optional(check.identifier)),
        ("reason", check.optional_text),
    )

    def check_against(self, draft: TicketDraft) -> None:
        if self.substatus == draft.substatus:
            held = "no sub-status" if draft.substatus is None else f"{draft.substatus!r}"
            accepted = "another sub-status code" + ("" if draft.substatus is None else ", or None")
            message = f"{self.substatus!r} is what the ticket has ({held}); accepted: {accepted}"
            raise InvalidData(f"substatus: {message}", problems=[("substatus", message)])

    def fold(self, draft: TicketDraft) -> None:
        draft.substatus = self.substatus
