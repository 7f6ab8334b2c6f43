"""Ticket events: the immutable facts a ticket is folded from.

Every accepted command appends exactly one event. An event knows the lifecycle
command it records (``command``), checks its own fields on construction, and
knows how it changes the ticket (``fold``). The lifecycle decides *whether* it
may happen; see :mod:`aftersales.lifecycle`. The events of the six steps are in
:mod:`~aftersales.model.events.steps`, those any open ticket takes in
:mod:`~aftersales.model.events.handling`, the SLA notices in
:mod:`~aftersales.model.events.sla`, the tags, attachments and location in
:mod:`~aftersales.model.events.details`, the custom attributes in
:mod:`~aftersales.model.events.attributes`; this package re-exports them all.
Events are named in the past tense (``SlaWarning`` is now :class:`SlaWarned`;
the old name works for one release, with a :class:`DeprecationWarning`).

Example:
    >>> import pendulum
    >>> event = Acknowledged(ticket_id="T1", seq=2, by="李工",
    ...                      at=pendulum.datetime(2024, 5, 10, 14, 42, tz="Asia/Shanghai"))
    >>> event.command, event.at.isoformat()
    ('acknowledge', '2024-05-10T06:42:00+00:00')
"""

from aftersales._lazy import lazy_attributes
from aftersales.model.events.attributes import AttributesSet
from aftersales.model.events.base import TicketEvent
from aftersales.model.events.details import (
    AttachmentAdded,
    AttachmentRemoved,
    LocationSet,
    TagsAdded,
    TagsRemoved,
)
from aftersales.model.events.handling import (
    Assigned,
    Cancelled,
    ContactRecorded,
    ContactRevealed,
    Escalated,
    ImprovementSuggested,
    NoteAdded,
    PriorityChanged,
    SubstatusSet,
)
from aftersales.model.events.registry import EVENT_TYPES, EVENTS_BY_COMMAND
from aftersales.model.events.sla import (
    _RENAMED_EVENTS,
    SlaBreached,
    SlaCrossing,
    SlaPolicyChosen,
    SlaWarned,
)
from aftersales.model.events.steps import (
    Acknowledged,
    AnalysisRecorded,
    CustomerAgreed,
    CustomerDisputed,
    ExecutionFinished,
    NewProblemReported,
    OnsiteVisitBooked,
    ProgressRecorded,
    Reopened,
    ResolvedOnFirstContact,
    SolutionProposed,
    TicketOpened,
    VisitRecorded,
)

__all__ = [
    "EVENTS_BY_COMMAND",
    "EVENT_TYPES",
    "Acknowledged",
    "AnalysisRecorded",
    "Assigned",
    "AttachmentAdded",
    "AttachmentRemoved",
    "AttributesSet",
    "Cancelled",
    "ContactRecorded",
    "ContactRevealed",
    "CustomerAgreed",
    "CustomerDisputed",
    "Escalated",
    "ExecutionFinished",
    "ImprovementSuggested",
    "LocationSet",
    "NewProblemReported",
    "NoteAdded",
    "OnsiteVisitBooked",
    "PriorityChanged",
    "ProgressRecorded",
    "Reopened",
    "ResolvedOnFirstContact",
    "SlaBreached",
    "SlaCrossing",
    "SlaPolicyChosen",
    "SlaWarned",
    "SolutionProposed",
    "SubstatusSet",
    "TagsAdded",
    "TagsRemoved",
    "TicketEvent",
    "TicketOpened",
    "VisitRecorded",
]

__getattr__ = lazy_attributes(__name__, {}, deprecated=_RENAMED_EVENTS)
