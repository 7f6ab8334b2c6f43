"""Storage: the ports, and the adapters that provide them, one package per backend.

* :mod:`aftersales.storage.ports`: every protocol the service layer needs
  (in :mod:`~aftersales.storage.ports.records`: :class:`TicketStore`, :class:`CustomerStore`, :class:`UnitOfWork`,
  :class:`Store`, :class:`VocabularyStore`, :class:`ImprovementStore`,
  :class:`ArticleStore`, :class:`FollowUpStore`, :class:`FullStore` with its
  :class:`FullUnitOfWork`, :class:`SearchIndex`) and :class:`Save`;
  :mod:`aftersales.storage.ports.alerts`, :class:`SlaAlertStore` with its
  :class:`SlaAlertUnit` (the SLA alert index);
  :mod:`aftersales.storage.ports.facts`, :class:`FactsStore` (the facts projection);
  :mod:`aftersales.storage.ports.schedules`, :class:`ScheduleStore` (official holiday schedules);
  :mod:`aftersales.storage.ports.feed`, :class:`EventFeed` (every event at its global position);
  :mod:`aftersales.storage.ports.subscriptions`, :class:`SubscriptionStore` (checkpoints, leases
  and dead letters of subscriptions);
  :mod:`aftersales.storage.ports.templates`, :class:`ReplyTemplateStore` (reply templates);
  :mod:`aftersales.storage.ports.teams`, :class:`TeamStore` (named calendars and teams);
  :mod:`aftersales.storage.ports.surveys`, :class:`SurveyStore` (answered surveys);
  :mod:`aftersales.storage.ports.installed_base`, :class:`InstalledBaseStore` (units in
  service per product model);
  :mod:`aftersales.storage.ports.policies`, :class:`PolicyStore` (the SLA policies
  adopted, by version and effective instant);
  :mod:`aftersales.storage.ports.attributes`, :class:`AttributeDefinitionStore` (custom
  attribute declarations);
  :mod:`aftersales.storage.save_checks`, the checks every adapter runs;
* :mod:`aftersales.storage.memory`: :class:`MemoryStore` (a ``Store``) and
  :class:`MemoryImprovementStore`, :class:`MemoryArticleStore`,
  :class:`MemoryFollowUpStore`, :class:`MemoryReplyTemplateStore`;
* :mod:`aftersales.storage.sqlite`: :class:`SQLiteStore` (a ``FullStore``) and
  :class:`SQLiteSearchIndex`;
* :mod:`aftersales.storage.postgres`: :class:`PostgresStore` (a ``FullStore``)
  and :class:`PostgresSearchIndex`, imported lazily: they need the
  ``postgres`` extra (psycopg 3);
* :mod:`aftersales.storage.mysql`: :class:`MySQLStore` (a ``FullStore``) on MySQL 8
  or MariaDB, imported lazily: it needs the ``mysql`` extra (PyMySQL);
* :mod:`aftersales.storage.sqlalchemy`: :class:`SqlAlchemyStore` (a ``FullStore``) on an
  application's SQLAlchemy ``Engine`` or ``Connection`` (SQLite, PostgreSQL, MySQL or
  MariaDB), imported lazily: it needs the ``sqlalchemy`` extra.

Imports go one way: the adapters import the ports and the domain, the ports
import the domain, and the domain imports neither.

Example:
    >>> from aftersales.storage import MemoryStore, TicketQuery
    >>> MemoryStore().find(TicketQuery(open_only=True))
    []
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aftersales._lazy import lazy_attributes
from aftersales.model.query import Order, TicketQuery
from aftersales.storage._sql.schema import Migration
from aftersales.storage.memory import (
    MemoryArticleStore,
    MemoryFollowUpStore,
    MemoryImprovementStore,
    MemoryReplyTemplateStore,
    MemoryStore,
)
from aftersales.storage.ports import (
    ArticleStore,
    AttributeDefinitionStore,
    CustomerStore,
    DeadLetter,
    EventFeed,
    FactsStore,
    FeedSignal,
    FollowUpStore,
    FullStore,
    FullUnitOfWork,
    ImprovementStore,
    InstalledBaseStore,
    LeaseLost,
    PolicyStore,
    PolicyVersion,
    ReplyTemplateStore,
    Save,
    ScheduleStore,
    SearchIndex,
    SlaAlertStore,
    SlaAlertUnit,
    Store,
    SubscriptionStore,
    SurveyStore,
    TeamStore,
    TicketStore,
    UnitOfWork,
    VocabularyStore,
)
from aftersales.storage.sqlite import SQLiteSearchIndex, SQLiteStore

if TYPE_CHECKING:
    from aftersales.storage.mysql import MySQLStore
    from aftersales.storage.postgres import PostgresSearchIndex, PostgresStore
    from aftersales.storage.sqlalchemy import SqlAlchemyStore

__all__ = [
    "ArticleStore",
    "AttributeDefinitionStore",
    "CustomerStore",
    "DeadLetter",
    "EventFeed",
    "FactsStore",
    "FeedSignal",
    "FollowUpStore",
    "FullStore",
    "FullUnitOfWork",
    "ImprovementStore",
    "InstalledBaseStore",
    "LeaseLost",
    "MemoryArticleStore",
    "MemoryFollowUpStore",
    "MemoryImprovementStore",
    "MemoryReplyTemplateStore",
    "MemoryStore",
    "Migration",
    "MySQLStore",
    "Order",
    "PolicyStore",
    "PolicyVersion",
    "PostgresSearchIndex",
    "PostgresStore",
    "ReplyTemplateStore",
    "SQLiteSearchIndex",
    "SQLiteStore",
    "Save",
    "ScheduleStore",
    "SearchIndex",
    "SlaAlertStore",
    "SlaAlertUnit",
    "SqlAlchemyStore",
    "Store",
    "SubscriptionStore",
    "SurveyStore",
    "TeamStore",
    "TicketQuery",
    "TicketStore",
    "UnitOfWork",
    "VocabularyStore",
]

#: ``PostgresStore``, ``PostgresSearchIndex``, ``MySQLStore`` and ``SqlAlchemyStore`` on first use;
#: ``product_model_of`` warns.
__getattr__ = lazy_attributes(
    __name__,
    {
        "PostgresStore": "aftersales.storage.postgres:PostgresStore",
        "PostgresSearchIndex": "aftersales.storage.postgres:PostgresSearchIndex",
        "MySQLStore": "aftersales.storage.mysql:MySQLStore",
        "SqlAlchemyStore": "aftersales.storage.sqlalchemy:SqlAlchemyStore",
    },
    deprecated={"product_model_of": "aftersales.storage.protocols:_product_model_of"},
    instead={"product_model_of": "the property Ticket.product_model"},
)
