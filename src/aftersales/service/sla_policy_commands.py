"""The desk's command on SLA policies chosen by conditions: ``change_sla_policy``.

A mixin of :class:`~aftersales.ServiceDesk` beside
:class:`~aftersales.service.named_commands.NamedCommands`; choosing a policy
at registration and again after a change of priority is in
:mod:`aftersales.service.sla_choice`. Imports the service's command plumbing
only.

Example:
    >>> from aftersales import ServiceDesk
    >>> issubclass(ServiceDesk, SlaPolicyCommands)
    True
"""

from __future__ import annotations

from datetime import datetime

from aftersales.model.ticket import Ticket
from aftersales.service.executes import ExecutesCommands

__all__ = ["SlaPolicyCommands"]


class SlaPolicyCommands(ExecutesCommands):
    """``change_sla_policy`` as a typed method.

    Example:
        >>> from aftersales import ServiceDesk
        >>> callable(ServiceDesk.change_sla_policy)
        True
    """

    def change_sla_policy(
        self,
        ticket_id: str,
        *,
        by: str,
        sla_policy: str,
        reason: str = "",
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Measure an open ticket under another of the desk's SLA policies from now on.

        ``sla_policy`` names one of the desk's :class:`~aftersales.sla.SlaPolicies`
        (:class:`~aftersales.errors.UnknownValue` otherwise). The time its clocks
        used so far is kept: each stretch is measured on the calendar of the
        policy in force then, and the new policy's targets apply, as after a
        change of priority. Status unchanged.

        Example:
            >>> import pendulum
            >>> from aftersales import Channel, Customer, FixedClock, Priority, ServiceDesk
            >>> from aftersales.calendar import WorkCalendar
            >>> from aftersales.sla import SlaPolicies, SlaPolicy
            >>> policies = SlaPolicies(
            ...     {"standard": SlaPolicy.default(WorkCalendar.china()),
            ...      "vip": SlaPolicy.default(WorkCalendar.always("Asia/Shanghai"))},
            ...     default="standard")
            >>> at = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")
            >>> desk = ServiceDesk(clock=FixedClock(at), sla=policies)
            >>> ticket = desk.open_ticket(
            ...     customer=Customer(id="C1", name="甲公司"), channel=Channel.PHONE,
            ...     category="product_quality", description="设备停机", occurred_at=at,
            ...     priority=Priority.URGENT, by="李工")
            >>> [e.sla_policy for e in ticket.history if e.command == "change_sla_policy"]
            ['standard']
            >>> desk.change_sla_policy(ticket.id, by="王经理", sla_policy="vip",
            ...                        reason="客户升级为 VIP").history[-1].sla_policy
            'vip'
        """
        return self.execute(
            "change_sla_policy",
            ticket_id,
            {"sla_policy": sla_policy, "reason": reason},
            by=by,
            at=at,
            expected_version=expected_version,
        )
