"""Surveys over HTTP against a real uvicorn server on 127.0.0.1, over a SQLite store.

A front end records what customers answered (``POST /surveys``), lists them
(``GET /surveys``), and the monthly report of the store counts them: NPS from
the recorded answers, worked by hand below.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import Request

from aftersales import ServiceDesk, WorkCalendar
from aftersales.api import NotAuthenticated, Principal, create_app
from aftersales.api.local import LocalServer
from aftersales.storage import SQLiteStore

USERS = {"li": Principal("李娜"), "reader": Principal("访客", may_write=False)}


def _auth(request: Request) -> Principal:
    user = USERS.get(request.headers.get("X-User", ""))
    if user is None:
        raise NotAuthenticated("no known X-User header")
    return user


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, SQLiteStore]]:
    path = tmp_path_factory.mktemp("surveys") / "desk.db"
    with SQLiteStore(path) as store:
        app = create_app(ServiceDesk(store), auth=_auth, calendar=WorkCalendar.china())
        with (
            LocalServer(app) as running,
            httpx.Client(base_url=running.url, headers={"X-User": "li"}, timeout=30) as client,
        ):
            yield client, store


#: Ten NPS answers in November 2026: 9, 10, 10, 9 promoters; 7, 8 passives; 0, 3, 5, 6
#: detractors: (4 − 4) / 10 = NPS 0. One more about a ticket with dimension scores.
SCORES = [9, 10, 10, 9, 7, 8, 0, 3, 5, 6]


def _record(client: httpx.Client, body: dict[str, Any], **headers: str) -> httpx.Response:
    return client.post("/surveys", json=body, headers=headers)


def test_recorded_surveys_are_kept_listed_masked_and_counted(
    served: tuple[httpx.Client, SQLiteStore],
) -> None:
    client, store = served
    for number, score in enumerate(SCORES, 1):
        answer = _record(
            client,
            {"id": f"N-{number}", "at": f"2026-11-{number:02d}T10:00:00+08:00",
             "channel": "wechat", "customer_id": f"C{number}", "nps": score},
        )  # fmt: skip
        assert answer.status_code == 201, answer.text
        assert answer.headers["location"].endswith(f"/surveys/N-{number}")
    detailed = _record(
        client,
        {"id": "D-1", "at": "2026-11-20T15:30:00+08:00", "channel": "return_visit_call",
         "ticket_id": "T1", "satisfaction": 3, "dimensions": {"服务态度": 5, "解决效果": 2},
         "comment": "问题没解决,请回电 13812345678"},
    )  # fmt: skip
    assert detailed.status_code == 201, detailed.text
    view = detailed.json()
    assert view["recorded_by"] == "李娜"
    assert view["comment"] == "问题没解决,请回电 138****5678"
    assert view["feedback"] == "resolution"  # the lowest dimension under 4 is 解决效果
    assert [d["dimension"] for d in view["dimensions"]] == ["resolution_effect", "service_attitude"]
    assert store.get_survey("D-1").comment.endswith("13812345678")  # kept as said

    listed = client.get("/surveys", params={"answered_from": "2026-11-05T00:00:00+08:00",
                                            "answered_before": "2026-11-08T00:00:00+08:00"})  # fmt: skip
    assert [s["id"] for s in listed.json()["items"]] == ["N-5", "N-6", "N-7"]
    by_ticket = client.get("/surveys", params={"ticket_id": "T1"}).json()["items"]
    assert [s["id"] for s in by_ticket] == ["D-1"]
    assert client.get("/surveys/D-1").json() == view

    report = client.get("/reports/monthly", params={"period": "2026-11", "format": "json"})
    assert report.status_code == 200, report.text
    nps = report.json()["figures"]["nps"]
    assert (nps["responses"], nps["score"]) == (10, 0.0)


def test_bad_surveys_are_refused_and_nothing_is_kept(
    served: tuple[httpx.Client, SQLiteStore],
) -> None:
    client, store = served
    before = store.find_surveys()
    cases = [
        ({"id": "B-1", "at": "2026-11-01T10:00:00+08:00", "channel": "wechat"}, 422, "answers"),
        ({"id": "B-2", "at": "2026-11-01T10:00:00", "channel": "wechat", "nps": 5}, 422, "at"),
        ({"id": "B-3", "at": "2026-11-01T10:00:00+08:00", "channel": "wechat", "nps": 11},
         422, "nps"),
        ({"id": "B-4", "at": "2026-11-01T10:00:00+08:00", "channel": "wechat", "nps": 5,
          "recorded_by": "别人"}, 422, "recorded_by"),
        ({"id": "N-1", "at": "2026-11-02T10:00:00+08:00", "channel": "wechat", "nps": 1},
         409, "N-1"),
    ]  # fmt: skip
    for body, status, named in cases:
        answer = _record(client, body)
        assert answer.status_code == status, (body, answer.text)
        assert named in answer.text
    refused = _record(client, {"id": "R-1", "at": "2026-11-01T10:00:00+08:00",
                               "channel": "wechat", "nps": 5}, **{"X-User": "reader"})  # fmt: skip
    assert refused.status_code == 403
    assert store.find_surveys() == before
