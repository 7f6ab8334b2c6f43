"""The memory adapter's named calendars and teams: two dictionaries behind a lock.

Private: a base of :class:`~aftersales.storage.memory.MemoryStore`, the
reference the SQL stores are held to by the contract suite
(:mod:`aftersales.testing.contracts.teams`).
"""

from __future__ import annotations

import threading

from aftersales.calendar.definitions import CalendarDefinition
from aftersales.errors import NotFound
from aftersales.storage.ports.teams import (
    check_calendar_save,
    check_name,
    check_team_save,
    replacing,
    stored_calendar,
)
from aftersales.teams.team import Team

__all__ = ["MemoryTeams"]


class MemoryTeams:
    """:class:`~aftersales.storage.TeamStore` in memory; thread-safe.

    Example:
        >>> store = MemoryTeams()
        >>> store.save_calendar("热线", CalendarDefinition("Asia/Shanghai", [[("00:00", "24:00")]] * 7))
        >>> store.get_calendar("热线").tz
        'Asia/Shanghai'
    """

    _teams_lock = threading.Lock()

    def _team_tables(self) -> tuple[dict[str, CalendarDefinition], dict[str, Team]]:
        tables: tuple[dict[str, CalendarDefinition], dict[str, Team]] | None = getattr(
            self, "_team_rows", None
        )
        if tables is None:
            with self._teams_lock:
                tables = getattr(self, "_team_rows", None)
                if tables is None:
                    tables = ({}, {})
                    self._team_rows = tables
        return tables

    def save_calendar(
        self, name: str, definition: CalendarDefinition, *, replace: bool = False
    ) -> None:
        """See :meth:`~aftersales.storage.TeamStore.save_calendar`."""
        check_calendar_save(name, definition, replace)
        calendars, _ = self._team_tables()
        with self._teams_lock:
            if replacing(calendars.get(name), definition, name, replace):
                calendars[name] = definition

    def get_calendar(self, name: str) -> CalendarDefinition:
        """See :meth:`~aftersales.storage.TeamStore.get_calendar`."""
        check_name(name, "name")
        calendars, _ = self._team_tables()
        with self._teams_lock:
            found = calendars.get(name)
        if found is None:
            raise NotFound("calendar", name)
        return found

    def find_calendars(self) -> dict[str, CalendarDefinition]:
        """See :meth:`~aftersales.storage.TeamStore.find_calendars`."""
        calendars, _ = self._team_tables()
        with self._teams_lock:
            return {name: calendars[name] for name in sorted(calendars)}

    def save_team(self, team: Team, *, replace: bool = False) -> None:
        """See :meth:`~aftersales.storage.TeamStore.save_team`."""
        check_team_save(team, replace)
        calendars, teams = self._team_tables()
        with self._teams_lock:
            stored_calendar(team, calendars)
            if replacing(teams.get(team.name), team, team.name, replace):
                teams[team.name] = team

    def get_team(self, name: str) -> Team:
        """See :meth:`~aftersales.storage.TeamStore.get_team`."""
        check_name(name, "name")
        _, teams = self._team_tables()
        with self._teams_lock:
            found = teams.get(name)
        if found is None:
            raise NotFound("team", name)
        return found

    def find_teams(self) -> list[Team]:
        """See :meth:`~aftersales.storage.TeamStore.find_teams`."""
        _, teams = self._team_tables()
        with self._teams_lock:
            return [teams[name] for name in sorted(teams)]
