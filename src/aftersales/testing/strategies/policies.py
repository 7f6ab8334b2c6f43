"""Hypothesis strategies for SLA policy documents: what a policy file declares.

:func:`policy_documents` draws whole :class:`~aftersales.sla.policy_document.PolicyDocument`
values (named policies on named calendars, re-targeted built-in and helpdesk
metrics with renamed labels and filtered triggers, sub-statuses, priority
scales, selection rules), for properties of policy files: a document written
and read back is the same document, and whatever a company asserts of its
own policies. Requires the ``test`` extra (hypothesis).

Example:
    >>> from hypothesis import given, settings
    >>> from aftersales.sla.policy_file import dump_policy_file, load_policy_file
    >>> @settings(max_examples=5, deadline=None)
    ... @given(policy_documents())
    ... def check(document):
    ...     assert load_policy_file(dump_policy_file(document)) == document
    >>> check()
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
from hypothesis import strategies as st

from aftersales.errors import InvalidData
from aftersales.model.substatus import AFTER_SALES_SUBSTATUSES, SubStatus
from aftersales.priority_levels import PriorityScale
from aftersales.priority_table import (
    COMPLAINT_THRESHOLD,
    INTAKE_CONDITIONS,
    PriorityRule,
    PriorityRuleTable,
)
from aftersales.sla.helpdesk_metrics import HELPDESK_METRIC_NAMES, helpdesk_metrics
from aftersales.sla.metrics import ReopenPolicy, default_metrics
from aftersales.sla.policy_document import MetricSpec, PolicyDocument, PolicySpec, TriggerSpec
from aftersales.sla.selection import SlaRule
from aftersales.sla.trigger_filters import FILTER_KINDS, TriggerFilter
from aftersales.testing.strategies.calendars import _warning_levels, sla_targets
from aftersales.testing.strategies.values import priority_scales, texts
from aftersales.vocab import Priority, TicketStatus

__all__ = ["calendar_names", "policy_documents", "policy_names", "priority_rule_tables"]

_BUILT_IN_METRICS = (*default_metrics(), *helpdesk_metrics(HELPDESK_METRIC_NAMES))
_BUILT_IN_NAMES = tuple(m.name for m in _BUILT_IN_METRICS)
_OPEN = tuple(status for status in TicketStatus if status.is_open)


def policy_names() -> st.SearchStrategy[str]:
    """Policy names: common ones and drawn ids (``.`` and ``:`` included, so keys get quoted).

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(policy_names())
        ... def check(name):
        ...     assert name and len(name) <= 64
        >>> check()
    """
    drawn = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9_.:-]{0,12}\Z")
    return st.sampled_from(["standard", "vip", "outlet", "hotline"]) | drawn


def calendar_names() -> st.SearchStrategy[str]:
    """Calendar names: the built-in ``china`` and ``always``, and stored calendars' names.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(calendar_names())
        ... def check(name):
        ...     assert name.strip()
        >>> check()
    """
    return st.sampled_from(["china", "always", "广州网点"]) | texts(max_size=12)


def _filters(command: str) -> st.SearchStrategy[TriggerFilter | None]:
    kinds = [kind for kind, (reads, _) in FILTER_KINDS.items() if reads == command]
    if not kinds:
        return st.none()
    drawn = st.sampled_from(kinds).flatmap(
        lambda kind: (
            st.builds(TriggerFilter, st.just(kind), st.integers(1, 5))
            if kind == "score_below"
            else st.just(TriggerFilter(kind))
        )
    )
    return st.none() | drawn


@st.composite
def _trigger(draw: st.DrawFn, spec: TriggerSpec) -> TriggerSpec:
    """``spec`` with its filter and label redrawn at times."""
    if not draw(st.booleans()):
        return spec
    when = draw(_filters(spec.command))
    label = draw(st.just("") | texts(max_size=20))
    return TriggerSpec(spec.command, when, label, unless=spec.unless)


@st.composite
def _metric(
    draw: st.DrawFn, base: MetricSpec, levels: Sequence[str], calendars: st.SearchStrategy[str]
) -> MetricSpec:
    keys = draw(st.lists(st.sampled_from(list(levels)), min_size=1, unique=True))
    targets = {key: draw(sla_targets()) for key in keys}
    reopen = draw(st.sampled_from(list(ReopenPolicy)))
    if base.restarts and reopen is ReopenPolicy.RESTART:
        reopen = ReopenPolicy.CONTINUE

    def redrawn(triggers: tuple[TriggerSpec, ...]) -> tuple[TriggerSpec, ...]:
        return tuple(draw(_trigger(t)) for t in triggers)

    return attrs.evolve(
        base,
        starts=redrawn(base.starts),
        stops=redrawn(base.stops),
        resumes=redrawn(base.resumes),
        void=redrawn(base.void),
        label_zh=draw(st.just(base.label_zh) | texts(max_size=12)),
        label_en=draw(st.just(base.label_en) | texts(max_size=20)),
        targets=targets,
        warn_at=draw(_warning_levels()),
        reopen=reopen,
        pause_in=frozenset(draw(st.lists(st.sampled_from(_OPEN), max_size=2))),
        categories=draw(
            st.none()
            | st.frozensets(
                st.sampled_from(["product_quality", "usage_guidance", "logistics"]), min_size=1
            )
        ),
        calendar=draw(st.none() | calendars),
    )


@st.composite
def _policy(
    draw: st.DrawFn, levels: Sequence[str], calendars: st.SearchStrategy[str]
) -> PolicySpec:
    bases = draw(
        st.lists(
            st.sampled_from(_BUILT_IN_METRICS), min_size=1, max_size=4, unique_by=lambda m: m.name
        )
    )
    metrics = [draw(_metric(MetricSpec.of(m), levels, calendars)) for m in bases]
    return PolicySpec(draw(calendars), metrics)


@st.composite
def _substatuses(draw: st.DrawFn) -> tuple[SubStatus, ...]:
    if draw(st.booleans()):
        return tuple(draw(st.lists(st.sampled_from(list(AFTER_SALES_SUBSTATUSES)), unique=True)))
    codes = draw(st.lists(st.from_regex(r"\Awaiting_[a-z]{1,8}\Z"), max_size=3, unique=True))
    return tuple(
        SubStatus(
            code,
            f"{code}_zh",
            f"{code} (en)",
            under=draw(st.sampled_from(_OPEN)),
            pauses=frozenset(draw(st.lists(st.sampled_from(_BUILT_IN_NAMES), max_size=3))),
        )
        for code in codes
    )


@st.composite
def _rule(draw: st.DrawFn, names: Sequence[str], levels: Sequence[str]) -> SlaRule:
    codes = st.none() | st.frozensets(
        st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9_-]{0,8}\Z"), min_size=1, max_size=3
    )
    return SlaRule(
        draw(st.sampled_from(list(names))),
        label=draw(st.just("") | texts(max_size=20)),
        customer_tiers=draw(codes),
        contracts=draw(codes),
        channels=draw(codes),
        priorities=draw(st.none() | st.frozensets(st.sampled_from(list(levels)), min_size=1)),
    )


@st.composite
def priority_rule_tables(draw: st.DrawFn, scale: PriorityScale | None = None) -> PriorityRuleTable:
    """Priority rule tables on ``scale`` (default: the seeds' three levels): the default one and drawn ones.

    A drawn table holds 0 to 8 rules: distinct intake facts and distinct
    complaint thresholds (higher counts first, so every rule can apply),
    interleaved in any order, each giving a level code or a seed priority the
    scale has, with a drawn reason; and a drawn fallback.

    Example:
        >>> from hypothesis import given, settings
        >>> from aftersales.priority import IntakeFacts
        >>> @settings(max_examples=10)
        ... @given(priority_rule_tables(PriorityScale.four_levels()))
        ... def check(table):
        ...     assert table.assess(IntakeFacts()).level in table.scale.codes
        >>> check()
    """
    on = PriorityScale.three_levels() if scale is None else scale
    if draw(st.booleans()):
        try:
            return PriorityRuleTable.default(on)
        except InvalidData:
            pass  # the scale has no level for a seed priority the default rules give
    reported = {level.reports_as for level in on}
    priorities = st.sampled_from(
        [*on.codes, *(p.value for p in Priority if p in reported and p.value not in on.codes)]
    )
    facts = draw(st.lists(st.sampled_from(INTAKE_CONDITIONS), unique=True))
    counts = sorted(draw(st.lists(st.integers(1, 20), unique=True, max_size=3)), reverse=True)
    conditions = draw(st.permutations([*facts, *([COMPLAINT_THRESHOLD] * len(counts))]))
    descending = iter(counts)
    rules = [
        PriorityRule(
            f"{when} >= {next(descending)}" if when == COMPLAINT_THRESHOLD else when,
            draw(priorities),
            draw(texts(max_size=20)),
        )
        for when in conditions
    ]
    return PriorityRuleTable(
        rules,
        fallback_priority=draw(priorities),
        fallback_reason=draw(texts(max_size=20)),
        scale=on,
    )


@st.composite
def policy_documents(
    draw: st.DrawFn, *, calendars: st.SearchStrategy[str] | None = None, max_policies: int = 3
) -> PolicyDocument:
    """Policy documents: 1 to ``max_policies`` named policies, their rules, sub-statuses, levels, priority rules.

    Each policy holds 1–4 of the built-in and helpdesk metrics, re-targeted
    per level (:func:`~aftersales.testing.strategies.sla_targets`) with drawn
    labels, trigger filters and labels, warning levels, reopen policy, pause
    statuses, categories and at times a calendar of their own; the
    calendars are named from ``calendars`` (default :func:`calendar_names`).

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, deadline=None)
        ... @given(policy_documents(calendars=st.just("always")))
        ... def check(document):
        ...     assert document.calendar_names == ("always",)
        >>> check()
    """
    named = calendar_names() if calendars is None else calendars
    scale: PriorityScale = draw(priority_scales(max_levels=4))
    levels = [*scale.codes, *(p.value for p in Priority if p.value not in scale.codes)]
    names = draw(st.lists(policy_names(), min_size=1, max_size=max_policies, unique=True))
    policies = {name: draw(_policy(levels, named)) for name in names}
    rules = draw(st.lists(_rule(names, levels), max_size=3))
    return PolicyDocument(
        policies=policies,
        default=draw(st.sampled_from(names)),
        rules=rules,
        substatuses=draw(_substatuses()),
        priority_levels=tuple(scale),
        default_priority=draw(st.none() | st.sampled_from(list(scale.codes))),
        priority_rules=draw(st.none() | priority_rule_tables(scale)),
    )
