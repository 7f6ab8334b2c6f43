"""The CRM example's HTTP API, through FastAPI's TestClient, on a temporary SQLite file.

Run with ``pytest examples/crm_embedding`` (the main suite runs it from
``tests/test_examples.py``).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest

with warnings.catch_warnings():  # newer Starlette prefers httpx2 to httpx for its TestClient
    warnings.filterwarnings("ignore", message="Using `httpx` with", category=Warning)
    from fastapi.testclient import TestClient

from app import create_app

from aftersales import FixedClock

NOW = pendulum.datetime(2026, 3, 2, 11, 50, tz="Asia/Shanghai")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def client(tmp_path: Path, clock: FixedClock) -> Iterator[TestClient]:
    with TestClient(create_app(tmp_path / "crm.db", clock=clock)) as client:
        yield client


def open_body(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "ticket_id": "T1",
        "customer_id": "C202405001",
        "customer_name": "XX科技有限公司",
        "channel": "phone",
        "category": "product_quality",
        "description": "开机后频繁死机",
        "occurred_at": "2026-03-02T11:30:00+08:00",
        "by": "李工",
        "core_business_stopped": True,
    }
    body.update(changes)
    return body


def test_open_get_and_list(client: TestClient) -> None:
    created = client.post("/tickets", json=open_body())
    assert created.status_code == 201, created.text
    ticket = created.json()
    assert (ticket["id"], ticket["status"], ticket["priority_zh"]) == ("T1", "received", "紧急")
    assert [e["command"] for e in ticket["history"]] == ["open_ticket"]
    client.post("/tickets", json=open_body(ticket_id="T2", channel="邮件", priority="general"))

    assert client.get("/tickets/T1").json()["customer_name"] == "XX科技有限公司"
    assert [t["id"] for t in client.get("/tickets").json()] == ["T1", "T2"]
    assert [t["id"] for t in client.get("/tickets", params={"priority": "紧急"}).json()] == ["T1"]
    assert client.get("/tickets", params={"customer_id": "C9"}).json() == []


def test_lifecycle_commands_and_sla(client: TestClient, clock: FixedClock) -> None:
    client.post("/tickets", json=open_body())
    clocks = {c["metric"]: c for c in client.get("/tickets/T1/sla").json()["clocks"]}
    assert clocks["first_response"]["state"] == "running"
    assert clocks["first_response"]["due_at"] == "2026-03-02T13:50:00+08:00"  # lunch skipped

    clock.set(NOW.add(minutes=10))
    acknowledged = client.post("/tickets/T1/acknowledge", json={"by": "李工"}).json()
    assert acknowledged["status"] == "analysing"
    resolved = client.post(
        "/tickets/T1/resolve", json={"by": "李工", "answer": "远程指导更换内存条"}
    )
    assert resolved.json()["status_zh"] == "待回访"

    clocks = {c["metric"]: c for c in client.get("/tickets/T1/sla").json()["clocks"]}
    assert clocks["first_response"]["state"] == "met"
    assert clocks["first_response"]["elapsed_seconds"] == 600
    assert clocks["return_visit"]["state"] == "running"


def test_the_database_keeps_the_tickets(tmp_path: Path, clock: FixedClock) -> None:
    with TestClient(create_app(tmp_path / "crm.db", clock=clock)) as first:
        first.post("/tickets", json=open_body())
    with TestClient(create_app(tmp_path / "crm.db", clock=clock)) as second:
        assert second.get("/tickets/T1").json()["version"] == 1


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "error", "words"),
    [
        ("get", "/tickets/T404", None, 404, "NotFound", "T404"),
        ("post", "/tickets/T404/acknowledge", {"by": "x"}, 404, "NotFound", "T404"),
        ("post", "/tickets", open_body(), 409, "DuplicateId", "T1"),
        ("post", "/tickets", open_body(ticket_id="T3", channel="fax"), 422, "UnknownValue", "fax"),
        (
            "post",
            "/tickets",
            open_body(ticket_id="T3", occurred_at="2026-03-02T11:30:00"),
            422,
            "NaiveDatetimeError",
            "occurred_at",
        ),
        ("get", "/tickets?status=lost", None, 422, "UnknownValue", "lost"),
    ],
)
def test_errors_become_http_errors_with_their_message(
    client: TestClient,
    method: str,
    path: str,
    body: dict[str, object] | None,
    status: int,
    error: str,
    words: str,
) -> None:
    client.post("/tickets", json=open_body())
    response = client.request(method.upper(), path, json=body)
    assert response.status_code == status, response.text
    assert response.json()["error"] == error
    assert words in response.json()["detail"]


def test_a_refused_command_is_a_conflict_naming_the_allowed_ones(client: TestClient) -> None:
    client.post("/tickets", json=open_body())
    client.post("/tickets/T1/resolve", json={"by": "李工", "answer": "已解决"})
    response = client.post("/tickets/T1/acknowledge", json={"by": "李工"})
    assert response.status_code == 409
    assert response.json()["error"] == "InvalidTransition"
    assert "record_visit" in response.json()["detail"]  # the commands that are allowed
    assert client.get("/tickets/T1").json()["version"] == 2  # nothing written
