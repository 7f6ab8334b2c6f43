"""The company Vocabulary on its own: lookups, scoping, records, and the process defaults."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales import Channel, InvalidData, ProblemCategory, Term, UnknownValue, Vocabulary
from aftersales.storage import TicketQuery
from aftersales.testing.contracts import build_ticket
from aftersales.vocabulary import TermRecord
from tests.helpers import examples


class Tool(Term):
    """An open vocabulary of this module only, so its process-wide defaults stay here."""


Tool.register("wrench", "Wrench", "扳手", aliases=("活扳手",))

_CODES = ("wrench", "hammer", "saw", "phone", "feishu")
_LABELS = ("Wrench", "Hammer", "Saw", "Phone", "锤子", "扳手", "电话", "飞书")
_ALIASES = ("活扳手", "榔头", "微信", "电话", "hammer", "锯")
registration = st.tuples(
    st.sampled_from((Tool, Channel, ProblemCategory)),
    st.sampled_from(_CODES),
    st.sampled_from(_LABELS),
    st.sampled_from(_LABELS),
    st.lists(st.sampled_from(_ALIASES), max_size=3),
)


@settings(max_examples=examples(2.0), deadline=None)
@given(st.lists(registration, max_size=8))
def test_registrations_keep_every_name_unambiguous_and_the_defaults_untouched(
    attempts: list[tuple[Any, ...]],
) -> None:
    defaults = {kind: kind.members() for kind in (Tool, Channel, ProblemCategory)}
    company = Vocabulary()
    for kind, code, label_en, label_zh, aliases in attempts:
        before = company.records()
        try:
            term = company.register(kind, code, label_en, label_zh, aliases=aliases)
        except InvalidData:
            assert company.records() == before
            continue
        for name in (code, label_en, label_zh, *aliases):
            assert company.get(kind, name) == term
    names: dict[tuple[str, str], str] = {}
    for kind in (Tool, Channel, ProblemCategory):
        for term in company.members(kind):
            for name in (term.code, term.label_en, term.label_zh):
                assert names.setdefault((kind._kind, name), term.code) == term.code
    for record in company.records():
        for alias in record.aliases:
            assert names.setdefault((record.kind, alias), record.code) == record.code
    again = Vocabulary()
    assert again.load(company.records()) == []
    assert again.records() == company.records()
    assert {kind: kind.members() for kind in defaults} == defaults
    for record in company.records():
        kind = next(k for k in defaults if k._kind == record.kind)
        if record.code not in {t.code for t in defaults[kind]}:
            with pytest.raises(UnknownValue):
                kind.get(record.code)


def test_a_process_default_alias_finds_its_term_everywhere() -> None:
    assert Tool.get("活扳手") == Tool.get("wrench")
    assert Vocabulary().get(Tool, "活扳手").code == "wrench"
    with pytest.raises(InvalidData, match="'扳手' already names 'wrench'"):
        Tool.register("spanner", "Spanner", "扳手")


def test_activation_nests_is_per_thread_and_ends_with_an_error() -> None:
    outer, inner = Vocabulary(), Vocabulary()
    outer.register(Channel, "feishu", "Feishu", "飞书")
    inner.register(Channel, "dingtalk", "DingTalk", "钉钉")
    seen: list[bool] = []

    def other_thread() -> None:
        seen.append(Channel.is_registered(Channel("feishu", "Feishu", "飞书")))

    with outer.active():
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
        with inner.active():
            assert Channel.get("钉钉").code == "dingtalk"
            with pytest.raises(UnknownValue):
                Channel.get("飞书")
        with pytest.raises(KeyError), outer.active():
            raise KeyError("boom")
        assert Channel.get("飞书").code == "feishu"
    assert seen == [False]
    with pytest.raises(UnknownValue):
        Channel.get("飞书")


def test_a_source_is_read_again_when_a_lookup_misses() -> None:
    stored = [TermRecord("channel", "feishu", "Feishu", "飞书")]
    reads: list[int] = []

    def source() -> list[TermRecord]:
        reads.append(len(stored))
        return list(stored)

    company = Vocabulary(source)
    assert company.get(Channel, "飞书").code == "feishu"
    assert company.get(Channel, "phone") == Channel.PHONE
    assert reads == [1]  # hits read nothing
    stored.append(TermRecord("channel", "dingtalk", "DingTalk", "钉钉", ("钉钉群",)))
    assert company.get(Channel, "钉钉群").code == "dingtalk"
    with pytest.raises(UnknownValue) as raised:
        company.get(Channel, "lark")
    assert reads == [1, 2, 2]
    assert {"feishu", "dingtalk", "phone"} <= set(raised.value.accepted)


def test_not_an_open_vocabulary_is_refused() -> None:
    with pytest.raises(InvalidData, match="is not an open vocabulary; accepted: channel"):
        Vocabulary().register(Term, "x", "X", "叉")  # type: ignore[type-abstract]
    with pytest.raises(InvalidData, match="kind: <class 'int'> is not an open vocabulary"):
        Vocabulary().register(int, "x", "X", "叉")  # type: ignore[type-var]


def test_a_query_for_an_unknown_code_waits_for_the_store() -> None:
    query = TicketQuery(channel="feishu")
    assert query.channel == "feishu"
    assert not query.matches(build_ticket("T1"))
    company = Vocabulary()
    feishu = company.register(Channel, "feishu", "Feishu", "飞书")
    with company.active():
        assert query.resolved().channel == feishu
        assert query.matches(build_ticket("T1", channel=feishu))
    assert TicketQuery(channel="电话").channel == Channel.PHONE
    with pytest.raises(UnknownValue):
        TicketQuery(channel="  ")
