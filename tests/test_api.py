"""The HTTP API against a real uvicorn server on 127.0.0.1, over a SQLite store, with httpx.

Expected values come from the rules (the lifecycle table, the documented error
mapping, the masking rule), never from the code under test.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pendulum
import pytest
from fastapi import Request
from hypothesis import HealthCheck, given, settings

from aftersales import AftersalesError, ServiceDesk, SlaPolicy, StorageError, WorkCalendar
from aftersales.api import NotAuthenticated, Principal, create_app, problem
from aftersales.api.local import LocalServer
from aftersales.knowledge import KnowledgeArticle
from aftersales.model import Contact
from aftersales.service.commands import COMMANDS
from aftersales.service.knowledge_base import KnowledgeBase
from aftersales.storage import SQLiteStore
from aftersales.testing.strategies import contacts
from aftersales.views import AllowedViewers

CALENDAR = WorkCalendar.always("Asia/Shanghai")
PHONE = "13987654321"
EMAIL = "li.lei@example.com"


#: The host's users by the login its front end sends in X-User.
USERS = {
    "li": Principal("李工"),
    "boss": Principal("主管"),
    "reader": Principal("访客", may_write=False),
}


def host_auth(request: Request) -> Principal:
    """A host's hook: the user whose login X-User holds."""
    user = USERS.get(request.headers.get("X-User", ""))
    if user is None:
        raise NotAuthenticated("no known X-User header")
    return user


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteStore]:
    path = tmp_path_factory.mktemp("api") / "desk.db"
    with SQLiteStore(path) as opened:
        yield opened


@pytest.fixture(scope="module")
def desk(store: SQLiteStore) -> ServiceDesk:
    return ServiceDesk(store, sla=SlaPolicy.default(CALENDAR))


@pytest.fixture(scope="module")
def server(desk: ServiceDesk, store: SQLiteStore) -> Iterator[str]:
    knowledge = KnowledgeBase(store)
    knowledge.add(
        KnowledgeArticle(
            id="KB-1",
            title="打印机卡纸处理",
            symptoms="打印机频繁卡纸",
            root_cause="进纸辊磨损",
            solution_steps=("更换进纸辊", "备件不足时联系仓库王工 13912345678"),
            category="product_quality",
            created_at=pendulum.datetime(2024, 5, 1, tz="UTC"),
            created_by="王工",
        )
    )
    knowledge.publish("KB-1", by="王经理")
    app = create_app(
        desk,
        auth=host_auth,
        access=AllowedViewers({"主管"}, purposes={"回访"}),
        calendar=CALENDAR,
        poll_interval=0.05,
    )
    with LocalServer(app) as running:
        yield running.url


@pytest.fixture(scope="module")
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, headers={"X-User": "li"}, timeout=30) as opened:
        yield opened


@pytest.fixture(scope="module")
def openapi(client: httpx.Client) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def conforms(document: dict[str, Any], component: str, instance: Any) -> None:
    """``instance`` is valid against ``#/components/schemas/<component>`` of the OpenAPI document."""
    root = {"$ref": f"#/components/schemas/{component}", "components": document["components"]}
    validator = jsonschema.Draft202012Validator(
        root, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]
    assert not errors, errors[:5]


_counter = iter(range(1, 1_000_000))


def open_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "customer": {
            "id": "C1",
            "name": "XX科技有限公司",
            "contacts": [{"name": "李雷", "phone": PHONE, "email": EMAIL}],
        },
        "channel": "phone",
        "category": "product_quality",
        "description": f"开机后频繁死机,回电 {PHONE}",
        "occurred_at": "2026-10-09T08:30:00+08:00",
        "ticket_id": f"T-API-{next(_counter)}",
    }
    body.update(overrides)
    return body


def opened(client: httpx.Client, **overrides: Any) -> dict[str, Any]:
    response = client.post("/tickets", json=open_body(**overrides))
    assert response.status_code == 201, response.text
    view: dict[str, Any] = response.json()
    return view


def run(
    client: httpx.Client, ticket_id: str, command: str, body: Any, **headers: str
) -> httpx.Response:
    return client.post(f"/tickets/{ticket_id}/commands/{command}", json=body, headers=headers)


# -- the lifecycle -------------------------------------------------------------------------


def test_a_ticket_goes_through_its_lifecycle_by_the_command_endpoints(
    client: httpx.Client, openapi: dict[str, Any], store: SQLiteStore
) -> None:
    response = client.post("/tickets", json=open_body(ticket_id="T-LIFE"))
    assert response.status_code == 201
    assert response.headers["location"] == "/tickets/T-LIFE"
    assert response.headers["etag"] == '"1"'
    assert response.json()["status"] == "received"
    assert response.json()["handler"] == "李工"  # the principal's name is the operator
    deadline = pendulum.now("UTC").add(days=2).isoformat()
    steps = [
        ("acknowledge", {}, "analysing"),
        ("record_analysis", {"finding": "内存校验错误"}, "analysing"),
        (
            "propose_solution",
            {
                "summary": "更换内存",
                "steps": [{"action": "上门更换", "executor": "王工", "deadline": deadline}],
            },
            "awaiting_confirmation",
        ),
        ("record_agreement", {"words": "同意方案"}, "in_progress"),
        ("record_progress", {"result": "已更换"}, "in_progress"),
        ("finish_execution", {"summary": "已修复"}, "awaiting_visit"),
        ("record_visit", {"resolved": True, "score": 5, "comment": "满意"}, "closed"),
    ]
    for version, (command, payload, status) in enumerate(steps, start=1):
        done = run(client, "T-LIFE", command, payload, **{"If-Match": f'"{version}"'})
        assert done.status_code == 200, (command, done.text)
        view = done.json()
        assert (view["status"], view["version"]) == (status, version + 1)
        assert done.headers["etag"] == f'"{version + 1}"'
        conforms(openapi, "aftersales.views.ticket_view", view)
    history = client.get("/tickets/T-LIFE/history")
    assert history.status_code == 200
    types = [event["type"] for event in history.json()]
    assert len(types) == len(steps) + 1
    assert types[0] == "ticket_opened"
    assert {event["by"] for event in history.json()} == {"李工"}
    conforms(openapi, "aftersales.views.history_view", history.json())
    final = client.get("/tickets/T-LIFE").json()
    assert final["allowed_commands"] == list(store.get("T-LIFE").allowed_commands())
    assert "reopen" in final["allowed_commands"]


# -- errors --------------------------------------------------------------------------------


def _unchanged(client: httpx.Client, ticket_id: str, version: int) -> None:
    assert client.get(f"/tickets/{ticket_id}").json()["version"] == version


def test_each_error_maps_to_its_documented_status_and_body(
    client: httpx.Client, server: str, openapi: dict[str, Any]
) -> None:
    ticket = opened(client)["id"]
    bodies = []

    missing = client.get("/tickets/NO-SUCH")
    assert missing.status_code == 404
    assert (missing.json()["error"], missing.json()["kind"], missing.json()["key"]) == (
        "NotFound",
        "ticket",
        "NO-SUCH",
    )
    bodies.append(missing)

    refused = run(client, ticket, "finish_execution", {"summary": "x"})
    assert refused.status_code == 409
    body = refused.json()
    assert body["error"] == "InvalidTransition"
    assert body["ticket_status"] == "received"
    # the lifecycle table: RECEIVED allows acknowledge, resolve_on_first_contact, cancel, ...
    assert {"acknowledge", "resolve_on_first_contact", "cancel", "add_note"} <= set(
        body["allowed_commands"]
    )
    assert "finish_execution" not in body["allowed_commands"]
    bodies.append(refused)

    stale = run(client, ticket, "add_note", {"text": "n"}, **{"If-Match": '"7"'})
    assert stale.status_code == 409
    assert (
        stale.json()["error"],
        stale.json()["expected_version"],
        stale.json()["current_version"],
    ) == (
        "ConcurrencyError",
        7,
        1,
    )
    assert "acknowledge" in stale.json()["allowed_commands"]
    bodies.append(stale)

    bad = run(client, ticket, "add_note", {"txt": "n"})
    assert bad.status_code == 422
    assert bad.json()["error"] == "InvalidData"
    assert {p["path"] for p in bad.json()["problems"]} == {"payload['txt']", "payload['text']"}
    bodies.append(bad)

    score = run(client, ticket, "record_visit", {"resolved": True, "score": 9})
    assert score.status_code == 422
    assert score.json()["problems"][0]["path"] == "score"
    assert "from 1 to 5" in score.json()["problems"][0]["message"]

    malformed = client.post(
        f"/tickets/{ticket}/commands/add_note",
        content=b'{"text": ',
        headers={"content-type": "application/json"},
    )
    assert malformed.status_code == 422
    assert malformed.json()["problems"][0]["path"] == "body"

    for header in ('"x"', "3;", "W/"):
        etag = run(client, ticket, "add_note", {"text": "n"}, **{"If-Match": header})
        assert etag.status_code == 422
        assert etag.json()["problems"][0]["path"] == "header.If-Match"

    paging = client.get("/tickets", params={"limit": 0})
    assert paging.status_code == 422
    assert paging.json()["problems"][0]["path"] == "query.limit"
    naive = client.get("/tickets", params={"received_from": "2026-10-01T00:00"})
    assert naive.status_code == 422
    assert naive.json()["problems"][0]["path"] == "query.received_from"
    unknown = client.get("/tickets", params={"status": "done"})
    assert unknown.status_code == 422
    assert "accepted" in unknown.json()["message"]

    duplicate = client.post("/tickets", json=open_body(ticket_id=ticket))
    assert duplicate.status_code == 409, duplicate.text

    reader = run(client, ticket, "add_note", {"text": "n"}, **{"X-User": "reader"})
    assert reader.status_code == 403
    assert reader.json()["error"] == "NotPermitted"
    bodies.append(reader)

    denied = client.post(f"/tickets/{ticket}/contact/reveal", json={"purpose": "好奇"})
    assert denied.status_code == 403
    assert denied.json()["error"] == "AccessDenied"
    bodies.append(denied)

    anonymous = httpx.get(f"{server}/tickets/{ticket}")
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"] == "Bearer"
    bodies.append(anonymous)

    _unchanged(client, ticket, 1)  # none of the refusals wrote anything
    for response in bodies:
        conforms(openapi, "aftersales.api.Problem", response.json())
        assert PHONE not in response.text
        assert EMAIL not in response.text


def test_errors_outside_the_named_classes_map_to_400_and_storage_failures_to_503() -> None:
    assert problem(AftersalesError("refused"))[0] == 400
    assert problem(StorageError("locked"))[0] == 503


def test_a_granted_reveal_shows_the_contact_and_is_recorded(client: httpx.Client) -> None:
    ticket = opened(client)["id"]
    shown = client.post(
        f"/tickets/{ticket}/contact/reveal", json={"purpose": "回访"}, headers={"X-User": "boss"}
    )
    assert shown.status_code == 200, shown.text
    assert shown.json()["contact"]["phone"] == PHONE
    assert shown.json()["contact_masked"] is False
    history = client.get(f"/tickets/{ticket}/history").json()
    assert (history[-1]["type"], history[-1]["by"], history[-1]["purpose"]) == (
        "contact_revealed",
        "主管",
        "回访",
    )
    assert PHONE not in json.dumps(client.get(f"/tickets/{ticket}").json(), ensure_ascii=False)


# -- masking -------------------------------------------------------------------------------


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(contact=contacts().filter(lambda c: c.phone is not None or c.email is not None))
def test_no_response_shows_a_raw_contact(client: httpx.Client, contact: Contact) -> None:
    raw = [value for value in (contact.phone, contact.email) if value]
    customer = {
        "id": "C-H",
        "name": "某公司",
        "contacts": [
            {
                "name": contact.name,
                "phone": contact.phone,
                "email": contact.email,
                "role": contact.role,
            }
        ],
    }
    start = client.get("/events", params={"after": 0, "limit": 1}).json()["head"]
    ticket = opened(
        client, customer=customer, description=f"客户留言:{' / '.join(raw)}", customer_words=raw[0]
    )["id"]
    assert run(client, ticket, "add_note", {"text": f"再次来电 {raw[-1]}"}).status_code == 200
    responses = [
        client.get(f"/tickets/{ticket}"),
        client.get(f"/tickets/{ticket}/history"),
        client.get("/tickets", params={"customer_id": "C-H", "limit": 500}),
        client.get("/events", params={"after": start, "limit": 100}),
        run(client, ticket, "finish_execution", {"summary": raw[0]}),  # refused: 409 body
        client.post(f"/tickets/{ticket}/contact/reveal", json={"purpose": "好奇"}),  # 403 body
    ]
    for response in responses:
        for value in raw:
            assert value not in response.text, (response.request.url, value)


# -- paging, reports, worklist, knowledge ------------------------------------------------------


def test_keyset_pages_cover_every_match_once_in_received_order(
    client: httpx.Client, store: SQLiteStore
) -> None:
    customer = {"id": "C-PAGE", "name": "分页客户"}
    made = [
        opened(client, customer=customer, occurred_at="2026-10-08T08:00:00+08:00")["id"]
        for _ in range(7)
    ]
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        params: dict[str, Any] = {"customer_id": "C-PAGE", "limit": 3}
        if after is not None:
            params["after_id"] = after
        page = client.get("/tickets", params=params).json()
        seen += [item["id"] for item in page["items"]]
        pages += 1
        after = page["next_after_id"]
        if after is None:
            break
    assert pages == 3
    assert sorted(seen) == sorted(made)
    assert len(seen) == len(set(seen))
    received = {ticket_id: store.get(ticket_id).received_at for ticket_id in made}
    assert seen == sorted(made, key=lambda i: (received[i], i))
    assert (
        client.get("/tickets", params={"customer_id": "C-PAGE", "status": "analysing"}).json()[
            "items"
        ]
        == []
    )


def test_reports_come_as_json_markdown_and_html(
    client: httpx.Client, openapi: dict[str, Any]
) -> None:
    month = pendulum.now("Asia/Shanghai").format("YYYY-MM")
    as_json = client.get("/reports/monthly", params={"period": month})
    assert as_json.status_code == 200, as_json.text
    conforms(openapi, "aftersales.views.report_view", as_json.json())
    assert (as_json.json()["kind"], as_json.json()["period"]) == ("monthly", month)
    assert as_json.json()["figures"]["received"] >= 1
    markdown = client.get(
        "/reports/monthly", params={"period": month, "format": "md", "lang": "en"}
    )
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.text.startswith("#")
    page = client.get(
        "/reports/daily",
        params={"period": pendulum.now("Asia/Shanghai").to_date_string(), "format": "html"},
    )
    assert page.headers["content-type"].startswith("text/html")
    assert "<html" in page.text.lower()
    week = client.get("/reports/weekly", params={"period": "2026-13"})
    assert week.status_code == 422


def test_the_worklist_lists_open_tickets_by_due_time_with_their_alerts(
    client: httpx.Client, openapi: dict[str, Any]
) -> None:
    opened(client, priority="urgent")
    far = pendulum.now("UTC").add(years=1).isoformat()
    listed = client.get("/sla/worklist", params={"due_before": far, "limit": 500})
    assert listed.status_code == 200, listed.text
    conforms(openapi, "aftersales.api.WorklistPage", listed.json())
    items = listed.json()["items"]
    assert items
    assert all(item["ticket"]["status"] not in ("closed", "cancelled") for item in items)
    assert all(item["alerts"] for item in items)  # every open ticket's clocks breach within a year
    firsts = [min(alert["at"] for alert in item["alerts"] if alert["breach"]) for item in items]
    assert firsts  # due order is the store's; the breaches are real instants
    assert client.get("/sla/worklist").status_code == 422


def test_knowledge_search_finds_the_published_article(
    client: httpx.Client, openapi: dict[str, Any]
) -> None:
    found = client.get("/knowledge/search", params={"q": "打印机 卡纸"})
    assert found.status_code == 200, found.text
    conforms(openapi, "aftersales.api.KnowledgeHits", found.json())
    assert [hit["article"]["id"] for hit in found.json()["items"]] == ["KB-1"]
    # a number written into an article goes out masked
    assert (
        found.json()["items"][0]["article"]["solution_steps"][1]
        == "备件不足时联系仓库王工 139****5678"
    )
    assert "13912345678" not in found.text
    assert client.get("/knowledge/search", params={"q": "空调 制冷"}).json()["items"] == []


# -- the event feed ------------------------------------------------------------------------------


def test_feed_pages_are_gap_free_and_end_at_the_head(
    client: httpx.Client, store: SQLiteStore, openapi: dict[str, Any]
) -> None:
    opened(client)
    positions: list[int] = []
    after = 0
    while True:
        page = client.get("/events", params={"after": after, "limit": 7}).json()
        conforms(openapi, "aftersales.api.EventPage", page)
        positions += [item["position"] for item in page["items"]]
        if not page["items"]:
            break
        after = page["next_after"]
    assert positions == list(range(1, store.feed_head() + 1))
    stored = [(p, e.ticket_id, e.seq) for p, e in store.events_since(0, limit=10_000)]
    listed = client.get("/events", params={"after": 0, "limit": 1000}).json()["items"]
    assert [(i["position"], i["event"]["ticket_id"], i["event"]["seq"]) for i in listed] == stored[
        :1000
    ]


def _sse(lines: Iterator[str], count: int) -> list[dict[str, Any]]:
    """The next ``count`` events of a stream, each as its fields."""
    events: list[dict[str, Any]] = []
    fields: dict[str, Any] = {}
    for line in lines:
        if line == "":
            if "id" in fields:
                events.append(fields)
                if len(events) == count:
                    return events
            fields = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(": ")
            fields[name] = value
    return events


def test_the_stream_resumes_after_the_last_event_id_and_sends_new_events(
    client: httpx.Client, store: SQLiteStore
) -> None:
    head = store.feed_head()
    assert head >= 3
    with client.stream("GET", "/events/stream", params={"after": 0}) as stream:
        first = _sse(stream.iter_lines(), 3)
    assert [int(event["id"]) for event in first] == [1, 2, 3]
    assert json.loads(first[0]["data"])["event"]["type"] == first[0]["event"] == "ticket_opened"
    with client.stream(
        "GET", "/events/stream", headers={"Last-Event-ID": first[-1]["id"]}
    ) as stream:
        lines = stream.iter_lines()
        resumed = _sse(lines, head - 3)
        assert [int(event["id"]) for event in resumed] == list(range(4, head + 1))
        ticket = opened(client)["id"]  # committed while the stream waits
        live = _sse(lines, 1)
    assert (int(live[0]["id"]), json.loads(live[0]["data"])["event"]["ticket_id"]) == (
        head + 1,
        ticket,
    )
    bad = client.get("/events/stream", headers={"Last-Event-ID": "abc"})
    assert bad.status_code == 422
    assert bad.json()["problems"][0]["path"] == "header.Last-Event-ID"


# -- OpenAPI ---------------------------------------------------------------------------------


BARE = {"type": "object", "additionalProperties": True}


def _bare_objects(value: Any, path: str = "") -> list[str]:
    found = []
    if isinstance(value, dict):
        if {k: v for k, v in value.items() if k not in ("title", "description")} == BARE:
            found.append(path)
        for key, item in value.items():
            found += _bare_objects(item, f"{path}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _bare_objects(item, f"{path}/{index}")
    return found


def test_openapi_refers_to_the_real_schemas(openapi: dict[str, Any]) -> None:
    components = openapi["components"]["schemas"]
    ticket = openapi["paths"]["/tickets/{ticket_id}"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    assert ticket == {"$ref": "#/components/schemas/aftersales.views.ticket_view"}
    assert set(components["aftersales.views.ticket_view"]["required"]) >= {
        "id",
        "status",
        "contact",
        "allowed_commands",
    }
    for name in COMMANDS:
        operation = openapi["paths"][f"/tickets/{{ticket_id}}/commands/{name}"]["post"]
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        assert body == {"$ref": f"#/components/schemas/aftersales.commands.{name}"}
        schema = components[f"aftersales.commands.{name}"]
        assert schema["additionalProperties"] is False
        assert set(schema["properties"]) == set(COMMANDS[name].arguments)
    opening = openapi["paths"]["/tickets"]["post"]["requestBody"]["content"]["application/json"][
        "schema"
    ]
    assert opening == {"$ref": "#/components/schemas/aftersales.api.OpenTicketRequest"}
    assert _bare_objects(openapi) == []
    refs = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(openapi)))
    assert refs <= set(components)  # every reference resolves
    jsonschema.Draft202012Validator.check_schema(
        {
            "components": openapi["components"],
            "$ref": "#/components/schemas/aftersales.views.ticket_view",
        }
    )


def test_import_aftersales_does_not_import_fastapi() -> None:
    code = "import sys, aftersales; print(sorted(m for m in ('fastapi', 'uvicorn', 'starlette', 'aftersales.api') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# -- aftersales serve ---------------------------------------------------------------------------


def test_serve_runs_the_api_with_a_bearer_token(tmp_path: Path) -> None:
    database = tmp_path / "serve.db"
    env = {**os.environ, "AFTERSALES_API_TOKEN": "s3cret"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aftersales",
            "serve",
            "--db",
            str(database),
            "--port",
            "0",
            "--calendar",
            "always",
        ],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        url = None
        assert process.stderr is not None
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            line = process.stderr.readline()
            found = re.search(r"(http://127\.0\.0\.1:\d+)", line)
            url = found[1] if found else None
        assert url is not None
        assert httpx.get(f"{url}/tickets").status_code == 401
        auth = {"Authorization": "Bearer s3cret"}
        made = httpx.post(f"{url}/tickets", json=open_body(ticket_id="T-SERVE"), headers=auth)
        assert made.status_code == 201
        assert made.json()["handler"] == "api"
        assert (
            httpx.get(
                f"{url}/tickets/T-SERVE", headers={"Authorization": "Bearer guess"}
            ).status_code
            == 401
        )
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert SQLiteStore(database).get("T-SERVE").version == 1


def test_serve_without_the_api_extra_says_what_to_install(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['uvicorn'] = None\n"
        "from aftersales.cli import main\n"
        f"sys.exit(main(['serve', '--db', {str(tmp_path / 'x.db')!r}]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "aftersales: aftersales serve needs the api extra (uvicorn is not installed);"
        " accepted: pip install 'aftersales[api]'"
    ]
    assert not (tmp_path / "x.db").exists()


def test_the_default_router_reads_but_refuses_writes_and_reveals(store: SQLiteStore) -> None:
    with LocalServer(create_app(ServiceDesk(store))) as running:
        assert httpx.get(f"{running.url}/tickets/T-LIFE").status_code == 200
        write = httpx.post(f"{running.url}/tickets/T-LIFE/commands/add_note", json={"text": "x"})
        assert (write.status_code, write.json()["error"]) == (403, "NotPermitted")
        reveal = httpx.post(
            f"{running.url}/tickets/T-LIFE/contact/reveal", json={"purpose": "回访"}
        )
        assert (reveal.status_code, reveal.json()["error"]) == (403, "AccessDenied")
