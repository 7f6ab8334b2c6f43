"""The distribution: ``python -m build`` makes a wheel and an sdist; the wheel installs and imports.

Builds with the ``build`` front end (isolated build environment, hatchling from
the package index), installs the wheel into a fresh ``python -m venv`` with
pip (dependencies from the index) and imports ``aftersales`` there.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from aftersales.storage._sql.schema import STEPS

ROOT = Path(__file__).parent.parent
VERSION = re.search(
    r'__version__ = "([^"]+)"', (ROOT / "src" / "aftersales" / "_version.py").read_text()
)


def run(*args: str | Path, cwd: Path) -> str:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=240, check=False
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if importlib.util.find_spec("build") is None:
        pytest.skip("the build front end is not installed (it is in the test extra)")
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", out, ROOT, cwd=out)
    return out


def test_version_is_declared() -> None:
    assert VERSION is not None


def test_wheel_contents(dist: Path) -> None:
    assert VERSION is not None
    (wheel,) = dist.glob("*.whl")
    assert wheel.name == f"aftersales-{VERSION.group(1)}-py3-none-any.whl"
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "aftersales/py.typed" in names
    assert "aftersales/testing/strategies/__init__.py" in names
    assert {
        "aftersales/reports/templates/page.html.j2",
        "aftersales/reports/templates/page.md.j2",
    } <= names
    migrations = "aftersales/storage/sqlalchemy/alembic/"  # the Alembic environment, every step
    assert {f"{migrations}env.py", f"{migrations}script.py.mako"} <= names
    assert len([n for n in names if n.startswith(f"{migrations}versions/aftersales_")]) == len(
        STEPS
    )
    assert not any(n.startswith(("tests/", "docs/", "examples/")) for n in names)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "aftersales = aftersales.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_sdist_contains_the_tests_and_docs(dist: Path) -> None:
    assert VERSION is not None
    (sdist,) = dist.glob("*.tar.gz")
    assert sdist.name == f"aftersales-{VERSION.group(1)}.tar.gz"
    prefix = f"aftersales-{VERSION.group(1)}/"
    with tarfile.open(sdist) as archive:
        names = {n.removeprefix(prefix) for n in archive.getnames()}
    assert not any(n.startswith((".venv/", "site/", ".hypothesis/")) for n in names)
    for required in (
        "pyproject.toml",
        "README.md",
        "src/aftersales/py.typed",
        "tests/test_readme.py",
        "tests/test_packaging.py",
        "docs/lifecycle.md",
        "docs/howto/fastapi.md",
        "mkdocs.yml",
        "examples/quickstart.py",
    ):
        assert required in names, required


def test_the_wheel_installs_into_a_fresh_venv(dist: Path, tmp_path: Path) -> None:
    assert VERSION is not None
    (wheel,) = dist.glob("*.whl")
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    run(python, "-m", "pip", "install", "-q", "--disable-pip-version-check", wheel, cwd=tmp_path)
    code = (
        "import aftersales, pathlib; "
        "print(aftersales.__version__); "
        "print((pathlib.Path(aftersales.__file__).parent / 'py.typed').is_file()); "
        "print(aftersales.Priority.URGENT.label_zh)"
    )
    out = run(python, "-c", code, cwd=tmp_path).split()
    assert out == [VERSION.group(1), "True", "紧急"]
    assert "aftersales" in run(venv / "bin" / "aftersales", "--help", cwd=tmp_path)
