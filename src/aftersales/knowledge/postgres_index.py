"""Deprecated path: the PostgreSQL search index is a storage adapter, :mod:`aftersales.storage.postgres`.

``PostgresSearchIndex`` resolves here for one release, with a
:class:`DeprecationWarning`; ``aftersales.knowledge.PostgresSearchIndex``
stays the documented name.
"""

from aftersales._lazy import moved_module

__getattr__ = moved_module(__name__, "aftersales.storage.postgres.search_index")
