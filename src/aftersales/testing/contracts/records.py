"""The closing-the-loop part of the storage contract, and the contract of a full store.

:class:`RecordsContract` holds a store's root causes, improvement actions,
knowledge articles and follow-ups to the memory stores and to the separate
record contracts; :class:`FullStoreContract` is the whole contract of a
:class:`~aftersales.storage.FullStore` (what the SQL adapters run).

This module imports pytest and hypothesis; the rest of ``aftersales`` does not.

Example:
    >>> from aftersales.storage import FullStore, SQLiteStore
    >>> class TestSQLite(FullStoreContract):
    ...     def make_store(self):
    ...         return SQLiteStore(":memory:")
    >>> isinstance(TestSQLite().make_store(), FullStore)
    True
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from aftersales.errors import ConcurrencyError, DuplicateId, InvalidData, NotFound
from aftersales.improvement.lifecycle import ActionStatus
from aftersales.knowledge.article import ArticleStatus
from aftersales.model.query import TicketQuery
from aftersales.storage.memory import (
    MemoryArticleStore,
    MemoryFollowUpStore,
    MemoryImprovementStore,
)
from aftersales.storage.ports import (
    ArticleStore,
    FollowUpStore,
    FullStore,
    FullUnitOfWork,
    ImprovementStore,
)
from aftersales.testing.contracts.builders import (
    HOSTILE_TEXTS,
    RECORDS_BASE,
    build_ticket,
    followup_done,
    make_action,
    make_article,
    make_followup,
    make_root_cause,
    make_use,
)
from aftersales.testing.contracts.followups import FollowUpStoreContract
from aftersales.testing.contracts.improvement import ImprovementStoreContract
from aftersales.testing.contracts.knowledge import ArticleStoreContract
from aftersales.testing.contracts.store import StoreContract

__all__ = ["FullStoreContract", "RecordsContract"]


class RecordsContract(ImprovementStoreContract, ArticleStoreContract, FollowUpStoreContract):
    """The closing-the-loop part of :class:`~aftersales.storage.FullStore`.

    The contracts of the improvement, article and follow-up stores, plus: agreement with the memory adapters on
    a mixed workload, nothing written on a refused save, root-cause links
    following every save, the recording order of uses, hostile text, and the
    records in units of work (committed with tickets, rolled back, a refused
    write keeping the unit's others).

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> class TestRecords(RecordsContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> TestRecords().make_store().find_followups()
        []
    """

    # -- shape ---------------------------------------------------------------------------

    def test_implements_every_protocol(self, store: Any) -> None:
        for protocol in (FullStore, ImprovementStore, ArticleStore, FollowUpStore):
            assert isinstance(store, protocol), protocol
        with store.unit_of_work() as uow:
            assert isinstance(uow, FullUnitOfWork)

    # -- agreement with the memory stores on a mixed workload ------------------------------

    def test_queries_agree_with_the_memory_stores(self, store: Any) -> None:
        improvement, articles, followups = (
            MemoryImprovementStore(),
            MemoryArticleStore(),
            MemoryFollowUpStore(),
        )
        rng = random.Random(20240520)
        for n in range(12):
            tickets = rng.sample(["T1", "T2", "T3", "T4"], rng.randint(0, 3))
            cause = make_root_cause(
                f"RC-{n % 5}", *tickets, department=rng.choice(["采购部", "产品部"])
            )
            for target in (store, improvement):
                target.save_root_cause(cause)
        for n in range(10):
            action = make_action(f"IA-{n:02d}", days=rng.randint(1, 4), cause_id=f"RC-{n % 3}")
            if n % 3 == 1:
                action = action.start(by="赵经理", at=RECORDS_BASE)
            if n % 3 == 2:
                action = action.start(by="o", at=RECORDS_BASE).complete(by="o", at=RECORDS_BASE)
            for target in (store, improvement):
                target.save_action(action, expected_version=0)
        for n in range(8):
            article = make_article(f"KB-{n}", product=rng.choice(["X200", None]))
            for target in (store, articles):
                target.save_article(article, expected_version=0)
            if n % 2:
                for target in (store, articles):
                    target.save_article(
                        article.publish(by="王", at=RECORDS_BASE), expected_version=1
                    )
        for n in range(20):
            entry = make_use(f"KB-{rng.randint(0, 7)}", f"T{n}", rng.randint(0, 3))
            for target in (store, articles):
                target.save_use(entry)
        for n in range(15):
            followup = make_followup(f"FU-{n:02d}", rng.randint(1, 5), rng.choice(["C1", "C2"]))
            for target in (store, followups):
                target.save_followup(followup, expected_version=0)
            if n % 4 == 0:
                for target in (store, followups):
                    target.save_followup(followup_done(followup), expected_version=1)

        for department in (None, "采购部", "产品部", "无"):
            for ticket_id in (None, "T1", "T2", "T3", "T4", "T9"):
                cause_filters = {"department": department, "ticket_id": ticket_id}
                found = store.find_root_causes(**cause_filters)
                assert found == improvement.find_root_causes(**cause_filters), cause_filters
        for filters in (
            {},
            {"open_only": True},
            {"status": ActionStatus.DONE},
            {"status": "in_progress"},
            {"cause_id": "RC-1"},
            {"owner": "赵经理", "open_only": True},
            {"owner": "nobody"},
        ):
            assert store.find_actions(**filters) == improvement.find_actions(**filters), filters
        for article_filters in (
            {},
            {"status": ArticleStatus.PUBLISHED},
            {"status": "draft", "product": "X200"},
            {"category": "product_quality"},
            {"category": "usage_guidance"},
        ):
            assert store.find_articles(**article_filters) == articles.find_articles(
                **article_filters
            )
        assert store.find_uses() == articles.find_uses()
        for article_id in ("KB-1", "KB-2", "KB-9"):
            assert store.find_uses(article_id) == articles.find_uses(article_id)
        for n in range(8):
            assert store.find_article_versions(f"KB-{n}") == articles.find_article_versions(
                f"KB-{n}"
            )
        for followup_filters in (
            {},
            {"open_only": True},
            {"customer_id": "C2"},
            {"due_before": RECORDS_BASE.add(days=3)},  # inclusive: due_at <= due_before
            {"due_before": RECORDS_BASE.add(days=3).in_tz("America/New_York"), "open_only": True},
            {"customer_id": "C1", "open_only": True, "due_before": RECORDS_BASE.add(days=4)},
        ):
            assert store.find_followups(**followup_filters) == followups.find_followups(
                **followup_filters
            )

    # -- nothing written on a refused write ------------------------------------------------

    def test_refused_article_writes_nothing(self, store: Any) -> None:
        draft = make_article()
        store.save_article(draft, expected_version=0)
        published = draft.publish(by="王", at=RECORDS_BASE)
        store.save_article(published, expected_version=1)
        retired = draft.retire(by="王", at=RECORDS_BASE, reason="过时")  # also version 2
        with pytest.raises(ConcurrencyError) as raised:
            store.save_article(retired, expected_version=1)
        assert (raised.value.expected, raised.value.actual) == (1, 2)
        with pytest.raises(ConcurrencyError) as raised:
            store.save_article(
                make_article("KB-9").publish(by="王", at=RECORDS_BASE), expected_version=1
            )
        assert raised.value.actual is None
        with pytest.raises(DuplicateId):
            store.save_article(make_article(), expected_version=0)
        with pytest.raises(InvalidData):
            store.save_article(published, expected_version=0)
        with pytest.raises(InvalidData):
            store.save_article("KB-1", expected_version=0)
        assert store.find_article_versions("KB-1") == [draft, published]
        assert store.get_article("KB-1") == published
        with pytest.raises(NotFound):
            store.find_article_versions("KB-9")
        assert [a.id for a in store.find_articles()] == ["KB-1"]
        assert store.check_integrity() == []

    def test_refused_action_writes_nothing(self, store: Any) -> None:
        action = make_action()
        store.save_action(action, expected_version=0)
        with pytest.raises(ConcurrencyError) as raised:
            store.save_action(
                make_action("IA-9").start(by="o", at=RECORDS_BASE), expected_version=1
            )
        assert raised.value.actual is None
        with pytest.raises(InvalidData):
            store.save_action(action, expected_version=1)
        with pytest.raises(InvalidData):
            store.save_action(action, expected_version=-1)
        started = action.start(by="o", at=RECORDS_BASE)
        store.save_action(started, expected_version=1)
        with pytest.raises(ConcurrencyError) as raised:
            store.save_action(action.drop(by="o", at=RECORDS_BASE, reason="x"), expected_version=1)
        assert raised.value.actual == 2
        assert store.find_actions() == [started]
        assert store.find_actions(status="dropped") == []

    def test_refused_followup_writes_nothing(self, store: Any) -> None:
        first = make_followup("FU-1", 3)
        store.save_followup(first, expected_version=0)
        with pytest.raises(DuplicateId):
            store.save_followup(make_followup("FU-1", 9, "C9"), expected_version=0)
        with pytest.raises(NotFound):
            store.save_followup(followup_done(make_followup("FU-9", 3)), expected_version=1)
        with pytest.raises(InvalidData):
            store.save_followup(first, expected_version=1)
        store.save_followup(followup_done(first), expected_version=1)
        with pytest.raises(ConcurrencyError) as raised:
            store.save_followup(followup_done(first, days=41), expected_version=1)
        assert raised.value.actual == 2
        assert store.find_followups() == [followup_done(first)]
        assert store.find_followups(open_only=True) == []
        assert store.find_followups(customer_id="C9") == []

    def test_use_of_a_missing_article_writes_nothing(self, store: Any) -> None:
        with pytest.raises(NotFound):
            store.save_use(make_use("KB-1", "T1", 0))
        assert store.find_uses() == []

    # -- root cause links ------------------------------------------------------------------

    def test_root_cause_links_follow_every_save(self, store: Any) -> None:
        cause = make_root_cause("RC-1", "T1", "T2")
        store.save_root_cause(cause)
        store.save_root_cause(cause.unlink("T1").link("T3"))
        assert store.find_root_causes(ticket_id="T1") == []
        assert [c.id for c in store.find_root_causes(ticket_id="T3")] == ["RC-1"]
        store.save_root_cause(make_root_cause("RC-1"))
        assert [store.find_root_causes(ticket_id=t) for t in ("T2", "T3")] == [[], []]
        assert store.get_root_cause("RC-1").ticket_ids == ()
        assert store.check_integrity() == []

    def test_uses_keep_their_recording_order_on_ties(self, store: Any) -> None:
        for article_id in ("KB-1", "KB-2"):
            store.save_article(make_article(article_id), expected_version=0)
        recorded = [
            make_use("KB-2", "T1", 5),
            make_use("KB-1", "T3", 5),
            make_use("KB-1", "T2", 5),
            make_use("KB-2", "T0", 1),
        ]
        for entry in recorded:
            store.save_use(entry)
        assert [(u.article_id, u.ticket_id) for u in store.find_uses()] == [
            ("KB-2", "T0"),
            ("KB-1", "T3"),
            ("KB-1", "T2"),
            ("KB-2", "T1"),
        ]

    # -- hostile text ----------------------------------------------------------------------

    @pytest.mark.parametrize("text", HOSTILE_TEXTS[:9], ids=range(9))
    def test_hostile_text_round_trips(self, store: Any, text: str) -> None:
        cause = make_root_cause("RC-1", "T1", department=text.strip() or "x")
        store.save_root_cause(cause)
        assert store.find_root_causes(department=cause.department) == [cause]
        article = make_article().revise(
            by="王", at=RECORDS_BASE, title=text, symptoms=HOSTILE_TEXTS[-1]
        )
        store.save_article(make_article(), expected_version=0)
        store.save_article(article, expected_version=1)
        assert store.get_article("KB-1") == article

    # -- units of work ---------------------------------------------------------------------

    def test_unit_of_work_commits_records_with_tickets(self, store: Any) -> None:
        with store.unit_of_work() as uow:
            uow.save(build_ticket("T1"), expected_version=0)
            uow.save_root_cause(make_root_cause("RC-1", "T1"))
            uow.save_action(make_action(), expected_version=0)
            uow.save_article(make_article(), expected_version=0)
            uow.save_use(make_use("KB-1", "T1", 0))
            uow.save_followup(make_followup("FU-1", 3), expected_version=0)
            uow.save_followup(followup_done(make_followup("FU-1", 3)), expected_version=1)
            assert [t.id for t in store.find(TicketQuery())] == ["T1"]
        assert [c.id for c in store.find_root_causes(ticket_id="T1")] == ["RC-1"]
        assert store.get_action("IA-1") == make_action()
        assert [u.ticket_id for u in store.find_uses("KB-1")] == ["T1"]
        assert store.get_followup("FU-1").done
        assert store.check_integrity() == []

    def test_unit_of_work_rolls_back_every_record(self, store: Any) -> None:
        store.save_article(make_article(), expected_version=0)

        def write_then_fail() -> None:
            with store.unit_of_work() as uow:
                uow.save_root_cause(make_root_cause("RC-1", "T1"))
                uow.save_action(make_action(), expected_version=0)
                uow.save_article(
                    make_article().publish(by="王", at=RECORDS_BASE), expected_version=1
                )
                uow.save_use(make_use("KB-1", "T1", 0))
                uow.save_followup(make_followup("FU-1", 3), expected_version=0)
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError, match="boom"):
            write_then_fail()
        assert store.find_root_causes() == []
        assert store.find_root_causes(ticket_id="T1") == []
        assert store.find_actions() == []
        assert store.find_article_versions("KB-1") == [make_article()]
        assert store.find_uses() == []
        assert store.find_followups() == []
        assert store.check_integrity() == []

    def test_refused_record_in_unit_keeps_the_others(self, store: Any) -> None:
        store.save_followup(make_followup("FU-1", 3), expected_version=0)
        with store.unit_of_work() as uow:
            uow.save_action(make_action(), expected_version=0)
            with pytest.raises(DuplicateId):
                uow.save_followup(make_followup("FU-1", 3), expected_version=0)
            with pytest.raises(ConcurrencyError):
                uow.save_article(
                    make_article().publish(by="王", at=RECORDS_BASE), expected_version=1
                )
            with pytest.raises(NotFound):
                uow.save_use(make_use("KB-1", "T1", 0))
            uow.save_followup(followup_done(make_followup("FU-1", 3)), expected_version=1)
        assert [a.id for a in store.find_actions()] == ["IA-1"]
        assert store.get_followup("FU-1").done
        assert store.find_articles() == []


class FullStoreContract(StoreContract, RecordsContract):
    """The contract of :class:`~aftersales.storage.FullStore`: :class:`StoreContract`
    and :class:`RecordsContract`.

    Example:
        >>> from aftersales.storage import FullStore, SQLiteStore
        >>> class TestSQLiteInMemory(FullStoreContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> isinstance(TestSQLiteInMemory().make_store(), FullStore)
        True
    """
