"""A ticket's projection — what a store keeps beside its events — and the projector that makes it.

Domain layer: imports only the domain.

Example:
    >>> import pendulum
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.sla import SlaPolicy
    >>> from aftersales.testing.samples import sample_ticket
    >>> ticket = sample_ticket()
    >>> opened = type(ticket).replay(ticket.history[:1])
    >>> projection = Projector(SlaPolicy.default(WorkCalendar.china())).project(opened)
    >>> projection.version, projection.due_at.isoformat()
    (1, '2024-05-10T07:15:00+00:00')
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import attrs
import pendulum

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.calendar import WorkCalendar
from aftersales.errors import CalendarCoverageError, InvalidData
from aftersales.model.ticket import Ticket
from aftersales.readmodel.alerts import AlertInstants, alert_instants
from aftersales.readmodel.facts import KEEP, FactsRules, ProjectedFacts
from aftersales.readmodel.fingerprint import projection_key
from aftersales.sla import MetricResult, SlaPolicy
from aftersales.time import to_utc

__all__ = ["Projector", "TicketProjection"]

_log = logging.getLogger("aftersales.readmodel")


@attrs.frozen(slots=True, kw_only=True)
class TicketProjection:
    """What a store keeps beside one ticket's events, computed from them by a :class:`Projector`.

    ``key`` is the projector's fingerprint (its SLA policy and calendar): a
    reader asking under another configuration does not use this projection.
    ``version`` is the ticket version it was computed from. ``due_at`` is the
    earliest due time of a running SLA clock (the worklist's order),
    ``next_alert_at`` the instant of the earliest warning or breach not yet
    recorded (the sweep's index; possibly already past), ``first_alert_at``
    the earliest warning or breach, recorded or not, of a running or paused
    clock (the watchlist's index; see :mod:`aftersales.readmodel.alerts`),
    ``facts`` what the KPIs and reports read (:mod:`aftersales.readmodel.facts`):
    the facts of earlier versions kept at period starts, then those
    of this version; empty when none could be computed.

    Example:
        >>> TicketProjection(key="none", version=1).due_at is None
        True
    """

    key: str
    version: int
    due_at: pendulum.DateTime | None = None
    next_alert_at: pendulum.DateTime | None = None
    first_alert_at: pendulum.DateTime | None = None
    facts: tuple[ProjectedFacts, ...] = ()

    def __attrs_post_init__(self) -> None:
        check.run_checks(
            self,
            (
                ("key", check.text),
                ("version", check.integer(1)),
                ("due_at", check.optional_aware),
                ("next_alert_at", check.optional_aware),
                ("first_alert_at", check.optional_aware),
                ("facts", _facts_of(self.version)),
            ),
        )


_new = object.__new__
_put = object.__setattr__


def _computed(
    key: str,
    version: int,
    due_at: datetime | None,
    next_alert_at: datetime | None,
    first_alert_at: datetime | None,
    facts: tuple[ProjectedFacts, ...],
) -> TicketProjection:
    """The :class:`TicketProjection` of values a projector computed, without checking them again.

    What the checks would do is done: the instants are normalised to UTC. The
    key is the projector's own text, the version a ticket's, the facts those
    of :meth:`FactsRules.timeline` (the current version last).
    """
    made: TicketProjection = _new(TicketProjection)
    _put(made, "key", key)
    _put(made, "version", version)
    _put(made, "due_at", None if due_at is None else to_utc(due_at))
    _put(made, "next_alert_at", None if next_alert_at is None else to_utc(next_alert_at))
    _put(made, "first_alert_at", None if first_alert_at is None else to_utc(first_alert_at))
    _put(made, "facts", facts)
    return made


def _period_starts(value: object, name: str) -> tuple[str, ...]:
    """The ``keep`` of a projector: some of ``"week"`` and ``"month"``."""
    items = check.items(value, name)
    if not set(items) <= {"week", "month"}:
        message = f"{shown(value)} is not a set of period starts; accepted: 'week', 'month' or both"
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
    return items


def _facts_of(version: int) -> check.Check:
    """The check of a projection's facts: earlier versions, then ``version`` itself, current."""

    def checked(value: object, name: str) -> tuple[ProjectedFacts, ...]:
        if isinstance(value, tuple) and all(type(item) is ProjectedFacts for item in value):
            items: tuple[ProjectedFacts, ...] = value
        else:
            items = check.tuple_of(check.instance_of(ProjectedFacts))(value, name)
        if items and (items[-1].version != version or items[-1].valid_until_us is not None):
            message = (
                f"the last facts are of version {items[-1].version}"
                f" (valid until {items[-1].valid_until_us}); accepted: the current facts of"
                f" version {version} last"
            )
            raise InvalidData(f"{name}: {message}", problems=[(name, message)])
        return items

    return checked


class Projector:
    """Computes ticket projections under one SLA policy (``None``: no clocks) and calendar.

    The calendar defaults to the policy's; without either there are no
    facts. ``callback_within`` is the KPI's low-score callback target when the
    policy has no such metric (:class:`~aftersales.kpi.KpiOptions`'s). ``keep``
    names the period starts (``"week"``, ``"month"``) at which the facts of
    the version a ticket had then are kept too (default: month starts; see
    :mod:`aftersales.readmodel.facts`). ``key``
    fingerprints the configuration (:mod:`aftersales.readmodel.fingerprint`);
    a projection computed under another key is rebuilt, not read.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> Projector(None).project(sample_ticket()).due_at is None
        True
    """

    def __init__(
        self,
        policy: SlaPolicy | None,
        calendar: WorkCalendar | None = None,
        *,
        callback_within: timedelta = timedelta(hours=48),
        keep: tuple[str, ...] = KEEP,
    ) -> None:
        check.run_checks_on({"keep": (keep, _period_starts)})
        self.keep = tuple(keep)
        self.policy = policy
        self.calendar = calendar if calendar is not None or policy is None else policy.calendar
        self.rules = (
            None if self.calendar is None else FactsRules(policy, self.calendar, callback_within)
        )
        self.key = (
            projection_key(policy, None, callback_within) if self.rules is None else self.rules.key
        )

    def project(self, ticket: Ticket) -> TicketProjection:
        """The projection of ``ticket`` after its last event (its SLA clocks read once, then)."""
        due, alerts = None, AlertInstants()
        results: tuple[MetricResult, ...] | None = None
        if self.policy is not None:
            try:
                report = self.policy.evaluate(ticket, ticket.updated_at)
                results = report.results
                if ticket.is_open:
                    due, alerts = report.next_due, alert_instants(report)
            except CalendarCoverageError as error:
                # The ticket is valid; only its deadline cannot be known yet: the sweep looks now.
                _log.warning("ticket %s has no SLA due time: %s", ticket.id, error)
                if ticket.is_open:
                    alerts = AlertInstants.unknown(ticket.updated_at)
        return _computed(
            self.key,
            ticket.version,
            due,
            alerts.next_alert_at,
            alerts.first_alert_at,
            self._facts(ticket, results),
        )

    def _facts(
        self, ticket: Ticket, results: tuple[MetricResult, ...] | None
    ) -> tuple[ProjectedFacts, ...]:
        """The facts kept for ``ticket`` (none when the calendar cannot give them: replayed instead)."""
        if self.rules is None or (self.policy is not None and results is None):
            return ()
        try:
            return self.rules.timeline(ticket, results=results, keep=self.keep)
        except CalendarCoverageError as error:
            _log.warning("ticket %s has no stored facts: %s", ticket.id, error)
            return ()

    def due_at(self, ticket: Ticket, at: datetime) -> pendulum.DateTime | None:
        """The earliest SLA due time of the ticket's running clocks read at ``at``, or ``None``."""
        if self.policy is None or not ticket.is_open:
            return None
        try:
            return self.policy.evaluate(ticket, at).next_due
        except CalendarCoverageError as error:
            # The ticket is valid; only its deadline cannot be known yet.
            _log.warning("ticket %s has no SLA due time: %s", ticket.id, error)
            return None
