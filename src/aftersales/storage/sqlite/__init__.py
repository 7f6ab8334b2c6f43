"""The SQLite adapter: :class:`SQLiteStore`, its migrations and :class:`SQLiteSearchIndex` (FTS5).

Standard library only. The store implements every port of
:mod:`aftersales.storage.ports` (it is a ``FullStore``) on the shared SQL
base of :mod:`aftersales.storage._sql`; its schema steps are
:data:`MIGRATIONS`. This package imports the domain, the ports and the
shared SQL modules.

Example:
    >>> from aftersales.storage.sqlite import SCHEMA_VERSION, SQLiteStore
    >>> SQLiteStore(":memory:").schema_version() == SCHEMA_VERSION
    True
"""

from aftersales.storage._sql.schema import Migration
from aftersales.storage.sqlite.migrations import MIGRATIONS, SCHEMA_VERSION
from aftersales.storage.sqlite.search_index import SQLiteSearchIndex
from aftersales.storage.sqlite.store import SQLiteStore

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Migration", "SQLiteSearchIndex", "SQLiteStore"]
