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

from typing import TYPE_CHECKING

from aftersales._lazy import lazy_attributes
from aftersales._version import __version__
from aftersales.calendar import CalendarDefinition, CalendarSegment, DayOff, WorkCalendar
from aftersales.errors import (
    AccessDenied,
    AftersalesError,
    AttributesRefused,
    CalendarCoverageError,
    CalendarError,
    ConcurrencyError,
    DuplicateId,
    EmptyCalendarError,
    ImportRejected,
    InvalidActionTransition,
    InvalidData,
    InvalidTag,
    InvalidTransition,
    MetricNotMeasured,
    MissingPriority,
    NaiveDatetimeError,
    NotFound,
    SchemaUpgradeNeeded,
    ScoreOutOfRange,
    SpanTooLongError,
    StorageError,
    SubstatusNotAllowed,
    UnknownValue,
    UnsupportedSchemaVersion,
)
from aftersales.followup import FollowUpPolicy, due_followups
from aftersales.improvement import (
    ActionStatus,
    ActionType,
    EffectReview,
    Fishbone,
    FishboneCategory,
    FiveWhys,
    ImprovementAction,
    ReviewWindow,
    RootCause,
    effect_review,
)
from aftersales.knowledge import ArticleStatus, Bm25Index, KnowledgeArticle
from aftersales.kpi import (
    KpiFigures,
    KpiGroups,
    KpiOptions,
    NpsResponse,
    Period,
    ServiceKpis,
    SurveyResponse,
    csat,
    nps,
)
from aftersales.lifecycle import TRANSITIONS, TicketLifecycle
from aftersales.model import (
    AttachmentRef,
    AttributeChoice,
    AttributeDefinition,
    AttributeDefinitions,
    AttributeKind,
    AttributeValues,
    Contact,
    Customer,
    DimensionScore,
    Location,
    MaskedContact,
    MaskingPolicy,
    PhoneRule,
    Product,
    Purchase,
    SolutionStep,
    Ticket,
    TicketEvent,
    set_default_masking,
)
from aftersales.model.substatus import AFTER_SALES_SUBSTATUSES, SubStatus, SubStatuses
from aftersales.priority import (
    DEFAULT_PRIORITY_RULES,
    DefaultPriorityRules,
    IntakeFacts,
    PriorityAssessment,
    PriorityRules,
    is_complaint,
)
from aftersales.priority_levels import PriorityLevel, PriorityScale
from aftersales.service.archive import CustomerArchive, customer_archive
from aftersales.service.assignment import AssignmentPlan
from aftersales.service.desk import ServiceDesk
from aftersales.service.followups import FollowUps
from aftersales.service.knowledge_base import KnowledgeBase
from aftersales.sla import (
    CalendarTime,
    MetricResult,
    ReopenPolicy,
    SlaAlert,
    SlaMetric,
    SlaNotice,
    SlaPolicies,
    SlaPolicy,
    SlaReport,
    SlaRule,
    SlaState,
    Trigger,
    WorkingDays,
    WorkingTime,
)
from aftersales.sla.picture import timeline_svg
from aftersales.storage import (
    CustomerStore,
    FullStore,
    MemoryStore,
    Save,
    SQLiteStore,
    Store,
    TeamStore,
    TicketQuery,
    TicketStore,
    UnitOfWork,
)
from aftersales.teams import Absence, BySkill, LeastOpen, Member, RoundRobin, Team
from aftersales.time import Clock, FixedClock, SystemClock
from aftersales.vocab import (
    Channel,
    CloseStatus,
    Demand,
    Priority,
    ProblemCategory,
    RootCauseCategory,
    SatisfactionDimension,
    Term,
    TicketStatus,
    TicketType,
)
from aftersales.vocabulary import Vocabulary
from aftersales.warranty import WarrantyState, WarrantyStatus, warranty_status

if TYPE_CHECKING:
    from aftersales.storage.postgres import PostgresStore

__all__ = [
    "AFTER_SALES_SUBSTATUSES",
    "DEFAULT_PRIORITY_RULES",
    "TRANSITIONS",
    "Absence",
    "AccessDenied",
    "ActionStatus",
    "ActionType",
    "AftersalesError",
    "ArticleStatus",
    "AssignmentPlan",
    "AttachmentRef",
    "AttributeChoice",
    "AttributeDefinition",
    "AttributeDefinitions",
    "AttributeKind",
    "AttributeValues",
    "AttributesRefused",
    "Bm25Index",
    "BySkill",
    "CalendarCoverageError",
    "CalendarDefinition",
    "CalendarError",
    "CalendarSegment",
    "CalendarTime",
    "Channel",
    "Clock",
    "CloseStatus",
    "ConcurrencyError",
    "Contact",
    "Customer",
    "CustomerArchive",
    "CustomerStore",
    "DayOff",
    "DefaultPriorityRules",
    "Demand",
    "DimensionScore",
    "DuplicateId",
    "EffectReview",
    "EmptyCalendarError",
    "Fishbone",
    "FishboneCategory",
    "FiveWhys",
    "FixedClock",
    "FollowUpPolicy",
    "FollowUps",
    "FullStore",
    "ImportRejected",
    "ImprovementAction",
    "IntakeFacts",
    "InvalidActionTransition",
    "InvalidData",
    "InvalidTag",
    "InvalidTransition",
    "KnowledgeArticle",
    "KnowledgeBase",
    "KpiFigures",
    "KpiGroups",
    "KpiOptions",
    "LeastOpen",
    "Location",
    "MaskedContact",
    "MaskingPolicy",
    "Member",
    "MemoryStore",
    "MetricNotMeasured",
    "MetricResult",
    "MissingPriority",
    "NaiveDatetimeError",
    "NotFound",
    "NpsResponse",
    "Period",
    "PhoneRule",
    "PostgresStore",
    "Priority",
    "PriorityAssessment",
    "PriorityLevel",
    "PriorityRules",
    "PriorityScale",
    "ProblemCategory",
    "Product",
    "Purchase",
    "ReopenPolicy",
    "ReviewWindow",
    "RootCause",
    "RootCauseCategory",
    "RoundRobin",
    "SQLiteStore",
    "SatisfactionDimension",
    "Save",
    "SchemaUpgradeNeeded",
    "ScoreOutOfRange",
    "ServiceDesk",
    "ServiceKpis",
    "SlaAlert",
    "SlaMetric",
    "SlaNotice",
    "SlaPolicies",
    "SlaPolicy",
    "SlaReport",
    "SlaRule",
    "SlaState",
    "SolutionStep",
    "SpanTooLongError",
    "StorageError",
    "Store",
    "SubStatus",
    "SubStatuses",
    "SubstatusNotAllowed",
    "SurveyResponse",
    "SystemClock",
    "Team",
    "TeamStore",
    "Term",
    "Ticket",
    "TicketEvent",
    "TicketLifecycle",
    "TicketQuery",
    "TicketStatus",
    "TicketStore",
    "TicketType",
    "Trigger",
    "UnitOfWork",
    "UnknownValue",
    "UnsupportedSchemaVersion",
    "Vocabulary",
    "WarrantyState",
    "WarrantyStatus",
    "WorkCalendar",
    "WorkingDays",
    "WorkingTime",
    "__version__",
    "csat",
    "customer_archive",
    "due_followups",
    "effect_review",
    "is_complaint",
    "nps",
    "set_default_masking",
    "timeline_svg",
    "warranty_status",
]


#: ``PostgresStore`` is imported on first use, so psycopg stays optional.
__getattr__ = lazy_attributes(
    __name__, {"PostgresStore": "aftersales.storage.postgres:PostgresStore"}
)
