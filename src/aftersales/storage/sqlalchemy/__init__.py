"""The store inside an application's SQLAlchemy engine or connection.

:class:`SqlAlchemyStore` needs the ``sqlalchemy`` extra
(``pip install "aftersales[sqlalchemy]"``) and, for PostgreSQL or MySQL, the
``postgres`` or ``mysql`` extra for the driver.

Example:
    >>> import sqlalchemy
    >>> from aftersales.storage.sqlalchemy import SqlAlchemyStore
    >>> SqlAlchemyStore(sqlalchemy.create_engine("sqlite://"))
    SqlAlchemyStore(<sqlite engine>)
"""

from aftersales.storage.sqlalchemy.store import SqlAlchemyStore

__all__ = ["SqlAlchemyStore"]
