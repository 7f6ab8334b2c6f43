"""Deprecated path of the article store: the port and its memory adapter are in :mod:`aftersales.storage`.

``ArticleStore`` (:mod:`aftersales.storage.ports`) and ``MemoryArticleStore``
(:mod:`aftersales.storage.memory`) resolve here for one release, with a
:class:`DeprecationWarning`.
"""

from aftersales._lazy import lazy_attributes

__getattr__ = lazy_attributes(
    __name__,
    {},
    deprecated={
        "ArticleStore": "aftersales.storage.ports:ArticleStore",
        "MemoryArticleStore": "aftersales.storage.memory:MemoryArticleStore",
    },
)
