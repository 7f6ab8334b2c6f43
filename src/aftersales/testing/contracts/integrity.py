"""The integrity part of the storage contract: ``check_integrity()`` finds what a hand broke.

:class:`IntegrityContract` is for SQL adapters (a
:class:`~aftersales.storage.FullStore` with ``check_integrity()``): give it
``reopen_store(store)`` and ``run_sql(store, statement, *params)`` (``?``
placeholders), as for
:class:`~aftersales.testing.contracts.DurableVocabularyContract`.
Each test corrupts the database by hand with SQL that every dialect accepts,
then checks that the problem is listed by table and row, that nothing else
is, and that a sound store gives ``[]``.

This module imports pytest; the rest of ``aftersales`` does not.

Example:
    >>> from aftersales.storage import SQLiteStore
    >>> class TestMine(IntegrityContract):
    ...     def make_store(self):
    ...         return SQLiteStore(":memory:")
    >>> TestMine().make_store().check_integrity()
    []
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from aftersales.errors import StorageError
from aftersales.knowledge.article import ArticleUse
from aftersales.model.customer import Contact, Customer
from aftersales.testing.contracts.builders import (
    BASE,
    make_action,
    make_article,
    make_root_cause,
    open_on,
)
from aftersales.testing.contracts.fixtures import StoredDataHooks
from aftersales.testing.contracts.ticket_details import tagged
from aftersales.vocab import Channel, RootCauseCategory

__all__ = ["MISSING", "IntegrityContract", "populate"]


def populate(store: Any) -> None:
    """Tickets (one with a company channel), customers and records: a sound store.

    Tickets ``V1`` (phone), ``V2`` (the company's ``feishu``), ``V3`` (e-mail);
    customers ``C1``, ``C2``; root cause ``RC-1`` (of the company's category
    ``courier``, linked to ``V1``), action ``IA-1``, article ``KB-1`` and one use.

    Example:
        >>> from aftersales.storage import SQLiteStore, TicketQuery
        >>> store = SQLiteStore(":memory:")
        >>> populate(store)
        >>> store.count(TicketQuery()), store.get("V2").channel
        (3, Channel('feishu'))
    """
    store.register_term(Channel, "feishu", "Feishu", "飞书", aliases=("飞书群",))
    store.register_term(RootCauseCategory, "courier", "Courier", "快递员")
    open_on(store, "V1", "phone")
    open_on(store, "V2", "飞书群", minutes=1)
    open_on(store, "V3", "email", minutes=2)
    store.save_customer(
        Customer(id="C1", name="XX科技有限公司", contacts=(Contact("张先生", "13812345678"),))
    )
    store.save_customer(Customer(id="C2", name="YY贸易有限公司"))
    with store.vocabulary.active():
        courier = RootCauseCategory.get("courier")
        cause = attrs.evolve(make_root_cause("RC-1", "V1"), category=courier)
    store.save_root_cause(cause)
    store.save_action(make_action("IA-1", cause_id="RC-1"), expected_version=0)
    store.save_article(make_article("KB-1"), expected_version=0)
    store.save_use(ArticleUse(article_id="KB-1", ticket_id="V1", by="李工", at=BASE))


#: Tables dropped by hand (in an order every dialect accepts), and the rows named by the
#: other problems a store opened afterwards then finds.
MISSING: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("customers",), ()),
    (("knowledge_uses",), ()),
    (("root_cause_tickets",), ()),
    (("ticket_events", "tickets"), ()),
    # the company's channel of V2 and root-cause category of RC-1 are unknown now
    (("vocabulary_aliases", "vocabulary_terms"), ("root_causes row 'RC-1'", "ticket_id='V2'")),
)


class IntegrityContract(StoredDataHooks):
    """``check_integrity()`` of a SQL store, against a database broken by hand.

    Example:
        >>> issubclass(IntegrityContract, StoredDataHooks)
        True
    """

    def test_a_sound_store_has_no_problems(self, store: Any, reopened: list[Any]) -> None:
        populate(store)
        assert store.check_integrity() == []
        assert self._reopen(store, reopened).check_integrity() == []

    def test_text_in_a_time_column_is_named(self, store: Any) -> None:
        populate(store)
        self.run_sql(store, "UPDATE tickets SET received_at = 'yesterday' WHERE id = 'V2'")
        [problem] = store.check_integrity()
        assert problem.startswith("tickets row 'V2': received_at")
        assert "'yesterday'" in problem or "events give" in problem

    def test_a_tickets_row_disagreeing_with_its_events_is_named(self, store: Any) -> None:
        populate(store)
        self.run_sql(
            store, "UPDATE tickets SET channel = 'email', priority = 'urgent' WHERE id = 'V1'"
        )
        problems = store.check_integrity()
        assert problems == [
            "tickets row 'V1': priority 'urgent' but its events give 'general'",
            "tickets row 'V1': channel 'email' but its events give 'phone'",
        ]

    def test_tag_rows_disagreeing_with_the_events_are_named(self, store: Any) -> None:
        store.save(tagged("V9", ["vip", "返修"]), expected_version=0)
        self.run_sql(store, "DELETE FROM ticket_tags WHERE ticket_id = 'V9' AND tag = 'vip'")
        assert store.check_integrity() == [
            "ticket_tags rows of ticket 'V9': ['返修'] but its events give ['vip', '返修']"
        ]

    def test_bad_customers_rows_are_named(self, store: Any) -> None:
        populate(store)
        self.run_sql(store, "UPDATE customers SET name = '别名' WHERE id = 'C1'")
        self.run_sql(store, "UPDATE customers SET data = '{\"schema_version\": 1}' WHERE id = 'C2'")
        first, second = store.check_integrity()
        assert first == "customers row 'C1': name '别名' but its data gives 'XX科技有限公司'"
        assert second.startswith("customers row 'C2': unreadable")
        assert "13812345678" not in first + second

    @pytest.mark.parametrize(("tables", "others"), MISSING, ids=[t[0][-1] for t in MISSING])
    def test_a_missing_table_is_named_and_the_store_still_opens(
        self, store: Any, reopened: list[Any], tables: tuple[str, ...], others: tuple[str, ...]
    ) -> None:
        populate(store)
        for table in tables:
            self.drop_table(store, table)
        missing = [f"table {table} is missing" for table in sorted(tables)]
        assert store.check_integrity() == missing  # its vocabulary was read before
        problems = self._reopen(store, reopened).check_integrity()
        assert problems[: len(missing)] == missing
        assert len(problems) == len(missing) + len(others)
        for row, problem in zip(others, problems[len(missing) :], strict=True):
            assert row in problem

    def test_a_missing_schema_table_is_named(self, store: Any, reopened: list[Any]) -> None:
        populate(store)
        self.run_sql(store, "DROP TABLE aftersales_schema")
        assert store.check_integrity() == ["table aftersales_schema is missing"]
        with pytest.raises(StorageError) as raised:
            self._reopen(store, reopened)
        assert "table aftersales_schema is missing" in str(raised.value)
        assert "already exists" not in str(raised.value)

    def test_an_unloadable_vocabulary_row_is_named(self, store: Any) -> None:
        populate(store)
        self.run_sql(store, "UPDATE vocabulary_terms SET label_zh = ' ' WHERE code = 'courier'")
        [problem] = store.check_integrity()
        assert problem.startswith(
            "vocabulary_terms row (kind='root_cause_category', code='courier'): label_zh: ' '"
        )
