"""The demo's SLA policies: a VIP contract's targets, the Guangzhou outlet's calendar, the standard.

XX科技有限公司 holds the VIP service contract ``VIP-2026`` (VIP 服务合同): first
response within 15 minutes for an urgent problem (standard: 30), 1 hour for an
important one (2 h), 2 hours otherwise (4 h); resolution within 4 working hours
when urgent (8 h), 12 when important (24 h), 3 working days otherwise (5). The
other clocks and the calendar are the standard ones. A problem brought to
the Guangzhou outlet (channel ``service_outlet`` or ``store_desk``) is
measured on the outlet's calendar, open on Saturdays
(:data:`~aftersales.demo.teams.DEMO_CALENDARS`), with the standard targets.
:func:`demo_policies` gives the three policies and the rules that pick them,
the contract first; every other ticket is read under ``standard``.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> policies = demo_policies(WorkCalendar.china())
    >>> policies.names, [rule.policy for rule in policies.rules]
    (('standard', 'vip', 'outlet'), ['vip', 'outlet'])
    >>> from aftersales.vocab import Priority
    >>> policies.policy("vip").metrics[0].target_for(Priority.URGENT)
    WorkingTime(duration=datetime.timedelta(seconds=900))
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

import attrs

from aftersales.calendar import WorkCalendar
from aftersales.demo.teams import DEMO_CALENDARS
from aftersales.sla import SlaPolicies, SlaPolicy, SlaRule, WorkingDays, WorkingTime
from aftersales.sla.targets import Target
from aftersales.vocab import Priority

__all__ = ["OUTLET_CHANNELS", "VIP_CONTRACT", "demo_policies", "outlet_policy", "vip_policy"]

#: The contract code of the demo's VIP customer (``Customer.contract``).
VIP_CONTRACT: Final = "VIP-2026"

#: The channels of a problem brought to the Guangzhou outlet.
OUTLET_CHANNELS: Final = frozenset({"service_outlet", "store_desk"})

#: The name of the outlet's calendar in :data:`~aftersales.demo.teams.DEMO_CALENDARS`.
OUTLET_CALENDAR: Final = "广州网点"

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


def outlet_policy(calendar: WorkCalendar) -> SlaPolicy:
    """The standard clocks on the Guangzhou outlet's calendar (Monday–Saturday), with ``calendar``'s years.

    The outlet's calendar takes the official schedules and the declared
    complete years of ``calendar``, so both read the same years.

    Example:
        >>> from datetime import date
        >>> from aftersales.calendar import WorkCalendar
        >>> outlet = outlet_policy(WorkCalendar.china()).calendar
        >>> outlet.is_working_day(date(2026, 10, 17)), WorkCalendar.china().is_working_day(date(2026, 10, 17))
        (True, False)
    """
    definition = attrs.evolve(
        DEMO_CALENDARS[OUTLET_CALENDAR], complete_years=tuple(calendar.complete_years)
    )
    return SlaPolicy.default(definition.build(calendar.schedules))


def demo_policies(calendar: WorkCalendar) -> SlaPolicies:
    """``standard`` (:meth:`SlaPolicy.default`), ``vip`` by contract, ``outlet`` by channel.

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
        {
            "standard": SlaPolicy.default(calendar),
            "vip": vip_policy(calendar),
            "outlet": outlet_policy(calendar),
        },
        [
            SlaRule(
                "vip", contracts=frozenset({VIP_CONTRACT}), label=f"VIP 服务合同 {VIP_CONTRACT}"
            ),
            SlaRule("outlet", channels=OUTLET_CHANNELS, label="广州网点受理 (周六营业)"),
        ],
        default="standard",
    )
