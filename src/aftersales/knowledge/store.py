"""Storage port for knowledge articles (every version kept) and their uses.

Example:
    >>> store = MemoryArticleStore()
    >>> isinstance(store, ArticleStore), store.articles()
    (True, [])
"""

from __future__ import annotations

import threading
from typing import Protocol, runtime_checkable

from aftersales import _checks as check
from aftersales.errors import ConcurrencyError, DuplicateId, InvalidData, NotFound
from aftersales.knowledge.article import ArticleStatus, ArticleUse, KnowledgeArticle

__all__ = ["ArticleStore", "MemoryArticleStore"]


@runtime_checkable
class ArticleStore(Protocol):
    """Knowledge articles with their version history, and the record of their uses.

    Example:
        >>> isinstance(MemoryArticleStore(), ArticleStore)
        True
    """

    def save_article(self, article: KnowledgeArticle, *, expected_version: int) -> None:
        """Store a new version of ``article``; the stored version must be ``expected_version``.

        ``expected_version`` 0 means a new article (``DuplicateId`` when the id
        is taken); otherwise ``ConcurrencyError`` when the stored version
        differs. ``article.version`` must be ``expected_version + 1``
        (``InvalidData`` otherwise). Every version stays readable through
        :meth:`article_versions`. Nothing is written on error.
        """
        ...

    def get_article(self, article_id: str) -> KnowledgeArticle:
        """The latest version; ``NotFound`` when there is none."""
        ...

    def article_versions(self, article_id: str) -> list[KnowledgeArticle]:
        """Every stored version, oldest first; ``NotFound`` when there is none."""
        ...

    def articles(
        self,
        *,
        status: ArticleStatus | None = None,
        product: str | None = None,
        category: str | None = None,
    ) -> list[KnowledgeArticle]:
        """Latest versions matching every filter given (category by code), by id."""
        ...

    def record_use(self, use: ArticleUse) -> None:
        """Append one use (``NotFound`` when the article is not stored)."""
        ...

    def uses(self, article_id: str | None = None) -> list[ArticleUse]:
        """Recorded uses (of one article when given), by time then article id."""
        ...


class MemoryArticleStore:
    """:class:`ArticleStore` in dictionaries; thread-safe.

    Example:
        >>> import pendulum
        >>> store = MemoryArticleStore()
        >>> a = KnowledgeArticle(id="KB-1", title="t", symptoms="s", root_cause="r",
        ...     solution_steps=("x",), category="consultation",
        ...     created_at=pendulum.datetime(2024, 5, 1, tz="UTC"), created_by="李工")
        >>> store.save_article(a, expected_version=0)
        >>> store.save_article(a.publish(by="王", at=a.created_at), expected_version=1)
        >>> [v.status.value for v in store.article_versions("KB-1")]
        ['draft', 'published']
    """

    def __init__(self) -> None:
        self._versions: dict[str, list[KnowledgeArticle]] = {}
        self._uses: list[ArticleUse] = []
        self._lock = threading.Lock()

    def save_article(self, article: KnowledgeArticle, *, expected_version: int) -> None:
        """Store a new version (see :class:`ArticleStore`)."""
        check.instance_of(KnowledgeArticle)(article, "article")
        expected = check.integer(0)(expected_version, "expected_version")
        if article.version != expected + 1:
            message = f"{article.version} does not follow {expected}; accepted: {expected + 1}"
            raise InvalidData(
                f"article.version: {message}", problems=[("article.version", message)]
            )
        with self._lock:
            versions = self._versions.get(article.id)
            if expected == 0 and versions is not None:
                raise DuplicateId("knowledge article", article.id)
            actual = None if versions is None else versions[-1].version
            if expected != 0 and actual != expected:
                raise ConcurrencyError(
                    "knowledge article", article.id, expected=expected, actual=actual
                )
            self._versions.setdefault(article.id, []).append(article)

    def get_article(self, article_id: str) -> KnowledgeArticle:
        """The latest version; ``NotFound`` when there is none."""
        return self.article_versions(article_id)[-1]

    def article_versions(self, article_id: str) -> list[KnowledgeArticle]:
        """Every stored version, oldest first."""
        with self._lock:
            versions = self._versions.get(article_id)
            if versions is None:
                raise NotFound("knowledge article", article_id)
            return list(versions)

    def articles(
        self,
        *,
        status: ArticleStatus | None = None,
        product: str | None = None,
        category: str | None = None,
    ) -> list[KnowledgeArticle]:
        """Latest versions matching every filter given, by id."""
        wanted = None if status is None else check.member(ArticleStatus)(status, "status")
        code = getattr(category, "code", category)
        with self._lock:
            latest = [versions[-1] for versions in self._versions.values()]
        return sorted(
            (
                a
                for a in latest
                if (wanted is None or a.status is wanted)
                and (product is None or a.product == product)
                and (code is None or a.category.code == code)
            ),
            key=lambda a: a.id,
        )

    def record_use(self, use: ArticleUse) -> None:
        """Append one use (``NotFound`` when the article is not stored)."""
        check.instance_of(ArticleUse)(use, "use")
        with self._lock:
            if use.article_id not in self._versions:
                raise NotFound("knowledge article", use.article_id)
            self._uses.append(use)

    def uses(self, article_id: str | None = None) -> list[ArticleUse]:
        """Recorded uses (of one article when given), by time then article id."""
        with self._lock:
            found = [u for u in self._uses if article_id in (None, u.article_id)]
        return sorted(found, key=lambda u: (u.at, u.article_id))
