"""Deprecated path of ``FullStore`` and ``FullUnitOfWork``: use :mod:`aftersales.storage.ports`.

Each name resolves here for one release, with a :class:`DeprecationWarning`.
"""

from aftersales._lazy import moved_module

__getattr__ = moved_module(__name__, "aftersales.storage.ports")
