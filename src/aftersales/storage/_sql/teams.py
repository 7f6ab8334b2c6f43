"""The SQL adapters' named calendars and teams: the tables ``calendars`` and ``teams``.

Private: :class:`TeamTables` is a base of
:class:`~aftersales.storage._sql.store.SQLStore`. Migration 17 adds
``calendars (name, data, updated_at)`` and ``teams (name, calendar, data,
updated_at)``, one row per name; ``data`` is the JSON of the definition
(:meth:`~aftersales.calendar.CalendarDefinition.to_json`) or of the team
(:meth:`~aftersales.teams.Team.to_json`), what is read back, and
``teams.calendar`` the name of the team's calendar. A save reads the stored
row and inserts, or updates it, in one transaction; a team's calendar is
looked up in the same transaction. ``check_integrity()`` names a row that
cannot be read back under its own name, and a team whose calendar is not stored.
"""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

import pendulum

from aftersales.calendar.definitions import CalendarDefinition
from aftersales.errors import InvalidData, NotFound, StorageError, UnknownValue
from aftersales.storage._sql.integrity import row_name
from aftersales.storage.ports.teams import (
    check_calendar_save,
    check_name,
    check_team_save,
    replacing,
    stored_calendar,
)
from aftersales.teams.team import Team

__all__ = ["TEAMS_VERSION", "TeamTables"]

#: The schema version that brings the tables ``calendars`` and ``teams``.
TEAMS_VERSION = 17


class TeamTables:
    """:class:`~aftersales.storage.TeamStore` on the tables ``calendars`` and ``teams``.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> from aftersales.teams import Member
        >>> store = SQLiteStore(":memory:")
        >>> store.save_calendar("热线", CalendarDefinition("Asia/Shanghai", [[("00:00", "24:00")]] * 7))
        >>> store.save_team(Team("热线", "热线", [Member("王工", skills=["consultation"])]))
        >>> store.get_team("热线").members[0].skills
        frozenset({'consultation'})
    """

    where: str = "store"

    # -- what SQLStore and the dialects provide -----------------------------------------

    def _reading(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _writing(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _sql(self, text: str) -> str:
        raise NotImplementedError

    def _ts(self, value: datetime | None) -> Any:
        raise NotImplementedError

    # -- the port ------------------------------------------------------------------------

    def save_calendar(
        self, name: str, definition: CalendarDefinition, *, replace: bool = False
    ) -> None:
        """See :meth:`~aftersales.storage.TeamStore.save_calendar`; one transaction."""
        check_calendar_save(name, definition, replace)
        with self._writing() as cur:
            cur.execute(self._sql("SELECT data FROM calendars WHERE name = ?"), (name,))
            found = cur.fetchone()
            stored = None if found is None else self._decode_calendar(name, found[0])
            if not replacing(stored, definition, name, replace):
                return
            row = (definition.to_json(), self._ts(pendulum.now("UTC")), name)
            if stored is None:
                cur.execute(
                    self._sql("INSERT INTO calendars (data, updated_at, name) VALUES (?, ?, ?)"),
                    row,
                )
            else:
                cur.execute(
                    self._sql("UPDATE calendars SET data = ?, updated_at = ? WHERE name = ?"), row
                )

    def get_calendar(self, name: str) -> CalendarDefinition:
        """See :meth:`~aftersales.storage.TeamStore.get_calendar`."""
        check_name(name, "name")
        with self._reading() as cur:
            cur.execute(self._sql("SELECT data FROM calendars WHERE name = ?"), (name,))
            found = cur.fetchone()
        if found is None:
            raise NotFound("calendar", name)
        return self._decode_calendar(name, found[0])

    def find_calendars(self) -> dict[str, CalendarDefinition]:
        """See :meth:`~aftersales.storage.TeamStore.find_calendars`."""
        with self._reading() as cur:
            cur.execute("SELECT name, data FROM calendars ORDER BY name")
            rows = cur.fetchall()
        return {name: self._decode_calendar(name, data) for name, data in rows}

    def save_team(self, team: Team, *, replace: bool = False) -> None:
        """See :meth:`~aftersales.storage.TeamStore.save_team`; one transaction."""
        check_team_save(team, replace)
        with self._writing() as cur:
            cur.execute(self._sql("SELECT name FROM calendars WHERE name = ?"), (team.calendar,))
            if cur.fetchone() is None:
                cur.execute("SELECT name FROM calendars ORDER BY name")
                stored_calendar(team, [row[0] for row in cur.fetchall()])
            cur.execute(self._sql("SELECT data FROM teams WHERE name = ?"), (team.name,))
            found = cur.fetchone()
            stored = None if found is None else self._decode_team(team.name, None, found[0])
            if not replacing(stored, team, team.name, replace):
                return
            row = (team.calendar, team.to_json(), self._ts(pendulum.now("UTC")), team.name)
            if stored is None:
                cur.execute(
                    self._sql(
                        "INSERT INTO teams (calendar, data, updated_at, name) VALUES (?, ?, ?, ?)"
                    ),
                    row,
                )
            else:
                cur.execute(
                    self._sql(
                        "UPDATE teams SET calendar = ?, data = ?, updated_at = ? WHERE name = ?"
                    ),
                    row,
                )

    def get_team(self, name: str) -> Team:
        """See :meth:`~aftersales.storage.TeamStore.get_team`."""
        check_name(name, "name")
        with self._reading() as cur:
            cur.execute(self._sql("SELECT calendar, data FROM teams WHERE name = ?"), (name,))
            found = cur.fetchone()
        if found is None:
            raise NotFound("team", name)
        return self._decode_team(name, found[0], found[1])

    def find_teams(self) -> list[Team]:
        """See :meth:`~aftersales.storage.TeamStore.find_teams`."""
        with self._reading() as cur:
            cur.execute("SELECT name, calendar, data FROM teams ORDER BY name")
            rows = cur.fetchall()
        return [self._decode_team(name, calendar, data) for name, calendar, data in rows]

    # -- reading rows ---------------------------------------------------------------------

    def _decode_calendar(self, name: str, data: Any) -> CalendarDefinition:
        """The definition a row holds; ``StorageError`` naming the row when it holds none."""
        where = row_name("calendars", (name,), "name")
        try:
            return CalendarDefinition.from_dict(json.loads(data))
        except (TypeError, ValueError) as error:  # InvalidData is a ValueError
            detail = error if isinstance(error, InvalidData) else f"not JSON ({error})"
            raise StorageError(
                f"{where}: data is not a calendar definition: {detail}; accepted: define it again"
                " (aftersales calendar define NAME FILE --db DB --replace)"
            ) from None

    def _decode_team(self, name: str, calendar: str | None, data: Any) -> Team:
        """The team a row holds; ``StorageError`` naming the row when it holds another."""
        where = row_name("teams", (name,), "name")
        try:
            team = Team.from_dict(json.loads(data))
        except (TypeError, ValueError) as error:
            detail = error if isinstance(error, InvalidData) else f"not JSON ({error})"
            raise StorageError(
                f"{where}: data is not a team: {detail}; accepted: define it again"
                " (aftersales team define FILE --db DB --replace)"
            ) from None
        if team.name != name or (calendar is not None and team.calendar != calendar):
            raise StorageError(
                f"{where}: holds team {team.name!r} on calendar {team.calendar!r};"
                " accepted: the team of the row's own name and calendar"
            )
        return team

    def _team_problems(self) -> list[str]:
        """Each row of ``calendars`` and ``teams`` that cannot be read back, each team without its calendar."""
        with self._reading() as cur:
            cur.execute("SELECT name, data FROM calendars ORDER BY name")
            calendars = cur.fetchall()
            cur.execute("SELECT name, calendar, data FROM teams ORDER BY name")
            teams = cur.fetchall()
        problems: list[str] = []
        for name, data in calendars:
            try:
                self._decode_calendar(name, data)
            except StorageError as error:
                problems.append(str(error))
        names = [row[0] for row in calendars]
        for name, calendar, data in teams:
            try:
                stored_calendar(self._decode_team(name, calendar, data), names)
            except StorageError as error:
                problems.append(str(error))
            except UnknownValue as error:
                problems.append(f"{row_name('teams', (name,), 'name')}: {error}")
        return problems
