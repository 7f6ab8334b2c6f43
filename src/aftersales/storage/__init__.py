"""Storage ports and adapters.

The protocols (:class:`TicketStore`, :class:`CustomerStore`, :class:`UnitOfWork`,
:class:`Store`, :class:`VocabularyStore`) say what the service layer needs; :class:`MemoryStore`,
:class:`SQLiteStore` and :class:`PostgresStore` provide it. The SQL adapters
also keep root causes, improvement actions, knowledge articles and follow-ups:
they are a :class:`FullStore` (``Store`` plus ``ImprovementStore``,
``ArticleStore`` and ``FollowUpStore``, with a :class:`FullUnitOfWork`).
``PostgresStore`` is imported lazily: it needs the ``postgres`` extra (psycopg 3).

Example:
    >>> from aftersales.storage import MemoryStore, TicketQuery
    >>> MemoryStore().find(TicketQuery(open_only=True))
    []
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aftersales.storage._sql import Migration
from aftersales.storage.full import FullStore, FullUnitOfWork
from aftersales.storage.memory import MemoryStore
from aftersales.storage.protocols import (
    CustomerStore,
    Order,
    Save,
    Store,
    TicketQuery,
    TicketStore,
    UnitOfWork,
    VocabularyStore,
    product_model_of,
)
from aftersales.storage.sqlite import SQLiteStore

if TYPE_CHECKING:
    from aftersales.storage.postgres import PostgresStore

__all__ = [
    "CustomerStore",
    "FullStore",
    "FullUnitOfWork",
    "MemoryStore",
    "Migration",
    "Order",
    "PostgresStore",
    "SQLiteStore",
    "Save",
    "Store",
    "TicketQuery",
    "TicketStore",
    "UnitOfWork",
    "VocabularyStore",
    "product_model_of",
]


def __getattr__(name: str) -> Any:
    if name == "PostgresStore":
        from aftersales.storage.postgres import PostgresStore

        return PostgresStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
