"""What the app's migrations run: the store's own schema steps, on the migrated database.

Example:
    >>> upgrade_schema.__name__
    'upgrade_schema'
"""

from __future__ import annotations

from typing import Any

__all__ = ["upgrade_schema"]


def upgrade_schema(apps: Any, schema_editor: Any) -> None:
    """Create or upgrade the store's tables on the database being migrated (a ``RunPython`` step).

    Opening a :class:`~aftersales.contrib.django.DjangoStore` runs the
    library's schema steps up to the latest, under the store's migration lock,
    so a later release of the library needs only a new migration that runs
    this function again. On PostgreSQL and SQLite it runs in the migration's
    transaction; on MySQL (whose DDL commits at once) outside any.
    """
    from aftersales.contrib.django.store import DjangoStore

    DjangoStore(using=schema_editor.connection.alias).close()
