"""The projection key: equal configurations, equal keys; any change to a part, another key; stable across processes."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta

import attrs
import pytest

from aftersales.calendar import DayOff, WorkCalendar
from aftersales.kpi import KpiOptions, Period, ServiceKpis
from aftersales.readmodel import fingerprint
from aftersales.readmodel.fingerprint import FACTS_FORMAT, describe, projection_key
from aftersales.readmodel.projection import Projector
from aftersales.service.desk import ServiceDesk
from aftersales.sla import ReopenPolicy, SlaPolicy, Trigger, WorkingDays
from aftersales.vocab import Priority, TicketStatus

_HOURS = (("09:00", "12:00"), ("13:30", "18:00"))
_CALLBACK = timedelta(hours=48)


def _calendar(**changes: object) -> WorkCalendar:
    arguments: dict[str, object] = {
        "tz": "Asia/Shanghai",
        "week": {d: list(_HOURS) for d in range(5)},
        "holidays": {date(2026, 10, 1): "国庆节"},
        "workdays": {date(2026, 10, 10): "调休"},
        "special_hours": {date(2026, 10, 9): [("09:00", "12:00")]},
        "complete_years": (2027,),
    }
    arguments.update(changes)
    return WorkCalendar(**arguments)  # type: ignore[arg-type]


def _key(
    policy: SlaPolicy | None = None,
    calendar: WorkCalendar | None = None,
    callback: timedelta = _CALLBACK,
) -> str:
    calendar = calendar or _calendar()
    policy = SlaPolicy.default(calendar) if policy is None else policy
    return projection_key(policy, calendar, callback)


def _metric_changed(**changes: object) -> SlaPolicy:
    calendar = _calendar()
    metrics = list(SlaPolicy.default(calendar).metrics)
    metrics[1] = attrs.evolve(metrics[1], **changes)
    return SlaPolicy(metrics, calendar)


def test_equal_configurations_give_equal_keys() -> None:
    assert _key() == _key(SlaPolicy.default(_calendar()), _calendar())
    assert len(_key()) == 64
    assert int(_key(), 16) >= 0


CHANGED = {
    "a target": lambda: _key(_metric_changed(targets={Priority.URGENT: WorkingDays(2)})),
    "a trigger": lambda: _key(_metric_changed(stops=(Trigger("finish_execution"),))),
    "a trigger's filter": lambda: _key(
        _metric_changed(stops=(Trigger("finish_execution", lambda e: True),))
    ),
    "a paused status": lambda: _key(_metric_changed(pause_in=frozenset({TicketStatus.ANALYSING}))),
    "the warning levels": lambda: _key(_metric_changed(warn_at=(0.5, 0.9))),
    "a lead-time warning": lambda: _key(_metric_changed(warn_at=(timedelta(hours=1),))),
    "the reopen policy": lambda: _key(SlaPolicy.default(_calendar(), reopen=ReopenPolicy.RESTART)),
    "the visit threshold": lambda: _key(SlaPolicy.default(_calendar(), visit_threshold=4)),
    "a metric left out": lambda: _key(
        SlaPolicy(SlaPolicy.default(_calendar()).metrics[:4], _calendar())
    ),
    "a metric's own calendar": lambda: _key(_metric_changed(calendar=WorkCalendar.always("UTC"))),
    "the zone": lambda: _key(calendar=_calendar(tz="Asia/Hong_Kong")),
    "the week": lambda: _key(calendar=_calendar(week={d: [("09:00", "17:00")] for d in range(5)})),
    "a day off": lambda: _key(calendar=_calendar(holidays={date(2026, 10, 2): "国庆节"})),
    "a partial day off": lambda: _key(
        calendar=_calendar(
            holidays={date(2026, 10, 1): DayOff("国庆节", hours=[("09:00", "12:00")])}
        )
    ),
    "a working day": lambda: _key(calendar=_calendar(workdays={date(2026, 10, 11): "调休"})),
    "special hours": lambda: _key(calendar=_calendar(special_hours={date(2026, 10, 9): []})),
    "the complete years": lambda: _key(calendar=_calendar(complete_years=(2027, 2028))),
    "the official source": lambda: _key(calendar=WorkCalendar.china(complete_years=(2027,))),
    "the callback rule": lambda: _key(callback=timedelta(hours=24)),
    "no policy": lambda: projection_key(None, _calendar(), _CALLBACK),
}


@pytest.mark.parametrize("change", sorted(CHANGED))
def test_any_change_to_a_part_gives_another_key(change: str) -> None:
    assert CHANGED[change]() != _key()


def test_the_facts_format_is_part_of_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    before = _key()
    monkeypatch.setattr(fingerprint, "FACTS_FORMAT", FACTS_FORMAT + 1)
    assert _key() != before


def test_the_official_sources_package_version_is_described() -> None:
    described = describe(None, WorkCalendar.china(), _CALLBACK)
    assert described["calendar"]["source"].startswith("holidays ")
    assert described["calendar"]["source"].split(":")[0] != "holidays ?"


def test_the_key_is_the_same_in_another_process_whatever_its_hash_seed() -> None:
    script = (
        "from datetime import timedelta; from aftersales.calendar import WorkCalendar;"
        " from aftersales.sla import SlaPolicy; from aftersales.readmodel.fingerprint import projection_key;"
        " c = WorkCalendar.china(complete_years=(2027,));"
        " print(projection_key(SlaPolicy.default(c, visit_threshold=4), c, timedelta(hours=48)))"
    )
    keys = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        keys.add(done.stdout.strip())
    calendar = WorkCalendar.china(complete_years=(2027,))
    assert keys == {
        projection_key(SlaPolicy.default(calendar, visit_threshold=4), calendar, _CALLBACK)
    }


def test_a_desk_writes_the_facts_its_reports_read() -> None:
    """The desk's projector and a report's accumulator on the same policy compute under one key."""
    calendar = _calendar()
    policy = SlaPolicy.default(calendar)
    kpis = ServiceKpis(Period.parse("2026-10", "Asia/Shanghai"), calendar, policy=policy)
    assert ServiceDesk(sla=policy).projector.key == kpis.facts_key == Projector(policy).key
    other = ServiceKpis(
        Period.parse("2026-10", "Asia/Shanghai"),
        calendar,
        policy=policy,
        options=KpiOptions(callback_within=timedelta(hours=24)),
    )
    assert other.facts_key != kpis.facts_key


def test_a_policy_files_filters_are_part_of_the_key() -> None:
    from aftersales.sla.metrics import default_metrics
    from aftersales.sla.policy_document import MetricSpec, PolicyDocument, PolicySpec
    from aftersales.sla.trigger_filters import TriggerFilter

    calendar = WorkCalendar.always("UTC")

    def key(threshold: int) -> str:
        spec = MetricSpec.of(default_metrics()[3])
        start = attrs.evolve(spec.starts[0], when=TriggerFilter("score_below", threshold))
        document = PolicyDocument(
            policies={"standard": PolicySpec("always", [attrs.evolve(spec, starts=(start,))])},
            default="standard",
        )
        return projection_key(document.build({"always": calendar}), calendar, timedelta(hours=48))

    assert key(3) == key(3)
    assert key(3) != key(4)
