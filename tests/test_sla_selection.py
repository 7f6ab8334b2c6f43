"""SLA policies chosen by conditions: the choice, its record, re-choosing, and the time kept."""

from __future__ import annotations

from datetime import timedelta

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales import (
    Channel,
    Customer,
    FixedClock,
    InvalidData,
    Priority,
    ProblemCategory,
    ServiceDesk,
    SQLiteStore,
    UnknownValue,
)
from aftersales.calendar import WorkCalendar
from aftersales.readmodel.fingerprint import projection_key
from aftersales.sla import SlaFacts, SlaPolicies, SlaPolicy, SlaRule, SlaState
from aftersales.sla.selection import policy_path

SH = "Asia/Shanghai"
OFFICE = WorkCalendar(SH, {d: [("09:00", "12:00"), ("13:30", "18:00")] for d in range(5)})
HOTLINE = WorkCalendar.always(SH)
VIP = Customer(id="C-VIP", name="甲集团", tier="vip", contract="GOLD-2026")
PLAIN = Customer(id="C-STD", name="乙公司")


def at(day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, 3, day, hour, minute, tz=SH)


def policies(rules: list[SlaRule] | None = None) -> SlaPolicies:
    return SlaPolicies(
        {"standard": SlaPolicy.default(OFFICE), "vip": SlaPolicy.default(HOTLINE)},
        [SlaRule("vip", customer_tiers=["vip"], label="VIP 合同")] if rules is None else rules,
        default="standard",
    )


def desk_with(sla: SlaPolicy, start: pendulum.DateTime, **kwargs: object) -> ServiceDesk:
    return ServiceDesk(clock=FixedClock(start), sla=sla, **kwargs)  # type: ignore[arg-type]


def register(desk: ServiceDesk, customer: Customer, priority: Priority = Priority.GENERAL) -> str:
    desk.store.save_customer(customer)
    return desk.open_ticket(
        customer=customer,
        channel=Channel.PHONE,
        category=ProblemCategory.PRODUCT_QUALITY,
        description="设备停机",
        occurred_at=desk.clock.now(),
        priority=priority,
        by="李工",
    ).id


def test_the_rule_that_matches_is_recorded_when_the_ticket_is_registered() -> None:
    desk = desk_with(policies(), at(2, 9))
    vip, plain = register(desk, VIP), register(desk, PLAIN)
    chosen = desk.history(vip)[-1]
    assert (chosen.command, chosen.sla_policy, chosen.reason) == (
        "change_sla_policy",
        "vip",
        "VIP 合同",
    )
    assert [e.sla_policy for e in desk.history(plain) if e.command == "change_sla_policy"] == [
        "standard"
    ]
    # The VIP ticket runs on the 24x7 hotline: at 20:00 its first response (general: 4 h)
    # has run 11 h; the standard one only the office hours (7.5 h).
    assert desk.sla(vip, at=at(2, 20))["first_response"].elapsed == timedelta(hours=11)
    assert desk.sla(plain, at=at(2, 20))["first_response"].elapsed == timedelta(hours=7.5)


def test_a_later_change_of_the_rules_does_not_rewrite_past_results() -> None:
    desk = desk_with(policies(), at(2, 9))
    tid = register(desk, VIP)
    before = desk.sla(tid, at=at(2, 20)).results
    no_vip_rule = desk_with(policies(rules=[]), at(2, 21))
    no_vip_rule.store = desk.store
    assert no_vip_rule.sla(tid, at=at(2, 20)).results == before


def test_a_change_of_policy_keeps_the_time_used_on_the_calendar_then_in_force() -> None:
    # VIP (24x7) from Monday 07:00, standard (office hours) from 12:00. At 14:00 the first
    # response has used 07:00-12:00 on the hotline (5 h) and 12:00-14:00 on office hours
    # (13:30-14:00, 0.5 h): 5.5 h. On office hours throughout it would be 3.5 h, on the
    # hotline throughout 7 h.
    desk = desk_with(policies(), at(2, 7))
    tid = register(desk, VIP)
    desk.clock.set(at(2, 12))  # type: ignore[attr-defined]
    desk.change_sla_policy(tid, by="王经理", sla_policy="standard", reason="合同到期")
    first = desk.sla(tid, at=at(2, 14))["first_response"]
    assert (first.elapsed, first.state) == (timedelta(hours=5.5), SlaState.BREACHED)
    assert [name for _, name in policy_path(desk.get(tid))] == ["vip", "standard"]
    # The standard policy's target applies (general: 4 h), as after a priority change.
    assert first.budget == timedelta(hours=4)


def test_a_priority_change_chooses_again_and_records_only_a_new_choice() -> None:
    rules = [SlaRule("vip", priorities=["urgent"], label="紧急走热线")]
    desk = desk_with(policies(rules), at(2, 9))
    tid = register(desk, PLAIN, Priority.GENERAL)
    desk.clock.set(at(2, 10))  # type: ignore[attr-defined]
    ticket = desk.change_priority(tid, by="李工", priority=Priority.URGENT, reason="停产")
    assert [(e.command, getattr(e, "sla_policy", None)) for e in ticket.history[-2:]] == [
        ("change_priority", None),
        ("change_sla_policy", "vip"),
    ]
    assert ticket.history[-1].reason == "紧急走热线 (after change_priority)"
    desk.clock.set(at(2, 11))  # type: ignore[attr-defined]
    again = desk.change_priority(tid, by="李工", priority=Priority.IMPORTANT, reason="缓解")
    assert again.history[-1].sla_policy == "standard"
    unchanged = desk.change_priority(tid, by="李工", priority=Priority.GENERAL, reason="再缓解")
    assert unchanged.history[-1].command == "change_priority"


def test_an_unknown_policy_is_refused_and_nothing_is_written() -> None:
    desk = desk_with(policies(), at(2, 9))
    tid = register(desk, PLAIN)
    version = desk.get(tid).version
    with pytest.raises(
        UnknownValue, match=r"sla_policy: 'gold' is not a known value; accepted: 'standard', 'vip'"
    ):
        desk.change_sla_policy(tid, by="王经理", sla_policy="gold")
    assert desk.get(tid).version == version
    plain = desk_with(SlaPolicy.default(OFFICE), at(2, 9))
    other = register(plain, PLAIN)
    with pytest.raises(UnknownValue, match=r"accepted: 'default'"):
        plain.change_sla_policy(other, by="王经理", sla_policy="vip")


def test_policies_refuse_rules_naming_no_policy_and_a_missing_default() -> None:
    with pytest.raises(InvalidData) as caught:
        SlaPolicies(
            {"standard": SlaPolicy.default(OFFICE)},
            [SlaRule("gold", contracts=["GOLD-2026"])],
            default="vip",
        )
    assert {path for path, _ in caught.value.problems} == {"rules[0].policy", "default"}


def test_the_facts_key_covers_every_policy() -> None:
    one = SlaPolicies({"standard": SlaPolicy.default(OFFICE)}, default="standard")
    two = policies()
    keys = {
        projection_key(p, OFFICE, timedelta(hours=48))
        for p in (SlaPolicy.default(OFFICE), one, two)
    }
    assert len(keys) == 3


def test_a_vip_ticket_reads_the_same_from_a_sqlite_file(tmp_path) -> None:
    path = tmp_path / "desk.db"
    desk = desk_with(policies(), at(2, 9), store=SQLiteStore(path))
    tid = register(desk, VIP)
    expected = desk.sla(tid, at=at(3, 9)).results
    reopened = desk_with(policies(), at(3, 9), store=SQLiteStore(path))
    assert reopened.sla(tid, at=at(3, 9)).results == expected
    assert reopened.store.get_customer(VIP.id).tier == "vip"


codes = st.sampled_from(["a", "b", "c"])
maybe = st.none() | st.frozensets(codes, min_size=1)
rules = st.lists(
    st.builds(
        SlaRule,
        st.sampled_from(["standard", "vip"]),
        customer_tiers=maybe,
        contracts=maybe,
        categories=maybe,
        priorities=maybe,
    ),
    max_size=5,
)
facts = st.builds(
    SlaFacts,
    customer_tier=st.none() | codes,
    contract=st.none() | codes,
    category=st.none() | codes,
    priority=st.none() | codes,
)


@given(rules, facts)
def test_the_first_rule_whose_every_condition_holds_wins(
    chosen: list[SlaRule], fact: SlaFacts
) -> None:
    catalog = policies(chosen)

    def holds(accepted: frozenset[str] | None, value: str | None) -> bool:
        return accepted is None or value in accepted

    expected = next(
        (
            rule.policy
            for rule in chosen
            if holds(rule.customer_tiers, fact.customer_tier)
            and holds(rule.contracts, fact.contract)
            and holds(rule.categories, fact.category)
            and holds(rule.priorities, fact.priority)
        ),
        "standard",
    )
    assert catalog.choose(fact)[0] == expected
