"""Ticket types (投诉, 报修, 咨询, 建议 …): the vocabulary, the complaint rule, intake, queries.

The rule of what a complaint is, worked by hand from the issue ("closure rate,
repeat-complaint rate and the monthly report's complaint figures count
complaints"): a ticket whose type was recorded is a complaint when its type
is ``complaint`` or a company type ending in ``_complaint``; a ticket without
a type is judged as before types existed (every category but a consultation).
"""

from __future__ import annotations

import pathlib
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales import (
    Channel,
    FixedClock,
    InvalidData,
    Priority,
    ProblemCategory,
    ServiceDesk,
    TicketQuery,
    TicketType,
    UnknownValue,
    is_complaint,
)
from aftersales.serialization import from_json, to_json
from aftersales.serialization_trusted import trusted_event_from_json
from aftersales.storage import MemoryStore, SQLiteStore
from aftersales.testing.samples import sample_ticket
from aftersales.trusted_text import event_text
from tests.helpers import START, open_sample

# -- the vocabulary and the rule --------------------------------------------------------------


def test_the_shipped_types_are_found_by_code_label_and_alias() -> None:
    assert [t.code for t in TicketType.members()][:4] == [
        "complaint",
        "repair",
        "consultation",
        "suggestion",
    ]
    found = {
        name: TicketType.get(name).code
        for name in ("投诉", "客诉", "报修", "维修申请", "咨询", "建议")
    }
    assert found == {
        "投诉": "complaint",
        "客诉": "complaint",
        "报修": "repair",
        "维修申请": "repair",
        "咨询": "consultation",
        "建议": "suggestion",
    }
    with pytest.raises(UnknownValue) as raised:
        TicketType.get("退货")
    assert raised.value.name == "ticket_type"
    assert "complaint" in raised.value.accepted


@pytest.mark.parametrize(
    ("code", "complaint"),
    [
        ("complaint", True),
        ("quality_complaint", True),
        ("regulator_complaint", True),
        ("repair", False),
        ("consultation", False),
        ("suggestion", False),
        ("complaints", False),  # not the ending "_complaint"
        ("complaint_review", False),
        ("noncomplaint", False),
    ],
)
def test_which_type_codes_count_as_complaints(code: str, complaint: bool) -> None:
    assert TicketType.complaint_code(code) is complaint
    assert TicketType(code, f"label {code}", f"标签{code}").counts_as_complaint is complaint


@pytest.mark.parametrize(
    ("category", "consultation", "ticket_type", "complaint"),
    [
        # no type recorded: the rule of before
        (ProblemCategory.PRODUCT_QUALITY, False, None, True),
        (ProblemCategory.CONSULTATION, False, None, False),
        (ProblemCategory.USAGE_GUIDANCE, True, None, False),
        # a type recorded decides, whatever the category and the intake fact
        (ProblemCategory.PRODUCT_QUALITY, False, TicketType.REPAIR, False),
        (ProblemCategory.PRODUCT_QUALITY, False, TicketType.SUGGESTION, False),
        (ProblemCategory.CONSULTATION, False, TicketType.COMPLAINT, True),
        (ProblemCategory.USAGE_GUIDANCE, True, TicketType.COMPLAINT, True),
        (ProblemCategory.SERVICE_ATTITUDE, False, TicketType.CONSULTATION, False),
    ],
)
def test_is_complaint_uses_the_type_when_recorded(
    category: ProblemCategory, consultation: bool, ticket_type: TicketType | None, complaint: bool
) -> None:
    assert is_complaint(category, consultation=consultation, ticket_type=ticket_type) is complaint


# -- intake ------------------------------------------------------------------------------------


def _desk(store: Any = None) -> ServiceDesk:
    return ServiceDesk(store, clock=FixedClock(START))


def test_the_type_is_recorded_at_intake_by_label_and_kept() -> None:
    desk = _desk()
    ticket = open_sample(desk, ticket_type="报修")
    assert ticket.ticket_type is TicketType.REPAIR
    assert ticket.history[0].ticket_type is TicketType.REPAIR
    assert desk.get(ticket.id).ticket_type is TicketType.REPAIR
    assert "change_ticket_type" not in ticket.allowed_commands()  # fixed at intake


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("退货", "'退货'"),
        ("Complaint ", "'Complaint '"),
        (7, "7"),
        (True, "True"),
        (Channel.PHONE, "'phone'"),
    ],
)
def test_an_unknown_type_is_refused_by_name_and_nothing_is_written(value: Any, shown: str) -> None:
    desk = _desk()
    with pytest.raises(UnknownValue) as raised:
        open_sample(desk, ticket_type=value)
    message = str(raised.value)
    assert message.startswith(f"ticket_type: {shown} is not a known value; accepted: ")
    assert "'complaint'" in message
    assert "'repair'" in message
    assert len(desk.store) == 0


def _complaint_priority(desk: ServiceDesk, ticket_id: str, **intake: Any) -> Priority:
    return open_sample(desk, ticket_id, **intake).priority


def test_the_repeated_complaint_rule_follows_the_type() -> None:
    desk = _desk()
    # an open repair request is no complaint: a complaint after it is not a repeat
    open_sample(desk, "R1", ticket_type="repair")
    assert _complaint_priority(desk, "C1", ticket_type="complaint") is Priority.GENERAL
    # an open complaint makes the next complaint in the same category important
    assert _complaint_priority(desk, "C2", ticket_type="complaint") is Priority.IMPORTANT
    # ... and an untyped ticket of that category is judged by the rule of before: a complaint
    assert _complaint_priority(desk, "U1") is Priority.IMPORTANT
    # a new repair request or suggestion is no complaint, whatever is open
    assert _complaint_priority(desk, "R2", ticket_type="repair") is Priority.GENERAL
    assert _complaint_priority(desk, "S1", ticket_type="建议") is Priority.GENERAL
    # a consultation typed as a complaint counts, in its own category only
    consult = {"category": ProblemCategory.CONSULTATION}
    assert _complaint_priority(desk, "Q1", ticket_type="投诉", **consult) is Priority.GENERAL
    assert _complaint_priority(desk, "Q2", ticket_type="投诉", **consult) is Priority.IMPORTANT
    assert _complaint_priority(desk, "Q3", **consult) is Priority.GENERAL  # untyped: not one


# -- stored form -------------------------------------------------------------------------------

#: An opening event as the library wrote it before ticket types: read back, it is the
#: same event, and written again, the same text.
_OLD_OPENING = (
    '{"schema_version": 1, "ticket_id": "T9", "seq": 1, "at": "2024-05-10T07:00:00+00:00",'
    ' "by": "李工", "customer_id": "C1", "customer_name": "XX科技有限公司", "channel": "phone",'
    ' "category": "product_quality", "occurred_at": "2024-05-10T06:30:00+00:00",'
    ' "description": "开机后频繁死机", "priority": "urgent", "contact": null,'
    ' "purchase": null, "demands": [], "impact": "", "customer_words": "",'
    ' "priority_reason": "", "handler": null, "type": "ticket_opened"}'
)


def test_an_opening_event_stored_before_types_reads_back_unchanged() -> None:
    from aftersales.model.events import TicketOpened

    strict = from_json(TicketOpened, _OLD_OPENING)
    trusted = trusted_event_from_json(_OLD_OPENING)
    assert strict == trusted
    assert strict.ticket_type is None
    assert to_json(strict) == event_text(strict) == _OLD_OPENING


def test_a_typed_opening_writes_its_type_after_the_other_fields() -> None:
    opening = attrs.evolve(sample_ticket().history[0], ticket_type="咨询")
    text = to_json(opening)
    assert text.endswith(
        '"handler": "李工", "ticket_type": "consultation", "type": "ticket_opened"}'
    )
    assert event_text(opening) == text
    assert trusted_event_from_json(text) == opening == from_json(type(opening), text)


# -- queries on the three backends -----------------------------------------------------------

_TYPES = [None, "complaint", "repair", "consultation"]


def _stores(tmp_path: pathlib.Path) -> list[Any]:
    return [MemoryStore(), SQLiteStore(tmp_path / "types.db")]


def _query_check(stores: list[Any], types: list[str | None], wanted: str) -> None:
    desks = [_desk(store) for store in stores]
    for index, ticket_type in enumerate(types):
        for desk in desks:
            open_sample(desk, f"T{index}", ticket_type=ticket_type)
    expected = [f"T{i}" for i, t in enumerate(types) if t == wanted]
    for store in stores:
        query = TicketQuery(ticket_type=TicketType.get(wanted).label("zh"))
        assert [t.id for t in store.find(query)] == expected
        assert store.count(query) == len(expected)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    types=st.lists(st.sampled_from(_TYPES), max_size=8),
    wanted=st.sampled_from(_TYPES[1:]),
)
def test_find_by_type_agrees_on_memory_and_sqlite(
    tmp_path_factory: pytest.TempPathFactory, types: list[str | None], wanted: str
) -> None:
    _query_check(_stores(tmp_path_factory.mktemp("q")), types, wanted)


def test_find_by_type_on_postgres(fresh_postgres: str) -> None:
    from aftersales.storage import PostgresStore

    with PostgresStore(fresh_postgres) as store:
        _query_check([store], [None, "complaint", "repair", "complaint", None], "complaint")
        assert store.find_ids(TicketQuery(ticket_type="repair")) == ["T2"]
        with pytest.raises(UnknownValue, match="ticket_type: 'return_goods' is not a known value"):
            store.find(TicketQuery(ticket_type="return_goods"))


def test_a_query_for_a_type_matches_no_untyped_ticket_and_refuses_a_typo() -> None:
    desk = _desk()
    open_sample(desk, "T1")
    assert desk.find(TicketQuery(ticket_type="consultation")) == []
    with pytest.raises(UnknownValue, match="ticket_type: 'complain' is not a known value"):
        desk.find(TicketQuery(ticket_type="complain"))
    with pytest.raises(InvalidData, match="ticket_type"):
        TicketQuery(ticket_type="")


# -- a company's own types ---------------------------------------------------------------------


def test_a_company_complaint_type_is_kept_by_its_store_and_counts(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "company.db"
    with SQLiteStore(path) as store:
        own = store.register_term(
            TicketType, "quality_complaint", "Quality complaint", "质量投诉", aliases=("质诉",)
        )
        desk = _desk(store)
        open_sample(desk, "T1", ticket_type="质诉")
        assert _complaint_priority(desk, "T2", ticket_type="quality_complaint") is (
            Priority.IMPORTANT
        )
    with SQLiteStore(path) as reopened:
        assert reopened.get("T1").ticket_type == own
        assert own.counts_as_complaint
        assert reopened.find_ids(TicketQuery(ticket_type="质量投诉")) == ["T1", "T2"]
    with pytest.raises(UnknownValue, match="ticket_type: '质诉'"):
        open_sample(_desk(MemoryStore()), "T1", ticket_type="质诉")  # another company's


# -- the demo ------------------------------------------------------------------------------------


def test_the_demo_scenarios_record_types_and_score_dimensions() -> None:
    from aftersales import WorkCalendar
    from aftersales.demo.scenarios import DEMO_START, demo_policy, run_scenarios

    desk = ServiceDesk(clock=FixedClock(DEMO_START), sla=demo_policy(WorkCalendar.china()))
    tickets = [desk.get(tid) for tid in run_scenarios(desk)]
    assert [t.ticket_type.code for t in tickets if t.ticket_type is not None] == [
        "repair",
        "consultation",
        "complaint",
        "repair",
        "complaint",
        "complaint",
        "repair",
        "repair",
    ]
    scored = [t.visits[-1].dimensions for t in tickets if t.visits]
    assert all(scored)  # every scenario visit scores some dimensions
    assert {d.dimension.code for dims in scored for d in dims or ()} == {
        "professional_knowledge",
        "service_attitude",
        "response_speed",
        "resolution_effect",
    }


def test_the_demo_quarter_types_follow_its_story() -> None:
    from collections import Counter

    from aftersales.demo import plan_quarter, replay

    tickets = [replay(p) for p in plan_quarter(seed=2026, scale=0.3)]
    kinds = Counter(
        (t.category.code, t.ticket_type.code) for t in tickets if t.ticket_type is not None
    )
    assert sum(kinds.values()) == len(tickets) > 0  # every ticket has a type
    for (category, kind), _ in kinds.items():
        if category in ("consultation", "usage_guidance"):
            assert kind == "consultation"
        elif category != "product_quality":
            assert kind == "complaint"
        else:
            assert kind in ("complaint", "repair")
    assert kinds["product_quality", "repair"] > kinds["product_quality", "complaint"] > 0
    batch = [
        t for t in tickets
        if t.purchase is not None and t.purchase.product.model == "B型扫地机器人"
        and t.category.code == "product_quality"
        and t.received_at.in_timezone("Asia/Shanghai").month == 12
        and t.received_at.in_timezone("Asia/Shanghai").day <= 12
    ]  # fmt: skip
    assert batch
    assert sum(t.ticket_type is TicketType.COMPLAINT for t in batch) >= len(batch) / 2
    visits = [v for t in tickets for v in t.visits]
    with_scores = [v for v in visits if v.dimensions]
    assert 0.5 < len(with_scores) / len(visits) < 0.95
    assert all(abs(d.score - v.score) <= 1 for v in with_scores for d in v.dimensions or ())


# -- the HTTP API --------------------------------------------------------------------------------


def test_the_http_api_opens_a_typed_ticket_and_lists_tickets_by_type() -> None:
    pytest.importorskip("fastapi")
    import httpx
    from fastapi import Request

    from aftersales.api import Principal, create_app
    from aftersales.api.local import LocalServer

    def operator(request: Request) -> Principal:
        return Principal("李工")

    operator.__annotations__ = {"request": Request, "return": Principal}  # for FastAPI

    desk = _desk()
    app = create_app(desk, auth=operator)
    body = {
        "customer": {"id": "C1", "name": "甲公司"},
        "channel": "phone",
        "category": "product_quality",
        "description": "开机黑屏",
        "occurred_at": START.subtract(minutes=30).isoformat(),
    }
    with LocalServer(app) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        for ticket_id, ticket_type in (("H1", "投诉"), ("H2", "repair"), ("H3", None)):
            typed_body = {**body, "ticket_id": ticket_id, "ticket_type": ticket_type}
            created = client.post("/tickets", json=typed_body)
            assert created.status_code == 201, created.text
        assert created.json()["ticket_type"] is None
        assert client.get("/tickets/H1").json()["ticket_type"] == "complaint"
        listed = client.get("/tickets", params={"ticket_type": "complaint"}).json()["items"]
        assert [item["id"] for item in listed] == ["H1"]
        refused = client.post("/tickets", json={**body, "ticket_id": "H4", "ticket_type": "退货"})
        assert refused.status_code == 422
        assert "ticket_type" in refused.text
    assert "H4" not in desk.store
