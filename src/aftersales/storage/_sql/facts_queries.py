"""``read_facts`` of the SQL stores: a period's KPI counters aggregated by the database.

Private: :class:`FactsQueries` is a base of
:class:`~aftersales.storage._sql.projections.ProjectionTables`. It answers a
:class:`~aftersales.readmodel.reading.FactsRequest` as the reference answer
(:func:`~aftersales.readmodel.reading.read_from_projections`) does, but with
``GROUP BY`` queries in one read snapshot: the facts that apply at the
request's instant ``T`` are the current rows computed under the request's
key whose last event is before ``T``, and the rows of ``ticket_facts_past``
kept for exactly ``T`` (a month or week start). The counters of
:class:`~aftersales.kpi.ServiceKpis` are filled from the groups; durations
come back as values (their percentiles are exact); repeat complaints are
settled with a window function over every current row of the look-back. The
closure rate, the repeat complaints and the batch complaints count the rows
whose ``complaint`` flag is set (schema 14).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar

from aftersales import _checks as check
from aftersales.kpi.sla_counts import CALLBACK_METRIC
from aftersales.kpi.substatus_time import SubstatusWaits
from aftersales.kpi.summary import FactsSummary
from aftersales.readmodel.reading import FactsReading, FactsRequest
from aftersales.readmodel.visit_facts import read_dimensions
from aftersales.storage._sql.facts_schema import (
    read_outcome,
    read_running,
    read_substatus_summary,
)

__all__ = ["FactsQueries"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DAY_US = 86_400_000_000

#: The columns of a daily report's ticket line.
_LINE = "ticket_id, customer_name, channel, category, priority, status, description, received_at"


def _n(condition: str) -> str:
    """``sum`` of a condition, in both dialects."""
    return f"sum(CASE WHEN {condition} THEN 1 ELSE 0 END)"


class FactsQueries:
    """``read_facts``: the counters of a period from the facts tables.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.kpi import Period, ServiceKpis
        >>> from aftersales.readmodel.reading import FactsRequest
        >>> from aftersales.storage import SQLiteStore
        >>> kpis = ServiceKpis(Period.parse("2024-05", "UTC"), WorkCalendar.always("UTC"))
        >>> SQLiteStore(":memory:").read_facts(FactsRequest.of(kpis)).summary is None  # no facts
        True
    """

    open_literal: ClassVar[str] = "1"
    _local: Any

    # -- what SQLStore, ProjectionTables and the dialects provide -----------------------

    def _reading(self) -> Any:
        raise NotImplementedError

    def _writing(self) -> Any:
        raise NotImplementedError

    def _sql(self, text: str) -> str:
        raise NotImplementedError

    def _times_as_us(self) -> bool:
        raise NotImplementedError

    def _time(self, us: int | None) -> Any:
        raise NotImplementedError

    def _us(self, value: Any) -> Any:
        raise NotImplementedError

    def _key_id(self, cur: Any, key: str, *, create: bool) -> int | None:
        raise NotImplementedError

    # -- the dialect ----------------------------------------------------------------------

    @contextmanager
    def _snapshot(self) -> Iterator[Any]:
        """A cursor whose statements all read one snapshot of the database."""
        if self._times_as_us():  # SQLite: a deferred transaction, only reading
            with self._reading() as cur:
                if cur.connection.in_transaction:
                    yield cur
                    return
                cur.execute("BEGIN")
                try:
                    yield cur
                finally:
                    cur.connection.execute("COMMIT")
            return
        if getattr(self._local, "conn", None) is not None:  # inside a unit of work
            with self._reading() as cur:
                yield cur
            return
        with self._writing() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield cur

    def _among(self, column: str, values: frozenset[str]) -> tuple[str, Any]:
        """``column`` is one of ``values``: the condition and its one parameter."""
        if self._times_as_us():
            return f"{column} IN (SELECT value FROM json_each(?))", json.dumps(sorted(values))
        return f"{column} = ANY(CAST(? AS TEXT[]))", sorted(values)

    def _concat(self, expression: str) -> str:
        """Every non-null value of an integer ``expression``, comma-separated, in one text."""
        if self._times_as_us():
            return f"group_concat({expression})"
        return f"string_agg(CAST({expression} AS TEXT), ',')"

    def _span(self, us: int) -> Any:
        """A duration in µs as the difference of two stored instants compares with it."""
        return us if self._times_as_us() else timedelta(microseconds=us)

    # -- the answer -----------------------------------------------------------------------

    def read_facts(self, request: FactsRequest) -> FactsReading:
        """See :meth:`~aftersales.storage.FactsStore.read_facts`."""
        check.instance_of(FactsRequest)(request, "request")
        with self._snapshot() as cur:
            key_id = self._key_id(cur, request.key, create=False)
            if key_id is None:
                cur.execute(
                    self._sql(
                        "SELECT count(*) FROM ticket_facts WHERE received_at >= ? AND received_at < ?"
                    ),
                    (self._time(request.start_us), self._time(request.cohort_end_us)),
                )
                return FactsReading(summary=None, foreign=int(cur.fetchone()[0]))
            return _Reading(self, cur, request, key_id).answer()


class _Reading:
    """One ``read_facts``: its parameters, queries and counters."""

    def __init__(self, store: FactsQueries, cur: Any, request: FactsRequest, key_id: int) -> None:
        self.store = store
        self.cur = cur
        self.request = request
        self.key_id = key_id
        t = store._time
        self.at = t(request.at_us)
        self.start = t(request.start_us)
        self.end = t(request.end_us)
        self.cohort_end = t(request.cohort_end_us)
        self.lookback = t(request.lookback_us)
        self.true = store.open_literal
        cur.execute(
            store._sql("SELECT 1 FROM ticket_facts_past WHERE as_of = ? LIMIT 1"), (self.at,)
        )
        #: whether versions were kept for ``T`` (else the queries read ``ticket_facts`` alone)
        self.kept = cur.fetchone() is not None
        self.tallies: dict[str, Counter[Any]] = {}
        self.ratios: dict[str, list[int]] = {}

    def rows(
        self,
        columns: str,
        select: str,
        tail: str = "",
        before: tuple[Any, ...] = (),
        after: tuple[Any, ...] = (),
    ) -> list[Any]:
        """``select`` over the ``columns`` of the cohort's applicable facts (``c``), then ``tail``.

        The applicable facts: current rows under the key whose last event is
        before ``T``, and the rows kept for exactly ``T``. ``before`` are the
        parameters of ``select``, ``after`` those of ``tail``.
        """
        cohort, params = self.cohort(columns)
        sql = f"{select} FROM ({cohort}) AS c {tail}"
        self.cur.execute(self.store._sql(sql), [*before, *params, *after])
        return list(self.cur.fetchall())

    def cohort(self, columns: str) -> tuple[str, list[Any]]:
        """The ``SELECT`` of the cohort's applicable facts (``columns`` of them) and its parameters."""
        sql = (
            f"SELECT {columns} FROM ticket_facts WHERE key_id = ? AND received_at >= ?"
            " AND received_at < ? AND last_event_at < ?"
        )
        params = [self.key_id, self.start, self.cohort_end, self.at]
        if self.kept:
            sql += (
                f" UNION ALL SELECT {columns} FROM ticket_facts_past WHERE as_of = ?"
                " AND key_id = ? AND received_at >= ? AND received_at < ?"
            )
            params += [self.at, self.key_id, self.start, self.cohort_end]
        return sql, params

    def tally(self, name: str) -> Counter[Any]:
        found = self.tallies.get(name)
        if found is None:
            found = self.tallies[name] = Counter()
        return found

    def ratio(self, name: str, hits: Any, total: Any) -> None:
        row = self.ratios.setdefault(name, [0, 0])
        row[0] += int(hits or 0)
        row[1] += int(total or 0)

    def answer(self) -> FactsReading:
        fallback, foreign = self.fallback()
        missing = self.missing()
        received = self.daily()
        self.flags()
        self.dimensions()
        scores = self.people()
        self.outcomes()
        # tickets replayed later add to the pairs: then every pair is counted, and every
        # customer's name read (a replayed complaint may make a batch of anyone's)
        replayed = bool(fallback or missing)
        names = self.customers(1 if replayed else self.request.batch_threshold, every=replayed)
        durations = self.durations()
        self.running()
        backlog, ageing = self.backlog()
        unsettled = any(
            self.request.lookback_us <= received_us < self.request.cohort_end_us
            for _, received_us in missing
        )
        repeats, arrivals = self.repeats(settle=not unsettled)
        summary = FactsSummary(
            received=received,
            backlog=backlog,
            ageing=ageing,
            ratios={name: (hits, total) for name, (hits, total) in self.ratios.items()},
            durations=durations,
            tallies={name: dict(counts) for name, counts in self.tallies.items()},
            scores=scores,
            names=names,
            repeats=repeats,
            arrivals=arrivals,
            substatuses=self.substatuses(),
            dimensions=self.dimension_scores(),
        )
        return FactsReading(
            summary=summary,
            fallback=fallback,
            missing=tuple(ticket_id for ticket_id, _ in missing),
            foreign=foreign,
            lines=self.lines() if self.request.lines else (),
            feedback=self.feedback() if self.request.feedback else (),
        )

    # -- counters -------------------------------------------------------------------------

    def daily(self) -> int:
        """Tickets received per local day, closed ones per day; the cohort's size."""
        received = 0
        daily, closed_daily = self.tally("daily"), self.tally("daily_closed")
        for day, valid, closed, n in self.rows(
            "local_date, cancelled_at, closed",
            "SELECT local_date, CASE WHEN cancelled_at IS NULL THEN 1 ELSE 0 END,"
            " CASE WHEN closed THEN 1 ELSE 0 END, count(*)",
            "GROUP BY 1, 2, 3",
        ):
            received += n
            daily[_date(day)] += n
            if valid and closed:
                closed_daily[_date(day)] += n
        return received

    def flags(self) -> None:
        """The ratios of the valid cohort (closure: its complaints'), the fixed callback outcomes."""
        among, keys = self.store._among("customer_id", self.request.key_customers)
        found = self.rows(
            "customer_id, cancelled_at, closed, one_touch, first_contact, escalated, ever_closed,"
            " reopened, resolved, visited, callbacks_met, callbacks_missed, complaint",
            f"SELECT count(*), {_n('closed')}, {_n('complaint')}, {_n('complaint AND closed')},"
            f" {_n('one_touch')}, {_n('first_contact')},"
            f" {_n('escalated')}, {_n('escalated AND closed')}, {_n('ever_closed')},"
            f" {_n('ever_closed AND reopened')}, {_n('resolved')}, {_n('resolved AND visited')},"
            f" {_n(f'resolved AND {among}')}, {_n(f'resolved AND visited AND {among}')},"
            " sum(callbacks_met), sum(callbacks_missed)",
            "WHERE cancelled_at IS NULL",
            before=(keys, keys),
        )
        (
            n, closed, complaints, closed_complaints, one_touch, first_contact, escalated,
            escalated_closed, ever_closed, reopened, resolved, visited, key_resolved,
            key_visited, met, missed,
        ) = found[0]  # fmt: skip
        self.ratio("closure", closed_complaints, complaints)
        self.ratio("one_touch", one_touch, closed)
        self.ratio("first_line", first_contact, n)
        self.ratio("escalation", escalated, n)
        self.ratio("second_line", escalated_closed, escalated)
        self.ratio("reopen", reopened, ever_closed)
        self.ratio("visit_coverage", visited, resolved)
        self.ratio("key_visit_coverage", key_visited, key_resolved)
        self.ratio("low_score_callback", met, int(met or 0) + int(missed or 0))

    def dimensions(self) -> None:
        """Channels (with their first responses), categories (cancelled, high-impact), priorities."""
        for channel, category, priority, valid, n, impact, responded, response_sum in self.rows(
            "channel, category, priority, cancelled_at, high_impact, first_response_work_us",
            "SELECT channel, category, priority, CASE WHEN cancelled_at IS NULL THEN 1 ELSE 0 END,"
            f" count(*), {_n('high_impact')}, count(first_response_work_us),"
            " sum(first_response_work_us)",
            "GROUP BY 1, 2, 3, 4",
        ):
            if not valid:
                self.tally("cancelled")[category] += n
                continue
            for name, key in (("channel", channel), ("category", category), ("priority", priority)):
                self.tally(name)[key] += n
            if impact:
                self.tally("impact")[category] += int(impact)
            if responded:
                self.tally("channel_sum")[channel] += int(response_sum)
                self.tally("channel_count")[channel] += int(responded)

    def people(self) -> tuple[int, ...]:
        """Agents, products, root causes, ticket types and satisfaction scores of the valid cohort."""
        scores = [0] * 5
        for agent, product, root_cause, score, ticket_type, n in self.rows(
            "agent, product_model, root_cause, score, ticket_type, cancelled_at",
            "SELECT agent, product_model, root_cause, score, ticket_type, count(*)",
            "WHERE cancelled_at IS NULL GROUP BY 1, 2, 3, 4, 5",
        ):
            self.tally("agent")[agent] += n
            if product is not None:
                self.tally("product")[product] += n
            if ticket_type is not None:
                self.tally("ticket_type")[ticket_type] += n
            if root_cause is not None:
                self.tally("root_cause")[root_cause] += n
            if score is not None:
                scores[score - 1] += n
        return tuple(scores)

    def outcomes(self) -> None:
        """The SLA outcomes that cannot change before the tickets' next events."""
        met, breached, running = (
            self.tally("sla_met"),
            self.tally("sla_breached"),
            self.tally("sla_in_progress"),
        )
        for outcome, n in self.rows(
            "sla_outcome, cancelled_at",
            "SELECT sla_outcome, count(*)",
            "WHERE cancelled_at IS NULL GROUP BY 1",
        ):
            for metric, done, late, on in read_outcome(outcome):
                met[metric] += done * n
                breached[metric] += late * n
                if on:
                    running[metric] += on * n

    def running(self) -> None:
        """The clocks that ran on after their ticket's last event: breached by ``T`` or not."""
        at = self.request.at_us
        breached_tally, running_tally = self.tally("sla_breached"), self.tally("sla_in_progress")
        late_callbacks = 0
        for (text,) in self.rows(
            "sla_running, cancelled_at",
            "SELECT sla_running",
            "WHERE cancelled_at IS NULL AND sla_running IS NOT NULL",
        ):
            for rule_only, metric, breach_us in read_running(text):
                breached = at >= breach_us
                if breached and metric == CALLBACK_METRIC:
                    late_callbacks += 1
                if rule_only:
                    continue
                if breached:
                    breached_tally[metric] += 1
                else:
                    running_tally[metric] += 1
        self.ratio("low_score_callback", 0, late_callbacks)

    def substatuses(self) -> dict[str, tuple[int, int, list[int], list[int]]]:
        """The valid cohort's stays in sub-statuses, from each row's summary of them."""
        waits = SubstatusWaits()
        for text, n in self.rows(
            "substatus_time, cancelled_at",
            "SELECT substatus_time, count(*)",
            "WHERE cancelled_at IS NULL AND substatus_time IS NOT NULL GROUP BY 1",
        ):
            rows = read_substatus_summary(text)
            for _ in range(n):
                waits.add(rows)
        return waits.summary()

    def dimension_scores(self) -> dict[str, tuple[int, ...]]:
        """The valid cohort's scores by satisfaction dimension: a histogram per dimension."""
        histograms: dict[str, list[int]] = {}
        for text, n in self.rows(
            "dimension_scores, cancelled_at",
            "SELECT dimension_scores, count(*)",
            "WHERE cancelled_at IS NULL AND dimension_scores IS NOT NULL GROUP BY 1",
        ):
            for dimension, score in read_dimensions(text):
                histograms.setdefault(dimension, [0] * 5)[score - 1] += n
        return {dimension: tuple(counts) for dimension, counts in histograms.items()}

    def customers(self, threshold: int, *, every: bool = False) -> dict[str, tuple[int, str]]:
        """Batch complaints (a customer and category, at least ``threshold``), the names of their
        customers, or of every customer when ``every`` (replayed tickets may make anyone's batch)."""
        found = self._batches(threshold)
        batch = self.tally("batch")
        for customer, category, n in found:
            batch[(customer, category)] += n
        names: dict[str, tuple[int, str]] = {}
        wanted = frozenset(customer for customer, _, _ in found)
        if not wanted and not every:
            return names
        among, keys = ("1 = 1", None) if every else self.store._among("customer_id", wanted)
        us = self.store._us
        for customer, name, latest in self.rows(
            "customer_id, customer_name, received_at, cancelled_at",
            "SELECT customer_id, customer_name, max(received_at)",
            f"WHERE cancelled_at IS NULL AND {among} GROUP BY 1, 2",
            after=() if every else (keys,),
        ):
            seen = (us(latest), name)
            known = names.get(customer)
            if known is None or known < seen:
                names[customer] = seen
        return names

    def _batches(self, threshold: int) -> list[Any]:
        return self.rows(
            "customer_id, category, cancelled_at, complaint",
            "SELECT customer_id, category, count(*)",
            "WHERE cancelled_at IS NULL AND complaint GROUP BY 1, 2 HAVING count(*) >= ?",
            after=(threshold,),
        )

    def durations(self) -> dict[str, list[int]]:
        """Every first-response and resolution duration (calendar and working time)."""
        hours = ", ".join(str(h) for h in sorted(self.request.peak_hours)) or "-1"
        concat = self.store._concat
        peak = f"CASE WHEN local_hour IN ({hours}) THEN first_response_work_us END"
        off_peak = f"CASE WHEN local_hour NOT IN ({hours}) THEN first_response_work_us END"
        found = self.rows(
            "local_hour, cancelled_at, first_response_us, first_response_work_us,"
            " resolution_us, resolution_work_us",
            f"SELECT {concat('first_response_work_us')}, {concat('first_response_us')},"
            f" {concat(peak)}, {concat(off_peak)}, {concat('resolution_work_us')},"
            f" {concat('resolution_us')}",
            "WHERE cancelled_at IS NULL",
        )[0]
        names = ("fr", "fr_cal", "peak", "off_peak", "res", "res_cal")
        return {
            name: [] if text is None or text == "" else list(map(int, text.split(",")))
            for name, text in zip(names, found, strict=True)
        }

    def backlog(self) -> tuple[int, dict[int, int]]:
        """Tickets open at ``T`` (facts that apply), by ageing bucket."""
        at = self.request.at_us
        bounds = self.request.ageing_days
        cases = " ".join(f"WHEN received_at > ? THEN {index}" for index in range(len(bounds)))
        edges = [self.store._time(at - days * _DAY_US) for days in bounds]
        sql = (
            f"SELECT CASE {cases} ELSE {len(bounds)} END, count(*) FROM ("
            " SELECT received_at FROM ticket_facts WHERE key_id = ?"
            f" AND is_open = {self.true} AND received_at < ? AND last_event_at < ?"
            " UNION ALL SELECT received_at FROM ticket_facts_past WHERE as_of = ?"
            f" AND key_id = ? AND is_open = {self.true} AND received_at < ?) AS b GROUP BY 1"
        )
        params = [*edges, self.key_id, self.at, self.at, self.at, self.key_id, self.at]
        self.cur.execute(self.store._sql(sql), params)
        ageing = {int(bucket): int(n) for bucket, n in self.cur.fetchall()}
        return sum(ageing.values()), ageing

    def repeats(
        self, *, settle: bool
    ) -> tuple[tuple[int, int] | None, dict[tuple[str, str], list[tuple[int, bool]]]]:
        """Repeat complaints over every current complaint row of the look-back and cohort (any key)."""
        where = (
            "FROM ticket_facts WHERE received_at >= ? AND received_at < ? AND complaint"
            " AND (cancelled_at IS NULL OR cancelled_at >= ?)"
        )
        params = [self.lookback, self.cohort_end, self.at]
        if not settle:
            self.cur.execute(
                self.store._sql(f"SELECT customer_id, category, received_at {where}"), params
            )
            arrivals: dict[tuple[str, str], list[tuple[int, bool]]] = {}
            start = self.request.start_us
            for customer, category, received in self.cur.fetchall():
                received_us = self.store._us(received)
                arrivals.setdefault((customer, category), []).append(
                    (received_us, received_us >= start)
                )
            return None, arrivals
        # A cohort complaint repeats when the complaint before it (by receipt, then id) of
        # its customer and category came within the window: when any earlier one
        # did. Each is one probe of the index ticket_facts_customer.
        earlier = (
            "EXISTS (SELECT 1 FROM ticket_facts AS p WHERE p.customer_id = c.customer_id"
            " AND p.category = c.category AND p.received_at >= c.received_at - ?"
            " AND p.received_at <= c.received_at"
            " AND (p.received_at < c.received_at OR p.ticket_id < c.ticket_id)"
            " AND p.complaint AND (p.cancelled_at IS NULL OR p.cancelled_at >= ?))"
        )
        sql = (
            f"SELECT count(*), {_n(earlier)} FROM ticket_facts AS c WHERE c.received_at >= ?"
            " AND c.received_at < ? AND c.complaint"
            " AND (c.cancelled_at IS NULL OR c.cancelled_at >= ?)"
        )
        span = self.store._span(self.request.window_us)
        self.cur.execute(
            self.store._sql(sql), [span, self.at, self.start, self.cohort_end, self.at]
        )
        total, hits = self.cur.fetchone()
        return (int(hits or 0), int(total or 0)), {}

    # -- what the store cannot answer ---------------------------------------------------------

    def fallback(self) -> tuple[tuple[str, ...], int]:
        """Tickets with facts that do not apply at ``T``: of the cohort, or maybe open at ``T``."""
        kept_at = (
            "NOT EXISTS (SELECT 1 FROM ticket_facts_past AS p WHERE p.ticket_id = f.ticket_id"
            " AND p.as_of = ? AND p.key_id = ?)"
        )
        sql = (
            "SELECT f.ticket_id, f.key_id FROM ticket_facts AS f WHERE f.received_at >= ?"
            f" AND f.received_at < ? AND (f.key_id <> ? OR f.last_event_at >= ?) AND {kept_at}"
            # open under another key: two ranges of the (key_id, received_at) index
            " UNION SELECT f.ticket_id, f.key_id FROM ticket_facts AS f WHERE f.received_at < ?"
            f" AND f.is_open = {self.true} AND (f.key_id < ? OR f.key_id > ?)"
            " UNION SELECT f.ticket_id, f.key_id FROM ticket_facts AS f WHERE f.last_event_at >= ?"
            f" AND f.received_at < ? AND {kept_at}"
        )
        at, key = self.at, self.key_id
        params = [self.start, self.cohort_end, key, at, at, key, at, key, key, at, at, at, key]
        self.cur.execute(self.store._sql(sql), params)
        found = sorted(self.cur.fetchall())
        return tuple(ticket_id for ticket_id, _ in found), sum(1 for _, k in found if k != key)

    def missing(self) -> list[tuple[str, int]]:
        """Tickets without facts that the period needs: ``(id, received µs)``."""
        cur = self.cur
        cur.execute("SELECT count(*) FROM tickets")
        tickets = int(cur.fetchone()[0])
        cur.execute("SELECT count(*) FROM ticket_facts")
        if int(cur.fetchone()[0]) == tickets:
            return []
        cur.execute(
            self.store._sql(
                "SELECT t.id, t.received_at FROM tickets AS t WHERE t.received_at < ?"
                f" AND (t.received_at >= ? OR t.is_open = {self.true} OR t.updated_at >= ?)"
                " AND NOT EXISTS (SELECT 1 FROM ticket_facts AS f WHERE f.ticket_id = t.id)"
                " ORDER BY t.received_at, t.id"
            ),
            [self.at, self.lookback, self.at],
        )
        return [(ticket_id, self.store._us(received)) for ticket_id, received in cur.fetchall()]

    # -- lines ----------------------------------------------------------------------------------

    def lines(self) -> tuple[Any, ...]:
        us = self.store._us
        return tuple(
            (i, name, channel, category, priority, status, text, us(received))
            for i, name, channel, category, priority, status, text, received in self.rows(
                _LINE,
                f"SELECT {_LINE}",
            )
        )

    def feedback(self) -> tuple[Any, ...]:
        sql = (
            "SELECT v.ticket_id, f.customer_name, f.category, v.score, v.comment, v.at"
            " FROM ticket_visits AS v JOIN ticket_facts AS f ON f.ticket_id = v.ticket_id"
            f" WHERE v.low_score = {self.true} AND v.at < ? AND f.received_at >= ?"
            " AND f.received_at < ?"
        )
        self.cur.execute(self.store._sql(sql), [self.at, self.start, self.end])
        us = self.store._us
        return tuple(
            (i, name, category, score, comment, us(at))
            for i, name, category, score, comment, at in self.cur.fetchall()
        )


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)
