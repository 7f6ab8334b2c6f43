"""``aftersales report monthly|quarterly|yearly`` with ``--targets``, ``--figures`` and ``--notes``.

The store holds the hand-worked tickets of ``tests/test_report_deck.py`` (see
``_desk``): the CLI must print the figures worked out there, and the same
Markdown as the API's report of the same store.
"""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from aftersales import WorkCalendar
from aftersales.cli import main
from aftersales.demo import demo_policy
from aftersales.reports import KpiTargets, external_figures_from_toml, monthly
from aftersales.storage import SQLiteStore
from tests.test_report_deck import _desk

TZ = "Asia/Shanghai"
CALENDAR = ["--calendar", "always", "--tz", TZ]
TARGETS = "use_defaults = false\n[targets]\nfirst_line = { at_least = 60 }\n"
FIGURES = """
[[figures]]
key = "parts_turnover"
label_zh = "备件库存周转率"
label_en = "Spare-part inventory turnover"
value = 5.8
unit = "times a year"
target = 6
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("deck") / "aftersales.db"
    with SQLiteStore(path) as sqlite:
        _desk(sqlite)
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {
        "targets": tmp_path / "targets.toml",
        "figures": tmp_path / "figures.toml",
        "notes": tmp_path / "notes.md",
    }
    paths["targets"].write_text(TARGETS, encoding="utf-8")
    paths["figures"].write_text(FIGURES, encoding="utf-8")
    paths["notes"].write_text("Focus next month: *spare parts* <script>x</script>\n", "utf-8")
    return paths


def _options(files: dict[str, Path]) -> list[str]:
    return [arg for name, path in files.items() for arg in (f"--{name}", str(path))]


def test_monthly_takes_targets_figures_and_notes_and_matches_the_api(
    store: Path, files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "november.md"
    argv = ["report", "monthly", "--month", "2026-11", "--db", str(store), "--lang", "en"]
    argv += [*CALENDAR, "--as-of", "2026-12-01T00:00", *_options(files), "--md", str(out)]
    assert main(argv) == 0
    text = out.read_text(encoding="utf-8")
    # hand-worked: 5 received against 4 (+25 %) and 2 a year before (+150 %); first-line 60 %
    assert "| Tickets received | 5 | — | 4 | +25.0% | +150.0% | 3.7 |" in text
    assert "| First-line resolution rate | 60.0% ✔ | ≥ 60.0% |" in text
    assert "| Spare-part inventory turnover | 5.8 times a year ✘ | ≥ 6 times a year |" in text
    assert "<script>" not in text
    assert "Focus next month" in text
    with SQLiteStore(store) as sqlite:
        api = monthly(
            sqlite,
            "2026-11",
            calendar=WorkCalendar.always(TZ),
            policy=demo_policy(WorkCalendar.always(TZ)),  # the CLI's policy
            at=pendulum.datetime(2026, 12, 1, tz=TZ),
            targets=KpiTargets.from_toml(TARGETS),
            external_figures=external_figures_from_toml(FIGURES),
            notes=files["notes"].read_text(encoding="utf-8"),
        )
    assert api.to_markdown(lang="en") == text


def test_quarterly_and_yearly_reports_from_a_store(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--db", str(store), "--lang", "en", *CALENDAR, "--as-of", "2027-01-01T00:00"]
    assert main(["report", "quarterly", "--quarter", "2026-Q4", *base]) == 0
    quarter = capsys.readouterr().out
    assert quarter.startswith("# After-sales quarterly report 2026-Q4")
    assert "| Tickets received | 9 | — | 2 | +350.0% | +200.0% |" in quarter  # hand-worked
    assert "## Quarterly overview" in quarter
    assert main(["report", "yearly", "--year", "2026", *base]) == 0
    year = capsys.readouterr().out
    assert year.startswith("# After-sales yearly report 2026")
    assert "| Tickets received | 11 | — | 3 | +266.7% | +266.7% |" in year


@pytest.mark.parametrize(
    ("kind", "flag", "value"),
    [
        ("quarterly", "--quarter", "2026-Q5"),
        ("quarterly", "--quarter", "2026Q4"),
        ("yearly", "--year", "26"),
        ("yearly", "--year", "2026-01"),
    ],
)
def test_other_forms_of_a_quarter_or_a_year_are_usage_errors(
    kind: str, flag: str, value: str, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["report", kind, flag, value, "--db", str(store)])
    assert exited.value.code == 2
    assert f"{value!r} is not a" in capsys.readouterr().err


def test_a_bad_targets_file_is_refused_naming_each_problem_and_nothing_is_written(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[targets]\nclosure = { at_least = "95" }\nspeed = { at_most = 1 }\n', "utf-8")
    out = tmp_path / "out.md"
    argv = ["report", "monthly", "--month", "2026-11", "--db", str(store), *CALENDAR]
    assert main([*argv, "--targets", str(bad), "--md", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:targets.closure.at_least: '95' is not a number" in err
    assert f"{bad}:targets.speed: 'speed' is not an indicator" in err
    assert not out.exists()
    assert main([*argv, "--figures", str(tmp_path / "none.toml")]) == 2
    assert "none.toml: cannot be read (FileNotFoundError)" in capsys.readouterr().err
    assert main([*argv, "--notes", str(tmp_path / "none.md")]) == 2
    assert "--notes: " in capsys.readouterr().err


def test_the_daily_report_takes_no_targets(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["report", "daily", "--day", "2026-11-10", "--db", str(store), "--targets", "x"])
    assert "unrecognized arguments: --targets" in capsys.readouterr().err
