"""A specific ``AftersalesError`` for every bad input, and nothing written (issue 10).

The table (``tests/hostile_surface.py``) substitutes 26 hostile values, one
argument at a time, into a valid call of every public desk command, store
method, calendar query, serialization helper, knowledge search and public
constructor, on a memory store, an in-memory SQLite store and an SQLite file.
Every outcome must be "accepted" or an ``AftersalesError`` whose message names
the argument and what is accepted, with the store's content unchanged. A
hypothesis test draws the values instead; then come the cases the issue names.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import shutil
import sqlite3
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales import (
    FixedClock,
    InvalidData,
    KnowledgeBase,
    ScoreOutOfRange,
    ServiceDesk,
    SlaPolicy,
    SpanTooLongError,
    SQLiteStore,
    StorageError,
    TicketQuery,
    UnknownValue,
    WorkCalendar,
    csat,
    serialization,
)
from aftersales._nesting import data_too_deep, text_too_deep
from aftersales._shown import shown
from aftersales.calendar import engine as engine_module
from aftersales.knowledge import SQLiteSearchIndex
from aftersales.kpi import Scores
from aftersales.testing.samples import sample_ticket
from aftersales.testing.strategies import work_calendars
from tests.helpers import START, open_sample, run_command
from tests.hostile_surface import HOSTILE, STORE_KINDS, World, all_surfaces, attempt, cases

# -- the table ---------------------------------------------------------------------------

_DIRECTORY = Path(tempfile.mkdtemp(prefix="hostile-"))  # hostile file names land here
atexit.register(shutil.rmtree, _DIRECTORY, ignore_errors=True)
_WORLDS: dict[str, World] = {}


def _world(kind: str) -> World:
    """One world per store kind for the whole module; reset after every accepted change."""
    if kind not in _WORLDS:
        _WORLDS[kind] = World("memory" if kind == "none" else kind, _DIRECTORY)
    return _WORLDS[kind]


CASES = list(cases())


@pytest.mark.parametrize(
    ("surface", "param", "kind"),
    CASES,
    ids=[f"{surface.name}-{param}-{kind}" for surface, param, kind in CASES],
)
def test_every_hostile_value_is_accepted_or_refused_by_name(
    surface: Any, param: str, kind: str
) -> None:
    world = _world(kind)
    with contextlib.chdir(_DIRECTORY):
        outcomes = [attempt(surface, world, param, label, value) for label, value in HOSTILE]
    broken = [f"{o.label}: {o.problem}" for o in outcomes if o.problem is not None]
    assert broken == []
    assert {o.kind for o in outcomes} <= {"accepted", "refused", "state"}


def test_the_table_covers_every_public_desk_method_and_refuses_most_values() -> None:
    names = {surface.name for surface in all_surfaces()}
    desk_methods = {
        f"desk.{name}"
        for name in dir(ServiceDesk)
        if not name.startswith("_") and callable(getattr(ServiceDesk, name))
    }
    assert desk_methods <= names
    assert {"store.get", "store.find", "store.count", "store.save_customer"} <= names
    assert {"knowledge[sqlite].search", "calendar.add", "serialization.from_json"} <= names
    assert len(CASES) > 500


# -- the same rule, for drawn values ---------------------------------------------------------


def _deep(levels: int) -> Any:
    value: Any = "leaf"
    for level in range(levels):
        value = [value] if level % 2 else {"k": value}
    return value


_PICKS = [(surface, param) for surface in all_surfaces() for param in surface.params]
_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(alphabet=st.characters(codec=None, categories=None)),  # NUL and lone surrogates too
    st.binary(max_size=20),
    st.datetimes(
        min_value=datetime.min, max_value=datetime.max, timezones=st.none() | st.timezones()
    ),
    st.timedeltas(),
    st.dates(),
    st.sampled_from([value for _, value in HOSTILE]),
)
HOSTILE_VALUES = st.one_of(
    _LEAVES,
    st.recursive(
        _LEAVES,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
        max_leaves=12,
    ),
    st.integers(60, 3000).map(_deep),
)


@given(
    pick=st.sampled_from(_PICKS),
    value=HOSTILE_VALUES,
    kind=st.sampled_from(STORE_KINDS[:2]),
)
def test_any_drawn_value_is_accepted_or_refused_by_name_and_writes_nothing(
    pick: Any, value: Any, kind: str
) -> None:
    surface, param = pick
    with contextlib.chdir(_DIRECTORY):
        outcome = attempt(
            surface, _world(kind if surface.stores else "none"), param, "drawn", value
        )
    assert outcome.problem is None, outcome.problem


@given(HOSTILE_VALUES)
def test_an_error_message_shows_any_value_briefly(value: Any) -> None:
    text = shown(value)
    assert isinstance(text, str)
    assert len(text) <= 240 + len(" (100000 characters)")


# -- what the issue names ----------------------------------------------------------------------


def _sqlite_desk(tmp_path: Path) -> ServiceDesk:
    return ServiceDesk(SQLiteStore(tmp_path / "desk.db"), clock=FixedClock(START))


def _everything(desk: ServiceDesk) -> list[str]:
    return [serialization.to_json(t) for t in desk.store.find(TicketQuery())]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a\ud800b", "lone surrogate U+D800 at position 1"),
        ("a\x00b", "NUL character at position 1"),
    ],
)
def test_text_that_cannot_be_stored_is_refused_at_the_command(
    tmp_path: Path, text: str, where: str
) -> None:
    desk = _sqlite_desk(tmp_path)
    open_sample(desk)
    before = _everything(desk)
    with pytest.raises(InvalidData) as refused:
        desk.add_note("T1", by="李工", text=text)
    assert str(refused.value) == (
        f"text: the text has a {where}; accepted: valid Unicode text without NUL characters"
    )
    assert _everything(desk) == before


@pytest.mark.parametrize("at", [datetime(9999, 1, 1, tzinfo=UTC), datetime.max.replace(tzinfo=UTC)])
def test_a_command_cannot_happen_far_in_the_future(desk: ServiceDesk, at: datetime) -> None:
    open_sample(desk)
    before = _everything(desk)
    with pytest.raises(InvalidData) as refused:
        desk.acknowledge("T1", by="李工", at=at)
    message = str(refused.value)
    assert message.startswith(f"at: {at.isoformat()} is later than the clock's now ")
    assert desk.clock.now().isoformat() in message
    assert "accepted: an instant up to" in message
    assert _everything(desk) == before


def test_the_clock_skew_bounds_at_and_back_dating_stays_allowed(clock: FixedClock) -> None:
    desk = ServiceDesk(clock=clock, max_clock_skew=timedelta(minutes=2))
    paper = clock.now().subtract(days=3)  # a paper record entered three days late
    opened = open_sample(desk, at=paper, occurred_at=paper.subtract(hours=1))
    assert opened.received_at == paper
    with pytest.raises(InvalidData, match="allowed skew of 0:02:00"):
        desk.acknowledge("T1", by="李工", at=clock.now().add(minutes=2, microseconds=1))
    assert desk.acknowledge("T1", by="李工", at=clock.now().add(minutes=2)).version == 2
    for skew in (timedelta(days=2), timedelta(minutes=-1), 300):
        with pytest.raises(InvalidData, match=r"max_clock_skew: .*accepted"):
            ServiceDesk(max_clock_skew=skew)  # type: ignore[arg-type]


@pytest.mark.parametrize("version", [True, 1.0, -1, 2**63, "1"])
def test_expected_version_is_a_real_integer(desk: ServiceDesk, version: object) -> None:
    open_sample(desk)  # version 1: True == 1.0 == 1 would pass a plain comparison
    with pytest.raises(InvalidData, match=r"^expected_version: .*accepted: an integer from 0 to"):
        desk.acknowledge("T1", by="李工", expected_version=version)  # type: ignore[arg-type]
    assert desk.get("T1").version == 1


def test_true_is_not_a_score() -> None:
    with pytest.raises(ScoreOutOfRange):
        csat([5, 4], threshold=True)
    with pytest.raises(ScoreOutOfRange):
        Scores(csat_threshold=True)


def test_a_recorded_sla_notice_names_a_metric_of_the_policy(clock: FixedClock) -> None:
    policy = SlaPolicy.default(WorkCalendar.always("Asia/Shanghai"))
    for desk in (ServiceDesk(clock=clock, sla=policy), ServiceDesk(clock=clock)):
        open_sample(desk)
        with pytest.raises(UnknownValue) as refused:
            run_command(desk, "T1", "record_sla_warning", metric="phne")
        assert refused.value.accepted == tuple(m.name for m in policy.metrics)
        with pytest.raises(
            InvalidData, match=r"^cycle: .*accepted: an integer from 0 to 2147483647"
        ):
            run_command(desk, "T1", "record_sla_breach", cycle=10**30)
        assert desk.get("T1").version == 1
        assert run_command(desk, "T1", "record_sla_warning", metric="first_response").version == 2


def test_integers_that_cannot_be_stored_are_refused() -> None:
    with pytest.raises(InvalidData, match=r"^limit: 9223372036854775808 is out of range"):
        TicketQuery(limit=2**63)


def test_search_filters_must_be_text(tmp_path: Path) -> None:
    kb = KnowledgeBase(index=SQLiteSearchIndex(tmp_path / "kb.db"))
    with pytest.raises(InvalidData, match=r"^product: list is not a text; accepted"):
        kb.search("卡纸", product=["a"])
    with pytest.raises(InvalidData, match=r"^category: the text has a NUL character"):
        kb.index.search("卡纸", category="a\x00b")


def test_a_policy_needs_metrics_and_a_calendar() -> None:
    with pytest.raises(InvalidData, match=r"^metrics: NoneType is not a list; accepted: a list"):
        SlaPolicy(None, WorkCalendar.always())  # type: ignore[arg-type]


def test_a_nul_in_a_postgres_filter_is_refused_before_the_query(postgres_dsn: str) -> None:
    from aftersales.knowledge import PostgresSearchIndex

    index = PostgresSearchIndex(postgres_dsn)
    with pytest.raises(InvalidData, match=r"^product: the text has a NUL character"):
        index.search("卡纸", product="a\x00b")


# -- nesting -----------------------------------------------------------------------------------


def test_json_nested_100000_deep_is_refused_with_its_path() -> None:
    with pytest.raises(InvalidData) as refused:
        serialization.from_json(type(sample_ticket()), "[" * 100_000 + "]" * 100_000)
    path, message = refused.value.problems[0]
    assert path.startswith("$[0][0][0]")
    assert "…(48 more)…" in path
    assert message.startswith("nested deeper than 64 levels; accepted")


def test_nesting_is_allowed_up_to_the_limit() -> None:
    limit = serialization.MAX_DEPTH
    assert serialization.parse_json("[" * limit + "]" * limit) is not None
    with pytest.raises(InvalidData, match=r"^\$\.a\.b\[0\]"):
        serialization.parse_json('{"a": {"b": [' + "[" * (limit - 2) + "]" * (limit - 2) + "]}}")
    data = serialization.to_dict(sample_ticket())
    data["history"][0]["impact"] = _deep(1000)
    with pytest.raises(InvalidData, match=r"^\$\.history\[0\]\.impact\[0\]\.k\[0\]"):
        serialization.from_dict(type(sample_ticket()), data)


_JSON = st.recursive(
    st.none() | st.integers() | st.text(max_size=3),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=30,
)


@given(data=_JSON, limit=st.integers(0, 6))
def test_the_text_and_the_data_name_the_same_path(data: Any, limit: int) -> None:
    text = json.dumps(data)
    assert text_too_deep(text, limit=limit) == data_too_deep(data, limit=limit)
    if data_too_deep(data, limit=limit) is None:
        assert json.loads(text) == data


def test_a_deep_stored_row_is_a_storage_error_naming_it(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "deep.db")
    store.save(sample_ticket("T1"), expected_version=0)
    with sqlite3.connect(tmp_path / "deep.db") as db:
        db.execute(
            "UPDATE ticket_events SET data = ? WHERE ticket_id = 'T1' AND seq = 2",
            ("[" * 100_000 + "]" * 100_000,),
        )
    for read in (lambda: store.get("T1"), lambda: store.find(TicketQuery())):
        with pytest.raises(StorageError, match=r"ticket_events row \(ticket_id='T1', seq=2\)"):
            read()
    problems = store.check_integrity()
    assert any(
        "ticket_events row (ticket_id='T1', seq=2)" in p and "64 levels" in p for p in problems
    )


# -- calendars: a span past the end is refused before anything is built ------------------------


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The years whose blocks get built from now on."""
    years: list[int] = []
    original = engine_module.build_block

    def counting(year: int, *args: Any) -> Any:
        years.append(year)
        return original(year, *args)

    monkeypatch.setattr(engine_module, "build_block", counting)
    return years


OFFICE = dict.fromkeys(range(5), (("09:00", "12:00"), ("13:30", "18:00")))


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Europe/Berlin"])
def test_a_span_past_2399_is_refused_having_built_only_the_start_year(
    built: list[int], zone: str
) -> None:
    cal = WorkCalendar(zone, OFFICE)
    start = pendulum.datetime(2026, 3, 2, 9, tz=zone)
    began = time.perf_counter()
    with pytest.raises(SpanTooLongError, match="the year 2400"):
        cal.add(start, timedelta(days=36500))  # 876,000 h: about 374 years of office hours
    with pytest.raises(SpanTooLongError, match="the year 1899"):
        cal.add(start, -timedelta(days=36500))
    with pytest.raises(SpanTooLongError, match="the year 2400"):
        cal.add_working_days(start, 10**6)
    print(f"\n{zone}: three refusals in {time.perf_counter() - began:.3f} s")
    assert built == [2026]
    assert cal.add(start, timedelta(days=365)).year < 2400  # reachable spans still answer


def test_a_calendar_without_weekly_hours_refuses_at_once(built: list[int]) -> None:
    one_day = WorkCalendar("UTC", {}, special_hours={date(2026, 3, 7): [("09:00", "10:00")]})
    with pytest.raises(SpanTooLongError, match="no working time after 2026"):
        one_day.add(pendulum.datetime(2026, 3, 1, tz="UTC"), timedelta(hours=2))
    assert built == [2026]


@given(cal=work_calendars(), year=st.integers(1900, 2399) | st.just(2026))
def test_the_year_totals_are_the_totals_of_the_built_years(cal: WorkCalendar, year: int) -> None:
    engine = cal._engine
    block = engine_module.build_block(year, engine.zone, engine.plan)
    assert engine.year_totals is not None
    assert engine.year_totals(year) == (
        sum(e - s for s, e in zip(block.starts, block.ends, strict=True)),
        len(block.day_ordinals),
    )


@pytest.mark.parametrize(
    "at",
    [
        datetime(9999, 1, 1, tzinfo=UTC),
        datetime.min.replace(tzinfo=UTC),
        datetime.max.replace(tzinfo=UTC),
    ],
)
def test_an_instant_outside_the_computable_years_is_named(at: datetime) -> None:
    with pytest.raises(SpanTooLongError, match=r"^start: the span reaches .*accepted: up to 1900"):
        WorkCalendar.always().add(at, timedelta(hours=1))
