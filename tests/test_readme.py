"""The README's example runs as written, and its Quick start commands are well formed."""

from __future__ import annotations

import doctest
import re
import shlex
from pathlib import Path

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_the_embedding_example_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    assert blocks, "README has no python example"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})


def _block(marker: str) -> str:
    pattern = rf"<!-- {marker} -->\n```bash\n(.*?)\n```\n<!-- /{marker} -->"
    section = re.search(pattern, README, flags=re.S)
    assert section is not None, marker
    return section.group(1)


def test_quick_start_has_a_demo_and_a_test_command() -> None:
    for marker, needle in (("demo-command", "aftersales demo"), ("test-command", "pytest")):
        assert needle in _block(marker)
        assert _block(marker).startswith("python3 -m venv .venv && ")


def test_the_demo_command_installs_the_charts_and_the_progress_bar() -> None:
    install = re.search(r"pip install '\.\[([a-z,]+)\]'", _block("demo-command"))
    assert install is not None
    assert {"report", "cli"} <= set(install.group(1).split(","))


def test_the_command_lines_in_the_readme_are_valid() -> None:
    from aftersales.cli import build_parser

    lines = _block("cli-commands").splitlines()
    assert {tuple(line.split()[1:3]) for line in lines} >= {
        ("demo", "--lang"),
        ("report", "daily"),
        ("report", "weekly"),
        ("report", "monthly"),
    }
    for line in lines:
        words = shlex.split(line)
        assert words[0] == "aftersales"
        build_parser().parse_args(words[1:])  # a usage error would exit


DOCS = Path(__file__).parent.parent / "docs"


def test_the_lifecycle_diagram_in_the_docs_is_the_generated_one() -> None:
    from aftersales import TRANSITIONS

    page = (DOCS / "lifecycle.md").read_text(encoding="utf-8")
    diagram = re.search(r"```mermaid\n(.*?)\n```", page, flags=re.S)
    assert diagram is not None
    assert diagram.group(1) == TRANSITIONS.to_mermaid()


def test_python_blocks_in_the_docs_run() -> None:
    """Plain blocks are executed; blocks written as ``>>>`` sessions are checked as doctests.

    The blocks of one page share their names. Only ``python`` fences run; a ``py``
    fence marks a file meant for the reader's own project.
    """
    parser = doctest.DocTestParser()
    ran = 0
    for page in sorted(DOCS.glob("*.md")):
        blocks = re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), flags=re.S)
        namespace: dict[str, object] = {}
        for index, block in enumerate(blocks):
            ran += 1
            if block.lstrip().startswith(">>>"):
                test = parser.get_doctest(block, namespace, f"{page.name}[{index}]", str(page), 0)
                runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
                runner.run(test, clear_globs=False)
                namespace.update(test.globs)  # DocTest works on a copy of the names
                assert runner.failures == 0, f"{page.name} block {index}"
            else:
                exec(compile(block, str(page), "exec"), namespace)
    assert ran > 0
