"""Priority rules (优先级): business impact at intake → urgent / important / general.

The default rules follow the after-sales procedures: a safety hazard, core
business stopped or an unusable product is urgent; part of the function
affected, or a repeated complaint still unresolved, is important; anything else
(consultation, packaging damage, minor issues) is general. Replace them with
any object that has an ``assess(facts)`` method, such as a
:class:`~aftersales.priority_table.PriorityRuleTable` written in a policy
file. :func:`is_complaint` says
which tickets are complaints: for a repeated complaint and for the KPIs.

Example:
    >>> DEFAULT_PRIORITY_RULES.assess(IntakeFacts(core_business_stopped=True))
    PriorityAssessment(priority=<Priority.URGENT: 'urgent'>, reason='core business stopped', level=None)
    >>> DEFAULT_PRIORITY_RULES.assess(IntakeFacts(prior_unresolved_complaints=1)).priority
    <Priority.IMPORTANT: 'important'>
    >>> DEFAULT_PRIORITY_RULES.assess(IntakeFacts(consultation=True)).priority
    <Priority.GENERAL: 'general'>
"""

from __future__ import annotations

from typing import ClassVar, Protocol, runtime_checkable

import attrs

from aftersales import _checks as check
from aftersales.vocab import Priority, ProblemCategory, TicketType

__all__ = [
    "DEFAULT_PRIORITY_RULES",
    "DefaultPriorityRules",
    "IntakeFacts",
    "PriorityAssessment",
    "PriorityRules",
    "is_complaint",
]


@attrs.frozen(slots=True)
class IntakeFacts:
    """What the specialist establishes about a problem's impact at intake.

    ``prior_unresolved_complaints`` is filled in by the service desk: the
    customer's open complaints (see :func:`is_complaint`) in the same problem
    category, counted only when the new ticket is a complaint too.

    Example:
        >>> IntakeFacts(safety_hazard=True).safety_hazard
        True
    """

    safety_hazard: bool = False
    core_business_stopped: bool = False
    product_unusable: bool = False
    partial_function_affected: bool = False
    consultation: bool = False
    prior_unresolved_complaints: int = 0

    _checks: ClassVar[check.Checks] = (
        ("safety_hazard", check.flag),
        ("core_business_stopped", check.flag),
        ("product_unusable", check.flag),
        ("partial_function_affected", check.flag),
        ("consultation", check.flag),
        ("prior_unresolved_complaints", check.integer(0)),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)


@attrs.frozen(slots=True)
class PriorityAssessment:
    """A priority with the reason for it (kept on the ticket), and the level it was given as.

    ``level`` is the code of a level of the desk's priority scale when the
    rules decide on a scale other than the seeds' own (``None``: the seed
    priority's most urgent level); the desk records it when its scale has
    that level, and the seed ``priority`` otherwise.

    Example:
        >>> PriorityAssessment(Priority.GENERAL, "consultation").reason
        'consultation'
        >>> PriorityAssessment(Priority.GENERAL, "consultation", level="low").level
        'low'
    """

    priority: Priority
    reason: str
    level: str | None = attrs.field(default=None, kw_only=True)


@runtime_checkable
class PriorityRules(Protocol):
    """Anything that turns intake facts into a priority with a reason.

    Example:
        >>> class AlwaysUrgent:
        ...     def assess(self, facts: IntakeFacts) -> PriorityAssessment:
        ...         return PriorityAssessment(Priority.URGENT, "VIP contract")
        >>> isinstance(AlwaysUrgent(), PriorityRules)
        True
    """

    def assess(self, facts: IntakeFacts) -> PriorityAssessment:
        """Decide the priority of a new ticket."""
        ...


class DefaultPriorityRules:
    """The documented default rules (see the module docstring).

    The first matching rule wins, urgent rules first.

    Example:
        >>> DefaultPriorityRules().assess(IntakeFacts(partial_function_affected=True)).reason
        'part of the function affected'
    """

    def assess(self, facts: IntakeFacts) -> PriorityAssessment:
        """Urgent, then important, then general."""
        if facts.safety_hazard:
            return PriorityAssessment(Priority.URGENT, "safety hazard")
        if facts.core_business_stopped:
            return PriorityAssessment(Priority.URGENT, "core business stopped")
        if facts.product_unusable:
            return PriorityAssessment(Priority.URGENT, "product unusable")
        if facts.partial_function_affected:
            return PriorityAssessment(Priority.IMPORTANT, "part of the function affected")
        if facts.prior_unresolved_complaints > 0:
            return PriorityAssessment(Priority.IMPORTANT, "repeated complaint still unresolved")
        if facts.consultation:
            return PriorityAssessment(Priority.GENERAL, "consultation")
        return PriorityAssessment(Priority.GENERAL, "minor issue")


#: The default rules, shared (they hold no state).
DEFAULT_PRIORITY_RULES = DefaultPriorityRules()


def is_complaint(
    category: ProblemCategory,
    *,
    consultation: bool = False,
    ticket_type: TicketType | None = None,
) -> bool:
    """True when a ticket counts as a complaint: for the repeated-complaint rule and the KPIs.

    A ticket whose type was recorded at intake is a complaint when its type
    counts as one (:attr:`TicketType.counts_as_complaint
    <aftersales.vocab.TicketType.counts_as_complaint>`: ``complaint``, or a
    company type whose code ends in ``_complaint``), whatever its category
    and intake facts. A ticket without a type (every ticket stored before
    types existed) is judged as before: a consultation is not a complaint,
    neither a ticket in the ``consultation`` category nor one registered with
    the ``consultation`` intake fact; anything else is. The service desk asks
    this of a new ticket (with its intake facts) and of the customer's open
    tickets in the same category (intake facts are not kept on a ticket), and
    the KPIs of every ticket they count (closure rate, repeat complaints,
    batch complaints). This is the one place that decides it.

    Example:
        >>> is_complaint(ProblemCategory.PRODUCT_QUALITY)
        True
        >>> is_complaint(ProblemCategory.CONSULTATION)
        False
        >>> is_complaint(ProblemCategory.USAGE_GUIDANCE, consultation=True)
        False
        >>> is_complaint(ProblemCategory.PRODUCT_QUALITY, ticket_type=TicketType.REPAIR)
        False
        >>> is_complaint(ProblemCategory.CONSULTATION, ticket_type=TicketType.COMPLAINT)
        True
    """
    if ticket_type is not None:
        return ticket_type.counts_as_complaint
    return not consultation and category != ProblemCategory.CONSULTATION
