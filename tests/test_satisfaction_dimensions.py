"""Satisfaction by dimension (专业知识, 服务态度, 响应速度, 解决效果) and the complaint figures.

The return visit's scores by dimension: refused entries (each named), the
stored form (old visits read back unchanged), the KPI per dimension (mean,
count, share of 4–5) as a mergeable accumulator, and the monthly report's
tables. Then a month of typed tickets worked by hand, read the same from the
stored facts of the memory store, SQLite and PostgreSQL as by replaying it.
"""

from __future__ import annotations

import itertools
import statistics
from datetime import timedelta
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales import (
    Customer,
    DimensionScore,
    FixedClock,
    InvalidData,
    SatisfactionDimension,
    ScoreOutOfRange,
    ServiceDesk,
    UnknownValue,
    WorkCalendar,
)
from aftersales.kpi import DimensionScores, KpiOptions, Period, Rate, ServiceKpis
from aftersales.model.events import VisitRecorded
from aftersales.readmodel.projection import Projector
from aftersales.reports import monthly
from aftersales.serialization import from_json, to_json
from aftersales.serialization_trusted import trusted_event_from_json
from aftersales.storage import MemoryStore, SQLiteStore
from aftersales.storage.ports import Save
from aftersales.trusted_text import event_text
from aftersales.views import history_view
from aftersales.vocab import TicketStatus
from tests.helpers import START, open_sample, run_command, ticket_in

_CODES = ("professional_knowledge", "service_attitude", "response_speed", "resolution_effect")

# -- refusals ----------------------------------------------------------------------------------

_RANGE = "is out of range; accepted: an integer from 1 to 5"


@pytest.mark.parametrize(
    ("dimensions", "error", "message"),
    [
        (
            {"口碑": 5},
            UnknownValue,
            "dimensions['口碑']: '口碑' is not a known value; accepted: 'professional_knowledge',"
            " 'resolution_effect', 'response_speed', 'service_attitude'",
        ),
        ({"服务态度": 6}, ScoreOutOfRange, f"dimensions['service_attitude']: 6 {_RANGE}"),
        ({"response_speed": 0}, ScoreOutOfRange, f"dimensions['response_speed']: 0 {_RANGE}"),
        ({"态度": "5"}, ScoreOutOfRange, f"dimensions['service_attitude']: '5' {_RANGE}"),
        ({"解决效果": True}, ScoreOutOfRange, f"dimensions['resolution_effect']: True {_RANGE}"),
        ({"专业知识": 4.5}, ScoreOutOfRange, f"dimensions['professional_knowledge']: 4.5 {_RANGE}"),
        (
            {"态度": 5, "service_attitude": 4},
            InvalidData,
            "dimensions['service_attitude']: service_attitude is given twice;"
            " accepted: one score per dimension",
        ),
        (
            "服务态度=5",
            InvalidData,
            "dimensions: str is not a mapping; accepted: a mapping of dimensions to scores"
            " from 1 to 5, or None",
        ),
        (5, InvalidData, "dimensions: int is not a mapping"),
        (
            ["service_attitude"],
            InvalidData,
            "dimensions[0]: 'service_attitude' is not a DimensionScore;"
            " accepted: DimensionScore(dimension, score)",
        ),
        (
            {"口碑": 5, "服务态度": 9},
            InvalidData,
            "2 invalid values:\n  dimensions['口碑']: '口碑' is not a known value",
        ),
    ],
)
def test_a_bad_dimension_score_is_refused_by_name_and_writes_nothing(
    dimensions: Any, error: type[Exception], message: str
) -> None:
    desk = ServiceDesk(clock=FixedClock(START))
    before = ticket_in(desk, TicketStatus.AWAITING_VISIT)
    with pytest.raises(error) as raised:
        desk.record_visit(before.id, by="回访专员", resolved=True, score=5, dimensions=dimensions)
    assert type(raised.value) is error
    assert str(raised.value).startswith(message)
    assert desk.get(before.id) == before
    with pytest.raises(error):  # the same through the JSON path
        desk.execute(
            "record_visit",
            before.id,
            {"resolved": True, "score": 5, "dimensions": dimensions},
            by="回访专员",
        )
    assert desk.get(before.id) == before


def test_scores_come_as_codes_labels_aliases_terms_or_dimension_scores() -> None:
    desk = ServiceDesk(clock=FixedClock(START))
    ticket_in(desk, TicketStatus.AWAITING_VISIT, "T1")
    visited = desk.record_visit(
        "T1",
        by="回访专员",
        resolved=True,
        score=4,
        dimensions={
            "专业能力": 4,
            SatisfactionDimension.RESPONSE_SPEED: 3,
            "service_attitude": 5,
            "Resolution effect": 4,
        },
    )
    assert visited.visits[-1].dimensions == (
        DimensionScore(SatisfactionDimension.PROFESSIONAL_KNOWLEDGE, 4),
        DimensionScore(SatisfactionDimension.RESOLUTION_EFFECT, 4),
        DimensionScore(SatisfactionDimension.RESPONSE_SPEED, 3),
        DimensionScore(SatisfactionDimension.SERVICE_ATTITUDE, 5),
    )
    ticket_in(desk, TicketStatus.AWAITING_VISIT, "T2")
    payload = {
        "resolved": True,
        "score": 5,
        "dimensions": [{"dimension": "response_speed", "score": 5}],
    }
    assert desk.execute("record_visit", "T2", payload, by="回访").visits[-1].dimensions == (
        DimensionScore(SatisfactionDimension.RESPONSE_SPEED, 5),
    )
    ticket_in(desk, TicketStatus.AWAITING_VISIT, "T3")
    assert (
        desk.record_visit("T3", by="回访", resolved=True, score=5, dimensions={})
        .visits[-1]
        .dimensions
        is None
    )


# -- the stored form ---------------------------------------------------------------------------

#: A return visit as the library wrote it before dimensions: read back, the same visit,
#: and written again, the same text.
_OLD_VISIT = (
    '{"schema_version": 1, "ticket_id": "T9", "seq": 9, "at": "2024-05-13T02:00:00+00:00",'
    ' "by": "回访专员小周", "resolved": true, "score": 5, "comment": "问题已解决",'
    ' "channel": "return_visit_call", "threshold": 3, "type": "visit_recorded"}'
)


def test_a_visit_stored_before_dimensions_reads_back_unchanged() -> None:
    strict = from_json(VisitRecorded, _OLD_VISIT)
    assert strict == trusted_event_from_json(_OLD_VISIT)
    assert strict.dimensions is None
    assert to_json(strict) == event_text(strict) == _OLD_VISIT


def test_a_visit_with_dimensions_writes_them_last_and_reads_them_back() -> None:
    visit = attrs.evolve(
        from_json(VisitRecorded, _OLD_VISIT), dimensions={"态度": 5, "响应速度": 2}
    )
    text = to_json(visit)
    assert text.endswith(
        '"threshold": 3, "dimensions": [{"dimension": "response_speed", "score": 2},'
        ' {"dimension": "service_attitude", "score": 5}], "type": "visit_recorded"}'
    )
    assert event_text(visit) == text
    assert from_json(VisitRecorded, text) == trusted_event_from_json(text) == visit


def test_the_history_view_shows_the_scores_by_dimension() -> None:
    desk = ServiceDesk(clock=FixedClock(START))
    ticket_in(desk, TicketStatus.CLOSED)  # the helper's visit scores two dimensions
    visit = history_view(desk.get("T1"))[-1]
    assert visit["type"] == "visit_recorded"
    assert visit["dimensions"] == [
        {"dimension": "resolution_effect", "score": 5},
        {"dimension": "service_attitude", "score": 5},
    ]


# -- the accumulator ---------------------------------------------------------------------------

_PAIRS = st.dictionaries(st.sampled_from(_CODES), st.integers(1, 5)).map(
    lambda scored: tuple(sorted(scored.items()))
)


def _filled(rows: list[tuple[tuple[str, int], ...]], threshold: int = 4) -> DimensionScores:
    acc = DimensionScores(csat_threshold=threshold)
    for row in rows:
        acc.add(row)
    return acc


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(_PAIRS, max_size=30),
    cuts=st.lists(st.integers(0, 30), max_size=4),
    threshold=st.integers(1, 5),
)
def test_dimension_scores_merge_to_the_figures_of_one_pass(
    rows: list[tuple[tuple[str, int], ...]], cuts: list[int], threshold: int
) -> None:
    bounds = sorted({0, len(rows), *(min(c, len(rows)) for c in cuts)})
    parts = [_filled(rows[a:b], threshold) for a, b in itertools.pairwise(bounds)]
    merged = DimensionScores(csat_threshold=threshold)
    for part in reversed(parts):
        merged = part.merge(merged)
    whole = _filled(rows, threshold)
    assert merged.result() == whole.result()
    absorbed = DimensionScores(csat_threshold=threshold)
    absorbed.absorb(whole.summary())
    assert absorbed.result() == whole.result()
    # each dimension, by the plain formulas over the scores it got
    for item in whole.result():
        scores = [score for row in rows for code, score in row if code == item.dimension]
        assert item.scores.count == len(scores)
        assert item.scores.mean == pytest.approx(statistics.fmean(scores))
        assert item.scores.csat == pytest.approx(
            100 * sum(s >= threshold for s in scores) / len(scores)
        )
    assert {item.dimension for item in whole.result()} == {c for row in rows for c, _ in row}


def test_merging_with_another_threshold_is_refused() -> None:
    with pytest.raises(InvalidData, match="other: "):
        DimensionScores(csat_threshold=4).merge(DimensionScores(csat_threshold=5))


# -- a month worked by hand --------------------------------------------------------------------

TZ = "Asia/Shanghai"
CAL = WorkCalendar.always(TZ)
_C1, _C2, _C3 = (Customer(id=f"C{n}", name=name) for n, name in ((1, "甲"), (2, "乙"), (3, "丙")))


def _at(day: int, hour: int = 9) -> pendulum.DateTime:
    return pendulum.datetime(2026, 10, day, hour, tz=TZ)


def _month() -> ServiceDesk:
    """Seven October tickets; the figures each test expects are worked out beside it."""
    desk = ServiceDesk(clock=FixedClock(_at(31, 23)))

    def open_(tid: str, customer: Customer, day: int, category: str, **more: Any) -> None:
        desk.open_ticket(
            ticket_id=tid, customer=customer, channel="phone", category=category,
            description="问题", occurred_at=_at(day, 8), by="李工", priority="general",
            at=_at(day), **more,
        )  # fmt: skip

    def visit(tid: str, day: int, score: int, resolved: bool = True, **dimensions: int) -> None:
        desk.resolve_on_first_contact(tid, by="李工", answer="已处理", at=_at(day, 10))
        desk.record_visit(
            tid, by="回访", resolved=resolved, score=score, dimensions=dimensions, at=_at(day, 11)
        )

    # A1, A2: C1's product-quality complaints; A2 (5 days after A1) repeats, is still open
    open_("A1", _C1, 5, "product_quality", ticket_type="complaint")
    visit("A1", 5, 5, service_attitude=5, response_speed=4)
    open_("A2", _C1, 10, "product_quality", ticket_type="投诉")
    # A3: a consultation, typed so
    open_("A3", _C2, 11, "consultation", ticket_type="consultation")
    visit("A3", 11, 4, professional_knowledge=4, service_attitude=3)
    # A4: a repair request; the first visit is unresolved (2), the second scores 4
    open_("A4", _C2, 12, "product_quality", ticket_type="repair")
    visit("A4", 12, 2, resolved=False, service_attitude=2, resolution_effect=1)
    visit("A4", 13, 4, resolution_effect=4)
    # A5: untyped, a logistics delay: cancelled
    open_("A5", _C3, 14, "logistics_delay")
    desk.cancel("A5", by="李工", reason="重复登记", at=_at(14, 10))
    # A6: untyped usage guidance: a complaint by the category rule; visit without dimensions
    open_("A6", _C3, 15, "usage_guidance")
    visit("A6", 15, 5)
    # A7: C2's second product-quality ticket, a repair again: no batch complaint
    open_("A7", _C2, 20, "product_quality", ticket_type="repair")
    return desk


_OPTIONS = KpiOptions(batch_threshold=2)


def test_the_complaint_figures_and_the_dimensions_of_the_month() -> None:
    kpis = ServiceKpis(Period.parse("2026-10", TZ), CAL, options=_OPTIONS)
    for ticket in _month().find():
        kpis.add(ticket)
    f = kpis.result()
    assert (f.received, f.valid) == (7, 6)
    # complaints: A1, A2 (typed) and A6 (untyped, not a consultation); A1 and A6 closed
    assert f.closure == Rate(2, 3)
    assert f.repeat == Rate(1, 3)  # A2, 5 days after A1
    assert [(e.key, e.category, e.count) for e in f.events] == [("C1", "product_quality", 2)]
    assert dict(f.volumes["ticket_type"]) == {"complaint": 2, "repair": 2, "consultation": 1}
    assert f.first_line.denominator == 6  # the other rates still count every valid ticket
    # overall: the latest visit of A1, A3, A4, A6: 5, 4, 4, 5
    assert f.satisfaction.mean == 4.5
    by = {d.dimension: d.scores for d in f.satisfaction_by_dimension}
    assert set(by) == set(_CODES)
    # service attitude: A1 5, A3 3, A4 2 (its latest visit did not score it)
    assert (by["service_attitude"].count, by["service_attitude"].distribution) == (
        3,
        (0, 1, 1, 0, 1),
    )
    assert by["service_attitude"].mean == pytest.approx(10 / 3)
    assert by["service_attitude"].csat == pytest.approx(100 / 3)
    # resolution effect: A4's latest score, 4 (its first visit's 1 replaced)
    assert (by["resolution_effect"].count, by["resolution_effect"].mean) == (1, 4.0)
    assert (by["response_speed"].mean, by["professional_knowledge"].mean) == (4.0, 4.0)
    plain = f.to_dict()["satisfaction_by_dimension"]
    assert [d["dimension"] for d in plain] == sorted(_CODES)
    assert plain[3]["scores"]["distribution"] == [0, 1, 1, 0, 1]


def test_the_monthly_report_shows_the_types_and_the_dimensions() -> None:
    report = monthly(_month().store, "2026-10", calendar=CAL, options=_OPTIONS)
    zh, en = report.to_markdown(lang="zh"), report.to_markdown(lang="en")
    html = report.to_html(lang="zh")
    assert "其中投诉 3 单,投诉闭环率 66.7%" in zh
    assert (
        "7 tickets received (1 cancelled), 3 of them complaints; complaint closure rate 66.7%" in en
    )
    kpi = next(section for section in report.sections("zh") if section.key == "kpi")
    assert "工单类型分布" in [getattr(block, "text", None) for block in kpi.blocks]
    for row in (
        "| 投诉 | 2 | 33.3% | 是 |",
        "| 报修 | 2 | 33.3% | — |",
        "| 咨询 | 1 | 16.7% | — |",
        "| 未记录类型 | 1 | 16.7% | — |",
        "| 专业知识 | 4.00 | 1 | 100.0% |",
        "| 服务态度 | 3.33 | 3 | 33.3% |",
        "| 响应速度 | 4.00 | 1 | 100.0% |",
        "| 解决效果 | 4.00 | 1 | 100.0% |",
    ):
        assert row in zh, row
    for row in (
        "| Complaint | 2 | 33.3% | yes |",
        "| Not recorded | 1 | 16.7% | — |",
        "| Service attitude | 3.33 | 3 | 33.3% |",
        "| Resolution effect | 4.00 | 1 | 100.0% |",
    ):
        assert row in en, row
    # the dimensions in the vocabulary's order, after the overall score's distribution
    assert zh.index("| 专业知识 |") < zh.index("| 服务态度 |") < zh.index("| 解决效果 |")
    assert zh.index("| 评分 | 1 |") < zh.index("分维度满意度") < zh.index("| 专业知识 |")
    assert "<td>服务态度</td>" in html
    assert "3.33" in html


def test_a_month_without_types_or_dimensions_shows_neither_table() -> None:
    desk = ServiceDesk(clock=FixedClock(_at(31, 23)))
    open_sample(desk, "U1", at=_at(3), occurred_at=_at(3, 8))
    run_command(desk, "U1", "resolve_on_first_contact", at=_at(3, 10))
    zh = monthly(desk.store, "2026-10", calendar=CAL).to_markdown(lang="zh")
    assert "工单类型分布" not in zh
    assert "分维度满意度" not in zh
    assert "其中投诉 1 单" in zh  # untyped product quality: a complaint


def _saved_with_facts(store: Any, desk: ServiceDesk) -> Any:
    projector = Projector(None, CAL)
    store.save_many([Save(t, 0, projection=projector.project(t)) for t in desk.find()])
    return store


def _same_both_ways(store: Any) -> None:
    desk = _month()
    replayed = monthly(desk.store, "2026-10", calendar=CAL, options=_OPTIONS)
    from_facts = _saved_with_facts(store, desk)
    for at in (None, _at(12, 12), _at(31, 23) + timedelta(days=40)):
        stored = monthly(from_facts, "2026-10", calendar=CAL, options=_OPTIONS, at=at)
        again = monthly(desk.store, "2026-10", calendar=CAL, options=_OPTIONS, at=at)
        assert stored.to_dict() == again.to_dict()
    assert monthly(from_facts, "2026-10", calendar=CAL, options=_OPTIONS).to_dict() == (
        replayed.to_dict()
    )
    facts = {f.ticket_id: f for f in from_facts.find_facts()}
    assert (facts["A2"].ticket_type, facts["A2"].complaint) == ("complaint", True)
    assert (facts["A4"].ticket_type, facts["A4"].complaint) == ("repair", False)
    assert (facts["A6"].ticket_type, facts["A6"].complaint) == (None, True)
    assert facts["A4"].dimension_scores == (("resolution_effect", 4), ("service_attitude", 2))
    assert [v.dimensions for v in facts["A4"].visits] == [
        (("resolution_effect", 1), ("service_attitude", 2)),
        (("resolution_effect", 4),),
    ]


def test_the_month_reads_the_same_from_memory_facts() -> None:
    _same_both_ways(MemoryStore())


def test_the_month_reads_the_same_from_sqlite_facts(tmp_path: Any) -> None:
    with SQLiteStore(tmp_path / "month.db") as store:
        _same_both_ways(store)


def test_the_month_reads_the_same_from_postgres_facts(fresh_postgres: str) -> None:
    from aftersales.storage import PostgresStore

    with PostgresStore(fresh_postgres) as store:
        _same_both_ways(store)
