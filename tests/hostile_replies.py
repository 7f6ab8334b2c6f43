"""The reply templates' surfaces of the hostile-input table (see :mod:`tests.hostile_surface`).

The template store's four methods on the world's store (memory, SQLite in
memory, SQLite file), the :class:`ReplyTemplates` service over it, the
renderer and the template's constructor, each with one valid call. The world
holds the template ``RT-1`` (``SEEDED_REPLY``), so that revising, retiring,
reading and rendering it are valid calls.
"""

from __future__ import annotations

from typing import Any

from aftersales import FixedClock, MemoryStore
from aftersales.knowledge import ReplyTemplate, ReplyTemplates, render_reply
from tests.helpers import START
from tests.hostile_surface import POLICY, SEEDED_REPLY, TEMPLATE, Surface, World, parameters

SEEDED = SEEDED_REPLY

_TICKET = TEMPLATE[1][0]

_STORE_CALLS: dict[str, dict[str, Any]] = {
    "save_reply_template": {
        "template": SEEDED.revise(by="李工", at=START, body="{customer_name} 您好"),
        "expected_version": 1,
    },
    "get_reply_template": {"code": "RT-1"},
    "find_reply_template_versions": {"code": "RT-1"},
    "find_reply_templates": {
        "category": "product_quality",
        "channel": "phone",
        "language": "zh",
        "include_retired": True,
    },
}

_SERVICE_CALLS: dict[str, dict[str, Any]] = {
    "add": {
        "code": "RT-2",
        "title": "回访",
        "body": "{customer_name}您好,{handler} 将回访 {product}。",
        "by": "李工",
        "language": "zh",
        "category": "product_quality",
        "channel": "phone",
        "at": START,
    },
    "revise": {"code": "RT-1", "by": "李工", "at": START, "title": "受理通知"},
    "retire": {"code": "RT-1", "by": "李工", "at": START},
    "get": {"code": "RT-1"},
    "history": {"code": "RT-1"},
    "find": {"category": "product_quality", "channel": "phone", "language": "zh"},
    "due_at": {"ticket": _TICKET, "policy": POLICY, "at": START},
    "render": {"code": "RT-1", "ticket": _TICKET, "policy": POLICY, "at": START},
    "suggest": {"ticket": _TICKET, "policy": POLICY, "language": "zh", "limit": 3, "at": START},
}


def _store_method(method: str) -> Surface:
    def call(world: World, overrides: dict[str, Any]) -> Any:
        return getattr(world.store, method)(**{**_STORE_CALLS[method], **overrides})

    return Surface(f"store.{method}", call, parameters(getattr(MemoryStore, method)), stores=True)


def _service_method(method: str) -> Surface:
    def call(world: World, overrides: dict[str, Any]) -> Any:
        replies = ReplyTemplates(world.store, clock=FixedClock(START))
        return getattr(replies, method)(**{**_SERVICE_CALLS[method], **overrides})

    return Surface(
        f"replies.{method}", call, parameters(getattr(ReplyTemplates, method)), stores=True
    )


def _render(world: World, overrides: dict[str, Any]) -> Any:
    valid = {"template": SEEDED, "ticket": _TICKET, "due_at": START, "tz": "Asia/Shanghai"}
    return render_reply(**{**valid, "masking": None, **overrides})


def _construct(world: World, overrides: dict[str, Any]) -> Any:
    valid = {
        "code": "RT-3",
        "title": "受理确认",
        "body": "{customer_name}您好",
        "author": "李工",
        "updated_at": START,
        "language": "en",
        "category": "consultation",
        "channel": "email",
        "version": 2,
        "retired": True,
    }
    return ReplyTemplate(**{**valid, **overrides})


def reply_surfaces() -> list[Surface]:
    """The template store's methods, the service's, the renderer and the constructor."""
    return [
        *(_store_method(name) for name in _STORE_CALLS),
        *(_service_method(name) for name in _SERVICE_CALLS),
        Surface("render_reply", _render, parameters(render_reply)),
        Surface(
            "new ReplyTemplate",
            _construct,
            ("code", "title", "body", "author", "updated_at", "language", "category")
            + ("channel", "version", "retired"),
        ),
    ]
