"""Every script in ``benchmarks/`` runs at a tiny size, and its sides agree.

The scripts are found with a glob, so a new one cannot be forgotten: it fails
here until it is given a tiny size below. Each prints a line starting with
``agreement:`` and exits with status 1 when its two sides (ours and a
baseline, or ours and the reference data) disagree; the sabotage runs prove
that each check can fail, by breaking one side inside a copy of the script.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).parent.parent / "benchmarks"
SCRIPTS = sorted(path.name for path in BENCHMARKS.glob("*.py") if not path.name.startswith("_"))
#: The benchmarks that run on a database server: run in the suite on the test server
#: (their own tests below), not by the generic runs.
ON_A_SERVER = frozenset({"storage_mysql.py"})

#: The arguments of a run that takes a few seconds at most.
TINY: dict[str, list[str]] = {
    "api.py": ["--tiny"],
    "backtest.py": ["--tickets", "300", "--workers", "2"],
    "calendar.py": ["--queries", "2000", "--btd", "4", "--pandas", "100", "--reference", "3"],
    "decode.py": ["--tickets", "60", "--decoder-tickets", "60", "--repeat", "1"],
    "end_to_end.py": ["--tiny"],
    "feed.py": ["--tiny"],
    "import_workbook.py": ["--rows", "120", "--broken", "6"],
    "knowledge.py": [],
    "kpi.py": ["--tickets", "1500", "--distinct", "250", "--workers", "1"],
    "lifecycle.py": ["--tickets", "60", "--baseline-tickets", "30", "--commands", "300"],
    "sla.py": ["--tickets", "200", "--repeat", "1"],
    "sla_sweep.py": ["--tickets", "300"],
    "storage.py": ["--tickets", "40", "--query-tickets", "300", "--commands", "20"],
    "storage_mysql.py": ["--tickets", "40", "--query-tickets", "300", "--commands", "20"],
}

#: Code run inside a copy of the script before ``main`` that breaks one side.
SABOTAGE: dict[str, str] = {
    # the store's histories lose the first accepted note
    "api.py": (
        "_stored_notes = stored_notes\n"
        "def stored_notes(store, ids):\n"
        "    notes = _stored_notes(store, ids)\n"
        "    notes[next(iter(notes))] -= 1\n"
        "    return notes"
    ),
    # the naive loop counts one first-response cycle more
    "backtest.py": (
        "_naive = naive_backtest\n"
        "def naive_backtest(path, limit):\n"
        "    counts, flips = _naive(path, limit)\n"
        "    counts['first_response cycles'] += 1\n"
        "    return counts, flips"
    ),
    # the calendar answers with a later afternoon than the reference counts
    "calendar.py": (
        "_china = WorkCalendar.china.__func__\n"
        "WorkCalendar.china = classmethod(lambda cls, complete_years: _china(\n"
        "    cls, hours=(('09:00', '12:00'), ('14:00', '18:00')), complete_years=complete_years))"
    ),
    # the trusted decoder reads every second event one second late
    "decode.py": (
        "import aftersales.serialization_trusted as _trusted\n"
        "_event = _trusted.trusted_event\n"
        "def _late(data):\n"
        "    event = _event(data)\n"
        "    return attrs.evolve(event, at=event.at.add(seconds=1)) if event.seq == 2 else event\n"
        "_trusted.trusted_event = _late"
    ),
    # DuckDB counts one ticket more in the month
    "end_to_end.py": (
        "_duckdb_figures = duckdb_figures\n"
        "def duckdb_figures(con, source, bounds):\n"
        "    out = _duckdb_figures(con, source, bounds)\n"
        "    out['received'] += 1\n"
        "    return out"
    ),
    # the feed skips the first event of every page after the first
    "feed.py": (
        "_since = SQLiteStore.events_since\n"
        "SQLiteStore.events_since = lambda self, position, *, limit=1000: _since(\n"
        "    self, position + (position > 0), limit=limit)"
    ),
    # the workbook's 问题描述 of its first row differs from the row the check expects
    "import_workbook.py": (
        "_write_workbook = write_workbook\n"
        "def write_workbook(path, rows):\n"
        "    changed = [dict(row) for row in rows]\n"
        "    changed[0]['description'] += '（改）'\n"
        "    _write_workbook(path, changed)"
    ),
    # the labels point at articles that do not exist
    "knowledge.py": (
        "_load = load\n"
        "def load():\n"
        "    data = _load()\n"
        "    for query in data['queries']:\n"
        "        query['relevant'] = ['no-such-article']\n"
        "    return data"
    ),
    # pandas counts one ticket more
    "kpi.py": (
        "_with_pandas = with_pandas\n"
        "def with_pandas(records, columns):\n"
        "    out = _with_pandas(records, columns)\n"
        "    out['received'] += 1\n"
        "    return out"
    ),
    # the state machine always ends in another status
    "lifecycle.py": (
        "from aftersales import TicketStatus\n"
        "drive_state_machine = lambda history: TicketStatus.CANCELLED"
    ),
    # the naive clock is one minute late
    "sla.py": (
        "_naive = naive_first_response\n"
        "def naive_first_response(calendar, ticket, now, target):\n"
        "    due, used = _naive(calendar, ticket, now, target)\n"
        "    return due.add(minutes=1), used"
    ),
    # the sweep forgets the last notice it recorded
    "sla_sweep.py": ("_sweep = sweep\ndef sweep(desk, at):\n    return _sweep(desk, at)[:-1]"),
    # the floor's blobs decode to nothing
    "storage.py": "from_json = lambda cls, text: None",
    # the same, in the storage benchmark whose measures this one runs on MySQL
    "storage_mysql.py": "shared.from_json = lambda cls, text: None",
}

#: Load a benchmark as a module, run the sabotage in it, then its ``main``.
DRIVER = """
import importlib.util, sys
path, sabotage, *argv = sys.argv[1:]
spec = importlib.util.spec_from_file_location("benchmark_under_test", path)
module = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = module  # worker processes find the module's functions
spec.loader.exec_module(module)
exec(sabotage, vars(module))
sys.exit(module.main(argv))
"""


#: What an agreement line says when the sides disagree.
DISAGREEMENT = re.compile(
    r"DISAGREE|MISSES|(?<!of )\b[1-9][\d,]* (?:of [\d,]+ (?:\w+ )?)?differ"
    r"|\b[1-9][\d,]* (?:unexplained|results outside)"
)


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=cwd, timeout=120, check=False
    )


def _agreement(stdout: str) -> list[str]:
    return re.findall(r"^agreement: .*$", stdout, flags=re.M)


def test_the_glob_finds_every_benchmark() -> None:
    assert {"calendar.py", "kpi.py", "lifecycle.py", "sla.py", "storage.py"} <= set(SCRIPTS)
    assert set(SCRIPTS) == set(SABOTAGE)


@pytest.mark.parametrize(
    ("line", "disagrees"),
    [
        (
            "agreement: final status after replay, 0 of 30 tickets differ; ..., 0 of 30 differ",
            False,
        ),
        ("agreement: final status after replay, 3 of 30 tickets differ; ..., 0 of 30 differ", True),
        (
            "agreement: ..., 0 of 30 tickets differ; status after the last command, 12 of 30 differ",
            True,
        ),
        ("agreement: stored tickets and query results vs what was written, 0 differ", False),
        ("agreement: stored tickets and query results vs what was written, 2 differ", True),
        ("agreement: 0 unexplained differences between ours and the others", False),
        ("agreement: 1,204 unexplained differences between ours and the others", True),
        ("agreement: 0 results outside the labelled set; the default index meets its goal", False),
        ("agreement: 0 results outside the labelled set; the default index MISSES its goal", True),
        ("agreement: both agree on every figure compared", False),
        ("agreement: 3 figures DISAGREE:", True),
    ],
)
def test_the_disagreement_pattern_reads_the_agreement_lines(line: str, disagrees: bool) -> None:
    assert bool(DISAGREEMENT.search(line)) is disagrees


@pytest.mark.parametrize("script", sorted(set(SCRIPTS) - ON_A_SERVER))
def test_benchmark_runs_at_a_tiny_size_and_its_sides_agree(script: str, tmp_path: Path) -> None:
    assert script in TINY, f"benchmarks/{script} is new: give it a tiny size in TINY"
    extra = ["--backend", "sqlite"] if script == "storage.py" else []
    done = _run([str(BENCHMARKS / script), *TINY[script], *extra], tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    lines = _agreement(done.stdout)
    assert len(lines) == 1, done.stdout[-2000:]
    assert not DISAGREEMENT.search(lines[0]), lines[0]


@pytest.mark.parametrize("script", sorted(set(SCRIPTS) - ON_A_SERVER))
def test_benchmark_fails_when_its_sides_disagree(script: str, tmp_path: Path) -> None:
    assert script in SABOTAGE, f"benchmarks/{script} is new: give it a sabotage in SABOTAGE"
    extra = ["--backend", "sqlite"] if script == "storage.py" else []
    args = ["-c", DRIVER, str(BENCHMARKS / script), SABOTAGE[script], *TINY[script], *extra]
    done = _run(args, tmp_path)
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr[-3000:]
    assert len(_agreement(done.stdout)) == 1, done.stdout[-2000:]
    assert "Traceback" not in done.stderr


def test_storage_benchmark_on_postgres(postgres_dsn: str, tmp_path: Path) -> None:
    """The PostgreSQL part, on the test server (its own scratch databases, dropped after)."""
    import psycopg

    args = [*TINY["storage.py"], "--backend", "postgres", "--dsn", postgres_dsn]
    done = _run([str(BENCHMARKS / "storage.py"), *args], tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert re.search(r"^PostgreSQL .* \(the server of --dsn\)$", done.stdout, flags=re.M)
    assert _agreement(done.stdout) == [
        "agreement: stored tickets and query results vs what was written, 0 differ"
    ]
    with psycopg.connect(postgres_dsn) as conn:
        names = [row[0] for row in conn.execute("SELECT datname FROM pg_database").fetchall()]
    assert not [name for name in names if name.startswith("aftersales_bench_")]


@pytest.mark.parametrize("sabotaged", [False, True])
def test_storage_benchmark_on_mariadb(mariadb_url: str, tmp_path: Path, sabotaged: bool) -> None:
    """``storage_mysql.py`` at a tiny size on the test server (scratch databases, dropped after)."""
    args = [*TINY["storage_mysql.py"], "--url", mariadb_url]
    script = str(BENCHMARKS / "storage_mysql.py")
    if sabotaged:  # one store is enough to show a disagreement fails the run
        args += ["--via", "mysql"]
        done = _run(["-c", DRIVER, script, SABOTAGE["storage_mysql.py"], *args], tmp_path)
        assert done.returncode == 1, done.stdout[-2000:] + done.stderr[-3000:]
        assert "Traceback" not in done.stderr
        assert DISAGREEMENT.search(_agreement(done.stdout)[0])
        return
    done = _run([script, *args], tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert _agreement(done.stdout) == ["agreement: 0 differ"]
    assert "-- MySQLStore" in done.stdout
    assert "-- SqlAlchemyStore (PyMySQL engine)" in done.stdout
