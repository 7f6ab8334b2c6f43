"""The storage contract: one pytest suite every store adapter must pass.

Subclass :class:`StoreContract` in a test module, name the subclass ``Test…``
and give it a ``make_store()`` that returns a new, *empty* store each time it
is called (the hypothesis tests call it once per example). Override
``dispose_store(store)`` to clean up more than ``store.close()`` does.
:class:`TicketStoreContract` is the smaller suite for an adapter that only
implements :class:`~aftersales.storage.TicketStore`.

This module imports pytest and hypothesis; the rest of ``aftersales`` does not.

Example:
    >>> from aftersales.storage import MemoryStore
    >>> class TestMemoryStore(StoreContract):
    ...     def make_store(self):
    ...         return MemoryStore()
    >>> TestMemoryStore().make_store().count(TicketQuery())
    0
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime
from typing import Any, ClassVar

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales.errors import (
    ConcurrencyError,
    DuplicateId,
    InvalidData,
    NaiveDatetimeError,
    NotFound,
    UnknownValue,
)
from aftersales.followup import (
    FollowUpOutcome,
    FollowUpRecord,
    FollowUpStore,
    FollowUpTask,
    FollowUpTrigger,
    MemoryFollowUpStore,
)
from aftersales.improvement.contract import BASE as RECORDS_BASE
from aftersales.improvement.contract import (
    ArticleStoreContract,
    FollowUpStoreContract,
    ImprovementStoreContract,
    make_action,
    make_article,
    make_root_cause,
)
from aftersales.improvement.lifecycle import ActionStatus
from aftersales.improvement.store import ImprovementStore, MemoryImprovementStore
from aftersales.knowledge.article import ArticleStatus, ArticleUse
from aftersales.knowledge.store import ArticleStore, MemoryArticleStore
from aftersales.model.customer import Contact, Customer
from aftersales.model.events import (
    Acknowledged,
    Assigned,
    Cancelled,
    NoteAdded,
    PriorityChanged,
    TicketEvent,
    TicketOpened,
)
from aftersales.model.product import Product, Purchase
from aftersales.model.ticket import Ticket
from aftersales.storage.full import FullStore, FullUnitOfWork
from aftersales.storage.protocols import Save, Store, TicketQuery, TicketStore
from aftersales.testing.integrity_contract import IntegrityContract
from aftersales.testing.vocabulary_contract import DurableVocabularyContract, VocabularyContract
from aftersales.vocab import Channel, Priority, ProblemCategory, TicketStatus

__all__ = [
    "HOSTILE_TEXTS",
    "DurableVocabularyContract",
    "FullStoreContract",
    "IntegrityContract",
    "RecordsContract",
    "StoreContract",
    "StoreUnderTest",
    "TicketStoreContract",
    "VocabularyContract",
    "advance",
    "build_ticket",
    "followup_done",
    "make_followup",
    "make_use",
]

#: Moment the contract's tickets are registered from.
BASE: pendulum.DateTime = pendulum.datetime(2024, 5, 10, 9, 0, tz="Asia/Shanghai")

#: Texts that must round-trip through a store unchanged: SQL metacharacters,
#: right-to-left text, emoji, control characters (no NUL), CJK, very long text.
HOSTILE_TEXTS: tuple[str, ...] = (
    "'; DROP TABLE tickets; --",
    'Robert"); DELETE FROM ticket_events WHERE ("1"="1',
    "%s %(name)s ? ?1 :name $1 \\ \\\\ \\' \\x00 ` [ ] {} ; --",
    "עברית ומספרים 123 \u202eRTL override\u202c \u200f",
    "عربي \u061c مرحبا",
    "emoji 🧯🔥👩🏽‍🔧 🇨🇳 \U0001f600",
    "控制\x01\x07\x08\t\n\r\x0b\x0c\x1b\x1f\x7f\x85 字符",
    "中文测试,繁體字,日本語のテキスト,한국어",
    "\ufeffBOM \u2028line\u2029para \ud7ff \ue000 \U0010fffd",
    "長" * 10_000,
)


def build_ticket(
    ticket_id: str,
    *,
    minutes: int = 0,
    customer_id: str = "C202405001",
    channel: Channel = Channel.PHONE,
    category: ProblemCategory = ProblemCategory.PRODUCT_QUALITY,
    priority: Priority = Priority.GENERAL,
    handler: str = "李工",
    product_model: str | None = None,
    description: str = "设备开机后频繁死机",
    customer_name: str = "XX科技有限公司",
) -> Ticket:
    """A freshly opened ticket, registered ``minutes`` after :data:`BASE`.

    Example:
        >>> ticket = build_ticket("T1", minutes=5, product_model="A型")
        >>> ticket.version, ticket.purchase.product.model, ticket.assignee
        (1, 'A型', '李工')
    """
    at = BASE.add(minutes=minutes)
    purchase = (
        None
        if product_model is None
        else Purchase(product=Product(model=product_model), purchased_on=at.date())
    )
    opened = TicketOpened(
        ticket_id=ticket_id,
        seq=1,
        at=at,
        by=handler,
        customer_id=customer_id,
        customer_name=customer_name,
        channel=channel,
        category=category,
        occurred_at=at.subtract(minutes=10),
        description=description,
        priority=priority,
        purchase=purchase,
        handler=handler,
    )
    return Ticket.replay([opened])


def advance(
    ticket: Ticket, event_type: type[TicketEvent], *, by: str = "李工", **payload: Any
) -> Ticket:
    """``ticket`` after one more event, one minute after its last one.

    Example:
        >>> from aftersales.model.events import NoteAdded
        >>> advance(build_ticket("T1"), NoteAdded, text="已致电").version
        2
    """
    event = ticket.new_event(event_type, by=by, at=ticket.updated_at.add(minutes=1), **payload)
    return ticket.apply(event)


def _ids(tickets: list[Ticket]) -> list[str]:
    return [ticket.id for ticket in tickets]


class StoreUnderTest:
    """The store fixture of the contract suites: ``make_store()`` per test, disposed after.

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> class Mine(StoreUnderTest):
        ...     def make_store(self):
        ...         return MemoryStore()
        >>> len(Mine().make_store())
        0
    """

    def make_store(self) -> Any:
        """A new, empty store; subclasses must override this."""
        raise NotImplementedError("define make_store() returning a new, empty store")

    def dispose_store(self, store: Any) -> None:
        """Release a store made by :meth:`make_store` (default: ``close()`` when it has one)."""
        close = getattr(store, "close", None)
        if close is not None:
            close()

    @pytest.fixture
    def store(self) -> Iterator[Any]:
        """The store under test."""
        store = self.make_store()
        try:
            yield store
        finally:
            self.dispose_store(store)


class TicketStoreContract(StoreUnderTest):
    """The contract of :class:`~aftersales.storage.TicketStore`: saving, reading, querying.

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> class TestMine(TicketStoreContract):
        ...     def make_store(self):
        ...         return MemoryStore()
        >>> "T1" in TestMine().make_store()
        False
    """

    #: Examples per hypothesis test; raise it for a thorough run.
    hypothesis_examples: ClassVar[int] = 25

    # -- saving and reading ----------------------------------------------------------------

    def test_is_a_ticket_store(self, store: Any) -> None:
        assert isinstance(store, TicketStore)

    def test_round_trip(self, store: TicketStore) -> None:
        ticket = advance(
            advance(build_ticket("T1", product_model="A型"), Acknowledged), NoteAdded, text="x"
        )
        store.save(ticket, expected_version=0)
        assert "T1" in store
        assert "T2" not in store
        assert store.get("T1") == ticket
        assert list(store.history("T1")) == list(ticket.history)

    def test_append_events(self, store: TicketStore) -> None:
        ticket = build_ticket("T1")
        store.save(ticket, expected_version=0)
        later = advance(advance(ticket, Acknowledged), Assigned, assignee="王工")
        store.save(later, expected_version=1)
        assert store.get("T1") == later
        assert [e.seq for e in store.history("T1")] == [1, 2, 3]

    def test_missing_ticket(self, store: TicketStore) -> None:
        with pytest.raises(NotFound):
            store.get("T404")
        with pytest.raises(NotFound):
            store.history("T404")

    def test_duplicate_id_writes_nothing(self, store: TicketStore) -> None:
        first = build_ticket("T1", description="第一")
        store.save(first, expected_version=0)
        with pytest.raises(DuplicateId):
            store.save(build_ticket("T1", description="第二"), expected_version=0)
        assert store.get("T1") == first

    def test_stale_version_writes_nothing(self, store: TicketStore) -> None:
        ticket = build_ticket("T1")
        store.save(ticket, expected_version=0)
        mine = advance(ticket, NoteAdded, text="mine")
        theirs = advance(ticket, NoteAdded, text="theirs")
        store.save(theirs, expected_version=1)
        with pytest.raises(ConcurrencyError) as raised:
            store.save(mine, expected_version=1)
        assert raised.value.actual == 2
        assert store.get("T1") == theirs

    def test_version_ahead_of_store_is_refused(self, store: TicketStore) -> None:
        ticket = advance(advance(build_ticket("T1"), Acknowledged), NoteAdded, text="x")
        store.save(build_ticket("T1"), expected_version=0)
        with pytest.raises(ConcurrencyError):
            store.save(ticket, expected_version=2)
        with pytest.raises(ConcurrencyError):
            store.save(advance(build_ticket("T9"), Acknowledged), expected_version=1)
        assert store.get("T1").version == 1
        assert "T9" not in store

    def test_foreign_history_is_refused(self, store: TicketStore) -> None:
        store.save(advance(build_ticket("T1"), NoteAdded, text="stored"), expected_version=0)
        other = advance(advance(build_ticket("T1"), NoteAdded, text="other"), NoteAdded, text="x")
        with pytest.raises(InvalidData):
            store.save(other, expected_version=2)
        assert store.get("T1").history[1].text == "stored"  # type: ignore[attr-defined]
        assert store.get("T1").version == 2

    @pytest.mark.parametrize("expected", [-1, 1, 5, True, "0", None])
    def test_bad_expected_version(self, store: TicketStore, expected: Any) -> None:
        with pytest.raises(InvalidData):
            store.save(build_ticket("T1"), expected_version=expected)
        assert "T1" not in store

    def test_naive_due_at_is_refused(self, store: TicketStore) -> None:
        with pytest.raises(NaiveDatetimeError):
            store.save(build_ticket("T1"), expected_version=0, due_at=datetime(2024, 5, 11, 9))
        assert "T1" not in store

    # -- queries -----------------------------------------------------------------------------

    def _populate(self, store: TicketStore) -> dict[str, Ticket]:
        tickets = {
            "A1": build_ticket("A1", minutes=1, customer_id="C1", product_model="A型"),
            "A2": advance(
                build_ticket("A2", minutes=2, priority=Priority.URGENT, channel=Channel.EMAIL),
                Acknowledged,
            ),
            "A3": advance(
                build_ticket(
                    "A3", minutes=3, category=ProblemCategory.LOGISTICS_DELAY, customer_id="C1"
                ),
                Assigned,
                assignee="王工",
            ),
            "A4": advance(
                build_ticket("A4", minutes=4, product_model="B型"), Cancelled, reason="撤回"
            ),
            "A5": build_ticket("A5", minutes=2, priority=Priority.IMPORTANT, product_model="A型"),
        }
        for ticket in tickets.values():
            store.save(ticket, expected_version=0)
        return tickets

    def test_order_is_received_at_then_id(self, store: TicketStore) -> None:
        self._populate(store)
        assert _ids(store.find(TicketQuery())) == ["A1", "A2", "A5", "A3", "A4"]

    @pytest.mark.parametrize(
        ("filters", "expected"),
        [
            ({"status": TicketStatus.ANALYSING}, ["A2"]),
            ({"status": TicketStatus.CANCELLED}, ["A4"]),
            ({"priority": Priority.URGENT}, ["A2"]),
            ({"priority": Priority.IMPORTANT}, ["A5"]),
            ({"customer_id": "C1"}, ["A1", "A3"]),
            ({"assignee": "王工"}, ["A3"]),
            ({"assignee": "李工"}, ["A1", "A2", "A5", "A4"]),
            ({"channel": Channel.EMAIL}, ["A2"]),
            ({"category": ProblemCategory.LOGISTICS_DELAY}, ["A3"]),
            ({"product_model": "A型"}, ["A1", "A5"]),
            ({"product_model": "C型"}, []),
            ({"open_only": True}, ["A1", "A2", "A5", "A3"]),
            ({"received_from": BASE.add(minutes=2)}, ["A2", "A5", "A3", "A4"]),
            ({"received_before": BASE.add(minutes=2)}, ["A1"]),
            ({"updated_from": BASE.add(minutes=4)}, ["A3", "A4"]),
            ({"updated_before": BASE.add(minutes=3)}, ["A1", "A5"]),
            ({"customer_id": "C1", "open_only": True, "product_model": "A型"}, ["A1"]),
            ({"limit": 2}, ["A1", "A2"]),
            ({"limit": 0}, []),
            ({"after_id": "A2", "limit": 2}, ["A5", "A3"]),
            ({"after_id": "A4"}, []),
        ],
    )
    def test_filters(
        self, store: TicketStore, filters: dict[str, Any], expected: list[str]
    ) -> None:
        tickets = self._populate(store)
        query = TicketQuery(**filters)
        assert _ids(store.find(query)) == expected
        for ticket in store.find(query):
            assert ticket == tickets[ticket.id]

    def test_paging_is_stable(self, store: TicketStore) -> None:
        for index in range(23):
            store.save(build_ticket(f"P{index:02d}", minutes=index // 4), expected_version=0)
        everything = _ids(store.find(TicketQuery()))
        pages: list[str] = []
        after: str | None = None
        while True:
            page = _ids(store.find(TicketQuery(limit=5, after_id=after)))
            if not page:
                break
            pages += page
            after = page[-1]
        assert pages == everything
        assert len(set(pages)) == 23

    def test_after_unknown_id(self, store: TicketStore) -> None:
        with pytest.raises(NotFound):
            store.find(TicketQuery(after_id="nope"))

    def test_due_before(self, store: TicketStore) -> None:
        soon, later = BASE.add(hours=2), BASE.add(hours=8)
        store.save(build_ticket("D1"), expected_version=0, due_at=soon)
        store.save(build_ticket("D2", minutes=1), expected_version=0, due_at=later)
        store.save(build_ticket("D3", minutes=2), expected_version=0)
        closed = build_ticket("D4", minutes=3)
        store.save(closed, expected_version=0, due_at=soon)
        store.save(advance(closed, Cancelled, reason="撤回"), expected_version=1, due_at=soon)
        assert _ids(store.find(TicketQuery(due_before=BASE.add(hours=3)))) == ["D1"]
        assert _ids(store.find(TicketQuery(due_before=BASE.add(hours=9)))) == ["D1", "D2"]
        assert _ids(store.find(TicketQuery(due_before=soon))) == []
        d1 = store.get("D1")
        store.save(advance(d1, NoteAdded, text="x"), expected_version=1, due_at=BASE.add(days=2))
        assert _ids(store.find(TicketQuery(due_before=BASE.add(hours=9)))) == ["D2"]
        d2 = store.get("D2")
        store.save(advance(d2, NoteAdded, text="x"), expected_version=1)
        assert _ids(store.find(TicketQuery(due_before=BASE.add(days=9)))) == ["D1"]

    def test_due_at_other_time_zone(self, store: TicketStore) -> None:
        due = pendulum.datetime(2024, 5, 10, 12, 0, tz="America/New_York")
        store.save(build_ticket("Z1"), expected_version=0, due_at=due)
        assert _ids(store.find(TicketQuery(due_before=due.add(seconds=1)))) == ["Z1"]
        assert _ids(store.find(TicketQuery(due_before=due.in_tz("UTC")))) == []

    # -- due order: the SLA worklist ----------------------------------------------------------

    def _populate_due(self, store: TicketStore) -> None:
        """Tickets whose due order differs from their received order, with ties and gaps.

        Due order: E5 (+1h), E2 (+2h), E4 (+2h, tie: by id), E1 (+5h), then
        without a due time E3, E6 (closed with a due time: open filters drop it).
        """
        store.save(build_ticket("E1", minutes=1), expected_version=0, due_at=BASE.add(hours=5))
        store.save(
            build_ticket("E2", minutes=2, priority=Priority.URGENT),
            expected_version=0,
            due_at=BASE.add(hours=2),
        )
        store.save(build_ticket("E3", minutes=3), expected_version=0)
        store.save(build_ticket("E4", minutes=4), expected_version=0, due_at=BASE.add(hours=2))
        store.save(
            build_ticket("E5", minutes=5, priority=Priority.URGENT),
            expected_version=0,
            due_at=BASE.add(hours=1),
        )
        closed = build_ticket("E6", minutes=0)
        store.save(closed, expected_version=0, due_at=BASE.add(minutes=30))
        store.save(
            advance(closed, Cancelled, reason="撤回"),
            expected_version=1,
            due_at=BASE.add(minutes=30),
        )

    @pytest.mark.parametrize(
        ("filters", "expected"),
        [
            ({}, ["E6", "E5", "E2", "E4", "E1", "E3"]),
            ({"open_only": True}, ["E5", "E2", "E4", "E1", "E3"]),
            ({"due_before": BASE.add(hours=9)}, ["E5", "E2", "E4", "E1"]),
            ({"due_before": BASE.add(hours=2)}, ["E5"]),
            ({"due_before": BASE.add(hours=9), "priority": Priority.URGENT}, ["E5", "E2"]),
            ({"due_before": BASE.add(hours=9), "limit": 2}, ["E5", "E2"]),
            ({"due_before": BASE.add(hours=9), "after_id": "E2"}, ["E4", "E1"]),
            ({"due_before": BASE.add(hours=9), "after_id": "E4", "limit": 1}, ["E1"]),
            ({"due_before": BASE.add(hours=9), "after_id": "E1"}, []),
            ({"due_before": BASE.add(hours=9), "after_id": "E3"}, []),
            ({"due_before": BASE.add(hours=9), "after_id": "E6"}, ["E5", "E2", "E4", "E1"]),
            ({"after_id": "E1"}, ["E3"]),
            ({"after_id": "E3"}, []),
            ({"open_only": True, "after_id": "E6", "limit": 3}, ["E5", "E2", "E4"]),
            ({"limit": 0}, []),
        ],
    )
    def test_due_order(
        self, store: TicketStore, filters: dict[str, Any], expected: list[str]
    ) -> None:
        self._populate_due(store)
        assert _ids(store.find(TicketQuery(order="due", **filters))) == expected
        if "after_id" not in filters and "limit" not in filters:  # ordering filters nothing
            assert sorted(expected) == sorted(_ids(store.find(TicketQuery(**filters))))

    def test_received_order_is_the_default(self, store: TicketStore) -> None:
        self._populate_due(store)
        everything = ["E6", "E1", "E2", "E3", "E4", "E5"]
        assert _ids(store.find(TicketQuery())) == everything
        assert _ids(store.find(TicketQuery(order="received"))) == everything
        assert _ids(store.find(TicketQuery(order="received", after_id="E5"))) == []

    def test_unknown_order_is_refused(self) -> None:
        with pytest.raises(UnknownValue) as raised:
            TicketQuery(order="due_at")  # type: ignore[arg-type]
        assert raised.value.accepted == ("received", "due")
        assert "'received', 'due'" in str(raised.value)

    def test_due_order_follows_saves(self, store: TicketStore) -> None:
        self._populate_due(store)
        worklist = TicketQuery(due_before=BASE.add(hours=9), order="due")
        e5 = store.get("E5")
        store.save(advance(e5, NoteAdded, text="x"), expected_version=1, due_at=BASE.add(hours=6))
        assert _ids(store.find(worklist)) == ["E2", "E4", "E1", "E5"]
        e3 = store.get("E3")
        store.save(advance(e3, NoteAdded, text="x"), expected_version=1, due_at=BASE.add(hours=2))
        assert _ids(store.find(worklist)) == ["E2", "E3", "E4", "E1", "E5"]
        e2 = store.get("E2")
        store.save(advance(e2, Cancelled, reason="撤回"), expected_version=1, due_at=BASE)
        assert _ids(store.find(worklist)) == ["E3", "E4", "E1", "E5"]
        assert _ids(store.find(TicketQuery(order="due")))[:2] == ["E2", "E6"]

    @pytest.mark.parametrize("worklist", [True, False], ids=["due_before", "everything"])
    def test_due_order_paging_is_stable(self, store: TicketStore, worklist: bool) -> None:
        for index in range(29):
            due = None if index % 5 == 4 else BASE.add(hours=(index * 7) % 4)
            store.save(build_ticket(f"P{index:02d}", minutes=index), expected_version=0, due_at=due)
        query = TicketQuery(order="due", due_before=BASE.add(days=1) if worklist else None)
        everything = _ids(store.find(query))
        assert len(everything) == (24 if worklist else 29)
        pages: list[str] = []
        after: str | None = None
        while True:
            page = _ids(store.find(attrs.evolve(query, limit=4, after_id=after)))
            if not page:
                break
            assert len(page) <= 4
            pages += page
            after = page[-1]
        assert pages == everything
        assert len(set(pages)) == len(everything)
        first = pages[:4]
        assert first == ["P00", "P08", "P12", "P16"]  # due at +0h, by id

    # -- hostile input ---------------------------------------------------------------------

    @pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=range(len(HOSTILE_TEXTS)))
    def test_hostile_text_round_trips(self, store: TicketStore, text: str) -> None:
        ticket = build_ticket(
            "H1",
            handler=text,
            product_model=text,
            description=text,
            customer_name=text,
        )
        ticket = advance(ticket, NoteAdded, text=text, by=text)
        ticket = advance(ticket, Assigned, assignee=text)
        store.save(ticket, expected_version=0)
        stored = store.get("H1")
        assert stored == ticket
        assert stored.description == text
        assert stored.assignee == text
        assert _ids(store.find(TicketQuery(assignee=text))) == ["H1"]
        assert _ids(store.find(TicketQuery(product_model=text))) == ["H1"]
        assert _ids(store.find(TicketQuery(assignee=text[:-1] + "¤"))) == []

    # -- hypothesis: random sequences against a model ---------------------------------------

    def check_random_operations(self, data: st.DataObject) -> None:
        """Random opens, commands (some stale), and queries on a new store, against a model."""
        store = self.make_store()
        try:
            _run_model(store, data)
        finally:
            self.dispose_store(store)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)

        @settings(
            max_examples=cls.hypothesis_examples,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(data=st.data())
        def test_random_operations_match_model(self: TicketStoreContract, data: Any) -> None:
            self.check_random_operations(data)

        cls.test_random_operations_match_model = test_random_operations_match_model  # type: ignore[attr-defined]


_ASSIGNEES = ("李工", "王工", "'; --")
_MODELS = (None, "A型", "B型")


def _run_model(store: TicketStore, data: st.DataObject) -> None:
    model: dict[str, tuple[Ticket, datetime | None]] = {}
    steps = data.draw(st.integers(min_value=1, max_value=25), label="steps")
    for _ in range(steps):
        action = data.draw(st.sampled_from(["open", "open", "command", "command", "query"]))
        if action == "open":
            index = data.draw(st.integers(0, 7), label="ticket")
            ticket = build_ticket(
                f"R{index}",
                minutes=data.draw(st.integers(0, 5), label="minutes"),
                priority=data.draw(st.sampled_from(list(Priority))),
                channel=data.draw(st.sampled_from([Channel.PHONE, Channel.EMAIL])),
                customer_id=data.draw(st.sampled_from(["C1", "C2"])),
                product_model=data.draw(st.sampled_from(_MODELS)),
            )
            due = _draw_due(data)
            if ticket.id in model:
                with pytest.raises(DuplicateId):
                    store.save(ticket, expected_version=0, due_at=due)
            else:
                store.save(ticket, expected_version=0, due_at=due)
                model[ticket.id] = (ticket, due)
        elif action == "command" and model:
            ticket_id = data.draw(st.sampled_from(sorted(model)), label="target")
            current, _ = model[ticket_id]
            if not current.is_open:
                continue
            kind = data.draw(st.sampled_from(["note", "assign", "priority", "cancel", "ack"]))
            if kind == "ack" and current.status is not TicketStatus.RECEIVED:
                kind = "note"
            if kind == "note":
                updated = advance(current, NoteAdded, text="备注")
            elif kind == "assign":
                updated = advance(
                    current, Assigned, assignee=data.draw(st.sampled_from(_ASSIGNEES))
                )
            elif kind == "priority":
                others = [p for p in Priority if p is not current.priority]
                updated = advance(
                    current,
                    PriorityChanged,
                    priority=data.draw(st.sampled_from(others)),
                    reason="r",
                )
            elif kind == "cancel":
                updated = advance(current, Cancelled, reason="撤回")
            else:
                updated = advance(current, Acknowledged)
            due = _draw_due(data)
            if current.version > 1 and data.draw(st.booleans(), label="stale"):
                with pytest.raises(ConcurrencyError):
                    store.save(updated, expected_version=current.version - 1, due_at=due)
            else:
                store.save(updated, expected_version=current.version, due_at=due)
                model[ticket_id] = (updated, due)
        else:
            query = _draw_query(data, sorted(model))
            assert store.find(query) == _expected(model, query)
    for ticket, _ in model.values():
        assert store.get(ticket.id) == ticket
    every = sorted((t for t, _ in model.values()), key=lambda t: (t.received_at, t.id))
    assert store.find(TicketQuery()) == every
    for query in (TicketQuery(order="due"), TicketQuery(order="due", due_before=BASE.add(hours=7))):
        expected = _expected(model, query)
        assert store.find(query) == expected
        pages: list[Ticket] = []
        page = store.find(attrs.evolve(query, limit=3))
        while page:
            pages += page
            page = store.find(attrs.evolve(query, limit=3, after_id=page[-1].id))
        assert pages == expected


def _expected(model: dict[str, tuple[Ticket, datetime | None]], query: TicketQuery) -> list[Ticket]:
    """What ``find(query)`` returns, worked out from the model (independently of ``select``)."""

    def key(entry: tuple[Ticket, datetime | None]) -> tuple[Any, ...]:
        ticket, due = entry
        if query.order == "due":  # without a due time: last, by id
            return (due is None, BASE if due is None else due, ticket.id)
        return (ticket.received_at, ticket.id)

    entries = sorted((e for e in model.values() if query.matches(*e)), key=key)
    if query.after_id is not None:
        anchor = key(model[query.after_id])
        entries = [e for e in entries if key(e) > anchor]
    if query.limit is not None:
        entries = entries[: query.limit]
    return [ticket for ticket, _ in entries]


def _draw_due(data: st.DataObject) -> datetime | None:
    hours = data.draw(st.one_of(st.none(), st.integers(0, 12)), label="due")
    return None if hours is None else BASE.add(hours=hours)


def _draw_query(data: st.DataObject, ids: list[str]) -> TicketQuery:
    fields: dict[str, Any] = {}
    if data.draw(st.booleans(), label="by status"):
        fields["status"] = data.draw(st.sampled_from(list(TicketStatus)))
    if data.draw(st.booleans(), label="by priority"):
        fields["priority"] = data.draw(st.sampled_from(list(Priority)))
    if data.draw(st.booleans(), label="by assignee"):
        fields["assignee"] = data.draw(st.sampled_from(_ASSIGNEES))
    if data.draw(st.booleans(), label="by customer"):
        fields["customer_id"] = data.draw(st.sampled_from(["C1", "C2"]))
    if data.draw(st.booleans(), label="by model"):
        fields["product_model"] = data.draw(st.sampled_from(["A型", "B型"]))
    if data.draw(st.booleans(), label="due"):
        fields["due_before"] = BASE.add(hours=data.draw(st.integers(0, 13)))
    if data.draw(st.booleans(), label="received"):
        fields["received_from"] = BASE.add(minutes=data.draw(st.integers(0, 5)))
    fields["open_only"] = data.draw(st.booleans(), label="open only")
    fields["order"] = data.draw(st.sampled_from(["received", "due"]), label="order")
    if data.draw(st.booleans(), label="page"):
        fields["limit"] = data.draw(st.integers(0, 4))
        paged: bool = data.draw(st.booleans(), label="after")
        if ids and paged:
            fields["after_id"] = data.draw(st.sampled_from(ids))
    return TicketQuery(**fields)


class StoreContract(TicketStoreContract, VocabularyContract):
    """The full contract of :class:`~aftersales.storage.Store`: the ticket contract,
    customers, bulk writes, units of work and the company vocabulary
    (:class:`~aftersales.testing.vocabulary_contract.VocabularyContract`: the
    store is also a :class:`~aftersales.storage.VocabularyStore`).

    An adapter whose data outlive the process also runs
    :class:`~aftersales.testing.vocabulary_contract.DurableVocabularyContract`,
    and a SQL adapter
    :class:`~aftersales.testing.integrity_contract.IntegrityContract`.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> class TestSQLiteInMemory(StoreContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> isinstance(TestSQLiteInMemory().make_store(), Store)
        True
    """

    def test_is_a_store(self, store: Any) -> None:
        assert isinstance(store, Store)

    # -- customers -------------------------------------------------------------------------

    def test_customers(self, store: Store) -> None:
        customer = Customer(
            id="C1",
            name="XX科技有限公司",
            industry="制造业",
            contacts=(Contact(name="张先生", phone="13812345678"),),
            key_account=True,
        )
        store.save_customer(customer)
        assert store.get_customer("C1") == customer
        renamed = Customer(id="C1", name="XX科技集团")
        store.save_customer(renamed)
        assert store.get_customer("C1") == renamed
        with pytest.raises(NotFound):
            store.get_customer("C404")

    def test_customer_paging(self, store: Store) -> None:
        for index in (3, 1, 2, 5, 4):
            store.save_customer(Customer(id=f"C{index}", name=f"客户{index}"))
        assert [c.id for c in store.customers()] == ["C1", "C2", "C3", "C4", "C5"]
        assert [c.id for c in store.customers(limit=2, after_id="C2")] == ["C3", "C4"]

    @pytest.mark.parametrize("text", HOSTILE_TEXTS[:6], ids=range(6))
    def test_hostile_customer_round_trips(self, store: Store, text: str) -> None:
        customer = Customer(id="C1", name=text, industry=text, contacts=(Contact(name=text),))
        store.save_customer(customer)
        assert store.get_customer("C1") == customer

    # -- bulk ----------------------------------------------------------------------------------

    def test_save_many(self, store: Store) -> None:
        tickets = [build_ticket(f"B{i:03d}", minutes=i % 7) for i in range(120)]
        store.save_many(tickets)
        assert store.count(TicketQuery()) == 120
        assert store.get("B077") == tickets[77]
        updated = advance(tickets[5], NoteAdded, text="x")
        store.save_many([Save(updated, 1, BASE.add(hours=1)), build_ticket("B999")])
        assert store.get("B005") == updated
        assert _ids(store.find(TicketQuery(due_before=BASE.add(hours=2)))) == ["B005"]

    @pytest.mark.parametrize("position", [0, 60, 119])
    def test_save_many_is_all_or_nothing(self, store: Store, position: int) -> None:
        store.save(build_ticket("B-taken"), expected_version=0)
        tickets = [build_ticket(f"B{i:03d}") for i in range(120)]
        tickets[position] = build_ticket("B-taken")
        with pytest.raises(DuplicateId):
            store.save_many(tickets)
        assert store.count(TicketQuery()) == 1

    def test_save_many_duplicate_within_batch(self, store: Store) -> None:
        with pytest.raises(DuplicateId):
            store.save_many([build_ticket("B1"), build_ticket("B2"), build_ticket("B1")])
        assert store.count(TicketQuery()) == 0

    def test_save_many_stale_update_writes_nothing(self, store: Store) -> None:
        store.save(build_ticket("B1"), expected_version=0)
        stale = advance(advance(build_ticket("B1"), NoteAdded, text="a"), NoteAdded, text="b")
        with pytest.raises(ConcurrencyError):
            store.save_many([build_ticket("B2"), Save(stale, 2)])
        assert store.count(TicketQuery()) == 1
        assert store.get("B1").version == 1

    def test_count(self, store: Store) -> None:
        self._populate(store)
        assert store.count(TicketQuery()) == 5
        assert store.count(TicketQuery(open_only=True)) == 4
        assert store.count(TicketQuery(open_only=True, limit=2)) == 2

    # -- units of work ---------------------------------------------------------------------

    def test_unit_of_work_commits_together(self, store: Store) -> None:
        store.save(build_ticket("U1"), expected_version=0)
        with store.unit_of_work() as uow:
            uow.save_customer(Customer(id="C1", name="XX科技有限公司"))
            ticket = advance(uow.get("U1"), Acknowledged)
            uow.save(ticket, expected_version=1)
            uow.save(build_ticket("U2"), expected_version=0, due_at=BASE.add(hours=1))
            assert uow.get("U2").id == "U2"
        assert store.get("U1") == ticket
        assert "U2" in store
        assert store.get_customer("C1").name == "XX科技有限公司"

    def test_unit_of_work_rolls_back_on_error(self, store: Store) -> None:
        store.save(build_ticket("U1"), expected_version=0)

        def unit() -> None:
            with store.unit_of_work() as uow:
                uow.save_customer(Customer(id="C1", name="XX科技有限公司"))
                uow.save(build_ticket("U2"), expected_version=0)
                uow.save(advance(build_ticket("U1"), Acknowledged), expected_version=1)
                uow.save(advance(build_ticket("U1"), NoteAdded, text="late"), expected_version=1)

        with pytest.raises(ConcurrencyError):
            unit()
        assert "U2" not in store
        assert store.get("U1").version == 1
        with pytest.raises(NotFound):
            store.get_customer("C1")

    def test_unit_of_work_rolls_back_on_any_exception(self, store: Store) -> None:

        def unit() -> None:
            with store.unit_of_work() as uow:
                uow.save(build_ticket("U1"), expected_version=0)
                raise KeyError("boom")

        with pytest.raises(KeyError):
            unit()
        assert "U1" not in store

    def test_refused_save_in_unit_keeps_the_others(self, store: Store) -> None:
        store.save(build_ticket("U1"), expected_version=0)
        with store.unit_of_work() as uow:
            uow.save(build_ticket("U2"), expected_version=0)
            with pytest.raises(DuplicateId):
                uow.save(build_ticket("U1"), expected_version=0)
            with pytest.raises(ConcurrencyError):
                uow.save(
                    advance(advance(build_ticket("U1"), Acknowledged), NoteAdded, text="x"),
                    expected_version=2,
                )
        assert "U2" in store
        assert store.get("U1").version == 1


# -- the closing-the-loop records ------------------------------------------------------------


def make_followup(task_id: str, days: int, customer_id: str = "C1") -> FollowUpTask:
    """An open after-closure follow-up due ``days`` after the records' base time.

    Example:
        >>> make_followup("FU-1", 7).version
        1
    """
    return FollowUpTask(
        id=task_id,
        customer_id=customer_id,
        trigger=FollowUpTrigger.AFTER_CLOSURE,
        point="1w",
        anchor_at=RECORDS_BASE,
        due_at=RECORDS_BASE.add(days=days),
        source_ticket_id="T1",
    )


def followup_done(followup: FollowUpTask, days: int = 40) -> FollowUpTask:
    """``followup`` recorded as done (satisfied) ``days`` after the records' base time.

    Example:
        >>> followup_done(make_followup("FU-1", 7)).done
        True
    """
    record = FollowUpRecord(
        at=RECORDS_BASE.add(days=days), by="回访专员", outcome=FollowUpOutcome.SATISFIED
    )
    return followup.with_record(record)


def make_use(article_id: str, ticket_id: str, minutes: int = 0) -> ArticleUse:
    """A use of an article on a ticket, ``minutes`` after the records' base time.

    Example:
        >>> make_use("KB-1", "T1").helpful
        True
    """
    return ArticleUse(
        article_id=article_id, ticket_id=ticket_id, by="李工", at=RECORDS_BASE.add(minutes=minutes)
    )


class RecordsContract(
    StoreUnderTest, ImprovementStoreContract, ArticleStoreContract, FollowUpStoreContract
):
    """The closing-the-loop part of :class:`~aftersales.storage.FullStore`.

    The contracts of :mod:`aftersales.improvement.contract` (improvement,
    article and follow-up stores), plus: agreement with the memory adapters on
    a mixed workload, nothing written on a refused save, root-cause links
    following every save, the recording order of uses, hostile text, and the
    records in units of work (committed with tickets, rolled back, a refused
    write keeping the unit's others).

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> class TestRecords(RecordsContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> TestRecords().make_store().followups()
        []
    """

    # -- shape ---------------------------------------------------------------------------

    def test_implements_every_protocol(self, store: Any) -> None:
        for protocol in (FullStore, ImprovementStore, ArticleStore, FollowUpStore):
            assert isinstance(store, protocol), protocol
        with store.unit_of_work() as uow:
            assert isinstance(uow, FullUnitOfWork)

    # -- agreement with the memory stores on a mixed workload ------------------------------

    def test_queries_agree_with_the_memory_stores(self, store: Any) -> None:
        improvement, articles, followups = (
            MemoryImprovementStore(),
            MemoryArticleStore(),
            MemoryFollowUpStore(),
        )
        rng = random.Random(20240520)
        for n in range(12):
            tickets = rng.sample(["T1", "T2", "T3", "T4"], rng.randint(0, 3))
            cause = make_root_cause(
                f"RC-{n % 5}", *tickets, department=rng.choice(["采购部", "产品部"])
            )
            for target in (store, improvement):
                target.save_root_cause(cause)
        for n in range(10):
            action = make_action(f"IA-{n:02d}", days=rng.randint(1, 4), cause_id=f"RC-{n % 3}")
            if n % 3 == 1:
                action = action.start(by="赵经理", at=RECORDS_BASE)
            if n % 3 == 2:
                action = action.start(by="o", at=RECORDS_BASE).complete(by="o", at=RECORDS_BASE)
            for target in (store, improvement):
                target.save_action(action, expected_version=0)
        for n in range(8):
            article = make_article(f"KB-{n}", product=rng.choice(["X200", None]))
            for target in (store, articles):
                target.save_article(article, expected_version=0)
            if n % 2:
                for target in (store, articles):
                    target.save_article(
                        article.publish(by="王", at=RECORDS_BASE), expected_version=1
                    )
        for n in range(20):
            entry = make_use(f"KB-{rng.randint(0, 7)}", f"T{n}", rng.randint(0, 3))
            for target in (store, articles):
                target.record_use(entry)
        for n in range(15):
            followup = make_followup(f"FU-{n:02d}", rng.randint(1, 5), rng.choice(["C1", "C2"]))
            for target in (store, followups):
                target.add_followup(followup)
            if n % 4 == 0:
                for target in (store, followups):
                    target.save_followup(followup_done(followup), expected_version=1)

        assert store.root_causes() == improvement.root_causes()
        for department in ("采购部", "产品部", "无"):
            assert store.root_causes(department=department) == improvement.root_causes(
                department=department
            )
        for ticket_id in ("T1", "T2", "T3", "T4", "T9"):
            assert store.root_causes_for_ticket(ticket_id) == improvement.root_causes_for_ticket(
                ticket_id
            )
        for filters in (
            {},
            {"open_only": True},
            {"status": ActionStatus.DONE},
            {"status": "in_progress"},
            {"cause_id": "RC-1"},
            {"owner": "赵经理", "open_only": True},
            {"owner": "nobody"},
        ):
            assert store.actions(**filters) == improvement.actions(**filters), filters
        for article_filters in (
            {},
            {"status": ArticleStatus.PUBLISHED},
            {"status": "draft", "product": "X200"},
            {"category": "product_quality"},
            {"category": "usage_guidance"},
        ):
            assert store.articles(**article_filters) == articles.articles(**article_filters)
        assert store.uses() == articles.uses()
        for article_id in ("KB-1", "KB-2", "KB-9"):
            assert store.uses(article_id) == articles.uses(article_id)
        for n in range(8):
            assert store.article_versions(f"KB-{n}") == articles.article_versions(f"KB-{n}")
        for followup_filters in (
            {},
            {"open_only": True},
            {"customer_id": "C2"},
            {"due_before": RECORDS_BASE.add(days=3)},  # inclusive: due_at <= due_before
            {"due_before": RECORDS_BASE.add(days=3).in_tz("America/New_York"), "open_only": True},
            {"customer_id": "C1", "open_only": True, "due_before": RECORDS_BASE.add(days=4)},
        ):
            assert store.followups(**followup_filters) == followups.followups(**followup_filters)

    # -- nothing written on a refused write ------------------------------------------------

    def test_refused_article_writes_nothing(self, store: Any) -> None:
        draft = make_article()
        store.save_article(draft, expected_version=0)
        published = draft.publish(by="王", at=RECORDS_BASE)
        store.save_article(published, expected_version=1)
        retired = draft.retire(by="王", at=RECORDS_BASE, reason="过时")  # also version 2
        with pytest.raises(ConcurrencyError) as raised:
            store.save_article(retired, expected_version=1)
        assert (raised.value.expected, raised.value.actual) == (1, 2)
        with pytest.raises(ConcurrencyError) as raised:
            store.save_article(
                make_article("KB-9").publish(by="王", at=RECORDS_BASE), expected_version=1
            )
        assert raised.value.actual is None
        with pytest.raises(DuplicateId):
            store.save_article(make_article(), expected_version=0)
        with pytest.raises(InvalidData):
            store.save_article(published, expected_version=0)
        with pytest.raises(InvalidData):
            store.save_article("KB-1", expected_version=0)
        assert store.article_versions("KB-1") == [draft, published]
        assert store.get_article("KB-1") == published
        with pytest.raises(NotFound):
            store.article_versions("KB-9")
        assert [a.id for a in store.articles()] == ["KB-1"]
        assert store.check_integrity() == []

    def test_refused_action_writes_nothing(self, store: Any) -> None:
        action = make_action()
        store.save_action(action, expected_version=0)
        with pytest.raises(ConcurrencyError) as raised:
            store.save_action(
                make_action("IA-9").start(by="o", at=RECORDS_BASE), expected_version=1
            )
        assert raised.value.actual is None
        with pytest.raises(InvalidData):
            store.save_action(action, expected_version=1)
        with pytest.raises(InvalidData):
            store.save_action(action, expected_version=-1)
        started = action.start(by="o", at=RECORDS_BASE)
        store.save_action(started, expected_version=1)
        with pytest.raises(ConcurrencyError) as raised:
            store.save_action(action.drop(by="o", at=RECORDS_BASE, reason="x"), expected_version=1)
        assert raised.value.actual == 2
        assert store.actions() == [started]
        assert store.actions(status="dropped") == []

    def test_refused_followup_writes_nothing(self, store: Any) -> None:
        first = make_followup("FU-1", 3)
        store.add_followup(first)
        with pytest.raises(DuplicateId):
            store.add_followup(make_followup("FU-1", 9, "C9"))
        with pytest.raises(NotFound):
            store.save_followup(followup_done(make_followup("FU-9", 3)), expected_version=1)
        with pytest.raises(InvalidData):
            store.save_followup(first, expected_version=1)
        store.save_followup(followup_done(first), expected_version=1)
        with pytest.raises(ConcurrencyError) as raised:
            store.save_followup(followup_done(first, days=41), expected_version=1)
        assert raised.value.actual == 2
        assert store.followups() == [followup_done(first)]
        assert store.followups(open_only=True) == []
        assert store.followups(customer_id="C9") == []

    def test_use_of_a_missing_article_writes_nothing(self, store: Any) -> None:
        with pytest.raises(NotFound):
            store.record_use(make_use("KB-1", "T1", 0))
        assert store.uses() == []

    # -- root cause links ------------------------------------------------------------------

    def test_root_cause_links_follow_every_save(self, store: Any) -> None:
        cause = make_root_cause("RC-1", "T1", "T2")
        store.save_root_cause(cause)
        store.save_root_cause(cause.unlink("T1").link("T3"))
        assert store.root_causes_for_ticket("T1") == []
        assert [c.id for c in store.root_causes_for_ticket("T3")] == ["RC-1"]
        store.save_root_cause(make_root_cause("RC-1"))
        assert [store.root_causes_for_ticket(t) for t in ("T2", "T3")] == [[], []]
        assert store.get_root_cause("RC-1").ticket_ids == ()
        assert store.check_integrity() == []

    def test_uses_keep_their_recording_order_on_ties(self, store: Any) -> None:
        for article_id in ("KB-1", "KB-2"):
            store.save_article(make_article(article_id), expected_version=0)
        recorded = [
            make_use("KB-2", "T1", 5),
            make_use("KB-1", "T3", 5),
            make_use("KB-1", "T2", 5),
            make_use("KB-2", "T0", 1),
        ]
        for entry in recorded:
            store.record_use(entry)
        assert [(u.article_id, u.ticket_id) for u in store.uses()] == [
            ("KB-2", "T0"),
            ("KB-1", "T3"),
            ("KB-1", "T2"),
            ("KB-2", "T1"),
        ]

    # -- hostile text ----------------------------------------------------------------------

    @pytest.mark.parametrize("text", HOSTILE_TEXTS[:9], ids=range(9))
    def test_hostile_text_round_trips(self, store: Any, text: str) -> None:
        cause = make_root_cause("RC-1", "T1", department=text.strip() or "x")
        store.save_root_cause(cause)
        assert store.root_causes(department=cause.department) == [cause]
        article = make_article().revise(
            by="王", at=RECORDS_BASE, title=text, symptoms=HOSTILE_TEXTS[-1]
        )
        store.save_article(make_article(), expected_version=0)
        store.save_article(article, expected_version=1)
        assert store.get_article("KB-1") == article

    # -- units of work ---------------------------------------------------------------------

    def test_unit_of_work_commits_records_with_tickets(self, store: Any) -> None:
        with store.unit_of_work() as uow:
            uow.save(build_ticket("T1"), expected_version=0)
            uow.save_root_cause(make_root_cause("RC-1", "T1"))
            uow.save_action(make_action(), expected_version=0)
            uow.save_article(make_article(), expected_version=0)
            uow.record_use(make_use("KB-1", "T1", 0))
            uow.add_followup(make_followup("FU-1", 3))
            uow.save_followup(followup_done(make_followup("FU-1", 3)), expected_version=1)
            assert [t.id for t in store.find(TicketQuery())] == ["T1"]
        assert [c.id for c in store.root_causes_for_ticket("T1")] == ["RC-1"]
        assert store.get_action("IA-1") == make_action()
        assert [u.ticket_id for u in store.uses("KB-1")] == ["T1"]
        assert store.get_followup("FU-1").done
        assert store.check_integrity() == []

    def test_unit_of_work_rolls_back_every_record(self, store: Any) -> None:
        store.save_article(make_article(), expected_version=0)

        def write_then_fail() -> None:
            with store.unit_of_work() as uow:
                uow.save_root_cause(make_root_cause("RC-1", "T1"))
                uow.save_action(make_action(), expected_version=0)
                uow.save_article(
                    make_article().publish(by="王", at=RECORDS_BASE), expected_version=1
                )
                uow.record_use(make_use("KB-1", "T1", 0))
                uow.add_followup(make_followup("FU-1", 3))
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError, match="boom"):
            write_then_fail()
        assert store.root_causes() == []
        assert store.root_causes_for_ticket("T1") == []
        assert store.actions() == []
        assert store.article_versions("KB-1") == [make_article()]
        assert store.uses() == []
        assert store.followups() == []
        assert store.check_integrity() == []

    def test_refused_record_in_unit_keeps_the_others(self, store: Any) -> None:
        store.add_followup(make_followup("FU-1", 3))
        with store.unit_of_work() as uow:
            uow.save_action(make_action(), expected_version=0)
            with pytest.raises(DuplicateId):
                uow.add_followup(make_followup("FU-1", 3))
            with pytest.raises(ConcurrencyError):
                uow.save_article(
                    make_article().publish(by="王", at=RECORDS_BASE), expected_version=1
                )
            with pytest.raises(NotFound):
                uow.record_use(make_use("KB-1", "T1", 0))
            uow.save_followup(followup_done(make_followup("FU-1", 3)), expected_version=1)
        assert [a.id for a in store.actions()] == ["IA-1"]
        assert store.get_followup("FU-1").done
        assert store.articles() == []


class FullStoreContract(StoreContract, RecordsContract):
    """The contract of :class:`~aftersales.storage.FullStore`: :class:`StoreContract`
    and :class:`RecordsContract`.

    Example:
        >>> from aftersales.storage import FullStore, SQLiteStore
        >>> class TestSQLiteInMemory(FullStoreContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> isinstance(TestSQLiteInMemory().make_store(), FullStore)
        True
    """
