"""``aftersales db upgrade | current | history``: the schema of a database, migrated with Alembic.

``upgrade`` applies the missing schema steps (all, or up to ``--to N``),
``current`` prints the schema version and the Alembic revision recorded,
``history`` the library's Alembic revisions
(:mod:`aftersales.storage.sqlalchemy.schema_upgrade`). The URL comes from
``--url`` or, so that a password stays out of the process list, from the
environment variable ``AFTERSALES_DATABASE_URL``; it is printed with its
password hidden. A bad URL, another dialect or a server that cannot be
reached ends the command with one line on stderr and status 2.

Example:
    >>> import argparse, os, tempfile
    >>> parser = argparse.ArgumentParser(prog="aftersales")
    >>> add_db_parser(parser.add_subparsers(dest="command"))
    >>> url = "sqlite:///" + os.path.join(tempfile.mkdtemp(), "desk.db")
    >>> args = parser.parse_args(["db", "upgrade", "--url", url, "--to", "2"])
    >>> run_upgrade(args)  # doctest: +ELLIPSIS
    aftersales db upgrade: sqlite:///.../desk.db: schema version 0 → 2 (alembic revision aftersales_0002)
    0
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from aftersales.cli._commands import Refused

__all__ = ["URL_VARIABLE", "add_db_parser", "run_current", "run_history", "run_upgrade"]

#: The environment variable read when ``--url`` is not given.
URL_VARIABLE = "AFTERSALES_DATABASE_URL"

_URL_HELP = (
    "SQLAlchemy URL of the database (default: $AFTERSALES_DATABASE_URL), e.g. sqlite:///desk.db,"
    " postgresql+psycopg://app@db/aftersales, mysql+pymysql://app@db/aftersales?charset=utf8mb4"
)


def add_db_parser(commands: Any) -> None:
    """Declare ``aftersales db`` and its subcommands on the subcommands ``commands``."""
    db = commands.add_parser(
        "db",
        help="upgrade a database's schema with Alembic, show its version",
        description=(
            "The schema of a database for SqlAlchemyStore, migrated with the library's Alembic\n"
            "revisions (docs/storage.md, 'Migrating with Alembic')."
        ),
        epilog=(
            "examples:\n  aftersales db upgrade --url sqlite:///desk.db\n"
            "  AFTERSALES_DATABASE_URL=postgresql+psycopg://app:pw@db/x aftersales db current"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verbs = db.add_subparsers(dest="verb", required=True, metavar="VERB")
    upgrade = verbs.add_parser(
        "upgrade",
        help="apply the missing schema steps",
        description=(
            "Apply the schema steps the database lacks, each in a transaction of its own where\n"
            "the database allows it (SQLite, PostgreSQL), and record them with Alembic."
        ),
        epilog=(
            "examples:\n  aftersales db upgrade --url sqlite:///desk.db\n"
            "  aftersales db upgrade --url postgresql+psycopg://app@db/aftersales --to 12"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    upgrade.add_argument("--url", metavar="URL", help=_URL_HELP)
    upgrade.add_argument(
        "--to", type=int, metavar="N", help="stop at schema version N (default: the latest)"
    )
    upgrade.set_defaults(run=run_upgrade)
    current = verbs.add_parser(
        "current",
        help="print the schema version and Alembic revision",
        description="Print the database's schema version and the Alembic revision recorded.",
        epilog="example:\n  aftersales db current --url sqlite:///desk.db",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    current.add_argument("--url", metavar="URL", help=_URL_HELP)
    current.set_defaults(run=run_current)
    history = verbs.add_parser(
        "history",
        help="list the library's Alembic revisions",
        description="List the library's Alembic revisions, one per schema step, oldest first.",
        epilog="example:\n  aftersales db history",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    history.set_defaults(run=run_history)


def run_upgrade(args: argparse.Namespace) -> int:
    """Upgrade the database of ``args.url``; print the versions before and after."""
    after = _migrations().upgrade(_url(args), to=args.to)
    print(
        f"aftersales db upgrade: {after.database}: schema version {after.upgraded_from} →"
        f" {after.version} (alembic revision {after.revision})"
    )
    return 0


def run_current(args: argparse.Namespace) -> int:
    """Print where the database of ``args.url`` stands.

    Example:
        >>> run_current(argparse.Namespace(url="sqlite://"))
        database: sqlite://
        schema version: 0 (this library's: 19; `aftersales db upgrade` applies 19 steps)
        alembic revision: none (`aftersales db upgrade` adopts the database, no stamp needed)
        0
    """
    print(_migrations().schema_state(_url(args)))
    return 0


def run_history(args: argparse.Namespace) -> int:
    """Print the library's Alembic revisions, oldest first.

    Example:
        >>> run_history(argparse.Namespace())  # doctest: +ELLIPSIS
        aftersales_0001 (base): step 1, tickets and their events
        ...
        aftersales_0019 (aftersales_0018): step 19, the SLA policies adopted: ...
        0
    """
    for revision in _migrations().schema_history():
        print(revision)
    return 0


def _url(args: argparse.Namespace) -> str:
    url = args.url or os.environ.get(URL_VARIABLE)
    if not url:
        raise Refused(
            f"no database given; accepted: --url URL or the environment variable {URL_VARIABLE}"
        )
    return str(url)


def _migrations() -> Any:
    try:
        import alembic  # noqa: F401

        from aftersales.storage.sqlalchemy import schema_upgrade
    except ImportError as missing:
        raise Refused(
            f"aftersales db needs the sqlalchemy extra ({missing.name} is not installed);"
            " accepted: pip install 'aftersales[sqlalchemy]'"
        ) from None
    return schema_upgrade
