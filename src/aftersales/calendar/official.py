"""Official days off and in-lieu working days of a country, from the ``holidays`` package.

:meth:`WorkCalendar.china() <aftersales.calendar.WorkCalendar.china>` and
:meth:`WorkCalendar.for_country() <aftersales.calendar.WorkCalendar.for_country>`
read a country's public holidays, its weekend and its moved working days
(the Chinese 调休) from here, year by year as the calendar needs them. The
*coverage* is the years the data can be trusted for: for a country that moves
working days, from its first to its last listed substitution (the package lists
them only once they are announced); otherwise the package's year range. The
package is imported on first use.

Official schedules (:class:`~aftersales.calendar.schedules.OfficialSchedule`,
e.g. next year's, published before the package has it) are merged over the
package's data: a year a schedule covers is read from it, and the coverage
extends to it. A schedule for a year the package covers must agree with the
package day for day (which dates are working; the names may differ), and two
schedules of one year must be equal.

Imports only the calendar's zone and schedules modules and the domain helpers.

Example:
    >>> from datetime import date
    >>> china = OfficialSource("CN", None, "zh_CN")
    >>> off, work = china.year(2026)
    >>> off[date(2026, 10, 1)], date(2026, 2, 14) in work
    ('国庆节', True)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from aftersales._shown import shown
from aftersales.calendar.schedules import OfficialSchedule
from aftersales.calendar.zone import MAX_YEAR, MIN_YEAR
from aftersales.errors import InvalidData, ScheduleError

__all__ = ["OfficialSource"]


class OfficialSource:
    """Days off and in-lieu working days of one country (and subdivision), read year by year.

    Raises:
        InvalidData: a code that is not a text, or a country or subdivision
            the ``holidays`` package does not know.
        ScheduleError: a schedule of another country, one that contradicts
            the package or another schedule of its year, or a working day
            outside the country's weekend; every problem at once.

    Example:
        >>> OfficialSource("DE", "BE", "en_US").weekend
        frozenset({5, 6})
        >>> OfficialSource(86, None, None)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: code: 86 is not a country code; accepted: an ISO 3166 code such as 'CN'
    """

    def __init__(
        self,
        code: str,
        subdiv: str | None,
        language: str | None,
        schedules: Iterable[OfficialSchedule] = (),
    ) -> None:
        import holidays

        if not isinstance(code, str):
            message = (
                f"{shown(code)} is not a country code; accepted: an ISO 3166 code such as 'CN'"
            )
            raise InvalidData(f"code: {message}", problems=[("code", message)])
        self.code = code
        self.subdiv = subdiv
        self.language = language
        try:
            probe = holidays.country_holidays(code, subdiv=subdiv, language=language)
        except NotImplementedError as error:
            message = (
                f"{shown(code)} / {shown(subdiv)} is not known to the holidays package ({error})"
            )
            raise InvalidData(f"code: {message}", problems=[("code", message)]) from None
        self.weekend: frozenset[int] = frozenset(int(d) for d in probe.weekend)
        self.version: str = getattr(holidays, "__version__", "?")
        special = getattr(probe, "special_public_holidays", {}) or {}
        if getattr(probe, "has_substituted_holidays", False):
            years = [
                year
                for year, entries in special.items()
                if any(isinstance(e, tuple) and len(e) >= 4 for e in _as_entries(entries))
            ]
            first, last = min(years), max(years)
        else:
            first, last = probe.start_year, probe.end_year
        #: The years the package's own data covers.
        self.package_covered = tuple(range(max(first, MIN_YEAR), min(last, MAX_YEAR) + 1))
        self._years: dict[int, tuple[dict[date, str], frozenset[date]]] = {}
        #: The merged schedules, by year.
        self.schedules: dict[int, OfficialSchedule] = self._merged(schedules)
        self.covered = tuple(sorted({*self.package_covered, *self.schedules}))

    def year(self, year: int) -> tuple[dict[date, str], frozenset[date]]:
        """``(days off → name, in-lieu working days)`` of one year.

        Example:
            >>> from datetime import date
            >>> off, work = OfficialSource("DE", None, "en_US").year(2026)
            >>> off[date(2026, 1, 1)], work
            ("New Year's Day", frozenset())
        """
        schedule = self.schedules.get(year)
        if schedule is not None:
            return dict(schedule.days_off), frozenset(schedule.working_days)
        return self._package_year(year)

    def _package_year(self, year: int) -> tuple[dict[date, str], frozenset[date]]:
        found = self._years.get(year)
        if found is None:
            import holidays

            h = holidays.country_holidays(
                self.code, subdiv=self.subdiv, years=year, language=self.language
            )
            off = {d: str(name) for d, name in h.items() if d.year == year}
            work = frozenset(d for d in h.weekend_workdays if d.year == year)
            found = (off, work)
            self._years[year] = found
        return found

    def schedule_of(self, year: int) -> OfficialSchedule | None:
        """The official days of ``year`` as a schedule: a merged one, else the package's; ``None`` outside the coverage.

        A schedule made from the package names its source ``holidays <version>: <code>``
        and each in-lieu working day ``调休``, followed by the day off it makes
        up for when the package names it.

        Example:
            >>> from datetime import date
            >>> cn = OfficialSource("CN", None, "zh_CN").schedule_of(2026)
            >>> cn.source.startswith("holidays "), cn.working_days[date(2026, 1, 4)]
            (True, '调休（2026-01-02 休息）')
        """
        schedule = self.schedules.get(year)
        if schedule is not None or year not in self.covered:
            return schedule
        off, work = self._package_year(year)
        reasons: dict[date, str] = {}
        for day in work:
            made_up = [d for d, name in off.items() if day.isoformat() in name]
            reasons[day] = f"调休（{made_up[0].isoformat()} 休息）" if made_up else "调休"
        sub = f"-{self.subdiv}" if self.subdiv else ""
        return OfficialSchedule(
            year,
            off,
            reasons,
            country=self.code,
            source=f"holidays {self.version}: {self.code}{sub}",
        )

    def _merged(self, schedules: Iterable[OfficialSchedule]) -> dict[int, OfficialSchedule]:
        """The schedules by year, each checked against the package and the others."""
        if isinstance(schedules, OfficialSchedule | str | bytes) or not isinstance(
            schedules, Iterable
        ):
            message = (
                f"{shown(schedules)} is not a list of schedules; accepted: a list of"
                " OfficialSchedule (load_schedule reads one from a file)"
            )
            raise ScheduleError(f"schedules: {message}", problems=[("schedules", message)])
        problems: list[tuple[str, str]] = []
        merged: dict[int, OfficialSchedule] = {}
        for i, schedule in enumerate(schedules):
            path = f"schedules[{i}]"
            if not isinstance(schedule, OfficialSchedule):
                problems.append(
                    (path, f"{shown(schedule)} is not an OfficialSchedule; accepted: one")
                )
                continue
            path = f"{path} ({schedule.country} {schedule.year})"
            if schedule.country != self.code:
                problems.append(
                    (path, f"a schedule of {schedule.country}; accepted: schedules of {self.code}")
                )
                continue
            outside = [d for d in schedule.working_days if d.weekday() not in self.weekend]
            if outside:
                problems.append(
                    (
                        path,
                        f"working day {outside[0].isoformat()} is not a weekend day of"
                        f" {self.code}; accepted: weekend days",
                    )
                )
                continue
            earlier = merged.get(schedule.year)
            if earlier is not None and earlier != schedule:
                differences = _differences(
                    "the other schedule",
                    _days_off(earlier, self.weekend),
                    "this one",
                    _days_off(schedule, self.weekend),
                )
                problems.append(
                    (
                        path,
                        "another schedule of the same year differs: "
                        + (differences or "in its names or source")
                        + "; accepted: one schedule per year",
                    )
                )
                continue
            if schedule.year in self.package_covered:
                off, work = self._package_year(schedule.year)
                differences = _differences(
                    "the package",
                    _off_days(schedule.year, off, work, self.weekend),
                    "the schedule",
                    _days_off(schedule, self.weekend),
                )
                if differences:
                    problems.append(
                        (
                            path,
                            f"contradicts the holidays package {self.version}: {differences};"
                            " accepted: a schedule with the package's days off and working days"
                            " (names may differ)",
                        )
                    )
                    continue
            merged[schedule.year] = schedule
        if problems:
            raise ScheduleError.from_problems(problems)
        return merged


def _off_days(
    year: int, off: Iterable[date], work: Iterable[date], weekend: frozenset[int]
) -> frozenset[date]:
    """The dates of ``year`` without work: weekend days not made working, and days off."""
    working = set(work)
    day, end = date(year, 1, 1), date(year + 1, 1, 1)
    found = set(off)
    while day < end:
        if day.weekday() in weekend and day not in working:
            found.add(day)
        day += timedelta(days=1)
    return frozenset(d for d in found if d.year == year)


def _days_off(schedule: OfficialSchedule, weekend: frozenset[int]) -> frozenset[date]:
    return _off_days(schedule.year, schedule.days_off, schedule.working_days, weekend)


def _differences(a_name: str, a_off: frozenset[date], b_name: str, b_off: frozenset[date]) -> str:
    """The first dates that are off in one and working in the other, spelled out (``""``: none)."""
    differing = sorted(a_off ^ b_off)
    shown_days = [
        f"{d.isoformat()}: {a_name} has it {'off' if d in a_off else 'working'},"
        f" {b_name} has it {'off' if d in b_off else 'working'}"
        for d in differing[:4]
    ]
    more = f" (and {len(differing) - 4} more)" if len(differing) > 4 else ""
    return "; ".join(shown_days) + more


def _as_entries(entries: object) -> tuple[object, ...]:
    if isinstance(entries, tuple) and entries and isinstance(entries[0], tuple):
        return entries
    return (entries,)
