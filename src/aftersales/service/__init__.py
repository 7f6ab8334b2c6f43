"""The service layer: what a front end calls, over stores, a clock and policies.

* :class:`ServiceDesk` (:mod:`~aftersales.service.desk`): tickets through the
  lifecycle; :meth:`ServiceDesk.execute` runs any command by name, as declared
  in :data:`COMMANDS` (:mod:`~aftersales.service.commands`), and the named
  commands (:mod:`~aftersales.service.named_commands`) are typed calls of it;
* :class:`KnowledgeBase` (:mod:`~aftersales.service.knowledge_base`): articles
  from closed tickets, publishing, search and suggestions;
* :class:`FollowUps` (:mod:`~aftersales.service.followups`): scheduled
  follow-ups and their contacts;
* :func:`customer_archive` (:mod:`~aftersales.service.archive`): everything
  known about one customer.

This package may import the domain, the storage ports and the adapters; the
domain and storage never import it (entry points and ``aftersales.testing`` do).

Example:
    >>> from aftersales.service import COMMANDS, ServiceDesk
    >>> all(callable(getattr(ServiceDesk, name)) for name in COMMANDS)
    True
"""

from aftersales.service.archive import CustomerArchive, customer_archive
from aftersales.service.commands import COMMANDS, Command, command_named
from aftersales.service.desk import ServiceDesk
from aftersales.service.followups import FollowUps
from aftersales.service.knowledge_base import KnowledgeBase

__all__ = [
    "COMMANDS",
    "Command",
    "CustomerArchive",
    "FollowUps",
    "KnowledgeBase",
    "ServiceDesk",
    "command_named",
    "customer_archive",
]
