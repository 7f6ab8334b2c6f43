"""The error of a database behind the library's schema that a store may not upgrade.

:class:`SchemaUpgradeNeeded` (an
:class:`~aftersales.errors.UnsupportedSchemaVersion`) is raised when a store
opened with ``upgrade=False`` (the host migrates with Alembic) finds an older
schema: it names the version found, the one this library needs and the
command that upgrades it. Imports the errors only.

Example:
    >>> error = SchemaUpgradeNeeded("sqlite database (SQLAlchemy)", 3, latest=18)
    >>> error.version, error.supported, isinstance(error, ValueError)
    (3, (18,), True)
"""

from __future__ import annotations

from aftersales.errors import InvalidData, UnsupportedSchemaVersion

__all__ = ["SchemaUpgradeNeeded"]


class SchemaUpgradeNeeded(UnsupportedSchemaVersion):
    """A database behind the library's schema, opened by a store that may not upgrade it.

    Example:
        >>> print(SchemaUpgradeNeeded("postgresql database (SQLAlchemy)", 0, latest=18))
        ... # doctest: +NORMALIZE_WHITESPACE
        postgresql database (SQLAlchemy): schema version 0 is behind this library's 18 and the
        store was opened with upgrade=False; accepted: a database at version 18 (run `aftersales
        db upgrade --url URL` or `alembic upgrade aftersales@head` first)
    """

    def __init__(self, where: str, version: int, *, latest: int) -> None:
        self.where = where
        self.version = version
        self.supported = (latest,)
        message = (
            f"schema version {version} is behind this library's {latest} and the store was"
            f" opened with upgrade=False; accepted: a database at version {latest} (run"
            " `aftersales db upgrade --url URL` or `alembic upgrade aftersales@head` first)"
        )
        InvalidData.__init__(self, f"{where}: {message}", problems=[(where, message)])
