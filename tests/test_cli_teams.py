"""``aftersales calendar define``/``list`` and ``aftersales team define``/``list``, run through ``main``
on temporary SQLite stores with the files of ``examples/teams/``."""

from __future__ import annotations

from pathlib import Path

import pytest

from aftersales.calendar import CalendarDefinition
from aftersales.cli import main
from aftersales.storage import SQLiteStore
from aftersales.teams import Team

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "teams"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "desk.db"
    SQLiteStore(path).close()
    return path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_define_and_list_calendars_and_teams(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shanghai = str(EXAMPLES / "calendar-shanghai.toml")
    guangzhou = str(EXAMPLES / "calendar-guangzhou.toml")
    assert _run(capsys, "calendar", "define", "上海总部", shanghai, "--db", str(db)) == (
        0,
        "上海总部: stored Asia/Shanghai; Mon–Fri 09:00–12:00 13:30–18:00; official days off of"
        f" CN; 1 own day off in {db}\n",
        "",
    )
    assert _run(capsys, "calendar", "define", "广州网点", guangzhou, "--db", str(db))[0] == 0
    assert _run(capsys, "calendar", "define", "上海总部", shanghai, "--db", str(db))[1] == (
        f"上海总部: this definition is already stored in {db}; nothing changed\n"
    )
    assert _run(capsys, "calendar", "list", "--db", str(db)) == (
        0,
        "上海总部: Asia/Shanghai; Mon–Fri 09:00–12:00 13:30–18:00; official days off of CN;"
        " 1 own day off\n"
        "广州网点: Asia/Shanghai; Mon–Sat 09:00–12:00 13:00–17:30; official days off of CN\n",
        "",
    )
    for file in ("team-shanghai.toml", "team-guangzhou.toml"):
        assert _run(capsys, "team", "define", str(EXAMPLES / file), "--db", str(db))[0] == 0
    status, out, _ = _run(capsys, "team", "list", "--db", str(db))
    assert status == 0
    assert out.splitlines() == [
        "上海总部: calendar 上海总部; members 王工 (A型智能办公设备, product_quality), 李工"
        " (consultation, usage_guidance), 张工 (aftersales_process, logistics_delay); 1 absence;"
        " fallback 上海值班主管",
        "广州网点: calendar 广州网点; members 陈工 (A型智能办公设备, product_quality), 林工"
        " (usage_guidance); no absences; no fallback",
    ]
    with SQLiteStore(db) as store:
        assert store.get_calendar("广州网点") == CalendarDefinition.from_toml(
            Path(guangzhou).read_text(encoding="utf-8")
        )
        assert store.get_team("广州网点") == Team.from_toml(
            (EXAMPLES / "team-guangzhou.toml").read_text(encoding="utf-8")
        )


def test_a_different_definition_needs_replace(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hotline = tmp_path / "hotline.json"
    hotline.write_text('{"tz": "Asia/Shanghai", "week": {"mon": ["00:00-24:00"]}}', "utf-8")
    shanghai = str(EXAMPLES / "calendar-shanghai.toml")
    assert _run(capsys, "calendar", "define", "热线", shanghai, "--db", str(db))[0] == 0
    status, out, err = _run(capsys, "calendar", "define", "热线", str(hotline), "--db", str(db))
    assert (status, out) == (2, "")
    assert "another definition is stored under '热线'" in err
    assert "--replace" in err
    status, out, _ = _run(
        capsys, "calendar", "define", "热线", str(hotline), "--db", str(db), "--replace"
    )
    assert status == 0
    assert out.startswith(
        "热线: replaced the stored definition with Asia/Shanghai; Mon 00:00–24:00"
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ("team", "define", str(EXAMPLES / "team-guangzhou.toml")),
            "'广州网点' is not a known value",
        ),
        (("calendar", "define", " x", str(EXAMPLES / "calendar-hotline.toml")), "NAME: ' x'"),
        (("calendar", "define", "x", str(EXAMPLES / "team-guangzhou.toml")), "unknown key"),
        (("calendar", "define", "x", "missing.toml"), "missing.toml"),
    ],
)
def test_refusals_end_with_status_2_and_one_line(
    db: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], words: str
) -> None:
    status, out, err = _run(capsys, *args, "--db", str(db))
    assert status == 2
    assert out == ""
    assert words in err
    with SQLiteStore(db) as store:
        assert store.find_calendars() == {}
        assert store.find_teams() == []


def test_the_lists_of_an_empty_store_say_how_to_define(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(capsys, "calendar", "list", "--db", str(db))[1] == (
        f"no named calendars in {db}; define one with 'aftersales calendar define'\n"
    )
    assert _run(capsys, "team", "list", "--db", str(db))[1] == (
        f"no teams in {db}; define one with 'aftersales team define'\n"
    )
