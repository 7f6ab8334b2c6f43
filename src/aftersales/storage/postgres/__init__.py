"""The PostgreSQL adapter: :class:`PostgresStore`, its migrations and :class:`PostgresSearchIndex`.

Needs the ``postgres`` extra (psycopg 3 and its pool): importing this package
imports psycopg, so :mod:`aftersales.storage` offers these names lazily.
The store implements every port of :mod:`aftersales.storage.ports` (it is a
``FullStore``) on the shared SQL base of :mod:`aftersales.storage._sql`; its
schema steps are :data:`MIGRATIONS`. This package imports the domain, the
ports and the shared SQL modules.

Example:
    >>> from aftersales.storage.postgres import SCHEMA_VERSION, PostgresStore
    >>> PostgresStore.migrations[-1].version == SCHEMA_VERSION
    True
"""

from aftersales._lazy import lazy_attributes
from aftersales.storage.postgres.migrations import MIGRATIONS, SCHEMA_VERSION
from aftersales.storage.postgres.search_index import PostgresSearchIndex
from aftersales.storage.postgres.store import EVENTS_OF_TICKETS, PostgresStore

__all__ = [
    "EVENTS_OF_TICKETS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "PostgresSearchIndex",
    "PostgresStore",
]

__getattr__ = lazy_attributes(
    __name__, {}, deprecated={"TicketQuery": "aftersales.model.query:TicketQuery"}
)
