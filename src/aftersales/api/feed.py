"""The event feed over HTTP: ``GET /events`` (keyset pages) and ``GET /events/stream`` (SSE).

Both read the store's feed (``store.events_since(position, limit=...)``): every
stored event at its global position, gap-free in commit order. A page is
``{"items": [{"position", "event"}], "next_after", "head"}``; pass
``next_after`` as ``after`` for the next one. The stream sends each event as a
server-sent event whose ``id`` is its position, so a browser's
``EventSource`` resumes where it stopped (it sends ``Last-Event-ID``, which
takes precedence over ``after``); it waits for new events with the store's
:class:`~aftersales.storage.ports.FeedSignal` where it has one, else by
polling every ``poll_interval`` seconds, and sends a comment line every 15
seconds of silence to keep proxies from closing it. Events are the masked
event views, scrubbed of every contact their ticket ever had (the ticket's
history view). Imports: the storage ports, the views, the API's own modules.
(No ``from __future__ import annotations``: FastAPI reads the annotations.)

Example:
    >>> from aftersales.storage import MemoryStore
    >>> from aftersales.testing.samples import sample_ticket
    >>> store = MemoryStore()
    >>> store.save(sample_ticket(), expected_version=0)
    >>> first = masked_events(store, store.events_since(0, limit=1))[0]
    >>> first["position"], first["event"]["contact"]["phone"]
    (1, '138****5678')
    >>> sse_frame(first).splitlines()[:2]
    ['id: 1', 'event: ticket_opened']
"""

import asyncio
import json
import time
from collections.abc import AsyncIterator, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, StreamingResponse

from aftersales import _checks as check
from aftersales.api.auth import Principal
from aftersales.api.http import error_responses, json_response
from aftersales.api.openapi import json_content, ref
from aftersales.api.settings import ApiSettings
from aftersales.errors import InvalidData
from aftersales.model.events import TicketEvent
from aftersales.service.desk import ServiceDesk
from aftersales.storage.ports import EventFeed, FeedSignal, TicketStore
from aftersales.views import history_view

__all__ = ["add_feed_routes", "masked_events", "sse_frame"]

#: Seconds of silence after which the stream sends a keep-alive comment.
KEEP_ALIVE = 15.0
#: Events read from the store per round of the stream.
STREAM_BATCH = 500


def masked_events(
    store: TicketStore, pairs: Sequence[tuple[int, TicketEvent]]
) -> list[dict[str, Any]]:
    """``(position, event)`` pairs as ``{"position", "event"}``, each event its masked view.

    Each event is masked as in its ticket's history view: every contact the
    ticket ever had is scrubbed from the event's texts too.
    """
    histories: dict[str, list[dict[str, Any]]] = {}
    items = []
    for position, event in pairs:
        views = histories.get(event.ticket_id)
        if views is None:
            views = histories[event.ticket_id] = history_view(store.get(event.ticket_id))
        items.append({"position": position, "event": views[event.seq - 1]})
    return items


def sse_frame(item: dict[str, Any]) -> str:
    """One server-sent event: ``id`` the position, ``event`` the event's type, ``data`` the item."""
    data = json.dumps(item, ensure_ascii=False, separators=(",", ":"))
    return f"id: {item['position']}\nevent: {item['event']['type']}\ndata: {data}\n\n"


def _feed(desk: ServiceDesk) -> EventFeed:
    feed: EventFeed = check.protocol(EventFeed, "a store with events_since(position, *, limit)")(
        desk.store, "store"
    )
    return feed


def _resume_from(after: int, last_event_id: str | None) -> int:
    if last_event_id is None:
        return after
    text = last_event_id.strip()
    if not text.isdigit() or len(text) > 19:
        message = (
            f"{last_event_id[:40]!r} is not a feed position; accepted: the id of an event sent"
        )
        raise InvalidData(
            f"header.Last-Event-ID: {message}", problems=[("header.Last-Event-ID", message)]
        )
    return int(text)


def add_feed_routes(router: APIRouter, settings: ApiSettings) -> None:
    """Declare ``GET /events`` and ``GET /events/stream`` on ``router``."""
    desk_type = Annotated[ServiceDesk, Depends(settings.desk)]
    caller_type = Annotated[Principal, Depends(settings.auth)]

    @router.get(
        "/events",
        operation_id="list_events",
        summary="The stored events after a position, in commit order",
        responses={200: json_content(ref("api/EventPage")), **error_responses(401, 403, 422)},
    )
    def list_events(
        desk: desk_type,
        caller: caller_type,
        after: Annotated[int, Query(ge=0, description="the last position read (0: the start)")] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> JSONResponse:
        feed = _feed(desk)
        pairs = feed.events_since(after, limit=limit)
        items = masked_events(desk.store, pairs)
        following = pairs[-1][0] if pairs else after
        return json_response({"items": items, "next_after": following, "head": feed.feed_head()})

    @router.get(
        "/events/stream",
        operation_id="stream_events",
        summary="Server-sent events: every event after a position, then each new one as it commits",
        response_class=StreamingResponse,
        responses={
            200: {
                "description": "`id:` the position, `event:` the type, `data:` a PositionedEvent",
                "content": {"text/event-stream": {"schema": {"type": "string"}}},
            },
            **error_responses(401, 403, 422),
        },
    )
    async def stream_events(
        request: Request,
        desk: desk_type,
        caller: caller_type,
        after: Annotated[int, Query(ge=0, description="the last position read (0: the start)")] = 0,
        last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
    ) -> StreamingResponse:
        feed = _feed(desk)
        start = _resume_from(after, last_event_id)
        frames = _frames(request, desk, feed, start, settings.poll_interval)
        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return StreamingResponse(frames, media_type="text/event-stream", headers=headers)


async def _frames(
    request: Request, desk: ServiceDesk, feed: EventFeed, position: int, interval: float
) -> AsyncIterator[str]:
    yield "retry: 2000\n\n"
    quiet_since = time.monotonic()
    while not await request.is_disconnected():
        pairs = await run_in_threadpool(feed.events_since, position, limit=STREAM_BATCH)
        if pairs:
            for item in await run_in_threadpool(masked_events, desk.store, pairs):
                yield sse_frame(item)
            position = pairs[-1][0]
            quiet_since = time.monotonic()
            continue
        if time.monotonic() - quiet_since >= KEEP_ALIVE:
            yield ": keep-alive\n\n"
            quiet_since = time.monotonic()
        if isinstance(feed, FeedSignal):
            await run_in_threadpool(feed.wait_for_events, interval)
        else:
            await asyncio.sleep(interval)
