"""Every contract the MySQL and PostgreSQL stores pass, on SqlAlchemyStore over SQLite, PostgreSQL and MariaDB.

The classes are made below, one per contract group and backend
(``TestSqlAlchemySQLiteStore``, ``TestSqlAlchemyPostgresFeed``, ...).
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


def _examples(backend: str, group: str) -> int:
    """Examples per hypothesis test. The statements are the native stores' own (their suites
    run 10 to 15 examples); here they check the connections, transactions and session
    settings: 10 on MariaDB, where most hosts reach MySQL through SQLAlchemy, 4 on SQLite and
    PostgreSQL; the facts agreement, which reads every period at every instant, fewer."""
    if group == "Facts":
        return 4 if backend == "MariaDB" else 2
    return 10 if backend == "MariaDB" else 4


for _backend, _stores in _BACKENDS.items():
    for _group, _contracts in _GROUPS.items():
        _name = f"TestSqlAlchemy{_backend}{_group}"
        globals()[_name] = type(
            _name,
            (_stores, *_contracts),
            {"hypothesis_examples": _examples(_backend, _group), "__module__": __name__},
        )
