"""Every example in ``examples/`` runs, as a user would run it, with this interpreter."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, (
        f"{args}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    )
    return result


def test_every_example_is_run_here() -> None:
    tested = {"quickstart.py", "partitioned_kpis.py", "custom_policy_test.py", "crm_embedding"}
    tested |= {"policy_invariants_test.py"}
    tested |= {"calendars"}  # schedule files, checked in tests/test_calendar_schedules.py
    tested |= {"teams"}  # calendars and teams, read in tests/test_cli_teams.py, test_assignment.py
    tested |= {"policies"}  # the SLA policy file, read in tests/test_sla_policy_file.py
    # its manage.py test runs in tests/contrib_django/test_example_project.py
    tested |= {"django_project"}
    present = {p.name for p in EXAMPLES.iterdir() if not p.name.startswith((".", "_"))}
    assert present - {"README.md"} == tested


def test_quickstart(tmp_path: Path) -> None:
    out = run(str(EXAMPLES / "quickstart.py"), cwd=tmp_path).stdout
    assert "T202603001: 紧急 / 已受理" in out
    assert "first response due 13:50" in out
    assert "refused: ticket 'T202603001' is awaiting visit" in out
    assert "T202603001: 已关闭" in out
    assert "closure rate 100 %" in out
    assert not list(tmp_path.iterdir()), "the quickstart left files behind"


def test_partitioned_kpis(tmp_path: Path) -> None:
    out = run(str(EXAMPLES / "partitioned_kpis.py"), cwd=tmp_path).stdout
    assert "partitioned result == single pass: True" in out


def test_custom_policy_test(tmp_path: Path) -> None:
    out = run(str(EXAMPLES / "custom_policy_test.py"), cwd=tmp_path).stdout
    assert "3 passed" in out


def test_policy_invariants(tmp_path: Path) -> None:
    out = run(str(EXAMPLES / "policy_invariants_test.py"), cwd=tmp_path).stdout
    assert "4 passed" in out


def test_crm_embedding_service(tmp_path: Path) -> None:
    pytest.importorskip("fastapi", reason="the examples extra is not installed")
    args = ("-m", "pytest", "-q", "-p", "no:cacheprovider", "--basetemp", str(tmp_path / "t"))
    out = run(*args, str(EXAMPLES / "crm_embedding"), cwd=tmp_path).stdout
    assert " passed" in out
    assert "failed" not in out
