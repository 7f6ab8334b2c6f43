"""Every contract SqlAlchemyStore passes, on DjangoStore over SQLite, PostgreSQL and MariaDB.

The databases are Django's test databases (``setup_databases``, migrations
applied); the classes are made below, one per contract group and backend
(``TestDjangoSQLiteStore``, ``TestDjangoMariaDBFeed``, ...).
"""

from __future__ import annotations

from typing import Any

from tests.contrib_django.stores import DjangoOnMariaDB, DjangoOnPostgres, DjangoOnSQLite
from tests.storage.test_sqlalchemy_contracts import _GROUPS

_BACKENDS: dict[str, type[Any]] = {
    "SQLite": DjangoOnSQLite,
    "Postgres": DjangoOnPostgres,
    "MariaDB": DjangoOnMariaDB,
}

#: Examples per hypothesis test. The statements are the native stores' own, checked at 10 to
#: 15 examples in their suites; here they check Django's connections and transactions, which
#: every example goes through alike.
_EXAMPLES: dict[str, int] = {"Facts": 2}

for _backend, _stores in _BACKENDS.items():
    for _group, _contracts in _GROUPS.items():
        _name = f"TestDjango{_backend}{_group}"
        globals()[_name] = type(
            _name,
            (_stores, *_contracts),
            {"hypothesis_examples": _EXAMPLES.get(_group, 4), "__module__": __name__},
        )
