"""Reports read tickets through ``TicketSource`` (anything with ``find(query)``) and import no storage.

Reports are domain code: a store is one source among others, and the layout and
renderers never import the report classes that call them.
"""

from __future__ import annotations

import ast
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales import MemoryStore, SlaPolicy, WorkCalendar
from aftersales.kpi import Period
from aftersales.model.query import TicketQuery
from aftersales.reports import TicketSource, daily, monthly, weekly
from aftersales.testing.strategies import tickets

FAST = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
SRC = Path(__file__).parent.parent / "src" / "aftersales"


class Shelf:
    """A source that is no store: it only answers ``find``, and remembers the queries."""

    def __init__(self, tickets) -> None:
        self.stored = {ticket.id: (ticket, None) for ticket in tickets}
        self.queries: list[object] = []

    def find(self, query: TicketQuery):
        self.queries.append(query)
        return query.select(self.stored)


@FAST
@given(st.lists(tickets(max_events=10), min_size=1, max_size=5, unique_by=lambda t: t.id))
def test_a_find_only_source_gives_the_report_of_the_tickets_themselves(ticket_list) -> None:
    received = ticket_list[0].received_at
    calendar = WorkCalendar.always("UTC")
    policy = SlaPolicy.default(calendar)
    store = MemoryStore()
    for ticket in ticket_list:
        store.save(ticket, expected_version=0)
    for build, kind in ((daily, "day"), (weekly, "week"), (monthly, "month")):
        period = Period.of(kind, received, "UTC")  # type: ignore[arg-type]
        shelf = Shelf(ticket_list)
        assert isinstance(shelf, TicketSource)

        def report(source, build=build, period=period):
            return build(source, period, calendar=calendar, policy=policy, at=period.end)

        from_shelf = report(shelf).to_dict()
        assert from_shelf == report(ticket_list).to_dict() == report(store).to_dict()
        assert from_shelf["figures"]["received"] >= 1  # the first ticket is in its own period
        assert shelf.queries
        assert all(isinstance(q, TicketQuery) for q in shelf.queries)


def test_what_has_no_find_is_read_as_tickets_not_as_a_source() -> None:
    assert isinstance(MemoryStore(), TicketSource)
    assert not isinstance([], TicketSource)
    assert not isinstance((t for t in ()), TicketSource)
    calendar = WorkCalendar.always("UTC")
    assert monthly(iter(()), "2026-10", calendar=calendar).figures.received == 0


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports: module level, in functions and under TYPE_CHECKING."""
    package = "aftersales." + path.parent.name
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package if node.level == 1 else (node.module or "")
            if node.level == 1 and node.module:
                base = f"{package}.{node.module}"
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def test_kpi_and_reports_import_no_storage_service_or_entry_point() -> None:
    upward = (
        "aftersales.storage",
        "aftersales.desk",
        "aftersales.service",
        "aftersales.cli",
        "aftersales.demo",
        "aftersales.testing",
    )
    modules = sorted((SRC / "kpi").glob("*.py")) + sorted((SRC / "reports").glob("*.py"))
    assert len(modules) >= 20
    for path in modules:
        wrong = {m for m in _imports(path) if m.startswith(upward)}
        assert not wrong, f"{path.relative_to(SRC)} imports {sorted(wrong)}"


def test_nothing_in_reports_imports_the_report_classes_back() -> None:
    builders_of_reports = {"builders.py", "deck_builders.py", "__init__.py"}
    for path in sorted((SRC / "reports").glob("*.py")):
        imported = _imports(path)
        if path.name not in builders_of_reports:
            assert "aftersales.reports.builders" not in imported, path.name
        if path.name not in builders_of_reports | {"core.py"}:
            assert "aftersales.reports.core" not in imported, path.name
    for renderer in ("blocks.py", "markdown.py", "html.py", "charts.py"):
        imported = _imports(SRC / "reports" / renderer)
        assert "aftersales.reports.layout" not in imported, renderer
        assert not {m for m in imported if m.startswith("aftersales.kpi")}, renderer


#: Values that are neither a ticket source nor an iterable of tickets.
NOT_A_SOURCE = st.one_of(
    st.text(),  # a text has ``find`` but is no source
    st.binary(),
    st.integers(),
    st.floats(allow_nan=True),
    st.none(),
    st.booleans(),
    st.lists(st.one_of(st.integers(), st.text(), st.none()), min_size=1, max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), min_size=1, max_size=2),
)


@FAST
@given(source=NOT_A_SOURCE, build=st.sampled_from([daily, weekly, monthly]))
def test_a_builder_refuses_what_is_no_source_by_name(source: object, build) -> None:
    from aftersales import InvalidData
    from aftersales._shown import shown

    label = "2026-10" if build is monthly else "2026-10-12"
    try:
        build(source, label, calendar=WorkCalendar.always("UTC"))
    except InvalidData as error:
        message, paths = str(error), [path for path, _ in error.problems]
    else:
        raise AssertionError(f"{source!r} was taken as a source")
    assert paths
    assert all(path.startswith("source") for path in paths)
    assert "accepted: a TicketSource with find(query)" in message
    assert "an iterable of tickets" in message
    if isinstance(source, str | bytes) or not isinstance(source, list | dict):
        assert shown(source) in message  # the value itself is named
