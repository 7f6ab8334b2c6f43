""":class:`~aftersales.contrib.django.DjangoStore` on Django's SQLite backend.

Django's connection is used as it is: foreign keys on, autocommit mode
(``transaction.atomic`` sends ``BEGIN``). When several processes write, set
``OPTIONS["transaction_mode"] = "IMMEDIATE"`` (Django 5.1 and later), so a
writer waits for the others instead of failing with "database is locked".

Example:
    >>> issubclass(SQLiteOnDjango, SQLiteDialect)
    True
"""

from __future__ import annotations

from aftersales.contrib.django.store import DjangoStore
from aftersales.storage.sqlite.dialect import SQLiteDialect

__all__ = ["SQLiteOnDjango"]


class SQLiteOnDjango(DjangoStore, SQLiteDialect):
    """The SQLite variant (see the module).

    Example:
        >>> issubclass(SQLiteOnDjango, SQLiteDialect)
        True
    """
