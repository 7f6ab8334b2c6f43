"""Hypothesis strategies for tickets: event histories walked over the lifecycle, and command arguments.

Histories are random walks over the compiled lifecycle
(:data:`aftersales.TRANSITIONS`), so they cover every path the lifecycle
allows; ``valid=False`` gives histories with exactly one defect that a replay
must refuse. :mod:`aftersales.testing.strategies` re-exports them. Requires the
``test`` extra (hypothesis).

Example:
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(tickets(max_events=6))
    ... def check(ticket):
    ...     assert ticket.version == len(ticket.history)
    >>> check()
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import attrs
import pendulum
from hypothesis import strategies as st

from aftersales.lifecycle import TRANSITIONS
from aftersales.model.attribute_values import NO_ATTRIBUTES
from aftersales.model.events import (
    EVENTS_BY_COMMAND,
    AttachmentAdded,
    TicketEvent,
    TicketOpened,
)
from aftersales.model.solution import SolutionStep
from aftersales.model.substatus import AFTER_SALES_SUBSTATUSES, SubStatuses
from aftersales.model.ticket import Ticket
from aftersales.priority_levels import PriorityScale
from aftersales.testing.strategies.attributes import attribute_values, set_attributes_arguments
from aftersales.testing.strategies.details import command_applies, detail_arguments
from aftersales.testing.strategies.values import (
    aware_datetimes,
    contacts,
    dimension_scores,
    ids,
    purchases,
    texts,
)
from aftersales.vocab import (
    Channel,
    Demand,
    Priority,
    ProblemCategory,
    RootCauseCategory,
    TicketStatus,
    TicketType,
)

__all__ = ["command_arguments", "event_histories", "tickets"]


def _terms(vocabulary: Any) -> st.SearchStrategy[Any]:
    return st.sampled_from(vocabulary.members())


#: The four-level scale the strategies draw levels from, beside tickets without a level.
_FOUR_LEVELS = PriorityScale.four_levels()


def _priorities(ticket: Ticket | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """A seed priority without a level, or a four-level level with its seed, other than ``ticket``'s.

    A ticket with a level changes to another level; one without, to another seed.
    """
    seeds = [{"priority": p} for p in Priority]
    levels = [{"priority": lv.reports_as, "priority_level": lv.code} for lv in _FOUR_LEVELS]
    if ticket is None:
        return st.sampled_from(seeds) | st.sampled_from(levels)
    if ticket.priority_level is None:
        return st.sampled_from([c for c in seeds if c["priority"] is not ticket.priority])
    return st.sampled_from([c for c in levels if c["priority_level"] != ticket.priority_level])


def _opened(ticket_id: str, at: pendulum.DateTime) -> st.SearchStrategy[TicketOpened]:
    return _priorities().flatmap(lambda priority: _opened_at(ticket_id, at, priority))


def _opened_at(
    ticket_id: str, at: pendulum.DateTime, priority: dict[str, Any]
) -> st.SearchStrategy[TicketOpened]:
    return st.builds(
        TicketOpened,
        ticket_id=st.just(ticket_id),
        seq=st.just(1),
        at=st.just(at),
        by=texts(8),
        customer_id=ids("C"),
        customer_name=texts(20),
        channel=_terms(Channel),
        category=_terms(ProblemCategory),
        occurred_at=st.integers(0, 72 * 3600).map(lambda s: at - timedelta(seconds=s)),
        description=texts(),
        **{name: st.just(value) for name, value in priority.items()},
        contact=st.none() | contacts(),
        purchase=st.none() | purchases(),
        demands=st.lists(_terms(Demand), max_size=3, unique=True).map(tuple),
        impact=st.just("") | texts(),
        customer_words=st.just("") | texts(),
        priority_reason=st.just(""),
        handler=st.none() | texts(8),
        ticket_type=st.none() | _terms(TicketType),
        attributes=st.just(NO_ATTRIBUTES) | attribute_values(),
    )


def _later(at: pendulum.DateTime) -> st.SearchStrategy[pendulum.DateTime]:
    return st.integers(0, 5 * 24 * 3600).map(lambda s: at + timedelta(seconds=s))


def _notice(at: pendulum.DateTime) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "metric": st.sampled_from(["first_response", "resolution", "return_visit"]),
            "cycle": st.integers(0, 3),
            "level": st.integers(1, 3),
            "crossed_at": st.just(at),
            "due_at": _later(at),
        }
    )


def command_arguments(
    command: str,
    ticket: Ticket,
    at: pendulum.DateTime,
    *,
    substatuses: SubStatuses = AFTER_SALES_SUBSTATUSES,
) -> st.SearchStrategy[dict[str, Any]]:
    """Keyword arguments of a plausible event for ``command`` on ``ticket`` at ``at``.

    The keys are the event's own fields (``by``, ``at`` and the ids excluded).
    ``set_substatus`` draws a code of ``substatuses`` declared under the
    ticket's status, or ``None`` when the ticket has a sub-status; where
    neither is possible, a code declared under another status (which the
    model takes and a desk refuses), never the one the ticket has.

    Example:
        >>> from hypothesis import given, settings
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> @settings(max_examples=5)
        ... @given(command_arguments("reopen", ticket, ticket.updated_at))
        ... def check(arguments):
        ...     assert set(arguments) == {"reason"}
        >>> check()
    """
    return _payload(command, ticket, at, substatuses)


def _substatus(ticket: Ticket, substatuses: SubStatuses) -> st.SearchStrategy[dict[str, Any]]:
    """A ``set_substatus`` payload: a sub-status of the ticket's status, or ``None``, not the current."""
    here: list[str | None] = [
        s.code for s in substatuses.under(ticket.status) if s.code != ticket.substatus
    ]
    if ticket.substatus is not None:
        here.append(None)
    elsewhere = [s.code for s in substatuses if s.code != ticket.substatus] or ["waiting_other"]
    return st.fixed_dictionaries(
        {
            "substatus": st.sampled_from(here or elsewhere),
            "reason": st.just("") | texts(),
        }
    )


def _payload(
    command: str,
    ticket: Ticket,
    at: pendulum.DateTime,
    substatuses: SubStatuses = AFTER_SALES_SUBSTATUSES,
) -> st.SearchStrategy[Any]:
    """Keyword arguments of a plausible event for ``command`` on ``ticket``."""
    builders: dict[str, Callable[[], st.SearchStrategy[dict[str, Any]]]] = {
        "acknowledge": lambda: st.fixed_dictionaries({"note": st.just("") | texts()}),
        "resolve_on_first_contact": lambda: st.fixed_dictionaries({"answer": texts()}),
        "record_analysis": lambda: st.fixed_dictionaries(
            {
                "finding": texts(),
                "root_cause": st.none() | _terms(RootCauseCategory),
                "resolution_deadline": st.none() | _later(at),
            }
        ),
        "propose_solution": lambda: st.fixed_dictionaries(
            {
                "summary": texts(),
                "steps": st.lists(
                    st.builds(SolutionStep, texts(), texts(8), _later(at)), min_size=1, max_size=3
                ).map(tuple),
            }
        ),
        "record_agreement": lambda: st.fixed_dictionaries({"words": texts()}),
        "record_dispute": lambda: st.fixed_dictionaries(
            {"words": texts(), "change_request": st.just("") | texts()}
        ),
        "book_onsite_visit": lambda: st.fixed_dictionaries(
            {"appointment_at": _later(at), "engineer": texts(8)}
        ),
        "record_progress": lambda: st.fixed_dictionaries(
            {"result": texts(), "onsite": st.booleans()}
        ),
        "report_new_problem": lambda: st.fixed_dictionaries({"description": texts()}),
        "finish_execution": lambda: st.fixed_dictionaries({"summary": texts()}),
        "record_visit": lambda: st.fixed_dictionaries(
            {
                "resolved": st.booleans(),
                "score": st.integers(1, 5),
                "comment": st.just("") | texts(),
                "channel": _terms(Channel),
                "threshold": st.integers(1, 5),
                "dimensions": st.none() | dimension_scores(),
            }
        ),
        "reopen": lambda: st.fixed_dictionaries({"reason": texts()}),
        "escalate": lambda: st.fixed_dictionaries(
            {
                "level": st.integers(ticket.escalation_level + 1, ticket.escalation_level + 2),
                "reason": texts(),
                "to": st.just("") | texts(8),
            }
        ),
        "assign": lambda: st.fixed_dictionaries(
            {"assignee": texts(8)}, optional={"reason": st.none() | texts(16)}
        ),
        "change_priority": lambda: st.tuples(_priorities(ticket), texts()).map(
            lambda chosen: {**chosen[0], "reason": chosen[1]}
        ),
        "add_note": lambda: st.fixed_dictionaries({"text": texts()}),
        "record_contact": lambda: st.fixed_dictionaries(
            {"channel": _terms(Channel), "summary": texts(), "inbound": st.booleans()}
        ),
        "suggest_improvement": lambda: st.fixed_dictionaries({"text": texts()}),
        "set_substatus": lambda: _substatus(ticket, substatuses),
        "change_sla_policy": lambda: st.fixed_dictionaries(
            {"sla_policy": st.just("default"), "reason": st.just("") | texts()}
        ),
        "cancel": lambda: st.fixed_dictionaries({"reason": texts()}),
        "record_sla_warning": lambda: _notice(at),
        "record_sla_breach": lambda: _notice(at),
        "reveal_contact": lambda: st.fixed_dictionaries(
            {"purpose": texts(), "grounds": st.just("") | texts()}
        ),
        "set_attributes": lambda: set_attributes_arguments(ticket.attributes),
    }
    if command not in builders:  # tags, attachments, location
        return detail_arguments(command, ticket, at)
    return builders[command]()


@st.composite
def _valid_history(draw: st.DrawFn, max_events: int) -> list[TicketEvent]:
    ticket_id = draw(ids("T"))
    start = draw(aware_datetimes())
    ticket = Ticket.replay([draw(_opened(ticket_id, start))])
    length = draw(st.integers(1, max_events))
    while ticket.version < length:
        allowed = [c for c in TRANSITIONS.allowed(ticket.status) if command_applies(c, ticket)]
        if not allowed:
            break
        command = draw(st.sampled_from(allowed))
        at = draw(_later(ticket.updated_at))
        payload = draw(_payload(command, ticket, at))
        event = ticket.new_event(EVENTS_BY_COMMAND[command], by=draw(texts(8)), at=at, **payload)
        ticket = ticket.apply(event)
    return list(ticket.history)


def _corrupt(history: list[TicketEvent], data: st.DataObject) -> list[TicketEvent]:
    """Exactly one defect a replay must refuse."""
    defects = ["drop_opening", "gap", "other_ticket", "time_backwards", "refused_command"]
    if len(history) < 2:
        defects = ["drop_opening", "refused_command"]
    defect = data.draw(st.sampled_from(defects))
    events = list(history)
    if defect == "drop_opening":
        return events[1:] if len(events) > 1 else []
    index = data.draw(st.integers(1, len(events) - 1)) if len(events) > 1 else 1
    if defect == "gap":
        events[index] = attrs.evolve(events[index], seq=events[index].seq + 1)
    elif defect == "other_ticket":
        events[index] = attrs.evolve(events[index], ticket_id=events[index].ticket_id + "X")
    elif defect == "time_backwards":
        earlier = events[index - 1].at - timedelta(seconds=data.draw(st.integers(1, 86400)))
        moved: dict[str, Any] = {"at": earlier}
        if isinstance(events[index], AttachmentAdded):  # a file attached no later than that
            attached = events[index].attachment  # type: ignore[attr-defined]
            moved["attachment"] = attrs.evolve(attached, attached_at=earlier)
        events[index] = attrs.evolve(events[index], **moved)
        events = events[: index + 1]
    else:
        status = Ticket.replay(events).status
        refused = [c for c in TRANSITIONS.commands if not TRANSITIONS.is_allowed(status, c)] + [
            "open_ticket"
        ]
        command = data.draw(st.sampled_from(refused))
        last = events[-1]
        ticket = Ticket.replay(events)
        at = last.at + timedelta(minutes=1)
        if command == "open_ticket":
            opened = attrs.evolve(events[0], seq=last.seq + 1, at=at)
            return [*events, opened]
        payload = data.draw(_payload(command, ticket, at))
        events.append(ticket.new_event(EVENTS_BY_COMMAND[command], by="x", at=at, **payload))
    return events


def event_histories(
    *, valid: bool = True, max_events: int = 25
) -> st.SearchStrategy[list[TicketEvent]]:
    """Histories of one ticket: valid random walks over the lifecycle, or broken ones.

    With ``valid=False`` each history has exactly one defect (no opening event,
    a gap in ``seq``, an event of another ticket, time going backwards, or a
    command its status refuses), so ``Ticket.replay`` must raise.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(event_histories(max_events=8))
        ... def check(history):
        ...     assert history[0].command == "open_ticket"
        >>> check()
    """
    histories = _valid_history(max_events)
    if valid:
        return histories
    return st.builds(_corrupt, histories, st.data())


def tickets(
    *, status: TicketStatus | None = None, priority: Priority | None = None, max_events: int = 25
) -> st.SearchStrategy[Ticket]:
    """Tickets replayed from valid histories, optionally in a given status and priority.

    Example:
        >>> from hypothesis import HealthCheck, given, settings
        >>> from aftersales import TicketStatus
        >>> @settings(max_examples=5,
        ...           suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
        ... @given(tickets(status=TicketStatus.AWAITING_VISIT, max_events=10))
        ... def check(ticket):
        ...     assert ticket.status is TicketStatus.AWAITING_VISIT
        >>> check()
    """

    def prefixes(history: list[TicketEvent]) -> st.SearchStrategy[Ticket]:
        ticket = Ticket.replay(history[:1])
        matching = []
        for event in [None, *history[1:]]:
            if event is not None:
                ticket = ticket.apply(event)
            if (status is None or ticket.status is status) and (
                priority is None or ticket.priority is priority
            ):
                matching.append(ticket)
        return st.sampled_from(matching) if matching else st.nothing()

    return event_histories(max_events=max_events).flatmap(prefixes)
