"""The memory adapter's SLA alert index: the instants of the projections it keeps, read in order.

Private: :class:`~aftersales.storage.memory.MemoryStore` and its unit of work
answer ``find_alerts_due`` with :func:`alerts_due` over their tickets and
projections; this is the reference the SQL stores are held to by the
contract suite (:mod:`aftersales.testing.contracts.alerts`).
"""

from __future__ import annotations

from collections.abc import Mapping

import pendulum

from aftersales.model.ticket import Ticket
from aftersales.readmodel.projection import TicketProjection
from aftersales.storage.save_checks import check_alerts_query

__all__ = ["alerts_due"]


def alerts_due(
    tickets: Mapping[str, Ticket],
    projections: Mapping[str, TicketProjection | None],
    at: object,
    *,
    include_recorded: object = False,
    limit: object = None,
    after: object = None,
) -> list[tuple[pendulum.DateTime, Ticket]]:
    """``find_alerts_due`` over ``tickets`` and their ``projections`` (see the port).

    Example:
        >>> import pendulum
        >>> from aftersales.readmodel import TicketProjection
        >>> from aftersales.testing.contracts import build_ticket
        >>> ticket = build_ticket("T1")
        >>> due = pendulum.datetime(2026, 3, 2, 9, tz="UTC")
        >>> found = alerts_due({"T1": ticket}, {"T1": TicketProjection(
        ...     key="k", version=1, next_alert_at=due)}, due)
        >>> [(instant.isoformat(), t.id) for instant, t in found]
        [('2026-03-02T09:00:00+00:00', 'T1')]
    """
    bound, recorded, count, key = check_alerts_query(at, include_recorded, limit, after)
    found: list[tuple[pendulum.DateTime, str]] = []
    for ticket_id, projection in projections.items():
        if projection is None:
            continue
        instant = projection.first_alert_at if recorded else projection.next_alert_at
        if instant is None or instant > bound or not tickets[ticket_id].is_open:
            continue
        if key is None or (instant, ticket_id) > key:
            found.append((pendulum.instance(instant).in_timezone("UTC"), ticket_id))
    found.sort()
    if count is not None:
        found = found[:count]
    return [(instant, tickets[ticket_id]) for instant, ticket_id in found]
