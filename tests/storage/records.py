"""Checks of the SQL adapters' record tables beyond ``aftersales.testing.contracts.RecordsContract``.

:class:`RecordTablesChecks` is subclassed once per SQL adapter (SQLite file,
PostgreSQL) next to ``RecordsContract``: racing writers, and rows corrupted
behind the store's back, for which it needs ``execute(store, sql, *params)``
running raw SQL with ``?`` placeholders outside the store.
"""

from __future__ import annotations

import threading
from typing import Any

import attrs
import pytest

from aftersales import StorageError
from aftersales.errors import ConcurrencyError
from aftersales.testing.contracts import RECORDS_BASE as BASE
from aftersales.testing.contracts import (
    followup_done,
    make_action,
    make_article,
    make_followup,
    make_root_cause,
    make_use,
)
from aftersales.vocab import RootCauseCategory


def check_records_after_upgrade(store: Any) -> None:
    """The tables of migrations 4 and 5 work in an upgraded database: each record, read back."""
    cause = make_root_cause("RC-1", "M1")
    store.save_root_cause(cause)
    store.save_action(make_action(), expected_version=0)
    store.save_article(make_article(), expected_version=0)
    store.save_use(make_use("KB-1", "M1", 0))
    store.save_followup(make_followup("FU-1", 3), expected_version=0)
    store.save_followup(followup_done(make_followup("FU-1", 3)), expected_version=1)
    assert store.find_root_causes(ticket_id="M1") == [cause]
    assert store.find_actions(open_only=True) == [make_action()]
    assert store.find_article_versions("KB-1") == [make_article()]
    assert [u.ticket_id for u in store.find_uses("KB-1")] == ["M1"]
    assert store.find_followups(open_only=True) == []
    assert store.get_followup("FU-1").done
    assert store.vocabulary.records() == ()  # migration 5: the company vocabulary
    courier = store.register_term(RootCauseCategory, "courier", "Courier", "快递员")
    with store.vocabulary.active():
        store.save_root_cause(attrs.evolve(cause, id="RC-2", category=courier))
    assert store.get_root_cause("RC-2").category == courier


class RecordTablesChecks:
    """Racing writers lose nothing; a row that cannot be read is named."""

    def make_store(self) -> Any:
        raise NotImplementedError

    def execute(self, store: Any, sql: str, *params: Any) -> None:
        raise NotImplementedError

    # -- racing writers ----------------------------------------------------------------------

    def test_racing_article_saves_one_wins(self) -> None:
        store = self.make_store()
        draft = make_article()
        store.save_article(draft, expected_version=0)
        outcomes: list[str] = []
        barrier = threading.Barrier(6, timeout=30)

        def revise(n: int) -> None:
            revised = draft.revise(by=f"editor{n}", at=BASE.add(minutes=n), tags=(f"标签{n}",))
            barrier.wait()
            try:
                store.save_article(revised, expected_version=1)
                outcomes.append(f"saved {n}")
            except ConcurrencyError:
                outcomes.append("conflict")

        threads = [threading.Thread(target=revise, args=(n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        winners = [o for o in outcomes if o.startswith("saved")]
        assert len(winners) == 1, outcomes
        assert outcomes.count("conflict") == 5, outcomes
        versions = store.find_article_versions("KB-1")
        assert [v.version for v in versions] == [1, 2]
        assert versions[1].updated_by == f"editor{winners[0].split()[1]}"

    # -- corrupted rows ----------------------------------------------------------------------

    def _seed_one_of_each(self, store: Any) -> None:
        store.save_root_cause(make_root_cause("RC-1", "T1"))
        store.save_action(make_action(), expected_version=0)
        store.save_article(make_article(), expected_version=0)
        store.save_use(make_use("KB-1", "T1", 0))
        store.save_followup(make_followup("FU-1", 3), expected_version=0)

    @pytest.mark.parametrize(
        ("table", "key", "read", "named"),
        [
            (
                "root_causes",
                "id = 'RC-1'",
                lambda s: s.find_root_causes(ticket_id="T1"),
                "root_causes row 'RC-1'",
            ),
            (
                "improvement_actions",
                "id = 'IA-1'",
                lambda s: s.find_actions(),
                "improvement_actions row 'IA-1'",
            ),
            (
                "knowledge_articles",
                "id = 'KB-1'",
                lambda s: s.get_article("KB-1"),
                "knowledge_articles row 'KB-1'",
            ),
            (
                "knowledge_article_versions",
                "id = 'KB-1'",
                lambda s: s.find_article_versions("KB-1"),
                "knowledge_article_versions row (id='KB-1', version=1)",
            ),
            (
                "knowledge_uses",
                "article_id = 'KB-1'",
                lambda s: s.find_uses(),
                "knowledge_uses row 1",
            ),
            (
                "followups",
                "id = 'FU-1'",
                lambda s: s.find_followups(open_only=True),
                "followups row 'FU-1'",
            ),
        ],
    )
    @pytest.mark.parametrize(
        ("data", "words"),
        [
            ('{"schema_version": 99, "id": "x"}', "schema version 99"),
            ('{"schema_version": 1', "unreadable"),
        ],
        ids=["future", "truncated"],
    )
    def test_corrupted_row_is_named(
        self, table: str, key: str, read: Any, named: str, data: str, words: str
    ) -> None:
        store = self.make_store()
        self._seed_one_of_each(store)
        self.execute(store, f"UPDATE {table} SET data = ? WHERE {key}", data)
        with pytest.raises(StorageError) as raised:
            read(store)
        assert named in str(raised.value), str(raised.value)
        assert words in str(raised.value), str(raised.value)
        problems = store.check_integrity()
        assert len(problems) == 1, problems
        assert named in problems[0], problems

    def test_row_holding_another_object_is_refused(self) -> None:
        store = self.make_store()
        store.save_followup(make_followup("FU-1", 3), expected_version=0)
        store.save_followup(make_followup("FU-2", 4), expected_version=0)
        self.execute(
            store,
            "UPDATE followups SET data = (SELECT data FROM followups WHERE id = 'FU-2') WHERE id = 'FU-1'",
        )
        with pytest.raises(StorageError, match="followups row 'FU-1': holds follow-up 'FU-2'"):
            store.get_followup("FU-1")

    def test_integrity_check_compares_links_and_versions(self) -> None:
        store = self.make_store()
        self._seed_one_of_each(store)
        store.save_root_cause(make_root_cause("RC-2", "T2"))
        assert store.check_integrity() == []
        self.execute(store, "DELETE FROM root_cause_tickets WHERE root_cause_id = 'RC-1'")
        self.execute(store, "DELETE FROM knowledge_article_versions WHERE id = 'KB-1'")
        assert store.check_integrity() == [
            "root_cause_tickets rows of root cause 'RC-1' differ from its ticket_ids",
            "knowledge_articles row 'KB-1': version 1 but no row in knowledge_article_versions",
        ]
        assert store.find_root_causes(ticket_id="T1") == []  # the link table is the index
