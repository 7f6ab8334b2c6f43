"""Priority rules as data: the table decides as the rules say, the policy file holds it, serve uses it."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import attrs
import httpx
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales import Customer, FixedClock, Priority, ServiceDesk
from aftersales.api.local import LocalServer
from aftersales.calendar import WorkCalendar
from aftersales.cli import main
from aftersales.cli._policy import store_priority_rules
from aftersales.cli._serve import serve_app
from aftersales.cli.program import build_parser
from aftersales.errors import InvalidData, PolicyFileRefused
from aftersales.priority import DEFAULT_PRIORITY_RULES, IntakeFacts, PriorityRules
from aftersales.priority_levels import PriorityLevel, PriorityScale
from aftersales.priority_table import PriorityRule, PriorityRuleTable
from aftersales.sla import SlaPolicy
from aftersales.sla.policy_file import dump_policy_file, load_policy_file
from aftersales.storage import MemoryStore, SQLiteStore
from aftersales.testing.samples import sample_policy_document
from aftersales.testing.strategies import priority_rule_tables, priority_scales
from tests.helpers import examples

EXAMPLE = Path(__file__).parent.parent / "examples" / "policies" / "sla_policy.toml"
FACT_NAMES = (
    "safety_hazard",
    "core_business_stopped",
    "product_unusable",
    "partial_function_affected",
    "consultation",
)

intake_facts = st.builds(
    IntakeFacts,
    safety_hazard=st.booleans(),
    core_business_stopped=st.booleans(),
    product_unusable=st.booleans(),
    partial_function_affected=st.booleans(),
    consultation=st.booleans(),
    prior_unresolved_complaints=st.integers(0, 5) | st.integers(0, 2**31 - 1),
)


def deciding_by_reading_the_rules(table: PriorityRuleTable, facts: IntakeFacts) -> tuple[str, str]:
    """The priority and reason of the first rule that holds (read from its text), else the fallback."""
    for rule in table.rules:
        count = re.fullmatch(r"prior_unresolved_complaints >= (\d+)", rule.when)
        if count is not None:
            if facts.prior_unresolved_complaints >= int(count[1]):
                return rule.priority, rule.reason
        elif getattr(facts, rule.when):
            return rule.priority, rule.reason
    return table.fallback_priority, table.fallback_reason


# -- the table ----------------------------------------------------------------------------------


@settings(max_examples=examples(1.0))
@given(intake_facts)
def test_the_default_table_decides_as_the_default_rules(facts: IntakeFacts) -> None:
    assert PriorityRuleTable.default().assess(facts) == DEFAULT_PRIORITY_RULES.assess(facts)


def test_the_default_table_on_four_levels_gives_the_seeds_most_urgent_level() -> None:
    table = PriorityRuleTable.default(PriorityScale.four_levels())
    assessed = table.assess(IntakeFacts(partial_function_affected=True))
    assert (assessed.priority, assessed.level) == (Priority.IMPORTANT, "high")
    assert table.assess(IntakeFacts()).level == "medium"
    assert table.assess(IntakeFacts(safety_hazard=True)).level == "urgent"


@settings(max_examples=examples(1.0), deadline=None)
@given(st.data())
def test_the_first_rule_that_holds_decides_else_the_fallback(data: st.DataObject) -> None:
    scale = data.draw(priority_scales(max_levels=4))
    table = data.draw(priority_rule_tables(scale))
    facts = data.draw(intake_facts)
    assessed = table.assess(facts)
    assert isinstance(table, PriorityRules)
    given_as, reason = deciding_by_reading_the_rules(table, facts)
    assert assessed.reason == reason
    level = scale.level_of(given_as)
    assert assessed.priority is level.reports_as
    assert assessed.level == (None if scale.is_seed else level.code)


def test_a_higher_complaint_count_can_come_first() -> None:
    table = PriorityRuleTable(
        [
            PriorityRule("prior_unresolved_complaints >= 3", Priority.URGENT, "third complaint"),
            PriorityRule("prior_unresolved_complaints >= 1", "important", "complaint again"),
        ]
    )
    reasons = [table.assess(IntakeFacts(prior_unresolved_complaints=n)).reason for n in (0, 1, 3)]
    assert reasons == ["minor issue", "complaint again", "third complaint"]
    assert table.rules[0].priority == "urgent"


@pytest.mark.parametrize(
    ("when", "says"),
    [
        ("vip_customer", "'vip_customer' is not a condition"),
        ("prior_unresolved_complaints >= 0", "counts from 0, below 1"),
        ("prior_unresolved_complaints > 1", "is not a condition"),
        ("prior_unresolved_complaints >= 2147483648", "is not a condition"),
        (True, "True is not a condition"),
    ],
)
def test_a_rule_names_a_fact_or_a_threshold_from_1(when: object, says: str) -> None:
    with pytest.raises(InvalidData) as refused:
        PriorityRule(when, "urgent", "why")  # type: ignore[arg-type]
    assert [path for path, _ in refused.value.problems] == ["when"]
    assert says in str(refused.value)
    assert "accepted: one of 'safety_hazard'" in str(refused.value)


def test_every_problem_of_a_table_is_listed_at_once() -> None:
    with pytest.raises(InvalidData) as refused:
        PriorityRuleTable(
            [
                PriorityRule("consultation", "low", "咨询"),
                PriorityRule("prior_unresolved_complaints >= 2", "urgent", "again"),
                PriorityRule("consultation", "general", "咨询 again"),
                PriorityRule("prior_unresolved_complaints >= 2", "urgent", "twice"),
                PriorityRule("prior_unresolved_complaints >= 5", "urgent", "five"),
            ],
            fallback_priority="p9",
            fallback_reason=" ",
        )
    assert sorted(path for path, _ in refused.value.problems) == [
        "fallback.priority",
        "fallback.reason",
        "rules[0].priority",
        "rules[2].when",
        "rules[3].when",
        "rules[4].when",
    ]
    message = str(refused.value)
    assert "'low' is not a priority level; accepted: one of ['urgent', 'important', 'general']" in (
        message
    )
    assert "'consultation' is also rules[0]" in message
    assert "never applies after rules[1]" in message


def test_a_seed_priority_needs_a_level_reported_as_it() -> None:
    two = PriorityScale(
        [
            PriorityLevel("p1", "高", "high", reports_as=Priority.URGENT),
            PriorityLevel("p2", "低", "low", reports_as=Priority.GENERAL),
        ]
    )
    with pytest.raises(InvalidData) as refused:
        PriorityRuleTable.default(two)
    assert {path for path, _ in refused.value.problems} == {
        "rules[3].priority",
        "rules[4].priority",
    }
    assert "accepted: one of ['p1', 'p2', 'urgent', 'general']" in str(refused.value)


# -- the policy file ----------------------------------------------------------------------------

FOUR_LEVELS = """
[priority]
fallback = { priority = "medium", reason = "一般问题" }

[[priority.levels]]
code = "urgent"
label_zh = "紧急"
label_en = "urgent"
reports_as = "urgent"

[[priority.levels]]
code = "high"
label_zh = "高"
label_en = "high"
reports_as = "important"

[[priority.levels]]
code = "medium"
label_zh = "中"
label_en = "medium"
reports_as = "general"

[[priority.levels]]
code = "low"
label_zh = "低"
label_en = "low"
reports_as = "general"

[[priority.rules]]
when = "safety_hazard"
priority = "urgent"
reason = "安全隐患"

[[priority.rules]]
when = "prior_unresolved_complaints >= 2"
priority = "high"
reason = "第三次投诉"

[[priority.rules]]
when = "consultation"
priority = "低"
reason = "咨询"
"""


def example_without_priority_rules() -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text[text.index("format = 1") :]
    text = re.sub(r"\n\[\[priority\.rules\]\]\n(?:[a-z]+ = .*\n)+", "", text)
    text = text.replace('fallback = { priority = "general", reason = "minor issue" }\n', "")
    assert "priority.rules" not in text
    assert "fallback" not in text
    return text


def with_priority(section: str) -> str:
    """The example file with its ``[priority]`` section (levels and rules) replaced by ``section``."""
    text = example_without_priority_rules()
    start = text.index("[priority]")
    end = text.index("[[substatuses]]")
    return text[:start] + section.strip() + "\n\n" + text[end:]


def test_a_file_without_priority_rules_means_the_default_rules() -> None:
    document = load_policy_file(example_without_priority_rules())
    assert document.priority_rules is None
    assert document.priority_rules_in_force == PriorityRuleTable.default()
    assert "[[priority.rules]]" not in dump_policy_file(document)


def test_a_fallback_alone_keeps_the_default_rules() -> None:
    text = with_priority('[priority]\nfallback = { priority = "important", reason = "VIP 线" }')
    table = load_policy_file(text).priority_rules
    assert table is not None
    assert table.rules == PriorityRuleTable.default().rules
    assert table.assess(IntakeFacts()) == table.assess(IntakeFacts(prior_unresolved_complaints=0))
    assert (table.assess(IntakeFacts()).priority, table.assess(IntakeFacts()).reason) == (
        Priority.IMPORTANT,
        "VIP 线",
    )


def test_an_empty_list_of_rules_leaves_only_the_fallback() -> None:
    text = with_priority(
        '[priority]\nrules = []\nfallback = { priority = "urgent", reason = "全部加急" }'
    )
    document = load_policy_file(text)
    assert document.priority_rules is not None
    assert document.priority_rules.rules == ()
    assert (
        document.priority_rules.assess(IntakeFacts(consultation=True)).priority is Priority.URGENT
    )
    assert load_policy_file(dump_policy_file(document)) == document


def test_rules_on_the_files_own_levels_are_read_and_written_back() -> None:
    text = with_priority(FOUR_LEVELS)
    document = load_policy_file(text)
    table = document.priority_rules
    assert table is not None
    assert table.scale.codes == ("urgent", "high", "medium", "low")
    decided = [
        (a.priority, a.level, a.reason)
        for a in map(
            table.assess,
            [
                IntakeFacts(consultation=True),
                IntakeFacts(consultation=True, prior_unresolved_complaints=2),
                IntakeFacts(product_unusable=True),
            ],
        )
    ]
    assert decided == [
        (Priority.GENERAL, "low", "咨询"),
        (Priority.IMPORTANT, "high", "第三次投诉"),
        (Priority.GENERAL, "medium", "一般问题"),
    ]
    assert load_policy_file(dump_policy_file(document)) == document


def test_what_only_the_levels_can_tell_is_refused_with_its_path() -> None:
    text = with_priority(FOUR_LEVELS.replace('priority = "high"', 'priority = "important"'))
    assert load_policy_file(text).priority_rules is not None  # a seed priority stands for "high"
    text = with_priority(FOUR_LEVELS.replace('priority = "high"', 'priority = "p2"'))
    with pytest.raises(PolicyFileRefused) as refused:
        load_policy_file(text)
    assert refused.value.problems == (
        (
            "priority.rules[1].priority",
            "'p2' is not a priority level; accepted: one of ['urgent', 'high', 'medium', 'low', 'important', 'general']",
        ),
    )


def test_every_bad_priority_rule_of_a_file_is_listed_with_the_files_other_problems() -> None:
    section = (
        FOUR_LEVELS.replace('when = "consultation"', 'when = "safety_hazard"')
        .replace('priority = "high"', 'priority = "p2"')
        .replace('reason = "第三次投诉"', 'reason = "第三次投诉"\nweight = 3')
    )
    text = with_priority(section).replace(
        'default = "standard"', 'default = "standard"\ncolour = 1'
    )
    with pytest.raises(PolicyFileRefused) as refused:
        load_policy_file(text)
    assert sorted(path for path, _ in refused.value.problems) == [
        "colour",
        "priority.rules[1].weight",
    ]
    text = with_priority(section.replace("\nweight = 3", ""))
    with pytest.raises(PolicyFileRefused) as refused:
        load_policy_file(text)
    assert sorted(path for path, _ in refused.value.problems) == [
        "priority.rules[1].priority",
        "priority.rules[2].when",
    ]


@settings(max_examples=60, deadline=None)
@given(priority_rule_tables())
def test_a_document_holds_a_table_made_on_other_levels_on_its_own(table: PriorityRuleTable) -> None:
    document = attrs.evolve(sample_policy_document(), priority_rules=table)
    assert document.priority_rules == table
    four = attrs.evolve(
        document, priority_levels=tuple(PriorityScale.four_levels()), priority_rules=table
    )
    assert four.priority_rules is not None
    assert four.priority_rules.scale == PriorityScale.four_levels()
    assert four.priority_rules.rules == table.rules


def test_a_document_refuses_a_table_whose_level_it_lacks() -> None:
    four = PriorityRuleTable(
        [PriorityRule("consultation", "low", "咨询")], scale=PriorityScale.four_levels()
    )
    with pytest.raises(PolicyFileRefused) as refused:
        attrs.evolve(sample_policy_document(), priority_rules=four)
    assert [path for path, _ in refused.value.problems] == ["priority.rules[0].priority"]


# -- the desk and the command line --------------------------------------------------------------

AT = pendulum.datetime(2026, 12, 2, 10, tz="Asia/Shanghai")
CUSTOMER = Customer(id="C1", name="XX科技")


def opened(desk: ServiceDesk, facts: IntakeFacts, ticket_id: str) -> tuple[object, ...]:
    ticket = desk.open_ticket(
        customer=CUSTOMER,
        channel="phone",
        category="usage_guidance",
        description="无法开机",
        occurred_at=AT,
        by="李工",
        facts=facts,
        ticket_id=ticket_id,
    )
    return ticket.priority, ticket.priority_level, ticket.history[0].priority_reason


def test_the_desk_records_the_level_the_table_gives_when_its_scale_has_it() -> None:
    four = load_policy_file(with_priority(FOUR_LEVELS))
    policy = SlaPolicy.default(WorkCalendar.always()).with_options(
        priority_scale=PriorityScale.four_levels()
    )
    assert four.priority_rules is not None
    desk = ServiceDesk(clock=FixedClock(AT), sla=policy, priority_rules=four.priority_rules)
    assert opened(desk, IntakeFacts(consultation=True), "T1") == (Priority.GENERAL, "low", "咨询")
    three = ServiceDesk(clock=FixedClock(AT), priority_rules=four.priority_rules)
    assert opened(three, IntakeFacts(consultation=True), "T2") == (
        Priority.GENERAL,
        None,
        "咨询",
    )


def serve_args(db: Path, *more: str) -> argparse.Namespace:
    return build_parser().parse_args(["serve", "--db", str(db), "--calendar", "always", *more])


def test_serve_opens_tickets_under_the_stored_files_priority_rules(tmp_path: Path) -> None:
    db = tmp_path / "desk.db"
    SQLiteStore(db).close()
    file = tmp_path / "policy.toml"
    text = with_priority(FOUR_LEVELS)
    file.write_text(text, encoding="utf-8")
    assert main(["sla", "policy", "load", str(file), "--db", str(db), "--from", "2026-01-01"]) == 0
    store = SQLiteStore(db)
    try:
        app = serve_app(serve_args(db, "--token", "t"), store)
        body = {
            "customer": {"id": "C1", "name": "XX科技"},
            "channel": "phone",
            "category": "usage_guidance",
            "description": "怎么设置定时",
            "occurred_at": "2026-10-09T08:30:00+08:00",
            "ticket_id": "T-RULES",
            "facts": {"consultation": True},
        }
        with LocalServer(app) as running:
            made = httpx.post(
                f"{running.url}/tickets", json=body, headers={"Authorization": "Bearer t"}
            )
        assert made.status_code == 201, made.text
        ticket = store.get("T-RULES")
        assert (ticket.priority, ticket.priority_level) == (Priority.GENERAL, "low")
        assert ticket.history[0].priority_reason == "咨询"
    finally:
        store.close()


def test_without_a_stored_policy_the_command_line_keeps_the_default_rules() -> None:
    assert store_priority_rules(MemoryStore()) is DEFAULT_PRIORITY_RULES


def test_a_file_with_a_bad_priority_rule_is_not_adopted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "desk.db"
    SQLiteStore(db).close()
    file = tmp_path / "policy.toml"
    file.write_text(with_priority(FOUR_LEVELS.replace(">= 2", ">= 0")), encoding="utf-8")
    assert main(["sla", "policy", "load", str(file), "--db", str(db), "--from", "2026-01-01"]) == 2
    assert "priority.rules[1].when" in capsys.readouterr().err
    store = SQLiteStore(db)
    try:
        assert list(store.policy_versions()) == []
    finally:
        store.close()
