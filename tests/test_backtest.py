"""Backtesting a proposed SLA policy: both paths agree with a full evaluation of both policies.

The reference is the naive backtest, written here apart from the engine: for
every ticket received in the period, as it stood at the reading instant, both
policies' ``evaluate``, cycles paired by metric and number. The engine must
give the same counts and the same flips whether it judges a ticket from its
stored facts, re-judges one replay, or evaluates both policies; on memory,
SQLite and PostgreSQL; in one process or several.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from pathlib import Path

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales.backtest import (
    Backtest,
    BacktestTally,
    GroupKeys,
    backtest,
    backtest_html,
    backtest_json,
    backtest_markdown,
    clock_pairs,
    judge_stored,
    shared_clocks,
    with_target,
)
from aftersales.calendar import WorkCalendar
from aftersales.demo import demo_policy, plan_quarter, replay
from aftersales.errors import InvalidData, UnknownValue
from aftersales.kpi import Period
from aftersales.kpi.facts import as_of
from aftersales.model.ticket import Ticket
from aftersales.readmodel import Projector
from aftersales.readmodel.facts import FactsRules
from aftersales.sla import CalendarTime, SlaPolicies, SlaPolicy, SlaState, WorkingDays, WorkingTime
from aftersales.storage import MemoryStore, SQLiteStore
from aftersales.storage.ports.records import Save
from aftersales.testing.strategies import sla_policies, tickets

TZ = "Asia/Shanghai"
LUNCH = (("09:00", "12:00"), ("13:30", "18:00"))
CALENDAR = WorkCalendar(TZ, dict.fromkeys(range(5), LUNCH))
CURRENT = SlaPolicy.default(CALENDAR)
URGENT_20 = WorkingTime(timedelta(minutes=20))
MINUTES = st.integers(1, 40 * 60).map(lambda m: timedelta(minutes=m))
LEVELS = st.lists(st.integers(1, 19).map(lambda k: k / 20), max_size=3, unique=True).map(tuple)


def reference(
    stored: list[Ticket],
    period: Period,
    current: SlaPolicy,
    proposed: SlaPolicy,
    at: pendulum.DateTime,
) -> tuple[Counter[tuple[str, str, str]], set[tuple[str, str, int, str, str]]]:
    """The naive backtest: every ticket evaluated under both policies, cycles paired."""
    counts: Counter[tuple[str, str, str]] = Counter()
    flips = set()
    for ticket in stored:
        if not period.start <= ticket.received_at < min(period.end, at):
            continue
        seen = as_of(ticket, at)
        assert seen is not None
        mine = {(r.metric, r.cycle): r for r in current.evaluate(seen, at)}
        theirs = {(r.metric, r.cycle): r for r in proposed.evaluate(seen, at)}
        for key in mine.keys() | theirs.keys():
            a, b = mine.get(key), theirs.get(key)
            if not ((a is not None and a.counts) or (b is not None and b.counts)):
                continue
            before = SlaState.NOT_APPLICABLE if a is None else a.state
            after = SlaState.NOT_APPLICABLE if b is None else b.state
            counts[(key[0], "cycles", "")] += 1
            counts[(key[0], "current", before.value)] += 1
            counts[(key[0], "proposed", after.value)] += 1
            if (before is SlaState.BREACHED) != (after is SlaState.BREACHED):
                flips.add((seen.id, key[0], key[1], before.value, after.value))
    return counts, flips


def engine_view(
    result: Backtest,
) -> tuple[Counter[tuple[str, str, str]], set[tuple[str, str, int, str, str]]]:
    counts: Counter[tuple[str, str, str]] = Counter()
    for row in result.metrics:
        counts[(row.metric, "cycles", "")] += row.cycles
        counts[(row.metric, "current", "met")] += row.current_met
        counts[(row.metric, "current", "breached")] += row.current_breached
        counts[(row.metric, "proposed", "met")] += row.proposed_met
        counts[(row.metric, "proposed", "breached")] += row.proposed_breached
    flips = {(f.ticket_id, f.metric, f.cycle, f.current, f.proposed) for f in result.flips}
    return counts, flips


def comparable(
    counts: Counter[tuple[str, str, str]],
) -> Counter[tuple[str, str, str]]:
    """The reference's counts the engine reports: cycles, met and breached."""
    return Counter(
        {k: v for k, v in counts.items() if k[1] == "cycles" or k[2] in ("met", "breached")}
    )


@st.composite
def retargeted(draw: st.DrawFn, policy: SlaPolicy) -> SlaPolicy:
    """``policy`` with new targets of the same families and new warning levels."""
    metrics = []
    for metric in policy.metrics:
        targets = {}
        for key, target in metric.targets.items():
            if isinstance(target, CalendarTime):
                targets[key] = CalendarTime(draw(MINUTES))
            else:
                targets[key] = draw(
                    st.builds(WorkingTime, MINUTES) | st.builds(WorkingDays, st.integers(1, 5))
                )
        metrics.append(attrs.evolve(metric, targets=targets, warn_at=draw(LEVELS)))
    return SlaPolicy(metrics, policy.calendar, substatuses=policy.substatuses)


def saved(store: MemoryStore | SQLiteStore, stored: list[Ticket], policy: SlaPolicy | None) -> None:
    projector = None if policy is None else Projector(policy)
    store.save_many(
        Save(t, projection=None if projector is None else projector.project(t)) for t in stored
    )


TICKETS = st.lists(tickets(max_events=14), min_size=1, max_size=5, unique_by=lambda t: t.id)
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _period_and_at(stored: list[Ticket], data: st.DataObject) -> tuple[Period, pendulum.DateTime]:
    period = Period.year(stored[0].received_at.in_timezone(TZ).year, TZ)
    last = max(t.updated_at for t in stored)
    at = data.draw(
        st.sampled_from([period.end, stored[0].received_at.add(hours=1), last.add(minutes=1)])
    )
    return period, at


@SETTINGS
@given(stored=TICKETS, data=st.data())
def test_stored_facts_and_one_replay_agree_with_evaluating_both_policies(
    stored: list[Ticket], data: st.DataObject
) -> None:
    proposed = data.draw(retargeted(CURRENT))
    assert shared_clocks(CURRENT, proposed)
    period, at = _period_and_at(stored, data)
    with_facts, without = MemoryStore(), MemoryStore()
    saved(with_facts, stored, CURRENT)
    saved(without, stored, None)
    expected, flips = reference(stored, period, CURRENT, proposed, at)
    for store in (with_facts, without):
        result = backtest(store, period, proposed, current=CURRENT, at=at, workers=1)
        counts, found = engine_view(result)
        assert counts == comparable(expected)
        assert found == flips
        assert result.same_policy_flips == 0
    assert backtest(without, period, proposed, current=CURRENT, at=at, workers=1).from_facts == 0


@SETTINGS
@given(stored=TICKETS, proposed=sla_policies(st.just(CALENDAR)), data=st.data())
def test_any_other_policy_agrees_with_evaluating_both(
    stored: list[Ticket], proposed: SlaPolicy, data: st.DataObject
) -> None:
    period, at = _period_and_at(stored, data)
    store = MemoryStore()
    saved(store, stored, CURRENT)
    expected, flips = reference(stored, period, CURRENT, proposed, at)
    result = backtest(store, period, proposed, current=CURRENT, at=at, workers=1)
    assert engine_view(result) == (comparable(expected), flips)
    assert result.same_policy_flips == 0


@SETTINGS
@given(stored=TICKETS, data=st.data())
def test_the_same_policy_gives_no_flip(stored: list[Ticket], data: st.DataObject) -> None:
    period, at = _period_and_at(stored, data)
    store = MemoryStore()
    saved(store, stored, CURRENT)
    for proposed in (CURRENT, SlaPolicy.default(CALENDAR)):
        result = backtest(store, period, proposed, current=CURRENT, at=at, workers=1)
        assert result.flips == ()
        assert result.same_policy_flips == 0
        assert all(
            (r.current_met, r.current_breached) == (r.proposed_met, r.proposed_breached)
            for r in result.metrics
        )


@SETTINGS
@given(stored=TICKETS, data=st.data())
def test_judging_stored_cycles_matches_evaluation(
    stored: list[Ticket], data: st.DataObject
) -> None:
    """Every answer of ``judge_stored`` is the state a full evaluation of the proposed policy gives."""
    proposed = data.draw(retargeted(CURRENT))
    pairs = clock_pairs(CURRENT, proposed)
    rules = FactsRules(CURRENT, CALENDAR)
    for ticket in stored:
        facts = rules.project(ticket)
        at = ticket.updated_at.add(minutes=data.draw(st.integers(1, 60 * 24 * 20)))
        theirs = {(r.metric, r.cycle): r.state for r in proposed.evaluate(ticket, at)}
        mine = {(r.metric, r.cycle): r.state for r in CURRENT.evaluate(ticket, at)}
        for cycle in facts.cycles:
            if cycle.rule_only:
                continue
            judged = judge_stored(cycle, pendulum_us(at), pairs[cycle.metric], ticket.priority)
            if judged is not None:
                key = (cycle.metric, cycle.cycle)
                assert judged[:2] == (mine[key], theirs[key])
                assert judged[2] is not False  # True, or None: the same target, not judged


def pendulum_us(at: pendulum.DateTime) -> int:
    return WorkCalendar.epoch_us(at)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["T1", "T2", "T3", "T4"]),
            st.sampled_from(["first_response", "resolution"]),
            st.integers(0, 2),
            st.sampled_from([SlaState.MET, SlaState.BREACHED, SlaState.RUNNING]),
            st.sampled_from([SlaState.MET, SlaState.BREACHED, SlaState.PAUSED]),
            st.sampled_from(["urgent", "general"]),
        ),
        max_size=30,
    ),
    cut=st.integers(0, 30),
    limit=st.integers(0, 5),
)
def test_tallies_of_partitions_merge_to_the_tally_of_all(
    rows: list[tuple[str, str, int, SlaState, SlaState, str]], cut: int, limit: int
) -> None:
    def tally(part: list[tuple[str, str, int, SlaState, SlaState, str]]) -> BacktestTally:
        out = BacktestTally(limit)
        for ticket, metric, cycle, before, after, priority in part:
            keys = GroupKeys(priority, "consultation", "phone", "一组")
            out.add_cycle(ticket, keys, metric, cycle, before, after)
        return out

    whole = tally(rows).result()
    left, right = tally(rows[:cut]), tally(rows[cut:])
    assert left.merge(right).result() == whole == right.merge(left).result()
    assert sum(row.flips for row in whole.metrics) == len(whole.flips)
    assert sum(g.comparison.flips for g in whole.breakdown("team")) == len(whole.flips)


# -- the demo quarter: named policies, the stored path, the stores ---------------------


QUARTER_CALENDAR = WorkCalendar.china(complete_years=(2027,))
DEMO = demo_policy(QUARTER_CALENDAR)  # standard, VIP and the outlet's (another calendar)
STRICTER = with_target(DEMO, "first_response", "urgent", URGENT_20)
#: Named policies whose clocks all run alike: judged from stored facts.
UNIFORM = SlaPolicies({n: DEMO.policy(n) for n in ("standard", "vip")}, default="standard")
STRICTER_STANDARD = with_target(UNIFORM, "first_response", "urgent", URGENT_20, named="standard")
NOVEMBER = Period.parse("2026-11", TZ)


@pytest.fixture(scope="module")
def quarter() -> list[Ticket]:
    return [replay(planned) for planned in plan_quarter(seed=17, scale=1.0)]


@pytest.fixture(scope="module")
def quarter_store(quarter: list[Ticket]) -> MemoryStore:
    store = MemoryStore()
    saved(store, quarter, DEMO)
    return store


@pytest.fixture(scope="module")
def uniform_store(quarter: list[Ticket]) -> MemoryStore:
    store = MemoryStore()
    saved(store, quarter, UNIFORM)
    return store


def test_a_stricter_urgent_target_on_the_quarter_agrees_with_the_reference(
    quarter: list[Ticket], quarter_store: MemoryStore
) -> None:
    assert shared_clocks(DEMO, STRICTER)
    result = backtest(quarter_store, NOVEMBER, STRICTER, current=DEMO, workers=1)
    expected, flips = reference(quarter, NOVEMBER, DEMO, STRICTER, NOVEMBER.end)
    assert engine_view(result) == (comparable(expected), flips)
    assert result.same_policy_flips == 0
    assert result.same_policy_cycles > 100  # the cycles re-judged (urgent first responses)
    # judged from facts but the urgent cycles that the outlet's calendar leaves in doubt
    assert 0 < result.from_facts < result.tickets
    assert flips
    assert all(f[1] == "first_response" and f[4] == "breached" for f in flips)
    urgent = {g.value for g in result.breakdown("priority") if g.comparison.flips}
    assert urgent == {"urgent"}
    explained = [f for f in result.flips if f.current_explain]
    assert len(explained) == min(50, len(result.flips))
    assert explained[0].proposed_explain.startswith("first_response #1: breached")
    assert explained[0].current_explain.startswith("first_response #1: met")


def test_named_policies_alike_are_judged_from_stored_facts(
    quarter: list[Ticket], uniform_store: MemoryStore
) -> None:
    assert shared_clocks(UNIFORM, STRICTER_STANDARD)
    result = backtest(uniform_store, NOVEMBER, STRICTER_STANDARD, current=UNIFORM, workers=1)
    expected, flips = reference(quarter, NOVEMBER, UNIFORM, STRICTER_STANDARD, NOVEMBER.end)
    assert engine_view(result) == (comparable(expected), flips)
    assert flips
    assert result.same_policy_flips == 0
    assert result.from_facts > result.tickets // 2  # most tickets never replayed
    assert result.from_facts < result.tickets  # those near the target: VIP or standard?


def test_the_stores_and_the_processes_give_the_same_backtest(
    quarter: list[Ticket], uniform_store: MemoryStore, tmp_path: Path
) -> None:
    args = (NOVEMBER, STRICTER_STANDARD)
    expected = backtest(uniform_store, *args, current=UNIFORM, workers=1)
    with SQLiteStore(tmp_path / "q.db") as store:
        saved(store, quarter, UNIFORM)
        assert backtest(store, *args, current=UNIFORM, workers=1) == expected
        assert backtest(store, *args, current=UNIFORM, workers=2) == expected
    assert backtest(uniform_store, *args, current=UNIFORM, workers=3) == expected


def test_postgres_gives_the_same_backtest(
    quarter: list[Ticket], uniform_store: MemoryStore, fresh_postgres: str
) -> None:
    from aftersales.storage import PostgresStore

    args = (NOVEMBER, STRICTER_STANDARD)
    expected = backtest(uniform_store, *args, current=UNIFORM, workers=1)
    with PostgresStore(fresh_postgres) as store:
        saved(store, quarter, UNIFORM)  # type: ignore[arg-type]
        assert backtest(store, *args, current=UNIFORM, workers=1) == expected
        assert backtest(store, *args, current=UNIFORM, workers=2) == expected


def test_the_outputs_lead_with_the_same_policy_check_and_hold_no_contact(
    quarter: list[Ticket], quarter_store: MemoryStore
) -> None:
    result = backtest(quarter_store, NOVEMBER, STRICTER, current=DEMO, workers=1)
    names = {"period": "2026-11", "current": "in force", "proposed": "urgent 20 min"}
    markdown = backtest_markdown(result, **names)
    page = backtest_html(result, **names)
    data = json.loads(backtest_json(result, **names))
    assert markdown.splitlines()[2].startswith("**same policy: 0 flips**")
    assert page.index("same policy: 0 flips") < page.index("Per metric")
    assert data["same_policy"]["flips"] == 0
    assert len(data["flips"]) == len(result.flips)
    assert data["metrics"][0].keys() == {
        "metric",
        "cycles",
        "current",
        "proposed",
        "to_breached",
        "to_met",
    }
    contacts = {t.customer_name for t in quarter}
    for ticket in quarter:
        if ticket.contact is not None:
            contacts |= {
                ticket.contact.name,
                ticket.contact.phone or "",
                ticket.contact.email or "",
            }
    assert len(contacts) > 100
    for text in (markdown, page, json.dumps(data, ensure_ascii=False)):
        assert not [c for c in contacts if c and c in text]


def test_without_current_the_stores_adopted_policy_is_in_force(quarter: list[Ticket]) -> None:
    """Adopted from 1 October: the backtest of November reads it, as given explicitly."""
    from aftersales.sla.policy_document import document_of

    store = MemoryStore()
    calendars = {"china": QUARTER_CALENDAR}
    document = document_of(SlaPolicy.default(QUARTER_CALENDAR), calendars)
    store.adopt_policy(document, pendulum.datetime(2026, 10, 1, tz=TZ))
    adopted = document.build(calendars, version=1)
    saved(store, quarter, adopted)
    proposed = with_target(adopted, "first_response", "urgent", URGENT_20)
    found = backtest(store, NOVEMBER, proposed, workers=1, calendars=calendars)
    assert found == backtest(store, NOVEMBER, proposed, current=adopted, workers=1)
    assert found.from_facts > found.tickets // 2
    assert found.flips


def test_bad_arguments_are_refused_naming_them(quarter_store: MemoryStore) -> None:
    with pytest.raises(InvalidData, match="current: the store has adopted no SLA policy"):
        backtest(quarter_store, NOVEMBER, STRICTER)
    with pytest.raises(InvalidData, match="current: str is not a policy"):
        backtest(quarter_store, NOVEMBER, STRICTER, current="standard")  # type: ignore[arg-type]
    with pytest.raises(InvalidData, match="workers"):
        backtest(quarter_store, NOVEMBER, STRICTER, current=DEMO, workers=0)
    with pytest.raises(InvalidData, match="period"):
        backtest(quarter_store, "2026-11", STRICTER, current=DEMO)  # type: ignore[arg-type]
    with pytest.raises(UnknownValue, match="no_such_clock"):
        with_target(DEMO, "no_such_clock", "urgent", URGENT_20)
    with pytest.raises(InvalidData, match="target: int is not a target"):
        with_target(DEMO, "first_response", "urgent", 20)  # type: ignore[arg-type]


def test_judging_the_quarters_stored_cycles_matches_evaluation(quarter: list[Ticket]) -> None:
    """Every stored cycle of the quarter judged under looser and stricter targets, at the month's end.

    Among them: cycles that used exactly their budget and then waited paused
    (their due time is before their stop).
    """
    current = DEMO.policy("standard")
    proposals = [
        with_target(current, metric.name, priority, WorkingTime(timedelta(minutes=minutes)))
        for metric in current.metrics[:2]
        for priority in ("urgent", "important")
        for minutes in (20, 600)
    ]
    rules = FactsRules(current, QUARTER_CALENDAR)
    at = NOVEMBER.end
    judged = exact = 0
    for ticket in quarter:
        seen = as_of(ticket, at)
        if seen is None:
            continue
        facts = rules.project(seen)
        mine = {(r.metric, r.cycle): r for r in current.evaluate(seen, at)}
        for proposed in proposals:
            pairs = clock_pairs(current, proposed)
            theirs = {(r.metric, r.cycle): r.state for r in proposed.evaluate(seen, at)}
            for cycle in facts.cycles:
                if cycle.rule_only:
                    continue
                answer = judge_stored(cycle, pendulum_us(at), pairs[cycle.metric], seen.priority)
                if answer is None:
                    continue
                key = (cycle.metric, cycle.cycle)
                assert answer[:2] == (mine[key].state, theirs[key]), (seen.id, key)
                assert answer[2] is not False
                judged += 1
                exact += mine[key].elapsed_us == mine[key].budget_us
    assert judged > 10_000
    assert exact > 0


def test_a_cycle_that_used_exactly_its_budget_before_a_reopen_stays_met() -> None:
    """Its stored due time is the instant the budget ran out, days before its final stop.

    Urgent, resolution 8 working hours on weekdays 09:00–12:00, 13:30–18:00:
    opened Monday 09:00, resolved on first contact Tuesday 09:30 (exactly 8 h),
    an unresolved visit on Saturday reopens it (the clock continues) and it is
    resolved again an hour later, with no working time in between.
    """
    from aftersales.model.events import Acknowledged, ResolvedOnFirstContact, VisitRecorded
    from aftersales.testing.samples import sample_ticket

    def at(day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
        return pendulum.datetime(2026, 11, day, hour, minute, tz=TZ)

    opening = attrs.evolve(sample_ticket().history[0], at=at(16, 9), occurred_at=at(16, 8))
    ticket = Ticket.replay([opening])
    steps = [
        (Acknowledged, at(16, 9, 5), {"note": "收到"}),
        (ResolvedOnFirstContact, at(17, 9, 30), {"answer": "远程指导重启"}),
        (VisitRecorded, at(21, 10), {"resolved": False, "score": 2, "comment": "又死机了"}),
        (ResolvedOnFirstContact, at(21, 11), {"answer": "再次远程处理"}),
    ]
    for kind, when, payload in steps:
        ticket = ticket.apply(ticket.new_event(kind, by="李工", at=when, **payload))
    read_at = at(30, 12)
    result = CURRENT.evaluate(ticket, read_at)["resolution"]
    assert (result.state, result.elapsed, result.due_at) == (
        SlaState.MET,
        timedelta(hours=8),
        at(17, 9, 30),
    )
    stored = next(
        c for c in FactsRules(CURRENT, CALENDAR).project(ticket).cycles if c.metric == "resolution"
    )
    assert stored.due_us is not None
    assert stored.stopped_us is not None
    assert stored.due_us < stored.stopped_us
    for minutes in (7 * 60 + 59, 8 * 60, 8 * 60 + 1):
        proposed = with_target(
            CURRENT, "resolution", "urgent", WorkingTime(timedelta(minutes=minutes))
        )
        expected = proposed.evaluate(ticket, read_at)["resolution"].state
        pairs = clock_pairs(CURRENT, proposed)["resolution"]
        assert judge_stored(stored, pendulum_us(read_at), pairs, ticket.priority) == (
            SlaState.MET,
            expected,
            None if minutes == 8 * 60 else True,  # the same target: nothing to judge
        )
