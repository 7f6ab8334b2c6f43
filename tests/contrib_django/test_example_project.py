"""The example Django project's own tests pass under ``manage.py test`` (Django's DiscoverRunner)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2] / "examples" / "django_project"
SRC = Path(__file__).resolve().parents[2] / "src"


def test_the_example_projects_manage_py_test_passes() -> None:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "manage.py", "test", "--verbosity", "2"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Ran 6 tests" in done.stderr
    assert "OK" in done.stderr.splitlines()[-2:]  # "OK", then "Destroying test database…"
    assert not (PROJECT / "db.sqlite3").exists()  # the test database only, in memory
