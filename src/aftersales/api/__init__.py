"""The HTTP API for front ends (the ``api`` extra: FastAPI, uvicorn).

``create_router(desk, auth=..., access=...)`` gives a FastAPI router a host
app mounts; ``create_app(...)`` a whole app, which ``aftersales serve --db
FILE`` runs with uvicorn. Tickets, commands, the SLA worklist, reports, the
event feed (paged and server-sent events) and knowledge search, every
response a masked view, every error a documented status and body, the
OpenAPI document built on the library's JSON Schemas. See ``docs/api-http.md``.
``import aftersales`` does not import this package (nor FastAPI).

Example:
    >>> from aftersales import ServiceDesk
    >>> app = create_app(ServiceDesk())
    >>> "/tickets/{ticket_id}/commands/record_visit" in app.openapi()["paths"]
    True
"""

from aftersales.api.app import create_app, create_router
from aftersales.api.auth import (
    AuthHook,
    NoContactAccess,
    NotAuthenticated,
    NotPermitted,
    Principal,
    bearer_token,
    read_only,
)
from aftersales.api.open_request import OpenTicketRequest
from aftersales.api.openapi import add_openapi_schemas, schema_components
from aftersales.api.problems import ProblemRoute, problem

__all__ = [
    "AuthHook",
    "NoContactAccess",
    "NotAuthenticated",
    "NotPermitted",
    "OpenTicketRequest",
    "Principal",
    "ProblemRoute",
    "add_openapi_schemas",
    "bearer_token",
    "create_app",
    "create_router",
    "problem",
    "read_only",
    "schema_components",
]
