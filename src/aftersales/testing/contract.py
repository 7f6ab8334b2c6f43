"""Deprecated path of the storage contract suite: use :mod:`aftersales.testing.contracts`.

Each name resolves here for one release, with a :class:`DeprecationWarning`.
"""

from aftersales._lazy import moved_module

__getattr__ = moved_module(__name__, "aftersales.testing.contracts")
