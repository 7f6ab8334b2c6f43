"""The SLA policy of the command line: the demo's, the built-in clocks and the after-sales sub-statuses.

Every command that reads or writes a store's SLA clocks and read models
(``demo``, ``report``, ``sla sweep``, ``projections rebuild``, ``serve``)
uses this one policy, so the facts one command stores are the facts the
others read (a policy is part of the facts' projection key). Its
sub-statuses (待备件, 待客户寄回, 待厂家) pause the resolution clock.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> policy = command_line_policy(WorkCalendar.always())
    >>> [s.code for s in policy.substatuses]
    ['waiting_parts', 'waiting_customer_return', 'waiting_manufacturer']
"""

from __future__ import annotations

from aftersales.calendar import WorkCalendar
from aftersales.demo import demo_policy
from aftersales.sla import SlaPolicy

__all__ = ["command_line_policy"]


def command_line_policy(calendar: WorkCalendar) -> SlaPolicy:
    """:meth:`SlaPolicy.default` on ``calendar`` with the after-sales sub-statuses (:func:`~aftersales.demo.demo_policy`).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> command_line_policy(WorkCalendar.always()).substatuses.get("待备件").code
        'waiting_parts'
    """
    return demo_policy(calendar)
