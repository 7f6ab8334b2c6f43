"""``aftersales attributes declare``, ``list`` and ``schema``: a store's custom attributes.

``attributes declare NAME --kind KIND --zh LABEL --en LABEL --db DB`` declares
(or redeclares in its place) one attribute, with ``--choice CODE ZH EN`` for
each value of a choice, and ``--required`` for one new tickets must have;
``attributes list`` prints every declaration, ``attributes schema`` the JSON
Schema of the attributes the store accepts (``--opening``: at intake). See
``docs/custom-attributes.md``.

Example:
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="aftersales")
    >>> add_attributes_parser(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["attributes", "declare", "warranty_type", "--kind", "choice",
    ...     "--zh", "保修类型", "--en", "Warranty type", "--choice", "paid", "保外", "Paid",
    ...     "--db", "desk.db"])
    >>> args.name, args.kind, args.choices
    ('warranty_type', 'choice', [['paid', '保外', 'Paid']])
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from aftersales.cli._commands import _check_store
from aftersales.model.attributes import AttributeDefinition, AttributeKind
from aftersales.schemas.attributes import attributes_schema
from aftersales.storage.sqlite import SQLiteStore

__all__ = ["add_attributes_parser", "definition_line", "run_declare", "run_list", "run_schema"]

_FORMAT = argparse.RawDescriptionHelpFormatter


def add_attributes_parser(commands: Any) -> None:
    """Declare ``aftersales attributes declare|list|schema`` on ``commands``."""
    attributes = commands.add_parser(
        "attributes",
        help="the store's custom attributes: declare one, list them, their schema",
        description=(
            "The company's own fields on tickets (设备序列号, 保修类型 …), declared in the store:\n"
            "commands set them (checked against the declarations), queries find tickets by\n"
            "them, views and exports show them. See docs/custom-attributes.md."
        ),
        epilog=(
            "examples:\n"
            "  aftersales attributes declare serial_number --kind text --zh 设备序列号"
            " --en 'Serial number' --db desk.db\n"
            "  aftersales attributes list --db desk.db"
        ),
        formatter_class=_FORMAT,
    )
    actions = attributes.add_subparsers(dest="action", required=True, metavar="ACTION")
    declare = actions.add_parser(
        "declare",
        help="declare an attribute (or change its declaration)",
        description=(
            "Declare an attribute, or redeclare one in its place. Any change is taken; stored\n"
            "tickets are never rewritten: a value that no longer fits (a choice removed, a kind\n"
            "changed) is shown as a legacy value, and an attribute made required is required\n"
            "on new tickets only."
        ),
        epilog=(
            "example:\n"
            "  aftersales attributes declare warranty_type --kind choice --zh 保修类型"
            " --en Warranty --choice in_warranty 保内 'In warranty' --db desk.db"
        ),
        formatter_class=_FORMAT,
    )
    declare.add_argument("name", metavar="NAME", help="the attribute's name (a–z 0–9 _)")
    declare.add_argument(
        "--kind",
        required=True,
        choices=[kind.value for kind in AttributeKind],
        help="what it holds",
    )
    declare.add_argument("--zh", required=True, metavar="LABEL", help="its Chinese label")
    declare.add_argument("--en", required=True, metavar="LABEL", help="its English label")
    declare.add_argument(
        "--required", action="store_true", help="new tickets must be opened with a value"
    )
    declare.add_argument(
        "--choice",
        dest="choices",
        nargs=3,
        action="append",
        metavar=("CODE", "ZH", "EN"),
        help="a value of a choice or multi_choice attribute (repeat for each)",
    )
    declare.add_argument("--db", required=True, metavar="DB", help="the SQLite store")
    declare.set_defaults(run=run_declare)
    listing = actions.add_parser(
        "list",
        help="print the declared attributes",
        description="Print each declared attribute: name, kind, labels, choices, required.",
        epilog="example:\n  aftersales attributes list --db desk.db",
        formatter_class=_FORMAT,
    )
    listing.add_argument("--db", required=True, metavar="DB", help="the SQLite store")
    listing.set_defaults(run=run_list)
    schema = actions.add_parser(
        "schema",
        help="print the JSON Schema of the attributes the store accepts",
        description=(
            "Print the JSON Schema (draft 2020-12) of the attributes a command may set on this\n"
            "store's tickets, by their declarations; with --opening, at intake."
        ),
        epilog="example:\n  aftersales attributes schema --db desk.db --opening",
        formatter_class=_FORMAT,
    )
    schema.add_argument("--db", required=True, metavar="DB", help="the SQLite store")
    schema.add_argument(
        "--opening", action="store_true", help="at intake: the required attributes must be given"
    )
    schema.set_defaults(run=run_schema)


def definition_line(definition: AttributeDefinition) -> str:
    """One declaration as ``attributes list`` prints it.

    Example:
        >>> print(definition_line(AttributeDefinition("warranty_type", "保修类型", "Warranty type",
        ...     kind="choice", required=True, choices=[("paid", "保外付费", "Paid repair")])))
        warranty_type  choice  保修类型 / Warranty type  required  choices: paid (保外付费 / Paid repair)
    """
    parts = [
        definition.name,
        definition.kind.value,
        f"{definition.label_zh} / {definition.label_en}",
    ]
    if definition.required:
        parts.append("required")
    if definition.choices:
        listed = ", ".join(f"{c.code} ({c.label_zh} / {c.label_en})" for c in definition.choices)
        parts.append(f"choices: {listed}")
    return "  ".join(parts)


def _store(args: argparse.Namespace) -> SQLiteStore:
    path = Path(args.db)
    _check_store(path, f"--db {path}")
    return SQLiteStore(path)


def run_declare(args: argparse.Namespace) -> int:
    """``aftersales attributes declare``: declare one attribute in the store."""
    definition = AttributeDefinition(
        args.name,
        args.zh,
        args.en,
        kind=args.kind,
        required=args.required,
        choices=[tuple(choice) for choice in args.choices or ()],
    )
    with _store(args) as store:
        before = store.attribute_definitions()
        store.declare_attribute(definition)
    if definition.name in before and before.get(definition.name) == definition:
        print(f"{definition.name}: already declared so in {args.db}; nothing changed")
    else:
        verb = "redeclared" if definition.name in before else "declared"
        print(f"{verb} {definition_line(definition)} in {args.db}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """``aftersales attributes list``: print every declaration."""
    with _store(args) as store:
        declared = store.attribute_definitions()
    if not declared:
        print(f"no attribute is declared in {args.db}")
    for definition in declared:
        print(definition_line(definition))
    return 0


def run_schema(args: argparse.Namespace) -> int:
    """``aftersales attributes schema``: print the JSON Schema of the store's attributes."""
    with _store(args) as store:
        declared = store.attribute_definitions()
    print(
        json.dumps(attributes_schema(declared, opening=args.opening), ensure_ascii=False, indent=2)
    )
    return 0
