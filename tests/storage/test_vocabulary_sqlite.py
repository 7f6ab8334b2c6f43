"""A company's vocabulary in a SQLite file: across processes, for the CLI, and its integrity.

The issue: a channel registered in one process (``Channel.register("feishu", …)``)
and stored on a ticket made every other process fail on ``get``, ``find`` and
``aftersales report``. Here one process registers it in the store and opens
tickets; fresh processes read them, and the CLI reports on the file.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from aftersales import Channel, StorageError
from aftersales.storage import SQLiteStore
from aftersales.testing.contracts import populate
from tests.storage.reliability import writer_env
from tests.storage.vocabulary_checks import RACES, check_racing_registrations

WRITE = """
import sys
from aftersales import Channel
from aftersales.storage import SQLiteStore
from aftersales.testing.contracts import open_on

with SQLiteStore(sys.argv[1]) as store:
    store.register_term(Channel, "feishu", "Feishu", "飞书", aliases=("飞书群",))
    open_on(store, "F1", "飞书群")
    open_on(store, "P1", "phone", minutes=5)
"""

WRITE_PROCESS_WIDE = """
import sys
from aftersales import Channel
from aftersales.storage import SQLiteStore
from aftersales.testing.contracts import open_on

# the issue's own scenario: the term is registered in the process, not in the store
Channel.register("feishu", "Feishu", "飞书", aliases=("飞书群",))
with SQLiteStore(sys.argv[1]) as store:
    open_on(store, "F1", "飞书群")
    open_on(store, "P1", "phone", minutes=5)
"""

READ = """
import json, sys
from aftersales.storage import SQLiteStore, TicketQuery

with SQLiteStore(sys.argv[1]) as store:
    ticket = store.get("F1")
    print(json.dumps({
        "channel": [ticket.channel.code, ticket.channel.label_zh],
        "all": [t.id for t in store.find(TicketQuery())],
        "feishu": [t.id for t in store.find(TicketQuery(channel="飞书群"))],
        "count": store.count(TicketQuery(channel="feishu")),
    }))
"""


def _python(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        env=writer_env(),
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("writer", [WRITE, WRITE_PROCESS_WIDE], ids=["in-store", "process-wide"])
def test_a_term_registered_by_one_process_serves_the_others(tmp_path: Path, writer: str) -> None:
    path = str(tmp_path / "desk.db")
    written = _python(writer, path)
    assert written.returncode == 0, written.stderr
    read = _python(READ, path)
    assert read.returncode == 0, read.stderr
    assert json.loads(read.stdout) == {
        "channel": ["feishu", "飞书"],
        "all": ["F1", "P1"],
        "feishu": ["F1"],
        "count": 1,
    }
    report = subprocess.run(
        [sys.executable, "-m", "aftersales", "report", "monthly", "--db", path]
        + ["--month", "2024-05", "--lang", "en"],
        capture_output=True,
        text=True,
        env=writer_env(),
        timeout=300,
        check=False,
    )
    assert report.returncode == 0, report.stderr
    assert "2024-05" in report.stdout
    assert "| Feishu |" in report.stdout  # the label, rendered under the store's vocabulary


def test_a_term_registered_here_is_unknown_to_the_process(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "desk.db") as store:
        store.register_term(Channel, "feishu", "Feishu", "飞书")
        assert store.vocabulary.get(Channel, "飞书").code == "feishu"
    assert "feishu" not in {c.code for c in Channel.members()}


# -- integrity, SQLite's own --------------------------------------------------------------


def _execute(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)  # foreign keys are off here, as in any hand-made session
    try:
        with conn:
            for statement in statements:
                conn.execute(statement)
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        (
            "UPDATE tickets SET due_at = 'tomorrow' WHERE id = 'V1'",
            "tickets row 'V1': due_at holds text 'tomorrow'; accepted: an integer"
            " (microseconds since 1970-01-01 UTC) or NULL",
        ),
        (
            "UPDATE tickets SET is_open = 2 WHERE id = 'V3'",
            "tickets row 'V3': is_open holds integer 2; accepted: 0 or 1",
        ),
        (
            "UPDATE tickets SET updated_at = 1.5 WHERE id = 'V2'",
            "tickets row 'V2': updated_at holds real 1.5; accepted: an integer"
            " (microseconds since 1970-01-01 UTC)",
        ),
        (
            "UPDATE ticket_events SET seq = 'one' WHERE ticket_id = 'V1'",
            "ticket_events row (ticket_id='V1', seq='one'): seq holds text 'one';"
            " accepted: an integer",
        ),
        (
            "UPDATE improvement_actions SET due_at = 'next week'",
            "improvement_actions row 'IA-1': due_at holds text 'next week'; accepted: an integer"
            " (microseconds since 1970-01-01 UTC)",
        ),
        (
            "UPDATE knowledge_uses SET at = 'noon'",
            "knowledge_uses row 1: at holds text 'noon'; accepted: an integer"
            " (microseconds since 1970-01-01 UTC)",
        ),
    ],
)
def test_a_mistyped_value_is_named_by_table_and_row(
    tmp_path: Path, statement: str, expected: str
) -> None:
    path = tmp_path / "desk.db"
    store = SQLiteStore(path)
    populate(store)
    _execute(path, statement)
    assert expected in store.check_integrity()


def test_ok_is_never_a_problem_and_foreign_keys_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    store = SQLiteStore(path)
    populate(store)
    assert store.check_integrity() == []
    _execute(
        path, "INSERT INTO vocabulary_aliases (kind, alias, code) VALUES ('channel', 'x', 'fax')"
    )
    problems = store.check_integrity()
    assert "ok" not in problems
    assert problems[0].startswith("foreign key: ('vocabulary_aliases',")
    assert problems[1:] == [
        "vocabulary_aliases row (kind='channel', alias='x'): names 'fax',"
        " which vocabulary_terms does not hold"
    ]


def test_a_dropped_schema_table_is_named_on_open(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    SQLiteStore(path).close()
    _execute(path, "DROP TABLE aftersales_schema")
    with pytest.raises(StorageError) as raised:
        SQLiteStore(path)
    message = str(raised.value)
    assert message.startswith(f"database {str(path)!r}: table aftersales_schema is missing")
    assert "tickets, ticket_events" in message


@pytest.mark.parametrize("race", sorted(RACES))
def test_racing_registrations_on_one_file_one_wins(tmp_path: Path, race: str) -> None:
    with SQLiteStore(tmp_path / "desk.db") as first, SQLiteStore(tmp_path / "desk.db") as second:
        check_racing_registrations([first, second], race)
