"""``aftersales projections rebuild`` and the report's note, run as a user runs them.

The store holds four tickets received on Monday 2026-03-02, saved without any
projection (as a store written before the read models, or by hand): reports
replay them. After ``projections rebuild`` every ticket has facts under the
CLI's configuration and the report reads them; a rebuild under another
calendar makes the report note that the facts were computed under another
one, until the matching rebuild runs again.
"""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from aftersales import Channel, Customer, FixedClock, ProblemCategory, ServiceDesk
from aftersales.calendar import WorkCalendar
from aftersales.cli import main
from aftersales.demo.contracts import demo_policies
from aftersales.model.substatus import AFTER_SALES_SUBSTATUSES
from aftersales.readmodel.projection import Projector
from aftersales.storage import MemoryStore, SQLiteStore

SH = "Asia/Shanghai"
_REPORT = ["report", "daily", "--day", "2026-03-02", "--as-of", "2026-03-02T18:00", "--lang", "en"]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Four tickets, saved without projections (a desk without a store writes them)."""
    clock = FixedClock(pendulum.datetime(2026, 3, 2, 9, tz=SH))
    desk = ServiceDesk(MemoryStore(), clock=clock)
    tickets = []
    for number in range(4):
        clock.set(pendulum.datetime(2026, 3, 2, 9 + number, tz=SH))
        tickets.append(
            desk.open_ticket(
                customer=Customer(id=f"C{number % 2}", name="甲公司"),
                channel=Channel.PHONE,
                category=ProblemCategory.LOGISTICS_DELAY,
                description="发货延迟",
                occurred_at=clock.now(),
                by="李工",
                ticket_id=f"T{number}",
            )
        )
    path = tmp_path / "desk.db"
    with SQLiteStore(path) as store:
        store.save_many(tickets)
    return path


def test_a_rebuild_gives_every_ticket_facts_under_the_clis_configuration(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*_REPORT, "--db", str(db)]) == 0
    replayed = capsys.readouterr()
    assert replayed.err == ""
    assert main(["projections", "rebuild", "--db", str(db), "--batch", "3"]) == 0
    out = capsys.readouterr()
    # the demo's policies: standard and the VIP contract, with the after-sales sub-statuses
    policy = demo_policies(WorkCalendar.china())
    assert policy.substatuses == AFTER_SALES_SUBSTATUSES
    key = Projector(policy).key
    assert out.out == f"4 tickets rebuilt (projection key {key[:12]})\n"
    assert out.err.splitlines() == [
        "aftersales projections rebuild: 3 of 4 tickets",
        "aftersales projections rebuild: 4 of 4 tickets",
    ]
    with SQLiteStore(db) as store:
        assert [f.ticket_id for f in store.find_facts(key=key)] == ["T0", "T1", "T2", "T3"]
        assert store.get("T0").version == 1  # no event written
    assert main([*_REPORT, "--db", str(db)]) == 0
    read = capsys.readouterr()
    assert read.out == replayed.out
    assert read.err == ""


def test_facts_of_another_calendar_are_noted_until_rebuilt(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["projections", "rebuild", "--db", str(db), "--calendar", "always"]) == 0
    capsys.readouterr()
    assert main([*_REPORT, "--db", str(db)]) == 0
    noted = capsys.readouterr()
    assert noted.err == (
        "aftersales report: note: facts of 4 tickets were computed under another policy or"
        " calendar; run `aftersales projections rebuild`\n"
    )
    assert main(["projections", "rebuild", "--db", str(db)]) == 0
    capsys.readouterr()
    assert main([*_REPORT, "--db", str(db)]) == 0
    rebuilt = capsys.readouterr()
    assert rebuilt.err == ""
    assert rebuilt.out == noted.out


def test_a_rebuild_refuses_what_is_not_a_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.db").write_text("not a database", encoding="utf-8")
    assert main(["projections", "rebuild", "--db", str(tmp_path / "notes.db")]) == 2
    assert "is not a SQLite database" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:  # a usage error, as argparse reports it
        main(["projections", "rebuild", "--db", str(tmp_path / "x.db"), "--batch", "0"])
    assert usage.value.code == 2
    assert "'0' is not a batch size" in capsys.readouterr().err
