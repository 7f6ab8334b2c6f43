"""The store inside an application's SQLAlchemy engine or connection, and its migrations.

:class:`SqlAlchemyStore` needs the ``sqlalchemy`` extra
(``pip install "aftersales[sqlalchemy]"``, which brings Alembic) and, for
PostgreSQL or MySQL, the ``postgres`` or ``mysql`` extra for the driver.
:func:`upgrade` migrates a database with Alembic (``aftersales db upgrade``),
:func:`schema_state` tells where it stands and :func:`schema_history` lists
the library's Alembic revisions (docs/storage.md, "Migrating with Alembic").

Example:
    >>> import sqlalchemy
    >>> from aftersales.storage.sqlalchemy import SqlAlchemyStore
    >>> SqlAlchemyStore(sqlalchemy.create_engine("sqlite://"))
    SqlAlchemyStore(<sqlite engine>)
"""

from aftersales.storage.sqlalchemy.schema_upgrade import (
    SchemaRevision,
    SchemaState,
    schema_history,
    schema_state,
    upgrade,
)
from aftersales.storage.sqlalchemy.store import SqlAlchemyStore

__all__ = [
    "SchemaRevision",
    "SchemaState",
    "SqlAlchemyStore",
    "schema_history",
    "schema_state",
    "upgrade",
]
