"""The HTTP API as a FastAPI router a host app mounts, or as a whole app (``aftersales serve``).

:func:`create_router` declares every route on one ``APIRouter`` whose routes
map the library's errors to HTTP themselves (:mod:`aftersales.api.problems`),
so a host app keeps its own exception handlers; :func:`create_app` wraps it in
a ``FastAPI`` app whose OpenAPI document holds the library's schemas
(:func:`~aftersales.api.openapi.add_openapi_schemas`; a host app that includes
the router calls it too). Imports: the API's modules, FastAPI.

Example:
    >>> import httpx
    >>> from aftersales import ServiceDesk
    >>> from aftersales.api.local import LocalServer
    >>> from aftersales.testing.samples import sample_ticket
    >>> desk = ServiceDesk()
    >>> desk.store.save(sample_ticket("T1"), expected_version=0)
    >>> with LocalServer(create_app(desk)) as server:
    ...     shown = httpx.get(f"{server.url}/tickets/T1").json()["contact"]["phone"]
    ...     refused = httpx.post(f"{server.url}/tickets/T1/commands/reopen", json={"reason": "复发"})
    >>> shown, refused.status_code, refused.json()["error"]
    ('138****5678', 403, 'NotPermitted')
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from aftersales._version import __version__
from aftersales.api.auth import AuthHook
from aftersales.api.feed import add_feed_routes
from aftersales.api.openapi import add_openapi_schemas
from aftersales.api.problems import ProblemRoute
from aftersales.api.reading import add_reading_routes
from aftersales.api.settings import ApiSettings, DeskSource
from aftersales.api.surveys import add_survey_routes
from aftersales.api.tickets import add_ticket_routes
from aftersales.calendar import WorkCalendar
from aftersales.service.knowledge_base import KnowledgeBase
from aftersales.sla import SlaPolicy
from aftersales.views import ContactAccess

__all__ = ["create_app", "create_router"]


def create_router(
    desk: DeskSource,
    *,
    auth: AuthHook | None = None,
    access: ContactAccess | None = None,
    calendar: WorkCalendar | None = None,
    policy: SlaPolicy | None = None,
    knowledge: KnowledgeBase | None = None,
    poll_interval: float = 0.5,
) -> APIRouter:
    """The API's routes on a new ``APIRouter``, for ``app.include_router(router, prefix=...)``.

    Args:
        desk: the :class:`~aftersales.ServiceDesk`, or a FastAPI dependency
            returning the desk of a request (a desk per tenant, say).
        auth: the host's auth hook, a FastAPI dependency returning the
            request's :class:`~aftersales.api.auth.Principal` (default:
            :func:`~aftersales.api.auth.read_only`: everyone reads as
            ``anonymous``, nobody writes).
        access: the policy deciding contact reveals (default: refuse all).
        calendar: the calendar of the reports (default: the SLA policy's,
            else :meth:`WorkCalendar.china`).
        policy: the SLA policy of the reports and the worklist (default: the desk's).
        knowledge: the knowledge base searched, and whose reply templates
            are suggested (default: one over the desk's store, indexed at its
            first search).
        poll_interval: seconds between two reads of the feed by an event
            stream on a store without a feed signal.

    Example:
        >>> from aftersales import ServiceDesk
        >>> router = create_router(ServiceDesk())
        >>> sorted({route.path for route in router.routes})[:4]
        ['/events', '/events/stream', '/knowledge/replies', '/knowledge/search']
    """
    settings = ApiSettings.of(
        desk,
        auth=auth,
        access=access,
        calendar=calendar,
        policy=policy,
        knowledge=knowledge,
        poll_interval=poll_interval,
    )
    router = APIRouter(route_class=ProblemRoute)
    add_ticket_routes(router, settings)
    add_reading_routes(router, settings)
    add_feed_routes(router, settings)
    add_survey_routes(router, settings)
    return router


def create_app(
    desk: DeskSource,
    *,
    auth: AuthHook | None = None,
    access: ContactAccess | None = None,
    calendar: WorkCalendar | None = None,
    policy: SlaPolicy | None = None,
    knowledge: KnowledgeBase | None = None,
    poll_interval: float = 0.5,
    title: str = "aftersales",
) -> FastAPI:
    """A FastAPI app serving :func:`create_router`'s routes at its root, with the library's schemas.

    Example:
        >>> from aftersales import ServiceDesk
        >>> document = create_app(ServiceDesk()).openapi()
        >>> document["paths"]["/tickets/{ticket_id}"]["get"]["responses"]["200"]["content"]
        {'application/json': {'schema': {'$ref': '#/components/schemas/aftersales.views.ticket_view'}}}
    """
    app = FastAPI(
        title=title,
        version=__version__,
        description="After-sales tickets, commands, SLA worklist, reports, event feed (aftersales).",
    )
    app.include_router(
        create_router(
            desk,
            auth=auth,
            access=access,
            calendar=calendar,
            policy=policy,
            knowledge=knowledge,
            poll_interval=poll_interval,
        )
    )
    return add_openapi_schemas(app)
