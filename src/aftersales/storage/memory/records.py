"""The in-process stores of the closing-the-loop records: root causes and actions, articles, follow-ups.

The memory partners of :class:`~aftersales.storage.memory.MemoryStore`: each
implements one port of :mod:`aftersales.storage.ports`
(:class:`~aftersales.storage.ports.ImprovementStore`,
:class:`~aftersales.storage.ports.ArticleStore`,
:class:`~aftersales.storage.ports.FollowUpStore`) in dictionaries behind a
lock, with the same checks and queries as the SQL stores.

Example:
    >>> from aftersales.storage.ports import ImprovementStore
    >>> store = MemoryImprovementStore()
    >>> isinstance(store, ImprovementStore), store.find_root_causes(ticket_id="T1")
    (True, [])
"""

from __future__ import annotations

import threading
from datetime import datetime

from aftersales import _checks as check
from aftersales.errors import ConcurrencyError, DuplicateId, NotFound
from aftersales.followup.tasks import FollowUpTask
from aftersales.improvement.actions import ImprovementAction
from aftersales.improvement.analysis import RootCause
from aftersales.improvement.lifecycle import ActionStatus
from aftersales.knowledge.article import ArticleStatus, ArticleUse, KnowledgeArticle
from aftersales.storage import _record_queries as queries
from aftersales.storage._renamed_verbs import RenamedStoreVerbs
from aftersales.storage.save_checks import (
    check_action_save,
    check_article_save,
    check_followup_save,
)

__all__ = ["MemoryArticleStore", "MemoryFollowUpStore", "MemoryImprovementStore"]


class MemoryImprovementStore(RenamedStoreVerbs):
    """:class:`~aftersales.storage.ports.ImprovementStore` in a dictionary; thread-safe.

    Example:
        >>> import pendulum
        >>> store = MemoryImprovementStore()
        >>> store.save_root_cause(RootCause(id="RC-1", summary="电容不良", category="supplier",
        ...     department="采购部", identified_at=pendulum.datetime(2024, 5, 1, tz="UTC"),
        ...     identified_by="王", ticket_ids=("T1",)))
        >>> [c.id for c in store.find_root_causes(ticket_id="T1")]
        ['RC-1']
    """

    def __init__(self) -> None:
        self._causes: dict[str, RootCause] = {}
        self._actions: dict[str, ImprovementAction] = {}
        self._lock = threading.Lock()

    def save_root_cause(self, cause: RootCause) -> None:
        """Insert or replace ``cause``."""
        check.instance_of(RootCause)(cause, "cause")
        with self._lock:
            self._causes[cause.id] = cause

    def get_root_cause(self, cause_id: str) -> RootCause:
        """The stored root cause; ``NotFound`` when there is none."""
        try:
            return self._causes[cause_id]
        except KeyError:
            raise NotFound("root cause", cause_id) from None

    def find_root_causes(
        self, *, department: str | None = None, ticket_id: str | None = None
    ) -> list[RootCause]:
        """Stored root causes of ``department`` and explaining ``ticket_id``, when given; by id."""
        query = queries.root_causes_query(department=department, ticket_id=ticket_id)
        with self._lock:
            causes = list(self._causes.values())
        return query.select(causes)

    def save_action(self, action: ImprovementAction, *, expected_version: int) -> None:
        """Store ``action`` with optimistic concurrency (see the port)."""
        expected = check_action_save(action, expected_version)
        with self._lock:
            stored = self._actions.get(action.id)
            if expected == 0 and stored is not None:
                raise DuplicateId("improvement action", action.id)
            actual = None if stored is None else stored.version
            if expected != 0 and actual != expected:
                raise ConcurrencyError(
                    "improvement action", action.id, expected=expected, actual=actual
                )
            self._actions[action.id] = action

    def get_action(self, action_id: str) -> ImprovementAction:
        """The stored action; ``NotFound`` when there is none."""
        try:
            return self._actions[action_id]
        except KeyError:
            raise NotFound("improvement action", action_id) from None

    def find_actions(
        self,
        *,
        status: ActionStatus | None = None,
        cause_id: str | None = None,
        owner: str | None = None,
        open_only: bool = False,
    ) -> list[ImprovementAction]:
        """Stored actions matching every filter given, by ``(due_at, id)``."""
        query = queries.actions_query(
            status=status, cause_id=cause_id, owner=owner, open_only=open_only
        )
        with self._lock:
            actions = list(self._actions.values())
        return query.select(actions)


class MemoryArticleStore(RenamedStoreVerbs):
    """:class:`~aftersales.storage.ports.ArticleStore` in dictionaries; thread-safe.

    Example:
        >>> import pendulum
        >>> store = MemoryArticleStore()
        >>> a = KnowledgeArticle(id="KB-1", title="t", symptoms="s", root_cause="r",
        ...     solution_steps=("x",), category="consultation",
        ...     created_at=pendulum.datetime(2024, 5, 1, tz="UTC"), created_by="李工")
        >>> store.save_article(a, expected_version=0)
        >>> store.save_article(a.publish(by="王", at=a.created_at), expected_version=1)
        >>> [v.status.value for v in store.find_article_versions("KB-1")]
        ['draft', 'published']
    """

    def __init__(self) -> None:
        self._versions: dict[str, list[KnowledgeArticle]] = {}
        self._uses: list[ArticleUse] = []
        self._lock = threading.Lock()

    def save_article(self, article: KnowledgeArticle, *, expected_version: int) -> None:
        """Store a new version (see the port)."""
        expected = check_article_save(article, expected_version)
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
        return self.find_article_versions(article_id)[-1]

    def find_article_versions(self, article_id: str) -> list[KnowledgeArticle]:
        """Every stored version, oldest first."""
        with self._lock:
            versions = self._versions.get(article_id)
            if versions is None:
                raise NotFound("knowledge article", article_id)
            return list(versions)

    def find_articles(
        self,
        *,
        status: ArticleStatus | None = None,
        product: str | None = None,
        category: str | None = None,
    ) -> list[KnowledgeArticle]:
        """Latest versions matching every filter given, by id."""
        query = queries.articles_query(status=status, product=product, category=category)
        with self._lock:
            latest = [versions[-1] for versions in self._versions.values()]
        return query.select(latest)

    def save_use(self, use: ArticleUse) -> None:
        """Append one use (``NotFound`` when the article is not stored)."""
        check.instance_of(ArticleUse)(use, "use")
        with self._lock:
            if use.article_id not in self._versions:
                raise NotFound("knowledge article", use.article_id)
            self._uses.append(use)

    def find_uses(self, article_id: str | None = None) -> list[ArticleUse]:
        """Recorded uses (of one article when given), by time then article id."""
        with self._lock:
            uses = list(self._uses)
        return queries.uses_query(article_id=article_id).select(uses)


class MemoryFollowUpStore(RenamedStoreVerbs):
    """:class:`~aftersales.storage.ports.FollowUpStore` in a dictionary; thread-safe.

    Example:
        >>> MemoryFollowUpStore().find_followups()
        []
    """

    def __init__(self) -> None:
        self._tasks: dict[str, FollowUpTask] = {}
        self._lock = threading.Lock()

    def save_followup(self, task: FollowUpTask, *, expected_version: int) -> None:
        """Store ``task`` with optimistic concurrency (0: a new task; see the port)."""
        expected = check_followup_save(task, expected_version)
        with self._lock:
            stored = self._tasks.get(task.id)
            if expected == 0:
                if stored is not None:
                    raise DuplicateId("follow-up", task.id)
                self._tasks[task.id] = task
                return
            if stored is None:
                raise NotFound("follow-up", task.id)
            if stored.version != expected:
                raise ConcurrencyError(
                    "follow-up", task.id, expected=expected, actual=stored.version
                )
            self._tasks[task.id] = task

    def get_followup(self, task_id: str) -> FollowUpTask:
        """The stored task; ``NotFound`` when there is none."""
        try:
            return self._tasks[task_id]
        except KeyError:
            raise NotFound("follow-up", task_id) from None

    def find_followups(
        self,
        *,
        customer_id: str | None = None,
        open_only: bool = False,
        due_before: datetime | None = None,
    ) -> list[FollowUpTask]:
        """Tasks matching every filter, by ``(due_at, id)``."""
        query = queries.followups_query(
            customer_id=customer_id, open_only=open_only, due_before=due_before
        )
        with self._lock:
            tasks = list(self._tasks.values())
        return query.select(tasks)
