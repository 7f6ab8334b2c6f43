"""Deprecated path of the improvement store: the port and its memory adapter are in :mod:`aftersales.storage`.

``ImprovementStore`` (:mod:`aftersales.storage.ports`) and
``MemoryImprovementStore`` (:mod:`aftersales.storage.memory`) resolve here for
one release, with a :class:`DeprecationWarning`.
"""

from aftersales._lazy import lazy_attributes

__getattr__ = lazy_attributes(
    __name__,
    {},
    deprecated={
        "ImprovementStore": "aftersales.storage.ports:ImprovementStore",
        "MemoryImprovementStore": "aftersales.storage.memory:MemoryImprovementStore",
    },
)
