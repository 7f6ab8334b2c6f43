"""Small pieces every route module shares: reading parameters and bodies, writing JSON.

Parameters are read with the library's own rules (an instant is ISO 8601 with
an offset, read by :func:`aftersales.serialization.structure`), so a bad one
is an :class:`~aftersales.errors.InvalidData` whose path names where it was
(``query.due_before``, ``header.If-Match``). Imports: the library, Starlette.

Example:
    >>> instant_param("2024-05-10T14:30:00+08:00", "query.at").isoformat()
    '2024-05-10T06:30:00+00:00'
    >>> expected_version('W/"3"', None), expected_version(None, 4), expected_version("*", None)
    (3, 4, None)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pendulum
from starlette.requests import Request
from starlette.responses import JSONResponse

from aftersales.errors import InvalidData
from aftersales.model.ticket import Ticket
from aftersales.serialization import parse_json, structure
from aftersales.views import ticket_view

__all__ = [
    "ERRORS",
    "error_responses",
    "expected_version",
    "instant_param",
    "json_body",
    "json_response",
    "ticket_response",
]

_ETAG = re.compile(r'(?:W/)?"?(\d{1,10})"?')

#: The statuses an operation may answer with a problem body, by status.
ERRORS = {
    400: "Refused by the library (an AftersalesError not listed below)",
    401: "No valid credentials (NotAuthenticated)",
    403: "Not allowed (NotPermitted, AccessDenied)",
    404: "Not found (NotFound)",
    409: "Conflict (InvalidTransition, ConcurrencyError, DuplicateId)",
    422: "Invalid data (InvalidData): every problem with its path",
    503: "The store could not answer (StorageError); retry",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses of problem bodies for ``statuses`` (all of :data:`ERRORS` by default).

    Example:
        >>> sorted(error_responses(404, 422))
        [404, 422]
    """
    problem = {"$ref": "#/components/schemas/aftersales.api.Problem"}
    return {
        status: {
            "description": ERRORS[status],
            "content": {"application/json": {"schema": problem}},
        }
        for status in (statuses or tuple(ERRORS))
    }


def instant_param(value: str | None, path: str) -> pendulum.DateTime | None:
    """``value`` read as an aware instant (``None`` stays ``None``); problems named by ``path``.

    Example:
        >>> instant_param("2024-05-10", "query.at")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: query.at: '2024-05-10' has no time zone; accepted: an aware datetime such as 2024-05-10T14:30:00+08:00
    """
    if value is None:
        return None
    try:
        instant: pendulum.DateTime = structure(pendulum.DateTime, value)
    except InvalidData as error:
        raise InvalidData.from_problems(
            [(path, message) for _, message in error.problems]
        ) from None
    return instant


def expected_version(if_match: str | None, query: int | None) -> int | None:
    """The version a command expects: ``If-Match`` (an ETag such as ``"3"``) or ``expected_version``.

    ``If-Match: *`` and no header expect nothing; a header that is not a
    version, or that disagrees with the query parameter, raises ``InvalidData``.

    Example:
        >>> expected_version("v3", None)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: header.If-Match: 'v3' is not a ticket version; accepted: an ETag of GET /tickets/{id} such as "3", or *
    """
    if if_match is None or if_match.strip() == "*":
        return query
    found = _ETAG.fullmatch(if_match.strip())
    if found is None:
        message = (
            f"{if_match[:40]!r} is not a ticket version;"
            ' accepted: an ETag of GET /tickets/{id} such as "3", or *'
        )
        raise InvalidData(f"header.If-Match: {message}", problems=[("header.If-Match", message)])
    version = int(found[1])
    if query is not None and query != version:
        message = f"{version} disagrees with query.expected_version {query}; accepted: one version"
        raise InvalidData(f"header.If-Match: {message}", problems=[("header.If-Match", message)])
    return version


async def json_body(request: Request) -> Any:
    """The request's body, parsed as JSON by the library's strict reader.

    Example:
        >>> import asyncio
        >>> async def receive():
        ...     return {"type": "http.request", "body": b'{"text": 1', "more_body": False}
        >>> asyncio.run(json_body(Request({"type": "http", "headers": []}, receive)))
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: body: not valid JSON (Expecting ',' delimiter: line 1 column 11 (char 10)); accepted: a JSON object
    """
    raw = await request.body()
    try:
        return parse_json(raw)
    except InvalidData as error:
        problems = [
            ("body" if path in ("", "$") else f"body.{path}", m) for path, m in error.problems
        ]
        raise InvalidData.from_problems(problems or [("body", str(error))]) from None


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> JSONResponse:
    """``data`` as a JSON response.

    Example:
        >>> json_response({"a": 1}).body
        b'{"a":1}'
    """
    return JSONResponse(data, status_code=status, headers=headers)


def ticket_response(
    ticket: Ticket,
    status: int = 200,
    *,
    options: Mapping[str, Any] | None = None,
    **headers: str,
) -> JSONResponse:
    """The masked view of ``ticket``, with its version as the ``ETag``.

    ``options`` are the view's labelling keywords (the desk's:
    :func:`~aftersales.service.view_options.view_options`).

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket_response(sample_ticket()).headers["etag"]
        '"9"'
    """
    extra = {"ETag": f'"{ticket.version}"', **{k.replace("_", "-"): v for k, v in headers.items()}}
    view = ticket_view(ticket, **dict(options or {}))
    return JSONResponse(view, status_code=status, headers=extra)
