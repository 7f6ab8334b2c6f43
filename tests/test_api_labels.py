"""The HTTP API labels tickets as the desk is configured: its priority scale, sub-statuses, attributes.

A real uvicorn server on 127.0.0.1 over a SQLite store whose desk has a
company's own three-level scale (一级/二级/三级), its own sub-status 待报价
and a declared attribute 设备序列号; every ticket view the API returns — one
ticket, the list, a command's answer — shows those labels, not the codes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import Request

from aftersales import ServiceDesk, WorkCalendar
from aftersales.api import Principal, create_app
from aftersales.api.local import LocalServer
from aftersales.model.attributes import AttributeDefinition
from aftersales.model.substatus import SubStatus, SubStatuses
from aftersales.priority_levels import PriorityLevel, PriorityScale
from aftersales.sla import SlaPolicy
from aftersales.storage import SQLiteStore

SCALE = PriorityScale(
    [
        PriorityLevel("p1", "一级", "level 1", reports_as="urgent"),
        PriorityLevel("p2", "二级", "level 2", reports_as="important"),
        PriorityLevel("p3", "三级", "level 3", reports_as="general"),
    ]
)
SUBSTATUSES = SubStatuses(
    [SubStatus("waiting_quote", "待报价", "waiting for a quote", under="analysing")]
)


def _auth(request: Request) -> Principal:
    return Principal("李工")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    path = tmp_path_factory.mktemp("labels") / "desk.db"
    with SQLiteStore(path) as store:
        store.declare_attribute(
            AttributeDefinition("serial_number", "设备序列号", "Serial number", kind="text")
        )
        policy = SlaPolicy.default(
            WorkCalendar.always("Asia/Shanghai"),
            priority_scale=SCALE,
            substatuses=SUBSTATUSES,
            default_priority="p2",
        )
        desk = ServiceDesk(store, sla=policy, priority_rules=None)
        with (
            LocalServer(create_app(desk, auth=_auth)) as running,
            httpx.Client(base_url=running.url, timeout=30) as opened,
        ):
            yield opened


def _labelled(view: dict[str, Any]) -> tuple[Any, ...]:
    shown = {a["name"]: (a["label_zh"], a["label_en"]) for a in view["attributes_shown"]}
    return (
        view["priority_label_zh"],
        view["priority_label_en"],
        view["substatus_label_zh"],
        shown.get("serial_number"),
    )


def test_every_ticket_view_carries_the_desks_labels(client: httpx.Client) -> None:
    body = {
        "customer": {"id": "C1", "name": "XX科技有限公司"},
        "channel": "phone",
        "category": "product_quality",
        "description": "开机后频繁死机",
        "occurred_at": "2026-10-09T08:30:00+08:00",
        "ticket_id": "T-LABEL-1",
        "attributes": {"serial_number": "SN-0001"},
    }
    created = client.post("/tickets", json=body)
    assert created.status_code == 201, created.text
    assert _labelled(created.json()) == ("二级", "level 2", None, ("设备序列号", "Serial number"))

    for command, payload in (
        ("acknowledge", {"note": "已联系客户"}),
        ("set_substatus", {"substatus": "waiting_quote", "reason": "等待厂家报价"}),
    ):
        answer = client.post(f"/tickets/T-LABEL-1/commands/{command}", json=payload)
        assert answer.status_code == 200, answer.text
    assert _labelled(answer.json()) == (
        "二级",
        "level 2",
        "待报价",
        ("设备序列号", "Serial number"),
    )

    one = client.get("/tickets/T-LABEL-1").json()
    listed = client.get("/tickets").json()["items"]
    assert _labelled(one) == _labelled(answer.json())
    assert [_labelled(v) for v in listed] == [_labelled(one)]
