"""Priority rules as data: an ordered table of intake conditions, each giving a level and a reason.

:class:`PriorityRuleTable` is the priority rules an operations team writes
down instead of coding them (the ``[priority]`` section of an SLA policy
file, docs/sla.md "Policies as data"). Each :class:`PriorityRule` names one
condition on the :class:`~aftersales.priority.IntakeFacts`: a fact
(``safety_hazard``, ``core_business_stopped``, ``product_unusable``,
``partial_function_affected``, ``consultation``) or a threshold on the
customer's unresolved complaints (``prior_unresolved_complaints >= 2``);
the first rule whose condition holds gives the priority and its reason,
and a ticket no rule matches gets the fallback. A priority is a level of the
table's :class:`~aftersales.priority_levels.PriorityScale` (its code or a
label) or a seed priority, which stands for the scale's most urgent level
reported as it. :meth:`PriorityRuleTable.default` is the documented default
rules (:class:`~aftersales.priority.DefaultPriorityRules`) written as a
table. Imports the priority rules' values and the priority scales.

Example:
    >>> table = PriorityRuleTable.default()
    >>> table.assess(IntakeFacts(product_unusable=True))
    PriorityAssessment(priority=<Priority.URGENT: 'urgent'>, reason='product unusable', level=None)
    >>> table.assess(IntakeFacts(prior_unresolved_complaints=2)).reason
    'repeated complaint still unresolved'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, ClassVar, Final

import attrs

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.errors import InvalidData, UnknownValue
from aftersales.priority import IntakeFacts, PriorityAssessment
from aftersales.priority_levels import PriorityScale
from aftersales.vocab import Priority

__all__ = ["COMPLAINT_THRESHOLD", "INTAKE_CONDITIONS", "PriorityRule", "PriorityRuleTable"]

#: The intake facts a rule may name as its condition.
INTAKE_CONDITIONS: Final = (
    "safety_hazard",
    "core_business_stopped",
    "product_unusable",
    "partial_function_affected",
    "consultation",
)
#: The count a threshold condition reads: ``prior_unresolved_complaints >= N``.
COMPLAINT_THRESHOLD: Final = "prior_unresolved_complaints"

_THRESHOLD: Final = re.compile(rf"^{COMPLAINT_THRESHOLD} >= (\d+)$")
_ACCEPTED_CONDITIONS: Final = (
    f"one of {', '.join(repr(fact) for fact in INTAKE_CONDITIONS)},"
    f" or '{COMPLAINT_THRESHOLD} >= N' with N a whole number from 1 to {check.MAX_INT}"
)


def _threshold(when: str) -> int | None:
    """The N of ``prior_unresolved_complaints >= N``; ``None`` for a fact."""
    found = _THRESHOLD.match(when)
    return None if found is None else int(found.group(1))


def _condition(value: Any, name: str) -> str:
    if isinstance(value, str) and value in INTAKE_CONDITIONS:
        return value
    found = _THRESHOLD.match(value) if isinstance(value, str) else None
    count = None if found is None else found.group(1)
    if count is not None and not count.startswith("0") and int(count) <= check.MAX_INT:
        return str(value)
    if count is not None and int(count) < 1:
        message = f"{shown(value)} counts from {count}, below 1; accepted: {_ACCEPTED_CONDITIONS}"
    else:
        message = f"{shown(value)} is not a condition; accepted: {_ACCEPTED_CONDITIONS}"
    raise InvalidData(f"{name}: {message}", problems=[(name, message)])


def _priority_code(value: object) -> object:
    """A seed :class:`Priority` as its value; anything else as it is, for the check to name."""
    return value.value if isinstance(value, Priority) else value


@attrs.frozen(slots=True)
class PriorityRule:
    """One row of a priority rule table: when ``when`` holds, ``priority`` for ``reason``.

    ``when`` is an intake fact (:data:`INTAKE_CONDITIONS`) or
    ``"prior_unresolved_complaints >= N"`` (N from 1); ``priority`` is a level
    code or label, or a seed priority (a :class:`~aftersales.vocab.Priority`
    member is kept as its value); ``reason`` is kept on the ticket.

    Example:
        >>> rule = PriorityRule("prior_unresolved_complaints >= 2", "urgent", "third complaint")
        >>> rule.holds(IntakeFacts(prior_unresolved_complaints=2)), rule.threshold
        (True, 2)
        >>> PriorityRule("prior_unresolved_complaints >= 0", "urgent", "any")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: when: 'prior_unresolved_complaints >= 0' counts from 0, below 1; accepted: one of 'safety_hazard', 'core_business_stopped', 'product_unusable', 'partial_function_affected', 'consultation', or 'prior_unresolved_complaints >= N' with N a whole number from 1 to 2147483647
    """

    when: str
    priority: str = attrs.field(converter=_priority_code)
    reason: str

    _checks: ClassVar[check.Checks] = (
        ("when", _condition),
        ("priority", check.text),
        ("reason", check.text),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)

    @property
    def threshold(self) -> int | None:
        """The least count of unresolved complaints the rule needs; ``None`` when it names a fact.

        Example:
            >>> PriorityRule("consultation", "general", "consultation").threshold is None
            True
        """
        return _threshold(self.when)

    def holds(self, facts: IntakeFacts) -> bool:
        """True when ``facts`` meet the rule's condition.

        Example:
            >>> PriorityRule("safety_hazard", "urgent", "safety hazard").holds(IntakeFacts())
            False
        """
        threshold = self.threshold
        if threshold is None:
            return bool(getattr(facts, self.when))
        return facts.prior_unresolved_complaints >= threshold


def _as_tuple(rules: Iterable[PriorityRule]) -> tuple[PriorityRule, ...]:
    """A list of rules as a tuple; anything else as it is, for the check to name."""
    if isinstance(rules, str | bytes) or not isinstance(rules, Iterable):
        return rules
    return tuple(rules)


def _accepted_priorities(scale: PriorityScale) -> list[str]:
    reported = {level.reports_as for level in scale}
    seeds = [p.value for p in Priority if p in reported and p.value not in scale.codes]
    return [*scale.codes, *seeds]


def _priority_problem(value: str, scale: PriorityScale, path: str) -> tuple[str, str] | None:
    try:
        scale.level_of(value)
    except UnknownValue:
        accepted = _accepted_priorities(scale)
        return path, f"{shown(value)} is not a priority level; accepted: one of {accepted}"
    return None


def _unreachable(rules: tuple[PriorityRule, ...]) -> list[tuple[str, str]]:
    """A rule no intake facts can reach: its fact, or a count no higher, is an earlier rule's."""
    problems: list[tuple[str, str]] = []
    for index, rule in enumerate(rules):
        for earlier, before in enumerate(rules[:index]):
            if rule.when == before.when:
                message = (
                    f"{shown(rule.when)} is also rules[{earlier}]; accepted: each condition once"
                )
            elif None not in (rule.threshold, before.threshold) and (
                before.threshold <= rule.threshold  # type: ignore[operator]
            ):
                message = (
                    f"{shown(rule.when)} never applies after rules[{earlier}] ({before.when!r});"
                    " accepted: higher counts first"
                )
            else:
                continue
            problems.append((f"rules[{index}].when", message))
            break
    return problems


@attrs.frozen(slots=True)
class PriorityRuleTable:
    """Ordered priority rules and the fallback; the first rule that holds decides.

    Implements :class:`~aftersales.priority.PriorityRules`. Checked when made:
    every priority must be a level of ``scale`` (or a seed priority it has a
    level for), and no rule may repeat an earlier condition or a threshold
    no higher than an earlier one (it would never apply);
    :class:`~aftersales.errors.InvalidData` lists every problem
    (``rules[1].when``, ``fallback.priority``). An assessment carries the
    level's code on a scale other than the seeds' own.

    Example:
        >>> table = PriorityRuleTable(
        ...     [PriorityRule("safety_hazard", "urgent", "安全隐患"),
        ...      PriorityRule("consultation", "low", "咨询")],
        ...     fallback_priority="medium", fallback_reason="一般问题",
        ...     scale=PriorityScale.four_levels())
        >>> table.assess(IntakeFacts(consultation=True))
        PriorityAssessment(priority=<Priority.GENERAL: 'general'>, reason='咨询', level='low')
        >>> table.assess(IntakeFacts()).level
        'medium'
        >>> PriorityRuleTable([PriorityRule("consultation", "low", "咨询")])
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: rules[0].priority: 'low' is not a priority level; accepted: one of ['urgent', 'important', 'general']
    """

    rules: tuple[PriorityRule, ...] = attrs.field(converter=_as_tuple)
    fallback_priority: str = attrs.field(default="general", kw_only=True, converter=_priority_code)
    fallback_reason: str = attrs.field(default="minor issue", kw_only=True)
    scale: PriorityScale = attrs.field(factory=PriorityScale.three_levels, kw_only=True)

    def __attrs_post_init__(self) -> None:
        check.run_checks(
            self,
            (
                ("rules", check.tuple_of(check.instance_of(PriorityRule))),
                ("scale", check.instance_of(PriorityScale)),
            ),
        )
        problems: list[tuple[str, str]] = []
        for key, name in (
            ("fallback_priority", "fallback.priority"),
            ("fallback_reason", "fallback.reason"),
        ):
            try:
                check.text(getattr(self, key), name)
            except InvalidData as error:
                problems.extend(error.problems)
        priorities = [(f"rules[{i}].priority", rule.priority) for i, rule in enumerate(self.rules)]
        if not problems or problems[0][0] != "fallback.priority":
            priorities.append(("fallback.priority", self.fallback_priority))
        for path, priority in priorities:
            found = _priority_problem(priority, self.scale, path)
            problems.extend([found] if found else [])
        problems.extend(_unreachable(self.rules))
        if problems:
            raise InvalidData.from_problems(problems)

    @classmethod
    def default(cls, scale: PriorityScale | None = None) -> PriorityRuleTable:
        """The documented default rules as a table, on ``scale`` (default: the seeds' three levels).

        Safety hazard, core business stopped, product unusable: urgent; part
        of the function affected, or one unresolved complaint or more:
        important; consultation: general; anything else: general, "minor issue".

        Example:
            >>> [rule.when for rule in PriorityRuleTable.default().rules][-2:]
            ['prior_unresolved_complaints >= 1', 'consultation']
            >>> PriorityRuleTable.default(PriorityScale.four_levels()).assess(
            ...     IntakeFacts(partial_function_affected=True)).level
            'high'
        """
        return cls(
            [
                PriorityRule("safety_hazard", "urgent", "safety hazard"),
                PriorityRule("core_business_stopped", "urgent", "core business stopped"),
                PriorityRule("product_unusable", "urgent", "product unusable"),
                PriorityRule(
                    "partial_function_affected", "important", "part of the function affected"
                ),
                PriorityRule(
                    f"{COMPLAINT_THRESHOLD} >= 1",
                    "important",
                    "repeated complaint still unresolved",
                ),
                PriorityRule("consultation", "general", "consultation"),
            ],
            fallback_priority="general",
            fallback_reason="minor issue",
            scale=PriorityScale.three_levels() if scale is None else scale,
        )

    def on_scale(self, scale: PriorityScale) -> PriorityRuleTable:
        """The same rules on another scale; :class:`InvalidData` when a priority is none of its levels.

        Example:
            >>> PriorityRuleTable.default().on_scale(PriorityScale.four_levels()).assess(
            ...     IntakeFacts()).level
            'medium'
        """
        return attrs.evolve(self, scale=scale)

    def assess(self, facts: IntakeFacts) -> PriorityAssessment:
        """The priority of the first rule that holds for ``facts``, else the fallback.

        Example:
            >>> PriorityRuleTable.default().assess(IntakeFacts()).reason
            'minor issue'
        """
        for rule in self.rules:
            if rule.holds(facts):
                return self._assessment(rule.priority, rule.reason)
        return self._assessment(self.fallback_priority, self.fallback_reason)

    def _assessment(self, priority: str, reason: str) -> PriorityAssessment:
        level = self.scale.level_of(priority)
        code = None if self.scale.is_seed else level.code
        return PriorityAssessment(level.reports_as, reason, level=code)
