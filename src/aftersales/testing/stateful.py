"""A hypothesis state machine that drives a service desk through the lifecycle.

:class:`LifecycleStateMachine` is generated from the lifecycle declaration: its
rule draws any command of :data:`aftersales.TRANSITIONS` (allowed or not) for
any ticket, with plausible arguments, run through the desk's named method or
through :meth:`ServiceDesk.execute <aftersales.ServiceDesk.execute>`, while the
clock moves on and SLA checks run. After every step it checks the invariants that must hold for every desk,
store and policy:

* every stored ticket replays from its history to itself;
* a refused command raised ``InvalidTransition`` and changed nothing, an
  accepted one was allowed by the lifecycle and appended exactly one event;
* the escalation level never decreases;
* a ticket's sub-status is ``None`` or one the policy declares under its
  status (one it does not declare there is refused with
  ``SubstatusNotAllowed`` or ``UnknownValue``, changing nothing);
* ``remove_tags`` and ``detach`` on a ticket without tags or attachments are
  refused (``InvalidTag``, ``UnknownValue``), changing nothing;
* a closed ticket's SLA results never change while it stays closed;
* checking the SLA twice never notifies twice.

Subclass it to run on your own store (``make_store``), your own SLA policy
(``make_policy``) or to add your own ``@invariant()`` methods; run it with
``TestMine = MyMachine.TestCase``.

Requires the ``test`` extra (hypothesis).

Example:
    >>> from hypothesis import settings
    >>> LifecycleStateMachine.TestCase.settings = settings(
    ...     max_examples=3, stateful_step_count=10, deadline=None)
    >>> import unittest
    >>> unittest.TextTestRunner(stream=open("/dev/null", "w")).run(
    ...     unittest.defaultTestLoader.loadTestsFromTestCase(LifecycleStateMachine.TestCase)
    ... ).wasSuccessful()
    True
"""

from __future__ import annotations

import inspect
from typing import Any

import pendulum
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, precondition, rule

from aftersales.calendar import WorkCalendar
from aftersales.errors import InvalidTag, InvalidTransition, SubstatusNotAllowed, UnknownValue
from aftersales.lifecycle import TRANSITIONS
from aftersales.model.customer import Customer
from aftersales.model.substatus import AFTER_SALES_SUBSTATUSES, SubStatuses
from aftersales.model.ticket import Ticket
from aftersales.priority import IntakeFacts
from aftersales.service.commands import COMMANDS
from aftersales.service.desk import ServiceDesk
from aftersales.sla import MetricResult, SlaPolicy
from aftersales.storage.memory import MemoryStore
from aftersales.storage.ports import AttributeDefinitionStore, TicketStore
from aftersales.testing.strategies import (
    SAMPLE_ATTRIBUTES,
    command_applies,
    command_arguments,
    customers,
    texts,
)
from aftersales.time import FixedClock
from aftersales.vocab import Channel, ProblemCategory, TicketStatus

__all__ = ["LifecycleStateMachine"]

_START = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Shanghai")


#: The commands a ticket may not apply at all in a status that allows them (see
#: :func:`~aftersales.testing.strategies.command_applies`): refused with ``InvalidTag`` or
#: ``UnknownValue``, the ticket unchanged.
_NOT_APPLYING = frozenset({"remove_tags", "detach"})


class LifecycleStateMachine(RuleBasedStateMachine):
    """Random walks of a :class:`ServiceDesk` over the lifecycle, with invariants after each step.

    Example:
        >>> issubclass(LifecycleStateMachine, RuleBasedStateMachine)
        True
    """

    tickets = Bundle("tickets")

    def __init__(self) -> None:
        super().__init__()
        self.clock = FixedClock(_START)
        self.store = self.make_store()
        self.desk = ServiceDesk(self.store, clock=self.clock, sla=self.make_policy())
        if isinstance(self.store, AttributeDefinitionStore):  # what set_attributes may set
            for definition in SAMPLE_ATTRIBUTES:
                self.store.declare_attribute(definition)
        self.known: dict[str, Ticket] = {}
        self.levels: dict[str, int] = {}
        self.closed_results: dict[str, tuple[MetricResult, ...]] = {}
        self.counter = 0

    # -- what a subclass may replace ---------------------------------------------------

    def make_store(self) -> TicketStore:
        """The store under test (default: a new :class:`MemoryStore`)."""
        return MemoryStore()

    def make_policy(self) -> SlaPolicy | None:
        """The SLA policy under test (default: the built-ins on a 24×7 calendar, with the
        after-sales sub-statuses)."""
        return SlaPolicy.default(WorkCalendar.always("Asia/Shanghai"))

    def _substatuses(self) -> SubStatuses:
        policy = self.desk.sla_policy
        return AFTER_SALES_SUBSTATUSES if policy is None else policy.substatuses

    # -- rules ----------------------------------------------------------------------------

    #: Open at most this many tickets per run, so the walks go deep rather than wide.
    max_tickets = 3

    @precondition(lambda self: len(self.known) < self.max_tickets)
    @rule(
        target=tickets,
        customer=customers(),
        channel=st.sampled_from(Channel.members()),
        category=st.sampled_from(ProblemCategory.members()),
        description=texts(),
        urgent=st.booleans(),
        minutes_ago=st.integers(0, 600),
    )
    def open_ticket(
        self,
        customer: Customer,
        channel: Channel,
        category: ProblemCategory,
        description: str,
        urgent: bool,
        minutes_ago: int,
    ) -> str:
        """Register a new problem."""
        self.counter += 1
        ticket = self.desk.open_ticket(
            ticket_id=f"T{self.counter:05d}",
            customer=customer,
            channel=channel,
            category=category,
            description=description,
            occurred_at=self.clock.now().subtract(minutes=minutes_ago),
            facts=IntakeFacts(core_business_stopped=urgent),
            by="intake",
        )
        self._remember(ticket)
        return ticket.id

    @rule(ticket_id=tickets, data=st.data())
    def command(self, ticket_id: str, data: st.DataObject) -> None:
        """A lifecycle command: mostly one the status allows, sometimes any other."""
        before = self.desk.get(ticket_id)
        allowed = [
            c for c in before.allowed_commands() if c in COMMANDS and command_applies(c, before)
        ]
        moving = [
            c
            for c in allowed
            if c != "cancel"
            and any(t is not before.status for t in TRANSITIONS.targets(before.status, c))
        ]
        choice = data.draw(st.integers(0, 9))
        if moving and choice < 6:
            command = data.draw(st.sampled_from(moving))
        elif allowed and choice < 9:
            command = data.draw(st.sampled_from(allowed))
        else:
            command = data.draw(st.sampled_from(sorted(COMMANDS)))
        now = self.clock.now()
        arguments = data.draw(
            command_arguments(command, before, now, substatuses=self._substatuses())
        )
        method = getattr(self.desk, command)
        accepted = set(inspect.signature(method).parameters)
        kwargs: dict[str, Any] = {k: v for k, v in arguments.items() if k in accepted}
        if command == "set_attributes":  # a command clears with None what the event lists
            cleared = dict.fromkeys(arguments["cleared"])
            kwargs = {"attributes": {**arguments["attributes"], **cleared}}
        by_name = data.draw(st.booleans())
        refused: InvalidTransition | None = None
        try:
            if by_name:
                after = self.desk.execute(command, ticket_id, kwargs, by="agent")
            else:
                after = method(ticket_id, by="agent", **kwargs)
        except InvalidTransition as error:
            refused = error
        except (InvalidTag, SubstatusNotAllowed, UnknownValue) as error:
            # tags or an attachment the ticket does not have (no argument makes it apply)
            if command in _NOT_APPLYING and not command_applies(command, before):
                assert self.desk.get(ticket_id) == before
                return
            # a sub-status the policy does not declare under the ticket's status
            if command != "set_substatus" or isinstance(error, InvalidTag):
                raise
            declared, value = self._substatuses(), arguments["substatus"]
            assert value not in declared or declared.get(value).under is not before.status
            assert self.desk.get(ticket_id) == before
            return
        if refused is not None:
            assert not TRANSITIONS.is_allowed(before.status, command), refused
            assert refused.allowed == before.allowed_commands()
            assert self.desk.get(ticket_id) == before
            return
        assert TRANSITIONS.is_allowed(before.status, command)
        assert after.version == before.version + 1
        assert after.history[: before.version] == before.history
        self._remember(after)

    @rule(ticket_id=tickets, data=st.data())
    def wait_in_a_substatus(self, ticket_id: str, data: st.DataObject) -> None:
        """Put the ticket in a sub-status the policy declares under its status, if any."""
        before = self.desk.get(ticket_id)
        here = self._substatuses().under(before.status)
        choices = [s.code for s in here if s.code != before.substatus]
        if not choices or not TRANSITIONS.is_allowed(before.status, "set_substatus"):
            return
        code = data.draw(st.sampled_from(choices))
        after = self.desk.set_substatus(ticket_id, by="agent", substatus=code)
        assert (after.status, after.substatus) == (before.status, code)
        assert after.version == before.version + 1
        self._remember(after)

    @rule(minutes=st.integers(1, 3 * 24 * 60))
    def time_passes(self, minutes: int) -> None:
        """The clock moves on."""
        self.clock.advance(minutes=minutes)

    @rule(ticket_id=tickets)
    def check_sla(self, ticket_id: str) -> None:
        """Record crossed SLA levels; a second check right after records nothing."""
        if self.desk.sla_policy is None:
            return
        if self.desk.get(ticket_id).status is TicketStatus.CANCELLED:
            return
        self.desk.check_sla(ticket_id)
        version = self.desk.get(ticket_id).version
        assert self.desk.check_sla(ticket_id) == []
        assert self.desk.get(ticket_id).version == version
        self._remember(self.desk.get(ticket_id))

    # -- invariants -------------------------------------------------------------------------

    @invariant()
    def stored_tickets_replay_to_themselves(self) -> None:
        """Every stored ticket is the fold of its own history."""
        for ticket_id in self.known:
            stored = self.store.get(ticket_id)
            assert Ticket.replay(stored.history) == stored

    @invariant()
    def escalation_never_decreases(self) -> None:
        """A ticket's escalation level only goes up."""
        for ticket_id, level in self.levels.items():
            assert self.store.get(ticket_id).escalation_level >= level

    @invariant()
    def substatus_belongs_to_the_status(self) -> None:
        """A ticket's sub-status is none, or one declared under its current status."""
        declared = self._substatuses()
        for ticket_id in self.known:
            ticket = self.store.get(ticket_id)
            if ticket.substatus is not None:
                assert declared.get(ticket.substatus).under is ticket.status

    @invariant()
    def closed_sla_results_never_change(self) -> None:
        """While a ticket stays closed, its SLA results are fixed."""
        policy = self.desk.sla_policy
        if policy is None:
            return
        for ticket_id, results in self.closed_results.items():
            ticket = self.store.get(ticket_id)
            if ticket.status is TicketStatus.CLOSED:
                assert policy.evaluate(ticket, self.clock.now()).results == results

    def _remember(self, ticket: Ticket) -> None:
        self.known[ticket.id] = ticket
        self.levels[ticket.id] = max(self.levels.get(ticket.id, 0), ticket.escalation_level)
        policy = self.desk.sla_policy
        if ticket.status is TicketStatus.CLOSED and policy is not None:
            if ticket.id not in self.closed_results or self._reclosed(ticket):
                results = policy.evaluate(ticket, self.clock.now()).results
                self.closed_results[ticket.id] = results
        else:
            self.closed_results.pop(ticket.id, None)

    def _reclosed(self, ticket: Ticket) -> bool:
        last = ticket.history[-1]
        return last.command == "record_visit"
