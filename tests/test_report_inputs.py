"""What reports read from a store beside the tickets, the same from the API, the CLI and the demo.

The demo stores its quarter's surveys, root causes, improvement actions and
installed base; ``aftersales report monthly --db`` on its store then shows
NPS (not "—"), the product batch failure, the root causes and the plan, and
the HTTP API's report of the same store shows the same figures. Expected
figures are counted by hand from what the store holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pendulum
import pytest

from aftersales.calendar import WorkCalendar
from aftersales.cli import main
from aftersales.kpi import Period, SurveyResponse
from aftersales.reports.stored_inputs import read_report_inputs, report_period, survey_span
from aftersales.storage import MemoryStore, SQLiteStore
from aftersales.testing.contracts import make_action, make_root_cause, make_survey

TZ = "Asia/Shanghai"
DECEMBER = Period.parse("2026-12", TZ)
READ_AT = "2027-01-01T00:00:00+08:00"


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's SQLite store, after ``aftersales demo`` (its quarter at a third of the volume)."""
    out = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--out", str(out), "--only", "--scale", "0.3"]) == 0
    return out / "aftersales.db"


def _december_surveys(path: Path) -> list[SurveyResponse]:
    with SQLiteStore(path) as store:
        return store.find_surveys(start=DECEMBER.start, end=DECEMBER.end)


def _hand_nps(surveys: list[SurveyResponse]) -> float:
    answers = [s.nps for s in surveys if s.nps is not None]
    promoters = sum(1 for a in answers if a >= 9)
    detractors = sum(1 for a in answers if a <= 6)
    return 100 * (promoters - detractors) / len(answers)


def test_the_demo_stores_surveys_with_and_without_tickets(demo_store: Path) -> None:
    with SQLiteStore(demo_store) as store:
        surveys = store.find_surveys()
        assert {c.id for c in store.find_root_causes()} == {"RC-2026-11-01", "RC-2026-12-01"}
        assert {a.id for a in store.find_actions(open_only=True)} == {
            "IA-2026-11-01",
            "IA-2026-12-01",
        }
        assert store.find_installed_base()["B型扫地机器人"] == 450  # 1,500 at a third
        assert store.check_integrity() == []
    assert len(surveys) > 30
    assert any(s.ticket_id is not None for s in surveys)
    assert any(s.ticket_id is None and s.customer_id is None for s in surveys)
    assert any(s.satisfaction is not None and s.dimensions for s in surveys)
    assert {s.feedback.value for s in surveys if s.feedback} == {
        "staff",
        "resolution",
        "suggestion",
    }
    quarter = (pendulum.datetime(2026, 10, 1, tz=TZ), pendulum.datetime(2027, 1, 1, tz=TZ))
    assert all(quarter[0] <= s.at < quarter[1] for s in surveys)


def test_the_cli_report_of_the_demo_store_shows_nps_batch_failures_causes_and_actions(
    demo_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    written = tmp_path / "december.md"
    status = main(
        [
            "report",
            "monthly",
            "--db",
            str(demo_store),
            "--month",
            "2026-12",
            "--as-of",
            READ_AT,
            "--complete-years",
            "2027",
            "--md",
            str(written),
        ]
    )
    assert status == 0, capsys.readouterr().err
    text = written.read_text(encoding="utf-8")
    nps_row = next(line for line in text.splitlines() if line.startswith("| 净推荐值"))
    this_month = nps_row.split("|")[2].strip()
    assert this_month.startswith(f"{_hand_nps(_december_surveys(demo_store)):+.1f}"), nps_row
    answers = sum(1 for s in _december_surveys(demo_store) if s.nps is not None)
    assert f"({answers} 份答卷)" in text
    assert re.search(r"\| 产品批次故障率超标 \| B型扫地机器人 \| \d+ \(\d+\.\d%\) \|", text)
    assert "采购部" in text  # the root cause of the batch failure, by its department
    assert "来料检验增加润滑脂规格检测,批次电机全部更换" in text  # an open action of the plan
    # the demo's own report of the month reads the same store the same way
    demo_report = (demo_store.parent / "monthly-2026-12.zh.md").read_text(encoding="utf-8")
    assert text.strip() == demo_report.strip()


def test_the_api_report_of_the_demo_store_shows_the_same(demo_store: Path) -> None:
    import httpx

    from aftersales.api import create_app
    from aftersales.api.local import LocalServer
    from aftersales.service.desk import ServiceDesk

    with SQLiteStore(demo_store) as store:
        app = create_app(ServiceDesk(store), calendar=WorkCalendar.china(complete_years=(2027,)))
        with LocalServer(app) as running, httpx.Client(base_url=running.url, timeout=60) as client:
            found = client.get("/reports/monthly", params={"period": "2026-12", "at": READ_AT})
    assert found.status_code == 200, found.text
    view: dict[str, Any] = found.json()
    surveys = _december_surveys(demo_store)
    figures = view["figures"]
    assert figures["nps"]["responses"] == sum(1 for s in surveys if s.nps is not None)
    assert figures["nps"]["score"] == pytest.approx(_hand_nps(surveys))
    assert figures["surveys"]["count"] == len(surveys)
    by_class = dict(figures["surveys"]["feedback"])
    for name in ("staff", "resolution", "suggestion"):
        assert by_class[name] == sum(1 for s in surveys if s.feedback and s.feedback.value == name)
    failures = [event["key"] for event in figures["events"] if event["kind"] == "failure_rate"]
    assert "B型扫地机器人" in failures
    assert view["root_causes"]
    assert view["actions"]


@pytest.fixture(params=["sqlite", "postgres"])
def full_store(request: pytest.FixtureRequest) -> Iterator[Any]:
    """An empty store keeping every input: a SQLite file's, or a PostgreSQL database's."""
    if request.param == "sqlite":
        with SQLiteStore(":memory:") as store:
            yield store
        return
    from aftersales.storage.postgres import PostgresStore
    from tests.storage.test_postgres import _reset

    dsn = request.getfixturevalue("postgres_dsn")
    _reset(dsn)
    with PostgresStore(dsn) as store:
        yield store


def test_inputs_read_the_survey_span_and_the_open_actions_only(full_store: Any) -> None:
    store = full_store
    start, end = survey_span(DECEMBER)
    assert (start, end) == (pendulum.datetime(2025, 12, 1, tz=TZ), DECEMBER.end)
    store.save_survey(attrs_at(make_survey("S-before", 0), start.subtract(microseconds=1)))
    store.save_survey(attrs_at(make_survey("S-first", 0), start))
    store.save_survey(attrs_at(make_survey("S-last", 0), end.subtract(microseconds=1)))
    store.save_survey(attrs_at(make_survey("S-after", 0), end))
    store.save_root_cause(make_root_cause("RC-1", "T1"))
    open_action = make_action("IA-open")
    store.save_action(open_action, expected_version=0)
    done = make_action("IA-done")
    dropped = done.drop(by="王工", at=done.created_at.add(hours=2), reason="不再需要")
    store.save_action(dropped, expected_version=0)
    store.save_installed_base({"B型扫地机器人": 1500})
    inputs = read_report_inputs(
        store, report_period("monthly", "2026-12-09", WorkCalendar.always(TZ))
    )
    assert [s.id for s in inputs.surveys] == ["S-first", "S-last"]
    assert [c.id for c in inputs.root_causes] == ["RC-1"]
    assert [a.id for a in inputs.actions] == ["IA-open"]
    assert inputs.installed_base == {"B型扫地机器人": 1500}
    assert set(inputs.arguments("weekly")) == {"key_customers", "actions"}


def test_a_store_keeping_less_gives_less_and_tickets_give_nothing() -> None:
    memory = MemoryStore()  # surveys and installed base, no improvement records
    memory.save_survey(attrs_at(make_survey("S-1", 0), DECEMBER.start))
    inputs = read_report_inputs(memory, DECEMBER)
    assert [s.id for s in inputs.surveys] == ["S-1"]
    assert (inputs.root_causes, inputs.actions) == ((), ())
    assert read_report_inputs([], DECEMBER).arguments("monthly") == {
        "key_customers": frozenset(),
        "surveys": (),
        "actions": (),
        "root_causes": (),
        "installed_base": {},
    }


def attrs_at(survey: SurveyResponse, at: pendulum.DateTime) -> SurveyResponse:
    return attrs.evolve(survey, at=at)
