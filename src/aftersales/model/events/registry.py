"""The tables of event classes: by serialized ``type`` tag and by lifecycle command.

A new event class is declared in its module and listed here once; the service
desk's command table, the serializer and the strategies read these tables.

Example:
    >>> EVENTS_BY_COMMAND["reopen"].__name__, EVENT_TYPES["sla_warning"].command
    ('Reopened', 'record_sla_warning')
"""

from __future__ import annotations

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
from aftersales.model.events.sla import SlaBreached, SlaPolicyChosen, SlaWarned
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

__all__ = ["EVENTS_BY_COMMAND", "EVENT_TYPES"]

#: Every concrete event class, keyed by its serialized ``type`` tag.
EVENT_TYPES: dict[str, type[TicketEvent]] = {
    cls.type: cls
    for cls in (
        TicketOpened,
        Acknowledged,
        ResolvedOnFirstContact,
        AnalysisRecorded,
        SolutionProposed,
        CustomerAgreed,
        CustomerDisputed,
        OnsiteVisitBooked,
        ProgressRecorded,
        NewProblemReported,
        ExecutionFinished,
        VisitRecorded,
        Reopened,
        Escalated,
        Assigned,
        PriorityChanged,
        NoteAdded,
        ContactRecorded,
        ImprovementSuggested,
        Cancelled,
        SlaWarned,
        SlaBreached,
        ContactRevealed,
        SubstatusSet,
        TagsAdded,
        TagsRemoved,
        AttachmentAdded,
        AttachmentRemoved,
        LocationSet,
        SlaPolicyChosen,
        AttributesSet,
    )
}

#: Every event class keyed by the lifecycle command it records.
EVENTS_BY_COMMAND: dict[str, type[TicketEvent]] = {cls.command: cls for cls in EVENT_TYPES.values()}
