"""Deprecated: the knowledge base service moved to :mod:`aftersales.service.knowledge_base`.

``from aftersales.knowledge import KnowledgeBase`` is unchanged; importing a
name from ``aftersales.knowledge.base`` still works for one release, with a
DeprecationWarning.

Example:
    >>> import warnings
    >>> import aftersales.knowledge.base
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     aftersales.knowledge.base.KnowledgeBase.__module__
    'aftersales.service.knowledge_base'
"""

from aftersales._lazy import moved_module

__getattr__ = moved_module(__name__, "aftersales.service.knowledge_base")
