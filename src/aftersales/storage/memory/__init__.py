"""The memory adapter: every port of :mod:`aftersales.storage.ports` kept in process.

:class:`MemoryStore` (tickets, customers, the company vocabulary, reply
templates) and its record partners :class:`MemoryImprovementStore`,
:class:`MemoryArticleStore` and :class:`MemoryFollowUpStore`;
:class:`MemoryReplyTemplateStore` keeps reply templates alone. This
package imports the domain and the ports only. ``check_save`` and
``check_paging`` moved to
:mod:`aftersales.storage.save_checks` (the old names warn).

Example:
    >>> from aftersales.storage.memory import MemoryFollowUpStore, MemoryStore
    >>> len(MemoryStore()), MemoryFollowUpStore().find_followups()
    (0, [])
"""

from aftersales._lazy import lazy_attributes
from aftersales.storage.memory.records import (
    MemoryArticleStore,
    MemoryFollowUpStore,
    MemoryImprovementStore,
)
from aftersales.storage.memory.store import MemoryStore
from aftersales.storage.memory.templates import MemoryReplyTemplateStore

__all__ = [
    "MemoryArticleStore",
    "MemoryFollowUpStore",
    "MemoryImprovementStore",
    "MemoryReplyTemplateStore",
    "MemoryStore",
]

__getattr__ = lazy_attributes(
    __name__,
    {},
    deprecated={
        "check_paging": "aftersales.storage.save_checks:check_paging",
        "check_save": "aftersales.storage.save_checks:check_save",
    },
)
