"""Official days off and in-lieu working days of a country, from the ``holidays`` package.

:meth:`WorkCalendar.china() <aftersales.calendar.WorkCalendar.china>` and
:meth:`WorkCalendar.for_country() <aftersales.calendar.WorkCalendar.for_country>`
read a country's public holidays, its weekend and its moved working days
(the Chinese 调休) from here, year by year as the calendar needs them. The
*coverage* is the years the data can be trusted for: for a country that moves
working days, from its first to its last listed substitution (the package lists
them only once they are announced); otherwise the package's year range. The
package is imported on first use.

Imports only the calendar's zone module and the domain helpers.

Example:
    >>> from datetime import date
    >>> china = OfficialSource("CN", None, "zh_CN")
    >>> off, work = china.year(2026)
    >>> off[date(2026, 10, 1)], date(2026, 2, 14) in work
    ('国庆节', True)
"""

from __future__ import annotations

from datetime import date

from aftersales._shown import shown
from aftersales.calendar.zone import MAX_YEAR, MIN_YEAR
from aftersales.errors import InvalidData

__all__ = ["OfficialSource"]


class OfficialSource:
    """Days off and in-lieu working days of one country (and subdivision), read year by year.

    Raises:
        InvalidData: a code that is not a text, or a country or subdivision
            the ``holidays`` package does not know.

    Example:
        >>> OfficialSource("DE", "BE", "en_US").weekend
        frozenset({5, 6})
        >>> OfficialSource(86, None, None)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: code: 86 is not a country code; accepted: an ISO 3166 code such as 'CN'
    """

    def __init__(self, code: str, subdiv: str | None, language: str | None) -> None:
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
        self.covered = tuple(range(max(first, MIN_YEAR), min(last, MAX_YEAR) + 1))
        self._years: dict[int, tuple[dict[date, str], frozenset[date]]] = {}

    def year(self, year: int) -> tuple[dict[date, str], frozenset[date]]:
        """``(days off → name, in-lieu working days)`` of one year.

        Example:
            >>> from datetime import date
            >>> off, work = OfficialSource("DE", None, "en_US").year(2026)
            >>> off[date(2026, 1, 1)], work
            ("New Year's Day", frozenset())
        """
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


def _as_entries(entries: object) -> tuple[object, ...]:
    if isinstance(entries, tuple) and entries and isinstance(entries[0], tuple):
        return entries
    return (entries,)
