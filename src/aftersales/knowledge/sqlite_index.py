"""Deprecated path: the FTS5 search index is a storage adapter, :mod:`aftersales.storage.sqlite.search_index`.

Its names resolve here for one release, with a :class:`DeprecationWarning`;
``aftersales.knowledge.SQLiteSearchIndex`` stays the documented name.
"""

from aftersales._lazy import moved_module

__getattr__ = moved_module(__name__, "aftersales.storage.sqlite.search_index")
