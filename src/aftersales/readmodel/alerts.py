"""The SLA alert instants a store indexes beside a ticket: the sweep's and the watchlist's.

Computed from one SLA report of the ticket read at its last event, by the
notification rule of :mod:`aftersales.sla.notices` (one definition of what
would be notified):

* ``next_alert_at`` — the earliest warning or breach crossing, not yet
  recorded, of a running or paused clock of an open ticket; it may be past
  (due now). For every instant ``T`` at or after the ticket's last event,
  ``next_alert_at <= T`` exactly when ``policy.evaluate(ticket, T)``
  has notifications: ``ServiceDesk.sweep_sla`` reads only the tickets whose
  instant has come.
* ``first_alert_at`` — the earliest warning or breach, recorded or not, of a
  running or paused clock, as ``SlaReport.alerts_before`` places it: never
  later than any alert the watchlist finds for the ticket at a later instant.

``None`` when nothing can come without a new event (a closed ticket, clocks
stopped, paused or past their last level). When the calendar has no data for
a year a crossing falls in, the instant is the start of that year (the
crossing cannot come earlier); when even the report cannot be read, the
ticket's last event (look at it now). Domain layer: imports only the domain.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.sla import SlaPolicy
    >>> from aftersales.testing.samples import sample_ticket
    >>> opened = type(sample_ticket()).replay(sample_ticket().history[:1])  # urgent, 14:45
    >>> policy = SlaPolicy.default(WorkCalendar.china())
    >>> alerts = alert_instants(policy.evaluate(opened, opened.updated_at))
    >>> alerts.next_alert_at.isoformat()  # first response: 50 % of 30 working minutes
    '2024-05-10T15:00:00+08:00'
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pendulum

from aftersales.calendar import WorkCalendar
from aftersales.errors import CalendarCoverageError
from aftersales.sla import MetricResult, SlaReport
from aftersales.sla.notices import crossing_us, open_cycles

__all__ = ["AlertInstants", "alert_instants"]


@attrs.frozen(slots=True)
class AlertInstants:
    """When a ticket's next SLA alert is due (``next_alert_at``) and its earliest alert (``first_alert_at``).

    See the module for what each means; :func:`alert_instants` computes them.

    Example:
        >>> AlertInstants().next_alert_at is None
        True
    """

    next_alert_at: pendulum.DateTime | None = None
    first_alert_at: pendulum.DateTime | None = None

    @classmethod
    def unknown(cls, at: pendulum.DateTime) -> AlertInstants:
        """Both instants at ``at``: the ticket's clocks could not be read, so look at it then.

        Example:
            >>> import pendulum
            >>> AlertInstants.unknown(pendulum.datetime(2026, 3, 2, tz="UTC")).first_alert_at.day
            2
        """
        return cls(at, at)


def alert_instants(report: SlaReport) -> AlertInstants:
    """The alert instants of the ticket whose SLA ``report`` was read at its last event.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.sla import SlaPolicy
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()  # closed
        >>> alert_instants(SlaPolicy.default(WorkCalendar.china()).evaluate(ticket, ticket.updated_at))
        AlertInstants(next_alert_at=None, first_alert_at=None)
    """
    at_us = WorkCalendar.epoch_us(report.at)
    next_us: int | None = None
    first_us: int | None = None
    cycles = open_cycles(report.results, report.history, report.status)
    for result, crossed, recorded in cycles:
        level = crossed if crossed > recorded else recorded + 1
        found = _bounded(crossing_us, result, at_us, level)
        if found is not None and (next_us is None or found < next_us):
            next_us = found
        first = _bounded(_first_alert_us, result, at_us)
        if first is not None and (first_us is None or first < first_us):
            first_us = first
    if not cycles:
        return AlertInstants()
    shown = cycles[0][0].calendar.from_epoch_us
    return AlertInstants(
        None if next_us is None else shown(next_us),
        None if first_us is None else shown(first_us),
    )


def _first_alert_us(result: MetricResult) -> int:
    """The cycle's first warning (else its breach), past or projected as ``alerts_before`` does."""
    if not result.threshold_us:
        return result.due_us
    if result.level >= 1:
        return result.warned_us[0]
    needed = result.threshold_us[0] - result.elapsed_us
    return result.calendar.add_many_epoch([result.anchor_us], [needed])[0]


def _bounded(
    compute: Callable[..., int | None], result: MetricResult, at_us: int, *args: int
) -> int | None:
    """``compute(result, *args)``, or else the start of the year the calendar has no data for.

    Never before ``at_us``, the instant the report was read at.
    """
    try:
        return compute(result, *args)
    except CalendarCoverageError as error:
        start = pendulum.datetime(error.year, 1, 1, tz=result.calendar.tz)
        return max(at_us, WorkCalendar.epoch_us(start))
