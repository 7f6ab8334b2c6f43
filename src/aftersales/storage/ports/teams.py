"""Storage port of the named working calendars and the teams a store keeps.

Part of :mod:`aftersales.storage.ports` (imports the domain only). A company
defines its calendars once (``aftersales calendar define NAME FILE.toml --db
DB``) and every process on the store builds them from there; each
:class:`~aftersales.teams.Team` names the calendar it works on, which must be
stored first. Names are texts of 1–191 characters; one definition per
calendar name and one team per team name. The checks here are the ones every
adapter runs before reading or writing.

Example:
    >>> from aftersales.storage import MemoryStore, SQLiteStore
    >>> isinstance(MemoryStore(), TeamStore), isinstance(SQLiteStore(":memory:"), TeamStore)
    (True, True)
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol, TypeVar, runtime_checkable

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.calendar.definitions import CalendarDefinition
from aftersales.errors import InvalidData, UnknownValue
from aftersales.teams.team import Team

__all__ = [
    "TeamStore",
    "check_calendar_save",
    "check_name",
    "check_team_save",
    "replacing",
    "stored_calendar",
]

T = TypeVar("T", CalendarDefinition, Team)


@runtime_checkable
class TeamStore(Protocol):
    """Named :class:`~aftersales.calendar.CalendarDefinition` s and :class:`~aftersales.teams.Team` s.

    Example:
        >>> from aftersales.calendar import CalendarDefinition
        >>> from aftersales.storage import MemoryStore
        >>> from aftersales.teams import Member, Team
        >>> store = MemoryStore()
        >>> store.save_calendar("热线", CalendarDefinition("Asia/Shanghai", [[("00:00", "24:00")]] * 7))
        >>> store.save_team(Team("热线", "热线", [Member("王工")]))
        >>> [t.name for t in store.find_teams()], list(store.find_calendars())
        (['热线'], ['热线'])
    """

    def save_calendar(
        self, name: str, definition: CalendarDefinition, *, replace: bool = False
    ) -> None:
        """Keep ``definition`` under ``name``.

        Saving an equal definition again changes nothing; a different one
        under a stored name raises :class:`~aftersales.errors.InvalidData`
        unless ``replace`` (then it takes the stored one's place; the teams
        on it work on the new one). ``InvalidData`` for a bad name, anything
        but a definition, or a ``replace`` that is not a ``bool``. Nothing is
        written on an error.
        """
        ...

    def get_calendar(self, name: str) -> CalendarDefinition:
        """The definition stored under ``name``; :class:`~aftersales.errors.NotFound` when none is."""
        ...

    def find_calendars(self) -> dict[str, CalendarDefinition]:
        """Every stored definition by its name, in name order."""
        ...

    def save_team(self, team: Team, *, replace: bool = False) -> None:
        """Keep ``team`` under its name.

        Its calendar must be stored: :class:`~aftersales.errors.UnknownValue`
        listing the stored calendars otherwise. Saving an equal team again
        changes nothing; a different one under a stored name raises
        ``InvalidData`` unless ``replace``. Nothing is written on an error.
        """
        ...

    def get_team(self, name: str) -> Team:
        """The team called ``name``; :class:`~aftersales.errors.NotFound` when none is."""
        ...

    def find_teams(self) -> list[Team]:
        """Every stored team, in name order."""
        ...


def check_name(name: object, what: str) -> str:
    """A calendar's or team's name as the store keys it: a text of 1–191 characters, no edge spaces.

    Example:
        >>> check_name(" 热线", "calendar")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: calendar: ' 热线' is not a name; accepted: a text of 1–191 characters without leading or trailing spaces
    """
    if (
        not isinstance(name, str)
        or not name.strip()
        or len(name) > check.MAX_KEY_TEXT
        or name != name.strip()
        or "\x00" in name
        or any("\ud800" <= c <= "\udfff" for c in name)
    ):
        message = (
            f"{shown(name)} is not a name; accepted: a text of 1–{check.MAX_KEY_TEXT} characters"
            " without leading or trailing spaces"
        )
        raise InvalidData(f"{what}: {message}", problems=[(what, message)])
    return name


def _check_replace(replace: object, problems: list[tuple[str, str]]) -> None:
    if not isinstance(replace, bool):
        problems.append(("replace", f"{shown(replace)} is not a bool; accepted: True or False"))


def check_calendar_save(name: object, definition: object, replace: object) -> None:
    """The checks of ``save_calendar``'s arguments every adapter runs before writing.

    Example:
        >>> check_calendar_save("热线", "hotline.toml", False)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: definition: str is not a CalendarDefinition; accepted: one, e.g. CalendarDefinition.from_toml(text)
    """
    problems: list[tuple[str, str]] = []
    try:
        check_name(name, "name")
    except InvalidData as error:
        problems += error.problems
    if not isinstance(definition, CalendarDefinition):
        problems.append(
            (
                "definition",
                f"{type(definition).__name__} is not a CalendarDefinition; accepted: one, e.g."
                " CalendarDefinition.from_toml(text)",
            )
        )
    _check_replace(replace, problems)
    if problems:
        raise InvalidData.from_problems(problems)


def check_team_save(team: object, replace: object) -> None:
    """The checks of ``save_team``'s arguments every adapter runs before reading or writing.

    Example:
        >>> check_team_save({"name": "热线"}, "yes")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: 2 invalid values:
          team: dict is not a Team; accepted: one, e.g. Team.from_toml(text)
          replace: 'yes' is not a bool; accepted: True or False
    """
    problems: list[tuple[str, str]] = []
    if not isinstance(team, Team):
        problems.append(
            (
                "team",
                f"{type(team).__name__} is not a Team; accepted: one, e.g. Team.from_toml(text)",
            )
        )
    _check_replace(replace, problems)
    if problems:
        raise InvalidData.from_problems(problems)


def stored_calendar(team: Team, calendars: Collection[str]) -> None:
    """Refuse ``team`` when its calendar is not among the stored ``calendars``.

    Example:
        >>> from aftersales.teams import Member
        >>> stored_calendar(Team("热线", "24x7", [Member("王工")]), ["上海总部"])
        Traceback (most recent call last):
        ...
        aftersales.errors.UnknownValue: team.calendar: '24x7' is not a known value; accepted: '上海总部'
    """
    if team.calendar not in calendars:
        raise UnknownValue("team.calendar", team.calendar, sorted(calendars))


def replacing(stored: T | None, new: T, name: str, replace: bool) -> bool:
    """Whether ``new`` must be written over ``stored``; ``InvalidData`` when it may not be.

    Example:
        >>> a = CalendarDefinition("UTC", {"mon": [("09:00", "17:00")]})
        >>> b = CalendarDefinition("UTC", {"tue": [("09:00", "17:00")]})
        >>> replacing(None, a, "x", False), replacing(a, a, "x", False), replacing(a, b, "x", True)
        (True, False, True)
        >>> replacing(a, b, "x", False)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: calendar: another definition is stored under 'x'; accepted: the stored one again, or replace=True (--replace on the command line) to take its place
    """
    if stored is None:
        return True
    if stored == new:
        return False
    if replace:
        return True
    what = "calendar" if isinstance(new, CalendarDefinition) else "team"
    kind = "definition" if what == "calendar" else "team"
    message = (
        f"another {kind} is stored under {shown(name)}; accepted: the stored one again, or"
        " replace=True"
        " (--replace on the command line) to take its place"
    )
    raise InvalidData(f"{what}: {message}", problems=[(what, message)])
