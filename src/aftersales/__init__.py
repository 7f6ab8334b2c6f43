"""aftersales — the after-sales service (售后服务) domain as an embeddable SDK.

Tickets with their priority and lifecycle, events as the source of truth, a
service desk over pluggable storage, strict serialization; bilingual labels
throughout.

Example:
    >>> import aftersales
    >>> aftersales.Priority.URGENT.label_zh
    '紧急'
    >>> aftersales.TicketStatus.AWAITING_VISIT.label_zh
    '待回访'
"""

from aftersales._version import __version__
from aftersales.desk import ServiceDesk
from aftersales.errors import (
    AftersalesError,
    CalendarCoverageError,
    CalendarError,
    ConcurrencyError,
    DuplicateId,
    EmptyCalendarError,
    InvalidData,
    InvalidTransition,
    NaiveDatetimeError,
    NotFound,
    ScoreOutOfRange,
    SpanTooLongError,
    StorageError,
    UnknownValue,
    UnsupportedSchemaVersion,
)
from aftersales.lifecycle import TRANSITIONS, TicketLifecycle
from aftersales.model import (
    Contact,
    Customer,
    MaskedContact,
    Product,
    Purchase,
    SolutionStep,
    Ticket,
    TicketEvent,
)
from aftersales.priority import (
    DEFAULT_PRIORITY_RULES,
    DefaultPriorityRules,
    IntakeFacts,
    PriorityAssessment,
    PriorityRules,
)
from aftersales.storage import MemoryStore, TicketQuery, TicketStore
from aftersales.time import Clock, FixedClock, SystemClock
from aftersales.vocab import (
    Channel,
    CloseStatus,
    Demand,
    Priority,
    ProblemCategory,
    RootCauseCategory,
    Term,
    TicketStatus,
)

__all__ = [
    "DEFAULT_PRIORITY_RULES",
    "TRANSITIONS",
    "AftersalesError",
    "CalendarCoverageError",
    "CalendarError",
    "Channel",
    "Clock",
    "CloseStatus",
    "ConcurrencyError",
    "Contact",
    "Customer",
    "DefaultPriorityRules",
    "Demand",
    "DuplicateId",
    "EmptyCalendarError",
    "FixedClock",
    "IntakeFacts",
    "InvalidData",
    "InvalidTransition",
    "MaskedContact",
    "MemoryStore",
    "NaiveDatetimeError",
    "NotFound",
    "Priority",
    "PriorityAssessment",
    "PriorityRules",
    "ProblemCategory",
    "Product",
    "Purchase",
    "RootCauseCategory",
    "ScoreOutOfRange",
    "ServiceDesk",
    "SolutionStep",
    "SpanTooLongError",
    "StorageError",
    "SystemClock",
    "Term",
    "Ticket",
    "TicketEvent",
    "TicketLifecycle",
    "TicketQuery",
    "TicketStatus",
    "TicketStore",
    "UnknownValue",
    "UnsupportedSchemaVersion",
    "__version__",
]
