"""``aftersales serve --db FILE``: the HTTP API (the ``api`` extra) on a SQLite store, with uvicorn.

The app is :func:`aftersales.api.create_app` over a desk on the store, with
the default SLA policy on the calendar the calendar options name and the
priority levels (and default priority) the priority options name. With
``--token`` (or the environment variable ``AFTERSALES_API_TOKEN``, which keeps
the token out of the process list) every request must carry
``Authorization: Bearer <token>`` and may run commands, recorded as by
``--operator`` (default ``api``); without one the API is read-only. Contacts
stay masked: a standalone server has no access policy, so every reveal is
refused. A database that does not exist yet is created. FastAPI and uvicorn
are imported only here, when the command runs; without them the command
ends with one line naming the extra to install.

Example:
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="aftersales")
    >>> add_serve_parser(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["serve", "--db", "x.db", "--port", "0"])
    >>> args.host, args.port, args.operator
    ('127.0.0.1', 0, 'api')
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from aftersales.cli._calendar import add_calendar_options, calendar_of
from aftersales.cli._commands import Refused, _check_store
from aftersales.cli._policy import store_policy
from aftersales.cli._priority_options import add_priority_options, priority_desk
from aftersales.storage.sqlite import SQLiteStore

__all__ = ["TOKEN_VARIABLE", "add_serve_parser", "port_number", "run_serve", "serve_app"]

#: The environment variable read when ``--token`` is not given.
TOKEN_VARIABLE = "AFTERSALES_API_TOKEN"


def port_number(value: str) -> int:
    """A TCP port, 0 (any free port) to 65535.

    Example:
        >>> port_number("8000")
        8000
        >>> port_number("http")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: 'http' is not a port; accepted: an integer from 0 to 65535, e.g. 8000
    """
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a port; accepted: an integer from 0 to 65535, e.g. 8000"
        )
    return int(value)


def add_serve_parser(commands: Any) -> None:
    """Declare ``aftersales serve`` on the subcommands ``commands``."""
    serve = commands.add_parser(
        "serve",
        help="run the HTTP API (the api extra) on a store",
        description=(
            "Serve the HTTP API for front ends (docs/api-http.md) on an aftersales SQLite store:\n"
            "tickets, commands, the SLA worklist, reports, the event feed and knowledge search.\n"
            "With --token (or AFTERSALES_API_TOKEN) requests need 'Authorization: Bearer TOKEN'\n"
            "and may run commands; without it the API is read-only. Needs the api extra:\n"
            "pip install 'aftersales[api]'."
        ),
        epilog=(
            "examples:\n"
            "  aftersales serve --db aftersales-demo/aftersales.db\n"
            "  AFTERSALES_API_TOKEN=s3cret aftersales serve --db desk.db --host 0.0.0.0 --port 8080"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument(
        "--db", required=True, metavar="FILE", help="the SQLite store (created when missing)"
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    serve.add_argument(
        "--port",
        type=port_number,
        default=8000,
        help="port, 0 for any free one (default: %(default)s)",
    )
    serve.add_argument(
        "--token",
        help=f"bearer token every request must carry (default: ${TOKEN_VARIABLE}; none: read-only)",
    )
    serve.add_argument(
        "--operator",
        default="api",
        help="the operator recorded as 'by' of the commands run with the token (default: %(default)s)",
    )
    serve.add_argument(
        "--log-level",
        choices=("critical", "error", "warning", "info", "debug"),
        default="info",
        help="uvicorn's log level (default: %(default)s)",
    )
    add_calendar_options(serve)
    add_priority_options(serve)
    serve.set_defaults(run=run_serve)


def serve_app(args: argparse.Namespace, store: SQLiteStore) -> Any:
    """The FastAPI app ``aftersales serve`` runs on ``store``, from the parsed ``args``."""
    from aftersales.api import bearer_token, create_app

    calendar = calendar_of(args, store)
    desk = priority_desk(args, store, store_policy(args, store))
    token = args.token if args.token is not None else os.environ.get(TOKEN_VARIABLE)
    auth = None if not token else bearer_token(token, name=args.operator)
    return create_app(desk, auth=auth, calendar=calendar)


def run_serve(args: argparse.Namespace) -> int:
    """``aftersales serve``: run the API until interrupted; return the exit status."""
    try:
        import fastapi  # noqa: F401
        import uvicorn
    except ImportError as missing:
        raise Refused(
            f"aftersales serve needs the api extra ({missing.name} is not installed);"
            " accepted: pip install 'aftersales[api]'"
        ) from None
    path = Path(args.db)
    if path.exists():
        _check_store(path, f"--db {path}")
    store = SQLiteStore(path)
    try:
        app = serve_app(args, store)
        writes = "read-write with the bearer token" if _has_token(args) else "read-only"
        print(f"aftersales serve: {path} ({writes})", file=sys.stderr, flush=True)
        uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    finally:
        store.close()
    return 0


def _has_token(args: argparse.Namespace) -> bool:
    """Whether the server runs with a token (from ``--token`` or the environment)."""
    return bool(args.token if args.token is not None else os.environ.get(TOKEN_VARIABLE))
