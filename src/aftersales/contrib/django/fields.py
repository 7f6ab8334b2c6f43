"""The model field of the store's times, which each backend keeps its own way.

SQLite keeps a time as integer microseconds since 1970-01-01 UTC, MySQL as
the UTC wall-clock time in a ``DATETIME(6)``, PostgreSQL as a
``TIMESTAMPTZ``; :class:`StoredTime` reads all three as an aware UTC
``datetime`` and writes a ``datetime`` back the same way (for the admin's
filters; the store itself writes its rows).

Example:
    >>> from datetime import UTC, datetime
    >>> as_utc_time(1_000_005)
    datetime.datetime(1970, 1, 1, 0, 0, 1, 5, tzinfo=datetime.timezone.utc)
    >>> as_utc_time(datetime(2024, 5, 1, 1, 30))
    datetime.datetime(2024, 5, 1, 1, 30, tzinfo=datetime.timezone.utc)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

from aftersales.storage.sqlite.dialect import micros

__all__ = ["StoredTime", "as_utc_time"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def as_utc_time(value: int | datetime | None) -> datetime | None:
    """A stored time as an aware UTC ``datetime`` (microseconds, naive UTC or aware).

    Example:
        >>> as_utc_time(None) is None
        True
    """
    if value is None:
        return None
    if isinstance(value, int):
        return _EPOCH + timedelta(microseconds=value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


class StoredTime(models.Field):  # type: ignore[type-arg]
    """A time column of the store's tables, whatever the backend (see the module).

    Example:
        >>> StoredTime(null=True).get_internal_type()
        'StoredTime'
    """

    def get_internal_type(self) -> str:
        return "StoredTime"

    def db_type(self, connection: BaseDatabaseWrapper) -> str | None:
        """None: the columns are made by the store's schema steps, never by Django."""
        return None

    def from_db_value(
        self, value: Any, expression: Any, connection: BaseDatabaseWrapper
    ) -> datetime | None:
        if isinstance(value, datetime) and value.tzinfo is None and connection.vendor != "mysql":
            value = value.replace(tzinfo=connection.timezone)  # Django's naive local time
        return as_utc_time(value)

    def get_db_prep_value(
        self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False
    ) -> Any:
        if not isinstance(value, datetime):
            return value
        utc = as_utc_time(value if value.tzinfo is not None else value.replace(tzinfo=UTC))
        assert utc is not None
        if connection.vendor == "sqlite":
            return micros(utc)
        if connection.vendor == "mysql":
            return utc.replace(tzinfo=None)
        return utc
