"""A CRM that embeds ``aftersales``: the HTTP API mounted, the CRM's own login, SLA alerts by webhook.

Run it (needs ``pip install 'aftersales[api,webhooks]'``), from ``examples/crm_embedding/``::

    AFTERSALES_DB=crm.db CRM_WEBHOOK_SECRET=change-me-16-bytes-at-least \\
    CRM_URL=http://127.0.0.1:8000 uvicorn --factory app:from_environment --port 8000

* ``/aftersales/...``: the library's router (``create_router``) behind the CRM's
  login (header ``X-User``): agents write, supervisors may also see a contact
  for a return visit (回访), viewers read. ``/openapi.json`` holds its schemas.
* ``POST /crm/customers/{customer_id}/tickets``: open a ticket from a CRM record.
* ``POST /crm/hooks/aftersales``: the CRM's webhook receiver (signature checked,
  each delivery kept once); ``GET /crm/alerts`` lists what came.
* The subscription ``crm-alerts`` posts SLA breaches and low-score visits there,
  at least once, from its checkpoint in the same database; see its dead letters
  with ``aftersales subscribe --db crm.db --name crm-alerts --dead-letters``.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Header, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from aftersales import (
    Clock,
    Contact,
    Customer,
    IntakeFacts,
    NotFound,
    ServiceDesk,
    SlaPolicy,
    SQLiteStore,
    WorkCalendar,
)
from aftersales.api import (
    NotAuthenticated,
    NotPermitted,
    Principal,
    ProblemRoute,
    add_openapi_schemas,
    create_router,
)
from aftersales.model.events import SlaBreached, TicketEvent, VisitRecorded
from aftersales.service.subscriptions import Retry, Subscription
from aftersales.views import AllowedViewers, ticket_view
from aftersales.webhooks import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    WebhookEndpoint,
    WebhookRetry,
    WebhookSender,
    verify_signature,
)

#: The CRM's users by login (the ``X-User`` header) and their roles.
USERS = {"li": ("李工", "agent"), "wang": ("王经理", "supervisor"), "zhao": ("赵会计", "viewer")}
WRITERS = {"agent", "supervisor"}
#: The CRM's customer records; a ticket's contact is taken from here.
CUSTOMERS = {
    "C202405001": Customer(
        id="C202405001",
        name="XX科技有限公司",
        contacts=(Contact(name="张先生", phone="13812345678", role="行政主管"),),
    )
}
#: Supervisors may see a contact, and only to call the customer back (回访).
CALLBACKS = AllowedViewers(
    {name for name, role in USERS.values() if role == "supervisor"}, purposes={"回访"}
)
LOW_SCORE = 3  # a return visit scored under 3 is an alert (the desk's own threshold)
RECEIVER_PATH = "/crm/hooks/aftersales"
SWEEP_SECONDS = 60.0


def crm_user(x_user: Annotated[str | None, Header()] = None) -> Principal:
    """The auth hook: the caller named by ``X-User``; 401 for anyone else."""
    if x_user not in USERS:
        raise NotAuthenticated("no known user in the X-User header")
    name, role = USERS[x_user]
    return Principal(name, may_write=role in WRITERS)


Caller = Annotated[Principal, Depends(crm_user)]


@dataclass
class Inbox:
    """The alerts the receiver took, one per delivery id (in production: a table with a unique key)."""

    alerts: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: int = 0  # signed requests received, repeats included

    def take(self, delivery: dict[str, Any]) -> None:
        self.requests += 1
        self.alerts.setdefault(delivery["id"], delivery)  # a repeat changes nothing


class OpenFromRecord(BaseModel):
    channel: str
    category: str
    description: str
    occurred_at: datetime  # with an offset: a naive one is refused (422)
    core_business_stopped: bool = False


def crm_routes(desk: ServiceDesk, inbox: Inbox, secret: str) -> APIRouter:
    """The CRM's own endpoints; ``ProblemRoute`` maps the library's errors as the API does."""
    router = APIRouter(route_class=ProblemRoute)

    @router.post("/crm/customers/{customer_id}/tickets", status_code=201)
    def open_from_record(customer_id: str, body: OpenFromRecord, caller: Caller) -> Response:
        if not caller.may_write:
            raise NotPermitted(caller.name, "open_ticket")
        if customer_id not in CUSTOMERS:
            raise NotFound("CRM customer", customer_id)
        ticket = desk.open_ticket(
            customer=CUSTOMERS[customer_id],
            channel=body.channel,
            category=body.category,
            description=body.description,
            occurred_at=body.occurred_at,
            facts=IntakeFacts(core_business_stopped=body.core_business_stopped),
            by=caller.name,
        )
        headers = {"Location": f"/aftersales/tickets/{ticket.id}", "ETag": f'"{ticket.version}"'}
        return JSONResponse(ticket_view(ticket), status_code=201, headers=headers)

    @router.get("/crm/alerts")
    def alerts(caller: Caller) -> list[dict[str, Any]]:
        return list(inbox.alerts.values())

    @router.post(RECEIVER_PATH, include_in_schema=False)
    async def receive(request: Request) -> Response:
        raw = await request.body()  # verify the bytes as received, before parsing them
        timestamp = request.headers.get(TIMESTAMP_HEADER)
        if not verify_signature(secret, timestamp, raw, request.headers.get(SIGNATURE_HEADER)):
            return JSONResponse({"error": "bad signature"}, status_code=401)
        try:
            inbox.take(json.loads(raw))
        except OSError:  # not stored: a 5xx makes the sender deliver it again later
            return Response(status_code=503)
        return Response(status_code=204)

    return router


def alerts_only(send: Callable[[int, TicketEvent], None]) -> Callable[[int, TicketEvent], None]:
    """A subscription handler passing SLA breaches and low-score visits to ``send``."""

    def handler(position: int, event: TicketEvent) -> None:
        low = isinstance(event, VisitRecorded) and event.score < LOW_SCORE
        if low or isinstance(event, SlaBreached):
            send(position, event)

    return handler


def alert_sender(crm_url: str, secret: str) -> WebhookSender:
    """The webhook sender posting to the CRM's receiver at ``crm_url``."""
    endpoint = WebhookEndpoint(f"{crm_url}{RECEIVER_PATH}", secret=secret)
    return WebhookSender([endpoint], retry=WebhookRetry(attempts=2))


def alert_subscription(store: SQLiteStore, sender: WebhookSender, **options: Any) -> Subscription:
    """The ``crm-alerts`` subscription: its checkpoint and dead letters live in ``store``."""
    options.setdefault("retry", Retry(attempts=5))
    return Subscription(store, "crm-alerts", alerts_only(sender), **options)


def create_app(
    db_path: str | os.PathLike[str],
    *,
    secret: str,
    crm_url: str | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    """The CRM on the SQLite database at ``db_path``; alerts run while served when ``crm_url`` is given."""
    store = SQLiteStore(db_path)
    desk = ServiceDesk(store, clock=clock, sla=SlaPolicy.default(WorkCalendar.china()))
    inbox = Inbox()

    @asynccontextmanager
    async def alerts_while_serving(app: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        if crm_url is not None:
            threading.Thread(target=run_alerts, args=(desk, store, crm_url, secret, stop)).start()
        yield
        stop.set()

    app = FastAPI(title="CRM with aftersales", lifespan=alerts_while_serving)
    app.include_router(create_router(desk, auth=crm_user, access=CALLBACKS), prefix="/aftersales")
    app.include_router(crm_routes(desk, inbox, secret))
    app.state.desk, app.state.inbox = desk, inbox
    return add_openapi_schemas(app)


def run_alerts(
    desk: ServiceDesk, store: SQLiteStore, crm_url: str, secret: str, stop: threading.Event
) -> None:
    """Until ``stop``, every minute: record the SLA breaches due, then deliver the new alerts."""
    with alert_sender(crm_url, secret) as sender:
        subscription = alert_subscription(store, sender)
        while not stop.is_set():
            desk.sweep_sla()
            subscription.run(until_idle=True)
            stop.wait(SWEEP_SECONDS)


def from_environment() -> FastAPI:
    """The CRM configured by ``$AFTERSALES_DB``, ``$CRM_WEBHOOK_SECRET`` and ``$CRM_URL``."""
    return create_app(
        os.environ.get("AFTERSALES_DB", "crm.db"),
        secret=os.environ["CRM_WEBHOOK_SECRET"],
        crm_url=os.environ.get("CRM_URL"),
    )
