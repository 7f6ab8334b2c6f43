"""The reply templates contract on every store that keeps them, and what only the SQL stores do.

Memory (``MemoryStore``, ``MemoryReplyTemplateStore``), SQLite (a file each, and
``:memory:``) and PostgreSQL run the contract; then: templates outlive the
SQLite store object, two racing writers of the same version leave one,
``check_integrity()`` names an unreadable row, a gap in the versions and a
mistyped column, and the memory and SQL stores answer every filter alike.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.errors import ConcurrencyError, StorageError
from aftersales.storage import MemoryReplyTemplateStore, MemoryStore, SQLiteStore
from aftersales.testing.contracts import (
    RECORDS_BASE,
    ReplyTemplateStoreContract,
    make_reply_template,
)
from tests.storage.contract_stores import SharedPostgresStores, SQLiteFileStores


class TestMemoryStoreTemplates(ReplyTemplateStoreContract):
    def make_store(self) -> MemoryStore:
        return MemoryStore()


class TestMemoryReplyTemplateStore(ReplyTemplateStoreContract):
    def make_store(self) -> MemoryReplyTemplateStore:
        return MemoryReplyTemplateStore()


class TestSQLiteTemplates(SQLiteFileStores, ReplyTemplateStoreContract):
    hypothesis_examples = 10


class TestSQLiteInMemoryTemplates(ReplyTemplateStoreContract):
    hypothesis_examples = 10

    def make_store(self) -> SQLiteStore:
        return SQLiteStore(":memory:")


class TestPostgresTemplates(SharedPostgresStores, ReplyTemplateStoreContract):
    hypothesis_examples = 10

    def make_store(self) -> Any:
        from tests.storage.test_postgres import _execute

        store = super().make_store()
        _execute(self.dsn, "TRUNCATE reply_templates")
        return store


def test_two_memory_stores_keep_their_own_templates() -> None:
    first, second = MemoryStore(), MemoryReplyTemplateStore()
    first.save_reply_template(make_reply_template(), expected_version=0)
    assert second.find_reply_templates() == []
    assert MemoryStore().find_reply_templates() == []


def test_templates_outlive_the_sqlite_store_object(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    first = make_reply_template()
    second = first.revise(by="李工", at=RECORDS_BASE, body="{customer_name} 您好")
    with SQLiteStore(path) as store:
        store.save_reply_template(first, expected_version=0)
        store.save_reply_template(second, expected_version=1)
    with SQLiteStore(path) as reopened:
        assert reopened.find_reply_template_versions("RT-1") == [first, second]
        assert reopened.check_integrity() == []


def _race(open_store: Callable[[], Any]) -> None:
    """Four writers, each on its own store object, save version 2 of one template at once."""
    first = make_reply_template()
    with open_store() as store:
        store.save_reply_template(first, expected_version=0)
    results: list[str] = []
    barrier = threading.Barrier(4)

    def write(n: int) -> None:
        with open_store() as own:
            revised = first.revise(by=f"写者{n}", at=RECORDS_BASE, body=f"第 {n} 种写法")
            barrier.wait()
            try:
                own.save_reply_template(revised, expected_version=1)
                results.append("saved")
            except ConcurrencyError:
                results.append("refused")

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["refused", "refused", "refused", "saved"]
    with open_store() as store:
        assert [t.version for t in store.find_reply_template_versions("RT-1")] == [1, 2]
        assert store.check_integrity() == []


def test_of_sqlite_writers_of_the_same_version_one_wins(tmp_path: Path) -> None:
    _race(lambda: SQLiteStore(tmp_path / "desk.db"))


def test_of_postgres_writers_of_the_same_version_one_wins(postgres_dsn: str) -> None:
    from aftersales.storage.postgres import PostgresStore
    from tests.storage.test_postgres import _reset

    _reset(postgres_dsn)
    _race(lambda: PostgresStore(postgres_dsn, max_size=2))


@pytest.mark.parametrize(
    ("statement", "problem", "second"),
    [
        (
            "UPDATE reply_templates SET data = '{not json' WHERE version = 2",
            "reply_templates row (code='RT-1', version=2): unreadable",
            None,
        ),
        (
            "UPDATE reply_templates SET code = 'RT-2' WHERE version = 2",
            "reply_templates row (code='RT-2', version=2): holds version 2 of 'RT-1'",
            "reply_templates rows of 'RT-2': versions [2] are not 1 to 1",
        ),
        (
            "DELETE FROM reply_templates WHERE version = 1",
            "reply_templates rows of 'RT-1': versions [2] are not 1 to 1",
            None,
        ),
        (
            "UPDATE reply_templates SET updated_at = 'today' WHERE version = 2",
            "reply_templates row (code='RT-1', version=2): updated_at holds text 'today'",
            None,
        ),
    ],
)
def test_check_integrity_names_a_broken_template_row(
    tmp_path: Path, statement: str, problem: str, second: str | None
) -> None:
    path = tmp_path / "desk.db"
    first = make_reply_template()
    with SQLiteStore(path) as store:
        store.save_reply_template(first, expected_version=0)
        store.save_reply_template(
            first.revise(by="李工", at=RECORDS_BASE, title="受理通知"), expected_version=1
        )
        assert store.check_integrity() == []
        with sqlite3.connect(path) as conn:
            conn.execute(statement)
        problems = store.check_integrity()
        assert len(problems) == (1 if second is None else 2), problems
        assert problems[0].startswith(problem), problems
        assert second is None or problems[1] == second
        if "unreadable" in problem:
            with pytest.raises(StorageError, match="reply_templates row"):
                store.find_reply_templates()


_CATEGORIES = (None, "consultation", "product_quality")
_CHANNELS = (None, "phone", "email")


@st.composite
def _templates(draw: st.DrawFn) -> list[Any]:
    """Templates with distinct codes, each revised and retired at random."""
    found = []
    for n in draw(st.lists(st.integers(0, 9), unique=True, max_size=8)):
        versions = [
            make_reply_template(
                f"RT-{n}",
                category=draw(st.sampled_from(_CATEGORIES)),
                channel=draw(st.sampled_from(_CHANNELS)),
                language=draw(st.sampled_from(("zh", "en"))),
            )
        ]
        if draw(st.booleans()):
            versions.append(
                versions[-1].revise(
                    by="李工",
                    at=RECORDS_BASE,
                    category=draw(st.sampled_from(_CATEGORIES)),
                    channel=draw(st.sampled_from(_CHANNELS)),
                    body="{handler} 已安排",
                )
            )
        if draw(st.booleans()):
            versions.append(versions[-1].retire(by="李工", at=RECORDS_BASE))
        found.append(versions)
    return found


@settings(max_examples=40, deadline=None)
@given(
    stored=_templates(),
    category=st.sampled_from((*_CATEGORIES, "logistics_delay")),
    channel=st.sampled_from((*_CHANNELS, "wechat")),
    language=st.sampled_from((None, "zh", "en")),
    include_retired=st.booleans(),
)
def test_memory_and_sqlite_find_the_same_templates_for_every_filter(
    stored: list[Any], category: Any, channel: Any, language: Any, include_retired: bool
) -> None:
    memory, sql = MemoryStore(), SQLiteStore(":memory:")
    try:
        for versions in stored:
            for expected, template in enumerate(versions):
                memory.save_reply_template(template, expected_version=expected)
                sql.save_reply_template(template, expected_version=expected)
        filters = {
            "category": category,
            "channel": channel,
            "language": language,
            "include_retired": include_retired,
        }
        latest = [versions[-1] for versions in sorted(stored, key=lambda v: v[0].code)]
        expected = [  # the filters, said plainly
            t
            for t in latest
            if (include_retired or not t.retired)
            and (language is None or t.language == language)
            and (category is None or t.category is None or t.category.code == category)
            and (channel is None or t.channel is None or t.channel.code == channel)
        ]
        assert memory.find_reply_templates(**filters) == expected
        assert sql.find_reply_templates(**filters) == expected
    finally:
        sql.close()
