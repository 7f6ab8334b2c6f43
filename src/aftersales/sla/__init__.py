"""SLA clocks rebuilt from a ticket's history, on working calendars.

An :class:`SlaMetric` is a clock: the events that start it, stop it, resume
it after a stop or end it as not applicable, the statuses that pause it, a
target per priority (working time, working days or calendar time) and warning
levels. An :class:`SlaPolicy` evaluates its metrics on a ticket at an
instant; nothing is stored as a counter, so the same history always gives the
same result, and a closed ticket's results do not depend on when they are
asked for.

A metric's ``restarts`` triggers end the running cycle and start the next at
the same instant (an update-time clock). Beside the built-in five, the
helpdesk clocks ``next_reply``, ``periodic_update``, ``requester_wait`` and
``agent_work`` (:func:`helpdesk_metrics`) can be added by name;
:class:`SlaPolicies` chooses a policy per ticket by ordered :class:`SlaRule`
conditions (customer tier, contract, type, category, channel, priority).

Built in (see :meth:`SlaPolicy.default`): ``first_response``, ``resolution``,
``return_visit`` (3 working days after execution), ``low_score_callback``
(48 h after a visit scored under the threshold) and ``onsite_within`` (24 h for
urgent product faults; not applicable when the fault is fixed without an
on-site visit).

The package, lowest module first: ``targets`` and ``triggers``, ``metrics``
(:class:`SlaMetric` and the built-in ones), ``results`` (a cycle evaluated,
with ``explain``), ``notices`` (what to notify once), ``report`` (one
ticket's results), ``clocks`` (the clock engine), ``policy``
(:class:`SlaPolicy`), ``helpdesk_metrics``, ``selection``
(:class:`SlaPolicies`), ``picture`` (``timeline_svg``), and policies as
data: ``trigger_filters`` (:class:`TriggerFilter`), ``policy_document``
(:class:`PolicyDocument`), ``policy_values`` and ``policy_file``
(:func:`load_policy_file`, :func:`dump_policy_file`). It imports the
calendar and the domain model, never storage or the service desk; import its
names from here.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.testing.samples import sample_ticket
    >>> policy = SlaPolicy.default(WorkCalendar.china())
    >>> ticket = sample_ticket()
    >>> report = policy.evaluate(ticket, ticket.updated_at)
    >>> report["first_response"].state, report["first_response"].elapsed
    (<SlaState.MET: 'met'>, datetime.timedelta(seconds=300))
    >>> report["return_visit"].state
    <SlaState.MET: 'met'>
"""

from aftersales.sla.helpdesk_metrics import HELPDESK_METRIC_NAMES, helpdesk_metrics
from aftersales.sla.metrics import ReopenPolicy, SlaMetric
from aftersales.sla.notices import SlaNotice
from aftersales.sla.policy import SlaPolicy
from aftersales.sla.policy_document import PolicyDocument
from aftersales.sla.policy_file import dump_policy_file, load_policy_file
from aftersales.sla.report import SlaAlert, SlaReport
from aftersales.sla.results import Interval, MetricResult, SlaState
from aftersales.sla.selection import SlaFacts, SlaPolicies, SlaRule
from aftersales.sla.targets import CalendarTime, Target, WorkingDays, WorkingTime
from aftersales.sla.trigger_filters import TriggerFilter
from aftersales.sla.triggers import Trigger

__all__ = [
    "HELPDESK_METRIC_NAMES",
    "CalendarTime",
    "Interval",
    "MetricResult",
    "PolicyDocument",
    "ReopenPolicy",
    "SlaAlert",
    "SlaFacts",
    "SlaMetric",
    "SlaNotice",
    "SlaPolicies",
    "SlaPolicy",
    "SlaReport",
    "SlaRule",
    "SlaState",
    "Target",
    "Trigger",
    "TriggerFilter",
    "WorkingDays",
    "WorkingTime",
    "dump_policy_file",
    "helpdesk_metrics",
    "load_policy_file",
]
