"""A small CRM service exposing ``aftersales`` tickets over HTTP, on SQLite.

Run it (needs the ``examples`` extra: ``pip install 'aftersales[examples]'`` and
an ASGI server such as ``uvicorn``), from ``examples/crm_embedding/``::

    AFTERSALES_DB=crm.db uvicorn --factory app:from_environment

Endpoints:

* ``POST /tickets``                       register a problem (受理登记)
* ``GET  /tickets?status=&priority=&customer_id=&limit=``  list tickets
* ``GET  /tickets/{id}``                  one ticket with its history
* ``POST /tickets/{id}/acknowledge``      first response (首次响应)
* ``POST /tickets/{id}/resolve``          resolved on first contact (一线解决)
* ``GET  /tickets/{id}/sla``              the ticket's SLA clocks

Errors of the library become HTTP errors carrying the error's own message:
``NotFound`` → 404, ``InvalidTransition`` / ``ConcurrencyError`` /
``DuplicateId`` → 409, ``InvalidData`` (and its subclasses, e.g. an unknown
channel or a naive datetime) → 422, any other ``AftersalesError`` → 400.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from aftersales import (
    AftersalesError,
    Clock,
    ConcurrencyError,
    Customer,
    DuplicateId,
    IntakeFacts,
    InvalidData,
    InvalidTransition,
    NotFound,
    ServiceDesk,
    SlaPolicy,
    SQLiteStore,
    Ticket,
    TicketQuery,
    WorkCalendar,
)
from aftersales.sla import MetricResult

STATUS_CODES: tuple[tuple[type[AftersalesError], int], ...] = (
    (NotFound, 404),
    (InvalidTransition, 409),
    (ConcurrencyError, 409),
    (DuplicateId, 409),
    (InvalidData, 422),
    (AftersalesError, 400),
)


# -- request bodies -------------------------------------------------------------------


class OpenTicket(BaseModel):
    customer_id: str
    customer_name: str
    channel: str = Field(examples=["phone", "电话"])
    category: str = Field(examples=["product_quality", "产品质量"])
    description: str
    occurred_at: datetime
    by: str
    priority: str | None = None
    core_business_stopped: bool = False
    safety_hazard: bool = False
    ticket_id: str | None = None


class Acknowledge(BaseModel):
    by: str
    note: str = ""


class Resolve(BaseModel):
    by: str
    answer: str


# -- responses --------------------------------------------------------------------------


def summary(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.id,
        "version": ticket.version,
        "status": ticket.status.value,
        "status_zh": ticket.status.label_zh,
        "priority": ticket.priority.value,
        "priority_zh": ticket.priority.label_zh,
        "customer_id": ticket.customer_id,
        "customer_name": ticket.customer_name,
        "channel": ticket.channel.code,
        "category": ticket.category.code,
        "received_at": ticket.received_at.isoformat(),
        "allowed_commands": list(ticket.allowed_commands()),
    }


def detail(ticket: Ticket) -> dict[str, Any]:
    return {
        **summary(ticket),
        "description": ticket.description,
        "history": [
            {"seq": e.seq, "command": e.command, "by": e.by, "at": e.at.isoformat()}
            for e in ticket.history
        ],
    }


def clock_view(result: MetricResult) -> dict[str, Any]:
    return {
        "metric": result.metric,
        "cycle": result.cycle,
        "state": result.state.value,
        "state_zh": result.state.label_zh,
        "due_at": result.due_at.isoformat(),
        "elapsed_seconds": result.elapsed.total_seconds(),
        "remaining_seconds": result.remaining.total_seconds(),
        "level": result.level,
    }


# -- the application --------------------------------------------------------------------


def create_app(
    db_path: str | os.PathLike[str],
    *,
    clock: Clock | None = None,
    calendar: WorkCalendar | None = None,
) -> FastAPI:
    """The service on the SQLite database at ``db_path`` (created when missing)."""
    calendar = calendar if calendar is not None else WorkCalendar.china()
    desk = ServiceDesk(SQLiteStore(db_path), clock=clock, sla=SlaPolicy.default(calendar))
    app = FastAPI(title="aftersales CRM example")
    app.state.desk = desk

    @app.exception_handler(AftersalesError)
    async def domain_error(request: Request, error: AftersalesError) -> JSONResponse:
        status = next(code for kind, code in STATUS_CODES if isinstance(error, kind))
        return JSONResponse(
            status_code=status, content={"error": type(error).__name__, "detail": str(error)}
        )

    @app.post("/tickets", status_code=201)
    def open_ticket(body: OpenTicket) -> dict[str, Any]:
        ticket = desk.open_ticket(
            customer=Customer(id=body.customer_id, name=body.customer_name),
            channel=body.channel,
            category=body.category,
            description=body.description,
            occurred_at=body.occurred_at,
            by=body.by,
            priority=body.priority,
            facts=IntakeFacts(
                core_business_stopped=body.core_business_stopped,
                safety_hazard=body.safety_hazard,
            ),
            ticket_id=body.ticket_id,
        )
        return detail(ticket)

    @app.get("/tickets")
    def list_tickets(
        status: str | None = None,
        priority: str | None = None,
        customer_id: str | None = None,
        limit: int = 50,
    ) -> list[dict[str, Any]]:
        query = TicketQuery(
            status=status,  # type: ignore[arg-type]  # codes and labels are accepted
            priority=priority,  # type: ignore[arg-type]
            customer_id=customer_id,
            limit=limit,
        )
        return [summary(ticket) for ticket in desk.find(query)]

    @app.get("/tickets/{ticket_id}")
    def get_ticket(ticket_id: str) -> dict[str, Any]:
        return detail(desk.get(ticket_id))

    @app.post("/tickets/{ticket_id}/acknowledge")
    def acknowledge(ticket_id: str, body: Acknowledge) -> dict[str, Any]:
        return detail(desk.acknowledge(ticket_id, by=body.by, note=body.note))

    @app.post("/tickets/{ticket_id}/resolve")
    def resolve(ticket_id: str, body: Resolve) -> dict[str, Any]:
        return detail(desk.resolve_on_first_contact(ticket_id, by=body.by, answer=body.answer))

    @app.get("/tickets/{ticket_id}/sla")
    def sla(ticket_id: str) -> dict[str, Any]:
        report = desk.sla(ticket_id)
        return {"ticket_id": ticket_id, "clocks": [clock_view(r) for r in report.results]}

    return app


def from_environment() -> FastAPI:
    """The service on the database named by ``$AFTERSALES_DB`` (default ``aftersales.db``)."""
    return create_app(os.environ.get("AFTERSALES_DB", "aftersales.db"))
