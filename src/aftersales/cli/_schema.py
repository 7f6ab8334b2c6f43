"""``aftersales schema --out DIR``: write the JSON Schemas of every command payload, event and view.

One file per schema, at its name's path (``DIR/commands/propose_solution.json``,
``DIR/events/ticket_opened.json``, ``DIR/views/ticket_view.json``), and
``DIR/index.json`` mapping each name to its ``$id`` and file. The schemas come
from :func:`aftersales.schemas.schema_catalog` over the desk's command table.

Example:
    >>> import json, pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="aftersales")
    >>> add_schema_parser(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["schema", "--out", str(folder)])
    >>> run_schema(args)  # doctest: +ELLIPSIS
    aftersales schema: wrote ... schemas into ...
    0
    >>> json.loads((folder / "index.json").read_text())["views/ticket_view"]["file"]
    'views/ticket_view.json'
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from aftersales.schemas import schema_catalog
from aftersales.service.commands import COMMANDS

__all__ = ["add_schema_parser", "run_schema"]


def add_schema_parser(commands: Any) -> None:
    """Declare ``aftersales schema`` on the subcommands ``commands``."""
    schema = commands.add_parser(
        "schema",
        help="write the JSON Schemas of command payloads, events and views",
        description=(
            "Write the JSON Schemas (draft 2020-12) of every command payload, every event's\n"
            "stored form and every public view, one file each, with an index.json (docs/json.md)."
        ),
        epilog="example:\n  aftersales schema --out schemas/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    schema.add_argument(
        "--out", required=True, metavar="DIR", help="folder to write into, created when missing"
    )
    schema.set_defaults(run=run_schema)


def run_schema(args: argparse.Namespace) -> int:
    """Write the schemas into ``args.out``; return the exit status."""
    out = Path(args.out)
    catalog = schema_catalog(COMMANDS)
    index = {}
    for name, schema in catalog.items():
        path = out / f"{name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        index[name] = {"$id": schema["$id"], "file": f"{name}.json"}
    (out / "index.json").write_text(
        json.dumps(index, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(f"aftersales schema: wrote {len(catalog)} schemas into {out}/ (index: index.json)")
    return 0
