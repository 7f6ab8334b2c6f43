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

for _backend, _stores in _BACKENDS.items():
    for _group, _contracts in _GROUPS.items():
        _name = f"TestDjango{_backend}{_group}"
        globals()[_name] = type(
            _name, (_stores, *_contracts), {"hypothesis_examples": 10, "__module__": __name__}
        )
