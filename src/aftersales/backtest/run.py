"""Running a backtest on a store: the period's tickets judged under two SLA policies, spread over processes.

:func:`backtest` reads the tickets received in a period and, for each, the
state of every SLA clock cycle at the period's end (or ``at``) under the
current policy and under the proposed one, into a
:class:`~aftersales.backtest.tally.BacktestTally`. Two paths, which give the
same answer (tests prove it against a full evaluation of both policies):

* when the policies differ only in targets and warning levels
  (:func:`~aftersales.backtest.judging.shared_clocks`), a ticket whose stored
  facts (computed under the current policy) apply at that instant and can
  tell is judged from them alone, without
  reading its events (:func:`~aftersales.backtest.judging.judge_stored`);
  any other is replayed once and its cycles re-judged under the proposed
  targets (:func:`~aftersales.backtest.judging.rejudge`);
* otherwise each ticket is replayed and evaluated under both policies.

Either way, every cycle is also judged against the current policy by the
same code (the same-policy check, 0 flips unless something is wrong). With
``workers`` above one, the period's days are handed out one at a time to
that many processes (forked, each opening the store once with ``opener``,
or using its copy of an in-memory store), and the tallies merged; the first
flips are explained at the end, in the calling process. Domain layer: the store is any :class:`~aftersales.readmodel.reading.FactsSource`
that also counts and streams tickets (every shipped store).

Example:
    >>> from datetime import timedelta
    >>> import attrs
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.kpi import Period
    >>> from aftersales.readmodel import Projector
    >>> from aftersales.sla import SlaPolicy, WorkingTime
    >>> from aftersales.storage import MemoryStore
    >>> from aftersales.testing.samples import sample_ticket
    >>> current = SlaPolicy.default(WorkCalendar.china())
    >>> store, ticket = MemoryStore(), sample_ticket()
    >>> store.save(ticket, expected_version=0, projection=Projector(current).project(ticket))
    >>> first = current.metrics[0]
    >>> strict = attrs.evolve(first, targets={**first.targets, "urgent": WorkingTime(timedelta(minutes=4))})
    >>> proposed = SlaPolicy([strict, *current.metrics[1:]], current.calendar)
    >>> result = backtest(store, Period.parse("2024-05", "Asia/Shanghai"), proposed, current=current)
    >>> result.same_policy_flips, [(f.ticket_id, f.metric, f.proposed) for f in result.flips]
    (0, [('T202405001', 'first_response', 'breached')])
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta
from multiprocessing import get_context
from typing import Any, Protocol

import attrs
import pendulum

from aftersales import _checks as check
from aftersales.backtest.judging import (
    clock_pairs,
    judge_stored,
    rejudge,
    shared_clocks,
)
from aftersales.backtest.tally import Backtest, BacktestTally, Flip, GroupKeys
from aftersales.calendar import WorkCalendar
from aftersales.errors import InvalidData
from aftersales.kpi.facts import as_of
from aftersales.kpi.periods import Period
from aftersales.model.query import TicketQuery
from aftersales.model.ticket import Ticket
from aftersales.readmodel.facts import ProjectedFacts
from aftersales.readmodel.fingerprint import projection_key
from aftersales.sla import MetricResult, SlaPolicies, SlaPolicy, SlaState
from aftersales.sla.clocks import MetricClock
from aftersales.sla.selection import policy_path
from aftersales.teams import Team
from aftersales.vocab import Priority

__all__ = ["BacktestSource", "backtest"]

#: The team of a ticket whose agent is no member of any team given.
NO_TEAM = "(no team)"
#: Below this many tickets a backtest runs in one process unless told otherwise.
_PARALLEL_FROM = 20_000
#: Tickets left to replay after the facts that are read one by one; more are streamed.
_ONE_BY_ONE = 2_000
_CALLBACK_WITHIN = timedelta(hours=48)
_DAY_US = 86_400_000_000
_HOUR_US = 3_600_000_000
_PRIORITIES = {priority.value: priority for priority in Priority}


class BacktestSource(Protocol):
    """What a backtest reads of a store (every shipped store offers it)."""

    def find_facts(
        self,
        *,
        received_from: pendulum.DateTime | None = None,
        received_before: pendulum.DateTime | None = None,
        ticket_ids: Collection[str] | None = None,
        key: str | None = None,
    ) -> Iterator[ProjectedFacts]:
        """The current facts of the tickets received in the range."""
        ...

    def get(self, ticket_id: str) -> Ticket:
        """The stored ticket."""
        ...

    def count(self, query: TicketQuery) -> int:
        """How many tickets match ``query``."""
        ...

    def stream(self, query: TicketQuery, *, batch: int = 1000) -> Iterator[Ticket]:
        """The tickets matching ``query``, read ``batch`` at a time."""
        ...


@attrs.frozen(slots=True)
class _Job:
    current: SlaPolicy
    proposed: SlaPolicy
    at_us: int
    shared: bool
    facts_key: str | None
    teams: Mapping[str, str]
    explain_limit: int
    pairs: Mapping[str, Sequence[tuple[MetricClock, MetricClock]]]

    @property
    def at(self) -> pendulum.DateTime:
        return WorkCalendar.always("UTC").from_epoch_us(self.at_us)


def _team_of(teams: Sequence[Team]) -> dict[str, str]:
    """Member name → team name (the first team, by name, listing the member)."""
    found: dict[str, str] = {}
    for team in sorted(teams, key=lambda t: t.name):
        for member in team.members:
            found.setdefault(member.name, team.name)
    return found


def _policy_of(policy: SlaPolicy, ticket: Ticket) -> SlaPolicy:
    """The single policy that judges ``ticket`` under ``policy`` (its recorded one for named policies)."""
    if not isinstance(policy, SlaPolicies):
        return policy
    path = policy_path(ticket)
    name = path[-1][1] if path else policy.default_name
    return policy.policies.get(name, policy.policies[policy.default_name])


def _keys(ticket: Ticket, teams: Mapping[str, str]) -> GroupKeys:
    agent = ticket.assignee or ticket.handler or ""
    return GroupKeys(
        ticket.priority.value, ticket.category.code, ticket.channel.code, teams.get(agent, NO_TEAM)
    )


def _facts_keys(facts: ProjectedFacts, teams: Mapping[str, str]) -> GroupKeys:
    return GroupKeys(facts.priority, facts.category, facts.channel, teams.get(facts.agent, NO_TEAM))


def _sides(job: _Job, ticket: Ticket) -> list[tuple[MetricResult | None, MetricResult | None]]:
    """Every counting cycle of ``ticket`` at the job's instant: (current, proposed) results."""
    at = job.at
    current = job.current.evaluate(ticket, at).results
    if job.shared:
        priority, theirs = ticket.priority, _policy_of(job.proposed, ticket)
        return [(r, rejudge(r, theirs[r.metric], priority)) for r in current if r.counts]
    proposed = {(r.metric, r.cycle): r for r in job.proposed.evaluate(ticket, at).results}
    pairs: list[tuple[MetricResult | None, MetricResult | None]] = []
    for result in current:
        other = proposed.pop((result.metric, result.cycle), None)
        if result.counts or (other is not None and other.counts):
            pairs.append((result, other))
    pairs.extend((None, r) for r in proposed.values() if r.counts)
    return pairs


def _state(result: MetricResult | None) -> SlaState:
    return SlaState.NOT_APPLICABLE if result is None else result.state


def _replay(job: _Job, ticket: Ticket, tally: BacktestTally) -> None:
    seen = as_of(ticket, job.at)
    if seen is None:
        return
    keys = _keys(seen, job.teams)
    own = _policy_of(job.current, seen)
    tally.add_ticket(from_facts=False)
    for current, proposed in _sides(job, seen):
        if current is not None:
            again = rejudge(current, own[current.metric], seen.priority)
            tally.add_check(again.state is current.state)
        some = current if current is not None else proposed
        assert some is not None
        tally.add_cycle(seen.id, keys, some.metric, some.cycle, _state(current), _state(proposed))


def _from_facts(job: _Job, facts: ProjectedFacts, tally: BacktestTally) -> bool:
    """Judge ``facts`` into ``tally``; False (nothing added) when they cannot tell."""
    if not facts.applies_at(job.at_us):
        return False
    priority = _PRIORITIES.get(facts.priority)
    if priority is None:
        return False
    judged = []
    for cycle in facts.cycles:
        if cycle.rule_only or not cycle.counts:
            continue
        judgement = judge_stored(cycle, job.at_us, job.pairs[cycle.metric], priority)
        if judgement is None:
            return False
        judged.append((cycle, judgement))
    keys = _facts_keys(facts, job.teams)
    tally.add_ticket(from_facts=True)
    for cycle, (now, proposed, agrees) in judged:
        if agrees is not None:
            tally.add_check(agrees)
        tally.add_cycle(facts.ticket_id, keys, cycle.metric, cycle.cycle, now, proposed)
    return True


def _explain(job: _Job, source: BacktestSource, flips: Iterable[Flip]) -> list[Flip]:
    explained = []
    for flip in flips:
        seen = as_of(source.get(flip.ticket_id), job.at)
        assert seen is not None  # it was compared at this instant
        for current, proposed in _sides(job, seen):
            some = current if current is not None else proposed
            if some is not None and (some.metric, some.cycle) == (flip.metric, flip.cycle):
                explained.append(
                    attrs.evolve(
                        flip,
                        current_explain=_explained(current),
                        proposed_explain=_explained(proposed),
                    )
                )
    return explained


def _explained(result: MetricResult | None) -> str:
    return "not measured" if result is None else result.explain()


def _run_slice(job: _Job, source: BacktestSource, low_us: int, high_us: int) -> BacktestTally:
    """The tally of the tickets received in ``[low_us, high_us)``."""
    tally = BacktestTally(job.explain_limit)
    if high_us <= low_us:
        return tally
    always = WorkCalendar.always("UTC")
    low, high = always.from_epoch_us(low_us), always.from_epoch_us(high_us)
    query = TicketQuery(received_from=low, received_before=high)
    done: set[str] = set()
    if job.shared and job.facts_key is not None:
        # an hour at a time: a store pages through a long range of many tickets more slowly
        for hour_us in range(low_us, high_us, _HOUR_US):
            first, last = (
                always.from_epoch_us(hour_us),
                always.from_epoch_us(min(high_us, hour_us + _HOUR_US)),
            )
            for facts in source.find_facts(
                received_from=first, received_before=last, key=job.facts_key
            ):
                if _from_facts(job, facts, tally):
                    done.add(facts.ticket_id)
    if done:
        everyone = source.count(query)
        if everyone == len(done):
            return tally
        listed = {f.ticket_id for f in source.find_facts(received_from=low, received_before=high)}
        left = listed - done
        if len(listed) == everyone and len(left) <= _ONE_BY_ONE:
            for ticket_id in sorted(left):
                _replay(job, source.get(ticket_id), tally)
            return tally
    for ticket in source.stream(query):
        if ticket.id not in done:
            _replay(job, ticket, tally)
    return tally


#: The job and store of the forked workers (set just before they are forked).
_FORKED: dict[str, Any] = {}


def _slice_in_child(low_us: int, high_us: int) -> BacktestTally:
    """One slice in a worker: on the store opened once per worker (or the copy forked)."""
    source = _FORKED.get("opened")
    if source is None:
        opener: Callable[[], BacktestSource] | None = _FORKED["opener"]
        source = _FORKED["opened"] = _FORKED["source"] if opener is None else opener()
    return _run_slice(_FORKED["job"], source, low_us, high_us)


def _policy_in_force(
    store: object, at: datetime, tz: str, calendars: Mapping[str, WorkCalendar] | None
) -> SlaPolicy:
    """The store's adopted policy in force at ``at``, built on ``calendars`` (see :func:`backtest`)."""
    finder = getattr(store, "policy_in_force", None)
    found = finder(at) if callable(finder) else None
    if found is None:
        message = (
            "the store has adopted no SLA policy; accepted: current=an SlaPolicy, or a store"
            " with an adopted one (aftersales sla policy load)"
        )
        raise InvalidData(f"current: {message}", problems=[("current", message)])
    if calendars is None:
        named = {"china": WorkCalendar.china(tz), "always": WorkCalendar.always(tz)}
        stored = getattr(store, "find_calendars", None)
        for name, definition in (stored() if callable(stored) else {}).items():
            named.setdefault(name, definition.build())
        calendars = named
    built: SlaPolicy = found.document.build(calendars, version=found.version)
    return built


def store_opener(store: object) -> Callable[[], BacktestSource] | None:
    """How a worker process opens ``store`` again: by its ``path`` or ``dsn``; ``None`` for an in-memory store.

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> store_opener(MemoryStore()) is None
        True
    """
    for attribute in ("path", "dsn"):
        where = getattr(store, attribute, None)
        if isinstance(where, str) and where != ":memory:":
            kind: Any = type(store)
            opener: Callable[[], BacktestSource] = functools.partial(kind, where)
            return opener
    return None


def backtest(
    store: BacktestSource,
    period: Period,
    proposed: SlaPolicy,
    *,
    current: SlaPolicy | None = None,
    workers: int | None = None,
    at: datetime | None = None,
    teams: Sequence[Team] | None = None,
    explain_limit: int = 50,
    opener: Callable[[], BacktestSource] | None = None,
    calendars: Mapping[str, WorkCalendar] | None = None,
) -> Backtest:
    """The tickets received in ``period`` judged under ``current`` and ``proposed`` (see the module).

    Clocks are read at ``at`` (default: the period's end), each ticket as it
    stood then. ``current`` is the policy in force (its stored facts are used
    when their key is this policy's on its own calendar); ``None``: the
    store's adopted version in force at the period's end, its calendars
    named by ``calendars`` (default: ``china`` and ``always`` in the
    period's zone, and the store's named calendars). ``teams`` give the
    team breakdown by the ticket's agent (default: the store's teams, when it
    keeps any). ``workers`` processes share the work (default: the CPUs for
    20,000 tickets or more, else one); ``opener`` opens the store in a worker
    (default: :func:`store_opener`). The first ``explain_limit`` flips, in
    ticket order, carry an ``explain()`` of both sides.

    Raises:
        InvalidData: a bad argument, or no ``current`` for a store without an
            adopted policy (nothing is read then).
    """
    check.run_checks_on(
        {
            "period": (period, check.instance_of(Period)),
            "proposed": (proposed, check.instance_of(SlaPolicy)),
            "workers": (workers, check.optional(check.integer(1, 64))),
            "at": (at, check.optional_aware),
            "explain_limit": (explain_limit, check.integer(0, 100_000)),
        }
    )
    start_us, end_us = WorkCalendar.epoch_us(period.start), WorkCalendar.epoch_us(period.end)
    at_us = end_us if at is None else WorkCalendar.epoch_us(at)
    if current is None:
        current = _policy_in_force(store, min(period.end, at or period.end), period.tz, calendars)
    if not isinstance(current, SlaPolicy):
        message = f"{type(current).__name__} is not a policy; accepted: an SlaPolicy or None"
        raise InvalidData(f"current: {message}", problems=[("current", message)])
    if teams is None:
        finder = getattr(store, "find_teams", None)
        teams = finder() if callable(finder) else ()
    shared = shared_clocks(current, proposed)
    job = _Job(
        current,
        proposed,
        at_us,
        shared,
        projection_key(current, current.calendar, _CALLBACK_WITHIN) if shared else None,
        _team_of(teams),
        explain_limit,
        clock_pairs(current, proposed) if shared else {},
    )
    high_us = min(end_us, at_us)
    if workers is None:
        always = WorkCalendar.always("UTC")
        many = store.count(
            TicketQuery(
                received_from=always.from_epoch_us(start_us),
                received_before=always.from_epoch_us(max(start_us, high_us)),
            )
        )
        workers = min(os.cpu_count() or 1, 8) if many >= _PARALLEL_FROM else 1
    if workers == 1 or high_us <= start_us:
        tally = _run_slice(job, store, start_us, high_us)
    else:
        tally = _in_processes(job, store, opener, start_us, high_us, workers)
    tally.explain(_explain(job, store, tally.flips_to_explain()))
    return tally.result()


def _in_processes(
    job: _Job,
    store: BacktestSource,
    opener: Callable[[], BacktestSource] | None,
    low_us: int,
    high_us: int,
    workers: int,
) -> BacktestTally:
    # days, handed out one at a time: a busy day (a sales festival) does not hold one worker up
    bounds = [(a, min(a + _DAY_US, high_us)) for a in range(low_us, high_us, _DAY_US)]
    _FORKED.update(job=job, source=store, opener=opener or store_opener(store))
    try:
        with ProcessPoolExecutor(min(workers, len(bounds)), mp_context=get_context("fork")) as pool:
            tallies = list(pool.map(_slice_in_child, *zip(*bounds, strict=True)))
    finally:
        _FORKED.clear()
    total = BacktestTally(job.explain_limit)
    for tally in tallies:
        total = total.merge(tally)
    return total
