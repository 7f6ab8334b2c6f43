"""The desk's side of SLA policies chosen by conditions: choosing, recording, re-choosing.

With :class:`~aftersales.sla.SlaPolicies` as its SLA policy, the desk records
a :class:`~aftersales.model.events.SlaPolicyChosen` event with every new
ticket (the first rule that matches its customer's tier and contract, its
type, category, channel and priority, or the default), chooses again when the
ticket's priority changes (recording the new choice only when it differs),
and takes an explicit ``change_sla_policy`` from a supervisor. With a plain
:class:`~aftersales.sla.SlaPolicy` nothing is recorded. Imports the domain.

Example:
    >>> from aftersales import Customer
    >>> from aftersales.sla import SlaPolicy, SlaPolicies, SlaRule
    >>> from aftersales.calendar import WorkCalendar
    >>> policies = SlaPolicies(
    ...     {"vip": SlaPolicy.default(WorkCalendar.always("Asia/Shanghai")),
    ...      "standard": SlaPolicy.default(WorkCalendar.china())},
    ...     [SlaRule("vip", customer_tiers=["vip"], label="VIP 合同")], default="standard")
    >>> vip = Customer(id="C1", name="甲公司", tier="vip")
    >>> facts_for(vip, category="product_quality", channel="phone", priority="urgent")
    SlaFacts(customer_tier='vip', contract=None, ticket_type=None, category='product_quality', channel='phone', priority='urgent', priority_level=None)
"""

from __future__ import annotations

from typing import Any, Protocol

from aftersales.errors import NotFound, UnknownValue
from aftersales.model.customer import Customer
from aftersales.model.events import SlaPolicyChosen
from aftersales.model.ticket import Ticket
from aftersales.sla import SlaPolicy
from aftersales.sla.selection import SlaFacts, SlaPolicies, policy_path

__all__ = ["chosen_sla_policy", "customer_of", "facts_for", "known_sla_policy", "rechosen"]

#: The name of a desk's only SLA policy when it is not :class:`SlaPolicies`.
SINGLE_POLICY = "default"

#: The commands after which the desk chooses the ticket's policy again.
RECHOOSE_AFTER = frozenset({"change_priority"})


class _WithPolicy(Protocol):
    @property
    def sla_policy(self) -> SlaPolicy | None:
        """The desk's SLA policy, if it has one."""
        ...


def _code(value: Any) -> str | None:
    if value is None:
        return None
    code = getattr(value, "code", None)
    return str(code if code is not None else value)


def facts_for(customer: Customer | None, **ticket: Any) -> SlaFacts:
    """The facts the rules read: the customer's tier and contract, the ticket's codes."""
    return SlaFacts(
        customer_tier=None if customer is None else customer.tier,
        contract=None if customer is None else customer.contract,
        **{name: _code(value) for name, value in ticket.items()},
    )


def _ticket_facts(ticket: Ticket, customer: Customer | None) -> SlaFacts:
    return facts_for(
        customer,
        ticket_type=getattr(ticket, "ticket_type", None),
        category=ticket.category,
        channel=ticket.channel,
        priority=ticket.priority,
        priority_level=ticket.priority_level,
    )


def chosen_sla_policy(policy: SlaPolicy | None, opened: Ticket, customer: Customer) -> Ticket:
    """``opened`` with the :class:`SlaPolicyChosen` of ``policy``'s rules (unchanged without rules)."""
    if not isinstance(policy, SlaPolicies):
        return opened
    name, reason = policy.choose(_ticket_facts(opened, customer))
    event = opened.new_event(
        SlaPolicyChosen,
        by=opened.history[0].by,
        at=opened.updated_at,
        sla_policy=name,
        reason=reason,
        policy_version=policy.version,
    )
    return opened.apply(event)


def rechosen(policy: SlaPolicy | None, command: str, ticket: Ticket, store: Any) -> Ticket:
    """``ticket`` with a new :class:`SlaPolicyChosen` when ``command`` changed what the rules choose.

    ``store`` gives the ticket's customer (read only when the rules are asked).
    """
    if not isinstance(policy, SlaPolicies) or command not in RECHOOSE_AFTER:
        return ticket
    path = policy_path(ticket)
    current = path[-1][1] if path else None
    customer = customer_of(store, ticket.customer_id)
    name, reason = policy.choose(_ticket_facts(ticket, customer))
    if name == current:
        return ticket
    last = ticket.history[-1]
    event = ticket.new_event(
        SlaPolicyChosen,
        by=last.by,
        at=ticket.updated_at,
        sla_policy=name,
        reason=f"{reason} (after {command})",
        policy_version=policy.version,
    )
    return ticket.apply(event)


def customer_of(store: Any, customer_id: str) -> Customer | None:
    """The stored customer, or ``None`` when the store has none by that id."""
    try:
        found: Customer = store.get_customer(customer_id)
    except NotFound:
        return None
    return found


def known_sla_policy(desk: _WithPolicy, value: Any, name: str) -> str:
    """The name of one of the desk's SLA policies (``UnknownValue`` naming them otherwise).

    A desk with one :class:`~aftersales.sla.SlaPolicy` (or none) has one
    policy, named ``"default"``.

    Example:
        >>> from aftersales import ServiceDesk
        >>> known_sla_policy(ServiceDesk(), "default", "sla_policy")
        'default'
        >>> known_sla_policy(ServiceDesk(), "vip", "sla_policy")
        Traceback (most recent call last):
        ...
        aftersales.errors.UnknownValue: sla_policy: 'vip' is not a known value; accepted: 'default'
    """
    policy = desk.sla_policy
    names = policy.names if isinstance(policy, SlaPolicies) else (SINGLE_POLICY,)
    if value not in names:
        raise UnknownValue(name, value, names)
    return str(value)
