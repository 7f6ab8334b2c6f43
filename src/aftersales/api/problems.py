"""Errors as HTTP responses: one mapping from the library's errors to status codes and bodies.

Every route of the API is an :class:`ProblemRoute`, so the mapping holds
wherever the router is mounted (a host app's own exception handlers are left
alone). Every body is ``{"error": <class>, "status": <code>, "message": <text>}``
plus what a front end needs to recover:

===========================================  ======  ==============================================
error                                        status  extra fields
===========================================  ======  ==============================================
``NotFound``                                 404     ``kind``, ``key``
``InvalidTransition``                        409     ``ticket_id``, ``ticket_status``, ``command``,
                                                     ``allowed_commands``
``ConcurrencyError``                         409     ``expected_version``, ``current_version``
                                                     (and ``allowed_commands`` on a command)
``DuplicateId``                              409     ``kind``, ``key``
``InvalidData`` (also a malformed request)   422     ``problems``: ``[{"path", "message"}]``
``AccessDenied``, ``NotPermitted``           403
``NotAuthenticated``                         401     (``WWW-Authenticate: Bearer`` header)
``StorageError``                             503     (the store could not answer; retry)
any other ``AftersalesError``                400
===========================================  ======  ==============================================

The library's messages never hold a contact unmasked, and neither do these
bodies. Imports: the library's errors, FastAPI.

Example:
    >>> from aftersales.errors import NotFound
    >>> problem(NotFound("ticket", "T9"))
    (404, {'error': 'NotFound', 'status': 404, 'message': "no ticket with id 'T9'", 'kind': 'ticket', 'key': 'T9'})
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from aftersales.api.auth import NotAuthenticated, NotPermitted
from aftersales.errors import (
    AccessDenied,
    AftersalesError,
    ConcurrencyError,
    DuplicateId,
    InvalidData,
    InvalidTransition,
    NotFound,
    StorageError,
)

__all__ = ["ProblemRoute", "problem", "problem_response", "request_problems"]


def problem(error: AftersalesError, **extra: Any) -> tuple[int, dict[str, Any]]:
    """The HTTP status and JSON body of ``error`` (``extra`` fields added to the body).

    Example:
        >>> from aftersales.errors import InvalidData
        >>> status, body = problem(InvalidData.from_problems([("score", "7 is out of range")]))
        >>> status, body["problems"]
        (422, [{'path': 'score', 'message': '7 is out of range'}])
    """
    status, fields = _status_and_fields(error)
    body = {"error": type(error).__name__, "status": status, "message": str(error)}
    return status, {**body, **fields, **extra}


def _status_and_fields(error: AftersalesError) -> tuple[int, dict[str, Any]]:
    if isinstance(error, StorageError) and not isinstance(error, InvalidData):
        return 503, {}
    if isinstance(error, InvalidData):
        problems = [{"path": path, "message": message} for path, message in error.problems]
        return 422, {"problems": problems}
    if isinstance(error, NotFound):
        return 404, {"kind": error.kind, "key": str(error.key)}
    if isinstance(error, InvalidTransition):
        status = getattr(error.status, "value", error.status)
        return 409, {
            "ticket_id": error.ticket_id,
            "ticket_status": str(status),
            "command": error.command,
            "allowed_commands": list(error.allowed),
        }
    if isinstance(error, ConcurrencyError):
        return 409, {"expected_version": error.expected, "current_version": error.actual}
    if isinstance(error, DuplicateId):
        return 409, {"kind": error.kind, "key": str(error.key)}
    if isinstance(error, NotAuthenticated):
        return 401, {}
    if isinstance(error, AccessDenied | NotPermitted):
        return 403, {}
    return 400, {}


def problem_response(error: AftersalesError, **extra: Any) -> JSONResponse:
    """:func:`problem` as a JSON response (``WWW-Authenticate`` on a 401).

    Example:
        >>> from aftersales.errors import DuplicateId
        >>> problem_response(DuplicateId("ticket", "T1")).status_code
        409
    """
    status, body = problem(error, **extra)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


def request_problems(error: RequestValidationError) -> InvalidData:
    """FastAPI's validation error of a request's parameters as one :class:`InvalidData`.

    Each problem's path is where the value was (``query.limit``); its message
    is the check that failed (the value itself is not repeated).

    Example:
        >>> error = RequestValidationError([{"loc": ("query", "limit"), "msg": "Input should be a valid integer"}])
        >>> request_problems(error).problems
        (('query.limit', 'Input should be a valid integer'),)
    """
    problems = [
        (".".join(str(part) for part in item.get("loc", ())), str(item.get("msg", "invalid")))
        for item in error.errors()
    ]
    return InvalidData.from_problems(problems or [("request", "invalid")])


class ProblemRoute(APIRoute):
    """A route whose library errors (and malformed parameters) answer as :func:`problem_response`.

    Example:
        >>> from fastapi import APIRouter
        >>> APIRouter(route_class=ProblemRoute).route_class is ProblemRoute
        True
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The route's handler, with the errors mapped."""
        handler = super().get_route_handler()

        async def mapped(request: Request) -> Response:
            try:
                return await handler(request)
            except AftersalesError as error:
                return problem_response(error)
            except RequestValidationError as error:
                return problem_response(request_problems(error))

        return mapped
