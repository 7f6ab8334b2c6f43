"""The priority rules of an SLA policy file: ``[[priority.rules]]`` and ``priority.fallback``.

The ``[priority]`` section of a policy file may write the priority rules out
(docs/sla.md, "Policies as data"); the first rule whose condition holds
gives the new ticket its priority and reason, and a ticket no rule matches
gets the fallback::

    [priority]
    fallback = { priority = "general", reason = "minor issue" }

    [[priority.rules]]
    when = "safety_hazard"
    priority = "urgent"
    reason = "safety hazard"

    [[priority.rules]]
    when = "prior_unresolved_complaints >= 1"
    priority = "important"
    reason = "repeated complaint still unresolved"

A file without either means the default rules; a file with a fallback but
no rules, the default rules with that fallback; rules without a fallback,
the default fallback (general, "minor issue"). :func:`read_priority_rules`
reads them strictly, naming every bad path, and :func:`priority_rules_data`
gives what :func:`~aftersales.sla.policy_file.dump_policy_file` writes
back. Imports the priority rule table.

Example:
    >>> from aftersales.priority import IntakeFacts
    >>> problems = []
    >>> table = read_priority_rules(
    ...     {"rules": [{"when": "consultation", "priority": "general", "reason": "咨询"}]},
    ...     PriorityScale.three_levels(), problems)
    >>> table.assess(IntakeFacts(consultation=True)).reason, problems
    ('咨询', [])
"""

from __future__ import annotations

from typing import Any, Final

from aftersales._shown import shown
from aftersales.errors import InvalidData
from aftersales.priority_levels import PriorityScale
from aftersales.priority_table import PriorityRule, PriorityRuleTable

__all__ = ["PRIORITY_RULE_KEYS", "priority_rules_data", "read_priority_rules"]

#: The keys of one ``[[priority.rules]]`` table, all required.
PRIORITY_RULE_KEYS: Final = ("when", "priority", "reason")
_FALLBACK_KEYS: Final = ("priority", "reason")

Problems = list[tuple[str, str]]


def _keys(value: object, path: str, keys: tuple[str, ...], problems: Problems) -> dict[str, Any]:
    """``value`` as a table of exactly ``keys``; ``{}`` (and problems) otherwise."""
    accepted = ", ".join(repr(key) for key in keys)
    if not isinstance(value, dict):
        problems.append((path, f"{shown(value)} is not a table; accepted: a table of {accepted}"))
        return {}
    before = len(problems)
    for key in value:
        if key not in keys:
            problems.append((f"{path}.{key}", f"an unknown key; accepted: {accepted}"))
    for key in keys:
        if key not in value:
            problems.append((f"{path}.{key}", "missing; accepted: a value for it (required)"))
    return value if len(problems) == before else {}


def _made(make: Any, path: str, problems: Problems) -> Any:
    try:
        return make()
    except InvalidData as error:
        problems.extend((f"{path}.{inner}", message) for inner, message in error.problems)
        return None


def read_priority_rules(
    priority: dict[str, Any], scale: PriorityScale | None, problems: Problems
) -> PriorityRuleTable | None:
    """The table of the ``[priority]`` section ``priority`` on ``scale``; ``None`` without rules.

    Each problem is added to ``problems`` under its path
    (``priority.rules[2].when``); ``scale`` ``None`` (the file's levels are
    refused) checks each rule on its own, not the priorities against levels.

    Example:
        >>> problems = []
        >>> read_priority_rules(
        ...     {"rules": [{"when": "safety_hazard", "priority": "p0", "reason": "安全"}]},
        ...     PriorityScale.three_levels(), problems)
        >>> problems
        [('priority.rules[0].priority', "'p0' is not a priority level; accepted: one of ['urgent', 'important', 'general']")]
    """
    if "rules" not in priority and "fallback" not in priority:
        return None
    before = len(problems)
    default = PriorityRuleTable.default()
    rules = default.rules
    if "rules" in priority:
        items = priority["rules"]
        if not isinstance(items, list):
            message = f"{shown(items)} is not a list; accepted: [[priority.rules]] tables"
            problems.append(("priority.rules", message))
            items = []
        rules = tuple(
            _made(lambda t=table: PriorityRule(**t), path, problems)
            for path, table in (
                (
                    f"priority.rules[{i}]",
                    _keys(item, f"priority.rules[{i}]", PRIORITY_RULE_KEYS, problems),
                )
                for i, item in enumerate(items)
            )
            if table
        )
    fallback = {"priority": default.fallback_priority, "reason": default.fallback_reason}
    if "fallback" in priority:
        fallback = _keys(priority["fallback"], "priority.fallback", _FALLBACK_KEYS, problems)
    if len(problems) > before or scale is None:
        return None
    return _made(  # type: ignore[no-any-return]
        lambda: PriorityRuleTable(
            rules,
            fallback_priority=fallback["priority"],
            fallback_reason=fallback["reason"],
            scale=scale,
        ),
        "priority",
        problems,
    )


def priority_rules_data(table: PriorityRuleTable) -> tuple[dict[str, str], list[dict[str, str]]]:
    """``table`` as a policy file holds it: the fallback, and each rule's table in order.

    Example:
        >>> fallback, rules = priority_rules_data(PriorityRuleTable.default())
        >>> fallback, rules[0]
        ({'priority': 'general', 'reason': 'minor issue'}, {'when': 'safety_hazard', 'priority': 'urgent', 'reason': 'safety hazard'})
    """
    fallback = {"priority": table.fallback_priority, "reason": table.fallback_reason}
    rules = [{key: getattr(rule, key) for key in PRIORITY_RULE_KEYS} for rule in table.rules]
    return fallback, rules
