"""The surfaces of the hostile-input table beyond the desk and the stores.

The knowledge base's ``search``/``suggest``, the calendar's queries, the
serialization helpers, and the public constructors (and a few public
functions), each with one valid call; see :mod:`tests.hostile_surface`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import attrs
import pendulum

import aftersales
from aftersales import (
    DEFAULT_PRIORITY_RULES,
    AttributeChoice,
    AttributeDefinition,
    Bm25Index,
    CalendarTime,
    Contact,
    Customer,
    DayOff,
    Fishbone,
    FiveWhys,
    FixedClock,
    FollowUpPolicy,
    FollowUps,
    IntakeFacts,
    KnowledgeArticle,
    KnowledgeBase,
    KpiGroups,
    KpiOptions,
    NpsResponse,
    Period,
    Priority,
    Product,
    Purchase,
    ReviewWindow,
    RootCause,
    RootCauseCategory,
    Save,
    ServiceDesk,
    ServiceKpis,
    SlaAlert,
    SlaMetric,
    SlaNotice,
    SlaPolicy,
    SolutionStep,
    SQLiteStore,
    Ticket,
    TicketQuery,
    Trigger,
    WorkCalendar,
    WorkingDays,
    WorkingTime,
    serialization,
)
from aftersales.improvement import FishboneCause, ProgressNote, Why
from aftersales.knowledge import ArticleUse, IndexDocument, SQLiteSearchIndex
from aftersales.kpi import Durations, NpsTally, Ratio, Scores, Tally
from aftersales.model.attachments import AttachmentRef
from aftersales.model.location import Location
from aftersales.model.substatus import SubStatus
from aftersales.priority_levels import PriorityLevel, PriorityScale
from aftersales.storage import Migration
from aftersales.testing.contracts import make_action
from aftersales.testing.samples import sample_ticket
from tests.helpers import CUSTOMER, START
from tests.hostile_surface import POLICY, TEMPLATE, TZ, Surface, World, calendar, parameters

# -- the knowledge base -------------------------------------------------------------------


def _knowledge(kind: str) -> KnowledgeBase:
    index = Bm25Index() if kind == "bm25" else SQLiteSearchIndex()
    kb = KnowledgeBase(index=index, clock=FixedClock(START))
    kb.add(
        KnowledgeArticle(
            id="KB-1",
            title="打印机卡纸",
            symptoms="打印时频繁卡纸",
            root_cause="搓纸轮磨损",
            solution_steps=("更换搓纸轮",),
            category="product_quality",
            product="A型智能办公设备",
            created_at=START,
            created_by="李工",
            status="published",
        )
    )
    return kb


def knowledge_surfaces() -> list[Surface]:
    """``search`` and ``suggest`` on the default index and on SQLite FTS5."""
    surfaces = []
    for kind in ("bm25", "sqlite"):
        calls = {
            "search": {"text": "卡纸", "product": "A型智能办公设备", "category": "product_quality"},
            "suggest": {"ticket": TEMPLATE[0][0], "limit": 3},
        }
        for method, valid in calls.items():

            def call(
                world: World,
                overrides: dict[str, Any],
                m: str = method,
                v: Any = valid,
                k: str = kind,
            ) -> Any:
                return getattr(_knowledge(k), m)(**{**v, **overrides})

            params = parameters(getattr(KnowledgeBase, method))
            surfaces.append(Surface(f"knowledge[{kind}].{method}", call, params))
    return surfaces


# -- the calendar -------------------------------------------------------------------------

_CAL = calendar()
_DAY = pendulum.datetime(2026, 3, 2, 10, tz=TZ)
_CALENDAR_CALLS: dict[str, dict[str, Any]] = {
    "add": {"start": _DAY, "duration": timedelta(hours=3)},
    "working_time": {"start": _DAY, "end": _DAY.add(days=2)},
    "add_working_days": {"start": _DAY, "n": 3},
    "is_working_time": {"at": _DAY},
    "next_working_time": {"at": _DAY},
    "is_working_day": {"day": date(2026, 3, 2)},
    "day_off_reason": {"day": date(2026, 3, 2)},
    "segments": {"start": _DAY, "end": _DAY.add(days=1)},
    "add_many": {"starts": [_DAY], "durations": [timedelta(hours=1)]},
    "working_time_many": {"starts": [_DAY], "ends": [_DAY.add(hours=5)]},
    "add_many_epoch": {"starts": [WorkCalendar.epoch_us(_DAY)], "durations": [3_600_000_000]},
    "working_time_many_epoch": {
        "starts": [WorkCalendar.epoch_us(_DAY)],
        "ends": [WorkCalendar.epoch_us(_DAY) + 3_600_000_000],
    },
    "epoch_us": {"value": _DAY},
    "from_epoch_us": {"value": 0},
}


def calendar_surfaces() -> list[Surface]:
    """Every query method of :class:`WorkCalendar` (results listed, to run lazy ones)."""
    surfaces = []
    for method, valid in _CALENDAR_CALLS.items():

        def call(world: World, overrides: dict[str, Any], m: str = method, v: Any = valid) -> Any:
            result = getattr(_CAL, m)(**{**v, **overrides})
            return list(result) if m == "segments" else result

        surfaces.append(
            Surface(f"calendar.{method}", call, parameters(getattr(WorkCalendar, method)))
        )
    return surfaces


# -- serialization ------------------------------------------------------------------------

_SERIALIZATION_CALLS: dict[str, dict[str, Any]] = {
    "from_json": {"cls": Ticket, "text": serialization.to_json(sample_ticket())},
    "from_dict": {"cls": Contact, "data": serialization.to_dict(Contact(name="张先生"))},
    "to_dict": {"value": Contact(name="张先生")},
    "to_json": {"value": Contact(name="张先生"), "indent": None},
}


def serialization_surfaces() -> list[Surface]:
    """The JSON and dict helpers of :mod:`aftersales.serialization`."""
    surfaces = []
    for function, valid in _SERIALIZATION_CALLS.items():

        def call(world: World, overrides: dict[str, Any], f: str = function, v: Any = valid) -> Any:
            return getattr(serialization, f)(**{**v, **overrides})

        params = parameters(getattr(serialization, function))
        surfaces.append(Surface(f"serialization.{function}", call, params))
    return surfaces


# -- constructors and public functions ----------------------------------------------------


def _fields(instance: Any) -> dict[str, Any]:
    return {a.alias: getattr(instance, a.name) for a in attrs.fields(type(instance)) if a.init}


def _constructor_calls() -> dict[str, tuple[Callable[..., Any], dict[str, Any]]]:
    ticket = sample_ticket()
    report = POLICY.evaluate(ticket, ticket.updated_at)
    step = ticket.solution.steps[0] if ticket.solution else SolutionStep("a", "b", START)
    window = ReviewWindow(START.subtract(days=30), START)
    action = make_action("IA-1")
    note = ProgressNote(at=START, by="李工", text="供应商已更换")
    started = action.start(by="李工", at=START)
    instances: list[Any] = [
        Contact(name="张先生", phone="13812345678", email="zhang@example.com", role="IT"),
        Customer(id="C1", name="XX科技有限公司", industry="制造", key_account=True),
        Product(model="A型", name="智能办公设备"),
        PriorityLevel("high", "高", "high", reports_as="important"),
        PriorityScale.four_levels(),
        SubStatus(
            "waiting_parts", "待备件", "spare parts", under="in_progress", pauses=("resolution",)
        ),
        Purchase(Product("A型"), date(2026, 1, 5), "SN1", "PO1", 12, 6),
        AttachmentRef(
            uri="s3://after-sales/T1/现场照片.jpg",
            name="现场照片.jpg",
            media_type="image/jpeg",
            size=482_113,
            sha256="ab" * 32,
            attached_by="王工",
            attached_at=START,
        ),
        Location(
            "天河路385号", "广州市天河区", province="广东省", city="广州市", district="天河区"
        ),
        TicketQuery(tags=["VIP", "返修"]),
        TicketQuery(attributes={"onsite": True, "warranty_type": "paid"}),
        AttributeChoice("paid", "保外付费", "Paid repair"),
        AttributeDefinition(
            "warranty_type",
            "保修类型",
            "Warranty type",
            kind="choice",
            required=True,
            choices=[("paid", "保外付费", "Paid repair")],
        ),
        step,
        DayOff("公司年会", hours=[("13:30", "18:00")]),
        IntakeFacts(product_unusable=True, prior_unresolved_complaints=1),
        TicketQuery(status="analysing", limit=10, after_id="T1"),
        Save(ticket, 0, START),
        WorkingTime(timedelta(hours=4)),
        CalendarTime(timedelta(hours=4)),
        WorkingDays(3),
        NpsResponse(customer_id="C1", score=9, at=START),
        window,
        Why(why="为什么死机", because="内存故障"),
        FishboneCause(category="machine", cause="内存"),
        note,
        action,
        RootCause(
            id="RC-1",
            summary="内存批次不良",
            category=RootCauseCategory.HARDWARE_FAULT,
            department="采购部",
            identified_at=START,
            identified_by="李工",
        ),
        ArticleUse(article_id="KB-1", ticket_id="T1", by="李工", at=START),
        IndexDocument(id="KB-1", text="卡纸", product="A型", category="product_quality"),
        KpiOptions(),
        FollowUpPolicy(),
        *(report.results[:1]),
        *(report.notifications[:1]),
    ]
    instances.extend(started.changes[:1])
    calls: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {
        type(i).__name__: (type(i), _fields(i)) for i in instances
    }
    calls.update(
        {
            "ServiceDesk": (
                _desk_and_use,
                {
                    "store": None,
                    "clock": FixedClock(START),
                    "priority_rules": DEFAULT_PRIORITY_RULES,
                    "visit_threshold": 3,
                    "id_factory": lambda at: "T-made",
                    "sla": POLICY,
                    "assignment": None,
                },
            ),
            "WorkCalendar": (
                WorkCalendar,
                {
                    "tz": TZ,
                    "week": {0: [("09:00", "17:00")]},
                    "holidays": {date(2026, 1, 1): "元旦"},
                    "workdays": [date(2026, 1, 3)],
                    "special_hours": {date(2026, 1, 2): [("09:00", "12:00")]},
                    "complete_years": [2026],
                },
            ),
            "FixedClock": (FixedClock, {"at": START}),
            "SlaPolicy": (SlaPolicy, {"metrics": list(POLICY.metrics[:2]), "calendar": _CAL}),
            "SlaMetric": (
                SlaMetric,
                {
                    "name": "quote",
                    "label_zh": "报价",
                    "label_en": "quote",
                    "starts": (Trigger("acknowledge"),),
                    "stops": (Trigger("propose_solution"),),
                    "targets": {Priority.URGENT: WorkingTime(timedelta(hours=2))},
                    "warn_at": (0.5,),
                },
            ),
            "Trigger": (Trigger, {"command": "acknowledge", "label": "ack"}),
            "KnowledgeBase": (KnowledgeBase, {"store": None, "index": None, "clock": None}),
            "KnowledgeArticle": (
                KnowledgeArticle,
                {
                    "id": "KB-2",
                    "title": "卡纸",
                    "symptoms": "卡纸",
                    "root_cause": "磨损",
                    "solution_steps": ("更换",),
                    "category": "product_quality",
                    "created_at": START,
                    "created_by": "李工",
                },
            ),
            "Bm25Index": (Bm25Index, {"k1": 1.2, "b": 0.75}),
            "SQLiteStore": (
                SQLiteStore,
                {"path": ":memory:", "timeout": 5.0, "synchronous": "normal"},
            ),
            "FiveWhys": (FiveWhys, {"problem": "死机", "steps": (Why("为什么", "内存"),)}),
            "Fishbone": (
                Fishbone,
                {"problem": "死机", "causes": (FishboneCause("machine", "内存"),)},
            ),
            "SlaNotice": (
                SlaNotice,
                {
                    "metric": "resolution",
                    "cycle": 0,
                    "level": 1,
                    "breach": False,
                    "crossed_at": START,
                    "due_at": START.add(hours=4),
                },
            ),
            "SlaAlert": (
                SlaAlert,
                {
                    "ticket_id": "T1",
                    "metric": "resolution",
                    "cycle": 0,
                    "level": 1,
                    "breach": False,
                    "at": START,
                },
            ),
            "KpiGroups": (
                KpiGroups,
                {"template": ServiceKpis(Period.parse("2026-10", TZ), calendar()), "by": "channel"},
            ),
            "Migration": (
                Migration,
                {"version": 9, "description": "x", "statements": ("SELECT 1",)},
            ),
            "SQLiteSearchIndex": (SQLiteSearchIndex, {"path": ":memory:", "table": "kb"}),
            "Period": (Period, {"kind": "month", "first": date(2026, 10, 1), "tz": TZ}),
            "ServiceKpis": (ServiceKpis, {"period": Period.parse("2026-10", TZ), "calendar": _CAL}),
            "FollowUps": (FollowUps, {"store": None, "calendar": _CAL}),
            "Ratio": (Ratio, {"hits": 1, "total": 2}),
            "Durations": (Durations, {"values": [1, 2]}),
            "Scores": (Scores, {"csat_threshold": 4, "counts": (0, 0, 1, 2, 3)}),
            "NpsTally": (NpsTally, {"counts": (0,) * 10 + (1,)}),
            "Tally": (Tally, {"counts": {"a": 1}}),
            "warranty_status": (aftersales.warranty_status, {"ticket": ticket, "at": START}),
            "csat": (aftersales.csat, {"scores_1_to_5": [4, 5, 2], "threshold": 4}),
            "nps": (aftersales.nps, {"scores_0_to_10": [9, 10, 6]}),
            "due_followups": (aftersales.due_followups, {"tasks": [], "at": START}),
            "effect_review": (
                aftersales.effect_review,
                {
                    "tickets": [ticket],
                    "category": "product_quality",
                    "before": window,
                    "after": ReviewWindow(START, START.add(days=30)),
                },
            ),
        }
    )
    return calls


def _desk_and_use(**kwargs: Any) -> Ticket:
    """A desk built with ``kwargs``, then used: an accepted value must also work."""
    desk = ServiceDesk(**kwargs)
    ticket = desk.open_ticket(
        customer=CUSTOMER,
        channel="phone",
        category="product_quality",
        description="黑屏",
        occurred_at=START.subtract(minutes=5),
        by="李工",
    )
    return desk.acknowledge(ticket.id, by="李工")


def constructor_surfaces() -> list[Surface]:
    """The public constructors (and a few public functions) with one valid call each."""
    surfaces = []
    for name, (target, valid) in sorted(_constructor_calls().items()):

        def call(world: World, overrides: dict[str, Any], t: Any = target, v: Any = valid) -> Any:
            return t(**{**v, **overrides})

        surfaces.append(Surface(f"new {name}", call, tuple(valid)))
    return surfaces
