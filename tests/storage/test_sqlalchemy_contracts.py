"""The contracts the SQL stores pass, on SqlAlchemyStore: all of them over MariaDB, the
store, feed and subscription groups over SQLite and PostgreSQL (see ``_GROUPS_ON``).

The classes are made below, one per contract group and backend
(``TestSqlAlchemyMariaDBStore``, ``TestSqlAlchemyPostgresFeed``, ...).
"""

from __future__ import annotations

from typing import Any

from aftersales.testing.contracts import (
    AttributeStoreContract,
    DurableVocabularyContract,
    EventFeedContract,
    FactsContract,
    InstalledBaseStoreContract,
    IntegrityContract,
    PolicyStoreContract,
    RecordsContract,
    ReplyTemplateStoreContract,
    ScheduleStoreContract,
    SlaAlertContract,
    StoreContract,
    SubscriptionStoreContract,
    SurveyStoreContract,
    TeamStoreContract,
)
from tests.storage.records import RecordTablesChecks
from tests.storage.sqlalchemy_stores import (
    SqlAlchemyOnMariaDB,
    SqlAlchemyOnPostgres,
    SqlAlchemyOnSQLiteFile,
)

_BACKENDS: dict[str, type[Any]] = {
    "SQLite": SqlAlchemyOnSQLiteFile,
    "Postgres": SqlAlchemyOnPostgres,
    "MariaDB": SqlAlchemyOnMariaDB,
}
_GROUPS: dict[str, tuple[type[Any], ...]] = {
    "Store": (StoreContract, DurableVocabularyContract, IntegrityContract),
    "Alerts": (SlaAlertContract,),
    "Feed": (EventFeedContract,),
    "Subscriptions": (SubscriptionStoreContract,),
    "Facts": (FactsContract,),
    "Records": (RecordsContract, RecordTablesChecks),
    "Schedules": (ScheduleStoreContract,),
    "Templates": (ReplyTemplateStoreContract,),
    "Attributes": (AttributeStoreContract,),
    "Teams": (TeamStoreContract,),
    "Surveys": (SurveyStoreContract,),
    "InstalledBase": (InstalledBaseStoreContract,),
    "Policies": (PolicyStoreContract,),
}


#: The groups run on each backend. On MariaDB, where most hosts reach MySQL through
#: SQLAlchemy, every group; on SQLite and PostgreSQL, whose statements the native stores'
#: suites run in full and whose connections go through the same code as MariaDB's, the groups
#: that exercise the connection, transaction and feed handling of the variant.
_GROUPS_ON: dict[str, tuple[str, ...]] = {
    "SQLite": ("Store", "Feed", "Subscriptions"),
    "Postgres": ("Store", "Feed", "Subscriptions"),
    "MariaDB": tuple(_GROUPS),
}


def _examples(backend: str, group: str) -> int:
    """Examples per hypothesis test. The statements are the native stores' own (their suites
    run 10 to 15 examples); here they check the connections, transactions and session
    settings: 10 on MariaDB, 4 on SQLite and PostgreSQL; the facts agreement, which reads
    every period at every instant, 4."""
    if group == "Facts":
        return 4
    return 10 if backend == "MariaDB" else 4


for _backend, _stores in _BACKENDS.items():
    for _group in _GROUPS_ON[_backend]:
        _name = f"TestSqlAlchemy{_backend}{_group}"
        globals()[_name] = type(
            _name,
            (_stores, *_GROUPS[_group]),
            {"hypothesis_examples": _examples(_backend, _group), "__module__": __name__},
        )
