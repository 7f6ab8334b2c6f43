"""``aftersales sla policy show|load``: the store's SLA policy as a file, and adopting one.

``show`` prints the policy in force (now, or ``--at``) as a policy file
(docs/sla.md, "Policies as data"), headed by a comment naming its version;
with none adopted, the command line's own policies. ``load FILE --from DATE``
reads a policy file strictly, checks that every calendar it names is known
(``china``, ``always``, a calendar stored in the store), and adopts it as the
store's next version from the start of ``DATE`` in ``--tz``. A refused file
changes nothing and exits with status 2, every bad path listed.

Example:
    >>> parser = argparse.ArgumentParser(prog="aftersales")
    >>> actions = parser.add_subparsers(dest="action")
    >>> add_policy_parser(actions)
    >>> args = parser.parse_args(["policy", "load", "p.toml", "--db", "x.db", "--from", "2026-12-01"])
    >>> args.file, args.effective_from, args.note
    ('p.toml', '2026-12-01', None)
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pendulum

from aftersales.cli import _args
from aftersales.cli._calendar import add_calendar_options, calendar_of
from aftersales.cli._commands import _check_store
from aftersales.cli._policy import command_line_document, policy_calendars
from aftersales.sla.policy_file import dump_policy_file, load_policy_file
from aftersales.storage.sqlite import SQLiteStore

__all__ = ["add_policy_parser", "run_policy_load", "run_policy_show"]

_FORMAT = argparse.RawDescriptionHelpFormatter
_STAMP = "YYYY-MM-DD HH:mm"


def add_policy_parser(actions: Any) -> None:
    """Declare ``policy show`` and ``policy load`` on the ``sla`` command's ``actions``."""
    policy = actions.add_parser(
        "policy",
        help="the store's SLA policy as a file, and adopting one",
        description="The SLA policy of an aftersales SQLite store, as a policy file.",
        epilog=(
            "examples:\n"
            "  aftersales sla policy show --db desk.db  # then redirect it to a file\n"
            "  aftersales sla policy load policy.toml --db desk.db --from 2026-12-01"
        ),
        formatter_class=_FORMAT,
    )
    verbs = policy.add_subparsers(dest="verb", required=True, metavar="VERB")
    show = verbs.add_parser(
        "show",
        help="print the policy in force as a policy file",
        description=(
            "Print the store's SLA policy in force (now, or at --at) as a policy file, headed by\n"
            "a comment with its version; with none adopted, the command line's own policies."
        ),
        epilog=(
            "examples:\n"
            "  aftersales sla policy show --db aftersales-demo/aftersales.db\n"
            "  aftersales sla policy show --db desk.db --at 2026-12-01T09:00"
        ),
        formatter_class=_FORMAT,
    )
    show.add_argument("--db", required=True, metavar="FILE", help="the SQLite store")
    show.add_argument(
        "--at",
        type=_args.instant,
        metavar="DATETIME",
        help="the instant whose policy to print, e.g. 2026-12-01T09:00 (default: now)",
    )
    add_calendar_options(show)
    show.set_defaults(run=run_policy_show)
    load = verbs.add_parser(
        "load",
        help="adopt a policy file from a date",
        description=(
            "Read a policy file strictly (every bad path listed; nothing written on a refusal),\n"
            "check that each calendar it names is 'china', 'always' or stored in the store, and\n"
            "adopt it as the store's next version, in force from the start of --from in --tz.\n"
            "Tickets registered from then are judged under it (their history records the\n"
            "version); run 'aftersales projections rebuild' once it is in force."
        ),
        epilog=(
            "examples:\n"
            "  aftersales sla policy load policy.toml --db desk.db --from 2026-12-01\n"
            "  aftersales sla policy load policy.toml --db desk.db --from 2027-01-01"
            ' --note "urgent first response in 20 min"'
        ),
        formatter_class=_FORMAT,
    )
    load.add_argument("file", metavar="FILE", help="the policy file (TOML)")
    load.add_argument("--db", required=True, metavar="FILE", help="the SQLite store")
    load.add_argument(
        "--from",
        dest="effective_from",
        required=True,
        type=_args.day,
        metavar="DATE",
        help="the first day the policy is in force, YYYY-MM-DD (from 00:00 in --tz)",
    )
    load.add_argument(
        "--note", metavar="TEXT", help="why it is adopted, kept with the version (default: none)"
    )
    add_calendar_options(load)
    load.set_defaults(run=run_policy_load)


def run_policy_show(args: argparse.Namespace) -> int:
    """``aftersales sla policy show``: print the policy in force as a file."""
    path = Path(args.db)
    _check_store(path, f"--db {path}")
    at = pendulum.now("UTC") if args.at is None else pendulum.instance(args.at, tz=args.tz)
    store = SQLiteStore(path)
    try:
        found = store.policy_in_force(at)
        if found is None:
            header = "# aftersales SLA policy: none adopted; the command line's own policies"
            document = command_line_document(args, calendar_of(args, store))
        else:
            since = pendulum.instance(found.effective_from).in_timezone(args.tz).format(_STAMP)
            header = f"# aftersales SLA policy: version {found.version}, in force from {since}"
            if found.note:
                header += f" ({' '.join(found.note.split())})"
            document = found.document
    finally:
        store.close()
    print(header)
    print(dump_policy_file(document), end="")
    return 0


def run_policy_load(args: argparse.Namespace) -> int:
    """``aftersales sla policy load``: adopt a policy file from a date; print its version."""
    path = Path(args.db)
    _check_store(path, f"--db {path}")
    document = load_policy_file(Path(args.file))
    year, month, day = (int(part) for part in args.effective_from.split("-"))
    effective_from = pendulum.datetime(year, month, day, tz=args.tz)
    store = SQLiteStore(path)
    try:
        document.build(policy_calendars(args, store))  # every calendar it names is known
        version = store.adopt_policy(document, effective_from, note=args.note or "")
    finally:
        store.close()
    print(
        f"SLA policy version {version} adopted, in force from"
        f" {effective_from.format(_STAMP)} ({args.tz})"
    )
    return 0
