"""The vocabulary part of the storage contract: a company's own terms belong to its store.

:class:`VocabularyContract` is part of
:class:`~aftersales.testing.contracts.StoreContract`, so every adapter runs it:
registering, aliases, refusals that change nothing, tickets opened, read and
found with company terms, and two stores in one process that do not see each
other's terms (override ``make_separate_store()`` when ``make_store()`` returns
stores sharing one database). :class:`DurableVocabularyContract` is for
adapters whose data outlive the process (give it ``reopen_store(store)`` and
``run_sql(store, statement, *params)``): the vocabulary survives a restart, a
term registered by another process is seen without one, and a stored code no
vocabulary knows is a ``StorageError`` for its ticket only.

This module imports pytest and hypothesis; the rest of ``aftersales`` does not.

Example:
    >>> from aftersales.storage import MemoryStore
    >>> class TestMine(VocabularyContract):
    ...     def make_store(self):
    ...         return MemoryStore()
    >>> TestMine().make_separate_store().vocabulary.records()
    ()
"""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from hypothesis import strategies as st

from aftersales.errors import DuplicateId, InvalidData, StorageError, UnknownValue
from aftersales.model.query import TicketQuery
from aftersales.service.desk import ServiceDesk
from aftersales.storage.memory import MemoryStore
from aftersales.storage.ports import VocabularyStore
from aftersales.testing.contracts.builders import BASE, CUSTOMER, ids_of, open_on
from aftersales.testing.contracts.fixtures import (
    StoredDataHooks,
    StoreUnderTest,
    add_hypothesis_test,
)
from aftersales.time import FixedClock
from aftersales.vocab import Channel, Demand, ProblemCategory, RootCauseCategory, Term
from aftersales.vocabulary import TermRecord, Vocabulary

__all__ = ["REFUSED", "DurableVocabularyContract", "VocabularyContract"]


#: Registrations refused over a vocabulary holding ``feishu`` (alias ``飞书群``), and what
#: the error must name: ``(code, label_en, label_zh, aliases, named)``.
REFUSED: tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("feishu", "Lark", "飞书", (), ("'Feishu'/'飞书'", "'Lark'/'飞书'")),
    ("phone", "Telephone", "座机", (), ("'Phone'/'电话'", "'Telephone'/'座机'")),
    ("lark", "Lark", "飞书国际版", ("电话",), ("'电话'", "'phone'")),
    ("lark", "Lark", "飞书国际版", ("email",), ("'email'",)),
    ("lark", "Lark", "飞书国际版", ("飞书群",), ("'飞书群'", "'feishu'")),
    ("lark", "Lark", "飞书群", (), ("'飞书群'", "'feishu'")),
    ("lark", "Phone", "飞书国际版", (), ("'Phone'", "'phone'")),
    ("Lark!", "Lark", "飞书国际版", (), ("'Lark!'",)),
    ("lark", "Lark", " ", (), ("label_zh",)),
    ("lark", "Lark", "飞书国际版", ("",), ("aliases[0]",)),
)

_KINDS: tuple[type[Term], ...] = (Channel, ProblemCategory)
_CODES = ("feishu", "lark", "phone", "packaging")
_LABELS_EN = ("Feishu", "Lark", "Phone", "Packaging")
_LABELS_ZH = ("飞书", "飞书国际版", "电话", "包装破损")
_ALIASES = ("飞书群", "微信", "电话", "phone", "包装", "Feishu")


class VocabularyContract(StoreUnderTest):
    """The company vocabulary of a :class:`~aftersales.storage.VocabularyStore`.

    Part of :class:`~aftersales.testing.contracts.StoreContract`; its stores
    come from :class:`~aftersales.testing.contracts.StoreUnderTest`
    (``make_store()``, and ``make_separate_store()`` when two calls of
    ``make_store()`` share one database).

    Example:
        >>> VocabularyContract.hypothesis_examples
        25
    """

    #: Examples of the hypothesis test; raise it for a thorough run.
    hypothesis_examples: ClassVar[int] = 25

    def test_is_a_vocabulary_store(self, store: Any) -> None:
        assert isinstance(store, VocabularyStore)
        assert isinstance(store.vocabulary, Vocabulary)
        assert store.vocabulary.records() == ()

    def test_a_company_term_opens_reads_and_finds_tickets(self, store: Any) -> None:
        feishu = store.register_term(Channel, "feishu", "Feishu", "飞书", aliases=("飞书群",))
        ticket = open_on(store, "V1", "飞书群")
        open_on(store, "V2", "phone", minutes=1)
        assert ticket.channel == feishu
        assert store.get("V1") == ticket
        assert store.get("V1").channel.label("zh") == "飞书"
        for name in ("feishu", "Feishu", "飞书", "飞书群", feishu):
            assert ids_of(store.find(TicketQuery(channel=name))) == ["V1"]
            assert store.count(TicketQuery(channel=name)) == 1
        assert ids_of(store.find(TicketQuery(channel="电话"))) == ["V2"]
        for run in (store.find, store.count):
            with pytest.raises(UnknownValue) as raised:
                run(TicketQuery(channel="feishuu"))
            assert raised.value.name == "channel"
            assert {"feishu", "phone"} <= set(raised.value.accepted)
        with pytest.raises(UnknownValue):  # the process-wide defaults are untouched
            Channel.get("feishu")

    def test_every_open_vocabulary_is_kept(self, store: Any) -> None:
        store.register_term(Channel, "feishu", "Feishu", "飞书")
        packaging = store.register_term(ProblemCategory, "packaging", "Packaging", "包装破损")
        store.register_term(Demand, "gift", "Gift", "赠品")
        cause = store.register_term(RootCauseCategory, "courier", "Courier", "快递员")
        desk = ServiceDesk(store, clock=FixedClock(BASE))
        opened = desk.open_ticket(
            customer=CUSTOMER,
            channel="飞书",
            category="包装破损",
            demands=["赠品", "refund"],
            description="外包装破损",
            occurred_at=BASE.subtract(hours=1),
            by="李工",
            priority="general",
            ticket_id="V1",
        )
        desk.acknowledge("V1", by="李工")
        analysed = desk.record_analysis(
            "V1", by="李工", finding="运输途中挤压", root_cause="快递员"
        )
        assert opened.category == packaging
        assert [d.code for d in opened.demands] == ["gift", "refund"]
        assert analysed.root_cause == cause
        assert store.get("V1") == analysed
        assert ids_of(store.find(TicketQuery(category="包装破损"))) == ["V1"]

    def test_the_same_labels_again_add_aliases(self, store: Any) -> None:
        first = store.register_term(Channel, "feishu", "Feishu", "飞书", aliases=("飞书群",))
        again = store.register_term(Channel, "feishu", "Feishu", "飞书", aliases=("飞书工作台",))
        assert again == first
        assert store.vocabulary.get(Channel, "飞书工作台") == first
        [record] = store.vocabulary.records()
        assert record.aliases == ("飞书群", "飞书工作台")

    @pytest.mark.parametrize(
        ("code", "label_en", "label_zh", "aliases", "named"), REFUSED, ids=range(len(REFUSED))
    )
    def test_a_refused_registration_names_the_clash_and_changes_nothing(
        self,
        store: Any,
        code: str,
        label_en: str,
        label_zh: str,
        aliases: tuple[str, ...],
        named: tuple[str, ...],
    ) -> None:
        store.register_term(Channel, "feishu", "Feishu", "飞书", aliases=("飞书群",))
        before = store.vocabulary.records()
        with pytest.raises(InvalidData) as raised:
            store.register_term(Channel, code, label_en, label_zh, aliases=aliases)
        for name in named:
            assert name in str(raised.value)
        assert store.vocabulary.records() == before
        assert store.vocabulary.lookup(Channel, "飞书群") == Channel("feishu", "Feishu", "飞书")
        assert store.vocabulary.lookup(Channel, "飞书国际版") is None

    def test_an_alias_of_a_default_term(self, store: Any) -> None:
        wechat = store.register_term(
            Channel, "wechat", "WeChat official account", "公众号消息", aliases=("微信",)
        )
        assert wechat == Channel.WECHAT
        assert open_on(store, "V1", "微信").channel == Channel.WECHAT
        assert store.get("V1").channel == Channel.WECHAT
        assert ids_of(store.find(TicketQuery(channel="微信"))) == ["V1"]
        with pytest.raises(UnknownValue):
            Channel.get("微信")

    def test_a_process_wide_term_is_kept_when_a_ticket_uses_it(self, store: Any) -> None:
        lark = Channel.register(
            "contract_lark", "Lark (contract)", "飞书(契约)", aliases=("飞书C",)
        )
        ticket = open_on(store, "V1", lark)
        kept = [r for r in store.vocabulary.records() if r.code == "contract_lark"]
        assert [(r.kind, r.label_en, r.label_zh) for r in kept] == [
            ("channel", "Lark (contract)", "飞书(契约)")
        ]
        assert store.vocabulary.get(Channel, "飞书C") == lark
        assert store.get("V1") == ticket

    def test_a_refused_save_keeps_no_term(self, store: Any) -> None:
        open_on(store, "V1", "phone")
        fax = Channel.register("contract_fax", "Fax (contract)", "传真(契约)")
        duplicate = open_on(MemoryStore(), "V1", fax)  # the same id: the save is refused
        with pytest.raises(DuplicateId):
            store.save(duplicate, expected_version=0)
        assert "contract_fax" not in {r.code for r in store.vocabulary.records()}

    def test_two_stores_do_not_see_each_others_terms(self, store: Any, separate_store: Any) -> None:
        feishu = store.register_term(Channel, "feishu", "Feishu", "飞书")
        open_on(store, "V1", "feishu")
        with pytest.raises(UnknownValue) as raised:
            open_on(separate_store, "V1", "feishu")
        assert "feishu" not in raised.value.accepted
        assert "V1" not in separate_store
        with pytest.raises(UnknownValue):
            separate_store.find(TicketQuery(channel="feishu"))
        lark = separate_store.register_term(Channel, "feishu", "Lark", "飞书国际版")
        assert open_on(separate_store, "V1", "feishu").channel == lark
        assert store.get("V1").channel == feishu
        assert separate_store.get("V1").channel == lark
        assert store.vocabulary.get(Channel, "飞书") == feishu
        assert separate_store.vocabulary.lookup(Channel, "飞书") is None

    # -- for all registrations -------------------------------------------------------------

    def check_registrations(self, data: st.DataObject) -> None:
        """Random registrations agree with a reference :class:`~aftersales.Vocabulary`.

        Both accept or both refuse each one; afterwards they hold the same
        records, and every code, label and alias finds its term in the store's
        vocabulary.
        """
        store = self.make_store()
        try:
            reference = Vocabulary()
            for _ in range(data.draw(st.integers(1, 6), label="registrations")):
                kind = data.draw(st.sampled_from(_KINDS))
                args = (
                    data.draw(st.sampled_from(_CODES)),
                    data.draw(st.sampled_from(_LABELS_EN)),
                    data.draw(st.sampled_from(_LABELS_ZH)),
                )
                aliases = data.draw(st.lists(st.sampled_from(_ALIASES), max_size=2))
                try:
                    expected: Term | None = reference.register(kind, *args, aliases=aliases)
                except InvalidData:
                    expected = None
                if expected is None:
                    with pytest.raises(InvalidData):
                        store.register_term(kind, *args, aliases=aliases)
                else:
                    assert store.register_term(kind, *args, aliases=aliases) == expected
                assert store.vocabulary.records() == reference.records()
            for record in store.vocabulary.records():
                kind = next(k for k in _KINDS if k._kind == record.kind)
                term = kind(record.code, record.label_en, record.label_zh)
                for name in (record.code, record.label_en, record.label_zh, *record.aliases):
                    assert store.vocabulary.get(kind, name) == term
        finally:
            self.dispose_store(store)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        add_hypothesis_test(
            cls, "test_registrations_agree_with_a_reference_vocabulary", "check_registrations"
        )


class DurableVocabularyContract(StoredDataHooks):
    """A store's vocabulary outlives the process and is shared by every process on its data.

    Example:
        >>> issubclass(DurableVocabularyContract, StoredDataHooks)
        True
    """

    def test_the_vocabulary_survives_a_restart(self, store: Any, reopened: list[Any]) -> None:
        store.register_term(Channel, "feishu", "Feishu", "飞书", aliases=("飞书群",))
        ticket = open_on(store, "V1", "飞书群")
        again = self._reopen(store, reopened)
        assert again.vocabulary.records() == store.vocabulary.records()
        assert again.get("V1") == ticket
        assert ids_of(again.find(TicketQuery(channel="飞书群"))) == ["V1"]
        desk = ServiceDesk(again, clock=FixedClock(BASE.add(hours=1)))
        contacted = desk.record_contact("V1", by="李工", channel="飞书群", summary="已回复")
        assert again.get("V1") == contacted

    def test_a_process_wide_term_on_a_ticket_survives_a_restart(
        self, store: Any, reopened: list[Any]
    ) -> None:
        wecom = Channel.register(
            "contract_wecom", "WeCom (contract)", "企业微信(契约)", aliases=("企微C",)
        )
        open_on(store, "V1", wecom)
        again = self._reopen(store, reopened)
        kept = TermRecord(
            "channel", "contract_wecom", "WeCom (contract)", "企业微信(契约)", ("企微C",)
        )
        assert kept in again.vocabulary.records()

    def test_a_term_registered_elsewhere_is_seen_without_a_restart(
        self, store: Any, reopened: list[Any]
    ) -> None:
        elsewhere = self._reopen(store, reopened)  # another process, opened before the term
        feishu = elsewhere.register_term(Channel, "feishu", "Feishu", "飞书", aliases=("飞书群",))
        ticket = open_on(elsewhere, "V1", "feishu")
        assert store.get("V1") == ticket
        assert ids_of(store.find(TicketQuery(channel="飞书群"))) == ["V1"]
        assert open_on(store, "V2", "飞书群", minutes=1).channel == feishu
        assert elsewhere.get("V2").channel == feishu

    def test_a_stored_unknown_code_fails_for_its_ticket_only(
        self, store: Any, reopened: list[Any]
    ) -> None:
        store.register_term(Channel, "feishu", "Feishu", "飞书", aliases=("飞书群",))
        first = open_on(store, "V1", "phone")
        open_on(store, "V2", "feishu", minutes=1)
        third = open_on(store, "V3", "email", minutes=2)
        self.run_sql(store, "DELETE FROM vocabulary_aliases")
        self.run_sql(store, "DELETE FROM vocabulary_terms")
        again = self._reopen(store, reopened)
        with pytest.raises(StorageError) as raised:
            again.get("V2")
        message = str(raised.value)
        for part in (
            "ticket_events row (ticket_id='V2', seq=1)",
            "'feishu'",
            "accepted",
            "'phone'",
        ):
            assert part in message
        assert again.get("V1") == first
        assert again.get("V3") == third
        with pytest.raises(StorageError, match=r"ticket_id='V2'"):
            again.find(TicketQuery())
        assert ids_of(again.find(TicketQuery(received_before=BASE.add(minutes=1)))) == ["V1"]
        assert ids_of(again.find(TicketQuery(received_from=BASE.add(minutes=2)))) == ["V3"]
        assert again.count(TicketQuery()) == 3
        [problem] = again.check_integrity()
        assert "ticket_id='V2'" in problem
