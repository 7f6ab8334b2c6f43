"""The ticket routes: list, get, history, open, one route per command, and the contact reveal.

Every response is a masked view (:mod:`aftersales.views`); the reveal, granted
by the host's access policy, is the one response that shows a contact. A
command's body is its payload (the schema ``aftersales.commands.<command>``);
the version it expects comes from ``If-Match`` (the ``ETag`` of the ticket's
last response) or the ``expected_version`` query parameter. Imports: the
service layer, the views, the API's own modules, FastAPI.
(No ``from __future__ import annotations`` here: FastAPI reads the routes'
annotations, which name the router's own dependencies.)

Example:
    >>> from fastapi import APIRouter
    >>> from aftersales import ServiceDesk
    >>> from aftersales.api.settings import ApiSettings
    >>> router = APIRouter()
    >>> add_ticket_routes(router, ApiSettings.of(ServiceDesk()))
    >>> "/tickets/{ticket_id}/commands/acknowledge" in [route.path for route in router.routes]
    True
"""

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse

from aftersales.api.auth import Principal
from aftersales.api.http import (
    error_responses,
    expected_version,
    instant_param,
    json_body,
    json_response,
    ticket_response,
)
from aftersales.api.open_request import open_ticket, read_open_request
from aftersales.api.openapi import json_content, ref
from aftersales.api.problems import problem_response
from aftersales.api.settings import ApiSettings, may_write
from aftersales.errors import ConcurrencyError, InvalidData
from aftersales.model.query import ORDERS, TicketQuery
from aftersales.service.commands import COMMANDS
from aftersales.service.desk import ServiceDesk
from aftersales.service.view_options import view_options
from aftersales.views import history_view, ticket_view
from aftersales.vocab import Priority, TicketStatus

__all__ = ["add_ticket_routes"]

_REVEAL_BODY = {
    "type": "object",
    "properties": {"purpose": {"type": "string", "description": "why the contact is needed"}},
    "required": ["purpose"],
    "additionalProperties": False,
}


def _body_schema(name: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ref(name)}},
        }
    }


def add_ticket_routes(router: APIRouter, settings: ApiSettings) -> None:
    """Declare the ticket routes on ``router``."""
    desk_type = Annotated[ServiceDesk, Depends(settings.desk)]
    caller_type = Annotated[Principal, Depends(settings.auth)]
    one_ticket: dict[int | str, dict[str, Any]] = {
        200: json_content(ref("views/ticket_view"), "The ticket's masked view")
    }

    @router.get(
        "/tickets",
        operation_id="list_tickets",
        summary="Tickets matching the filters, one keyset page",
        responses={200: json_content(ref("api/TicketPage")), **error_responses(401, 403, 404, 422)},
    )
    def list_tickets(
        desk: desk_type,
        caller: caller_type,
        status: Annotated[
            str | None, Query(json_schema_extra={"enum": [s.value for s in TicketStatus]})
        ] = None,
        priority: Annotated[
            str | None, Query(json_schema_extra={"enum": [p.value for p in Priority]})
        ] = None,
        customer_id: str | None = None,
        assignee: str | None = None,
        channel: Annotated[str | None, Query(description="a channel code or label")] = None,
        category: Annotated[str | None, Query(description="a category code or label")] = None,
        ticket_type: Annotated[
            str | None, Query(description="a ticket type code or label (投诉, 报修 …)")
        ] = None,
        product_model: str | None = None,
        substatus: Annotated[str | None, Query(description="a sub-status code")] = None,
        received_from: Annotated[
            str | None, Query(json_schema_extra={"format": "date-time"})
        ] = None,
        received_before: Annotated[
            str | None, Query(json_schema_extra={"format": "date-time"})
        ] = None,
        updated_from: Annotated[
            str | None, Query(json_schema_extra={"format": "date-time"})
        ] = None,
        updated_before: Annotated[
            str | None, Query(json_schema_extra={"format": "date-time"})
        ] = None,
        due_before: Annotated[str | None, Query(json_schema_extra={"format": "date-time"})] = None,
        open_only: bool = False,
        order: Annotated[str, Query(json_schema_extra={"enum": list(ORDERS)})] = "received",
        limit: Annotated[int, Query(ge=1, le=settings.max_limit)] = 50,
        after_id: Annotated[
            str | None, Query(description="the last id of the previous page")
        ] = None,
    ) -> JSONResponse:
        instants: dict[str, Any] = {
            name: instant_param(value, f"query.{name}")
            for name, value in (
                ("received_from", received_from),
                ("received_before", received_before),
                ("updated_from", updated_from),
                ("updated_before", updated_before),
                ("due_before", due_before),
            )
        }
        query = TicketQuery(
            status=status,  # type: ignore[arg-type]
            priority=priority,  # type: ignore[arg-type]
            customer_id=customer_id,
            assignee=assignee,
            channel=channel,
            category=category,
            ticket_type=ticket_type,
            product_model=product_model,
            substatus=substatus,
            open_only=open_only,
            order=order,  # type: ignore[arg-type]
            limit=limit + 1,
            after_id=after_id,
            **instants,
        )
        found = desk.find(query)
        page = found[:limit]
        following = page[-1].id if len(found) > limit else None
        options = view_options(desk)
        items = [ticket_view(t, **options) for t in page]
        return json_response({"items": items, "next_after_id": following})

    @router.get(
        "/tickets/{ticket_id}",
        operation_id="get_ticket",
        summary="One ticket (its version is the ETag)",
        responses={**one_ticket, **error_responses(401, 403, 404)},
    )
    def get_ticket(ticket_id: str, desk: desk_type, caller: caller_type) -> JSONResponse:
        return ticket_response(desk.get(ticket_id), options=view_options(desk))

    @router.get(
        "/tickets/{ticket_id}/history",
        operation_id="get_history",
        summary="The ticket's events, oldest first",
        responses={
            200: json_content(ref("views/history_view")),
            **error_responses(401, 403, 404),
        },
    )
    def get_history(ticket_id: str, desk: desk_type, caller: caller_type) -> JSONResponse:
        return json_response(history_view(desk.get(ticket_id)))

    @router.post(
        "/tickets",
        operation_id="open_ticket",
        summary="Open a ticket (受理登记)",
        status_code=201,
        openapi_extra=_body_schema("api/OpenTicketRequest"),
        responses={
            201: json_content(ref("views/ticket_view"), "The new ticket's masked view"),
            **error_responses(401, 403, 409, 422),
        },
    )
    async def post_ticket(request: Request, desk: desk_type, caller: caller_type) -> JSONResponse:
        by = may_write(caller, "open_ticket")
        opening = read_open_request(await json_body(request))
        ticket = await run_in_threadpool(open_ticket, desk, opening, by=by)
        return ticket_response(
            ticket, 201, options=view_options(desk), Location=f"{request.url.path}/{ticket.id}"
        )

    for name, command in COMMANDS.items():
        router.add_api_route(
            f"/tickets/{{ticket_id}}/commands/{name}",
            _command_route(name, desk_type, caller_type),
            methods=["POST"],
            operation_id=f"command_{name}",
            summary=(command.event.__doc__ or name).strip().splitlines()[0],
            openapi_extra=_body_schema(f"commands/{name}"),
            responses={**one_ticket, **error_responses(401, 403, 404, 409, 422)},
        )

    @router.post(
        "/tickets/{ticket_id}/contact/reveal",
        operation_id="reveal_contact",
        summary="The ticket with its contact unmasked, if the host's access policy grants it",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _REVEAL_BODY}},
            }
        },
        responses={
            200: json_content(
                ref("views/ticket_view"), "The unmasked view; the reveal is recorded"
            ),
            **error_responses(401, 403, 404, 409, 422),
        },
    )
    async def reveal_contact(
        ticket_id: str, request: Request, desk: desk_type, caller: caller_type
    ) -> JSONResponse:
        purpose = _purpose(await json_body(request))
        reveal = await run_in_threadpool(
            lambda: desk.reveal_contact(
                ticket_id, by=caller.name, purpose=purpose, access=settings.access
            )
        )
        return json_response(reveal.view(), headers={"ETag": f'"{reveal.ticket.version}"'})


def _purpose(body: object) -> str:
    if isinstance(body, dict) and set(body) == {"purpose"} and isinstance(body["purpose"], str):
        return body["purpose"]
    message = 'accepted: an object {"purpose": "<why the contact is needed>"} and nothing else'
    raise InvalidData(f"body: {message}", problems=[("body", message)])


def _command_route(
    name: str, desk_type: Any, caller_type: Any
) -> Callable[..., Coroutine[Any, Any, JSONResponse]]:
    """The endpoint of the command ``name``."""

    async def run_command(
        ticket_id: str,
        request: Request,
        desk: desk_type,
        caller: caller_type,
        if_match: Annotated[str | None, Header(alias="If-Match")] = None,
        version: Annotated[int | None, Query(alias="expected_version", ge=0)] = None,
    ) -> JSONResponse:
        by = may_write(caller, name)
        payload = await json_body(request)
        expected = expected_version(if_match, version)
        try:
            ticket = await run_in_threadpool(
                lambda: desk.execute(name, ticket_id, payload, by=by, expected_version=expected)
            )
        except ConcurrencyError as error:
            current = await run_in_threadpool(desk.get, ticket_id)
            return problem_response(
                error, current_version=current.version, allowed_commands=current.allowed_commands()
            )
        return ticket_response(ticket, options=view_options(desk))

    run_command.__name__ = f"command_{name}"
    return run_command
