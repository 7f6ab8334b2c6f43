"""``aftersales team define`` and ``aftersales team list``: the teams a store keeps.

``team define FILE --db DB`` reads a team (TOML or JSON: its name, the name of
the calendar it works on, its members with their skills, their absences, a
fallback; see ``docs/teams.md``) and stores it; its calendar must be stored
first (``aftersales calendar define``). ``team list`` prints each stored team:
its calendar, members, absences and fallback.

Example:
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="aftersales")
    >>> add_team_parser(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["team", "define", "team.toml", "--db", "desk.db"])
    >>> args.file, args.replace
    ('team.toml', False)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from aftersales.cli._commands import _check_store
from aftersales.errors import InvalidData
from aftersales.storage.sqlite import SQLiteStore
from aftersales.teams import Team

__all__ = ["add_team_parser", "read_team_file", "run_define", "run_list", "team_line"]

_FORMAT = argparse.RawDescriptionHelpFormatter


def add_team_parser(commands: Any) -> None:
    """Declare ``aftersales team define`` and ``aftersales team list`` on ``commands``."""
    team = commands.add_parser(
        "team",
        help="the store's teams: define one, list them",
        description=(
            "The teams that take tickets: members with their skills and absences, on a named\n"
            "working calendar of the store (aftersales calendar define). File format:\n"
            "docs/teams.md."
        ),
        epilog=(
            "examples:\n"
            "  aftersales team define team-shanghai.toml --db desk.db\n"
            "  aftersales team list --db desk.db"
        ),
        formatter_class=_FORMAT,
    )
    actions = team.add_subparsers(dest="action", required=True, metavar="ACTION")
    define = actions.add_parser(
        "define",
        help="check a team file and store the team",
        description=(
            "Read a team (TOML or JSON), check it (its members, their absences, and that its\n"
            "calendar is stored) and store it under its name. A different team already stored\n"
            "under that name is kept unless --replace."
        ),
        epilog="example:\n  aftersales team define team-guangzhou.toml --db desk.db --replace",
        formatter_class=_FORMAT,
    )
    define.add_argument("file", metavar="FILE", help="the team file (.toml or .json)")
    define.add_argument("--db", required=True, metavar="DB", help="the SQLite store to keep it in")
    define.add_argument(
        "--replace", action="store_true", help="replace a different team of the same name"
    )
    define.set_defaults(run=run_define)
    listing = actions.add_parser(
        "list",
        help="print the teams stored in a store",
        description="Print each team of the store: its calendar, members, absences and fallback.",
        epilog="example:\n  aftersales team list --db desk.db",
        formatter_class=_FORMAT,
    )
    listing.add_argument("--db", required=True, metavar="DB", help="the SQLite store")
    listing.set_defaults(run=run_list)


def read_team_file(path: Path) -> Team:
    """The team a ``.toml`` or ``.json`` file holds (by its suffix; TOML otherwise).

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     file = Path(folder) / "team.json"
        ...     _ = file.write_text('{"name": "热线", "calendar": "热线", "members": [{"name": "王工"}]}',
        ...                         "utf-8")
        ...     read_team_file(file).members[0].name
        '王工'
    """
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            message = f"not JSON ({error}); accepted: a JSON file of a team"
            raise InvalidData(f"{path}: {message}", problems=[(str(path), message)]) from None
        return Team.from_dict(data, where=str(path))
    return Team.from_toml(text, where=str(path))


def run_define(args: argparse.Namespace) -> int:
    """``aftersales team define``: check a team file and store the team."""
    path = Path(args.db)
    _check_store(path, f"--db {path}")
    team = read_team_file(Path(args.file))
    with SQLiteStore(path) as store:
        stored = next((t for t in store.find_teams() if t.name == team.name), None)
        store.save_team(team, replace=args.replace)
    if stored == team:
        print(f"{team.name}: this team is already stored in {path}; nothing changed")
    else:
        verb = "replaced the stored team with" if stored is not None else "stored"
        print(f"{team.name}: {verb} {team_line(team)} in {path}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """``aftersales team list``: one line per team of the store."""
    path = Path(args.db)
    _check_store(path, f"--db {path}")
    with SQLiteStore(path) as store:
        teams = store.find_teams()
    if not teams:
        print(f"no teams in {path}; define one with 'aftersales team define'")
    for team in teams:
        print(f"{team.name}: {team_line(team)}")
    return 0


def team_line(team: Team) -> str:
    """A team in one line: calendar, members (skills, inactive), absences, fallback.

    Example:
        >>> from aftersales.teams import Member
        >>> print(team_line(Team("广州网点", "广州网点",
        ...     [Member("陈工", skills=["product_quality"]), Member("林工", active=False)],
        ...     fallback="值班主管")))
        calendar 广州网点; members 陈工 (product_quality), 林工 (inactive); no absences; fallback 值班主管
    """
    members = []
    for member in team.members:
        notes = sorted(member.skills) + ([] if member.active else ["inactive"])
        members.append(member.name + (f" ({', '.join(notes)})" if notes else ""))
    count = len(team.absences)
    absences = f"{count} absence{'' if count == 1 else 's'}" if count else "no absences"
    parts = [f"calendar {team.calendar}", "members " + ", ".join(members), absences]
    parts.append(f"fallback {team.fallback}" if team.fallback else "no fallback")
    return "; ".join(parts)
