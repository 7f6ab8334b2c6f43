"""The memory adapter's official holiday schedules: one per country and year, behind a lock.

Private: a base of :class:`~aftersales.storage.memory.MemoryStore`, the
reference the SQL stores are held to by the contract suite
(:mod:`aftersales.testing.contracts.schedules`).
"""

from __future__ import annotations

import threading

from aftersales.calendar.schedules import OfficialSchedule
from aftersales.storage.ports.schedules import check_country, check_schedule_arguments, replacing

__all__ = ["MemorySchedules"]


class MemorySchedules:
    """:class:`~aftersales.storage.ScheduleStore` in memory.

    Example:
        >>> from datetime import date
        >>> store = MemorySchedules()
        >>> store.save_schedule(OfficialSchedule(2031, {date(2031, 1, 1): "元旦"}))
        >>> [s.year for s in store.find_schedules()]
        [2031]
    """

    _schedules_lock = threading.Lock()

    def _schedule_table(self) -> dict[tuple[str, int], OfficialSchedule]:
        table: dict[tuple[str, int], OfficialSchedule] | None = getattr(
            self, "_schedule_rows", None
        )
        if table is None:
            with self._schedules_lock:
                table = getattr(self, "_schedule_rows", None)
                if table is None:
                    table = {}
                    self._schedule_rows = table
        return table

    def save_schedule(self, schedule: OfficialSchedule, *, replace: bool = False) -> None:
        """See :meth:`~aftersales.storage.ScheduleStore.save_schedule`."""
        check_schedule_arguments(schedule, replace)
        table = self._schedule_table()
        with self._schedules_lock:
            key = (schedule.country, schedule.year)
            if replacing(table.get(key), schedule, replace):
                table[key] = schedule

    def find_schedules(self, country: str | None = None) -> list[OfficialSchedule]:
        """See :meth:`~aftersales.storage.ScheduleStore.find_schedules`."""
        check_country(country)
        table = self._schedule_table()
        with self._schedules_lock:
            return [table[k] for k in sorted(table) if country is None or k[0] == country]
