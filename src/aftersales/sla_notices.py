"""Deprecated path of :mod:`aftersales.sla.notices`; it works for one more release.

Every name forwards there with a :class:`DeprecationWarning`.
"""

from aftersales._lazy import moved_module

__getattr__ = moved_module(__name__, "aftersales.sla.notices")
