"""Storage ports: every protocol a store, a unit of work or a search index provides.

What the service layer needs from a database, in one package that imports
the domain only (the adapters import it):

* :mod:`aftersales.storage.ports.records`: tickets, customers, vocabulary,
  the closing-the-loop records, bulk writes and units of work, search
  (:class:`TicketStore`, :class:`Store`, :class:`FullStore` …, and :class:`Save`);
* :mod:`aftersales.storage.ports.facts`: :class:`FactsStore`, the facts projection;
* :mod:`aftersales.storage.ports.alerts`: :class:`SlaAlertStore` and
  :class:`SlaAlertUnit`, the SLA alert index;
* :mod:`aftersales.storage.ports.schedules`: :class:`ScheduleStore`, the
  official holiday schedules a store keeps;
* :mod:`aftersales.storage.ports.feed`: :class:`EventFeed`, every stored event
  at its global position (and :class:`FeedSignal`, a store that wakes readers);
* :mod:`aftersales.storage.ports.subscriptions`: :class:`SubscriptionStore`,
  subscriptions' checkpoints, leases and :class:`DeadLetter` s;
* :mod:`aftersales.storage.ports.templates`: :class:`ReplyTemplateStore`, the
  reply templates (话术) with every version;
* :mod:`aftersales.storage.ports.attributes`: :class:`AttributeDefinitionStore`,
  the custom attributes a store's tickets may hold;
* :mod:`aftersales.storage.ports.teams`: :class:`TeamStore`, the named working
  calendars and the teams that work on them;
* :mod:`aftersales.storage.ports.surveys`: :class:`SurveyStore`, the answered
  surveys (NPS, satisfaction, comments), by ticket or on their own;
* :mod:`aftersales.storage.ports.installed_base`: :class:`InstalledBaseStore`,
  the units in service per product model (for failure rates);
* :mod:`aftersales.storage.ports.policies`: :class:`PolicyStore`, the SLA
  policies adopted, each :class:`PolicyVersion` from an instant.

Example:
    >>> from aftersales.storage import MemoryStore, SQLiteStore
    >>> store = SQLiteStore(":memory:")
    >>> isinstance(store, FullStore), isinstance(store, FactsStore), isinstance(store, SlaAlertStore)
    (True, True, True)
    >>> isinstance(MemoryStore(), FullStore)
    False
"""

from aftersales.storage.ports.alerts import AlertKey, SlaAlertStore, SlaAlertUnit
from aftersales.storage.ports.attributes import AttributeDefinitionStore
from aftersales.storage.ports.facts import FactsStore
from aftersales.storage.ports.feed import EventFeed, FeedSignal
from aftersales.storage.ports.installed_base import InstalledBaseStore
from aftersales.storage.ports.policies import PolicyStore, PolicyVersion
from aftersales.storage.ports.records import (
    ArticleStore,
    CustomerStore,
    FollowUpStore,
    FullStore,
    FullUnitOfWork,
    ImprovementStore,
    Save,
    SearchIndex,
    Store,
    TicketStore,
    UnitOfWork,
    VocabularyStore,
)
from aftersales.storage.ports.schedules import ScheduleStore
from aftersales.storage.ports.subscriptions import DeadLetter, LeaseLost, SubscriptionStore
from aftersales.storage.ports.surveys import SurveyStore
from aftersales.storage.ports.teams import TeamStore
from aftersales.storage.ports.templates import ReplyTemplateStore

__all__ = [
    "AlertKey",
    "ArticleStore",
    "AttributeDefinitionStore",
    "CustomerStore",
    "DeadLetter",
    "EventFeed",
    "FactsStore",
    "FeedSignal",
    "FollowUpStore",
    "FullStore",
    "FullUnitOfWork",
    "ImprovementStore",
    "InstalledBaseStore",
    "LeaseLost",
    "PolicyStore",
    "PolicyVersion",
    "ReplyTemplateStore",
    "Save",
    "ScheduleStore",
    "SearchIndex",
    "SlaAlertStore",
    "SlaAlertUnit",
    "Store",
    "SubscriptionStore",
    "SurveyStore",
    "TeamStore",
    "TicketStore",
    "UnitOfWork",
    "VocabularyStore",
]
