"""The documentation site builds with warnings as errors, and what it shows is checked.

* ``mkdocs build --strict`` (MkDocs + Material + mkdocstrings) into a temporary
  directory: every page in the nav, every link and anchor resolved, the API
  reference rendered from the docstrings;
* the python blocks of the pages in ``docs/`` subfolders run
  (``tests/test_readme.py`` runs those directly in ``docs/``), with the same rules;
* the sample monthly report is what ``docs/_generators/report_sample.py`` generates;
* the storage adapter of the how-to passes the contract suite.
"""

from __future__ import annotations

import doctest
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from aftersales.testing.contracts import TicketStoreContract

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
NESTED = sorted(p for p in DOCS.glob("*/**/*.md") if not p.parent.name.startswith("_"))


def run_blocks(page: Path) -> dict[str, Any]:
    """Run a page's ``python`` blocks as ``tests/test_readme.py`` does; return their names."""
    parser = doctest.DocTestParser()
    namespace: dict[str, Any] = {}
    blocks = re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), flags=re.S)
    for index, block in enumerate(blocks):
        if block.lstrip().startswith(">>>"):
            test = parser.get_doctest(block, namespace, f"{page.name}[{index}]", str(page), 0)
            runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
            runner.run(test, clear_globs=False)
            namespace.update(test.globs)
            assert runner.failures == 0, f"{page} block {index}"
        else:
            exec(compile(block, str(page), "exec", dont_inherit=True), namespace)
    return namespace


def test_mkdocs_build_strict(tmp_path: Path) -> None:
    mkdocs = shutil.which("mkdocs", path=str(Path(sys.executable).parent))
    if mkdocs is None and importlib.util.find_spec("mkdocs") is None:
        pytest.skip("mkdocs is not installed (the docs extra, part of all)")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", **dict(__import__("os").environ)},
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "site"
    api = (site / "api" / "sla" / "index.html").read_text(encoding="utf-8")
    assert "SlaPolicy" in api
    assert "&gt;&gt;&gt;" in api  # the docstrings' examples, rendered as code
    assert (site / "report-sample.html").exists()
    assert 'class="mermaid"' in (site / "lifecycle" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", NESTED, ids=[str(p.relative_to(DOCS)) for p in NESTED])
def test_python_blocks_in_nested_pages_run(page: Path) -> None:
    run_blocks(page)


def test_every_page_has_python_or_is_reference() -> None:
    assert {p.parent.name for p in NESTED} == {"api", "howto", "zh"}
    for page in NESTED:
        text = page.read_text(encoding="utf-8")
        assert ("```python" in text) or (page.parent.name == "api"), page


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "report_sample", DOCS / "_generators" / "report_sample.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_sample_report_is_current() -> None:
    generated = load_generator().render()
    committed = (DOCS / "report-sample.md").read_text(encoding="utf-8")
    assert committed == generated["report-sample.md"], (
        "docs/report-sample.md is stale: run python docs/_generators/report_sample.py"
    )
    page = (DOCS / "report-sample.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") or page.lstrip().startswith("<")
    assert "售后服务月报 2026-11" in page


_ADAPTER = run_blocks(DOCS / "howto" / "storage-adapter.md")["DocumentTicketStore"]


class TestTheHowtoAdapterPassesTheContract(TicketStoreContract):
    hypothesis_examples = 10

    def make_store(self) -> Any:
        return _ADAPTER()


def load_pictures() -> object:
    spec = importlib.util.spec_from_file_location(
        "sla_pictures", DOCS / "_generators" / "sla_pictures.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_sla_pictures_are_current_and_show_the_worked_examples() -> None:
    pictures = load_pictures().render()  # type: ignore[attr-defined]
    for name, svg in pictures.items():
        committed = (DOCS / "img" / name).read_text(encoding="utf-8")
        assert committed == svg + "\n", (
            f"docs/img/{name} is stale: run docs/_generators/sla_pictures.py"
        )
    # Facts of the worked examples, computed by hand in docs/sla.md and docs/sla-examples.md.
    lunch = pictures["sla-lunch.svg"]
    assert "breached · 0h40m / 0h30m" in lunch
    assert "due 03-02 13:50" in lunch
    assert "warning 1: 03-02 13:35" in lunch
    assert "warning 2: 03-02 13:44" in lunch
    pause = pictures["sla-pause.svg"]
    assert "running · 13h00m / 24h00m" in pause
    assert "due 10-12 09:30" in pause
    assert "到期 10-10 18:00" in pictures["sla-return-visit.svg"]
    assert "国庆节" in pictures["sla-return-visit.svg"]
