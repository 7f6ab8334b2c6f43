"""The SQL adapters' read models: what is written beside a ticket's events, in their transaction.

Private: :class:`ProjectionTables` is a base of
:class:`~aftersales.storage._sql.store.SQLStore`. A save hands it each ticket
with its :class:`~aftersales.readmodel.TicketProjection` (or ``None``), in the
save's open transaction, so the read models never disagree with the events
they were computed from: the ticket's rows in ``ticket_facts``,
``ticket_facts_past``, ``ticket_sla_cycles``, ``ticket_visits`` and
``ticket_substatus_spans`` are replaced (removed, for a save without facts). ``find_facts`` reads the
current facts back, ``save_projections`` rewrites the projections of
tickets without touching their events (a rebuild), and ``read_facts`` (in
:class:`~aftersales.storage._sql.facts_queries.FactsQueries`) aggregates them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from aftersales.model.ticket import Ticket
from aftersales.readmodel.facts import CycleFacts, ProjectedFacts, VisitFacts
from aftersales.readmodel.projection import TicketProjection
from aftersales.readmodel.reading import check_facts_query, check_projections
from aftersales.readmodel.substatus_spans import SpanFacts
from aftersales.readmodel.visit_facts import read_dimensions
from aftersales.storage._sql.alerts import ALERT_COLUMNS, alert_columns
from aftersales.storage._sql.facts_queries import FactsQueries
from aftersales.storage._sql.facts_schema import (
    CYCLE_COLUMNS,
    FACTS_ROW,
    SPAN_COLUMNS,
    VISIT_ROW,
    facts_of_row,
    row_values,
    span_of_row,
    visit_values,
)
from aftersales.storage._sql.schema import insert_sql

__all__ = ["ProjectionTables"]


def _same(us: int | None) -> int | None:
    """An instant in µs as SQLite stores it: itself."""
    return us


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_PAGE = 500
_FACTS_NAMES = tuple(name for name, _, _ in FACTS_ROW)
_TABLES = (
    "ticket_facts",
    "ticket_facts_past",
    "ticket_sla_cycles",
    "ticket_visits",
    "ticket_substatus_spans",
)


class ProjectionTables(FactsQueries):
    """Writes (and reads back) the projections of tickets beside their events.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> issubclass(SQLiteStore, ProjectionTables)
        True
    """

    # -- what SQLStore and the dialects provide (declared only: bases later in the MRO define them)

    _ts: Callable[[datetime | None], Any]
    _after_write: Callable[[], None]

    # -- the dialect's values -------------------------------------------------------------

    def _times_as_us(self) -> bool:
        """True when the dialect stores times as integer µs (SQLite), not as timestamps."""
        found: bool | None = self.__dict__.get("_integer_times")
        if found is None:
            found = self.__dict__["_integer_times"] = isinstance(self._ts(_EPOCH), int)
        return found

    def _time(self, us: int | None) -> Any:
        """An instant in µs as the dialect stores it."""
        if us is None or self._times_as_us():
            return us
        return _EPOCH + timedelta(microseconds=us)

    def _us(self, value: Any) -> Any:
        """A stored instant in µs (``None`` stays ``None``)."""
        if value is None or isinstance(value, int):
            return value
        return (value - _EPOCH) // timedelta(microseconds=1)

    def _day(self, value: date) -> Any:
        return value.isoformat() if self._times_as_us() else value

    @staticmethod
    def _date(value: Any) -> date:
        return value if isinstance(value, date) else date.fromisoformat(value)

    # -- writes -----------------------------------------------------------------------------

    def _key_id(self, cur: Any, key: str, *, create: bool) -> int | None:
        """The id of ``key`` in ``projection_keys`` (added when ``create``)."""
        cur.execute(self._sql("SELECT id FROM projection_keys WHERE key = ?"), (key,))
        found = cur.fetchone()
        if found is not None or not create:
            return None if found is None else int(found[0])
        cur.execute(self._sql("INSERT INTO projection_keys (key) VALUES (?)"), (key,))
        return self._key_id(cur, key, create=False)

    def _write_projections(
        self, cur: Any, items: Sequence[tuple[Ticket, TicketProjection | None]]
    ) -> None:
        """Write the projection of each ``(ticket, projection)`` saved in the transaction ``cur``."""
        self._write_facts(cur, [(ticket.id, projection) for ticket, projection in items])

    def _write_facts(self, cur: Any, items: Sequence[tuple[str, TicketProjection | None]]) -> None:
        if not items:
            return
        ids = [ticket_id for ticket_id, _ in items]
        marks = ", ".join("?" * len(ids))
        for table in _TABLES:
            cur.execute(self._sql(f"DELETE FROM {table} WHERE ticket_id IN ({marks})"), ids)
        keys: dict[str, int] = {}
        facts_rows: list[tuple[Any, ...]] = []
        past_rows: list[tuple[Any, ...]] = []
        cycle_rows: list[tuple[Any, ...]] = []
        visit_rows: list[tuple[Any, ...]] = []
        span_rows: list[tuple[Any, ...]] = []
        time = _same if self._times_as_us() else self._time
        day = self._day
        for ticket_id, projection in items:
            if projection is None or not projection.facts:
                continue
            key_id = keys.get(projection.key)
            if key_id is None:
                key_id = keys[projection.key] = self._key_id(cur, projection.key, create=True)  # type: ignore[assignment]
            assert key_id is not None
            *earlier, current = projection.facts
            facts_rows.append(row_values(current, key_id, time, day))
            for facts in earlier:
                values = row_values(facts, key_id, time, day)
                past_rows += [(time(instant), *values) for instant in facts.as_of]
            cycle_rows += [
                (
                    ticket_id,
                    position,
                    c.metric,
                    c.cycle,
                    c.rule_only,
                    c.counts,
                    c.state,
                    time(c.started_us),
                    time(c.stopped_us),
                    time(c.due_us),
                    time(c.breach_us),
                )
                for position, c in enumerate(current.cycles)
            ]
            visit_rows += [visit_values(ticket_id, v, time) for v in current.visits]
            span_rows += [
                (ticket_id, position, s.substatus, time(s.started_us), time(s.ended_us), s.work_us)
                for position, s in enumerate(current.substatus_spans)
            ]
        for table, columns, rows in (
            ("ticket_facts", _FACTS_NAMES, facts_rows),
            ("ticket_facts_past", ("as_of", *_FACTS_NAMES), past_rows),
            ("ticket_sla_cycles", tuple(c for c, _, _ in CYCLE_COLUMNS), cycle_rows),
            ("ticket_visits", tuple(c for c, _, _ in VISIT_ROW), visit_rows),
            ("ticket_substatus_spans", tuple(c for c, _, _ in SPAN_COLUMNS), span_rows),
        ):
            if rows:
                cur.executemany(self._sql(insert_sql(table, columns)), rows)

    def save_projections(self, items: Iterable[tuple[str, TicketProjection]]) -> int:
        """See :meth:`~aftersales.storage.FactsStore.save_projections`.

        One transaction: each projection of a ticket still at the projected
        version replaces its read models (the ``tickets`` row's due and alert
        instants, its facts); the others are left alone.
        """
        checked = check_projections(items)
        try:
            with self._writing() as cur:
                kept: list[tuple[str, TicketProjection | None]] = []
                assignments = ", ".join(f"{name} = ?" for name in ("due_at", *ALERT_COLUMNS))
                for ticket_id, projection in checked:
                    cur.execute(
                        self._sql(f"UPDATE tickets SET {assignments} WHERE id = ? AND version = ?"),
                        (
                            self._ts(projection.due_at),
                            *map(self._ts, alert_columns(projection)),
                            ticket_id,
                            projection.version,
                        ),
                    )
                    if cur.rowcount == 1:
                        kept.append((ticket_id, projection))
                self._write_facts(cur, kept)
        finally:
            self._after_write()
        return len(kept)

    # -- reads ------------------------------------------------------------------------------

    def find_facts(
        self,
        *,
        received_from: datetime | None = None,
        received_before: datetime | None = None,
        ticket_ids: Collection[str] | None = None,
        key: str | None = None,
    ) -> Iterator[ProjectedFacts]:
        """See :meth:`~aftersales.storage.FactsStore.find_facts`.

        Streams: one page of rows at a time, each page with its cycles, visits and stays.
        """
        low, high, ids, wanted = check_facts_query(received_from, received_before, ticket_ids, key)
        clauses: list[str] = []
        params: list[Any] = []
        if low is not None:
            clauses.append("f.received_at >= ?")
            params.append(self._ts(low))
        if high is not None:
            clauses.append("f.received_at < ?")
            params.append(self._ts(high))
        if wanted is not None:
            clauses.append("f.key_id = (SELECT id FROM projection_keys WHERE key = ?)")
            params.append(wanted)
        chunks = (
            [None]
            if ids is None
            else [sorted(ids)[i : i + _PAGE] for i in range(0, len(ids), _PAGE)]
        )
        columns = ", ".join(f"f.{name}" for name in _FACTS_NAMES)
        found: list[ProjectedFacts] = []
        for chunk in chunks:
            where = list(clauses)
            values = list(params)
            if chunk is not None:
                if not chunk:
                    continue
                where.append(f"f.ticket_id IN ({', '.join('?' * len(chunk))})")
                values += chunk
            sql = f"SELECT {columns} FROM ticket_facts AS f"
            if where:
                sql += " WHERE " + " AND ".join(where)
            if ids is None:
                yield from self._facts_pages(sql, values)
            else:
                found += self._facts_pages(sql, values)
        found.sort(key=lambda f: (f.received_us, f.ticket_id))
        yield from found

    def _facts_pages(self, sql: str, params: list[Any]) -> Iterator[ProjectedFacts]:
        """The facts of ``sql``'s rows in ``(received_at, ticket_id)`` order, a page at a time."""
        after: tuple[Any, str] | None = None
        while True:
            page_sql, page_params = sql, list(params)
            if after is not None:
                joiner = " AND " if " WHERE " in sql else " WHERE "
                page_sql += f"{joiner}(f.received_at, f.ticket_id) > (?, ?)"
                page_params += list(after)
            page_sql += f" ORDER BY f.received_at, f.ticket_id LIMIT {_PAGE}"
            with self._reading() as cur:
                cur.execute(self._sql(page_sql), page_params)
                rows = cur.fetchall()
                ids = [row[0] for row in rows]
                cycles, visits = self._details(cur, ids)
                spans = self._spans(cur, ids)
            for row in rows:
                yield facts_of_row(
                    self._plain(row),
                    cycles.get(row[0], ()),
                    visits.get(row[0], ()),
                    spans.get(row[0], ()),
                )
            if len(rows) < _PAGE:
                return
            after = (rows[-1][4], rows[-1][0])

    def _plain(self, row: Sequence[Any]) -> list[Any]:
        values = list(row)
        for index, (_, kind, _) in enumerate(FACTS_ROW):
            if kind == "time":
                values[index] = self._us(values[index])
            elif kind == "date":
                values[index] = self._date(values[index])
        return values

    def _spans(self, cur: Any, ids: list[str]) -> dict[str, list[SpanFacts]]:
        """The stays in sub-statuses of the tickets ``ids``, in order, by ticket."""
        spans: dict[str, list[SpanFacts]] = {}
        if not ids:
            return spans
        cur.execute(
            self._sql(
                "SELECT ticket_id, substatus, started_at, ended_at, work_us"
                " FROM ticket_substatus_spans"
                f" WHERE ticket_id IN ({', '.join('?' * len(ids))}) ORDER BY ticket_id, position"
            ),
            ids,
        )
        us = self._us
        for ticket_id, substatus, started, ended, work in cur.fetchall():
            spans.setdefault(ticket_id, []).append(
                span_of_row((substatus, us(started), us(ended), work))
            )
        return spans

    def _details(
        self, cur: Any, ids: list[str]
    ) -> tuple[dict[str, list[CycleFacts]], dict[str, list[VisitFacts]]]:
        cycles: dict[str, list[CycleFacts]] = {}
        visits: dict[str, list[VisitFacts]] = {}
        if not ids:
            return cycles, visits
        marks = ", ".join("?" * len(ids))
        cur.execute(
            self._sql(
                "SELECT ticket_id, metric, cycle, rule_only, counts, state, started_at, stopped_at,"
                f" due_at, breach_at FROM ticket_sla_cycles WHERE ticket_id IN ({marks})"
                " ORDER BY ticket_id, position"
            ),
            ids,
        )
        us = self._us
        for (
            tid,
            metric,
            cycle,
            rule_only,
            counts,
            state,
            start,
            stop,
            due,
            breach,
        ) in cur.fetchall():
            cycles.setdefault(tid, []).append(
                CycleFacts(
                    metric,
                    cycle,
                    bool(rule_only),
                    bool(counts),
                    state,
                    us(start),
                    us(stop),
                    us(due),
                    us(breach),
                )
            )
        cur.execute(
            self._sql(
                "SELECT ticket_id, seq, at, score, resolved, low_score, comment, dimensions"
                f" FROM ticket_visits WHERE ticket_id IN ({marks}) ORDER BY ticket_id, seq"
            ),
            ids,
        )
        for tid, seq, at, score, resolved, low, comment, dimensions in cur.fetchall():
            visits.setdefault(tid, []).append(
                VisitFacts(
                    seq,
                    us(at),
                    score,
                    bool(resolved),
                    bool(low),
                    comment,
                    read_dimensions(dimensions),
                )
            )
        return cycles, visits
