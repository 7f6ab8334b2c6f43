"""Deprecated path of the record-store contracts: use :mod:`aftersales.testing.contracts`.

Each name resolves there for one release, with a :class:`DeprecationWarning`;
``BASE`` (the records' creation time) is ``RECORDS_BASE`` there. The contracts
import pytest, which nothing outside :mod:`aftersales.testing` does.
"""

from aftersales._lazy import lazy_attributes

_NAMES = (
    "ArticleStoreContract",
    "FollowUpStoreContract",
    "ImprovementStoreContract",
    "SearchIndexContract",
    "make_action",
    "make_article",
    "make_root_cause",
)

__getattr__ = lazy_attributes(
    __name__,
    {},
    deprecated={
        "BASE": "aftersales.testing.contracts:RECORDS_BASE",
        **{name: f"aftersales.testing.contracts:{name}" for name in _NAMES},
    },
)
