"""The contracts of a knowledge article store and of a search index.

Subclass :class:`ArticleStoreContract` (give it ``make_store()``) or
:class:`SearchIndexContract` (give it ``make_index()``) in a test module,
name the subclass ``Test…``, and return a new, empty store or index each call.

This module imports pytest; the rest of ``aftersales`` does not.

Example:
    >>> from aftersales.storage import SQLiteSearchIndex
    >>> class TestFts(SearchIndexContract):
    ...     def make_index(self):
    ...         return SQLiteSearchIndex()
    >>> len(TestFts().make_index())
    0
"""

from __future__ import annotations

from typing import Any

import pytest

from aftersales.errors import ConcurrencyError, DuplicateId, InvalidData, NotFound
from aftersales.knowledge.article import ArticleStatus, ArticleUse
from aftersales.knowledge.index import IndexDocument
from aftersales.testing.contracts.builders import RECORDS_BASE, make_article
from aftersales.testing.contracts.fixtures import StoreUnderTest

__all__ = ["ArticleStoreContract", "SearchIndexContract"]


class ArticleStoreContract(StoreUnderTest):
    """What every :class:`~aftersales.storage.ArticleStore` must do.

    Example:
        >>> from aftersales.storage import MemoryArticleStore
        >>> class TestMemory(ArticleStoreContract):
        ...     def make_store(self):
        ...         return MemoryArticleStore()
        >>> TestMemory().make_store().find_articles()
        []
    """

    def test_every_version_is_kept(self) -> None:
        store = self.make_store()
        draft = make_article()
        store.save_article(draft, expected_version=0)
        published = draft.publish(by="王", at=RECORDS_BASE.add(hours=1))
        store.save_article(published, expected_version=1)
        revised = published.revise(by="王", at=RECORDS_BASE.add(days=1), tags=("卡纸",))
        store.save_article(revised, expected_version=2)
        assert store.get_article("KB-1") == revised
        assert store.find_article_versions("KB-1") == [draft, published, revised]

    def test_concurrent_and_duplicate_saves_write_nothing(self) -> None:
        store = self.make_store()
        draft = make_article()
        store.save_article(draft, expected_version=0)
        with pytest.raises(DuplicateId):
            store.save_article(draft, expected_version=0)
        store.save_article(draft.publish(by="王", at=RECORDS_BASE), expected_version=1)
        with pytest.raises(ConcurrencyError):
            store.save_article(
                draft.retire(by="王", at=RECORDS_BASE, reason="过时"), expected_version=1
            )
        with pytest.raises(InvalidData):
            store.save_article(draft, expected_version=2)
        assert [v.version for v in store.find_article_versions("KB-1")] == [1, 2]

    def test_filters(self) -> None:
        store = self.make_store()
        store.save_article(make_article("KB-2", product=None), expected_version=0)
        a = make_article("KB-1")
        store.save_article(a, expected_version=0)
        store.save_article(a.publish(by="王", at=RECORDS_BASE), expected_version=1)
        assert [x.id for x in store.find_articles()] == ["KB-1", "KB-2"]
        assert [x.id for x in store.find_articles(status=ArticleStatus.PUBLISHED)] == ["KB-1"]
        assert [x.id for x in store.find_articles(product="X200")] == ["KB-1"]
        assert [x.id for x in store.find_articles(category="usage_guidance")] == []

    def test_uses_are_counted(self) -> None:
        store = self.make_store()
        store.save_article(make_article(), expected_version=0)
        for minutes, ticket in ((5, "T2"), (1, "T1")):
            store.save_use(
                ArticleUse(
                    article_id="KB-1",
                    ticket_id=ticket,
                    by="李工",
                    at=RECORDS_BASE.add(minutes=minutes),
                )
            )
        assert [u.ticket_id for u in store.find_uses("KB-1")] == ["T1", "T2"]
        with pytest.raises(NotFound):
            store.save_use(
                ArticleUse(article_id="KB-9", ticket_id="T1", by="李工", at=RECORDS_BASE)
            )
        with pytest.raises(NotFound):
            store.get_article("KB-9")


class SearchIndexContract:
    """What every :class:`~aftersales.storage.SearchIndex` must do.

    Example:
        >>> from aftersales.knowledge import Bm25Index
        >>> class TestBm25(SearchIndexContract):
        ...     def make_index(self):
        ...         return Bm25Index()
        >>> len(TestBm25().make_index())
        0
    """

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
