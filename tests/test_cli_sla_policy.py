"""``aftersales sla policy show|load`` and the commands that read a store under its adopted policy.

A store starts without a policy: ``show`` prints the command line's own as a
file. ``load`` adopts a file from a date (a refused one changes nothing and
lists every bad path); from then ``show`` prints it with its version, and
``projections rebuild`` (like ``report``, ``sla sweep`` and ``serve``) uses it.
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from pathlib import Path

import attrs
import pendulum
import pytest

from aftersales import Channel, Customer, FixedClock, Priority, ProblemCategory, ServiceDesk
from aftersales.calendar import WorkCalendar
from aftersales.cli import main
from aftersales.cli._policy import command_line_document, command_line_policy, store_policy
from aftersales.model.events import SlaPolicyChosen
from aftersales.readmodel.projection import Projector
from aftersales.serialization import from_dict, to_dict
from aftersales.sla import WorkingTime
from aftersales.sla.policy_document import PolicyDocument
from aftersales.sla.policy_file import dump_policy_file, load_policy_file
from aftersales.storage import SQLiteStore

SH = "Asia/Shanghai"
EXAMPLE = Path(__file__).parent.parent / "examples" / "policies" / "sla_policy.toml"
ARGS = argparse.Namespace(calendar="china", tz=SH, complete_years=[2027])


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "desk.db"
    SQLiteStore(path).close()
    return path


def stricter(document: PolicyDocument, minutes: int = 20) -> PolicyDocument:
    """``document`` with the standard policy's urgent first response in ``minutes``."""
    standard = document.policies["standard"]
    first = standard.metrics[0]
    targets = {**first.targets, "urgent": WorkingTime(timedelta(minutes=minutes))}
    metrics = (attrs.evolve(first, targets=targets), *standard.metrics[1:])
    policies = {**document.policies, "standard": attrs.evolve(standard, metrics=metrics)}
    return attrs.evolve(document, policies=policies)


def show(db: Path, capsys: pytest.CaptureFixture[str], *more: str) -> tuple[str, str]:
    assert main(["sla", "policy", "show", "--db", str(db), *more]) == 0
    header, body = capsys.readouterr().out.split("\n", 1)
    return header, body


def test_a_store_without_a_policy_shows_the_command_lines_own(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header, body = show(db, capsys)
    assert "none adopted" in header
    calendar = WorkCalendar.china(tz=SH)
    assert load_policy_file(body) == command_line_document(ARGS, calendar)
    assert load_policy_file(body) == load_policy_file(EXAMPLE)


def test_a_loaded_file_is_shown_with_its_version_from_its_date(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = stricter(load_policy_file(EXAMPLE))
    file = tmp_path / "stricter.toml"
    file.write_text(dump_policy_file(document), encoding="utf-8")
    command = ["sla", "policy", "load", str(file), "--db", str(db), "--from", "2026-12-01"]
    assert main([*command, "--note", "urgent first response in 20 min"]) == 0
    assert "version 1 adopted, in force from 2026-12-01 00:00 (Asia/Shanghai)" in (
        capsys.readouterr().out
    )
    header, body = show(db, capsys, "--at", "2026-12-01T00:00")
    assert header == (
        "# aftersales SLA policy: version 1, in force from 2026-12-01 00:00"
        " (urgent first response in 20 min)"
    )
    assert load_policy_file(body) == document
    header, body = show(db, capsys, "--at", "2026-11-30T23:59")
    assert "none adopted" in header
    assert load_policy_file(body) == load_policy_file(EXAMPLE)


def test_a_refused_file_lists_every_bad_path_and_changes_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    broken = text.replace('urgent = "30m"', 'urgent = "30 minutes"', 1).replace(
        'default = "standard"', 'default = "standard"\ncolour = "red"', 1
    )
    file = tmp_path / "broken.toml"
    file.write_text(broken, encoding="utf-8")
    status = main(["sla", "policy", "load", str(file), "--db", str(db), "--from", "2026-12-01"])
    err = capsys.readouterr().err
    assert status == 2
    assert "colour: an unknown key" in err
    assert "policies.standard.metrics[0].targets.urgent: '30 minutes' is not a target" in err
    with SQLiteStore(db) as store:
        assert store.policy_versions() == []


def test_a_file_naming_an_unknown_calendar_is_refused_and_changes_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace('calendar = "china"', 'calendar = "北京"')
    file = tmp_path / "beijing.toml"
    file.write_text(text, encoding="utf-8")
    status = main(["sla", "policy", "load", str(file), "--db", str(db), "--from", "2026-12-01"])
    err = capsys.readouterr().err
    assert status == 2
    assert "policies.standard.calendar: '北京' is not a calendar" in err
    assert "policies.vip.calendar: '北京' is not a calendar" in err
    with SQLiteStore(db) as store:
        assert store.policy_versions() == []


def test_the_commands_read_a_store_under_its_policy_in_force(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rebuild = ["projections", "rebuild", "--db", str(db), "--complete-years", "2027"]
    assert main(rebuild) == 0
    default_key = capsys.readouterr().out.split("projection key ")[1][:12]
    calendar = WorkCalendar.china(tz=SH, complete_years=[2027])
    assert Projector(command_line_policy(calendar)).key.startswith(default_key)
    file = tmp_path / "stricter.toml"
    file.write_text(dump_policy_file(stricter(load_policy_file(EXAMPLE))), encoding="utf-8")
    load = ["sla", "policy", "load", str(file), "--db", str(db), "--from", "2020-01-01"]
    assert main(load) == 0
    capsys.readouterr()
    assert main(rebuild) == 0
    stored_key = capsys.readouterr().out.split("projection key ")[1][:12]
    assert stored_key != default_key
    with SQLiteStore(db) as store:
        policy = store_policy(ARGS, store)
        assert Projector(policy).key.startswith(stored_key)
        assert policy.version == 1
        assert policy.policy("standard").metrics[0].target_for(Priority.URGENT) == WorkingTime(
            timedelta(minutes=20)
        )


def test_each_tickets_history_records_the_policy_version_that_judged_it(
    db: Path, tmp_path: Path
) -> None:
    start = pendulum.datetime(2026, 12, 2, 9, tz=SH)
    with SQLiteStore(db) as store:
        store.adopt_policy(load_policy_file(EXAMPLE), start.subtract(days=1))
        store.adopt_policy(stricter(load_policy_file(EXAMPLE)), start.subtract(hours=1))
        desk = ServiceDesk(store, clock=FixedClock(start), sla=store_policy(ARGS, store, start))
        customer = Customer(id="C1", name="甲公司")
        store.save_customer(customer)
        ticket = desk.open_ticket(
            customer=customer,
            channel=Channel.PHONE,
            category=ProblemCategory.PRODUCT_QUALITY,
            description="设备停机",
            occurred_at=start,
            priority=Priority.URGENT,
            by="李工",
        )
        desk.change_sla_policy(ticket.id, by="王经理", sla_policy="vip", reason="VIP 合同")
        chosen = [e for e in desk.history(ticket.id) if isinstance(e, SlaPolicyChosen)]
    assert [(e.sla_policy, e.policy_version) for e in chosen] == [("standard", 2), ("vip", 2)]


def test_a_choice_recorded_without_a_version_reads_as_none_and_is_stored_without_one() -> None:
    event = SlaPolicyChosen(
        ticket_id="T1", seq=2, by="李工", at=pendulum.datetime(2026, 3, 2, tz=SH), sla_policy="vip"
    )
    stored = to_dict(event)
    assert "policy_version" not in stored
    assert from_dict(SlaPolicyChosen, stored).policy_version is None
    versioned = attrs.evolve(event, policy_version=3)
    assert from_dict(SlaPolicyChosen, to_dict(versioned)).policy_version == 3
