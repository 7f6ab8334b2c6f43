"""The MySQL/MariaDB adapter: :class:`MySQLStore` and its migrations.

Needs the ``mysql`` extra (PyMySQL): importing this package imports
PyMySQL, so :mod:`aftersales.storage` offers :class:`MySQLStore` lazily.
The store implements every port of :mod:`aftersales.storage.ports` (it is a
``FullStore``) on the shared SQL base of :mod:`aftersales.storage._sql`; its
schema steps are :data:`MIGRATIONS`. This package imports the domain, the
ports and the shared SQL modules.

Example:
    >>> from aftersales.storage.mysql import SCHEMA_VERSION, MySQLStore
    >>> MySQLStore.migrations[-1].version == SCHEMA_VERSION
    True
"""

from aftersales.storage.mysql.migrations import MIGRATIONS, SCHEMA_VERSION
from aftersales.storage.mysql.store import MySQLStore, mysql_statement

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "MySQLStore", "mysql_statement"]
