"""The import direction of ``src/aftersales``: each layer imports only its own and lower layers.

Layers, lowest first (CONTRIBUTING.md explains them): domain, ports,
adapters, service, entry points. ``aftersales.testing`` sits beside them: it
may import any layer, and no layer imports it. Every import counts: module
level, inside functions and under ``TYPE_CHECKING``. Two exceptions, both
lazy: a package ``__init__`` may name an upper layer's class under
``TYPE_CHECKING`` for the type checker while its ``__getattr__``
(:mod:`aftersales._lazy`) imports it on first use, and a deprecated shim
module (``moved_module``) forwards its names lazily.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"

#: The layer of each module, by the longest matching dotted prefix.
LAYERS: dict[str, int] = {
    "aftersales": 0,
    "aftersales.storage.ports": 1,
    "aftersales.storage.ports.alerts": 1,
    "aftersales.storage.ports.facts": 1,
    "aftersales.storage.save_checks": 1,
    "aftersales.storage": 2,
    "aftersales.contrib": 2,  # a framework's integration: a store on its connection, its admin
    "aftersales.service": 3,
    "aftersales.api": 4,
    "aftersales.cli": 4,
    "aftersales.demo": 4,
    "aftersales.__main__": 4,
    "aftersales.webhooks": 3,
    "aftersales.transfer": 3,
    "aftersales.testing": 5,
}
NAMES = ("domain", "ports", "adapters", "service", "entry points", "testing")
TESTING = 5


def layer_of(module: str) -> int:
    """The layer of a dotted module name."""
    best = max((p for p in LAYERS if module == p or module.startswith(p + ".")), key=len)
    return LAYERS[best]


def _module_name(root: Path, path: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_shim(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and getattr(node.value.func, "id", "") == "moved_module"
        for node in tree.body
    )


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _imports(root: Path, path: Path, tree: ast.Module) -> list[tuple[int, str]]:
    module = _module_name(root, path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, base] if base else parts)
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return [(line, name) for line, name in found if name.split(".")[0] == "aftersales"]


def _is_module(root: Path, name: str) -> bool:
    path = root.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def violations(root: Path) -> list[str]:
    """Every import in ``root/aftersales`` that goes up a layer (or into the testing kit)."""
    problems = []
    for path in sorted((root / "aftersales").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if _is_shim(tree):
            continue
        module = _module_name(root, path)
        mine = layer_of(module)
        is_init = path.name == "__init__.py"
        typing_only = _type_checking_lines(tree) if is_init else set()
        reported: set[int] = set()
        for line, name in _imports(root, path, tree):
            if not _is_module(root, name) or line in typing_only or line in reported:
                continue
            theirs = layer_of(name)
            upward = theirs > mine and not (is_init and name.startswith(module + "."))
            if upward or (theirs == TESTING and mine != TESTING):
                reported.add(line)
                problems.append(
                    f"{path.relative_to(root)}:{line}: {module} ({NAMES[mine]}) imports"
                    f" {name} ({NAMES[theirs]})"
                )
    return problems


def test_every_import_goes_down_the_layers() -> None:
    assert violations(SRC) == []


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("aftersales.model.ticket", "domain"),
        ("aftersales.reports.builders", "domain"),
        ("aftersales.storage.ports", "ports"),
        ("aftersales.storage.sqlite.store", "adapters"),
        ("aftersales.service.desk", "service"),
        ("aftersales.cli.program", "entry points"),
        ("aftersales.testing.contracts.tickets", "testing"),
    ],
)
def test_the_layer_map(module: str, layer: str) -> None:
    assert NAMES[layer_of(module)] == layer


@pytest.mark.parametrize(
    ("where", "line", "expected"),
    [
        ("kpi/facts.py", "from aftersales.storage.sqlite import SQLiteStore", "(adapters)"),
        ("kpi/facts.py", "    from aftersales.service.desk import ServiceDesk", "(service)"),
        ("storage/ports/records.py", "import aftersales.storage.memory", "(adapters)"),
        ("service/desk.py", "from aftersales.cli import main", "(entry points)"),
        ("storage/memory/store.py", "from aftersales.testing import samples", "(testing)"),
        ("kpi/__init__.py", "from aftersales.service import desk", "(service)"),
    ],
)
def test_an_upward_import_is_reported(tmp_path: Path, where: str, line: str, expected: str) -> None:
    """The check is not vacuous: one upward import planted in a copy of the tree is found."""
    copy = tmp_path / "src"
    shutil.copytree(SRC / "aftersales", copy / "aftersales")
    target = copy / "aftersales" / where
    text = target.read_text(encoding="utf-8")
    body = f"def _planted() -> None:\n{line}\n" if line.startswith("    ") else f"{line}\n"
    target.write_text(text + "\n" + body, encoding="utf-8")
    found = violations(copy)
    assert len(found) == 1
    assert expected in found[0]


# -- module size and import cycles ----------------------------------------------------------

MAX_LINES = 600


def test_no_module_is_over_600_lines() -> None:
    sizes = {
        str(path.relative_to(SRC)): len(path.read_text(encoding="utf-8").splitlines())
        for path in (SRC / "aftersales").rglob("*.py")
    }
    assert {name: size for name, size in sizes.items() if size > MAX_LINES} == {}


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module → the modules it imports (package ``__init__`` re-exports left out)."""
    graph: dict[str, set[str]] = {}
    for path in (root / "aftersales").rglob("*.py"):
        if path.name == "__init__.py":
            continue
        module = _module_name(root, path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[module] = {
            name
            for _, name in _imports(root, path, tree)
            if name != module and root.joinpath(*name.split(".")).with_suffix(".py").exists()
        }
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle() -> None:
    assert cycles(import_graph(SRC)) == []


def test_a_deferred_import_cycle_is_found(tmp_path: Path) -> None:
    """A cycle closed by an import inside a function counts as a cycle."""
    copy = tmp_path / "src"
    shutil.copytree(SRC / "aftersales", copy / "aftersales")
    target = copy / "aftersales" / "model" / "customer.py"
    planted = "\n\ndef _planted() -> None:\n    from aftersales.model.ticket import Ticket\n"
    target.write_text(target.read_text(encoding="utf-8") + planted, encoding="utf-8")
    found = cycles(import_graph(copy))
    assert any({"aftersales.model.customer", "aftersales.model.ticket"} <= set(c) for c in found)
