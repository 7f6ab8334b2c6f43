"""The read-only routes beside the tickets: the SLA worklist, the reports, knowledge search.

``GET /sla/worklist`` is the open tickets due before an instant, earliest due
first (the store's ``due_at`` index, keyset paged by ``after_id``), each with
the warnings and breaches its clocks reach by then under the SLA policy (none
listed without a policy). ``GET /reports/{kind}`` builds the daily, weekly or
monthly report from the store (its facts projection where it has one, and
the surveys, root causes, open actions, key customers and installed base it
keeps: see :mod:`aftersales.reports.stored_inputs`) as JSON (the report
view), Markdown or HTML. ``GET /knowledge/search`` searches the published
articles; ``GET /knowledge/replies`` suggests reply templates
(话术) for a ticket, rendered for it (its due time under the SLA policy),
best first. Imports: the service layer, the reports, the views,
the API's own modules, FastAPI. (No ``from __future__ import annotations``:
FastAPI reads the annotations.)

Example:
    >>> from fastapi import APIRouter
    >>> from aftersales import ServiceDesk
    >>> from aftersales.api.settings import ApiSettings
    >>> router = APIRouter()
    >>> add_reading_routes(router, ApiSettings.of(ServiceDesk()))
    >>> sorted(route.path for route in router.routes)
    ['/knowledge/replies', '/knowledge/search', '/reports/{kind}', '/sla/worklist']
"""

from collections.abc import Callable
from typing import Annotated, Any, Literal

import attrs
from fastapi import APIRouter, Depends, Path, Query
from starlette.responses import HTMLResponse, JSONResponse, Response

from aftersales.api.auth import Principal
from aftersales.api.http import error_responses, instant_param, json_response
from aftersales.api.openapi import json_content, ref
from aftersales.api.settings import ApiSettings
from aftersales.errors import UnknownValue
from aftersales.knowledge import KnowledgeArticle, ReplyTemplate
from aftersales.model.query import TicketQuery
from aftersales.reports import DailyReport, MonthlyReport, WeeklyReport, daily, monthly, weekly
from aftersales.reports.stored_inputs import read_report_inputs, report_period
from aftersales.serialization import to_dict
from aftersales.service.desk import ServiceDesk
from aftersales.service.view_options import view_options
from aftersales.views import masked_texts, report_view, ticket_view

__all__ = ["REPORT_BUILDERS", "add_reading_routes"]

#: The report builders by the ``kind`` of ``GET /reports/{kind}``.
REPORT_BUILDERS: dict[str, Callable[..., DailyReport | WeeklyReport | MonthlyReport]] = {
    "daily": daily,
    "weekly": weekly,
    "monthly": monthly,
}

_REPORT_MEDIA = {
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
}


def _article_view(article: KnowledgeArticle) -> dict[str, Any]:
    """The article's stored form without ``schema_version`` (the schema ``KnowledgeArticle``).

    A mobile number or e-mail address written into its texts is masked.
    """
    stored = {key: value for key, value in to_dict(article).items() if key != "schema_version"}
    masked: dict[str, Any] = masked_texts(stored)
    return masked


def _template_view(template: ReplyTemplate) -> dict[str, Any]:
    """The template's stored form without ``schema_version`` (the schema ``ReplyTemplate``)."""
    stored = {key: value for key, value in to_dict(template).items() if key != "schema_version"}
    masked: dict[str, Any] = masked_texts(stored)
    return masked


def add_reading_routes(router: APIRouter, settings: ApiSettings) -> None:
    """Declare the worklist, report, knowledge and reply template routes on ``router``."""
    desk_type = Annotated[ServiceDesk, Depends(settings.desk)]
    caller_type = Annotated[Principal, Depends(settings.auth)]

    @router.get(
        "/sla/worklist",
        operation_id="sla_worklist",
        summary="Open tickets due before an instant, earliest due first, with their SLA alerts",
        responses={
            200: json_content(ref("api/WorklistPage")),
            **error_responses(401, 403, 404, 422),
        },
    )
    def sla_worklist(
        desk: desk_type,
        caller: caller_type,
        due_before: Annotated[str, Query(json_schema_extra={"format": "date-time"})],
        at: Annotated[
            str | None,
            Query(json_schema_extra={"format": "date-time"}, description="read at (default: now)"),
        ] = None,
        limit: Annotated[int, Query(ge=1, le=settings.max_limit)] = 50,
        after_id: str | None = None,
    ) -> JSONResponse:
        bound = instant_param(due_before, "query.due_before")
        read_at = instant_param(at, "query.at") or desk.clock.now()
        query = TicketQuery(due_before=bound, order="due", limit=limit + 1, after_id=after_id)
        found = desk.find(query)
        page = found[:limit]
        policy = settings.sla_policy(desk)
        items = []
        for ticket in page:
            alerts = (
                []
                if policy is None or bound is None
                else policy.evaluate(ticket, read_at).alerts_before(bound)
            )
            items.append(
                {
                    "ticket": ticket_view(ticket, **view_options(desk)),
                    "alerts": [
                        {
                            "metric": alert.metric,
                            "cycle": alert.cycle,
                            "level": alert.level,
                            "breach": alert.breach,
                            "at": alert.at.isoformat(),
                        }
                        for alert in alerts
                    ],
                }
            )
        following = page[-1].id if len(found) > limit else None
        return json_response({"items": items, "next_after_id": following})

    @router.get(
        "/reports/{kind}",
        operation_id="get_report",
        summary="The daily, weekly or monthly report, as JSON, Markdown or HTML",
        responses={
            200: {
                "description": "The report",
                "content": {
                    "application/json": {"schema": ref("views/report_view")},
                    "text/markdown": {"schema": {"type": "string"}},
                    "text/html": {"schema": {"type": "string"}},
                },
            },
            **error_responses(400, 401, 403, 422),
        },
    )
    def get_report(
        kind: Annotated[str, Path(json_schema_extra={"enum": list(REPORT_BUILDERS)})],
        desk: desk_type,
        caller: caller_type,
        period: Annotated[
            str, Query(description="YYYY-MM-DD (daily), YYYY-Www (weekly) or YYYY-MM (monthly)")
        ],
        at: Annotated[
            str | None,
            Query(
                json_schema_extra={"format": "date-time"},
                description="read at (default: now, or the period's end once it is over)",
            ),
        ] = None,
        format: Literal["json", "md", "html"] = "json",
        lang: Literal["zh", "en"] = "zh",
    ) -> Response:
        builder = REPORT_BUILDERS.get(kind)
        if builder is None:
            raise UnknownValue("path.kind", kind, REPORT_BUILDERS)
        calendar = settings.report_calendar(desk)
        stored = read_report_inputs(desk.store, report_period(kind, period, calendar))
        report = builder(
            desk.store,
            period,
            calendar=calendar,
            policy=settings.sla_policy(desk),
            at=instant_param(at, "query.at"),
            clock=desk.clock,
            **stored.arguments(kind),
        )
        if format == "md":
            return Response(report.to_markdown(lang=lang), media_type=_REPORT_MEDIA["md"])
        if format == "html":
            return HTMLResponse(report.to_html(lang=lang))
        return json_response(report_view(report))

    @router.get(
        "/knowledge/search",
        operation_id="search_knowledge",
        summary="Published knowledge articles for a text, best first",
        responses={
            200: json_content(ref("api/KnowledgeHits")),
            **error_responses(401, 403, 422),
        },
    )
    def search_knowledge(
        desk: desk_type,
        caller: caller_type,
        q: Annotated[str, Query(description="the text to search for (Chinese, English or mixed)")],
        product: str | None = None,
        category: str | None = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 10,
    ) -> JSONResponse:
        hits = settings.knowledge(desk).search(q, product=product, category=category, limit=limit)
        items: list[dict[str, Any]] = [
            {"article": _article_view(hit.article), "score": hit.score} for hit in hits
        ]
        return json_response({"items": items})

    @router.get(
        "/knowledge/replies",
        operation_id="suggest_replies",
        summary="Reply templates for a ticket, rendered for it, best first",
        responses={
            200: json_content(ref("api/ReplySuggestions")),
            **error_responses(401, 403, 404, 422),
        },
    )
    def suggest_replies(
        desk: desk_type,
        caller: caller_type,
        ticket_id: Annotated[str, Query(description="the ticket the replies are for")],
        language: Literal["zh", "en"] | None = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 5,
    ) -> JSONResponse:
        ticket = desk.get(ticket_id)
        found = settings.knowledge(desk).suggest_replies(
            ticket, policy=settings.sla_policy(desk), language=language, limit=limit
        )
        items: list[dict[str, Any]] = [
            {
                "template": _template_view(suggestion.template),
                "reply": attrs.asdict(suggestion.reply),
                "score": suggestion.score,
            }
            for suggestion in found
        ]
        return json_response({"items": items})
