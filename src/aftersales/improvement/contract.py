"""Storage contracts of the closing-the-loop stores and of search indexes.

Subclass a contract in a test module (name the subclass ``Test…``) and give it
a ``make_store()`` (or ``make_index()``) returning a new, empty one each call:

* :class:`ImprovementStoreContract` for an :class:`~aftersales.improvement.ImprovementStore`;
* :class:`ArticleStoreContract` for an :class:`~aftersales.knowledge.ArticleStore`;
* :class:`FollowUpStoreContract` for a :class:`~aftersales.followup.FollowUpStore`;
* :class:`SearchIndexContract` for a :class:`~aftersales.knowledge.SearchIndex`.

This module imports pytest; the rest of ``aftersales`` does not.

Example:
    >>> from aftersales.improvement import MemoryImprovementStore
    >>> class TestMemory(ImprovementStoreContract):
    ...     def make_store(self):
    ...         return MemoryImprovementStore()
    >>> TestMemory().make_store().actions()
    []
"""

from __future__ import annotations

from typing import Any

import pendulum
import pytest

from aftersales.errors import ConcurrencyError, DuplicateId, InvalidData, NotFound
from aftersales.followup import FollowUpOutcome, FollowUpRecord, FollowUpTask, FollowUpTrigger
from aftersales.improvement.actions import ImprovementAction
from aftersales.improvement.analysis import RootCause
from aftersales.improvement.lifecycle import ActionStatus
from aftersales.knowledge.article import ArticleStatus, ArticleUse, KnowledgeArticle
from aftersales.knowledge.index import IndexDocument
from aftersales.vocab import ProblemCategory, RootCauseCategory

__all__ = [
    "ArticleStoreContract",
    "FollowUpStoreContract",
    "ImprovementStoreContract",
    "SearchIndexContract",
    "make_action",
    "make_article",
    "make_root_cause",
]

#: When the contract's objects are created.
BASE = pendulum.datetime(2024, 5, 20, 9, tz="Asia/Shanghai")


def make_root_cause(cause_id: str = "RC-1", *tickets: str, department: str = "采购部") -> RootCause:
    """A root cause linked to ``tickets``.

    Example:
        >>> make_root_cause("RC-2", "T1").ticket_ids
        ('T1',)
    """
    return RootCause(
        id=cause_id,
        summary="供应商电容批次不良",
        category=RootCauseCategory.SUPPLIER,
        department=department,
        identified_at=BASE,
        identified_by="王经理",
        ticket_ids=tickets,
    )


def make_action(
    action_id: str = "IA-1", *, days: int = 10, cause_id: str = "RC-1"
) -> ImprovementAction:
    """A planned action due ``days`` after :data:`BASE`.

    Example:
        >>> make_action().status.value
        'planned'
    """
    return ImprovementAction.plan(
        id=action_id,
        problem="运输破损投诉增加",
        cause_id=cause_id,
        category="logistics_delay",
        type="process_change",
        title="装箱规范增加缓冲材料",
        owner="赵经理",
        acceptance="两周内破损投诉 ≤ 2 单",
        at=BASE,
        by="王经理",
        due_at=BASE.add(days=days),
    )


def make_article(article_id: str = "KB-1", *, product: str | None = "X200") -> KnowledgeArticle:
    """A draft article.

    Example:
        >>> make_article().status.value
        'draft'
    """
    return KnowledgeArticle(
        id=article_id,
        title="打印机频繁卡纸",
        symptoms="每打十几页卡一次纸",
        root_cause="搓纸轮磨损",
        solution_steps=("清洁搓纸轮", "更换搓纸轮"),
        category=ProblemCategory.PRODUCT_QUALITY,
        product=product,
        created_at=BASE,
        created_by="李工",
    )


class ImprovementStoreContract:
    """What every :class:`~aftersales.improvement.ImprovementStore` must do."""

    def make_store(self) -> Any:
        """A new, empty store."""
        raise NotImplementedError

    def test_root_cause_round_trip_and_query_by_ticket(self) -> None:
        store = self.make_store()
        store.save_root_cause(make_root_cause("RC-1", "T1", "T2"))
        store.save_root_cause(make_root_cause("RC-2", "T2", department="产品部"))
        assert store.get_root_cause("RC-1") == make_root_cause("RC-1", "T1", "T2")
        assert [c.id for c in store.root_causes_for_ticket("T2")] == ["RC-1", "RC-2"]
        assert [c.id for c in store.root_causes_for_ticket("T1")] == ["RC-1"]
        assert store.root_causes_for_ticket("T9") == []
        assert [c.id for c in store.root_causes(department="产品部")] == ["RC-2"]

    def test_saving_a_root_cause_again_replaces_it(self) -> None:
        store = self.make_store()
        store.save_root_cause(make_root_cause("RC-1", "T1"))
        store.save_root_cause(make_root_cause("RC-1", "T1").link("T3"))
        assert store.get_root_cause("RC-1").ticket_ids == ("T1", "T3")
        assert [c.id for c in store.root_causes_for_ticket("T3")] == ["RC-1"]

    def test_missing_root_cause_is_not_found(self) -> None:
        with pytest.raises(NotFound):
            self.make_store().get_root_cause("RC-404")

    def test_actions_with_optimistic_concurrency(self) -> None:
        store = self.make_store()
        action = make_action()
        store.save_action(action, expected_version=0)
        with pytest.raises(DuplicateId):
            store.save_action(action, expected_version=0)
        started = action.start(by="赵经理", at=BASE.add(days=1))
        store.save_action(started, expected_version=1)
        stale = action.drop(by="王经理", at=BASE.add(days=1), reason="合并到其他措施")
        with pytest.raises(ConcurrencyError):
            store.save_action(stale, expected_version=1)
        assert store.get_action("IA-1") == started

    def test_action_filters_and_order(self) -> None:
        store = self.make_store()
        store.save_action(make_action("IA-1", days=10), expected_version=0)
        store.save_action(make_action("IA-2", days=5, cause_id="RC-2"), expected_version=0)
        done = make_action("IA-3", days=1).start(by="o", at=BASE).complete(by="o", at=BASE)
        store.save_action(done, expected_version=0)
        assert [a.id for a in store.actions()] == ["IA-3", "IA-2", "IA-1"]
        assert [a.id for a in store.actions(open_only=True)] == ["IA-2", "IA-1"]
        assert [a.id for a in store.actions(status=ActionStatus.DONE)] == ["IA-3"]
        assert [a.id for a in store.actions(cause_id="RC-2")] == ["IA-2"]
        with pytest.raises(NotFound):
            store.get_action("IA-404")


class ArticleStoreContract:
    """What every :class:`~aftersales.knowledge.ArticleStore` must do."""

    def make_store(self) -> Any:
        """A new, empty store."""
        raise NotImplementedError

    def test_every_version_is_kept(self) -> None:
        store = self.make_store()
        draft = make_article()
        store.save_article(draft, expected_version=0)
        published = draft.publish(by="王", at=BASE.add(hours=1))
        store.save_article(published, expected_version=1)
        revised = published.revise(by="王", at=BASE.add(days=1), tags=("卡纸",))
        store.save_article(revised, expected_version=2)
        assert store.get_article("KB-1") == revised
        assert store.article_versions("KB-1") == [draft, published, revised]

    def test_concurrent_and_duplicate_saves_write_nothing(self) -> None:
        store = self.make_store()
        draft = make_article()
        store.save_article(draft, expected_version=0)
        with pytest.raises(DuplicateId):
            store.save_article(draft, expected_version=0)
        store.save_article(draft.publish(by="王", at=BASE), expected_version=1)
        with pytest.raises(ConcurrencyError):
            store.save_article(draft.retire(by="王", at=BASE, reason="过时"), expected_version=1)
        with pytest.raises(InvalidData):
            store.save_article(draft, expected_version=2)
        assert [v.version for v in store.article_versions("KB-1")] == [1, 2]

    def test_filters(self) -> None:
        store = self.make_store()
        store.save_article(make_article("KB-2", product=None), expected_version=0)
        a = make_article("KB-1")
        store.save_article(a, expected_version=0)
        store.save_article(a.publish(by="王", at=BASE), expected_version=1)
        assert [x.id for x in store.articles()] == ["KB-1", "KB-2"]
        assert [x.id for x in store.articles(status=ArticleStatus.PUBLISHED)] == ["KB-1"]
        assert [x.id for x in store.articles(product="X200")] == ["KB-1"]
        assert [x.id for x in store.articles(category="usage_guidance")] == []

    def test_uses_are_counted(self) -> None:
        store = self.make_store()
        store.save_article(make_article(), expected_version=0)
        for minutes, ticket in ((5, "T2"), (1, "T1")):
            store.record_use(
                ArticleUse(
                    article_id="KB-1", ticket_id=ticket, by="李工", at=BASE.add(minutes=minutes)
                )
            )
        assert [u.ticket_id for u in store.uses("KB-1")] == ["T1", "T2"]
        with pytest.raises(NotFound):
            store.record_use(ArticleUse(article_id="KB-9", ticket_id="T1", by="李工", at=BASE))
        with pytest.raises(NotFound):
            store.get_article("KB-9")


class FollowUpStoreContract:
    """What every :class:`~aftersales.followup.FollowUpStore` must do."""

    def make_store(self) -> Any:
        """A new, empty store."""
        raise NotImplementedError

    @staticmethod
    def task(task_id: str, days: int, customer_id: str = "C1") -> FollowUpTask:
        return FollowUpTask(
            id=task_id,
            customer_id=customer_id,
            trigger=FollowUpTrigger.AFTER_CLOSURE,
            point="1w",
            anchor_at=BASE,
            due_at=BASE.add(days=days),
            source_ticket_id="T1",
        )

    def test_add_query_and_record(self) -> None:
        store = self.make_store()
        for task_id, days, customer in (("FU-b", 7, "C1"), ("FU-a", 30, "C2"), ("FU-c", 7, "C1")):
            store.add_followup(self.task(task_id, days, customer))
        with pytest.raises(DuplicateId):
            store.add_followup(self.task("FU-a", 1))
        assert [t.id for t in store.followups()] == ["FU-b", "FU-c", "FU-a"]
        assert [t.id for t in store.followups(customer_id="C2")] == ["FU-a"]
        assert [t.id for t in store.followups(due_before=BASE.add(days=7))] == ["FU-b", "FU-c"]
        record = FollowUpRecord(
            at=BASE.add(days=8), by="回访专员", outcome=FollowUpOutcome.SATISFIED
        )
        done = store.get_followup("FU-b").with_record(record)
        store.save_followup(done, expected_version=1)
        assert store.get_followup("FU-b") == done
        assert [t.id for t in store.followups(open_only=True)] == ["FU-c", "FU-a"]
        with pytest.raises(ConcurrencyError):
            store.save_followup(done, expected_version=1)
        with pytest.raises(NotFound):
            store.get_followup("FU-zzz")


class SearchIndexContract:
    """What every :class:`~aftersales.knowledge.SearchIndex` must do."""

    def make_index(self) -> Any:
        """A new, empty index."""
        raise NotImplementedError

    def test_chinese_english_and_mixed(self) -> None:
        index = self.make_index()
        index.add(IndexDocument("KB-1", "打印机频繁卡纸 搓纸轮磨损", product="X200"))
        index.add(IndexDocument("KB-2", "空调不制冷 冷媒泄漏", category="product_quality"))
        index.add(IndexDocument("KB-3", "Router keeps dropping the Wi-Fi connection"))
        assert [h.id for h in index.search("老是卡纸")] == ["KB-1"]
        assert [h.id for h in index.search("wifi dropping")] == ["KB-3"]
        assert index.search("X200 卡纸")[0].id == "KB-1"
        assert index.search("卡纸", product="Y9") == []
        assert [h.id for h in index.search("不制冷", category="product_quality")] == ["KB-2"]
        assert index.search("") == []
        assert len(index) == 3

    def test_replace_remove_and_ranking(self) -> None:
        index = self.make_index()
        index.add(IndexDocument("KB-1", "洗衣机 脱水 震动"))
        index.add(IndexDocument("KB-1", "冰箱 不冷"))
        assert index.search("震动") == []
        assert [h.id for h in index.search("冰箱")] == ["KB-1"]
        index.add(IndexDocument("KB-2", "冰箱 冰箱 冰箱 不冷 结冰", boost="冰箱不冷"))
        hits = index.search("冰箱不冷")
        assert [h.id for h in hits] == ["KB-2", "KB-1"]
        assert hits[0].score >= hits[1].score
        index.remove("KB-2")
        index.remove("KB-404")
        assert "KB-2" not in index
        assert "KB-1" in index
        index.clear()
        assert len(index) == 0

    def test_limit(self) -> None:
        index = self.make_index()
        for n in range(12):
            index.add(IndexDocument(f"KB-{n:02d}", f"路由器 断网 第{n}种情况"))
        assert len(index.search("路由器断网", limit=5)) == 5
        with pytest.raises(InvalidData):
            index.search("路由器", limit=0)
