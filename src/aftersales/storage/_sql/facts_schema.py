"""The facts tables of the SQL stores (schema 7): their columns, and a ticket's facts as rows.

Private. :data:`FACTS_COLUMNS` are the columns of ``ticket_facts`` (one row
per ticket: its current facts) and, after ``as_of``, of ``ticket_facts_past``
(the facts of the version a ticket had at a month or week start it
straddled); ``ticket_sla_cycles`` holds the clocks of the current version
and ``ticket_visits`` its return visits; ``projection_keys`` names the
configurations facts were computed under. Schema 12 adds the stays in
sub-statuses: ``ticket_substatus_spans`` for the current version, and a
summary column on both facts tables (:data:`FACTS_COLUMNS_12`, written by
:func:`substatus_summary`, read by :func:`read_substatus_summary`). Schema
14 adds the ticket type, whether the ticket is a complaint and its latest
scores by satisfaction dimension to both facts tables
(:data:`FACTS_COLUMNS_14`), and each visit's scores by dimension to
``ticket_visits`` (:data:`VISIT_COLUMNS_14`; see :func:`type_statements`). ``docs/read-models.md`` documents
every column; the statements of schema 7 are built here once for both
dialects (:func:`facts_statements`) and never change. The SLA summary
columns (``sla_outcome``, ``sla_running``) are for the library's readers:
:func:`sla_outcome` and :func:`sla_running` write them, :func:`read_outcome`
and :func:`read_running` read them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final

from aftersales.kpi.sla_counts import CALLBACK_METRIC
from aftersales.readmodel.facts import CycleFacts, ProjectedFacts, VisitFacts
from aftersales.readmodel.substatus_spans import SpanFacts, SubstatusRow, substatus_time
from aftersales.readmodel.visit_facts import dimensions_text, read_dimensions
from aftersales.sla import SlaState

__all__ = [
    "CYCLE_COLUMNS",
    "FACTS_COLUMNS",
    "FACTS_COLUMNS_12",
    "FACTS_COLUMNS_14",
    "FACTS_ROW",
    "SPAN_COLUMNS",
    "VISIT_COLUMNS",
    "VISIT_COLUMNS_14",
    "VISIT_ROW",
    "callbacks_fixed",
    "facts_of_row",
    "facts_statements",
    "read_outcome",
    "read_running",
    "read_substatus_summary",
    "row_values",
    "sla_outcome",
    "sla_running",
    "span_of_row",
    "substatus_statements",
    "substatus_summary",
    "type_statements",
    "visit_values",
]

#: ``(name, kind, nullable)`` of each column of ``ticket_facts``, in row order (schema 7).
#: Kinds: ``text``, ``integer`` (32-bit), ``bigint`` (µs), ``boolean``, ``time``, ``date``.
FACTS_COLUMNS: Final = (
    ("ticket_id", "text", False),
    ("version", "integer", False),
    ("key_id", "integer", False),
    ("last_event_at", "time", False),
    ("received_at", "time", False),
    ("local_date", "date", False),
    ("local_hour", "integer", False),
    ("customer_id", "text", False),
    ("customer_name", "text", False),
    ("channel", "text", False),
    ("category", "text", False),
    ("product_model", "text", True),
    ("priority", "text", False),
    ("agent", "text", False),
    ("root_cause", "text", True),
    ("status", "text", False),
    ("description", "text", False),
    ("is_open", "boolean", False),
    ("closed", "boolean", False),
    ("cancelled_at", "time", True),
    ("closed_at", "time", True),
    ("first_response_at", "time", True),
    ("first_resolved_at", "time", True),
    ("resolved_at", "time", True),
    ("first_response_us", "bigint", True),
    ("first_response_work_us", "bigint", True),
    ("resolution_us", "bigint", True),
    ("resolution_work_us", "bigint", True),
    ("first_contact", "boolean", False),
    ("escalated", "boolean", False),
    ("escalation_level", "integer", False),
    ("reopened", "boolean", False),
    ("reopen_count", "integer", False),
    ("ever_closed", "boolean", False),
    ("one_touch", "boolean", False),
    ("high_impact", "boolean", False),
    ("score", "integer", True),
    ("resolved", "boolean", False),
    ("visited", "boolean", False),
    ("callbacks_met", "integer", False),
    ("callbacks_missed", "integer", False),
    ("sla_outcome", "text", False),
    ("sla_running", "text", True),
)

#: The columns of ``ticket_sla_cycles`` (schema 7).
CYCLE_COLUMNS: Final = (
    ("ticket_id", "text", False),
    ("position", "integer", False),
    ("metric", "text", False),
    ("cycle", "integer", False),
    ("rule_only", "boolean", False),
    ("counts", "boolean", False),
    ("state", "text", False),
    ("started_at", "time", False),
    ("stopped_at", "time", True),
    ("due_at", "time", True),
    ("breach_at", "time", True),
)

#: The columns schema 12 adds to ``ticket_facts`` and ``ticket_facts_past``, after
#: :data:`FACTS_COLUMNS`: the summary of the stays in sub-statuses.
FACTS_COLUMNS_12: Final = (("substatus_time", "text", True),)
#: The columns schema 14 adds to both facts tables, after :data:`FACTS_COLUMNS_12`: the
#: ticket type's code, whether the ticket is a complaint, and its latest score per
#: satisfaction dimension (``code=score;…``).
FACTS_COLUMNS_14: Final = (
    ("ticket_type", "text", True),
    ("complaint", "boolean", False),
    ("dimension_scores", "text", True),
)
#: Every column of a ``ticket_facts`` row (of ``ticket_facts_past`` after ``as_of``), in order.
FACTS_ROW: Final = FACTS_COLUMNS + FACTS_COLUMNS_12 + FACTS_COLUMNS_14

#: The columns of ``ticket_substatus_spans`` (schema 12): the current version's stays.
SPAN_COLUMNS: Final = (
    ("ticket_id", "text", False),
    ("position", "integer", False),
    ("substatus", "text", False),
    ("started_at", "time", False),
    ("ended_at", "time", True),
    ("work_us", "bigint", True),
)

#: The columns of ``ticket_visits`` (schema 7).
VISIT_COLUMNS: Final = (
    ("ticket_id", "text", False),
    ("seq", "integer", False),
    ("at", "time", False),
    ("score", "integer", False),
    ("resolved", "boolean", False),
    ("low_score", "boolean", False),
    ("comment", "text", False),
)
#: The column schema 14 adds to ``ticket_visits``: the visit's scores by dimension.
VISIT_COLUMNS_14: Final = (("dimensions", "text", True),)
#: Every column of a ``ticket_visits`` row, in order.
VISIT_ROW: Final = VISIT_COLUMNS + VISIT_COLUMNS_14


def _columns(columns: tuple[tuple[str, str, bool], ...], types: dict[str, str]) -> str:
    return ", ".join(
        f"{name} {types[kind]}{'' if nullable else ' NOT NULL'}" for name, kind, nullable in columns
    )


def facts_statements(
    types: dict[str, str],
    text_key: str,
    indexes: Callable[[str], tuple[str, ...]],
    clustered: str = "",
) -> tuple[str, ...]:
    """The statements of schema 7 in a dialect: its column ``types`` by kind, its key text type.

    ``indexes(table)`` gives the dialect's ``CREATE INDEX`` statements of a
    table; ``clustered`` ends the tables stored in primary-key order
    (SQLite's ``WITHOUT ROWID``).

    Example:
        >>> types = dict(text="TEXT", integer="INTEGER", bigint="INTEGER", boolean="INTEGER",
        ...              time="INTEGER", date="TEXT", key="INTEGER PRIMARY KEY")
        >>> facts_statements(types, "TEXT", lambda table: ())[0]
        'CREATE TABLE projection_keys (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE)'
    """
    facts = _columns(FACTS_COLUMNS, types)
    return (
        f"CREATE TABLE projection_keys (id {types['key']}, key {text_key} NOT NULL UNIQUE)",
        f"CREATE TABLE ticket_facts ({facts}, PRIMARY KEY (ticket_id),"
        " FOREIGN KEY (ticket_id) REFERENCES tickets (id),"
        " FOREIGN KEY (key_id) REFERENCES projection_keys (id))",
        *indexes("ticket_facts"),
        f"CREATE TABLE ticket_facts_past (as_of {types['time']} NOT NULL, {facts},"
        " PRIMARY KEY (ticket_id, as_of), FOREIGN KEY (ticket_id) REFERENCES tickets (id),"
        f" FOREIGN KEY (key_id) REFERENCES projection_keys (id)){clustered}",
        *indexes("ticket_facts_past"),
        f"CREATE TABLE ticket_sla_cycles ({_columns(CYCLE_COLUMNS, types)},"
        " PRIMARY KEY (ticket_id, rule_only, metric, cycle),"
        f" FOREIGN KEY (ticket_id) REFERENCES tickets (id)){clustered}",
        f"CREATE TABLE ticket_visits ({_columns(VISIT_COLUMNS, types)},"
        f" PRIMARY KEY (ticket_id, seq), FOREIGN KEY (ticket_id) REFERENCES tickets (id)){clustered}",
        *indexes("ticket_visits"),
    )


def substatus_statements(types: dict[str, str], clustered: str = "") -> tuple[str, ...]:
    """The facts statements of schema 12 in a dialect (``types`` and ``clustered`` as in schema 7).

    Example:
        >>> types = dict(text="TEXT", integer="INTEGER", bigint="INTEGER", time="INTEGER")
        >>> substatus_statements(types)[0]
        'ALTER TABLE ticket_facts ADD COLUMN substatus_time TEXT'
    """
    return (
        *(
            f"ALTER TABLE {table} ADD COLUMN {name} {types[kind]}"
            for table in ("ticket_facts", "ticket_facts_past")
            for name, kind, _ in FACTS_COLUMNS_12
        ),
        f"CREATE TABLE ticket_substatus_spans ({_columns(SPAN_COLUMNS, types)},"
        " PRIMARY KEY (ticket_id, position),"
        f" FOREIGN KEY (ticket_id) REFERENCES tickets (id)){clustered}",
    )


def type_statements(types: dict[str, str], true: str, false: str) -> tuple[str, ...]:
    """The facts statements of schema 14 in a dialect (``types`` as in schema 7, its booleans).

    Rows written before hold no type and no dimension scores; their
    ``complaint`` is what :func:`aftersales.priority.is_complaint` says of a
    ticket without a type: every category but ``consultation``.

    Example:
        >>> types = dict(text="TEXT", boolean="INTEGER")
        >>> type_statements(types, "1", "0")[1]
        'ALTER TABLE ticket_facts ADD COLUMN complaint INTEGER NOT NULL DEFAULT 1'
    """
    tables = ("ticket_facts", "ticket_facts_past")
    return (
        *(
            f"ALTER TABLE {table} ADD COLUMN {name} {types[kind]}"
            + ("" if nullable else f" NOT NULL DEFAULT {true}")
            for table in tables
            for name, kind, nullable in FACTS_COLUMNS_14
        ),
        *(
            f"UPDATE {table} SET complaint = {false} WHERE category = 'consultation'"
            for table in tables
        ),
        *(
            f"ALTER TABLE ticket_visits ADD COLUMN {name} {types[kind]}"
            for name, kind, _ in VISIT_COLUMNS_14
        ),
    )


def visit_values(
    ticket_id: str, visit: VisitFacts, time: Callable[[int | None], Any]
) -> tuple[Any, ...]:
    """The values of :data:`VISIT_ROW` for one visit of ``ticket_id`` (``time``: the dialect's)."""
    return (
        ticket_id,
        visit.seq,
        time(visit.at_us),
        visit.score,
        visit.resolved,
        visit.low_score,
        visit.comment,
        dimensions_text(visit.dimensions),
    )


def substatus_summary(facts: ProjectedFacts) -> str | None:
    """``code=stays ended,working µs,calendar µs,in it`` per sub-status, ``;``-separated; or ``None``.

    Sub-status codes hold none of ``=,;``.

    Example:
        >>> from aftersales.readmodel.substatus_spans import SpanFacts
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.readmodel.facts import FactsRules
        >>> from aftersales.testing.samples import sample_ticket
        >>> import attrs
        >>> facts = FactsRules(None, WorkCalendar.always("UTC")).project(sample_ticket())
        >>> substatus_summary(facts) is None
        True
        >>> substatus_summary(attrs.evolve(facts, substatus_spans=(SpanFacts("waiting_parts", 0, 9, 4),)))
        'waiting_parts=1,4,9,0'
    """
    rows = substatus_time(facts.substatus_spans)
    if not rows:
        return None
    return ";".join(f"{code}={a},{b},{c},{int(d)}" for code, a, b, c, d in rows)


def read_substatus_summary(text: str) -> list[SubstatusRow]:
    """The rows of a ``substatus_time`` value (see :func:`substatus_summary`).

    Example:
        >>> read_substatus_summary("waiting_parts=1,4,9,0;waiting_manufacturer=0,0,0,1")
        [('waiting_parts', 1, 4, 9, False), ('waiting_manufacturer', 0, 0, 0, True)]
    """
    rows: list[SubstatusRow] = []
    for item in text.split(";"):
        code, _, numbers = item.partition("=")
        ended, work, calendar, waiting = numbers.split(",")
        rows.append((code, int(ended), int(work), int(calendar), waiting == "1"))
    return rows


def span_of_row(row: Sequence[Any]) -> SpanFacts:
    """The stay of a ``ticket_substatus_spans`` row read as plain values (``substatus`` on, times in µs).

    Example:
        >>> span_of_row(("waiting_parts", 0, None, None)).ended_us is None
        True
    """
    substatus, started, ended, work = row
    return SpanFacts(substatus, started, ended, work)


def _fixed(cycle: CycleFacts) -> bool:
    """True when the cycle's state cannot change before the ticket's next event."""
    return not (cycle.state == SlaState.RUNNING.value and cycle.breach_us is not None)


def sla_outcome(facts: ProjectedFacts) -> str:
    """``metric=met,breached,in progress`` per metric of the policy, of the cycles that count and cannot change.

    Every metric with a counting cycle is listed (with zeros when its
    cycles run on), sorted, ``;``-separated (metric names hold none of ``=,;@!``).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.readmodel.facts import FactsRules
        >>> from aftersales.sla import SlaPolicy
        >>> from aftersales.testing.samples import sample_ticket
        >>> calendar = WorkCalendar.china()  # every clock of the sample ticket met
        >>> sla_outcome(FactsRules(SlaPolicy.default(calendar), calendar).project(sample_ticket()))
        'first_response=1,0,0;onsite_within=1,0,0;resolution=1,0,0;return_visit=1,0,0'
    """
    counts: dict[str, list[int]] = {}
    for cycle in facts.cycles:
        if not cycle.counts or cycle.rule_only:
            continue
        row = counts.setdefault(cycle.metric, [0, 0, 0])
        if not _fixed(cycle):
            continue
        if cycle.state == SlaState.MET.value:
            row[0] += 1
        elif cycle.state == SlaState.BREACHED.value:
            row[1] += 1
        elif cycle.state in (SlaState.RUNNING.value, SlaState.PAUSED.value):
            row[2] += 1
    return ";".join(f"{m}={a},{b},{c}" for m, (a, b, c) in sorted(counts.items()))


def sla_running(facts: ProjectedFacts) -> str | None:
    """The counting cycles that run on and may breach: ``[!]metric@breach_us``, ``;``-separated.

    ``!`` marks a cycle of the callback rule only. ``None`` when there is none.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.readmodel.facts import FactsRules
        >>> from aftersales.testing.samples import sample_ticket
        >>> sla_running(FactsRules(None, WorkCalendar.always("UTC")).project(sample_ticket())) is None
        True
    """
    running = [
        f"{'!' if cycle.rule_only else ''}{cycle.metric}@{cycle.breach_us}"
        for cycle in facts.cycles
        if cycle.counts and not _fixed(cycle)
    ]
    return ";".join(running) if running else None


def callbacks_fixed(facts: ProjectedFacts) -> tuple[int, int]:
    """The met and breached callback cycles whose state cannot change before the next event.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.readmodel.facts import FactsRules
        >>> from aftersales.testing.samples import sample_ticket
        >>> callbacks_fixed(FactsRules(None, WorkCalendar.always("UTC")).project(sample_ticket()))
        (0, 0)
    """
    met = breached = 0
    for cycle in facts.cycles:
        if cycle.counts and cycle.metric == CALLBACK_METRIC and _fixed(cycle):
            met += cycle.state == SlaState.MET.value
            breached += cycle.state == SlaState.BREACHED.value
    return met, breached


def read_outcome(text: str) -> list[tuple[str, int, int, int]]:
    """The ``(metric, met, breached, in progress)`` of an ``sla_outcome`` value.

    Example:
        >>> read_outcome("first_response=1,0,0;resolution=0,1,0")
        [('first_response', 1, 0, 0), ('resolution', 0, 1, 0)]
    """
    out = []
    for item in text.split(";") if text else ():
        metric, _, counts = item.partition("=")
        met, breached, running = counts.split(",")
        out.append((metric, int(met), int(breached), int(running)))
    return out


def read_running(text: str) -> list[tuple[bool, str, int]]:
    """The ``(callback rule only, metric, breach µs)`` of an ``sla_running`` value.

    Example:
        >>> read_running("resolution@10;!low_score_callback@20")
        [(False, 'resolution', 10), (True, 'low_score_callback', 20)]
    """
    out = []
    for item in text.split(";"):
        metric, _, breach = item.partition("@")
        out.append((metric.startswith("!"), metric.lstrip("!"), int(breach)))
    return out


def row_values(
    facts: ProjectedFacts,
    key_id: int,
    time: Callable[[int | None], Any],
    day: Callable[[Any], Any],
) -> tuple[Any, ...]:
    """The values of :data:`FACTS_ROW` for ``facts`` (``time``/``day``: the dialect's)."""
    received = facts.received_us
    met, breached = callbacks_fixed(facts)
    return (
        facts.ticket_id,
        facts.version,
        key_id,
        time(facts.last_event_us),
        time(received),
        day(facts.local_date),
        facts.local_hour,
        facts.customer_id,
        facts.customer_name,
        facts.channel,
        facts.category,
        facts.product,
        facts.priority,
        facts.agent,
        facts.root_cause,
        facts.status,
        facts.description,
        facts.open,
        facts.closed,
        time(facts.cancelled_at_us),
        time(facts.closed_at_us),
        time(None if facts.first_response_us is None else received + facts.first_response_us),
        time(facts.first_resolved_at_us),
        time(None if facts.resolution_us is None else received + facts.resolution_us),
        facts.first_response_us,
        facts.first_response_work_us,
        facts.resolution_us,
        facts.resolution_work_us,
        facts.first_contact,
        facts.escalated,
        facts.escalation_level,
        facts.reopened,
        facts.reopen_count,
        facts.ever_closed,
        facts.one_touch,
        facts.high_impact,
        facts.score,
        facts.resolved,
        facts.visited,
        met,
        breached,
        sla_outcome(facts),
        sla_running(facts),
        substatus_summary(facts),
        facts.ticket_type,
        facts.complaint,
        dimensions_text(facts.dimension_scores),
    )


def facts_of_row(
    row: Sequence[Any],
    cycles: Sequence[CycleFacts],
    visits: Sequence[VisitFacts],
    spans: Sequence[SpanFacts] = (),
) -> ProjectedFacts:
    """The current facts of a ``ticket_facts`` row read as plain values (times in µs, booleans, a date)."""
    (
        ticket_id, version, _key, last_event, received, local_date, local_hour, customer_id,
        customer_name, channel, category, product, priority, agent, root_cause, status,
        description, is_open, closed, cancelled_at, closed_at, _responded, first_resolved_at,
        _resolved_at, first_response_us, first_response_work_us, resolution_us,
        resolution_work_us, first_contact, escalated, escalation_level, reopened, reopen_count,
        ever_closed, one_touch, high_impact, score, resolved, visited, _callbacks_met,
        _callbacks_missed, _outcome, _running, _substatus_time, ticket_type, complaint,
        dimension_scores,
    ) = row  # fmt: skip
    return ProjectedFacts(
        ticket_id=ticket_id,
        version=version,
        last_event_us=last_event,
        received_us=received,
        local_date=local_date,
        local_hour=local_hour,
        customer_id=customer_id,
        customer_name=customer_name,
        channel=channel,
        category=category,
        product=product,
        priority=priority,
        agent=agent,
        root_cause=root_cause,
        ticket_type=ticket_type,
        complaint=bool(complaint),
        status=status,
        description=description,
        cancelled_at_us=cancelled_at,
        closed_at_us=closed_at,
        first_resolved_at_us=first_resolved_at,
        closed=bool(closed),
        open=bool(is_open),
        first_response_us=first_response_us,
        first_response_work_us=first_response_work_us,
        resolution_us=resolution_us,
        resolution_work_us=resolution_work_us,
        first_contact=bool(first_contact),
        escalated=bool(escalated),
        escalation_level=escalation_level,
        reopened=bool(reopened),
        reopen_count=reopen_count,
        ever_closed=bool(ever_closed),
        one_touch=bool(one_touch),
        high_impact=bool(high_impact),
        score=score,
        resolved=bool(resolved),
        visited=bool(visited),
        cycles=tuple(cycles),
        visits=tuple(visits),
        substatus_spans=tuple(spans),
        dimension_scores=read_dimensions(dimension_scores),
    )
