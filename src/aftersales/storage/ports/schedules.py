"""Storage port of the official holiday schedules a store keeps for every process that opens it.

Part of :mod:`aftersales.storage.ports` (imports the domain only). A schedule
loaded into a store (``aftersales calendar load FILE --db DB``) is read by
every command and process on that store, which builds its calendar with
:meth:`WorkCalendar.china(schedules=store.find_schedules("CN"))
<aftersales.calendar.WorkCalendar.china>`. One schedule per country and year.

Example:
    >>> from aftersales.storage import MemoryStore, SQLiteStore
    >>> isinstance(MemoryStore(), ScheduleStore), isinstance(SQLiteStore(":memory:"), ScheduleStore)
    (True, True)
"""

from __future__ import annotations

from datetime import date
from typing import Protocol, runtime_checkable

from aftersales._shown import shown
from aftersales.calendar.schedules import OfficialSchedule
from aftersales.errors import InvalidData, ScheduleError

__all__ = ["ScheduleStore", "check_country", "check_schedule_arguments", "replacing"]


@runtime_checkable
class ScheduleStore(Protocol):
    """Official schedules kept in a store, one per ``(country, year)``.

    Example:
        >>> from datetime import date
        >>> from aftersales.calendar import OfficialSchedule
        >>> from aftersales.storage import MemoryStore
        >>> store = MemoryStore()
        >>> fictional = OfficialSchedule(2031, {date(2031, 10, 1): "国庆节"})  # an example, not a notice
        >>> store.save_schedule(fictional)
        >>> store.find_schedules("CN") == [fictional]
        True
    """

    def save_schedule(self, schedule: OfficialSchedule, *, replace: bool = False) -> None:
        """Keep ``schedule`` for its country and year.

        Saving an equal schedule again changes nothing. A different one for
        the same country and year raises
        :class:`~aftersales.errors.ScheduleError` naming the dates that
        differ, unless ``replace`` (then it takes the stored one's place).
        ``InvalidData`` for anything but an :class:`OfficialSchedule` or a
        ``replace`` that is not a ``bool``. Nothing is written on an error.
        """
        ...

    def find_schedules(self, country: str | None = None) -> list[OfficialSchedule]:
        """The stored schedules (of ``country`` when given), by country then year.

        ``InvalidData`` for a ``country`` that is neither ``None`` nor a text.
        """
        ...


def check_schedule_arguments(schedule: object, replace: object) -> None:
    """The checks of ``save_schedule``'s arguments every adapter runs before writing.

    Example:
        >>> check_schedule_arguments("cn-2031.toml", False)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: schedule: 'cn-2031.toml' is not an OfficialSchedule; accepted: one, e.g. from load_schedule(path)
    """
    problems: list[tuple[str, str]] = []
    if not isinstance(schedule, OfficialSchedule):
        problems.append(
            (
                "schedule",
                f"{shown(schedule)} is not an OfficialSchedule; accepted: one, e.g. from"
                " load_schedule(path)",
            )
        )
    if not isinstance(replace, bool):
        problems.append(("replace", f"{shown(replace)} is not a bool; accepted: True or False"))
    if problems:
        raise InvalidData.from_problems(problems)


def check_country(country: object) -> None:
    """``find_schedules``'s ``country``: ``None`` or a text.

    Example:
        >>> check_country(86)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: country: 86 is not a country code; accepted: None or a text such as 'CN'
    """
    if country is not None and not isinstance(country, str):
        message = f"{shown(country)} is not a country code; accepted: None or a text such as 'CN'"
        raise InvalidData(f"country: {message}", problems=[("country", message)])


def replacing(stored: OfficialSchedule | None, new: OfficialSchedule, replace: bool) -> bool:
    """Whether ``new`` must be written over ``stored``; ``ScheduleError`` when it may not be.

    Example:
        >>> from datetime import date
        >>> a = OfficialSchedule(2031, {date(2031, 10, 1): "国庆节"})
        >>> b = OfficialSchedule(2031, {date(2031, 10, 2): "国庆节"})
        >>> replacing(None, a, False), replacing(a, a, False), replacing(a, b, True)
        (True, False, True)
        >>> replacing(a, b, False)
        Traceback (most recent call last):
        ...
        aftersales.errors.ScheduleError: schedule: CN 2031: another schedule is stored for that year: 2031-10-01: stored off (国庆节), new not listed; 2031-10-02: stored not listed, new off (国庆节); accepted: the stored schedule again, or replace=True (--replace on the command line) to take its place
    """
    if stored is None:
        return True
    if stored == new:
        return False
    if replace:
        return True
    differences = _differences(stored, new) or "its names or source differ"
    message = (
        f"{new.country} {new.year}: another schedule is stored for that year: {differences};"
        " accepted: the stored schedule again, or replace=True (--replace on the command line)"
        " to take its place"
    )
    raise ScheduleError(f"schedule: {message}", problems=[("schedule", message)])


def _status(schedule: OfficialSchedule, day: date) -> str:
    if day in schedule.days_off:
        return f"off ({schedule.days_off[day]})"
    if day in schedule.working_days:
        return f"working ({schedule.working_days[day]})"
    return "not listed"


def _differences(stored: OfficialSchedule, new: OfficialSchedule) -> str:
    days = sorted({*stored.days_off, *stored.working_days, *new.days_off, *new.working_days})
    differing = [d for d in days if _status(stored, d) != _status(new, d)]
    listed = [
        f"{d.isoformat()}: stored {_status(stored, d)}, new {_status(new, d)}"
        for d in differing[:4]
    ]
    more = f" (and {len(differing) - 4} more)" if len(differing) > 4 else ""
    return "; ".join(listed) + more
