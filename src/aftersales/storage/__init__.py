"""Storage ports and adapters.

Example:
    >>> from aftersales.storage import MemoryStore, TicketQuery
    >>> MemoryStore().find(TicketQuery(open_only=True))
    []
"""

from aftersales.storage.memory import MemoryStore
from aftersales.storage.protocols import TicketQuery, TicketStore

__all__ = ["MemoryStore", "TicketQuery", "TicketStore"]
