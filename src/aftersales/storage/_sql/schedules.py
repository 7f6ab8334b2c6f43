"""The SQL adapters' official holiday schedules: the table ``calendar_schedules``.

Private: :class:`ScheduleTables` is a base of
:class:`~aftersales.storage._sql.store.SQLStore`. Migration 9 adds
``calendar_schedules (country, year, data, loaded_at)``, one row per country
and year, ``data`` the schedule's JSON
(:meth:`~aftersales.calendar.OfficialSchedule.to_json`). Every process on the
store reads them when it builds its calendar; ``check_integrity()`` names a
row that cannot be read back as the schedule of its country and year.
"""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

import pendulum

from aftersales.calendar.schedules import OfficialSchedule
from aftersales.errors import ScheduleError, StorageError
from aftersales.storage._sql.integrity import row_name
from aftersales.storage.ports.schedules import check_country, check_schedule_arguments, replacing

__all__ = ["SCHEDULES_VERSION", "ScheduleTables"]

#: The schema version that brings the table ``calendar_schedules``.
SCHEDULES_VERSION = 9

_KEY = "country, year"


class ScheduleTables:
    """:class:`~aftersales.storage.ScheduleStore` on the table ``calendar_schedules``.

    Example:
        >>> from datetime import date
        >>> from aftersales.storage import SQLiteStore
        >>> store = SQLiteStore(":memory:")
        >>> store.save_schedule(OfficialSchedule(2031, {date(2031, 1, 1): "元旦"}))  # fictional
        >>> [(s.country, s.year) for s in store.find_schedules("CN")]
        [('CN', 2031)]
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

    def save_schedule(self, schedule: OfficialSchedule, *, replace: bool = False) -> None:
        """See :meth:`~aftersales.storage.ScheduleStore.save_schedule`; one transaction."""
        check_schedule_arguments(schedule, replace)
        row = (schedule.country, schedule.year, schedule.to_json(), self._ts(pendulum.now("UTC")))
        with self._writing() as cur:
            cur.execute(
                self._sql(
                    "INSERT INTO calendar_schedules (country, year, data, loaded_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (country, year) DO NOTHING"
                ),
                row,
            )
            if cur.rowcount == 1:
                return
            cur.execute(
                self._sql("SELECT data FROM calendar_schedules WHERE country = ? AND year = ?"),
                row[:2],
            )
            found = cur.fetchone()
            stored = None if found is None else self._decode_schedule(row[:2], found[0])
            if replacing(stored, schedule, replace):
                cur.execute(
                    self._sql(
                        "UPDATE calendar_schedules SET data = ?, loaded_at = ?"
                        " WHERE country = ? AND year = ?"
                    ),
                    (row[2], row[3], *row[:2]),
                )

    def find_schedules(self, country: str | None = None) -> list[OfficialSchedule]:
        """See :meth:`~aftersales.storage.ScheduleStore.find_schedules`."""
        check_country(country)
        with self._reading() as cur:
            if country is None:
                cur.execute(f"SELECT {_KEY}, data FROM calendar_schedules ORDER BY country, year")
            else:
                cur.execute(
                    self._sql(
                        f"SELECT {_KEY}, data FROM calendar_schedules WHERE country = ?"
                        " ORDER BY year"
                    ),
                    (country,),
                )
            rows = cur.fetchall()
        return [self._decode_schedule((c, y), data) for c, y, data in rows]

    # -- reading rows ---------------------------------------------------------------------

    def _decode_schedule(self, key: tuple[Any, Any], data: Any) -> OfficialSchedule:
        """The schedule a row holds; ``StorageError`` naming the row when it holds none."""
        where = row_name("calendar_schedules", key, _KEY)
        try:
            schedule = OfficialSchedule.from_dict(json.loads(data))
        except (TypeError, ValueError) as error:  # ScheduleError is a ValueError
            detail = error if isinstance(error, ScheduleError) else f"not JSON ({error})"
            raise StorageError(
                f"{where}: data is not a schedule: {detail}; accepted: load the schedule again"
                " (aftersales calendar load FILE --db DB --replace)"
            ) from None
        if (schedule.country, schedule.year) != tuple(key):
            raise StorageError(
                f"{where}: holds the schedule of {schedule.country} {schedule.year};"
                " accepted: the schedule of its own country and year"
            )
        return schedule

    def _schedule_problems(self) -> list[str]:
        """Each row of ``calendar_schedules`` that cannot be read back (for ``check_integrity()``)."""
        with self._reading() as cur:
            cur.execute(f"SELECT {_KEY}, data FROM calendar_schedules ORDER BY country, year")
            rows = cur.fetchall()
        problems: list[str] = []
        for country, year, data in rows:
            try:
                self._decode_schedule((country, year), data)
            except StorageError as error:
                problems.append(str(error))
        return problems
