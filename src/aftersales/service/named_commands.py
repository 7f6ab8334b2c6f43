"""The named lifecycle commands of the service desk: each a typed one-line call of ``execute``.

:class:`NamedCommands` is the base of :class:`~aftersales.ServiceDesk`: one
method per command of :data:`~aftersales.service.commands.COMMANDS` (those on a
ticket's tags, attachments and location in its base
:class:`~aftersales.service.detail_commands.DetailCommands`, ``set_attributes`` in
:class:`~aftersales.service.attribute_commands.AttributeCommands`), with the
command's arguments as typed keyword parameters (the event's fields and
defaults) and a body that hands them to :meth:`ServiceDesk.execute
<aftersales.ServiceDesk.execute>`. A new command is its event class plus one
method here. Imports: the domain only.

Example:
    >>> from aftersales import ServiceDesk
    >>> from aftersales.testing.samples import sample_ticket
    >>> desk = ServiceDesk()
    >>> desk.store.save(sample_ticket("T1"), expected_version=0)
    >>> desk.reopen("T1", by="李工", reason="问题复现").status.value
    'analysing'
    >>> desk.execute("add_note", "T1", {"text": "客户来电"}, by="李工").notes[0].text
    '客户来电'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from aftersales._renamed import renamed_attribute
from aftersales.model.solution import SolutionStep
from aftersales.model.ticket import Ticket
from aftersales.service.attribute_commands import AttributeCommands
from aftersales.service.detail_commands import DetailCommands
from aftersales.vocab import Channel, Priority, RootCauseCategory, SatisfactionDimension

__all__ = ["NamedCommands"]


class NamedCommands(DetailCommands, AttributeCommands):
    """Every lifecycle command on an existing ticket as a typed method (the base of the desk).

    Each takes the ticket's id, ``by=`` (who), the command's own arguments,
    ``at=`` (default: now) and ``expected_version=`` (refuse with
    :class:`~aftersales.errors.ConcurrencyError` when the ticket moved on).
    Commands are imperative (``record_agreement``); ``customer_agrees`` and
    ``customer_disputes`` are their old names, kept for one release with a
    :class:`DeprecationWarning`.

    Example:
        >>> from aftersales import ServiceDesk
        >>> issubclass(ServiceDesk, NamedCommands)
        True
    """

    def acknowledge(
        self,
        ticket_id: str,
        *,
        by: str,
        note: str = "",
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """First response to the customer: RECEIVED → ANALYSING."""
        return self.execute(
            "acknowledge",
            ticket_id,
            {"note": note},
            by=by,
            at=at,
            expected_version=expected_version,
        )

    def resolve_on_first_contact(
        self,
        ticket_id: str,
        *,
        by: str,
        answer: str,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Solved at first contact (一线解决): RECEIVED or ANALYSING → AWAITING_VISIT."""
        return self.execute(
            "resolve_on_first_contact",
            ticket_id,
            {"answer": answer},
            by=by,
            at=at,
            expected_version=expected_version,
        )

    def record_analysis(
        self,
        ticket_id: str,
        *,
        by: str,
        finding: str,
        root_cause: RootCauseCategory | str | None = None,
        resolution_deadline: datetime | None = None,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Record a finding and its root-cause category; status stays ANALYSING."""
        return self.execute(
            "record_analysis",
            ticket_id,
            {
                "finding": finding,
                "root_cause": root_cause,
                "resolution_deadline": resolution_deadline,
            },
            by=by,
            at=at,
            expected_version=expected_version,
        )

    def propose_solution(
        self,
        ticket_id: str,
        *,
        by: str,
        summary: str,
        steps: Iterable[SolutionStep],
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Put a plan to the customer: ANALYSING → AWAITING_CONFIRMATION."""
        return self.execute(
            "propose_solution",
            ticket_id,
            {"summary": summary, "steps": steps},
            by=by,
            at=at,
            expected_version=expected_version,
        )

    def record_agreement(
        self,
        ticket_id: str,
        *,
        by: str,
        words: str,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """The customer agrees (words verbatim): AWAITING_CONFIRMATION → IN_PROGRESS."""
        return self.execute(
            "record_agreement",
            ticket_id,
            {"words": words},
            by=by,
            at=at,
            expected_version=expected_version,
        )

    def record_dispute(
        self,
        ticket_id: str,
        *,
        by: str,
        words: str,
        change_request: str = "",
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """The customer disputes or asks for a change: AWAITING_CONFIRMATION → ANALYSING."""
        return self.execute(
            "record_dispute",
            ticket_id,
            {"words": words, "change_request": change_request},
            by=by,
            at=at,
            expected_version=expected_version,
        )

    customer_agrees = renamed_attribute("record_agreement")
    customer_disputes = renamed_attribute("record_dispute")

    def book_onsite_visit(
        self,
        ticket_id: str,
        *,
        by: str,
        appointment_at: datetime,
        engineer: str,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Agree an on-site service time with the customer (预约上门)."""
        return self.execute(
            "book_onsite_visit",
            ticket_id,
            {"appointment_at": appointment_at, "engineer": engineer},
            by=by,
            at=at,
            expected_version=expected_version,
        )

    def record_progress(
        self,
        ticket_id: str,
        *,
        by: str,
        result: str,
        onsite: bool = False,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Record a key node of execution (time, operator, result); stays IN_PROGRESS."""
        return self.execute(
            "record_progress",
            ticket_id,
            {"result": result, "onsite": onsite},
            by=by,
            at=at,
            expected_version=expected_version,
        )

    def report_new_problem(
        self,
        ticket_id: str,
        *,
        by: str,
        description: str,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """A new problem found during execution: IN_PROGRESS → ANALYSING."""
        return self.execute(
            "report_new_problem",
            ticket_id,
            {"description": description},
            by=by,
            at=at,
            expected_version=expected_version,
        )

    def finish_execution(
        self,
        ticket_id: str,
        *,
        by: str,
        summary: str,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """The plan is carried out: IN_PROGRESS → AWAITING_VISIT."""
        return self.execute(
            "finish_execution",
            ticket_id,
            {"summary": summary},
            by=by,
            at=at,
            expected_version=expected_version,
        )

    def record_visit(
        self,
        ticket_id: str,
        *,
        by: str,
        resolved: bool,
        score: int,
        comment: str = "",
        channel: Channel | str | None = None,
        dimensions: Mapping[SatisfactionDimension | str, int] | None = None,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """The return visit: → CLOSED, or → ANALYSING when unresolved or scored under the threshold.

        ``dimensions`` scores each satisfaction dimension 1–5 beside the
        overall ``score`` (``{"服务态度": 5, "response_speed": 4}``: codes,
        labels or aliases).
        """
        return self.execute(
            "record_visit",
            ticket_id,
            {
                "resolved": resolved,
                "score": score,
                "comment": comment,
                "channel": channel,
                "dimensions": dimensions,
            },
            by=by,
            at=at,
            expected_version=expected_version,
        )

    def reopen(
        self,
        ticket_id: str,
        *,
        by: str,
        reason: str,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """The problem came back: CLOSED → ANALYSING."""
        return self.execute(
            "reopen", ticket_id, {"reason": reason}, by=by, at=at, expected_version=expected_version
        )

    def escalate(
        self,
        ticket_id: str,
        *,
        by: str,
        reason: str,
        to: str = "",
        level: int | None = None,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Escalate (升级): the level goes up by one, or to ``level`` when given (must be higher)."""
        return self.execute(
            "escalate",
            ticket_id,
            {"reason": reason, "to": to, "level": level},
            by=by,
            at=at,
            expected_version=expected_version,
        )

    def assign(
        self,
        ticket_id: str,
        *,
        by: str,
        assignee: str,
        reason: str | None = None,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Hand the ticket to another handler, saying why if ``reason``; status unchanged."""
        return self.execute(
            "assign",
            ticket_id,
            {"assignee": assignee, "reason": reason},
            by=by,
            at=at,
            expected_version=expected_version,
        )

    def change_priority(
        self,
        ticket_id: str,
        *,
        by: str,
        priority: Priority | str,
        reason: str,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Re-assess the priority; status unchanged.

        ``priority`` is a level of the desk's priority scale (code or label) or
        a seed priority; another level of the same seed is a change too.
        """
        return self.execute(
            "change_priority",
            ticket_id,
            {"priority": priority, "reason": reason},
            by=by,
            at=at,
            expected_version=expected_version,
        )

    def add_note(
        self,
        ticket_id: str,
        *,
        by: str,
        text: str,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Add an internal note; status unchanged."""
        return self.execute(
            "add_note", ticket_id, {"text": text}, by=by, at=at, expected_version=expected_version
        )

    def record_contact(
        self,
        ticket_id: str,
        *,
        by: str,
        channel: Channel | str,
        summary: str,
        inbound: bool = False,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Record a contact with the customer; status unchanged."""
        return self.execute(
            "record_contact",
            ticket_id,
            {"channel": channel, "summary": summary, "inbound": inbound},
            by=by,
            at=at,
            expected_version=expected_version,
        )

    def set_substatus(
        self,
        ticket_id: str,
        *,
        by: str,
        substatus: str | None,
        reason: str = "",
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Say what the ticket waits on inside its status (待备件 …), or clear it with ``None``.

        ``substatus`` is a code or label of a sub-status the desk's SLA policy
        declares under the ticket's current status (recorded as its code); one
        declared under another status raises
        :class:`~aftersales.errors.SubstatusNotAllowed`, an undeclared one
        :class:`~aftersales.errors.UnknownValue`, the one the ticket already
        has :class:`~aftersales.errors.InvalidData`. Status unchanged; a change
        of status clears it.

        Example:
            >>> from aftersales import ServiceDesk, SlaPolicy, WorkCalendar
            >>> from aftersales.model.substatus import AFTER_SALES_SUBSTATUSES
            >>> from aftersales.testing.samples import sample_ticket
            >>> policy = SlaPolicy.default(WorkCalendar.always()).with_options(
            ...     substatuses=AFTER_SALES_SUBSTATUSES)
            >>> desk = ServiceDesk(sla=policy)
            >>> desk.store.save(sample_ticket("T1"), expected_version=0)
            >>> _ = desk.reopen("T1", by="李工", reason="问题复现")
            >>> desk.set_substatus("T1", by="李工", substatus="待厂家").substatus
            'waiting_manufacturer'
        """
        return self.execute(
            "set_substatus",
            ticket_id,
            {"substatus": substatus, "reason": reason},
            by=by,
            at=at,
            expected_version=expected_version,
        )

    def suggest_improvement(
        self,
        ticket_id: str,
        *,
        by: str,
        text: str,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Propose a product, service or process improvement from this case (优化建议)."""
        return self.execute(
            "suggest_improvement",
            ticket_id,
            {"text": text},
            by=by,
            at=at,
            expected_version=expected_version,
        )

    def cancel(
        self,
        ticket_id: str,
        *,
        by: str,
        reason: str,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Withdraw an open ticket: → CANCELLED."""
        return self.execute(
            "cancel", ticket_id, {"reason": reason}, by=by, at=at, expected_version=expected_version
        )

    def record_sla_warning(
        self,
        ticket_id: str,
        *,
        by: str,
        metric: str,
        cycle: int,
        level: int,
        crossed_at: datetime,
        due_at: datetime,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Record that an SLA clock crossed a warning level (see :meth:`check_sla`).

        ``metric`` names a metric of the desk's SLA policy (without a policy:
        one of the built-in metrics of :meth:`SlaPolicy.default`); ``cycle`` is
        0 to 2**31 - 1 and ``level`` 1 to 99.
        """
        return self.execute(
            "record_sla_warning",
            ticket_id,
            {
                "metric": metric,
                "cycle": cycle,
                "level": level,
                "crossed_at": crossed_at,
                "due_at": due_at,
            },
            by=by,
            at=at,
            expected_version=expected_version,
        )

    def record_sla_breach(
        self,
        ticket_id: str,
        *,
        by: str,
        metric: str,
        cycle: int,
        level: int,
        crossed_at: datetime,
        due_at: datetime,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Record that an SLA clock went past its target (see :meth:`check_sla`).

        ``metric`` names a metric of the desk's SLA policy (without a policy:
        one of the built-in metrics of :meth:`SlaPolicy.default`); ``cycle`` is
        0 to 2**31 - 1 and ``level`` 1 to 99.
        """
        return self.execute(
            "record_sla_breach",
            ticket_id,
            {
                "metric": metric,
                "cycle": cycle,
                "level": level,
                "crossed_at": crossed_at,
                "due_at": due_at,
            },
            by=by,
            at=at,
            expected_version=expected_version,
        )
