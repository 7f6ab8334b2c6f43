"""The desk's part in ``set_substatus``: the sub-status checked against the company's declaration.

The model takes any sub-status code (a history stays readable whatever is
declared later); the desk takes only the sub-statuses its SLA policy
declares (``SlaPolicy(..., substatuses=...)``; a desk without a policy
declares none). :func:`declared_substatus` turns a code or label into its
code before the ticket is read (:class:`~aftersales.errors.UnknownValue`
otherwise); :func:`substatus_of_the_status` then refuses one declared under
another status than the ticket's with
:class:`~aftersales.errors.SubstatusNotAllowed`. ``None`` (clear the
sub-status) passes both. Imports: the domain only.

Example:
    >>> from aftersales import ServiceDesk, SlaPolicy, WorkCalendar
    >>> from aftersales.model.substatus import SubStatuses
    >>> declared_substatus(ServiceDesk(), "待备件", "substatus")
    'waiting_parts'
    >>> policy = SlaPolicy.default(WorkCalendar.always()).with_options(substatuses=SubStatuses())
    >>> declared_substatus(ServiceDesk(sla=policy), "待备件", "substatus")
    Traceback (most recent call last):
    ...
    aftersales.errors.UnknownValue: substatus: '待备件' is not a known value; accepted: None
"""

from __future__ import annotations

from typing import Any, Protocol

from aftersales.errors import SubstatusNotAllowed, UnknownValue
from aftersales.model.substatus import AFTER_SALES_SUBSTATUSES, SubStatuses
from aftersales.model.ticket import Ticket
from aftersales.sla import SlaPolicy

__all__ = ["declared_substatus", "substatus_of_the_status", "substatuses_of"]


class _WithPolicy(Protocol):
    """What these checks read of the desk: its SLA policy."""

    @property
    def sla_policy(self) -> SlaPolicy | None:
        """The desk's SLA policy, if it has one."""
        ...


def substatuses_of(desk: _WithPolicy) -> SubStatuses:
    """The sub-statuses the desk's SLA policy declares (the after-sales ones without a policy).

    Example:
        >>> from aftersales import ServiceDesk
        >>> [s.code for s in substatuses_of(ServiceDesk())][0]
        'waiting_parts'
    """
    policy = desk.sla_policy
    return AFTER_SALES_SUBSTATUSES if policy is None else policy.substatuses


def declared_substatus(desk: _WithPolicy, value: Any, name: str) -> str | None:
    """``None``, or the code of the declared sub-status ``value`` names (by code or label)."""
    if value is None:
        return None
    catalog = substatuses_of(desk)
    try:
        return catalog.get(value).code
    except UnknownValue:
        raise UnknownValue(name, value, [*(item.code for item in catalog), None]) from None


def substatus_of_the_status(desk: _WithPolicy, ticket: Ticket, value: Any, name: str) -> None:
    """Refuse a sub-status declared under another status than ``ticket``'s.

    Example:
        >>> from aftersales import ServiceDesk, SlaPolicy, WorkCalendar
        >>> from aftersales.model.substatus import AFTER_SALES_SUBSTATUSES
        >>> from aftersales.testing.samples import sample_ticket
        >>> policy = SlaPolicy.default(WorkCalendar.always()).with_options(
        ...     substatuses=AFTER_SALES_SUBSTATUSES)
        >>> ticket = type(sample_ticket()).replay(sample_ticket().history[:2])  # analysing
        >>> substatus_of_the_status(ServiceDesk(sla=policy), ticket, "waiting_parts", "substatus")
        Traceback (most recent call last):
        ...
        aftersales.errors.SubstatusNotAllowed: substatus: 'waiting_parts' (待备件) is declared under in_progress, not under analysing, the status of ticket 'T202405001'; accepted: 'waiting_manufacturer'
    """
    if value is None:
        return
    catalog = substatuses_of(desk)
    declared = catalog.get(value)
    if declared.under is ticket.status:
        return
    accepted: list[str | None] = [
        item.code for item in catalog.under(ticket.status) if item.code != ticket.substatus
    ]
    if ticket.substatus is not None:
        accepted.append(None)
    raise SubstatusNotAllowed(
        value,
        ticket_id=ticket.id,
        status=ticket.status.value,
        under=declared.under.value,
        accepted=accepted,
        label=declared.label_zh,
    )
