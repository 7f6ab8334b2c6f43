"""The bilingual vocabulary of after-sales service.

Two kinds of vocabulary live here:

* **Closed** ones, fixed by the lifecycle and the priority rules, are ``Enum``
  classes whose value is English and whose ``label_zh`` is the Chinese label:
  :class:`Priority`, :class:`TicketStatus`, :class:`CloseStatus`.
* **Open** ones, which the embedding company extends with its own values, are
  registries of :class:`Term` values: :class:`Channel`, :class:`ProblemCategory`,
  :class:`Demand`, :class:`RootCauseCategory`, :class:`TicketType` and
  :class:`SatisfactionDimension`. They ship with the documented
  defaults; ``register`` adds a company's own. A ticket only accepts registered
  terms, so a typo is an error, never a new category.

Example:
    >>> Priority.URGENT.label_zh
    '紧急'
    >>> Priority.URGENT > Priority.GENERAL
    True
    >>> Channel.get("phone").label_zh
    '电话'
    >>> Channel.get("phne")
    Traceback (most recent call last):
    ...
    aftersales.errors.UnknownValue: channel: 'phne' is not a known value; accepted: ...
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from contextvars import ContextVar
from enum import StrEnum
from typing import Any, ClassVar, Protocol, Self, TypeVar

import attrs

from aftersales._terms import TermLayer, plan
from aftersales.errors import UnknownValue

__all__ = [
    "Channel",
    "CloseStatus",
    "Demand",
    "Priority",
    "ProblemCategory",
    "RootCauseCategory",
    "SatisfactionDimension",
    "Term",
    "TicketStatus",
    "TicketType",
]


class _Labelled(StrEnum):
    """An enum whose value is English and which carries a Chinese label."""

    label_zh: str

    def __new__(cls, value: str, label_zh: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label_zh = label_zh
        return member

    def __str__(self) -> str:
        return str(self.value)

    def label(self, lang: str = "en") -> str:
        """The label in ``lang`` (``"en"`` or ``"zh"``)."""
        if lang == "zh":
            return self.label_zh
        if lang == "en":
            return str(self.value).replace("_", " ")
        raise UnknownValue("lang", lang, ["en", "zh"])

    @classmethod
    def parse(cls, value: object) -> Self:
        """The member with this value, name or Chinese label; ``UnknownValue`` otherwise."""
        if isinstance(value, cls):
            return value
        for member in cls:
            if value in (member.value, member.name, member.label_zh):
                return member
        raise UnknownValue(_snake(cls.__name__), value, [m.value for m in cls])


class Priority(_Labelled):
    """Business impact of one ticket; ``URGENT`` is the highest.

    Members compare by urgency, not alphabetically.

    Example:
        >>> sorted([Priority.GENERAL, Priority.URGENT, Priority.IMPORTANT])
        [<Priority.GENERAL: 'general'>, <Priority.IMPORTANT: 'important'>, <Priority.URGENT: 'urgent'>]
        >>> Priority.parse("紧急") is Priority.URGENT
        True
    """

    URGENT = ("urgent", "紧急")
    IMPORTANT = ("important", "重要")
    GENERAL = ("general", "一般")

    @property
    def rank(self) -> int:
        """2 for urgent, 1 for important, 0 for general."""
        return _PRIORITY_RANK[self.value]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Priority):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Priority):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Priority):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Priority):
            return NotImplemented
        return self.rank >= other.rank

    __hash__ = str.__hash__


_PRIORITY_RANK = {"urgent": 2, "important": 1, "general": 0}


class TicketStatus(_Labelled):
    """Where a ticket stands in its lifecycle.

    Example:
        >>> TicketStatus.AWAITING_VISIT.label_zh
        '待回访'
        >>> TicketStatus.CLOSED.is_open
        False
    """

    RECEIVED = ("received", "已受理")
    ANALYSING = ("analysing", "分析中")
    AWAITING_CONFIRMATION = ("awaiting_confirmation", "待客户确认")
    IN_PROGRESS = ("in_progress", "执行中")
    AWAITING_VISIT = ("awaiting_visit", "待回访")
    CLOSED = ("closed", "已关闭")
    CANCELLED = ("cancelled", "已取消")

    @property
    def is_open(self) -> bool:
        """True until the ticket is closed or cancelled."""
        return self not in (TicketStatus.CLOSED, TicketStatus.CANCELLED)


class CloseStatus(_Labelled):
    """The follow-up template's three-way view of a ticket (关闭状态).

    Example:
        >>> CloseStatus.NEEDS_ESCALATION.label_zh
        '需升级'
    """

    CLOSED = ("closed", "已关闭")
    IN_PROGRESS = ("in_progress", "处理中")
    NEEDS_ESCALATION = ("needs_escalation", "需升级")


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


_T = TypeVar("_T", bound="Term")


class _Scope(Protocol):
    """What term lookups consult while a company vocabulary is active (``aftersales.Vocabulary``)."""

    def get(self, kind: type[_T], value: object) -> _T: ...

    def lookup(self, kind: type[_T], value: object) -> _T | None: ...

    def members(self, kind: type[_T]) -> tuple[_T, ...]: ...


#: The vocabulary term lookups consult; ``None``: the process-wide defaults.
#: Set only by ``aftersales.Vocabulary.active()``.
_ACTIVE: ContextVar[_Scope | None] = ContextVar("aftersales_vocabulary", default=None)
#: Every open vocabulary by name (``"channel"`` → ``Channel``), the first class of a name kept.
_KINDS: dict[str, type[Term]] = {}
_REGISTERING = threading.Lock()


@attrs.frozen(slots=True, repr=False)
class Term:
    """One value of an open vocabulary: a stable code and its two labels.

    Subclasses (``Channel``, ``ProblemCategory``, ``Demand``,
    ``RootCauseCategory``) each keep their own registry of process-wide
    defaults. Use ``get`` to look a code, label or alias up; a term that was
    not registered is refused wherever a ticket takes one. A company's own
    values belong to its store: ``store.register_term(Channel, ...)`` keeps
    them in the store's :class:`aftersales.Vocabulary`, which every lookup
    consults while it is active (the store and the desk activate it). The
    class-level ``register`` adds a default for every store in the process.

    Example:
        >>> shop = Channel.register("kuaishou_shop", "Kuaishou shop service", "快手小店客服")
        >>> Channel.get("kuaishou_shop") is shop
        True
        >>> shop.label("zh")
        '快手小店客服'
    """

    code: str
    label_en: str
    label_zh: str

    _defaults: ClassVar[TermLayer]
    _kind: ClassVar[str] = "term"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "_defaults" not in cls.__dict__:
            cls._defaults = TermLayer()
            cls._kind = _snake(cls.__name__)
            _KINDS.setdefault(cls._kind, cls)

    @property
    def value(self) -> str:
        """The stable code, as stored and serialized."""
        return self.code

    def label(self, lang: str = "en") -> str:
        """The label in ``lang`` (``"en"`` or ``"zh"``)."""
        if lang == "zh":
            return self.label_zh
        if lang == "en":
            return self.label_en
        raise UnknownValue("lang", lang, ["en", "zh"])

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r})"

    def __str__(self) -> str:
        return self.code

    @classmethod
    def register(
        cls, code: str, label_en: str, label_zh: str, *, aliases: Iterable[str] = ()
    ) -> Self:
        """Add a process-wide default value to this vocabulary and return it.

        Registering the same code again with the same labels returns the
        registered term (adding any new ``aliases``: other names, such as
        ``"微信"``, that find it); other labels, or an alias that names
        another term, raise ``InvalidData`` and register nothing. A company's
        own values are better registered in its store (``store.register_term``),
        which keeps them across restarts and apart from other companies.
        """
        with _REGISTERING:
            existing, fresh = plan(
                cls._kind, [cls._defaults], cls(code, label_en, label_zh), aliases
            )
            term = cls(code, label_en, label_zh) if existing is None else existing
            if existing is None or fresh:
                layer = cls._defaults.copy()
                layer.add(term, fresh)
                cls._defaults = layer
        return term

    @classmethod
    def get(cls, value: object) -> Self:
        """The registered term with this code, label or alias; ``UnknownValue`` otherwise.

        Consults the active :class:`aftersales.Vocabulary` (a company's own
        terms, then the defaults) or, when none is active, the defaults.
        """
        scope = _ACTIVE.get()
        if scope is not None:
            return scope.get(cls, value)
        found = cls._defaults.find(value)
        if found is None:
            raise cls._unknown(value, cls._defaults.terms)
        return found  # type: ignore[no-any-return]

    @classmethod
    def _unknown(cls, value: object, codes: Iterable[str]) -> UnknownValue:
        shown = value.code if isinstance(value, Term) else value
        return UnknownValue(cls._kind, shown, sorted(codes))

    @classmethod
    def members(cls) -> tuple[Self, ...]:
        """Every registered term, defaults first, in registration order (see :meth:`get`)."""
        scope = _ACTIVE.get()
        if scope is not None:
            return scope.members(cls)
        return tuple(cls._defaults.terms.values())

    @classmethod
    def is_registered(cls, value: object) -> bool:
        """True when ``value`` is a term registered in this vocabulary (see :meth:`get`)."""
        if not isinstance(value, cls):
            return False
        scope = _ACTIVE.get()
        if scope is not None:
            return scope.lookup(cls, value) is not None
        return cls._defaults.find(value) is not None


class Channel(Term):
    """How a problem reached the team (渠道). Open: ``Channel.register(...)``.

    Example:
        >>> Channel.WECHAT.label_zh
        '公众号消息'
        >>> [c.code for c in Channel.members()][:3]
        ['phone', 'email', 'online_chat']
    """

    PHONE: ClassVar[Channel]
    EMAIL: ClassVar[Channel]
    ONLINE_CHAT: ClassVar[Channel]
    WEB_FORM: ClassVar[Channel]
    WECHAT: ClassVar[Channel]
    ECOMMERCE: ClassVar[Channel]
    SOCIAL_MEDIA: ClassVar[Channel]
    STORE_DESK: ClassVar[Channel]
    SERVICE_OUTLET: ClassVar[Channel]
    RETURN_VISIT_CALL: ClassVar[Channel]
    ONSITE: ClassVar[Channel]


Channel.PHONE = Channel.register("phone", "Phone", "电话")
Channel.EMAIL = Channel.register("email", "E-mail", "邮件")
Channel.ONLINE_CHAT = Channel.register("online_chat", "Online chat / IM", "在线客服")
Channel.WEB_FORM = Channel.register("web_form", "Website or app form", "官网/APP表单")
Channel.WECHAT = Channel.register("wechat", "WeChat official account", "公众号消息")
Channel.ECOMMERCE = Channel.register("ecommerce", "E-commerce platform service", "电商平台客服")
Channel.SOCIAL_MEDIA = Channel.register("social_media", "Social media DM", "社交媒体私信")
Channel.STORE_DESK = Channel.register("store_desk", "Store service desk", "门店服务台")
Channel.SERVICE_OUTLET = Channel.register(
    "service_outlet", "Service outlet register", "服务网点登记"
)
Channel.RETURN_VISIT_CALL = Channel.register("return_visit_call", "Return-visit call", "回访电话")
Channel.ONSITE = Channel.register("onsite", "On-site visit", "上门服务")


class ProblemCategory(Term):
    """The type of problem (问题类型). Open: ``ProblemCategory.register(...)``.

    Example:
        >>> ProblemCategory.PRODUCT_QUALITY.label_zh
        '产品质量'
    """

    PRODUCT_QUALITY: ClassVar[ProblemCategory]
    USAGE_GUIDANCE: ClassVar[ProblemCategory]
    LOGISTICS_DELAY: ClassVar[ProblemCategory]
    SERVICE_ATTITUDE: ClassVar[ProblemCategory]
    AFTERSALES_PROCESS: ClassVar[ProblemCategory]
    CONSULTATION: ClassVar[ProblemCategory]


ProblemCategory.PRODUCT_QUALITY = ProblemCategory.register(
    "product_quality", "Product quality defect", "产品质量"
)
ProblemCategory.USAGE_GUIDANCE = ProblemCategory.register(
    "usage_guidance", "Installation / usage guidance", "安装/使用指导"
)
ProblemCategory.LOGISTICS_DELAY = ProblemCategory.register(
    "logistics_delay", "Logistics delay", "物流延迟"
)
ProblemCategory.SERVICE_ATTITUDE = ProblemCategory.register(
    "service_attitude", "Service attitude", "服务态度"
)
ProblemCategory.AFTERSALES_PROCESS = ProblemCategory.register(
    "aftersales_process", "After-sales process", "售后流程"
)
ProblemCategory.CONSULTATION = ProblemCategory.register("consultation", "Consultation", "咨询")


class Demand(Term):
    """What the customer expects (客户期望/诉求). Open: ``Demand.register(...)``.

    Example:
        >>> Demand.RETURN_EXCHANGE.label_zh
        '退换货'
    """

    REPAIR: ClassVar[Demand]
    REPLACE: ClassVar[Demand]
    REFUND: ClassVar[Demand]
    RETURN_EXCHANGE: ClassVar[Demand]
    GUIDANCE: ClassVar[Demand]
    COMPENSATION: ClassVar[Demand]
    SUGGESTION: ClassVar[Demand]


Demand.REPAIR = Demand.register("repair", "Repair", "维修")
Demand.REPLACE = Demand.register("replace", "Replacement", "更换")
Demand.REFUND = Demand.register("refund", "Refund", "退款")
Demand.RETURN_EXCHANGE = Demand.register("return_exchange", "Return / exchange", "退换货")
Demand.GUIDANCE = Demand.register("guidance", "Guidance", "指导")
Demand.COMPENSATION = Demand.register("compensation", "Compensation", "补偿")
Demand.SUGGESTION = Demand.register("suggestion", "Suggestion", "建议")


class RootCauseCategory(Term):
    """The kind of root cause an analysis found (问题分析结果). Open.

    Example:
        >>> RootCauseCategory.HARDWARE_FAULT.label_zh
        '硬件故障'
    """

    HARDWARE_FAULT: ClassVar[RootCauseCategory]
    SOFTWARE_DEFECT: ClassVar[RootCauseCategory]
    PRODUCT_DEFECT: ClassVar[RootCauseCategory]
    OPERATION_ERROR: ClassVar[RootCauseCategory]
    PROCESS_GAP: ClassVar[RootCauseCategory]
    SUPPLIER: ClassVar[RootCauseCategory]
    LOGISTICS: ClassVar[RootCauseCategory]
    SERVICE: ClassVar[RootCauseCategory]
    EXTERNAL: ClassVar[RootCauseCategory]


RootCauseCategory.HARDWARE_FAULT = RootCauseCategory.register(
    "hardware_fault", "Hardware fault", "硬件故障"
)
RootCauseCategory.SOFTWARE_DEFECT = RootCauseCategory.register(
    "software_defect", "Software defect", "软件缺陷"
)
RootCauseCategory.PRODUCT_DEFECT = RootCauseCategory.register(
    "product_defect", "Product design or quality defect", "产品缺陷"
)
RootCauseCategory.OPERATION_ERROR = RootCauseCategory.register(
    "operation_error", "Operation error", "操作失误"
)
RootCauseCategory.PROCESS_GAP = RootCauseCategory.register("process_gap", "Process gap", "流程缺失")
RootCauseCategory.SUPPLIER = RootCauseCategory.register("supplier", "Supplier", "供应商问题")
RootCauseCategory.LOGISTICS = RootCauseCategory.register("logistics", "Logistics", "物流问题")
RootCauseCategory.SERVICE = RootCauseCategory.register("service", "Service delivery", "服务问题")
RootCauseCategory.EXTERNAL = RootCauseCategory.register("external", "External factor", "外部因素")

#: The code of the shipped complaint type, and the ending of a company's own complaint types.
_COMPLAINT = "complaint"


class TicketType(Term):
    """What kind of request a ticket is (工单类型): a complaint, a repair, … Open.

    Recorded at intake (``open_ticket(ticket_type=...)``) and fixed from then
    on, like the channel and the category. :attr:`counts_as_complaint` says
    which types the complaint figures count (闭环率, 重复投诉率, batch
    complaints): the shipped ``complaint`` and any type whose code ends in
    ``_complaint`` (a company's ``quality_complaint`` 质量投诉, say); no
    other. A ticket without a type is judged by its category instead (see
    :func:`aftersales.priority.is_complaint`).

    Example:
        >>> TicketType.get("投诉") is TicketType.COMPLAINT
        True
        >>> TicketType.COMPLAINT.counts_as_complaint, TicketType.REPAIR.counts_as_complaint
        (True, False)
        >>> TicketType("regulator_complaint", "Regulator complaint", "12315投诉").counts_as_complaint
        True
    """

    COMPLAINT: ClassVar[TicketType]
    REPAIR: ClassVar[TicketType]
    CONSULTATION: ClassVar[TicketType]
    SUGGESTION: ClassVar[TicketType]

    @property
    def counts_as_complaint(self) -> bool:
        """True for ``complaint`` and for a code ending in ``_complaint`` (see the class)."""
        return self.complaint_code(self.code)

    @staticmethod
    def complaint_code(code: str) -> bool:
        """True when a type of this code counts as a complaint (see :attr:`counts_as_complaint`).

        Example:
            >>> TicketType.complaint_code("quality_complaint"), TicketType.complaint_code("repair")
            (True, False)
        """
        return code == _COMPLAINT or code.endswith("_" + _COMPLAINT)


TicketType.COMPLAINT = TicketType.register(
    "complaint", "Complaint", "投诉", aliases=("客诉", "投诉单")
)
TicketType.REPAIR = TicketType.register(
    "repair", "Repair request", "报修", aliases=("报修单", "维修申请")
)
TicketType.CONSULTATION = TicketType.register(
    "consultation", "Consultation", "咨询", aliases=("咨询单", "问询")
)
TicketType.SUGGESTION = TicketType.register(
    "suggestion", "Suggestion", "建议", aliases=("建议单", "意见反馈")
)


class SatisfactionDimension(Term):
    """One aspect a return visit scores beside the overall score (满意度维度). Open.

    DOMAIN §7: the customer judges the staff (professional knowledge,
    attitude, response speed) and the resolution (its effect); each
    dimension is scored 1–5 (``record_visit(dimensions={...})``).

    Example:
        >>> SatisfactionDimension.get("服务态度").code
        'service_attitude'
        >>> [d.label_zh for d in SatisfactionDimension.members()]
        ['专业知识', '服务态度', '响应速度', '解决效果']
    """

    PROFESSIONAL_KNOWLEDGE: ClassVar[SatisfactionDimension]
    SERVICE_ATTITUDE: ClassVar[SatisfactionDimension]
    RESPONSE_SPEED: ClassVar[SatisfactionDimension]
    RESOLUTION_EFFECT: ClassVar[SatisfactionDimension]


SatisfactionDimension.PROFESSIONAL_KNOWLEDGE = SatisfactionDimension.register(
    "professional_knowledge", "Professional knowledge", "专业知识", aliases=("专业能力",)
)
SatisfactionDimension.SERVICE_ATTITUDE = SatisfactionDimension.register(
    "service_attitude", "Service attitude", "服务态度", aliases=("态度",)
)
SatisfactionDimension.RESPONSE_SPEED = SatisfactionDimension.register(
    "response_speed", "Response speed", "响应速度", aliases=("响应及时性",)
)
SatisfactionDimension.RESOLUTION_EFFECT = SatisfactionDimension.register(
    "resolution_effect", "Resolution effect", "解决效果", aliases=("处理效果",)
)

#: The codes each open vocabulary ships with; a value registered later in the
#: process (``Channel.register``) is a company's own, which a store keeps when a
#: ticket it saves uses it.
SHIPPED_CODES: dict[type[Term], frozenset[str]] = {
    kind: frozenset(kind._defaults.terms)
    for kind in (
        Channel,
        ProblemCategory,
        Demand,
        RootCauseCategory,
        TicketType,
        SatisfactionDimension,
    )
}
