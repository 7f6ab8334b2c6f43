"""The model-based run of the ticket contract: random operations on a store, against a model.

:func:`run_model` drives a store with random opens, commands (some on a
stale version) and queries drawn by hypothesis, and checks every answer
against :func:`expected_find`, which works the answer out from a plain
dictionary without :meth:`TicketQuery.select <aftersales.model.query.TicketQuery.select>`.
:class:`~aftersales.testing.contracts.TicketStoreContract` runs it once per
hypothesis example.

This module imports pytest and hypothesis; the rest of ``aftersales`` does not.

Example:
    >>> from aftersales.model.query import TicketQuery
    >>> expected_find({}, TicketQuery())
    []
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs
import pytest
from hypothesis import strategies as st

from aftersales.errors import ConcurrencyError, DuplicateId
from aftersales.model.events import Acknowledged, Assigned, Cancelled, NoteAdded, PriorityChanged
from aftersales.model.query import TicketQuery
from aftersales.model.ticket import Ticket
from aftersales.priority_levels import PriorityScale
from aftersales.storage.ports import TicketStore
from aftersales.testing.contracts.builders import BASE, advance, build_ticket
from aftersales.vocab import Channel, Priority, TicketStatus

__all__ = ["expected_find", "run_model"]

_ASSIGNEES = ("李工", "王工", "'; --")
_MODELS = (None, "A型", "B型")
#: The priorities tickets are opened with: each seed without a level, and each level of
#: the four-level scale with the seed it reports as.
_PRIORITIES: tuple[tuple[Priority, str | None], ...] = (
    *((p, None) for p in Priority),
    *((lv.reports_as, lv.code) for lv in PriorityScale.four_levels()),
)


def run_model(store: TicketStore, data: st.DataObject) -> None:
    """Random opens, commands (some stale) and queries on ``store``, checked against a model.

    The model is a dictionary of the tickets saved and their due times; each
    ``find`` must return what :func:`expected_find` works out from it, and at
    the end every ticket, the received order and the due order (paged by 3)
    must agree with it; ``stream`` (in random batches) must return what ``find`` does.
    """
    model: dict[str, tuple[Ticket, datetime | None]] = {}
    steps = data.draw(st.integers(min_value=1, max_value=25), label="steps")
    for _ in range(steps):
        action = data.draw(st.sampled_from(["open", "open", "command", "command", "query"]))
        if action == "open":
            index = data.draw(st.integers(0, 7), label="ticket")
            priority, level = data.draw(st.sampled_from(_PRIORITIES), label="priority")
            ticket = build_ticket(
                f"R{index}",
                minutes=data.draw(st.integers(0, 5), label="minutes"),
                priority=priority,
                priority_level=level,
                channel=data.draw(st.sampled_from([Channel.PHONE, Channel.EMAIL])),
                customer_id=data.draw(st.sampled_from(["C1", "C2"])),
                product_model=data.draw(st.sampled_from(_MODELS)),
            )
            due = _draw_due(data)
            if ticket.id in model:
                with pytest.raises(DuplicateId):
                    store.save(ticket, expected_version=0, due_at=due)
            else:
                store.save(ticket, expected_version=0, due_at=due)
                model[ticket.id] = (ticket, due)
        elif action == "command" and model:
            ticket_id = data.draw(st.sampled_from(sorted(model)), label="target")
            current, _ = model[ticket_id]
            if not current.is_open:
                continue
            kind = data.draw(st.sampled_from(["note", "assign", "priority", "cancel", "ack"]))
            if kind == "ack" and current.status is not TicketStatus.RECEIVED:
                kind = "note"
            if kind == "note":
                updated = advance(current, NoteAdded, text="备注")
            elif kind == "assign":
                updated = advance(
                    current, Assigned, assignee=data.draw(st.sampled_from(_ASSIGNEES))
                )
            elif kind == "priority":
                # a ticket with a level moves to another level, one without to another seed
                others = [
                    (p, lv)
                    for p, lv in _PRIORITIES
                    if (lv is None) is (current.priority_level is None)
                    and (p, lv) != (current.priority, current.priority_level)
                ]
                priority, level = data.draw(st.sampled_from(others))
                updated = advance(
                    current, PriorityChanged, priority=priority, priority_level=level, reason="r"
                )
            elif kind == "cancel":
                updated = advance(current, Cancelled, reason="撤回")
            else:
                updated = advance(current, Acknowledged)
            due = _draw_due(data)
            if current.version > 1 and data.draw(st.booleans(), label="stale"):
                with pytest.raises(ConcurrencyError):
                    store.save(updated, expected_version=current.version - 1, due_at=due)
            else:
                store.save(updated, expected_version=current.version, due_at=due)
                model[ticket_id] = (updated, due)
        else:
            query = _draw_query(data, sorted(model))
            expected = expected_find(model, query)
            assert store.find(query) == expected
            batch = data.draw(st.integers(1, 4), label="stream batch")
            assert list(store.stream(query, batch=batch)) == expected
    for ticket, _ in model.values():
        assert store.get(ticket.id) == ticket
    every = sorted((t for t, _ in model.values()), key=lambda t: (t.received_at, t.id))
    assert store.find(TicketQuery()) == every
    for query in (TicketQuery(order="due"), TicketQuery(order="due", due_before=BASE.add(hours=7))):
        expected = expected_find(model, query)
        assert store.find(query) == expected
        pages: list[Ticket] = []
        page = store.find(attrs.evolve(query, limit=3))
        while page:
            pages += page
            page = store.find(attrs.evolve(query, limit=3, after_id=page[-1].id))
        assert pages == expected
        assert list(store.stream(query, batch=3)) == expected


def expected_find(
    model: dict[str, tuple[Ticket, datetime | None]], query: TicketQuery
) -> list[Ticket]:
    """What ``find(query)`` returns, worked out from the model (independently of ``select``)."""

    def key(entry: tuple[Ticket, datetime | None]) -> tuple[Any, ...]:
        ticket, due = entry
        if query.order == "due":  # without a due time: last, by id
            return (due is None, BASE if due is None else due, ticket.id)
        return (ticket.received_at, ticket.id)

    entries = sorted((e for e in model.values() if query.matches(*e)), key=key)
    if query.after_id is not None:
        anchor = key(model[query.after_id])
        entries = [e for e in entries if key(e) > anchor]
    if query.limit is not None:
        entries = entries[: query.limit]
    return [ticket for ticket, _ in entries]


def _draw_due(data: st.DataObject) -> datetime | None:
    hours = data.draw(st.one_of(st.none(), st.integers(0, 12)), label="due")
    return None if hours is None else BASE.add(hours=hours)


def _draw_query(data: st.DataObject, ids: list[str]) -> TicketQuery:
    fields: dict[str, Any] = {}
    if data.draw(st.booleans(), label="by status"):
        fields["status"] = data.draw(st.sampled_from(list(TicketStatus)))
    if data.draw(st.booleans(), label="by priority"):
        fields["priority"] = data.draw(st.sampled_from(list(Priority)))
    if data.draw(st.booleans(), label="by assignee"):
        fields["assignee"] = data.draw(st.sampled_from(_ASSIGNEES))
    if data.draw(st.booleans(), label="by customer"):
        fields["customer_id"] = data.draw(st.sampled_from(["C1", "C2"]))
    if data.draw(st.booleans(), label="by model"):
        fields["product_model"] = data.draw(st.sampled_from(["A型", "B型"]))
    if data.draw(st.booleans(), label="due"):
        fields["due_before"] = BASE.add(hours=data.draw(st.integers(0, 13)))
    if data.draw(st.booleans(), label="received"):
        fields["received_from"] = BASE.add(minutes=data.draw(st.integers(0, 5)))
    fields["open_only"] = data.draw(st.booleans(), label="open only")
    fields["order"] = data.draw(st.sampled_from(["received", "due"]), label="order")
    if data.draw(st.booleans(), label="page"):
        fields["limit"] = data.draw(st.integers(0, 4))
        paged: bool = data.draw(st.booleans(), label="after")
        if ids and paged:
            fields["after_id"] = data.draw(st.sampled_from(ids))
    return TicketQuery(**fields)
