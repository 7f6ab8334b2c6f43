"""Moved public paths keep working for one release, with a DeprecationWarning naming the new place."""

from __future__ import annotations

import importlib
import re
import warnings

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
