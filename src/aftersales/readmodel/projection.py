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
from datetime import datetime

import attrs
import pendulum

from aftersales import _checks as check
from aftersales.calendar import WorkCalendar
from aftersales.errors import CalendarCoverageError
from aftersales.model.ticket import Ticket
from aftersales.sla import SlaPolicy

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
    recorded (the sweep's index; possibly already past), ``facts`` what the
    KPIs read.

    Example:
        >>> TicketProjection(key="none", version=1).due_at is None
        True
    """

    key: str
    version: int
    due_at: pendulum.DateTime | None = None
    next_alert_at: pendulum.DateTime | None = None
    facts: object | None = None

    def __attrs_post_init__(self) -> None:
        check.run_checks(
            self,
            (
                ("key", check.text),
                ("version", check.integer(1)),
                ("due_at", check.optional_aware),
                ("next_alert_at", check.optional_aware),
            ),
        )


class Projector:
    """Computes ticket projections under one SLA policy (``None``: no clocks) and calendar.

    The calendar defaults to the policy's. ``key`` fingerprints the
    configuration; a projection computed under another key is rebuilt, not read.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> Projector(None).project(sample_ticket()).due_at is None
        True
    """

    def __init__(self, policy: SlaPolicy | None, calendar: WorkCalendar | None = None) -> None:
        self.policy = policy
        self.calendar = calendar if calendar is not None or policy is None else policy.calendar
        self.key = "none" if policy is None else f"sla:{id(policy):x}"

    def project(self, ticket: Ticket) -> TicketProjection:
        """The projection of ``ticket`` after its last event."""
        return TicketProjection(
            key=self.key,
            version=ticket.version,
            due_at=self.due_at(ticket, ticket.updated_at),
        )

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
