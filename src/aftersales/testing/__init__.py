"""Tools for testing code built on ``aftersales``.

* :mod:`~aftersales.testing.samples`: realistic sample tickets (no extra
  dependency);
* :mod:`~aftersales.testing.strategies`: hypothesis strategies, and
  :class:`~aftersales.testing.stateful.LifecycleStateMachine`, the lifecycle
  as a hypothesis state machine;
* :mod:`~aftersales.testing.contracts`: the storage contract suites
  (:class:`~aftersales.testing.contracts.StoreContract`,
  :class:`~aftersales.testing.contracts.FullStoreContract` …) an adapter must
  pass;
* :mod:`~aftersales.testing.policy_properties`: invariants a company asserts
  on its own SLA policy, and strategies that vary a policy;
* :mod:`~aftersales.testing.postgres`: a throwaway PostgreSQL cluster.

Every name here is imported on first use, so ``import aftersales.testing``
imports neither pytest nor hypothesis; the suites and strategies do when
used. This package may import every layer of ``aftersales``; none of them
imports it.

Example:
    >>> from aftersales.testing import samples
    >>> samples.sample_ticket().customer_name
    'XX科技有限公司'
"""

from __future__ import annotations

from aftersales._lazy import lazy_attributes

_MODULES = ("contracts", "policy_properties", "postgres", "samples", "stateful", "strategies")
#: Each contract suite, by the module of :mod:`aftersales.testing.contracts` that declares it.
_SUITES_BY_MODULE = {
    "tickets": ("TicketStoreContract",),
    "ticket_details": ("TicketDetailsContract",),
    "store": ("StoreContract",),
    "vocabulary": ("VocabularyContract", "DurableVocabularyContract"),
    "integrity": ("IntegrityContract",),
    "improvement": ("ImprovementStoreContract",),
    "knowledge": ("ArticleStoreContract", "SearchIndexContract"),
    "followups": ("FollowUpStoreContract",),
    "records": ("RecordsContract", "FullStoreContract"),
    "facts": ("FactsContract",),
    "alerts": ("SlaAlertContract",),
    "schedules": ("ScheduleStoreContract",),
    "feed": ("EventFeedContract",),
    "subscriptions": ("SubscriptionStoreContract",),
    "templates": ("ReplyTemplateStoreContract",),
    "teams": ("TeamStoreContract",),
    "surveys": ("SurveyStoreContract",),
    "installed_base": ("InstalledBaseStoreContract",),
    "policies": ("PolicyStoreContract",),
    "attributes": ("AttributeStoreContract",),
    "ticket_types": ("TicketTypeContract",),
}

__all__ = ["LifecycleStateMachine", *_MODULES]

#: A module, ``LifecycleStateMachine`` or a contract suite (``StoreContract`` …), on first use.
__getattr__ = lazy_attributes(
    __name__,
    {
        "LifecycleStateMachine": "aftersales.testing.stateful:LifecycleStateMachine",
        **{name: f"aftersales.testing.{name}" for name in _MODULES},
        **{
            name: f"aftersales.testing.contracts.{module}:{name}"
            for module, names in _SUITES_BY_MODULE.items()
            for name in names
        },
    },
)
