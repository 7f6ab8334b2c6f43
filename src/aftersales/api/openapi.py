"""The API's OpenAPI components: the library's own JSON Schemas, re-rooted under ``components``.

Each schema of :func:`aftersales.schemas.schema_catalog` (a command payload, an
event, a view) becomes the component ``aftersales.<name with dots>``
(``aftersales.commands.propose_solution``, ``aftersales.views.ticket_view``);
the ``$defs`` it carries (``SolutionStep``, ``MaskedContact`` …) become
components of their own, ``aftersales.<Def>``, and every ``$ref`` is rewritten
to point there. ``$schema`` and ``$id`` are dropped (a ``$id`` would re-base the
references); the ``$id`` stays readable as ``x-aftersales-id``. The API's own
envelopes (a page of tickets, a problem, the open-ticket request …) are added
beside them. :func:`add_openapi_schemas` puts them all into an app's document.
Imports: the library's schemas, FastAPI.

Example:
    >>> components = schema_components()
    >>> components[component("views/ticket_view")]["x-aftersales-id"]
    'urn:aftersales:schema:v1:views/ticket_view'
    >>> components["aftersales.commands.propose_solution"]["properties"]["steps"]["items"]
    {'$ref': '#/components/schemas/aftersales.SolutionStep'}
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, Final

from fastapi import FastAPI

from aftersales.api.open_request import open_request_schema
from aftersales.errors import InvalidData
from aftersales.knowledge import KnowledgeArticle, ReplyTemplate
from aftersales.schemas import SchemaBuilder, schema_catalog
from aftersales.service.commands import COMMANDS

__all__ = ["PREFIX", "add_openapi_schemas", "component", "json_content", "ref", "schema_components"]

#: The prefix of every component name the API adds.
PREFIX: Final = "aftersales."


def component(name: str) -> str:
    """The component name of a catalog schema or definition (``views/ticket_view`` …).

    Example:
        >>> component("commands/reopen")
        'aftersales.commands.reopen'
    """
    return PREFIX + name.replace("/", ".")


def ref(name: str) -> dict[str, str]:
    """A ``$ref`` to the component of ``name``.

    Example:
        >>> ref("views/ticket_view")
        {'$ref': '#/components/schemas/aftersales.views.ticket_view'}
    """
    return {"$ref": f"#/components/schemas/{component(name)}"}


def json_content(schema: Mapping[str, Any], description: str = "OK") -> dict[str, Any]:
    """An OpenAPI response (or request body) of JSON content with ``schema``.

    Example:
        >>> json_content({"type": "string"})["content"]["application/json"]["schema"]
        {'type': 'string'}
    """
    return {"description": description, "content": {"application/json": {"schema": dict(schema)}}}


def _rerooted(value: Any) -> Any:
    if isinstance(value, dict):
        out = {key: _rerooted(item) for key, item in value.items() if key != "$defs"}
        target = value.get("$ref")
        if isinstance(target, str) and target.startswith("#/$defs/"):
            out["$ref"] = f"#/components/schemas/{component(target.removeprefix('#/$defs/'))}"
        return out
    if isinstance(value, list):
        return [_rerooted(item) for item in value]
    return value


def _add(components: dict[str, Any], name: str, schema: Mapping[str, Any]) -> None:
    """Add ``schema`` (a root document) and its ``$defs`` as components; refuse a clash."""
    for key, definition in schema.get("$defs", {}).items():
        _put(components, component(key), _rerooted(definition))
    body = {k: v for k, v in schema.items() if k not in ("$schema", "$id", "$defs")}
    if "$id" in schema:
        body["x-aftersales-id"] = schema["$id"]
    _put(components, component(name), _rerooted(body))


def _put(components: dict[str, Any], name: str, schema: Any) -> None:
    if components.setdefault(name, schema) != schema:
        message = f"two different schemas are called {name!r}; accepted: one schema per name"
        raise InvalidData(f"components: {message}", problems=[("components", message)])


def _envelopes() -> dict[str, dict[str, Any]]:
    """The API's own response shapes, referring to the catalog's components."""
    page = {"type": ["string", "null"], "description": "the after_id of the next page"}
    problem = {
        "type": "object",
        "properties": {
            "error": {"type": "string", "description": "the error's class"},
            "status": {"type": "integer"},
            "message": {"type": "string"},
            "problems": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"path": {"type": "string"}, "message": {"type": "string"}},
                    "required": ["path", "message"],
                },
            },
            "allowed_commands": {"type": "array", "items": {"type": "string"}},
            "expected_version": {"type": ["integer", "null"]},
            "current_version": {"type": ["integer", "null"]},
        },
        "required": ["error", "status", "message"],
    }
    positioned = {
        "type": "object",
        "properties": {
            "position": {"type": "integer", "minimum": 1},
            "event": ref("views/event_view"),
        },
        "required": ["position", "event"],
        "additionalProperties": False,
    }
    alert = {
        "type": "object",
        "properties": {
            "metric": {"type": "string"},
            "cycle": {"type": "integer"},
            "level": {"type": "integer"},
            "breach": {"type": "boolean"},
            "at": {"type": "string", "format": "date-time"},
        },
        "required": ["metric", "cycle", "level", "breach", "at"],
        "additionalProperties": False,
    }
    return {
        "api/TicketPage": _object(
            items={"type": "array", "items": ref("views/ticket_view")}, next_after_id=page
        ),
        "api/PositionedEvent": positioned,
        "api/EventPage": _object(
            items={"type": "array", "items": ref("api/PositionedEvent")},
            next_after={"type": "integer", "description": "the `after` of the next page"},
            head={"type": "integer", "description": "the position of the last stored event"},
        ),
        "api/SlaAlert": alert,
        "api/WorklistPage": _object(
            items={
                "type": "array",
                "items": _object(
                    ticket=ref("views/ticket_view"),
                    alerts={"type": "array", "items": ref("api/SlaAlert")},
                ),
            },
            next_after_id=page,
        ),
        "api/KnowledgeHits": _object(
            items={
                "type": "array",
                "items": _object(article=ref("api/KnowledgeArticle"), score={"type": "number"}),
            }
        ),
        "api/ReplySuggestions": _object(
            items={
                "type": "array",
                "items": _object(
                    template=ref("api/ReplyTemplate"),
                    reply=_object(
                        code={"type": "string"},
                        version={"type": "integer", "minimum": 1},
                        language={"enum": ["zh", "en"]},
                        title={"type": "string"},
                        text={"type": "string"},
                        ticket_id={"type": "string"},
                    ),
                    score={"type": "number"},
                ),
            }
        ),
        "api/Problem": problem,
    }


def _object(**properties: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


@functools.cache
def _components() -> tuple[tuple[str, Any], ...]:
    components: dict[str, Any] = {}
    for name, schema in schema_catalog(COMMANDS).items():
        _add(components, name, schema)
    _add(components, "api/OpenTicketRequest", open_request_schema())
    articles = SchemaBuilder()
    _add(
        components,
        "api/KnowledgeArticle",
        articles.finished("api/KnowledgeArticle", articles.of(KnowledgeArticle)),
    )
    templates = SchemaBuilder()
    _add(
        components,
        "api/ReplyTemplate",
        templates.finished("api/ReplyTemplate", templates.of(ReplyTemplate)),
    )
    for name, schema in _envelopes().items():
        _put(components, component(name), schema)
    return tuple(sorted(components.items()))


def schema_components() -> dict[str, Any]:
    """Every component the API's operations refer to, by name (a fresh copy).

    Example:
        >>> "aftersales.api.TicketPage" in schema_components()
        True
    """
    return {name: _copy(schema) for name, schema in _components()}


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def add_openapi_schemas(app: FastAPI) -> FastAPI:
    """Make ``app``'s OpenAPI document hold :func:`schema_components`; returns ``app``.

    Call it once on a host app that includes the router (``create_app`` does).

    Example:
        >>> from fastapi import FastAPI
        >>> app = add_openapi_schemas(FastAPI())
        >>> "aftersales.views.ticket_view" in app.openapi()["components"]["schemas"]
        True
    """
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            schemas.update(schema_components())
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]
    return app
