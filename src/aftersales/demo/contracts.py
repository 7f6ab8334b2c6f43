"""The demo's service contracts: a VIP contract with its own SLA targets beside the standard ones.

XX科技有限公司 holds the VIP service contract ``VIP-2026`` (VIP 服务合同): first
response within 15 minutes for an urgent problem (standard: 30), 1 hour for an
important one (2 h), 2 hours otherwise (4 h); resolution within 4 working hours
when urgent (8 h), 12 when important (24 h), 3 working days otherwise (5). The
other clocks and the calendar are the standard ones. :func:`demo_policies`
gives the two policies and the rule that picks the VIP one by the customer's
contract; every other ticket is read under ``standard``.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> policies = demo_policies(WorkCalendar.china())
    >>> policies.names, [rule.contracts for rule in policies.rules]
    (('standard', 'vip'), [frozenset({'VIP-2026'})])
    >>> from aftersales.vocab import Priority
    >>> policies.policy("vip").metrics[0].target_for(Priority.URGENT)
    WorkingTime(duration=datetime.timedelta(seconds=900))
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

import attrs

from aftersales.calendar import WorkCalendar
from aftersales.sla import SlaPolicies, SlaPolicy, SlaRule, WorkingDays, WorkingTime
from aftersales.sla.targets import Target
from aftersales.vocab import Priority

__all__ = ["VIP_CONTRACT", "demo_policies", "vip_policy"]

#: The contract code of the demo's VIP customer (``Customer.contract``).
VIP_CONTRACT: Final = "VIP-2026"

_VIP_TARGETS: Final[dict[str, dict[Priority, Target]]] = {
    "first_response": {
        Priority.URGENT: WorkingTime(timedelta(minutes=15)),
        Priority.IMPORTANT: WorkingTime(timedelta(hours=1)),
        Priority.GENERAL: WorkingTime(timedelta(hours=2)),
    },
    "resolution": {
        Priority.URGENT: WorkingTime(timedelta(hours=4)),
        Priority.IMPORTANT: WorkingTime(timedelta(hours=12)),
        Priority.GENERAL: WorkingDays(3),
    },
}


def vip_policy(calendar: WorkCalendar) -> SlaPolicy:
    """The VIP contract's policy: the standard clocks with the contract's first-response and resolution targets.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.vocab import Priority
        >>> vip_policy(WorkCalendar.china()).metrics[1].target_for(Priority.GENERAL)
        WorkingDays(days=3)
    """
    standard = SlaPolicy.default(calendar)
    metrics = tuple(
        attrs.evolve(metric, targets=_VIP_TARGETS[metric.name])
        if metric.name in _VIP_TARGETS
        else metric
        for metric in standard.metrics
    )
    return SlaPolicy(metrics, calendar)


def demo_policies(calendar: WorkCalendar) -> SlaPolicies:
    """``standard`` (:meth:`SlaPolicy.default`) and ``vip`` (:func:`vip_policy`), chosen by contract.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.sla import SlaFacts
        >>> policies = demo_policies(WorkCalendar.china())
        >>> policies.choose(SlaFacts(contract="VIP-2026", priority="urgent"))
        ('vip', 'VIP 服务合同 VIP-2026')
        >>> policies.choose(SlaFacts(priority="urgent"))
        ('standard', 'default')
    """
    return SlaPolicies(
        {"standard": SlaPolicy.default(calendar), "vip": vip_policy(calendar)},
        [SlaRule("vip", contracts=frozenset({VIP_CONTRACT}), label=f"VIP 服务合同 {VIP_CONTRACT}")],
        default="standard",
    )
