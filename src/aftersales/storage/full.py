"""The combined port of the SQL adapters: tickets, customers and the closing-the-loop records.

:class:`FullStore` is :class:`~aftersales.storage.Store` plus
:class:`~aftersales.improvement.ImprovementStore`,
:class:`~aftersales.knowledge.ArticleStore` and
:class:`~aftersales.followup.FollowUpStore`, with a unit of work that also
writes those records. :class:`~aftersales.storage.SQLiteStore` and
:class:`~aftersales.storage.PostgresStore` implement it, so one database (and
one transaction) can serve a desk, its knowledge base, its improvement actions
and its follow-ups. :class:`~aftersales.storage.MemoryStore` is a ``Store``
only; its in-memory partners are ``MemoryImprovementStore``,
``MemoryArticleStore`` and ``MemoryFollowUpStore``.

This module is separate from :mod:`aftersales.storage.protocols` because it
imports the domain packages, which themselves import the protocols.

Example:
    >>> from aftersales.storage import FullStore, MemoryStore, SQLiteStore, Store
    >>> isinstance(SQLiteStore(":memory:"), FullStore)
    True
    >>> isinstance(MemoryStore(), FullStore), isinstance(MemoryStore(), Store)
    (False, True)
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol, runtime_checkable

from aftersales.followup import FollowUpStore, FollowUpTask
from aftersales.improvement.actions import ImprovementAction
from aftersales.improvement.analysis import RootCause
from aftersales.improvement.store import ImprovementStore
from aftersales.knowledge.article import ArticleUse, KnowledgeArticle
from aftersales.knowledge.store import ArticleStore
from aftersales.storage.protocols import Store, UnitOfWork

__all__ = ["FullStore", "FullUnitOfWork"]


@runtime_checkable
class FullUnitOfWork(UnitOfWork, Protocol):
    """A :class:`~aftersales.storage.UnitOfWork` that also writes the closing-the-loop records.

    Each call checks at once, with the same errors as the store's method of
    the same name, and a refused call leaves the unit's other writes in place.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> from aftersales.improvement.contract import make_action, make_root_cause
        >>> store = SQLiteStore(":memory:")
        >>> with store.unit_of_work() as uow:
        ...     uow.save_root_cause(make_root_cause("RC-1", "T1"))
        ...     uow.save_action(make_action("IA-1", cause_id="RC-1"), expected_version=0)
        >>> [a.id for a in store.actions(cause_id="RC-1")]
        ['IA-1']
    """

    def save_root_cause(self, cause: RootCause) -> None:
        """As :meth:`ImprovementStore.save_root_cause`, inside the unit."""
        ...

    def save_action(self, action: ImprovementAction, *, expected_version: int) -> None:
        """As :meth:`ImprovementStore.save_action`, inside the unit."""
        ...

    def save_article(self, article: KnowledgeArticle, *, expected_version: int) -> None:
        """As :meth:`ArticleStore.save_article`, inside the unit."""
        ...

    def record_use(self, use: ArticleUse) -> None:
        """As :meth:`ArticleStore.record_use`, inside the unit."""
        ...

    def add_followup(self, task: FollowUpTask) -> None:
        """As :meth:`FollowUpStore.add_followup`, inside the unit."""
        ...

    def save_followup(self, task: FollowUpTask, *, expected_version: int) -> None:
        """As :meth:`FollowUpStore.save_followup`, inside the unit."""
        ...


@runtime_checkable
class FullStore(Store, ImprovementStore, ArticleStore, FollowUpStore, Protocol):
    """Tickets, customers, root causes, improvement actions, knowledge articles, follow-ups.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> from aftersales.knowledge import ArticleStore
        >>> store: FullStore = SQLiteStore(":memory:")
        >>> isinstance(store, ArticleStore), store.followups()
        (True, [])
    """

    def unit_of_work(self) -> AbstractContextManager[FullUnitOfWork]:
        """A :class:`FullUnitOfWork` for a ``with`` block."""
        ...
