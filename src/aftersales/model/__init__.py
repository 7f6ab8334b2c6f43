"""The domain model: customers, purchases, tickets and their events.

Example:
    >>> from aftersales.model import Contact
    >>> Contact(name="张先生", phone="13812345678").masked().phone
    '138****5678'
"""

from aftersales._lazy import lazy_attributes
from aftersales.model.attachments import AttachmentRef
from aftersales.model.attribute_values import AttributeValues
from aftersales.model.attributes import (
    AttributeChoice,
    AttributeDefinition,
    AttributeDefinitions,
    AttributeKind,
    ShownAttribute,
)
from aftersales.model.customer import Contact, Customer, MaskedContact, mask_email, mask_phone
from aftersales.model.events import (
    EVENT_TYPES,
    Acknowledged,
    AnalysisRecorded,
    Assigned,
    AttachmentAdded,
    AttachmentRemoved,
    AttributesSet,
    Cancelled,
    ContactRecorded,
    ContactRevealed,
    CustomerAgreed,
    CustomerDisputed,
    Escalated,
    ExecutionFinished,
    ImprovementSuggested,
    LocationSet,
    NewProblemReported,
    NoteAdded,
    OnsiteVisitBooked,
    PriorityChanged,
    ProgressRecorded,
    Reopened,
    ResolvedOnFirstContact,
    SlaBreached,
    SlaWarned,
    SolutionProposed,
    SubstatusSet,
    TagsAdded,
    TagsRemoved,
    TicketEvent,
    TicketOpened,
    VisitRecorded,
)
from aftersales.model.events.sla import _RENAMED_EVENTS
from aftersales.model.location import Location
from aftersales.model.masking import (
    MaskingPolicy,
    PhoneRule,
    default_masking,
    set_default_masking,
)
from aftersales.model.product import Product, Purchase
from aftersales.model.satisfaction import DimensionScore
from aftersales.model.solution import SolutionStep
from aftersales.model.ticket import Ticket

__all__ = [
    "EVENT_TYPES",
    "Acknowledged",
    "AnalysisRecorded",
    "Assigned",
    "AttachmentAdded",
    "AttachmentRef",
    "AttachmentRemoved",
    "AttributeChoice",
    "AttributeDefinition",
    "AttributeDefinitions",
    "AttributeKind",
    "AttributeValues",
    "AttributesSet",
    "Cancelled",
    "Contact",
    "ContactRecorded",
    "ContactRevealed",
    "Customer",
    "CustomerAgreed",
    "CustomerDisputed",
    "DimensionScore",
    "Escalated",
    "ExecutionFinished",
    "ImprovementSuggested",
    "Location",
    "LocationSet",
    "MaskedContact",
    "MaskingPolicy",
    "NewProblemReported",
    "NoteAdded",
    "OnsiteVisitBooked",
    "PhoneRule",
    "PriorityChanged",
    "Product",
    "ProgressRecorded",
    "Purchase",
    "Reopened",
    "ResolvedOnFirstContact",
    "ShownAttribute",
    "SlaBreached",
    "SlaWarned",
    "SolutionProposed",
    "SolutionStep",
    "SubstatusSet",
    "TagsAdded",
    "TagsRemoved",
    "Ticket",
    "TicketEvent",
    "TicketOpened",
    "VisitRecorded",
    "default_masking",
    "mask_email",
    "mask_phone",
    "set_default_masking",
]

__getattr__ = lazy_attributes(__name__, {}, deprecated=_RENAMED_EVENTS)
