"""Moved public paths keep working for one release, with a DeprecationWarning naming the new place."""

from __future__ import annotations

import importlib
import re
import warnings
from typing import Any

import pytest

# -- aftersales.kpi.service: split into options, surveys, facts, figures, groups --------------

KPI_SERVICE_MOVED = {
    "DIMENSIONS": "aftersales.kpi.figures",
    "BatchEvent": "aftersales.kpi.figures",
    "ChannelResponse": "aftersales.kpi.figures",
    "KpiFigures": "aftersales.kpi.figures",
    "KpiGroups": "aftersales.kpi.groups",
    "KpiOptions": "aftersales.kpi.options",
    "NpsResponse": "aftersales.kpi.surveys",
    "PeakResponse": "aftersales.kpi.figures",
    "Quadrant": "aftersales.kpi.figures",
    "QuadrantEntry": "aftersales.kpi.figures",
    "SlaAchievement": "aftersales.kpi.figures",
    "TicketFacts": "aftersales.kpi.facts",
    "as_of": "aftersales.kpi.facts",
    "classify_quadrant": "aftersales.kpi.figures",
}


def _moved(old_module: str, name: str, new_module: str) -> object:
    """``old_module.name``, checking that it warns once, naming ``new_module.name``."""
    old = importlib.import_module(old_module)
    expected = (
        f"{old_module}.{name} is deprecated and will be removed in the next release;"
        f" use {new_module}.{name}"
    )
    with pytest.warns(DeprecationWarning, match=re.escape(expected)) as caught:
        value = getattr(old, name)
    assert len(caught) == 1
    return value


@pytest.mark.parametrize(("name", "new"), sorted(KPI_SERVICE_MOVED.items()))
def test_kpi_service_names_that_moved_warn_and_are_the_same_objects(name: str, new: str) -> None:
    value = _moved("aftersales.kpi.service", name, new)
    assert value is getattr(importlib.import_module(new), name)
    assert value is getattr(importlib.import_module("aftersales.kpi"), name)


def test_kpi_service_from_import_still_works_with_a_warning() -> None:
    from aftersales.kpi import NpsResponse as documented

    with pytest.warns(DeprecationWarning, match=r"use aftersales\.kpi\.surveys\.NpsResponse"):
        from aftersales.kpi.service import NpsResponse
    assert NpsResponse is documented


def test_kpi_service_keeps_service_kpis_without_a_warning() -> None:
    import aftersales.kpi

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from aftersales.kpi.service import ServiceKpis
    assert ServiceKpis is aftersales.kpi.ServiceKpis
    assert not hasattr(importlib.import_module("aftersales.kpi.service"), "NoSuchFigure")


# -- aftersales.reports.render: split into blocks, layout, markdown, html, charts ------------

REPORTS_RENDER_MOVED = {
    "Chart": "aftersales.reports.blocks",
    "Paragraph": "aftersales.reports.blocks",
    "Section": "aftersales.reports.blocks",
    "Table": "aftersales.reports.blocks",
    "INDICATORS": "aftersales.reports.layout",
    "indicator_value": "aftersales.reports.layout",
    "daily_sections": "aftersales.reports.layout",
    "weekly_sections": "aftersales.reports.layout",
    "monthly_sections": "aftersales.reports.layout",
    "markdown": "aftersales.reports.markdown",
    "html": "aftersales.reports.html",
    "charts_available": "aftersales.reports.charts",
}


@pytest.mark.parametrize(("name", "new"), sorted(REPORTS_RENDER_MOVED.items()))
def test_reports_render_names_warn_and_are_the_same_objects(name: str, new: str) -> None:
    value = _moved("aftersales.reports.render", name, new)
    assert value is getattr(importlib.import_module(new), name)


def test_reports_render_names_also_in_the_package_are_the_same_objects() -> None:
    import aftersales.reports

    assert _moved("aftersales.reports.render", "INDICATORS", "aftersales.reports.layout") is (
        aftersales.reports.INDICATORS
    )
    assert _moved("aftersales.reports.render", "charts_available", "aftersales.reports.charts") is (
        aftersales.reports.charts_available
    )


# -- aftersales.reports.core: the builders moved to aftersales.reports.builders --------------


@pytest.mark.parametrize("name", ["daily", "weekly", "monthly"])
def test_reports_core_builders_warn_and_are_the_same_objects(name: str) -> None:
    import aftersales.reports

    value = _moved("aftersales.reports.core", name, "aftersales.reports.builders")
    assert value is getattr(aftersales.reports, name)


def test_reports_core_keeps_the_report_classes_without_a_warning() -> None:
    import aftersales.reports

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from aftersales.reports.core import ActionItem, DailyReport, MonthlyReport, WeeklyReport
    assert (ActionItem, DailyReport, MonthlyReport, WeeklyReport) == (
        aftersales.reports.ActionItem,
        aftersales.reports.DailyReport,
        aftersales.reports.MonthlyReport,
        aftersales.reports.WeeklyReport,
    )


# -- the service layer: aftersales.desk, aftersales.archive, aftersales.knowledge.base -------

SERVICE_MODULES_MOVED = {
    "aftersales.desk": ("aftersales.service.desk", ["ServiceDesk", "DEFAULT_CLOCK_SKEW"]),
    "aftersales.archive": (
        "aftersales.service.archive",
        ["customer_archive", "CustomerArchive", "ArchiveContact", "ArchiveSource"],
    ),
    "aftersales.knowledge.base": (
        "aftersales.service.knowledge_base",
        ["KnowledgeBase", "ArticleHit", "ArticleUsage", "index_document"],
    ),
}
SERVICE_MODULE_CASES = [
    (old, new, name) for old, (new, names) in SERVICE_MODULES_MOVED.items() for name in names
]


@pytest.mark.parametrize(("old", "new", "name"), SERVICE_MODULE_CASES)
def test_a_moved_service_module_forwards_each_name_with_a_warning(
    old: str, new: str, name: str
) -> None:
    module = importlib.import_module(old)
    expected = (
        f"{old} is deprecated and will be removed in the next release; import {new}.{name} instead"
    )
    with pytest.warns(DeprecationWarning, match=re.escape(expected)) as caught:
        value = getattr(module, name)
    assert len(caught) == 1
    assert value is getattr(importlib.import_module(new), name)


def test_from_import_of_the_old_desk_path_still_works_with_a_warning() -> None:
    import aftersales

    with pytest.warns(DeprecationWarning, match=r"import aftersales\.service\.desk\.ServiceDesk"):
        from aftersales.desk import ServiceDesk
    assert ServiceDesk is aftersales.ServiceDesk


def test_a_name_the_old_module_never_had_is_still_an_attribute_error() -> None:
    import aftersales.desk

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(AttributeError, match=r"aftersales\.desk"):
            aftersales.desk.NoSuchName  # noqa: B018


# -- store ports and memory stores that left the domain packages ------------------------------

DOMAIN_NAMES_MOVED = [
    ("aftersales.knowledge", "ArticleStore", "aftersales.storage.ports"),
    ("aftersales.knowledge", "SearchIndex", "aftersales.storage.ports"),
    ("aftersales.knowledge", "MemoryArticleStore", "aftersales.storage.memory"),
    ("aftersales.followup", "FollowUpStore", "aftersales.storage.ports"),
    ("aftersales.followup", "MemoryFollowUpStore", "aftersales.storage.memory"),
]


@pytest.mark.parametrize(("old", "name", "new"), DOMAIN_NAMES_MOVED)
def test_a_store_name_that_left_a_domain_package_warns_and_is_the_same_object(
    old: str, name: str, new: str
) -> None:
    value = _moved(old, name, new)
    assert value is getattr(importlib.import_module(new), name)


# -- documented names a domain package re-exports from above, without a warning -------------

DOCUMENTED_LAZY = [
    ("aftersales.knowledge", "KnowledgeBase", "aftersales.service.knowledge_base"),
    ("aftersales.knowledge", "ArticleHit", "aftersales.service.knowledge_base"),
    ("aftersales.knowledge", "ArticleUsage", "aftersales.service.knowledge_base"),
    ("aftersales.knowledge", "SQLiteSearchIndex", "aftersales.storage.sqlite.search_index"),
    ("aftersales.followup", "FollowUps", "aftersales.service.followups"),
]


@pytest.mark.parametrize(("package", "name", "home"), DOCUMENTED_LAZY)
def test_a_documented_name_re_exported_from_above_does_not_warn(
    package: str, name: str, home: str
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = getattr(importlib.import_module(package), name)
    assert value is getattr(importlib.import_module(home), name)
    assert name in importlib.import_module(package).__all__


# -- storage: ports in aftersales.storage.ports, adapters by backend, one contracts package ---

STORAGE_PROTOCOLS_MOVED = {
    "CustomerStore": "aftersales.storage.ports",
    "ORDERS": "aftersales.model.query",
    "Order": "aftersales.model.query",
    "Save": "aftersales.storage.ports",
    "Store": "aftersales.storage.ports",
    "TicketQuery": "aftersales.model.query",
    "TicketStore": "aftersales.storage.ports",
    "UnitOfWork": "aftersales.storage.ports",
    "VocabularyStore": "aftersales.storage.ports",
}

#: Names that moved out of their module or package (the domain packages' store names are
#: above): (old module, name, new module, its name there when it changed).
STORAGE_NAMES_MOVED = [
    ("aftersales.improvement", "ImprovementStore", "aftersales.storage.ports", "ImprovementStore"),
    (
        "aftersales.improvement",
        "MemoryImprovementStore",
        "aftersales.storage.memory",
        "MemoryImprovementStore",
    ),
    ("aftersales.improvement.store", "ImprovementStore", "aftersales.storage.ports", None),
    ("aftersales.improvement.store", "MemoryImprovementStore", "aftersales.storage.memory", None),
    ("aftersales.knowledge.store", "ArticleStore", "aftersales.storage.ports", None),
    ("aftersales.knowledge.store", "MemoryArticleStore", "aftersales.storage.memory", None),
    ("aftersales.knowledge.index", "SearchIndex", "aftersales.storage.ports", None),
    ("aftersales.storage.memory", "check_save", "aftersales.storage.save_checks", None),
    ("aftersales.storage.memory", "check_paging", "aftersales.storage.save_checks", None),
    ("aftersales.improvement.contract", "BASE", "aftersales.testing.contracts", "RECORDS_BASE"),
    ("aftersales.improvement.contract", "make_action", "aftersales.testing.contracts", None),
    ("aftersales.improvement.contract", "make_article", "aftersales.testing.contracts", None),
    ("aftersales.improvement.contract", "make_root_cause", "aftersales.testing.contracts", None),
    *[
        ("aftersales.improvement.contract", name, "aftersales.testing.contracts", None)
        for name in (
            "ArticleStoreContract",
            "FollowUpStoreContract",
            "ImprovementStoreContract",
            "SearchIndexContract",
        )
    ],
]

#: Modules that forward every name to a new module: (old module, new module, names).
STORAGE_MODULES_MOVED = [
    ("aftersales.storage.full", "aftersales.storage.ports", ("FullStore", "FullUnitOfWork")),
    (
        "aftersales.knowledge.sqlite_index",
        "aftersales.storage.sqlite.search_index",
        ("SQLiteSearchIndex", "ascii_token", "query_terms", "table_name"),
    ),
    (
        "aftersales.testing.contract",
        "aftersales.testing.contracts",
        (
            "HOSTILE_TEXTS",
            "BASE",
            "FullStoreContract",
            "RecordsContract",
            "StoreContract",
            "StoreUnderTest",
            "TicketStoreContract",
            "advance",
            "build_ticket",
            "followup_done",
            "make_followup",
            "make_use",
        ),
    ),
    (
        "aftersales.testing.vocabulary_contract",
        "aftersales.testing.contracts",
        ("BASE", "DurableVocabularyContract", "VocabularyContract", "open_on"),
    ),
    (
        "aftersales.testing.integrity_contract",
        "aftersales.testing.contracts",
        ("IntegrityContract", "populate"),
    ),
]


@pytest.mark.parametrize(("name", "new"), sorted(STORAGE_PROTOCOLS_MOVED.items()))
def test_storage_protocols_names_warn_and_are_the_same_objects(name: str, new: str) -> None:
    value = _moved("aftersales.storage.protocols", name, new)
    assert value is getattr(importlib.import_module(new), name)


@pytest.mark.parametrize(
    ("old", "name", "new", "new_name"),
    STORAGE_NAMES_MOVED,
    ids=[f"{old}.{name}" for old, name, _, _ in STORAGE_NAMES_MOVED],
)
def test_storage_names_that_moved_warn_and_are_the_same_objects(
    old: str, name: str, new: str, new_name: str | None
) -> None:
    module = importlib.import_module(old)
    target = new_name or name
    expected = (
        f"{old}.{name} is deprecated and will be removed in the next release; use {new}.{target}"
    )
    with pytest.warns(DeprecationWarning, match=re.escape(expected)) as caught:
        value = getattr(module, name)
    assert len(caught) == 1
    assert value is getattr(importlib.import_module(new), target)


@pytest.mark.parametrize(
    ("old", "new", "name"),
    [(old, new, name) for old, new, names in STORAGE_MODULES_MOVED for name in names],
)
def test_storage_modules_that_moved_forward_every_name_with_a_warning(
    old: str, new: str, name: str
) -> None:
    module = importlib.import_module(old)
    expected = (
        f"{old} is deprecated and will be removed in the next release; import {new}.{name} instead"
    )
    with pytest.warns(DeprecationWarning, match=re.escape(expected)) as caught:
        value = getattr(module, name)
    assert len(caught) == 1
    assert value is getattr(importlib.import_module(new), name)


def test_the_old_contract_bases_keep_their_values() -> None:
    """Two old ``BASE``s differed: the tickets' (testing.contract) and the records' (improvement)."""
    import pendulum

    with pytest.warns(DeprecationWarning, match=r"aftersales\.testing\.contracts\.BASE"):
        from aftersales.testing.contract import BASE as tickets_base
    with pytest.warns(DeprecationWarning, match=r"aftersales\.testing\.contracts\.RECORDS_BASE"):
        from aftersales.improvement.contract import BASE as records_base
    assert tickets_base == pendulum.datetime(2024, 5, 10, 9, 0, tz="Asia/Shanghai")
    assert records_base == pendulum.datetime(2024, 5, 20, 9, tz="Asia/Shanghai")


def test_product_model_of_warns_and_gives_the_property() -> None:
    from aftersales.testing.samples import sample_ticket

    ticket = sample_ticket()
    for owner in ("aftersales.storage.protocols", "aftersales.storage"):
        module = importlib.import_module(owner)
        expected = f"{owner}.product_model_of is deprecated"
        with pytest.warns(DeprecationWarning, match=re.escape(expected)) as caught:
            product_model_of = module.product_model_of
        assert len(caught) == 1
        assert "Ticket.product_model" in str(caught[0].message)
        assert product_model_of(ticket) == ticket.product_model == "A型智能办公设备"


def test_a_name_the_ports_never_had_is_an_attribute_error() -> None:
    import aftersales.storage.protocols as protocols

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(AttributeError, match="NoSuchStore"):
            protocols.NoSuchStore  # noqa: B018
        with pytest.raises(AttributeError):
            protocols._term_or_text  # noqa: B018


def test_postgres_paths_moved_with_a_warning() -> None:
    pytest.importorskip("psycopg", reason="the postgres extra")
    from aftersales.storage.postgres import PostgresSearchIndex

    old = importlib.import_module("aftersales.knowledge.postgres_index")
    with pytest.warns(
        DeprecationWarning, match=r"import aftersales\.storage\.postgres\.search_index"
    ):
        assert old.PostgresSearchIndex is PostgresSearchIndex
    postgres = importlib.import_module("aftersales.storage.postgres")
    with pytest.warns(DeprecationWarning, match=r"use aftersales\.model\.query\.TicketQuery"):
        assert postgres.TicketQuery is importlib.import_module("aftersales").TicketQuery


def test_the_documented_storage_paths_do_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from aftersales.knowledge import SQLiteSearchIndex
        from aftersales.storage import (
            ArticleStore,
            FollowUpStore,
            ImprovementStore,
            MemoryArticleStore,
            MemoryFollowUpStore,
            MemoryImprovementStore,
            SearchIndex,
        )
        from aftersales.storage import SQLiteSearchIndex as storage_index
        from aftersales.testing.contracts import FullStoreContract, make_action
    assert SQLiteSearchIndex is storage_index
    assert isinstance(MemoryArticleStore(), ArticleStore)
    assert isinstance(MemoryFollowUpStore(), FollowUpStore)
    assert isinstance(MemoryImprovementStore(), ImprovementStore)
    assert isinstance(storage_index(), SearchIndex)
    assert FullStoreContract.__module__ == "aftersales.testing.contracts.records"
    assert make_action().id == "IA-1"


# -- aftersales.sla_notices, aftersales.sla_picture: moved into the aftersales.sla package ----

SLA_MODULES_MOVED = [
    ("aftersales.sla_notices", "SlaNotice", "aftersales.sla.notices"),
    ("aftersales.sla_notices", "pending_notices", "aftersales.sla.notices"),
    ("aftersales.sla_notices", "recorded_levels", "aftersales.sla.notices"),
    ("aftersales.sla_picture", "timeline_svg", "aftersales.sla.picture"),
]


@pytest.mark.parametrize(("old", "name", "new"), SLA_MODULES_MOVED)
def test_sla_modules_that_moved_warn_and_give_the_same_objects(
    old: str, name: str, new: str
) -> None:
    module = importlib.import_module(old)
    expected = f"{old} is deprecated and will be removed in the next release; import {new}.{name}"
    with pytest.warns(DeprecationWarning, match=re.escape(expected) + " instead$") as caught:
        value = getattr(module, name)
    assert len(caught) == 1
    assert value is getattr(importlib.import_module(new), name)


def test_sla_picture_from_import_still_works_with_a_warning() -> None:
    import aftersales

    with pytest.warns(DeprecationWarning, match=r"import aftersales\.sla\.picture\.timeline_svg"):
        from aftersales.sla_picture import timeline_svg
    assert timeline_svg is aftersales.timeline_svg


def test_sla_notices_old_path_knows_only_the_names_of_the_new_one() -> None:
    module = importlib.import_module("aftersales.sla_notices")
    with pytest.raises(AttributeError, match="has no attribute 'NoSuchNotice'"):
        module.NoSuchNotice  # noqa: B018


# -- issue 11, one name for one thing: the evaluation instant is ``at`` -------------------------


def _renamed_keyword_cases() -> list[tuple[str, Any, tuple[Any, ...], str, str, Any]]:
    """(qualified name, callable, positional arguments, old keyword, new keyword, value)."""
    import pendulum

    from aftersales import (
        FixedClock,
        FollowUps,
        ImprovementAction,
        Period,
        ServiceDesk,
        ServiceKpis,
        SlaPolicy,
        WorkCalendar,
        due_followups,
    )
    from aftersales.improvement import lagging, overdue
    from aftersales.kpi import as_of
    from aftersales.kpi.facts import FactsReader
    from aftersales.reports import ActionItem
    from aftersales.sla.clocks import evaluate_clocks
    from aftersales.testing.contracts import make_action, make_followup
    from aftersales.testing.samples import sample_ticket
    from tests.helpers import START, open_sample

    ticket = sample_ticket()
    during = ticket.history[3].at
    calendar = WorkCalendar.china()
    policy = SlaPolicy.default(calendar)
    clock = policy["resolution"]
    action: ImprovementAction = make_action()
    late = action.due_at.add(days=2)
    task = make_followup("FU-1", 3)
    followups = FollowUps(calendar=calendar)
    followups.schedule_after_closure(ticket)
    desk = ServiceDesk(clock=FixedClock(START), sla=policy)
    open_sample(desk, "T1")
    month = Period.parse("2024-05", "Asia/Shanghai")
    report = policy.evaluate(desk.get("T1"), START)
    return [
        ("SlaPolicy.evaluate", policy.evaluate, (ticket,), "now", "at", during),
        ("MetricClock.evaluate", clock.evaluate, (ticket,), "now", "at", during),
        ("evaluate_clocks", evaluate_clocks, ([clock], ticket), "now", "at", during),
        (
            "SlaReport.alerts_before",
            report.alerts_before,
            (),
            "before",
            "due_before",
            START.add(days=9),
        ),
        (
            "ServiceDesk.sla_watchlist",
            desk.sla_watchlist,
            (),
            "before",
            "due_before",
            START.add(days=9),
        ),
        ("FollowUpTask.is_due", task.is_due, (), "now", "at", task.due_at),
        ("due_followups", due_followups, ([task],), "now", "at", task.due_at),
        ("FollowUps.due", followups.due, (), "now", "at", pendulum.datetime(2024, 6, 1, tz="UTC")),
        ("ImprovementAction.overdue", action.overdue, (), "now", "at", late),
        ("overdue", overdue, ([action],), "now", "at", late),
        ("lagging", lagging, ([action],), "now", "at", late),
        ("ActionItem.from_action", ActionItem.from_action, (action,), "now", "at", late),
        ("as_of", as_of, (ticket,), "moment", "at", during),
        ("Period.of", Period.of, ("week",), "moment", "at", during),
        ("Period.contains", month.contains, (), "moment", "at", during),
        ("ServiceKpis", ServiceKpis, (month, calendar), "as_of", "at", during),
        ("FactsReader", FactsReader, (), "as_of", "at", during),
    ]


#: What to compare of each call's result (when it is not a comparable value itself).
_RESULT_OF: dict[str, Any] = {
    "ServiceKpis": lambda kpis: (kpis.at, kpis.result()),
    "FactsReader": lambda reader: reader.at,
}
_EXTRA_KEYWORDS: dict[str, dict[str, Any]] = {
    "Period.of": {"tz": "Asia/Shanghai"},
    "FactsReader": {"calendar": None, "tz": "Asia/Shanghai"},
}
KEYWORD_CASES = _renamed_keyword_cases()
EACH_RENAMED_KEYWORD = pytest.mark.parametrize(
    ("name", "function", "args", "old", "new", "value"),
    KEYWORD_CASES,
    ids=[case[0] for case in KEYWORD_CASES],
)


@EACH_RENAMED_KEYWORD
def test_an_old_keyword_warns_and_gives_what_the_new_one_gives(
    name: str, function: Any, args: tuple[Any, ...], old: str, new: str, value: Any
) -> None:
    extra = dict(_EXTRA_KEYWORDS.get(name, {}))
    if name == "FactsReader":
        from aftersales import WorkCalendar

        extra["calendar"] = WorkCalendar.china()
    result_of = _RESULT_OF.get(name, lambda result: result)
    expected = (
        f"{name}({old}=...) is deprecated and will be removed in the next release;"
        f" use {name}({new}=...)"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        by_new_name = result_of(function(*args, **{new: value}, **extra))
    with pytest.warns(DeprecationWarning, match=re.escape(expected)) as caught:
        by_old_name = result_of(function(*args, **{old: value}, **extra))
    assert len(caught) == 1
    assert caught[0].filename == __file__  # the warning points at the caller
    assert by_old_name == by_new_name


@EACH_RENAMED_KEYWORD
def test_an_old_keyword_given_with_its_new_name_is_refused_by_name(
    name: str, function: Any, args: tuple[Any, ...], old: str, new: str, value: Any
) -> None:
    from aftersales import InvalidData

    with pytest.raises(InvalidData, match=rf"^{old}: given with {new}, its new name; accepted"):
        function(*args, **{old: value, new: value}, **_EXTRA_KEYWORDS.get(name, {}))


def test_the_instant_of_the_figures_is_at_and_as_of_still_reads_it_with_a_warning() -> None:
    import pendulum

    from aftersales import Period, ServiceKpis, WorkCalendar

    cut = pendulum.datetime(2026, 10, 20, tz="Asia/Shanghai")
    kpis = ServiceKpis(Period.parse("2026-10", "Asia/Shanghai"), WorkCalendar.china(), at=cut)
    figures = kpis.result()
    for value, owner in ((kpis, "ServiceKpis"), (figures, "KpiFigures")):
        expected = (
            f"{owner}.as_of is deprecated and will be removed in the next release; use {owner}.at"
        )
        with pytest.warns(DeprecationWarning, match=re.escape(expected)):
            assert value.as_of == value.at == cut
    assert pendulum.parse(figures.to_dict()["as_of"]) == cut  # the JSON keeps its key
    assert "at" not in figures.to_dict()


# -- events past tense: SlaWarning is SlaWarned ------------------------------------------------

_SLA_WARNING_MODULES = [
    "aftersales.model",
    "aftersales.model.events",
    "aftersales.model.events.sla",
]


@pytest.mark.parametrize("module", _SLA_WARNING_MODULES)
def test_sla_warning_is_sla_warned_with_a_warning(module: str) -> None:
    from aftersales.model.events import SlaCrossing, SlaWarned

    expected = (
        f"{module}.SlaWarning is deprecated and will be removed in the next release;"
        " use aftersales.model.events.sla.SlaWarned"
    )
    with pytest.warns(DeprecationWarning, match=re.escape(expected)) as caught:
        value = importlib.import_module(module).SlaWarning
    assert len(caught) == 1
    assert value is SlaWarned
    assert issubclass(SlaWarned, SlaCrossing)
    assert "SlaWarned" in importlib.import_module(module).__all__
    assert "SlaWarning" not in importlib.import_module(module).__all__


def test_an_sla_warning_stored_before_the_rename_reads_as_sla_warned() -> None:
    """Written by the previous release, when the class was ``SlaWarning``."""
    from aftersales.model.events import SlaWarned, TicketEvent
    from aftersales.serialization import from_json, to_dict

    stored = (
        '{"schema_version": 1, "ticket_id": "T1", "seq": 3, "at": "2026-10-09T02:00:00+00:00",'
        ' "by": "sla", "metric": "first_response", "cycle": 0, "level": 1,'
        ' "crossed_at": "2026-10-09T01:50:00+00:00", "due_at": "2026-10-09T03:00:00+00:00",'
        ' "type": "sla_warning"}'
    )
    event = from_json(TicketEvent, stored)
    assert type(event) is SlaWarned
    assert (event.metric, event.level, event.command) == ("first_response", 1, "record_sla_warning")
    assert to_dict(event)["type"] == "sla_warning"


# -- commands imperative: customer_agrees / customer_disputes ----------------------------------

COMMANDS_RENAMED = [
    ("customer_agrees", "record_agreement"),
    ("customer_disputes", "record_dispute"),
]


def _awaiting_confirmation() -> Any:
    from aftersales import FixedClock, ServiceDesk
    from tests.helpers import START, open_sample, run_command

    desk = ServiceDesk(clock=FixedClock(START))
    open_sample(desk, "T1")
    for command in ("acknowledge", "propose_solution"):
        run_command(desk, "T1", command)
    return desk


@pytest.mark.parametrize(("old", "new"), COMMANDS_RENAMED)
def test_an_old_desk_command_method_warns_and_records_the_command(old: str, new: str) -> None:
    desk = _awaiting_confirmation()
    expected = (
        f"ServiceDesk.{old} is deprecated and will be removed in the next release;"
        f" use ServiceDesk.{new}"
    )
    with pytest.warns(DeprecationWarning, match=re.escape(expected)) as caught:
        ticket = getattr(desk, old)("T1", by="李工", words="客户原话")
    assert caught[0].filename == __file__
    assert ticket.history[-1].command == new
    assert ticket.status.value == ("in_progress" if new == "record_agreement" else "analysing")


@pytest.mark.parametrize(("old", "new"), COMMANDS_RENAMED)
def test_execute_takes_an_old_command_name_with_a_warning(old: str, new: str) -> None:
    desk, twin = _awaiting_confirmation(), _awaiting_confirmation()
    expected = f"command {old!r} is deprecated and will be removed in the next release; use {new!r}"
    with pytest.warns(DeprecationWarning, match=re.escape(expected)) as caught:
        by_old_name = desk.execute(old, "T1", {"words": "客户原话"}, by="李工")
    assert caught[0].filename == __file__  # past the desk's own wrappers, at the caller
    assert by_old_name == twin.execute(new, "T1", {"words": "客户原话"}, by="李工")


@pytest.mark.parametrize(("old", "new"), COMMANDS_RENAMED)
def test_an_sla_trigger_on_an_old_command_name_is_the_trigger_on_the_new_one(
    old: str, new: str
) -> None:
    from aftersales import Trigger

    with pytest.warns(DeprecationWarning, match=re.escape(f"use {new!r}")) as caught:
        trigger = Trigger(old)
    assert caught[0].filename == __file__
    assert trigger == Trigger(new)
    assert trigger.command == new


def test_the_lifecycle_knows_only_the_new_command_names() -> None:
    from aftersales import TRANSITIONS, TicketStatus

    allowed = TRANSITIONS.allowed(TicketStatus.AWAITING_CONFIRMATION)
    assert {"record_agreement", "record_dispute"} <= set(allowed)
    assert not {"customer_agrees", "customer_disputes"} & set(TRANSITIONS.commands)


# -- store verbs: save_<record>, get_<record>, find_<records> -----------------------------------


def _stores() -> dict[str, Any]:
    """A memory store of each port and an SQLite store, each holding the same few records."""
    from aftersales.model import Customer
    from aftersales.storage import (
        MemoryArticleStore,
        MemoryFollowUpStore,
        MemoryImprovementStore,
        MemoryStore,
        SQLiteStore,
    )
    from aftersales.testing.contracts import (
        make_action,
        make_article,
        make_followup,
        make_root_cause,
        make_use,
    )

    stores = {
        "memory": MemoryStore(),
        "memory-improvement": MemoryImprovementStore(),
        "memory-article": MemoryArticleStore(),
        "memory-followup": MemoryFollowUpStore(),
        "sqlite": SQLiteStore(":memory:"),
    }
    for store in stores.values():
        if hasattr(store, "save_customer"):
            store.save_customer(Customer(id="C1", name="XX科技有限公司"))
        if hasattr(store, "save_root_cause"):
            store.save_root_cause(make_root_cause("RC-1", "T1", department="采购部"))
            store.save_action(make_action("IA-1", cause_id="RC-1"), expected_version=0)
        if hasattr(store, "save_article"):
            store.save_article(make_article("KB-1"), expected_version=0)
            store.save_use(make_use("KB-1", "T1", 0))
        if hasattr(store, "save_followup"):
            store.save_followup(make_followup("FU-1", 3), expected_version=0)
    return stores


#: (old name, its arguments, the new call it stands for, as (new name, args, keywords)).
STORE_READS_RENAMED = [
    ("customers", {"limit": 5}, ("find_customers", (), {"limit": 5})),
    ("root_causes", {"department": "采购部"}, ("find_root_causes", (), {"department": "采购部"})),
    ("root_causes_for_ticket", ("T1",), ("find_root_causes", (), {"ticket_id": "T1"})),
    ("actions", {"open_only": True}, ("find_actions", (), {"open_only": True})),
    ("articles", {"status": "draft"}, ("find_articles", (), {"status": "draft"})),
    ("article_versions", ("KB-1",), ("find_article_versions", ("KB-1",), {})),
    ("uses", ("KB-1",), ("find_uses", ("KB-1",), {})),
    ("followups", {"open_only": True}, ("find_followups", (), {"open_only": True})),
]
STORE_READ_CASES = [
    (kind, *case)
    for kind in ("memory", "memory-improvement", "memory-article", "memory-followup", "sqlite")
    for case in STORE_READS_RENAMED
]


@pytest.mark.parametrize(
    ("kind", "old", "arguments", "new_call"),
    STORE_READ_CASES,
    ids=[f"{kind}.{old}" for kind, old, *_ in STORE_READ_CASES],
)
def test_an_old_store_read_warns_and_reads_what_the_new_one_reads(
    kind: str, old: str, arguments: Any, new_call: tuple[str, tuple[Any, ...], dict[str, Any]]
) -> None:
    store = _stores()[kind]
    new, args, keywords = new_call
    if not hasattr(type(store), new):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert not hasattr(store, old)  # only where the new method is
        return
    found = getattr(store, new)(*args, **keywords)
    assert found  # each store holds one record of each kind it keeps
    owner = type(store).__name__
    use = new if old != "root_causes_for_ticket" else "find_root_causes(ticket_id=...)"
    expected = (
        f"{owner}.{old} is deprecated and will be removed in the next release; use {owner}.{use}"
    )
    with pytest.warns(DeprecationWarning, match=re.escape(expected)) as caught:
        method = getattr(store, old)  # the warning comes with the name
    old_found = method(**arguments) if isinstance(arguments, dict) else method(*arguments)
    assert len(caught) == 1
    assert caught[0].filename == __file__
    assert old_found == found


def _old_write(kind: str, store: Any, method: str, value: Any) -> None:
    """``store.method(value)``, or in a unit of work of ``store`` for the kind ``sqlite-unit``."""
    if kind == "sqlite-unit":
        with store.unit_of_work() as uow:
            getattr(uow, method)(value)
    else:
        getattr(store, method)(value)


@pytest.mark.parametrize("kind", ["memory-article", "sqlite", "sqlite-unit"])
def test_record_use_is_save_use_with_a_warning(kind: str) -> None:
    from aftersales.testing.contracts import make_use

    stores = _stores()
    store = stores["sqlite" if kind == "sqlite-unit" else kind]
    before = store.find_uses()
    with pytest.warns(DeprecationWarning, match=r"\.record_use is deprecated.*\.save_use$"):
        _old_write(kind, store, "record_use", make_use("KB-1", "T2", 1))
    assert store.find_uses() == [*before, make_use("KB-1", "T2", 1)]


@pytest.mark.parametrize("kind", ["memory-followup", "sqlite", "sqlite-unit"])
def test_add_followup_is_save_followup_of_a_new_task_with_a_warning(kind: str) -> None:
    from aftersales import DuplicateId
    from aftersales.testing.contracts import make_followup

    stores = _stores()
    store = stores["sqlite" if kind == "sqlite-unit" else kind]
    message = r"\.add_followup is deprecated.*save_followup\(task, expected_version=0\)$"
    with pytest.warns(DeprecationWarning, match=message):
        _old_write(kind, store, "add_followup", make_followup("FU-2", 5))
    assert store.get_followup("FU-2") == make_followup("FU-2", 5)
    with pytest.warns(DeprecationWarning, match=message), pytest.raises(DuplicateId):
        _old_write(kind, store, "add_followup", make_followup("FU-1", 9))
    assert store.get_followup("FU-1") == make_followup("FU-1", 3)


def test_the_ports_list_only_the_new_store_verbs() -> None:
    from aftersales.storage import ports

    old = {
        "customers",
        "root_causes",
        "root_causes_for_ticket",
        "actions",
        "articles",
        "article_versions",
        "record_use",
        "uses",
        "add_followup",
        "followups",
    }
    for name in ports.__all__:
        protocol = getattr(ports, name)
        assert not old & set(vars(protocol)), name


# -- errors live in aftersales.errors ------------------------------------------------------------

ERRORS_MOVED = [
    (
        "InvalidActionTransition",
        ["aftersales", "aftersales.improvement", "aftersales.improvement.lifecycle"],
    ),
    ("InvalidArticleTransition", ["aftersales.knowledge", "aftersales.knowledge.article"]),
]


@pytest.mark.parametrize(("name", "old_paths"), ERRORS_MOVED)
def test_an_error_class_lives_in_errors_and_its_old_paths_give_it_without_a_warning(
    name: str, old_paths: list[str]
) -> None:
    import aftersales.errors

    error = getattr(aftersales.errors, name)
    assert name in aftersales.errors.__all__
    assert error.__module__ == "aftersales.errors"
    assert issubclass(error, aftersales.errors.InvalidTransition)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for path in old_paths:
            assert getattr(importlib.import_module(path), name) is error


def test_every_error_class_of_the_library_is_defined_in_errors() -> None:
    import inspect
    import pkgutil

    import aftersales

    defined_elsewhere = []
    for info in pkgutil.walk_packages(aftersales.__path__, "aftersales."):
        if info.name in ("aftersales.errors", "aftersales.__main__") or info.name.startswith(
            ("aftersales.errors.", "aftersales.testing", "aftersales.storage.postgres")
        ):
            continue  # the errors package; runs the CLI; the test kit; the psycopg adapter
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, Exception)
                and value.__module__ == info.name
                and not name.startswith("_")
            ):
                defined_elsewhere.append(f"{info.name}.{name}")
    assert defined_elsewhere == ["aftersales.cli._commands.Refused"]  # private to the CLI


# -- every module-level __getattr__ comes from aftersales._lazy -----------------------------------


def test_no_module_writes_its_own_module_getattr() -> None:
    import ast
    from pathlib import Path

    src = Path(__file__).resolve().parent.parent / "src" / "aftersales"
    hand_written = [
        str(path.relative_to(src))
        for path in sorted(src.rglob("*.py"))
        for node in ast.parse(path.read_text(encoding="utf-8")).body
        if isinstance(node, ast.FunctionDef) and node.name == "__getattr__"
    ]
    assert hand_written == []
