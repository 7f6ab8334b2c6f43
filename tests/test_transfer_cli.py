"""``aftersales import`` and ``aftersales export`` on SQLite files, as a user types them."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from aftersales.cli import main
from aftersales.model.query import TicketQuery
from aftersales.storage import SQLiteStore
from tests.test_transfer_import import CLOSED, WAITING, write_csv


def _tickets(db: Path) -> list[tuple[str, int]]:
    with SQLiteStore(db) as store:
        return sorted((t.id, t.version) for t in store.find(TicketQuery()))


def test_import_then_export_masked_then_revealed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "desk.db"
    source = write_csv(tmp_path / "legacy.csv", [CLOSED, WAITING])
    assert main(["import", str(source), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 rows read from legacy.csv: created 2 tickets and 2 customers;")
    assert len(_tickets(db)) == 2

    masked = tmp_path / "masked.csv"
    assert main(["export", "--db", str(db), "--format", "csv", "--out", str(masked)]) == 0
    assert "2 revealed" not in capsys.readouterr().out
    text = masked.read_text(encoding="utf-8-sig")
    assert "138****5678" in text
    assert "13812345678" not in text
    assert "zhang@example.com" not in text

    revealed = tmp_path / "revealed.xlsx"
    args = ["export", "--db", str(db), "--format", "xlsx", "--out", str(revealed)]
    assert main([*args, "--reveal", "--by", "王经理", "--purpose", "迁移到新系统"]) == 0
    assert "2 revealed (recorded), 0 masked" in capsys.readouterr().out
    with SQLiteStore(db) as store:
        for ticket in store.find(TicketQuery()):
            last = ticket.history[-1]
            assert (last.type, last.by, last.purpose) == (
                "contact_revealed",
                "王经理",
                "迁移到新系统",
            )
    again = tmp_path / "again.db"
    assert main(["import", str(revealed), "--db", str(again)]) == 0
    capsys.readouterr()
    with SQLiteStore(db) as first, SQLiteStore(again) as second:
        for ticket in second.find(TicketQuery()):
            assert ticket.contact == first.get(ticket.id).contact


def test_a_bad_file_prints_every_bad_cell_writes_the_report_and_creates_no_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "desk.db"
    source = write_csv(
        tmp_path / "legacy.csv", [CLOSED, {**WAITING, "优先级": "高", "联系方式": "13812345678x"}]
    )
    report = tmp_path / "bad.csv"
    assert main(["import", str(source), "--db", str(db), "--report", str(report)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "aftersales import: every bad cell written to " + str(report)
    assert err[1] == "aftersales: legacy.csv: 2 bad cells, nothing imported:"
    assert err[2].startswith("  row 3, 联系方式: '138****5678?' (masked) is not a phone number")
    assert err[3].startswith("  row 3, 优先级: '高' is not a priority")
    with report.open(encoding="utf-8-sig") as file:
        rows = list(csv.reader(file))
    assert [row[:2] for row in rows] == [["row", "heading"], ["3", "联系方式"], ["3", "优先级"]]
    assert "13812345678" not in report.read_text(encoding="utf-8-sig")
    assert not db.exists()


def test_a_dry_run_writes_nothing_and_an_existing_store_keeps_its_tickets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "desk.db"
    source = write_csv(tmp_path / "legacy.csv", [CLOSED])
    assert main(["import", str(source), "--db", str(db), "--dry-run"]) == 0
    assert "would create 1 tickets" in capsys.readouterr().out
    assert not db.exists()
    assert main(["import", str(source), "--db", str(db)]) == 0
    before = _tickets(db)
    more = write_csv(tmp_path / "more.csv", [WAITING])
    assert main(["import", str(more), "--db", str(db), "--dry-run"]) == 0
    assert main(["import", str(source), "--db", str(db)]) == 0
    assert "1 tickets already there" in capsys.readouterr().out
    assert _tickets(db) == before


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--reveal"], "--reveal needs --by NAME and --purpose TEXT"),
        (["--by", "王经理"], "--by and --purpose go with --reveal"),
    ],
)
def test_export_refusals_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], expected: str
) -> None:
    db = tmp_path / "desk.db"
    assert main(["import", str(write_csv(tmp_path / "a.csv", [CLOSED])), "--db", str(db)]) == 0
    capsys.readouterr()
    out = tmp_path / "o.csv"
    assert main(["export", "--db", str(db), "--format", "csv", "--out", str(out), *arguments]) == 2
    assert capsys.readouterr().err.startswith(f"aftersales: {expected}")
    assert not out.exists()


def test_the_console_command_imports_a_workbook(tmp_path: Path) -> None:
    from aftersales.transfer.writing import write_rows

    book = tmp_path / "跟进记录.xlsx"
    write_rows(book, "xlsx", list(CLOSED), [list(CLOSED.values())])
    db = tmp_path / "desk.db"
    done = subprocess.run(
        [sys.executable, "-m", "aftersales", "import", str(book), "--db", str(db)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "created 1 tickets" in done.stdout
    assert len(_tickets(db)) == 1
