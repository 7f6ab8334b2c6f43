"""The storage layout: what the adapters share is written once, and behaves the same everywhere.

* every record query is one description that the memory and SQL stores both run:
  for all records and filters, they return the same objects in the same order;
* every adapter refuses the same bad save arguments with the same error, writing nothing;
* the released migration steps are unchanged, and the shared index list is what a
  migrated database holds;
* ``import aftersales`` and ``import aftersales.testing`` import neither pytest nor
  hypothesis, while the contract suites are still offered by ``aftersales.testing``.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales import InvalidData
from aftersales.improvement import ActionStatus
from aftersales.knowledge import ArticleStatus
from aftersales.model import Customer
from aftersales.storage import (
    MemoryArticleStore,
    MemoryFollowUpStore,
    MemoryImprovementStore,
    MemoryStore,
    SQLiteStore,
)
from aftersales.storage._sql.schema import INDEXES, KEY_ACCOUNT_INDEX
from aftersales.storage.sqlite import MIGRATIONS
from aftersales.testing.contracts import (
    RECORDS_BASE,
    build_ticket,
    followup_done,
    make_action,
    make_article,
    make_followup,
    make_root_cause,
    make_use,
)
from aftersales.vocab import ProblemCategory

EXAMPLES = settings(max_examples=40, deadline=None)


@pytest.fixture
def sqlite() -> Iterator[SQLiteStore]:
    store = SQLiteStore(":memory:")
    try:
        yield store
    finally:
        store.close()


def _fresh_sqlite() -> SQLiteStore:
    return SQLiteStore(":memory:")


# -- record queries: one description, run by the memory and the SQL stores -------------------

_OWNERS = ("赵经理", "李工")


@st.composite
def actions(draw: st.DrawFn) -> list[Any]:
    """Actions with distinct ids, mixed due days, causes, owners and statuses."""
    ids = draw(st.lists(st.integers(0, 9), unique=True, max_size=8))
    found = []
    for n in ids:
        action = make_action(
            f"IA-{n}", days=draw(st.integers(1, 4)), cause_id=f"RC-{draw(st.integers(0, 2))}"
        )
        action = attrs.evolve(action, owner=draw(st.sampled_from(_OWNERS)))
        step = draw(st.sampled_from(["planned", "started", "done", "dropped"]))
        if step in ("started", "done"):
            action = action.start(by="o", at=RECORDS_BASE)
        if step == "done":
            action = action.complete(by="o", at=RECORDS_BASE)
        if step == "dropped":
            action = action.drop(by="o", at=RECORDS_BASE, reason="合并")
        found.append(action)
    return found


@given(
    stored=actions(),
    status=st.sampled_from([None, *ActionStatus, "in_progress"]),
    cause_id=st.sampled_from([None, "RC-0", "RC-2", "RC-9"]),
    owner=st.sampled_from([None, *_OWNERS, "nobody"]),
    open_only=st.booleans(),
)
@EXAMPLES
def test_actions_agree_for_all_records_and_filters(
    stored: list[Any], status: Any, cause_id: str | None, owner: str | None, open_only: bool
) -> None:
    memory, sql = MemoryImprovementStore(), _fresh_sqlite()
    for action in stored:
        memory.save_action(action, expected_version=0)
        sql.save_action(action, expected_version=0)
    filters = {"status": status, "cause_id": cause_id, "owner": owner, "open_only": open_only}
    found = memory.find_actions(**filters)
    assert sql.find_actions(**filters) == found
    assert [a.due_at for a in found] == sorted(a.due_at for a in found)
    for action in found:  # the filters, said plainly
        assert cause_id in (None, action.cause_id)
        assert owner in (None, action.owner)
        assert not open_only or action.status.is_open
    sql.close()


@given(
    drafts=st.lists(
        st.tuples(
            st.integers(0, 6),
            st.sampled_from([None, "X200", "Y9"]),
            st.sampled_from([ProblemCategory.PRODUCT_QUALITY, ProblemCategory.CONSULTATION]),
            st.booleans(),
        ),
        unique_by=lambda entry: entry[0],
        max_size=6,
    ),
    status=st.sampled_from([None, *ArticleStatus]),
    product=st.sampled_from([None, "X200", "Y9", "Z1"]),
    category=st.sampled_from([None, "product_quality", ProblemCategory.CONSULTATION, "billing"]),
    uses=st.lists(st.tuples(st.integers(0, 6), st.integers(0, 3)), max_size=8),
    used=st.sampled_from([None, "KB-0", "KB-3"]),
)
@EXAMPLES
def test_articles_and_uses_agree_for_all_records_and_filters(
    drafts: list[tuple[int, str | None, ProblemCategory, bool]],
    status: ArticleStatus | None,
    product: str | None,
    category: Any,
    uses: list[tuple[int, int]],
    used: str | None,
) -> None:
    memory, sql = MemoryArticleStore(), _fresh_sqlite()
    for n, model, kind, published in drafts:
        draft = attrs.evolve(make_article(f"KB-{n}", product=model), category=kind)
        for store in (memory, sql):
            store.save_article(draft, expected_version=0)
            if published:
                store.save_article(draft.publish(by="王", at=RECORDS_BASE), expected_version=1)
    stored = {f"KB-{n}" for n, *_ in drafts}
    for n, minutes in uses:
        if f"KB-{n}" in stored:
            for store in (memory, sql):
                store.save_use(make_use(f"KB-{n}", f"T{minutes}", minutes))
    found = memory.find_articles(status=status, product=product, category=category)
    assert sql.find_articles(status=status, product=product, category=category) == found
    assert [a.id for a in found] == sorted(a.id for a in found)
    assert sql.find_uses(used) == memory.find_uses(used)
    assert all(used in (None, u.article_id) for u in memory.find_uses(used))
    sql.close()


@given(
    tasks=st.lists(
        st.tuples(
            st.integers(0, 9), st.integers(1, 6), st.sampled_from(["C1", "C2"]), st.booleans()
        ),
        unique_by=lambda entry: entry[0],
        max_size=8,
    ),
    customer_id=st.sampled_from([None, "C1", "C2", "C9"]),
    open_only=st.booleans(),
    due_days=st.one_of(st.none(), st.integers(0, 7)),
    zone=st.sampled_from(["Asia/Shanghai", "America/New_York", "UTC"]),
)
@EXAMPLES
def test_followups_agree_for_all_records_and_filters(
    tasks: list[tuple[int, int, str, bool]],
    customer_id: str | None,
    open_only: bool,
    due_days: int | None,
    zone: str,
) -> None:
    memory, sql = MemoryFollowUpStore(), _fresh_sqlite()
    for n, days, customer, done in tasks:
        task = make_followup(f"FU-{n}", days, customer)
        for store in (memory, sql):
            store.save_followup(task, expected_version=0)
            if done:
                store.save_followup(followup_done(task), expected_version=1)
    due_before = None if due_days is None else RECORDS_BASE.add(days=due_days).in_tz(zone)
    filters = {"customer_id": customer_id, "open_only": open_only, "due_before": due_before}
    found = memory.find_followups(**filters)
    assert sql.find_followups(**filters) == found
    for task in found:
        assert due_before is None or task.due_at <= due_before
        assert not open_only or not task.done
    sql.close()


@given(
    causes=st.lists(
        st.tuples(
            st.integers(0, 5),
            st.lists(st.sampled_from(["T1", "T2", "T3"]), unique=True, max_size=3),
            st.sampled_from(["采购部", "产品部"]),
        ),
        max_size=8,
    ),
    department=st.sampled_from([None, "采购部", "产品部", "无"]),
)
@EXAMPLES
def test_root_causes_agree_for_all_records_and_filters(
    causes: list[tuple[int, list[str], str]], department: str | None
) -> None:
    memory, sql = MemoryImprovementStore(), _fresh_sqlite()
    for n, tickets, owner in causes:  # saving again replaces
        cause = make_root_cause(f"RC-{n}", *tickets, department=owner)
        memory.save_root_cause(cause)
        sql.save_root_cause(cause)
    for ticket_id in (None, "T1", "T2", "T3", "T9"):
        found = memory.find_root_causes(department=department, ticket_id=ticket_id)
        assert sql.find_root_causes(department=department, ticket_id=ticket_id) == found
        for cause in found:
            assert department in (None, cause.department)
            assert ticket_id in (None, *cause.ticket_ids)
    sql.close()


# -- save checks: one set of rules for every adapter ---------------------------------------


@given(expected=st.one_of(st.integers(-3, 4), st.booleans(), st.none(), st.text(max_size=2)))
@EXAMPLES
def test_every_store_refuses_the_same_bad_versions_with_the_same_error(expected: Any) -> None:
    """A ticket, an action, an article and a follow-up saved with a bad version: same refusal."""
    ticket = build_ticket("T1")
    writes = [
        lambda store: store.save(ticket, expected_version=expected),
        lambda store: store.save_action(make_action(), expected_version=expected),
        lambda store: store.save_article(make_article(), expected_version=expected),
        lambda store: store.save_followup(
            followup_done(make_followup("FU-1", 3)), expected_version=expected
        ),
    ]
    memory = {
        "ticket": MemoryStore(),
        "action": MemoryImprovementStore(),
        "article": MemoryArticleStore(),
        "follow-up": MemoryFollowUpStore(),
    }
    sql = _fresh_sqlite()
    for write, store in zip(writes, memory.values(), strict=True):
        outcomes = []
        for target in (store, sql):
            try:
                write(target)
            except InvalidData as error:
                outcomes.append(str(error))
            except Exception as error:  # a valid version: a not-found or a conflict, alike
                outcomes.append(type(error).__name__)
            else:
                outcomes.append("saved")
        assert outcomes[0] == outcomes[1], (expected, outcomes)
    sql.close()


def test_a_refused_save_writes_nothing_in_either_adapter(sqlite: SQLiteStore) -> None:
    memory = MemoryStore()
    for store in (memory, sqlite):
        store.save_customer(Customer(id="C1", name="XX科技有限公司"))
        with pytest.raises(InvalidData, match="expected_version"):
            store.save(build_ticket("T1"), expected_version=True)
        with pytest.raises(InvalidData, match="limit"):
            store.find_customers(limit=-1)
        assert "T1" not in store
        assert [c.id for c in store.find_customers()] == ["C1"]


# -- migrations: released steps unchanged, the shared index list applied --------------------

#: SHA-256 (first 16 hex digits) of each released step's description and statements, as
#: released: a step is appended, never edited.
RELEASED = {
    "sqlite": {
        1: "b807ccff9ee188db",
        2: "86a02a6728b0fb6d",
        3: "1f098fde281c640d",
        4: "4ed574dcce58014a",
        5: "f59f476a5825c443",
    },
    "postgres": {
        1: "abacf295df8563ae",
        2: "68a7010b98afa6aa",
        3: "a7b0f6b5adbeb798",
        4: "856c13dc67d986f7",
        5: "304c6e451a30530e",
    },
}


def _digest(description: str, statements: tuple[str, ...]) -> str:
    return hashlib.sha256("\n".join((description, *statements)).encode()).hexdigest()[:16]


def _dialect_migrations(dialect: str) -> Any:
    if dialect == "postgres":
        pytest.importorskip("psycopg", reason="the postgres extra")
        from aftersales.storage.postgres import MIGRATIONS as postgres

        return postgres
    return MIGRATIONS


@pytest.mark.parametrize("dialect", sorted(RELEASED))
def test_released_migration_steps_are_unchanged(dialect: str) -> None:
    steps = _dialect_migrations(dialect)
    released = {m.version: _digest(m.description, m.statements) for m in steps}
    assert {v: d for v, d in released.items() if v in RELEASED[dialect]} == RELEASED[dialect]


@pytest.mark.parametrize("dialect", sorted(RELEASED))
def test_both_dialects_create_the_same_indexes(dialect: str) -> None:
    created = {
        statement.split()[2]: statement.split(" ON ")[1].split(" WHERE ")[0]
        for migration in _dialect_migrations(dialect)
        for statement in migration.statements
        if statement.startswith("CREATE INDEX")
    }
    expected = {index.name: f"{index.table} ({index.columns})" for index in INDEXES}
    expected["customers_key_account"] = f"customers ({KEY_ACCOUNT_INDEX[dialect]})"
    assert created == expected


def test_a_migrated_sqlite_database_holds_every_index_of_the_list(sqlite: SQLiteStore) -> None:
    with sqlite._reading() as cur:
        cur.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index'")
        found = {name: (table, sql) for name, table, sql in cur.fetchall() if sql is not None}
    latest = {index.name: index for index in INDEXES}  # version 3 rebuilt tickets_open_due
    assert found.pop("ticket_events_position")[1].startswith("CREATE UNIQUE INDEX")
    key_accounts = found.pop("customers_key_account")
    assert key_accounts == (
        "customers",
        f"CREATE INDEX customers_key_account ON customers ({KEY_ACCOUNT_INDEX['sqlite']})",
    )
    assert set(found) == set(latest)
    for name, index in latest.items():
        assert found[name] == (index.table, index.create("1", "0")), name
    assert "(due_at, id) WHERE is_open = 1 AND due_at IS NOT NULL" in found["tickets_open_due"][1]
    assert found["followups_open_due"][1].endswith("WHERE done = 0")


# -- what importing the library imports --------------------------------------------------------


def test_importing_aftersales_and_its_testing_package_imports_no_test_tool() -> None:
    code = (
        "import sys, aftersales, aftersales.storage, aftersales.testing\n"
        "loaded = sorted(m for m in ('pytest', 'hypothesis', 'psycopg') if m in sys.modules)\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == ""


def test_the_testing_package_offers_the_suites_lazily() -> None:
    import aftersales.testing
    from aftersales.testing import (
        FullStoreContract,
        LifecycleStateMachine,
        StoreContract,
        contracts,
        stateful,
        strategies,
    )

    assert FullStoreContract is contracts.FullStoreContract
    assert StoreContract is contracts.StoreContract
    assert issubclass(FullStoreContract, StoreContract)
    assert LifecycleStateMachine is stateful.LifecycleStateMachine
    assert strategies.__name__ == "aftersales.testing.strategies"
    with pytest.raises(AttributeError, match="NoSuchContract"):
        aftersales.testing.NoSuchContract  # noqa: B018


def test_the_testing_package_offers_every_contract_suite() -> None:
    import aftersales.testing
    from aftersales.testing import contracts

    suites = [name for name in contracts.__all__ if name.endswith("Contract")]
    assert len(suites) >= 10
    for name in suites:
        assert getattr(aftersales.testing, name) is getattr(contracts, name), name
