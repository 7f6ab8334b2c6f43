"""``aftersales subscribe``: run a named subscription of a store's event feed with the host's handler.

:func:`add_subscribe_parser` declares the command; :func:`run_subscribe`
runs it. ``--handler module:function`` names the host's
``function(position, event)``, imported from the Python path; the
subscription (:class:`~aftersales.service.subscriptions.Subscription`)
feeds it every event after its checkpoint, at least once, retrying a failing
call with growing pauses and parking an event that keeps failing. It runs
until interrupted (Ctrl-C or SIGTERM end it after the current event), or with
``--once`` until nothing is left. ``--dead-letters`` lists the parked events,
``--replay POSITION`` delivers one again, ``--discard POSITION`` forgets one.
``--db`` names a SQLite file, ``--dsn`` a PostgreSQL database (woken by
``NOTIFY`` instead of polling).

Example:
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="aftersales")
    >>> add_subscribe_parser(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["subscribe", "--db", "x.db", "--name", "mail",
    ...     "--handler", "myapp.notify:send", "--once"])
    >>> args.name, args.handler, args.once, args.batch
    ('mail', 'myapp.notify:send', True, 100)
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

from aftersales.cli._commands import Refused, _check_store
from aftersales.service.subscriptions import Retry, Subscription
from aftersales.storage.sqlite import SQLiteStore

__all__ = ["add_subscribe_parser", "load_handler", "run_subscribe"]

_FORMAT = argparse.RawDescriptionHelpFormatter


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= 86_400:
        raise argparse.ArgumentTypeError(f"{text!r}: accepted: more than 0, at most 86400")
    return value


def _count(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 10_000:
        raise argparse.ArgumentTypeError(f"{text!r}: accepted: an integer from 1 to 10000")
    return int(text)


def add_subscribe_parser(commands: Any) -> None:
    """Declare ``aftersales subscribe`` on the subcommands ``commands``."""
    sub = commands.add_parser(
        "subscribe",
        help="feed a store's events to a handler, at least once, from a checkpoint",
        description=(
            "Run the subscription NAME of a store's event feed: call the handler with every\n"
            "event after the subscription's checkpoint, move the checkpoint once it returned,\n"
            "retry a failing call with growing pauses, and park an event that keeps failing\n"
            "(see --dead-letters). Copies running at once take turns: one holds the lease.\n"
            "Ctrl-C or SIGTERM stops it after the current event (docs/feed.md)."
        ),
        epilog=(
            "examples:\n"
            "  aftersales subscribe --db desk.db --name sla-mail --handler myapp.mail:send\n"
            "  aftersales subscribe --db desk.db --name bi --handler myapp.bi:load --once\n"
            "  aftersales subscribe --db desk.db --name sla-mail --dead-letters\n"
            "  aftersales subscribe --db desk.db --name sla-mail --handler myapp.mail:send"
            " --replay 1042"
        ),
        formatter_class=_FORMAT,
    )
    where = sub.add_mutually_exclusive_group(required=True)
    where.add_argument("--db", metavar="FILE", help="the SQLite store")
    where.add_argument("--dsn", metavar="DSN", help="a PostgreSQL store ('postgres' extra)")
    sub.add_argument("--name", required=True, help="the subscription's name (an id)")
    sub.add_argument(
        "--handler", metavar="MODULE:FUNCTION", help="the host's function(position, event)"
    )
    sub.add_argument(
        "--owner",
        metavar="ID",
        help="this copy's name on the lease: a copy restarted under the same name takes its"
        " lease back at once (default: host, process id and a random part)",
    )
    sub.add_argument(
        "--batch",
        type=_count,
        default=100,
        metavar="N",
        help="events per read (default: %(default)s)",
    )
    sub.add_argument("--once", action="store_true", help="stop when nothing is left")
    sub.add_argument(
        "--poll",
        type=_positive,
        default=1.0,
        metavar="SECONDS",
        help="seconds to wait when idle (default: %(default)s)",
    )
    sub.add_argument(
        "--lease",
        type=_positive,
        default=30.0,
        metavar="SECONDS",
        help="seconds a lease lasts unrenewed (default: %(default)s)",
    )
    sub.add_argument(
        "--attempts",
        type=_count,
        default=5,
        metavar="N",
        help="calls before an event is parked (default: %(default)s)",
    )
    sub.add_argument(
        "--base-delay",
        type=_positive,
        default=1.0,
        metavar="SECONDS",
        help="pause after the first failure, doubled after each (default: %(default)s)",
    )
    sub.add_argument(
        "--max-delay",
        type=_positive,
        default=300.0,
        metavar="SECONDS",
        help="longest pause (default: %(default)s)",
    )
    actions = sub.add_mutually_exclusive_group()
    actions.add_argument("--dead-letters", action="store_true", help="list the parked events")
    actions.add_argument("--replay", type=int, metavar="POSITION", help="deliver one again")
    actions.add_argument("--discard", type=int, metavar="POSITION", help="forget a parked event")
    sub.set_defaults(run=run_subscribe)


def load_handler(spec: str) -> Any:
    """The function named ``module:function``, imported; ``Refused`` naming what is wrong.

    Example:
        >>> load_handler("os.path:basename")("/tmp/x.db")
        'x.db'
        >>> load_handler("os.path")
        Traceback (most recent call last):
        ...
        aftersales.cli._commands.Refused: --handler 'os.path': accepted: MODULE:FUNCTION, e.g. myapp.notify:send
    """
    module_name, _, function_name = spec.partition(":")
    if not module_name or not function_name:
        raise Refused(f"--handler {spec!r}: accepted: MODULE:FUNCTION, e.g. myapp.notify:send")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise Refused(f"--handler {spec!r}: cannot import {module_name!r}: {error}") from None
    function = getattr(module, function_name, None)
    if not callable(function):
        raise Refused(f"--handler {spec!r}: {module_name} has no function {function_name!r}")
    return function


def _open(args: argparse.Namespace) -> Any:
    if args.db is not None:
        _check_store(Path(args.db), f"--db {args.db}")
        return SQLiteStore(args.db)
    from aftersales.storage.postgres import PostgresStore

    return PostgresStore(args.dsn, max_size=2)


def run_subscribe(args: argparse.Namespace) -> int:
    """``aftersales subscribe``: run the subscription, or list, replay or discard a dead letter."""
    if args.handler is None and not (args.dead_letters or args.discard is not None):
        raise Refused("--handler MODULE:FUNCTION is required to deliver events")
    handler = None if args.handler is None else load_handler(args.handler)
    store = _open(args)
    try:
        if args.dead_letters:
            for letter in store.dead_letters(args.name):
                parked = letter.parked_at.format("YYYY-MM-DD HH:mm:ss")
                print(f"{letter.position}\t{letter.attempts} attempts\t{parked}\t{letter.error}")
            return 0
        if args.discard is not None:
            store.discard(args.name, args.discard)
            print(f"dead letter {args.discard} of {args.name} discarded")
            return 0
        if handler is None:
            raise Refused("--handler MODULE:FUNCTION is required to deliver events")
        subscription = Subscription(
            store,
            args.name,
            handler,
            batch=args.batch,
            lease=timedelta(seconds=args.lease),
            retry=Retry(
                args.attempts,
                timedelta(seconds=args.base_delay),
                timedelta(seconds=args.max_delay),
            ),
            poll_interval=args.poll,
            owner=args.owner,
        )
        if args.replay is not None:
            subscription.replay(args.replay)
            print(f"dead letter {args.replay} of {args.name} delivered")
            return 0
        stop = threading.Event()
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            done = subscription.run(until_idle=args.once, stop=stop)
        finally:
            signal.signal(signal.SIGTERM, previous)
        print(
            f"{done} events done; checkpoint {store.checkpoint(args.name)}"
            f" of {store.feed_head()}; {len(store.dead_letters(args.name))} dead letters",
            file=sys.stderr if not args.once else sys.stdout,
        )
    finally:
        store.close()
    return 0
