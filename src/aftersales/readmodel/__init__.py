"""Read models: what the stores keep beside each ticket's events so reads need not replay them.

A :class:`Projector` turns a ticket into its :class:`TicketProjection` — the
next SLA due time (the worklist order), the instant of the next SLA alert (the
sweep index) and the facts the KPIs and reports read — computed under one
SLA policy and calendar, whose fingerprint the projection carries. Stores
write it in the same transaction as the ticket; it can always be rebuilt
from the events. Domain layer: imports only the domain.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.sla import SlaPolicy
    >>> from aftersales.testing.samples import sample_ticket
    >>> projector = Projector(SlaPolicy.default(WorkCalendar.china()))
    >>> projector.project(sample_ticket()).due_at is None  # closed: no clock runs
    True
"""

from aftersales.readmodel.alerts import AlertInstants, alert_instants
from aftersales.readmodel.projection import Projector, TicketProjection

__all__ = ["AlertInstants", "Projector", "TicketProjection", "alert_instants"]
