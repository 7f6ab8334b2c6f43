"""The events of the commands any open ticket takes: escalation, hand-over, notes, cancelling.

Escalation (升级), assignment, a priority change, internal notes, contacts with
the customer, improvement suggestions (优化建议) leave the status as it is;
cancelling withdraws the ticket. Imports: the event base and the vocabulary.

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
from aftersales.model.fields import TicketDraft
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

    Example:
        >>> Assigned.command
        'assign'
    """

    command: ClassVar[str] = "assign"
    type: ClassVar[str] = "assigned"

    assignee: str

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (("assignee", check.text),)

    def fold(self, draft: TicketDraft) -> None:
        draft.assignee = self.assignee


@attrs.frozen(slots=True, kw_only=True)
class PriorityChanged(TicketEvent):
    """The priority re-assessed; SLA clocks keep the time already used.

    Example:
        >>> PriorityChanged.command
        'change_priority'
    """

    command: ClassVar[str] = "change_priority"
    type: ClassVar[str] = "priority_changed"

    priority: Priority
    reason: str

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (
        ("priority", check.member(Priority)),
        ("reason", check.text),
    )

    def check_against(self, draft: TicketDraft) -> None:
        if self.priority is draft.priority:
            others = [p.value for p in Priority if p is not self.priority]
            message = f"the ticket is already {self.priority.value}; accepted: {', '.join(others)}"
            raise InvalidData(f"priority: {message}", problems=[("priority", message)])

    def fold(self, draft: TicketDraft) -> None:
        draft.priority = self.priority


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
