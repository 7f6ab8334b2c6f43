"""SLA policies chosen by conditions: VIP contracts, ticket types, channels (Zendesk's SLA policies).

A company keeps several named :class:`~aftersales.sla.SlaPolicy` values — a
VIP contract on a 24×7 calendar, the standard one on office hours — and an
ordered list of :class:`SlaRule` values: the first rule whose conditions a
ticket meets names its policy; none meets, the default applies. The desk
asks :meth:`SlaPolicies.choose` when a ticket is registered (and again when
its priority changes) and records the choice in the ticket's history, so a
later change of the rules never rewrites past results.

:class:`SlaPolicies` is itself an :class:`~aftersales.sla.SlaPolicy`: its
:meth:`~SlaPolicies.evaluate` reads each ticket under the policy recorded for
it. When a ticket changes policy mid-way the time its clocks used is kept:
every stretch is measured on the calendar of the policy in force at that
time, and the current policy's target applies to the whole cycle, as after a
priority change. Imports the policy, the clocks and the model.

Example:
    >>> from datetime import timedelta
    >>> from aftersales.calendar import WorkCalendar
    >>> vip = SlaPolicy.default(WorkCalendar.always("Asia/Shanghai"))
    >>> standard = SlaPolicy.default(WorkCalendar.china())
    >>> policies = SlaPolicies(
    ...     {"vip": vip, "standard": standard},
    ...     [SlaRule("vip", customer_tiers=["vip"], label="VIP contract")],
    ...     default="standard",
    ... )
    >>> policies.choose(SlaFacts(customer_tier="vip", category="product_quality"))
    ('vip', 'VIP contract')
    >>> policies.choose(SlaFacts(category="consultation"))
    ('standard', 'default')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar

import attrs

from aftersales import _checks as check
from aftersales.calendar import WorkCalendar
from aftersales.errors import InvalidData, UnknownValue
from aftersales.model.ticket import Ticket
from aftersales.sla.clocks import evaluate_clocks
from aftersales.sla.policy import SlaPolicy
from aftersales.sla.report import SlaReport

__all__ = ["CHANGE_SLA_POLICY", "SlaFacts", "SlaPolicies", "SlaRule", "policy_path"]

#: The command that records a new SLA policy for a ticket.
CHANGE_SLA_POLICY = "change_sla_policy"


def _codes(value: Any, name: str) -> frozenset[str] | None:
    if value is None:
        return None
    return frozenset(check.tuple_of(check.identifier, non_empty=True)(value, name))


def _code(value: Any, name: str) -> str | None:
    return None if value is None else check.identifier(str(value), name)


@attrs.frozen(slots=True, kw_only=True)
class SlaFacts:
    """What the rules look at: the customer's tier and contract, and the ticket's terms.

    Values are codes (a term's code, a priority's value or a level's code).

    Example:
        >>> SlaFacts(customer_tier="vip", priority="urgent").customer_tier
        'vip'
    """

    customer_tier: str | None = None
    contract: str | None = None
    ticket_type: str | None = None
    category: str | None = None
    channel: str | None = None
    priority: str | None = None
    priority_level: str | None = None

    _checks: ClassVar[check.Checks] = tuple(
        (name, _code)
        for name in (
            "customer_tier",
            "contract",
            "ticket_type",
            "category",
            "channel",
            "priority",
            "priority_level",
        )
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)


@attrs.frozen(slots=True)
class SlaRule:
    """A rule: when a ticket meets every condition given, it gets ``policy``.

    A condition left ``None`` accepts anything; a set accepts its codes
    (``priorities`` takes seed priorities and level codes: a ticket matches on
    either). ``label`` is the reason recorded with the choice.

    Example:
        >>> rule = SlaRule("vip", contracts=["GOLD-2026"], priorities=["urgent", "high"])
        >>> rule.matches(SlaFacts(contract="GOLD-2026", priority="important", priority_level="high"))
        True
        >>> rule.matches(SlaFacts(contract="GOLD-2026", priority="general"))
        False
    """

    policy: str
    label: str = attrs.field(default="", kw_only=True)
    customer_tiers: frozenset[str] | None = attrs.field(default=None, kw_only=True)
    contracts: frozenset[str] | None = attrs.field(default=None, kw_only=True)
    ticket_types: frozenset[str] | None = attrs.field(default=None, kw_only=True)
    categories: frozenset[str] | None = attrs.field(default=None, kw_only=True)
    channels: frozenset[str] | None = attrs.field(default=None, kw_only=True)
    priorities: frozenset[str] | None = attrs.field(default=None, kw_only=True)

    _checks: ClassVar[check.Checks] = (
        ("policy", check.identifier),
        ("label", check.optional_text),
        ("customer_tiers", _codes),
        ("contracts", _codes),
        ("ticket_types", _codes),
        ("categories", _codes),
        ("channels", _codes),
        ("priorities", _codes),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)

    def matches(self, facts: SlaFacts) -> bool:
        """True when ``facts`` meet every condition of the rule."""
        pairs = (
            (self.customer_tiers, facts.customer_tier),
            (self.contracts, facts.contract),
            (self.ticket_types, facts.ticket_type),
            (self.categories, facts.category),
            (self.channels, facts.channel),
        )
        if any(accepted is not None and value not in accepted for accepted, value in pairs):
            return False
        return self.priorities is None or bool(
            {facts.priority, facts.priority_level} & self.priorities
        )

    @property
    def reason(self) -> str:
        """The text recorded with a choice this rule made (its label, or the policy's name)."""
        return self.label or f"rule for {self.policy}"


class SlaPolicies(SlaPolicy):
    """Named SLA policies, the rules that choose one, and a default.

    Reads each ticket under the policy recorded in its history (the default
    for a ticket registered before any was recorded). Its ``metrics``,
    ``calendar``, sub-statuses and priority scale are the default policy's;
    every policy must share the default's sub-statuses and priority scale.
    ``version`` is the version of the store's policy file they were read from.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> policies = SlaPolicies({"standard": SlaPolicy.default(WorkCalendar.china())},
        ...                        default="standard")
        >>> policies.names, policies.policy("standard").metrics[0].name
        (('standard',), 'first_response')
    """

    def __init__(
        self,
        policies: Mapping[str, SlaPolicy],
        rules: Sequence[SlaRule] = (),
        *,
        default: str,
        version: int | None = None,
    ) -> None:
        if not isinstance(policies, Mapping) or not policies:
            message = f"{type(policies).__name__}; accepted: a non-empty {{name: SlaPolicy}}"
            raise InvalidData(f"policies: {message}", problems=[("policies", message)])
        problems: list[tuple[str, str]] = []
        named: dict[str, SlaPolicy] = {}
        for name, policy in policies.items():
            try:
                key = check.identifier(name, "policies")
            except InvalidData as error:
                problems.extend(error.problems)
                continue
            if not isinstance(policy, SlaPolicy) or isinstance(policy, SlaPolicies):
                problems.append((f"policies[{key}]", "accepted: an SlaPolicy"))
                continue
            named[key] = policy
        checked_rules = check.tuple_of(check.instance_of(SlaRule))(rules, "rules")
        for index, rule in enumerate(checked_rules):
            if rule.policy not in policies:
                message = f"{rule.policy!r} is not a policy; accepted: {sorted(policies)}"
                problems.append((f"rules[{index}].policy", message))
        if default not in named:
            problems.append(
                ("default", f"{default!r} is not a policy; accepted: {sorted(policies)}")
            )
        if problems:
            raise InvalidData.from_problems(problems)
        base = named[default]
        for name, policy in named.items():
            if policy.priority_scale != base.priority_scale or (
                policy.substatuses != base.substatuses
            ):
                message = (
                    "its priority scale or sub-statuses differ from the default's;"
                    " accepted: one priority scale and one set of sub-statuses for all"
                )
                raise InvalidData(f"policies[{name}]: {message}", problems=[(name, message)])
        super().__init__(
            base.metrics,
            base.calendar,
            substatuses=base.substatuses,
            priority_scale=base.priority_scale,
            default_priority=base.default_priority,
        )
        #: The policies by name.
        self.policies: Mapping[str, SlaPolicy] = named
        #: The rules, first match wins.
        self.rules = checked_rules
        #: The name of the policy of a ticket no rule matches.
        self.default_name = default
        #: The version of the store's policy file these came from (``None``: made in code);
        #: the desk records it with every choice.
        self.version = check.optional(check.integer(1))(version, "version")

    @property
    def names(self) -> tuple[str, ...]:
        """The policies' names, in their declared order."""
        return tuple(self.policies)

    def policy(self, name: str) -> SlaPolicy:
        """The policy named ``name``; :class:`UnknownValue` naming the policies otherwise."""
        try:
            return self.policies[name]
        except KeyError:
            raise UnknownValue("sla_policy", name, list(self.policies)) from None

    def choose(self, facts: SlaFacts) -> tuple[str, str]:
        """The policy for ``facts`` and the reason: the first matching rule's, or the default."""
        check.instance_of(SlaFacts)(facts, "facts")
        for rule in self.rules:
            if rule.matches(facts):
                return rule.policy, rule.reason
        return self.default_name, "default"

    def evaluate(self, ticket: Ticket, at: datetime) -> SlaReport:
        """The ticket's clocks under the policy recorded for it, stretches on their calendars."""
        at = check.aware(at, "at")
        path = policy_path(ticket)
        current = self.policies.get(path[-1][1] if path else self.default_name)
        if current is None:  # a policy removed since: read under the default
            current = self.policies[self.default_name]
        if len(path) <= 1:
            return current.evaluate(ticket, at)
        calendars = [(start_us, self.policies.get(name, current)) for start_us, name in path]
        clocks = [current[metric.name] for metric in current.metrics]
        results = evaluate_clocks(
            clocks,
            ticket,
            at,
            calendars={
                clock.metric.name: _calendar_path(clock.metric.name, calendars) for clock in clocks
            },
        )
        return SlaReport(ticket.id, at, tuple(results), ticket.history, status=ticket.status)


def _calendar_path(
    metric: str, path: Iterable[tuple[int, SlaPolicy]]
) -> tuple[tuple[int, WorkCalendar], ...]:
    """From which instant which calendar measures ``metric``, policy by policy."""
    found = []
    for start_us, policy in path:
        try:
            clock = policy[metric]
        except UnknownValue:
            continue
        found.append((start_us, clock.calendar))
    return tuple(found)


def policy_path(ticket: Ticket) -> tuple[tuple[int, str], ...]:
    """When (µs since the epoch) each recorded SLA policy took effect for ``ticket``.

    The opening event's ``sla_policy`` (when the desk chose one) and every
    ``change_sla_policy`` after it; empty for a ticket registered without one.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> policy_path(sample_ticket())
        ()
    """
    path: list[tuple[int, str]] = []
    for event in ticket.history:
        name = getattr(event, "sla_policy", None)
        if name is not None:
            path.append((event.at_us, name))
    return tuple(path)
