"""The storage contract suites: one pytest suite per port, which every adapter must pass.

Subclass a contract in a test module, name the subclass ``Test…``, and give
it a ``make_store()`` that returns a new, *empty* store each time it is
called (the hypothesis tests call it once per example); override
``dispose_store(store)`` to clean up more than ``store.close()`` does.

* :class:`TicketStoreContract` (:mod:`~aftersales.testing.contracts.tickets`)
  for a :class:`~aftersales.storage.TicketStore`, with its model-based run
  (:mod:`~aftersales.testing.contracts.model_run`), its tags and details part
  (:class:`TicketDetailsContract`) and its ticket types part
  (:class:`TicketTypeContract`: types queried, scores by dimension kept);
* :class:`StoreContract` (:mod:`~aftersales.testing.contracts.store`) for a
  :class:`~aftersales.storage.Store`, including :class:`VocabularyContract`
  (:mod:`~aftersales.testing.contracts.vocabulary`);
* :class:`SlaAlertContract` (:mod:`~aftersales.testing.contracts.alerts`)
  for a :class:`~aftersales.storage.SlaAlertStore` (the SLA alert index);
* :class:`ScheduleStoreContract` (:mod:`~aftersales.testing.contracts.schedules`)
  for a :class:`~aftersales.storage.ScheduleStore` (official holiday schedules);
* :class:`ReplyTemplateStoreContract` (:mod:`~aftersales.testing.contracts.templates`)
  for a :class:`~aftersales.storage.ReplyTemplateStore` (reply templates, every version);
* :class:`TeamStoreContract` (:mod:`~aftersales.testing.contracts.teams`)
  for a :class:`~aftersales.storage.TeamStore` (named calendars and teams);
* :class:`SurveyStoreContract` (:mod:`~aftersales.testing.contracts.surveys`)
  for a :class:`~aftersales.storage.SurveyStore` (answered surveys), and
  :class:`InstalledBaseStoreContract` (:mod:`~aftersales.testing.contracts.installed_base`)
  for an :class:`~aftersales.storage.InstalledBaseStore` (units in service per model);
  :class:`PolicyStoreContract` (:mod:`~aftersales.testing.contracts.policies`)
  for a :class:`~aftersales.storage.PolicyStore` (the SLA policies adopted);
* :class:`AttributeStoreContract` (:mod:`~aftersales.testing.contracts.attributes`)
  for a ticket store that is an :class:`~aftersales.storage.AttributeDefinitionStore`
  (custom attribute declarations, values stored and queried);
* :class:`EventFeedContract` (:mod:`~aftersales.testing.contracts.feed`) for an
  :class:`~aftersales.storage.EventFeed` (every event at its global position), and
  :class:`SubscriptionStoreContract` (:mod:`~aftersales.testing.contracts.subscriptions`)
  for a :class:`~aftersales.storage.SubscriptionStore` (checkpoints, leases, dead letters);
* :class:`FactsContract` (:mod:`~aftersales.testing.contracts.facts`) for a
  :class:`~aftersales.storage.FactsStore` (the facts projection), with its
  random worlds (:func:`facts_worlds`);
* :class:`DurableVocabularyContract` and :class:`IntegrityContract`
  (:mod:`~aftersales.testing.contracts.integrity`) for stores whose data
  outlive the process (give them ``reopen_store`` and ``run_sql``);
* :class:`ImprovementStoreContract`, :class:`ArticleStoreContract`,
  :class:`SearchIndexContract` (``make_index()``), :class:`FollowUpStoreContract`,
  and :class:`RecordsContract` / :class:`FullStoreContract`
  (:mod:`~aftersales.testing.contracts.records`) for a
  :class:`~aftersales.storage.FullStore`.

The shared fixtures are in :mod:`~aftersales.testing.contracts.fixtures`, the
values the suites write in :mod:`~aftersales.testing.contracts.builders`.
This package imports pytest and hypothesis; the rest of ``aftersales`` does
not, and no other part of ``aftersales`` imports this package.

Example:
    >>> from aftersales.storage import MemoryStore
    >>> class TestMemoryStore(StoreContract):
    ...     def make_store(self):
    ...         return MemoryStore()
    >>> len(TestMemoryStore().make_store())
    0
"""

from aftersales.testing.contracts.alerts import SlaAlertContract
from aftersales.testing.contracts.attributes import AttributeStoreContract, with_attributes
from aftersales.testing.contracts.builders import (
    BASE,
    CUSTOMER,
    HOSTILE_TEXTS,
    RECORDS_BASE,
    advance,
    build_ticket,
    followup_done,
    ids_of,
    make_action,
    make_article,
    make_followup,
    make_root_cause,
    make_use,
    open_on,
)
from aftersales.testing.contracts.facts import FactsContract, facts_worlds
from aftersales.testing.contracts.feed import EventFeedContract
from aftersales.testing.contracts.fixtures import (
    StoredDataHooks,
    StoreUnderTest,
    add_hypothesis_test,
)
from aftersales.testing.contracts.followups import FollowUpStoreContract
from aftersales.testing.contracts.improvement import ImprovementStoreContract
from aftersales.testing.contracts.installed_base import InstalledBaseStoreContract
from aftersales.testing.contracts.integrity import IntegrityContract, populate
from aftersales.testing.contracts.knowledge import ArticleStoreContract, SearchIndexContract
from aftersales.testing.contracts.policies import PolicyStoreContract
from aftersales.testing.contracts.records import FullStoreContract, RecordsContract
from aftersales.testing.contracts.schedules import ScheduleStoreContract, fictional_schedule
from aftersales.testing.contracts.store import StoreContract
from aftersales.testing.contracts.subscriptions import SubscriptionStoreContract
from aftersales.testing.contracts.surveys import SURVEYS_BASE, SurveyStoreContract, make_survey
from aftersales.testing.contracts.teams import (
    TeamStoreContract,
    head_office_calendar,
    outlet_team,
)
from aftersales.testing.contracts.templates import (
    ReplyTemplateStoreContract,
    make_reply_template,
)
from aftersales.testing.contracts.ticket_details import TicketDetailsContract, tagged
from aftersales.testing.contracts.ticket_types import TicketTypeContract, typed
from aftersales.testing.contracts.tickets import TicketStoreContract
from aftersales.testing.contracts.vocabulary import DurableVocabularyContract, VocabularyContract

__all__ = [
    "BASE",
    "CUSTOMER",
    "HOSTILE_TEXTS",
    "RECORDS_BASE",
    "SURVEYS_BASE",
    "ArticleStoreContract",
    "AttributeStoreContract",
    "DurableVocabularyContract",
    "EventFeedContract",
    "FactsContract",
    "FollowUpStoreContract",
    "FullStoreContract",
    "ImprovementStoreContract",
    "InstalledBaseStoreContract",
    "IntegrityContract",
    "PolicyStoreContract",
    "RecordsContract",
    "ReplyTemplateStoreContract",
    "ScheduleStoreContract",
    "SearchIndexContract",
    "SlaAlertContract",
    "StoreContract",
    "StoreUnderTest",
    "StoredDataHooks",
    "SubscriptionStoreContract",
    "SurveyStoreContract",
    "TeamStoreContract",
    "TicketDetailsContract",
    "TicketStoreContract",
    "TicketTypeContract",
    "VocabularyContract",
    "add_hypothesis_test",
    "advance",
    "build_ticket",
    "facts_worlds",
    "fictional_schedule",
    "followup_done",
    "head_office_calendar",
    "ids_of",
    "make_action",
    "make_article",
    "make_followup",
    "make_reply_template",
    "make_root_cause",
    "make_survey",
    "make_use",
    "open_on",
    "outlet_team",
    "populate",
    "tagged",
    "typed",
    "with_attributes",
]
