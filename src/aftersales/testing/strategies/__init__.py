"""Hypothesis strategies for ``aftersales`` values, built from the public constructors.

Use them to property-test code built on the library: your own priority rules,
storage adapters, reports, SLA policies. Event histories are random walks over the compiled
lifecycle (:data:`aftersales.TRANSITIONS`), so they cover every path the
lifecycle allows, and ``valid=False`` gives histories with exactly one defect
that a replay must refuse. :func:`work_calendars` draws working calendars (lunch
breaks, whole and partial days off, extra working days, special hours, zones
with DST) and :func:`sla_policies` SLA policies on them.

The strategies live in :mod:`~aftersales.testing.strategies.values` (ids,
texts, instants, customers, purchases, scores by dimension), :mod:`~aftersales.testing.strategies.histories`
(histories, tickets, command arguments),
:mod:`~aftersales.testing.strategies.attributes` (custom attribute
declarations and values),
:mod:`~aftersales.testing.strategies.details` (tags as typed, attachment
references, locations) and
:mod:`~aftersales.testing.strategies.calendars` (calendars, SLA targets and
policies) and :mod:`~aftersales.testing.strategies.policies` (policy files'
documents); this package re-exports them all. Requires the ``test`` extra
(hypothesis).

Example:
    >>> from hypothesis import given, settings
    >>> from aftersales import Ticket
    >>> @settings(max_examples=20)
    ... @given(event_histories())
    ... def test_replay_keeps_history(history):
    ...     assert Ticket.replay(history).history == tuple(history)
    >>> test_replay_keeps_history()
"""

from aftersales.testing.strategies.attributes import (
    SAMPLE_ATTRIBUTES,
    attribute_definitions,
    attribute_inputs,
    attribute_names,
    attribute_values,
    set_attributes_arguments,
)
from aftersales.testing.strategies.calendars import (
    CALENDAR_ANCHORS,
    sla_policies,
    sla_targets,
    work_calendars,
)
from aftersales.testing.strategies.details import (
    attachment_refs,
    command_applies,
    locations,
    ready_for,
    typed_tags,
)
from aftersales.testing.strategies.histories import command_arguments, event_histories, tickets
from aftersales.testing.strategies.policies import (
    calendar_names,
    policy_documents,
    policy_names,
    priority_rule_tables,
)
from aftersales.testing.strategies.values import (
    aware_datetimes,
    contacts,
    customers,
    dimension_scores,
    ids,
    priority_scales,
    purchases,
    texts,
)

__all__ = [
    "CALENDAR_ANCHORS",
    "SAMPLE_ATTRIBUTES",
    "attachment_refs",
    "attribute_definitions",
    "attribute_inputs",
    "attribute_names",
    "attribute_values",
    "aware_datetimes",
    "calendar_names",
    "command_applies",
    "command_arguments",
    "contacts",
    "customers",
    "dimension_scores",
    "event_histories",
    "ids",
    "locations",
    "policy_documents",
    "policy_names",
    "priority_rule_tables",
    "priority_scales",
    "purchases",
    "ready_for",
    "set_attributes_arguments",
    "sla_policies",
    "sla_targets",
    "texts",
    "tickets",
    "typed_tags",
    "work_calendars",
]
