"""The CRM example through a real HTTP server (uvicorn on 127.0.0.1) and httpx, on a temporary SQLite file.

Run with ``pytest examples/crm_embedding`` (``tests/test_examples.py`` runs it too).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pendulum
import pytest
from app import (
    RECEIVER_PATH,
    Inbox,
    alert_sender,
    alert_subscription,
    alerts_only,
    create_app,
    run_alerts,
)

from aftersales import FixedClock, ServiceDesk, SQLiteStore
from aftersales.api.local import LocalServer
from aftersales.model.events import TicketEvent
from aftersales.service.subscriptions import Subscription
from aftersales.webhooks import sign

NOW = pendulum.datetime(2026, 3, 2, 11, 50, tz="Asia/Shanghai")  # a Monday
SECRET = "crm-webhook-secret-2026"
PHONE = "13812345678"  # 张先生's phone in the CRM record
OPENING = {
    "channel": "phone",
    "category": "product_quality",
    "description": "开机后频繁死机",
    "occurred_at": "2026-03-02T11:30:00+08:00",
    "core_business_stopped": True,
}


class Crm:
    """The example app served on a free port, with handles on its desk and inbox."""

    def __init__(self, url: str, desk: ServiceDesk, inbox: Inbox, clock: FixedClock) -> None:
        self.url, self.desk, self.inbox, self.clock = url, desk, inbox, clock
        assert isinstance(desk.store, SQLiteStore)
        self.store: SQLiteStore = desk.store

    def as_user(self, login: str | None) -> httpx.Client:
        headers = {} if login is None else {"X-User": login}
        return httpx.Client(base_url=self.url, headers=headers, timeout=10)

    def open_ticket(self) -> str:
        with self.as_user("li") as http:
            created = http.post("/crm/customers/C202405001/tickets", json=OPENING)
        assert created.status_code == 201, created.text
        return str(created.json()["id"])

    def run_alerts(self, handler: Any = None, **options: Any) -> int:
        """Deliver the alerts after the checkpoint, as the served app's loop does."""
        with alert_sender(self.url, SECRET) as sender:
            if handler is None:
                subscription = alert_subscription(self.store, sender, **options)
            else:
                subscription = Subscription(self.store, "crm-alerts", handler(sender), **options)
            return subscription.run(until_idle=True)


@pytest.fixture
def crm(tmp_path: Path) -> Iterator[Crm]:
    clock = FixedClock(NOW)
    app = create_app(tmp_path / "crm.db", secret=SECRET, clock=clock)
    with LocalServer(app) as server:
        yield Crm(server.url, app.state.desk, app.state.inbox, clock)


# -- the mounted router, the CRM endpoint, the auth hook --------------------------------------


def test_a_ticket_opened_from_a_crm_record_runs_its_lifecycle_through_the_router(
    crm: Crm,
) -> None:
    with crm.as_user("li") as http:
        created = http.post("/crm/customers/C202405001/tickets", json=OPENING)
        assert created.status_code == 201, created.text
        ticket = created.json()
        assert (ticket["status"], ticket["priority"], ticket["handler"]) == (
            "received",
            "urgent",  # the core business stopped
            "李工",
        )
        assert ticket["contact"] == {
            "name": "张先生",
            "phone": "138****5678",
            "email": None,
            "role": "行政主管",
        }
        path = f"/aftersales/tickets/{ticket['id']}"
        assert created.headers["Location"] == path

        acknowledged = http.post(
            f"{path}/commands/acknowledge", json={}, headers={"If-Match": '"1"'}
        )
        assert (acknowledged.status_code, acknowledged.headers["ETag"]) == (200, '"2"')
        stale = http.post(
            f"{path}/commands/add_note", json={"text": "x"}, headers={"If-Match": '"1"'}
        )
        assert (stale.status_code, stale.json()["current_version"]) == (409, 2)
        http.post(
            f"{path}/commands/resolve_on_first_contact", json={"answer": "远程指导更换内存条"}
        )
        refused = http.post(f"{path}/commands/acknowledge", json={})
        assert refused.status_code == 409
        assert refused.json()["ticket_status"] == "awaiting_visit"
        assert "record_visit" in refused.json()["allowed_commands"]
        closed = http.post(f"{path}/commands/record_visit", json={"resolved": True, "score": 5})
        assert closed.json()["status"] == "closed"

        history = http.get(f"{path}/history").json()
    assert [(e["type"], e["by"]) for e in history] == [
        ("ticket_opened", "李工"),
        ("acknowledged", "李工"),
        ("resolved_on_first_contact", "李工"),
        ("visit_recorded", "李工"),
    ]


@pytest.mark.parametrize(
    ("login", "customer", "changes", "status", "error", "words"),
    [
        ("li", "C404", {}, 404, "NotFound", "C404"),
        ("li", "C202405001", {"channel": "fax"}, 422, "UnknownValue", "fax"),
        (
            "li",
            "C202405001",
            {"occurred_at": "2026-03-02T11:30:00"},
            422,
            "NaiveDatetimeError",
            "occurred_at",
        ),
        ("li", "C202405001", {"description": 7}, 422, "InvalidData", "body.description"),
        ("zhao", "C202405001", {}, 403, "NotPermitted", "赵会计"),
        (None, "C202405001", {}, 401, "NotAuthenticated", "X-User"),
        ("mallory", "C202405001", {}, 401, "NotAuthenticated", "X-User"),
    ],
)
def test_the_crm_endpoint_refuses_with_the_apis_problems_and_stores_nothing(
    crm: Crm,
    login: str | None,
    customer: str,
    changes: dict[str, Any],
    status: int,
    error: str,
    words: str,
) -> None:
    with crm.as_user(login) as http:
        answer = http.post(f"/crm/customers/{customer}/tickets", json={**OPENING, **changes})
    assert answer.status_code == status, answer.text
    assert answer.json()["error"] == error
    assert words in answer.json()["message"]
    assert crm.store.feed_head() == 0


def test_the_auth_hook_guards_the_mounted_router(crm: Crm) -> None:
    ticket = crm.open_ticket()
    path = f"/aftersales/tickets/{ticket}"
    with crm.as_user(None) as anonymous:
        missing = anonymous.get(path)
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    with crm.as_user("zhao") as viewer:
        assert viewer.get(path).json()["version"] == 1  # a viewer reads
        refused = viewer.post(f"{path}/commands/acknowledge", json={})
    assert (refused.status_code, refused.json()["error"]) == (403, "NotPermitted")
    assert crm.desk.get(ticket).version == 1


def test_a_supervisor_reveals_for_a_callback_recorded_while_agents_see_masks(crm: Crm) -> None:
    ticket = crm.open_ticket()
    path = f"/aftersales/tickets/{ticket}"
    with crm.as_user("li") as agent, crm.as_user("wang") as supervisor:
        denied = agent.post(f"{path}/contact/reveal", json={"purpose": "回访"})
        curious = supervisor.post(f"{path}/contact/reveal", json={"purpose": "好奇"})
        assert [denied.status_code, curious.status_code] == [403, 403]
        assert denied.json()["error"] == "AccessDenied"
        assert crm.desk.get(ticket).version == 1  # a refusal records nothing

        revealed = supervisor.post(f"{path}/contact/reveal", json={"purpose": "回访"})
        assert revealed.status_code == 200, revealed.text
        assert revealed.json()["contact"]["phone"] == PHONE

        last = agent.get(f"{path}/history").json()[-1]
        assert (last["type"], last["by"], last["purpose"]) == ("contact_revealed", "王经理", "回访")
        for shown in (
            agent.get(path),
            agent.get(f"{path}/history"),
            agent.get("/aftersales/events"),
        ):
            assert PHONE not in shown.text
        assert agent.get(path).json()["contact"]["phone"] == "138****5678"


def test_the_openapi_document_holds_the_router_the_schemas_and_the_crm_endpoint(
    crm: Crm,
) -> None:
    document = httpx.get(f"{crm.url}/openapi.json").json()
    paths = document["paths"]
    assert "/aftersales/tickets/{ticket_id}/commands/record_visit" in paths
    assert "/crm/customers/{customer_id}/tickets" in paths
    assert RECEIVER_PATH not in paths
    assert "aftersales.views.ticket_view" in document["components"]["schemas"]
    parameters = paths["/aftersales/tickets/{ticket_id}"]["get"]["parameters"]
    assert {"name": "x-user", "in": "header"}.items() <= next(
        p for p in parameters if p["in"] == "header"
    ).items()


# -- the alerts: a subscription posting to the CRM's webhook receiver -------------------------


def breach_due(crm: Crm) -> str:
    """An urgent ticket whose first response (30 working minutes, lunch skipped) is overdue."""
    ticket = crm.open_ticket()
    crm.clock.set(NOW.set(hour=14))  # due 13:50
    notices = crm.desk.sweep_sla()
    assert [n.breach for n in notices if n.metric == "first_response"][-1]
    return ticket


def test_a_breach_reaches_the_receiver_signed_exactly_once(crm: Crm) -> None:
    ticket = breach_due(crm)
    crm.run_alerts()
    assert crm.inbox.requests == 1
    [alert] = crm.inbox.alerts.values()  # the opening and other events are not alerts
    assert (alert["type"], alert["event"]["ticket_id"]) == ("sla_breached", ticket)
    assert alert["event"]["metric"] == "first_response"
    with crm.as_user("wang") as http:
        assert http.get("/crm/alerts").json() == [alert]

    crm.desk.sweep_sla()  # nothing new is due
    assert crm.run_alerts() == 0
    assert crm.inbox.requests == 1
    assert crm.store.checkpoint("crm-alerts") == crm.store.feed_head()


def test_low_score_visits_are_alerts_and_good_ones_are_not(crm: Crm) -> None:
    for score in (2, 5):
        ticket = crm.open_ticket()
        crm.desk.execute("resolve_on_first_contact", ticket, {"answer": "已处理"}, by="李工")
        crm.desk.execute("record_visit", ticket, {"resolved": True, "score": score}, by="王经理")
    crm.run_alerts()
    assert [(a["type"], a["event"]["score"]) for a in crm.inbox.alerts.values()] == [
        ("visit_recorded", 2)
    ]


def test_a_receiver_outage_is_retried_from_the_checkpoint(
    crm: Crm, monkeypatch: pytest.MonkeyPatch
) -> None:
    breach_due(crm)
    before = crm.store.feed_head()
    breach = next(p for p, e in crm.store.events_since(0) if e.type == "sla_breached")
    failures = [OSError("disk full")] * 2  # both quick attempts of the sender's first call
    take = crm.inbox.take

    def flaky_take(delivery: dict[str, Any]) -> None:
        if failures:
            raise failures.pop()
        take(delivery)

    monkeypatch.setattr(crm.inbox, "take", flaky_take)
    checkpoints: list[int] = []
    crm.run_alerts(sleep=lambda seconds: checkpoints.append(crm.store.checkpoint("crm-alerts")))

    assert checkpoints == [breach - 1]  # the subscription waited with the breach undelivered
    assert [a["type"] for a in crm.inbox.alerts.values()] == ["sla_breached"]
    assert crm.store.checkpoint("crm-alerts") == before
    assert crm.store.dead_letters("crm-alerts") == []


def test_a_crash_before_the_checkpoint_moves_delivers_again_and_the_receiver_drops_it(
    crm: Crm,
) -> None:
    breach_due(crm)

    def send_then_crash(send: Any) -> Any:
        def handler(position: int, event: TicketEvent) -> None:
            send(position, event)
            raise SystemExit("killed after sending")

        return alerts_only(handler)

    with pytest.raises(SystemExit):
        crm.run_alerts(handler=send_then_crash)
    assert crm.inbox.requests == 1
    assert crm.store.checkpoint("crm-alerts") < crm.store.feed_head()

    crm.run_alerts()  # the restarted process resumes from the checkpoint
    assert crm.inbox.requests == 2  # the same delivery again (at least once) ...
    assert len(crm.inbox.alerts) == 1  # ... kept once, by its delivery id
    assert crm.store.checkpoint("crm-alerts") == crm.store.feed_head()


def test_the_receiver_refuses_unsigned_forged_and_stale_notices(crm: Crm) -> None:
    body = b'{"id":"T1:9","type":"sla_breached"}'
    now = int(time.time())
    attempts = [
        {},
        {"X-Aftersales-Timestamp": str(now), "X-Aftersales-Signature": sign("x" * 16, now, body)},
        {
            "X-Aftersales-Timestamp": str(now - 600),
            "X-Aftersales-Signature": sign(SECRET, now - 600, body),
        },
    ]
    for headers in attempts:
        answer = httpx.post(f"{crm.url}{RECEIVER_PATH}", content=body, headers=headers)
        assert answer.status_code == 401
    assert (crm.inbox.requests, crm.inbox.alerts) == (0, {})
    signed = {"X-Aftersales-Timestamp": str(now), "X-Aftersales-Signature": sign(SECRET, now, body)}
    assert httpx.post(f"{crm.url}{RECEIVER_PATH}", content=body, headers=signed).status_code == 204


def test_the_served_apps_loop_sweeps_and_delivers(crm: Crm) -> None:
    crm.open_ticket()
    crm.clock.set(NOW.set(hour=14))
    stop = threading.Event()
    loop = threading.Thread(target=run_alerts, args=(crm.desk, crm.store, crm.url, SECRET, stop))
    loop.start()
    try:
        deadline = time.monotonic() + 20
        while not crm.inbox.alerts and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        loop.join(timeout=20)
    assert [a["type"] for a in crm.inbox.alerts.values()] == ["sla_breached"]
    assert not loop.is_alive()
