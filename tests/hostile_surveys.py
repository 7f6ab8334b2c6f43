"""The surveys' surfaces of the hostile-input table (see :mod:`tests.hostile_surface`).

The five survey and installed-base methods on the world's store (memory,
SQLite in memory, SQLite file) and the ``SurveyResponse`` constructor, each
with one valid call. The world holds the survey ``S-1`` (about ticket
``T1``) and the installed base of the B-model robot (``World.reset``).
"""

from __future__ import annotations

from typing import Any

from aftersales import MemoryStore
from aftersales.kpi import SurveyResponse
from aftersales.testing.contracts import make_survey
from tests.helpers import START
from tests.hostile_surface import Surface, World, parameters

_STORE_CALLS: dict[str, dict[str, Any]] = {
    "save_survey": {"survey": make_survey("S-2", 30, nps=3, comment="没修好")},
    "get_survey": {"survey_id": "S-1"},
    "find_surveys": {
        "start": START,
        "end": START.add(months=1),
        "ticket_id": "T1",
        "customer_id": "C1",
    },
    "save_installed_base": {"units": {"A型智能办公设备": 6000}},
    "find_installed_base": {},
}

_SURVEY = {
    "id": "S-3",
    "at": START,
    "channel": "wechat",
    "recorded_by": "李娜",
    "customer_id": "C1",
    "ticket_id": "T1",
    "nps": 9,
    "satisfaction": 4,
    "dimensions": {"服务态度": 5, "解决效果": 4},
    "comment": "希望增加夜间热线",
    "feedback_class": "suggestion",
}


def _store_method(method: str) -> Surface:
    def call(world: World, overrides: dict[str, Any]) -> Any:
        return getattr(world.store, method)(**{**_STORE_CALLS[method], **overrides})

    return Surface(f"store.{method}", call, parameters(getattr(MemoryStore, method)), stores=True)


def survey_surfaces() -> list[Surface]:
    """The store's survey and installed-base methods, and the ``SurveyResponse`` constructor."""

    def construct(world: World, overrides: dict[str, Any]) -> Any:
        return SurveyResponse(**{**_SURVEY, **overrides})

    return [
        *(_store_method(name) for name in _STORE_CALLS),
        Surface("new SurveyResponse", construct, tuple(_SURVEY)),
    ]
