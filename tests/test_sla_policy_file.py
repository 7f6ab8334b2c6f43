"""SLA policies as data: the policy file reads back what it writes, strictly, and builds the same policies."""

from __future__ import annotations

import tomllib
from datetime import timedelta
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from aftersales.calendar import WorkCalendar
from aftersales.cli._policy import command_line_policy
from aftersales.demo.contracts import outlet_policy, vip_policy
from aftersales.errors import PolicyFileRefused
from aftersales.schemas import policy_file_schema, schema_catalog
from aftersales.service.commands import COMMANDS
from aftersales.sla import SlaPolicies, SlaPolicy, SlaRule, Trigger, WorkingTime
from aftersales.sla.metrics import default_metrics
from aftersales.sla.policy_document import MetricSpec, PolicyDocument, PolicySpec, document_of
from aftersales.sla.policy_file import dump_policy_file, load_policy_file
from aftersales.testing.strategies import policy_documents, tickets

EXAMPLE = Path(__file__).parent.parent / "examples" / "policies" / "sla_policy.toml"
CHINA = WorkCalendar.china()
OUTLET = outlet_policy(CHINA).calendar
CALENDARS = {"china": CHINA, "always": WorkCalendar.always("Asia/Shanghai"), "广州网点": OUTLET}
VALIDATOR = Draft202012Validator(policy_file_schema())
SLOW = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def command_line_document() -> PolicyDocument:
    return document_of(command_line_policy(CHINA), CALENDARS)


@SLOW
@given(policy_documents())
def test_a_document_written_and_read_back_is_the_same_document(document: PolicyDocument) -> None:
    text = dump_policy_file(document)
    assert load_policy_file(text) == document
    assert dump_policy_file(load_policy_file(text)) == text


@SLOW
@given(policy_documents())
def test_the_schema_accepts_every_file_the_loader_accepts(document: PolicyDocument) -> None:
    errors = [e.message for e in VALIDATOR.iter_errors(tomllib.loads(dump_policy_file(document)))]
    assert errors == []


@settings(max_examples=60, deadline=None)
@given(policy_documents(calendars=st.sampled_from(["china", "always"])))
def test_the_policies_a_document_builds_are_that_document(document: PolicyDocument) -> None:
    assert document_of(document.build(CALENDARS), CALENDARS) == document


def test_the_command_line_policys_file_gives_back_an_equal_policy() -> None:
    document = command_line_document()
    loaded = load_policy_file(dump_policy_file(document))
    assert loaded == document
    assert document_of(loaded.build(CALENDARS), CALENDARS) == document
    assert loaded.policies["standard"] == PolicySpec(
        "china", [MetricSpec.of(m) for m in SlaPolicy.default(CHINA).metrics]
    )
    assert [r.policy for r in loaded.rules] == ["vip", "outlet"]


def test_the_example_file_is_the_command_line_policy() -> None:
    assert load_policy_file(EXAMPLE) == command_line_document()


ALWAYS = WorkCalendar.always("Asia/Shanghai")
IN_CODE = SlaPolicies(
    {"standard": SlaPolicy.default(ALWAYS), "vip": vip_policy(ALWAYS)},
    [SlaRule("vip", contracts=["VIP-2026"])],
    default="standard",
)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(tickets(max_events=20))
def test_a_policy_read_from_its_file_measures_every_ticket_as_the_policy_in_code(ticket) -> None:
    text = dump_policy_file(document_of(IN_CODE, {"always": ALWAYS}))
    from_file = load_policy_file(text).build({"always": ALWAYS})
    at = ticket.updated_at + timedelta(days=3)
    assert from_file.evaluate(ticket, at).results == IN_CODE.evaluate(ticket, at).results


def test_a_stricter_target_in_the_file_is_a_different_document() -> None:
    text = dump_policy_file(command_line_document())
    stricter = text.replace('targets = { urgent = "30m"', 'targets = { urgent = "20m"', 1)
    assert stricter != text
    changed = load_policy_file(stricter)
    assert changed != command_line_document()
    first = changed.policies["standard"].metrics[0]
    assert first.targets["urgent"] == WorkingTime(timedelta(minutes=20))


MINIMAL = """\
format = 1
default = "standard"

[policies.standard]
calendar = "china"

[[policies.standard.metrics]]
name = "first_response"
label_zh = "首次响应"
label_en = "first response"
starts = ["open_ticket"]
stops = ["acknowledge"]
targets = { urgent = "30m" }
"""

#: A defect put into the minimal file, and the path the loader names for it.
BROKEN = [
    ('default = "standard"', 'default = "standard"\ncolour = "red"', "colour"),
    ("format = 1", "format = 2", "format"),
    ("format = 1\n", "", "format"),
    ('calendar = "china"', 'calendar = "china"\nowner = "ops"', "policies.standard.owner"),
    ('calendar = "china"\n', "", "policies.standard.calendar"),
    ('name = "first_response"', 'name = "first response"', "policies.standard.metrics[0].name"),
    ('label_zh = "首次响应"\n', "", "policies.standard.metrics[0].label_zh"),
    ('["acknowledge"]', '["acknowlege"]', "policies.standard.metrics[0].stops[0].command"),
    ('["acknowledge"]', "[]", "policies.standard.metrics[0].stops"),
    (
        '["acknowledge"]',
        '[{ command = "acknowledge", when = "oops" }]',
        "policies.standard.metrics[0].stops[0].when",
    ),
    (
        '["acknowledge"]',
        '[{ command = "acknowledge", colour = 1 }]',
        "policies.standard.metrics[0].stops[0].colour",
    ),
    ('"30m"', '"30 minutes"', "policies.standard.metrics[0].targets.urgent"),
    ('"30m"', '"0m"', "policies.standard.metrics[0].targets.urgent"),
    ('"30m"', "30", "policies.standard.metrics[0].targets.urgent"),
    (
        'targets = { urgent = "30m" }',
        'targets = { urgent = "30m" }\nreopen = "sometimes"',
        "policies.standard.metrics[0].reopen",
    ),
    (
        'targets = { urgent = "30m" }',
        'targets = { urgent = "30m" }\nwarn_at = [1.5]',
        "policies.standard.metrics[0].warn_at[0]",
    ),
    (
        'targets = { urgent = "30m" }',
        'targets = { urgent = "30m" }\nwarn_at = ["soon"]',
        "policies.standard.metrics[0].warn_at[0]",
    ),
    (
        'targets = { urgent = "30m" }',
        'targets = { urgent = "30m" }\npause_in = ["asleep"]',
        "policies.standard.metrics[0].pause_in[0]",
    ),
    (
        'default = "standard"',
        'default = "standard"\n[[rules]]\npolicy = "vip"\nchannels = []',
        "rules[0].channels",
    ),
    (
        'default = "standard"',
        'default = "standard"\n[priority]\nlevels = [{ code = "p1", label_zh = "一", label_en = "one", reports_as = "top" }]',
        "priority.levels[0].reports_as",
    ),
    (
        'default = "standard"',
        'default = "standard"\n[[substatuses]]\ncode = "w"\nlabel_zh = "等"\nlabel_en = "w"\nunder = "closed"',
        "substatuses[0].under",
    ),
]


def broken(old: str, new: str) -> str:
    assert old in MINIMAL
    return MINIMAL.replace(old, new, 1)


def test_the_minimal_file_is_accepted_by_both() -> None:
    assert load_policy_file(MINIMAL).default == "standard"
    assert list(VALIDATOR.iter_errors(tomllib.loads(MINIMAL))) == []


@pytest.mark.parametrize(("old", "new", "path"), BROKEN)
def test_a_broken_file_is_refused_by_the_loader_and_the_schema(
    old: str, new: str, path: str
) -> None:
    text = broken(old, new)
    with pytest.raises(PolicyFileRefused) as refused:
        load_policy_file(text)
    assert path in [p for p, _ in refused.value.problems]
    assert path in str(refused.value)
    assert "accepted" in str(refused.value)
    assert not VALIDATOR.is_valid(tomllib.loads(text))


def test_every_bad_path_of_a_file_is_listed_at_once() -> None:
    text = MINIMAL
    for old, new, _ in (BROKEN[0], BROKEN[3], BROKEN[7], BROKEN[14], BROKEN[11]):
        text = text.replace(old, new, 1)
    with pytest.raises(PolicyFileRefused) as refused:
        load_policy_file(text)
    assert sorted(p for p, _ in refused.value.problems) == [
        "colour",
        "policies.standard.metrics[0].reopen",
        "policies.standard.metrics[0].stops[0].command",
        "policies.standard.metrics[0].targets.urgent",
        "policies.standard.owner",
    ]


def test_what_only_the_whole_file_can_tell_is_refused_with_its_path() -> None:
    text = MINIMAL.replace('default = "standard"', 'default = "gold"\n[[rules]]\npolicy = "vip"')
    with pytest.raises(PolicyFileRefused) as refused:
        load_policy_file(text)
    assert {p for p, _ in refused.value.problems} == {"rules[0].policy", "default"}


def test_a_default_level_must_be_a_declared_one() -> None:
    text = MINIMAL.replace(
        'default = "standard"', 'default = "standard"\n[priority]\ndefault = "high"'
    )
    with pytest.raises(PolicyFileRefused) as refused:
        load_policy_file(text)
    assert refused.value.problems == (
        (
            "priority.default",
            "'high' is not a level code; accepted: one of ['urgent', 'important', 'general']",
        ),
    )


def test_a_filter_reads_only_its_own_commands_events() -> None:
    text = MINIMAL.replace(
        '["acknowledge"]', '[{ command = "acknowledge", when = { score_below = 3 } }]'
    )
    with pytest.raises(
        PolicyFileRefused, match=r"stops\[0\]\.when: the filter 'score_below' reads record_visit"
    ):
        load_policy_file(text)


def test_a_file_that_is_not_toml_or_not_readable_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PolicyFileRefused, match="not TOML"):
        load_policy_file("format = ")
    with pytest.raises(PolicyFileRefused, match="cannot be read"):
        load_policy_file(tmp_path / "missing.toml")
    with pytest.raises(PolicyFileRefused, match="not a text or a path"):
        load_policy_file(b"format = 1")  # type: ignore[arg-type]


def test_an_old_command_name_reads_as_its_new_one() -> None:
    text = MINIMAL.replace('["acknowledge"]', '["customer_agrees"]')
    with pytest.warns(DeprecationWarning, match="'customer_agrees' is deprecated"):
        document = load_policy_file(text)
    assert document.policies["standard"].metrics[0].stops[0].command == "record_agreement"


def test_a_target_in_another_spelling_reads_as_the_canonical_one() -> None:
    text = MINIMAL.replace('{ urgent = "30m" }', '{ "紧急" = "30m" }')
    assert load_policy_file(text) == load_policy_file(MINIMAL)


def test_a_policy_the_file_cannot_hold_is_refused_with_its_path() -> None:
    odd = attrs.evolve(default_metrics()[0], starts=(Trigger("open_ticket", lambda e: True),))
    with pytest.raises(PolicyFileRefused, match="a policy file cannot express"):
        document_of(SlaPolicy([odd], CHINA), CALENDARS)
    fine = attrs.evolve(
        default_metrics()[0], targets={"urgent": WorkingTime(timedelta(seconds=1.5))}
    )
    document = document_of(SlaPolicy([fine], CHINA), CALENDARS)
    with pytest.raises(ValueError, match="whole number of seconds"):
        dump_policy_file(document)


def test_building_names_every_calendar_missing() -> None:
    document = command_line_document()
    with pytest.raises(PolicyFileRefused) as refused:
        document.build({"china": CHINA})
    assert [p for p, _ in refused.value.problems] == ["policies.outlet.calendar"]


def test_the_schema_is_published_with_the_others() -> None:
    assert schema_catalog(COMMANDS)["files/sla_policy"] == policy_file_schema()
