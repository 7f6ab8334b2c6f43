"""Storage ports of the records: tickets, customers, vocabulary, closing-the-loop records, search.

What the service layer needs from a database to keep its records. A ticket store
keeps each ticket's append-only event history and its current snapshot;
saving is optimistic: the caller says which version it read, and a store
whose ticket moved on raises :class:`~aftersales.ConcurrencyError` and writes
nothing. A :class:`Store` adds customers, bulk writes and a unit of work that
makes several writes atomic; :class:`VocabularyStore` keeps a company's own
terms. The closing-the-loop records have their ports too
(:class:`ImprovementStore`, :class:`ArticleStore`, :class:`FollowUpStore`),
and :class:`FullStore` is all of them behind one :class:`FullUnitOfWork`, as
the SQL adapters provide. :class:`SearchIndex` ranks knowledge articles.
The read models have their ports beside these:
:mod:`aftersales.storage.ports.facts` and :mod:`aftersales.storage.ports.alerts`.

The methods follow one convention: ``save_<record>(record, ...)`` writes
(``expected_version=0`` inserts a versioned record; a record without versions
is inserted or replaced), ``get_<record>(id)`` reads one or raises
:class:`~aftersales.NotFound`, and ``find_<records>(...)`` returns the ones
passing its filters. Tickets, the primary records, keep the short names
``save``, ``get``, ``find``, ``count`` and ``history``. The library's
adapters still answer to the names before this convention (``customers()``,
``actions()``, ``add_followup()`` …) for one release, with a
:class:`DeprecationWarning`.

The package imports the domain only; the adapters (:mod:`aftersales.storage.memory`,
:mod:`aftersales.storage.sqlite`, :mod:`aftersales.storage.postgres`) import it.

Example:
    >>> from aftersales.storage import MemoryStore, SQLiteStore
    >>> isinstance(MemoryStore(), Store), isinstance(MemoryStore(), FullStore)
    (True, False)
    >>> isinstance(SQLiteStore(":memory:"), FullStore)
    True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol, TypeVar, runtime_checkable

import attrs

from aftersales.followup.tasks import FollowUpTask
from aftersales.improvement.actions import ImprovementAction
from aftersales.improvement.analysis import RootCause
from aftersales.improvement.lifecycle import ActionStatus
from aftersales.knowledge.article import ArticleStatus, ArticleUse, KnowledgeArticle
from aftersales.knowledge.index import IndexDocument, SearchHit
from aftersales.model.customer import Customer
from aftersales.model.events import TicketEvent
from aftersales.model.query import TicketQuery
from aftersales.model.ticket import Ticket
from aftersales.readmodel.projection import TicketProjection
from aftersales.vocab import Term
from aftersales.vocabulary import Vocabulary

__all__ = [
    "ArticleStore",
    "CustomerStore",
    "FollowUpStore",
    "FullStore",
    "FullUnitOfWork",
    "ImprovementStore",
    "Save",
    "SearchIndex",
    "Store",
    "TicketStore",
    "UnitOfWork",
    "VocabularyStore",
]

T = TypeVar("T", bound=Term)


@attrs.frozen(slots=True)
class Save:
    """One write of a bulk :meth:`Store.save_many`: a ticket, the version read, its read models.

    ``due_at`` and ``projection`` mean what they mean to :meth:`TicketStore.save`.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> Save(sample_ticket()).expected_version
        0
    """

    ticket: Ticket
    expected_version: int = 0
    due_at: datetime | None = None
    projection: TicketProjection | None = None


@runtime_checkable
class TicketStore(Protocol):
    """Tickets with their event history, saved with optimistic concurrency.

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> store: TicketStore = MemoryStore()
        >>> "T1" in store
        False
    """

    def save(
        self,
        ticket: Ticket,
        *,
        expected_version: int,
        due_at: datetime | None = None,
        projection: TicketProjection | None = None,
    ) -> None:
        """Store ``ticket``, whose stored version must be ``expected_version`` (0: new).

        The events after ``expected_version`` are appended to the history.
        ``due_at`` is the ticket's next SLA due time (aware), indexed for
        ``TicketQuery(due_before=...)``; every save replaces it (``None``: none).
        ``projection`` (computed from this very ticket version by a
        :class:`~aftersales.readmodel.Projector`) is written with it, in the
        same transaction; without one, the ticket keeps no projection until
        the read models are rebuilt. When only ``projection`` is given, its
        ``due_at`` is the due time.
        Raises ``DuplicateId`` for a new ticket whose id is taken,
        ``ConcurrencyError`` when the stored version differs and ``InvalidData``
        when the history does not extend the stored one or the projection is of
        another version; writes nothing then.
        """
        ...

    def get(self, ticket_id: str) -> Ticket:
        """The stored ticket; ``NotFound`` when there is none."""
        ...

    def history(self, ticket_id: str) -> Sequence[TicketEvent]:
        """The ticket's events, oldest first; ``NotFound`` when there is none."""
        ...

    def find(self, query: TicketQuery) -> list[Ticket]:
        """The tickets matching ``query`` in its ``order`` (see :meth:`TicketQuery.select`)."""
        ...

    def stream(self, query: TicketQuery, *, batch: int = 1000) -> Iterator[Ticket]:
        """The tickets ``find(query)`` returns, in the same order, read ``batch`` at a time.

        For reading many tickets in bounded memory: each page of ``batch``
        (1 to 100,000) is one read, continuing after the last ticket of the
        page before (keyset paging). A ticket saved while the stream is read
        may appear in its new place, or be missed or met twice when its
        place in a due order changed; in received order each ticket comes at
        most once. A ticket's history may be decoded when first read, so a
        stored history that cannot be read raises ``StorageError`` then.
        ``InvalidData`` for a bad ``query`` or ``batch``, at the call.
        """
        ...

    def __contains__(self, ticket_id: object) -> bool:
        """True when a ticket with this id is stored."""
        ...


@runtime_checkable
class CustomerStore(Protocol):
    """Customers (``aftersales.model.Customer``), keyed by id; saving replaces.

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> from aftersales.model import Customer
        >>> store: CustomerStore = MemoryStore()
        >>> store.save_customer(Customer(id="C1", name="XX科技有限公司"))
        >>> store.get_customer("C1").name
        'XX科技有限公司'
    """

    def save_customer(self, customer: Customer) -> None:
        """Insert or replace ``customer``."""
        ...

    def get_customer(self, customer_id: str) -> Customer:
        """The stored customer; ``NotFound`` when there is none."""
        ...

    def find_customers(
        self,
        *,
        limit: int | None = None,
        after_id: str | None = None,
        key_account: bool | None = None,
    ) -> list[Customer]:
        """Stored customers ordered by id, after ``after_id`` (keyset paging).

        ``key_account=True`` keeps the key accounts only (``False``: the
        others), filtered in the database by the SQL stores.
        """
        ...

    def find_customer_ids(self, *, key_account: bool | None = None) -> list[str]:
        """The ids of the stored customers, in order; ``key_account`` as in :meth:`find_customers`.

        What a report asks for its key customers, without reading the customers.
        """
        ...


@runtime_checkable
class UnitOfWork(Protocol):
    """Writes that become visible together, or not at all.

    Obtained from :meth:`Store.unit_of_work`; each call checks at once (and
    raises ``ConcurrencyError``/``DuplicateId`` then, leaving the other writes
    of the unit in place); the unit commits when the ``with`` block ends
    normally and rolls everything back when it ends with an exception.

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> from aftersales.model import Customer
        >>> from aftersales.testing.samples import sample_ticket
        >>> store = MemoryStore()
        >>> with store.unit_of_work() as uow:
        ...     uow.save_customer(Customer(id="C202405001", name="XX科技有限公司"))
        ...     uow.save(sample_ticket(), expected_version=0)
        >>> "T202405001" in store
        True
    """

    def save(
        self,
        ticket: Ticket,
        *,
        expected_version: int,
        due_at: datetime | None = None,
        projection: TicketProjection | None = None,
    ) -> None:
        """As :meth:`TicketStore.save`, inside the unit."""
        ...

    def save_customer(self, customer: Customer) -> None:
        """As :meth:`CustomerStore.save_customer`, inside the unit."""
        ...

    def get(self, ticket_id: str) -> Ticket:
        """The ticket as this unit sees it (its own writes included)."""
        ...


@runtime_checkable
class Store(TicketStore, CustomerStore, Protocol):
    """A complete store: tickets, customers, bulk writes and units of work.

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> from aftersales.testing.samples import sample_ticket
        >>> store: Store = MemoryStore()
        >>> store.save_many([sample_ticket("T1"), sample_ticket("T2")])
        >>> store.count(TicketQuery())
        2
    """

    def save_many(self, items: Iterable[Ticket | Save]) -> None:
        """Save every item in one transaction: all are written or none.

        A bare ``Ticket`` is a new ticket (``Save(ticket)``). Raises the error of
        the first item that cannot be saved, having written nothing.
        """
        ...

    def count(self, query: TicketQuery) -> int:
        """How many tickets match ``query`` (paging fields included)."""
        ...

    def unit_of_work(self) -> AbstractContextManager[UnitOfWork]:
        """A :class:`UnitOfWork` for a ``with`` block."""
        ...

    def close(self) -> None:
        """Release connections; the store is not used afterwards."""
        ...


@runtime_checkable
class VocabularyStore(Protocol):
    """A store that keeps its company's own vocabulary (channels, categories …) with its data.

    ``vocabulary`` is the store's :class:`~aftersales.Vocabulary`: the store
    reads under it, a :class:`~aftersales.ServiceDesk` runs its commands under
    it, and ``find``/``count`` look the query's codes up in it. Every shipped
    store implements this.

    Example:
        >>> from aftersales import Channel
        >>> from aftersales.storage import MemoryStore
        >>> store: VocabularyStore = MemoryStore()
        >>> store.register_term(Channel, "feishu", "Feishu", "飞书", aliases=("飞书群",))
        Channel('feishu')
        >>> store.vocabulary.get(Channel, "飞书群").label_zh
        '飞书'
    """

    @property
    def vocabulary(self) -> Vocabulary:
        """The company's vocabulary, as this store keeps it."""
        ...

    def register_term(
        self,
        kind: type[T],
        code: str,
        label_en: str,
        label_zh: str,
        *,
        aliases: Iterable[str] = (),
    ) -> T:
        """Add a company term (and aliases that find it) to the store, and return it.

        Kept with the store's data (a restart, or another process, sees it)
        and in :attr:`vocabulary`. Idempotent for the same labels; refused
        with ``InvalidData`` naming both terms, having written nothing, for a
        code registered with other labels or a name that already finds
        another term (see :meth:`aftersales.Vocabulary.register`).
        """
        ...


@runtime_checkable
class ImprovementStore(Protocol):
    """Root causes and improvement actions.

    Example:
        >>> from aftersales.storage import MemoryImprovementStore
        >>> isinstance(MemoryImprovementStore(), ImprovementStore)
        True
    """

    def save_root_cause(self, cause: RootCause) -> None:
        """Insert or replace ``cause``."""
        ...

    def get_root_cause(self, cause_id: str) -> RootCause:
        """The stored root cause; ``NotFound`` when there is none."""
        ...

    def find_root_causes(
        self, *, department: str | None = None, ticket_id: str | None = None
    ) -> list[RootCause]:
        """Stored root causes of ``department`` and explaining ``ticket_id``, when given; by id."""
        ...

    def save_action(self, action: ImprovementAction, *, expected_version: int) -> None:
        """Store ``action``, whose stored version must be ``expected_version`` (0: new).

        ``DuplicateId`` for a new action whose id is taken, ``ConcurrencyError``
        when the stored version differs, ``InvalidData`` when ``action.version``
        is not newer than ``expected_version``; nothing is written then.
        """
        ...

    def get_action(self, action_id: str) -> ImprovementAction:
        """The stored action; ``NotFound`` when there is none."""
        ...

    def find_actions(
        self,
        *,
        status: ActionStatus | None = None,
        cause_id: str | None = None,
        owner: str | None = None,
        open_only: bool = False,
    ) -> list[ImprovementAction]:
        """Stored actions matching every filter given, by ``(due_at, id)``."""
        ...


@runtime_checkable
class ArticleStore(Protocol):
    """Knowledge articles with their version history, and the record of their uses.

    Example:
        >>> from aftersales.storage import MemoryArticleStore
        >>> isinstance(MemoryArticleStore(), ArticleStore)
        True
    """

    def save_article(self, article: KnowledgeArticle, *, expected_version: int) -> None:
        """Store a new version of ``article``; the stored version must be ``expected_version``.

        ``expected_version`` 0 means a new article (``DuplicateId`` when the id
        is taken); otherwise ``ConcurrencyError`` when the stored version
        differs. ``article.version`` must be ``expected_version + 1``
        (``InvalidData`` otherwise). Every version stays readable through
        :meth:`find_article_versions`. Nothing is written on error.
        """
        ...

    def get_article(self, article_id: str) -> KnowledgeArticle:
        """The latest version; ``NotFound`` when there is none."""
        ...

    def find_article_versions(self, article_id: str) -> list[KnowledgeArticle]:
        """Every stored version, oldest first; ``NotFound`` when there is none."""
        ...

    def find_articles(
        self,
        *,
        status: ArticleStatus | None = None,
        product: str | None = None,
        category: str | None = None,
    ) -> list[KnowledgeArticle]:
        """Latest versions matching every filter given (category by code), by id."""
        ...

    def save_use(self, use: ArticleUse) -> None:
        """Append one use (``NotFound`` when the article is not stored)."""
        ...

    def find_uses(self, article_id: str | None = None) -> list[ArticleUse]:
        """Recorded uses (of one article when given), by time then article id."""
        ...


@runtime_checkable
class FollowUpStore(Protocol):
    """Scheduled follow-up tasks.

    Example:
        >>> from aftersales.storage import MemoryFollowUpStore
        >>> isinstance(MemoryFollowUpStore(), FollowUpStore)
        True
    """

    def save_followup(self, task: FollowUpTask, *, expected_version: int) -> None:
        """Store ``task``, whose stored version must be ``expected_version`` (0: new).

        ``DuplicateId`` for a new task whose id is taken; otherwise ``NotFound``
        when absent and ``ConcurrencyError`` when the stored version differs;
        ``InvalidData`` when ``task.version`` is not newer than
        ``expected_version``. Nothing is written on error.
        """
        ...

    def get_followup(self, task_id: str) -> FollowUpTask:
        """The stored task; ``NotFound`` when there is none."""
        ...

    def find_followups(
        self,
        *,
        customer_id: str | None = None,
        open_only: bool = False,
        due_before: datetime | None = None,
    ) -> list[FollowUpTask]:
        """Tasks matching every filter (``due_before``: ``due_at <= due_before``), by ``(due_at, id)``."""
        ...


@runtime_checkable
class SearchIndex(Protocol):
    """Ranked full-text search over :class:`IndexDocument` values.

    ``add`` inserts or replaces; ``remove`` of an absent id does nothing;
    ``search`` returns at most ``limit`` hits, best first (ties by id), with
    only the documents whose ``product``/``category`` equal the ones given.

    Example:
        >>> from aftersales.knowledge import Bm25Index
        >>> isinstance(Bm25Index(), SearchIndex)
        True
    """

    def add(self, doc: IndexDocument) -> None:
        """Insert or replace ``doc``."""
        ...

    def remove(self, doc_id: str) -> None:
        """Forget ``doc_id`` (nothing happens when it is not indexed)."""
        ...

    def search(
        self,
        text: str,
        *,
        limit: int = 10,
        product: str | None = None,
        category: str | None = None,
    ) -> list[SearchHit]:
        """The best ``limit`` documents for ``text``, best first."""
        ...

    def clear(self) -> None:
        """Forget every document."""
        ...

    def __len__(self) -> int:
        """How many documents are indexed."""
        ...

    def __contains__(self, doc_id: object) -> bool:
        """True when ``doc_id`` is indexed."""
        ...


@runtime_checkable
class FullUnitOfWork(UnitOfWork, Protocol):
    """A :class:`~aftersales.storage.UnitOfWork` that also writes the closing-the-loop records.

    Each call checks at once, with the same errors as the store's method of
    the same name, and a refused call leaves the unit's other writes in place.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> from aftersales.testing.contracts import make_action, make_root_cause
        >>> store = SQLiteStore(":memory:")
        >>> with store.unit_of_work() as uow:
        ...     uow.save_root_cause(make_root_cause("RC-1", "T1"))
        ...     uow.save_action(make_action("IA-1", cause_id="RC-1"), expected_version=0)
        >>> [a.id for a in store.find_actions(cause_id="RC-1")]
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

    def save_use(self, use: ArticleUse) -> None:
        """As :meth:`ArticleStore.save_use`, inside the unit."""
        ...

    def save_followup(self, task: FollowUpTask, *, expected_version: int) -> None:
        """As :meth:`FollowUpStore.save_followup`, inside the unit."""
        ...


@runtime_checkable
class FullStore(Store, ImprovementStore, ArticleStore, FollowUpStore, Protocol):
    """Tickets, customers, root causes, improvement actions, knowledge articles, follow-ups.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> store: FullStore = SQLiteStore(":memory:")
        >>> isinstance(store, ArticleStore), store.find_followups()
        (True, [])
    """

    def unit_of_work(self) -> AbstractContextManager[FullUnitOfWork]:
        """A :class:`FullUnitOfWork` for a ``with`` block."""
        ...
