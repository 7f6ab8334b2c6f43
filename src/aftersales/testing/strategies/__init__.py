"""Hypothesis strategies for ``aftersales`` values, built from the public constructors.

Use them to property-test code built on the library: your own priority rules,
storage adapters, reports, SLA policies. Event histories are random walks over the compiled
lifecycle (:data:`aftersales.TRANSITIONS`), so they cover every path the
lifecycle allows, and ``valid=False`` gives histories with exactly one defect
that a replay must refuse. :func:`work_calendars` draws working calendars (lunch
breaks, whole and partial days off, extra working days, special hours, zones
with DST) and :func:`sla_policies` SLA policies on them.

The strategies live in :mod:`~aftersales.testing.strategies.values` (ids,
texts, instants, customers, purchases), :mod:`~aftersales.testing.strategies.histories`
(histories, tickets, command arguments) and
:mod:`~aftersales.testing.strategies.calendars` (calendars, SLA targets and
policies); this package re-exports them all. Requires the ``test`` extra
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

from aftersales.testing.strategies.calendars import (
    CALENDAR_ANCHORS,
    sla_policies,
    sla_targets,
    work_calendars,
)
from aftersales.testing.strategies.histories import command_arguments, event_histories, tickets
from aftersales.testing.strategies.values import (
    aware_datetimes,
    contacts,
    customers,
    ids,
    priority_scales,
    purchases,
    texts,
)

__all__ = [
    "CALENDAR_ANCHORS",
    "aware_datetimes",
    "command_arguments",
    "contacts",
    "customers",
    "event_histories",
    "ids",
    "priority_scales",
    "purchases",
    "sla_policies",
    "sla_targets",
    "texts",
    "tickets",
    "work_calendars",
]
