"""SLA notices sent through a subscription: after their commit, retried until sent, never lost.

A sweep (``ServiceDesk.sweep_sla``, ``aftersales sla sweep``) records each
notice as a ``SlaWarned``/``SlaBreached`` event in the same transaction as the
ticket, so the notice is in the event feed exactly when it is committed. The
handler :func:`sla_notice_handler` makes of the host's sender passes those
events, and only those, to it; run it as a :class:`~aftersales.service.subscriptions.Subscription`
and a sender that fails (a mail server down) is called again from the
checkpoint with growing pauses, then parked as a dead letter an operator replays.

Example:
    >>> import pendulum
    >>> from aftersales import Channel, Customer, FixedClock, ProblemCategory, ServiceDesk
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.service.subscriptions import Subscription
    >>> from aftersales.sla import SlaPolicy
    >>> from aftersales.storage import SQLiteStore
    >>> clock = FixedClock(pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai"))
    >>> store = SQLiteStore(":memory:")
    >>> desk = ServiceDesk(store, clock=clock, sla=SlaPolicy.default(WorkCalendar.china()))
    >>> _ = desk.open_ticket(customer=Customer(id="C1", name="甲公司"), channel=Channel.PHONE,
    ...     category=ProblemCategory.LOGISTICS_DELAY, description="发货延迟三天",
    ...     occurred_at=clock.now(), by="李工", priority="urgent", ticket_id="T1")
    >>> _ = clock.set(clock.now().add(minutes=20))
    >>> _ = desk.sweep_sla()
    >>> sent = []
    >>> Subscription(store, "sla-mail", sla_notice_handler(sent.append)).run(until_idle=True)
    2
    >>> [(n.ticket_id, n.metric, n.level) for n in sent]
    [('T1', 'first_response', 1)]
"""

from __future__ import annotations

from collections.abc import Callable

from aftersales.model.events import TicketEvent
from aftersales.model.events.sla import SlaCrossing
from aftersales.service.subscriptions import Handler

__all__ = ["sla_notice_handler"]


def sla_notice_handler(send: Callable[[SlaCrossing], None]) -> Handler:
    """A subscription handler that calls ``send(event)`` for each SLA notice event.

    Other events are passed over (their positions are checkpointed all the
    same). ``send`` raising means "not sent": the subscription calls it again.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> sent = []
        >>> handler = sla_notice_handler(sent.append)
        >>> handler(1, sample_ticket().history[0])
        >>> sent
        []
    """

    def handle(position: int, event: TicketEvent) -> None:
        if isinstance(event, SlaCrossing):
            send(event)

    return handle
