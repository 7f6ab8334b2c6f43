"""Surveys over HTTP: ``POST /surveys`` records an answered survey, ``GET /surveys`` lists them.

A front end records what a customer answered — an NPS score, the overall
satisfaction, scores by dimension, a comment — about a ticket or on its own,
on any channel (:class:`~aftersales.kpi.surveys.SurveyResponse`); the caller
is who recorded it. The store keeps it (``save_survey``) and every report of
the store counts it. Views mask any phone number or e-mail address written
in a comment. Imports the storage ports, the KPIs, the views and the API's
own modules. (No ``from __future__ import annotations``: FastAPI reads the
annotations.)

Example:
    >>> survey = read_survey_request(
    ...     {"id": "S-1", "at": "2026-12-03T10:00:00+08:00", "channel": "wechat",
    ...      "nps": 9, "dimensions": {"服务态度": 5}, "comment": "请回电 13812345678"},
    ...     by="李娜")
    >>> survey.recorded_by, [d.dimension.code for d in survey.dimensions]
    ('李娜', ['service_attitude'])
    >>> survey_view(survey)["comment"]
    '请回电 138****5678'
"""

from typing import Annotated, Any

import attrs
from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse

from aftersales import _checks as check
from aftersales.api.auth import Principal
from aftersales.api.http import error_responses, instant_param, json_body, json_response
from aftersales.api.openapi import json_content
from aftersales.api.settings import ApiSettings, may_write
from aftersales.errors import InvalidData
from aftersales.kpi.surveys import SurveyResponse
from aftersales.model.satisfaction import dimension_scores
from aftersales.serialization import structure, to_dict
from aftersales.service.desk import ServiceDesk
from aftersales.storage.ports.surveys import SurveyStore
from aftersales.views import masked_texts

__all__ = ["add_survey_routes", "read_survey_request", "survey_view"]

#: The keys of a ``POST /surveys`` body (``recorded_by`` is the caller).
REQUEST_KEYS = (
    "id",
    "at",
    "channel",
    "customer_id",
    "ticket_id",
    "nps",
    "satisfaction",
    "dimensions",
    "comment",
    "feedback_class",
)

_SURVEY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "at", "channel"],
    "properties": {
        "id": {"type": "string"},
        "at": {"type": "string", "format": "date-time"},
        "channel": {"type": "string"},
        "customer_id": {"type": ["string", "null"]},
        "ticket_id": {"type": ["string", "null"]},
        "nps": {"type": ["integer", "null"], "minimum": 0, "maximum": 10},
        "satisfaction": {"type": ["integer", "null"], "minimum": 1, "maximum": 5},
        "dimensions": {
            "description": "scores 1–5 by dimension: {dimension: score} or [{dimension, score}]",
            "type": ["object", "array", "null"],
        },
        "comment": {"type": "string"},
        "feedback_class": {"type": ["string", "null"]},
    },
}


def read_survey_request(body: object, *, by: str) -> SurveyResponse:
    """``body`` (parsed JSON) as the :class:`SurveyResponse` that ``by`` records.

    ``dimensions`` may be an object of scores by dimension (code, label or
    alias) or a list of ``{"dimension", "score"}``; every bad path is listed
    at once (``InvalidData``), ``recorded_by`` among them: it is the caller.

    Example:
        >>> read_survey_request({"id": "S-1", "recorded_by": "x"}, by="李娜")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: ...recorded_by: unknown key; accepted: id, at, channel, ...
    """
    if not isinstance(body, dict):
        message = f"{type(body).__name__}; accepted: a JSON object"
        raise InvalidData(f"body: {message}", problems=[("body", message)])
    unknown = sorted(set(body) - set(REQUEST_KEYS))
    accepted = ", ".join(REQUEST_KEYS)
    problems = [(key, f"unknown key; accepted: {accepted}") for key in unknown]
    if problems:
        raise InvalidData.from_problems(problems)
    fields = dict(body)
    dimensions = fields.pop("dimensions", None)
    if isinstance(dimensions, dict):
        survey: SurveyResponse = structure(SurveyResponse, {**fields, "recorded_by": by})
        return attrs.evolve(survey, dimensions=dimension_scores(dimensions, "dimensions"))
    fields["dimensions"] = dimensions
    read: SurveyResponse = structure(SurveyResponse, {**fields, "recorded_by": by})
    return read


def survey_view(survey: SurveyResponse) -> dict[str, Any]:
    """The public JSON view of ``survey``: its fields, the class it counts in, contacts masked.

    Example:
        >>> import pendulum
        >>> view = survey_view(SurveyResponse(
        ...     id="S-2", at=pendulum.datetime(2026, 12, 3, tz="UTC"), channel="phone",
        ...     recorded_by="李娜", satisfaction=2, comment="没修好"))
        >>> view["feedback"], view["at"]
        ('resolution', '2026-12-03T00:00:00+00:00')
    """
    data = to_dict(survey)
    data.pop("schema_version", None)
    data["feedback"] = None if survey.feedback is None else survey.feedback.value
    view: dict[str, Any] = masked_texts(data)
    return view


def _surveys(desk: ServiceDesk) -> SurveyStore:
    store: SurveyStore = check.protocol(SurveyStore, "a store that keeps surveys")(
        desk.store, "store"
    )
    return store


def add_survey_routes(router: APIRouter, settings: ApiSettings) -> None:
    """Declare ``POST /surveys`` and ``GET /surveys`` on ``router``."""
    desk_type = Annotated[ServiceDesk, Depends(settings.desk)]
    caller_type = Annotated[Principal, Depends(settings.auth)]
    view_schema = {**_SURVEY_SCHEMA, "required": ["id", "at", "channel", "recorded_by"]}

    @router.post(
        "/surveys",
        operation_id="record_survey",
        summary="Record an answered survey (NPS, satisfaction, by dimension, comment)",
        status_code=201,
        openapi_extra={"requestBody": json_content(_SURVEY_SCHEMA, "The survey's answers")},
        responses={
            201: json_content(view_schema, "The survey as kept"),
            **error_responses(401, 403, 409, 422),
        },
    )
    async def post_survey(request: Request, desk: desk_type, caller: caller_type) -> JSONResponse:
        by = may_write(caller, "record_survey")
        survey = read_survey_request(await json_body(request), by=by)
        await run_in_threadpool(_surveys(desk).save_survey, survey)
        location = f"{request.url.path}/{survey.id}"
        return json_response(survey_view(survey), 201, headers={"Location": location})

    @router.get(
        "/surveys/{survey_id}",
        operation_id="get_survey",
        summary="One survey",
        responses={200: json_content(view_schema), **error_responses(401, 403, 404)},
    )
    def get_survey(survey_id: str, desk: desk_type, caller: caller_type) -> JSONResponse:
        return json_response(survey_view(_surveys(desk).get_survey(survey_id)))

    @router.get(
        "/surveys",
        operation_id="list_surveys",
        summary="The surveys answered in a span, about a ticket or a customer, oldest first",
        responses={
            200: json_content({"type": "object", "properties": {"items": {"type": "array"}}}),
            **error_responses(401, 403, 422),
        },
    )
    def list_surveys(
        desk: desk_type,
        caller: caller_type,
        answered_from: Annotated[str | None, Query(description="ISO 8601, inclusive")] = None,
        answered_before: Annotated[str | None, Query(description="ISO 8601, exclusive")] = None,
        ticket_id: str | None = None,
        customer_id: str | None = None,
    ) -> JSONResponse:
        found = _surveys(desk).find_surveys(
            start=instant_param(answered_from, "query.answered_from"),
            end=instant_param(answered_before, "query.answered_before"),
            ticket_id=ticket_id,
            customer_id=customer_id,
        )
        return json_response({"items": [survey_view(s) for s in found]})
