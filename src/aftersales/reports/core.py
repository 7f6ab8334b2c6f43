"""The daily, weekly and monthly reports as immutable values, and how each renders.

A report (:class:`DailyReport`, :class:`WeeklyReport`, :class:`MonthlyReport`)
holds the figures of its period read at one instant and the lines it lists.
The builders that make them from tickets are in
:mod:`~aftersales.reports.builders` (``aftersales.reports.daily`` …). Every
report renders the same content three ways: ``to_dict()``,
``to_markdown(lang)`` and ``to_html(lang)`` (a self-contained page; charts as
inline SVG when pygal is installed): it is laid out by
:mod:`~aftersales.reports.layout` and written by the renderers
(:mod:`~aftersales.reports.markdown`, :mod:`~aftersales.reports.html`), none
of which imports this module. ``daily``, ``weekly`` and ``monthly`` still
resolve here for one release, with a :class:`DeprecationWarning`.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.reports import monthly
    >>> from aftersales.testing.samples import sample_ticket
    >>> report = monthly([sample_ticket()], "2024-05", calendar=WorkCalendar.china())
    >>> report.figures.received, report.to_markdown(lang="en").splitlines()[0]
    (1, '# After-sales monthly report 2024-05')
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Any

import attrs
import pendulum

from aftersales._lazy import lazy_attributes
from aftersales.improvement.analysis import RootCauseRow
from aftersales.kpi.figures import KpiFigures
from aftersales.kpi.periods import Period
from aftersales.model.substatus import SubStatuses
from aftersales.reports import layout
from aftersales.reports.blocks import Section
from aftersales.reports.html import html
from aftersales.reports.labels import check_lang, text
from aftersales.reports.lines import ActionItem, FeedbackLine, TicketLine
from aftersales.reports.markdown import markdown
from aftersales.vocabulary import Vocabulary

__all__ = [
    "ActionItem",
    "DailyReport",
    "FeedbackLine",
    "MonthlyReport",
    "TicketLine",
    "WeeklyReport",
]


class _Rendered:
    """Rendering shared by the three reports (sections → Markdown / HTML)."""

    period: Period
    figures: KpiFigures

    def sections(self, lang: str) -> list[Section]:
        raise NotImplementedError

    def title(self, lang: str) -> str:
        raise NotImplementedError

    @property
    def read_at(self) -> pendulum.DateTime:
        """The instant the figures were read at (see :func:`~aftersales.reports.reading.read_at`).

        Example:
            >>> from aftersales.reports import daily
            >>> import pendulum
            >>> from aftersales.calendar import WorkCalendar
            >>> at = pendulum.datetime(2026, 10, 12, 15, tz="Asia/Shanghai")
            >>> daily([], "2026-10-12", calendar=WorkCalendar.china(), at=at).read_at == at
            True
        """
        return self.figures.at

    def _read_at_local(self) -> str:
        return self.read_at.in_timezone(self.period.tz).isoformat()

    def read_note(self, lang: str) -> str:
        """The line under the title: when the figures were read, and whether the period is over.

        Example:
            >>> from aftersales.reports import daily
            >>> import pendulum
            >>> from aftersales.calendar import WorkCalendar
            >>> at = pendulum.datetime(2026, 10, 12, 15, tz="Asia/Shanghai")
            >>> daily([], "2026-10-12", calendar=WorkCalendar.china(), at=at).read_note("en")
            'Figures as of 2026-10-12 15:00 (Asia/Shanghai) · period still running'
        """
        local = self.read_at.in_timezone(self.period.tz).format("YYYY-MM-DD HH:mm")
        note = f"{text('as_of', lang)} {local} ({self.period.tz})"
        if self.read_at < self.period.end:
            note += f" · {text('period_running', lang)}"
        return note

    def to_markdown(self, lang: str = "zh") -> str:
        """The report as GitHub-flavoured Markdown in ``lang`` (``"zh"`` or ``"en"``).

        Every string that comes from data is escaped (see
        :func:`~aftersales.reports.escaping.escape_markdown`): a Markdown
        renderer shows it as text and builds no tag, link or image from it.
        """
        check_lang(lang)
        with self._labels():
            return markdown(self.title(lang), self.sections(lang), note=self.read_note(lang))

    def to_html(self, lang: str = "zh", *, charts: bool = True) -> str:
        """The report as one self-contained HTML page; charts as inline SVG when pygal is installed."""
        check_lang(lang)
        with self._labels():
            return html(
                self.title(lang),
                self.sections(lang),
                lang=lang,
                charts=charts,
                note=self.read_note(lang),
            )

    def _labels(self) -> AbstractContextManager[object]:
        """The vocabulary the report was built under, active while it renders."""
        vocabulary: Vocabulary | None = getattr(self, "vocabulary", None)
        return nullcontext() if vocabulary is None else vocabulary.active()


@attrs.frozen(slots=True, kw_only=True)
class DailyReport(_Rendered):
    """The daily problem report (日报): the day's figures and every problem received.

    Example:
        >>> from aftersales.reports import daily
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.testing.samples import sample_ticket
        >>> report = daily([sample_ticket()], "2024-05-10", calendar=WorkCalendar.china())
        >>> [line.ticket_id for line in report.tickets], report.to_dict()["period"]
        (['T202405001'], '2024-05-10')
    """

    period: Period
    figures: KpiFigures
    tickets: tuple[TicketLine, ...]
    #: The company vocabulary the report was built under (its labels render with it).
    vocabulary: Vocabulary | None = attrs.field(default=None, eq=False, repr=False)
    #: What the reader should know about how the figures were read (not part of the figures).
    notes: tuple[str, ...] = attrs.field(default=(), eq=False, repr=False)

    def title(self, lang: str) -> str:
        """The report's title."""
        return f"{text('daily', lang)} {self.period.label}"

    def sections(self, lang: str) -> list[Section]:
        """The report's sections (see :mod:`aftersales.reports.layout`)."""
        return layout.daily_sections(self, lang)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "kind": "daily",
            "period": self.period.label,
            "read_at": self._read_at_local(),
            "figures": self.figures.to_dict(),
            "tickets": [_plain(line) for line in self.tickets],
        }


@attrs.frozen(slots=True, kw_only=True)
class WeeklyReport(_Rendered):
    """The weekly classification table with the TOP 5 (周报), beside the previous week.

    Example:
        >>> from aftersales.reports import weekly
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.testing.samples import sample_ticket
        >>> report = weekly([sample_ticket()], "2024-W19", calendar=WorkCalendar.china())
        >>> report.figures.top, report.previous.received
        ((('product_quality', 1),), 0)
    """

    period: Period
    figures: KpiFigures
    previous: KpiFigures
    lagging: tuple[ActionItem, ...] = ()
    #: The company vocabulary the report was built under (its labels render with it).
    vocabulary: Vocabulary | None = attrs.field(default=None, eq=False, repr=False)
    #: What the reader should know about how the figures were read (not part of the figures).
    notes: tuple[str, ...] = attrs.field(default=(), eq=False, repr=False)

    def title(self, lang: str) -> str:
        """The report's title."""
        return f"{text('weekly', lang)} {self.period.label}"

    def sections(self, lang: str) -> list[Section]:
        """The report's sections."""
        return layout.weekly_sections(self, lang)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "kind": "weekly",
            "period": self.period.label,
            "read_at": self._read_at_local(),
            "figures": self.figures.to_dict(),
            "previous": self.previous.to_dict(),
            "lagging": [_plain(item) for item in self.lagging],
        }


@attrs.frozen(slots=True, kw_only=True)
class MonthlyReport(_Rendered):
    """The monthly report (月报).

    Sections: overview; KPI table with month-on-month change and the rolling
    3-month average (this month and the two before, over the months with
    data: see :meth:`rolling`); SLA achievement; TOP
    problems and the four quadrants; the time in sub-statuses (when a ticket of
    the month had one); satisfaction and feedback; major events
    flagged apart; the improvement plan (``actions``, filled by improvement
    tracking). ``history`` holds the two previous months' figures, the most
    recent first.

    Example:
        >>> from aftersales.reports import monthly
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.testing.samples import sample_ticket
        >>> report = monthly([sample_ticket()], "2024-05", calendar=WorkCalendar.china())
        >>> [f.period.label for f in report.history]
        ['2024-04', '2024-03']
        >>> report.rolling("closure")
        100.0
    """

    period: Period
    figures: KpiFigures
    history: tuple[KpiFigures, ...]
    feedback: tuple[FeedbackLine, ...] = ()
    actions: tuple[ActionItem, ...] = ()
    root_causes: tuple[RootCauseRow, ...] = ()
    #: The company vocabulary the report was built under (its labels render with it).
    vocabulary: Vocabulary | None = attrs.field(default=None, eq=False, repr=False)
    #: What the reader should know about how the figures were read (not part of the figures).
    notes: tuple[str, ...] = attrs.field(default=(), eq=False, repr=False)
    #: The sub-statuses of the SLA policy, whose labels the time in sub-statuses shows.
    substatuses: SubStatuses | None = attrs.field(default=None, eq=False, repr=False)

    def title(self, lang: str) -> str:
        """The report's title."""
        return f"{text('monthly', lang)} {self.period.label}"

    def sections(self, lang: str) -> list[Section]:
        """The report's sections."""
        return layout.monthly_sections(self, lang)

    def value(self, indicator: str, months_back: int = 0) -> float | None:
        """An indicator of the KPI table (see :data:`~aftersales.reports.layout.INDICATORS`)
        for this month (0) or one of the two before (1, 2).

        Example:
            >>> from aftersales.reports import monthly
            >>> from aftersales.calendar import WorkCalendar
            >>> from aftersales.testing.samples import sample_ticket
            >>> report = monthly([sample_ticket()], "2024-05", calendar=WorkCalendar.china())
            >>> report.value("received"), report.value("received", 1)
            (1.0, 0.0)
        """
        figures = self.figures if months_back == 0 else self.history[months_back - 1]
        return layout.indicator_value(indicator, figures)

    def change(self, indicator: str) -> float | None:
        """This month minus the previous month (percentage points for rates)."""
        now, before = self.value(indicator), self.value(indicator, 1)
        return None if now is None or before is None else now - before

    def months_with_data(self) -> int:
        """How many of this month and the two before received at least one ticket.

        Example:
            >>> from aftersales.reports import monthly
            >>> from aftersales.calendar import WorkCalendar
            >>> from aftersales.testing.samples import sample_ticket
            >>> monthly([sample_ticket()], "2024-05", calendar=WorkCalendar.china()).months_with_data()
            1
        """
        return sum(1 for f in (self.figures, *self.history) if f.received > 0)

    def _rolling_values(self, indicator: str) -> list[float]:
        values = []
        for index, figures in enumerate((self.figures, *self.history)):
            value = self.value(indicator, index)
            if figures.received > 0 and value is not None:
                values.append(value)
        return values

    def rolling(self, indicator: str) -> float | None:
        """The mean of this month and the two before, over the months with data.

        A month with data received at least one ticket; a month without is
        left out, never counted as zero, and so is a month whose figures did
        not measure the indicator (a rate with nothing to divide by).
        ``None`` when no month is left.

        Example:
            >>> from aftersales.reports import monthly
            >>> from aftersales.calendar import WorkCalendar
            >>> from aftersales.testing.samples import sample_ticket
            >>> report = monthly([sample_ticket()], "2024-05", calendar=WorkCalendar.china())
            >>> report.value("received", 1), report.rolling("received"), report.rolling_months("received")
            (0.0, 1.0, 1)
        """
        values = self._rolling_values(indicator)
        return sum(values) / len(values) if values else None

    def rolling_months(self, indicator: str) -> int:
        """How many months :meth:`rolling` averaged ``indicator`` over.

        Example:
            >>> from aftersales.reports import monthly
            >>> from aftersales.calendar import WorkCalendar
            >>> report = monthly([], "2026-10", calendar=WorkCalendar.china())
            >>> report.rolling_months("received"), report.rolling("received")
            (0, None)
        """
        return len(self._rolling_values(indicator))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "kind": "monthly",
            "period": self.period.label,
            "read_at": self._read_at_local(),
            "figures": self.figures.to_dict(),
            "history": [f.to_dict() for f in self.history],
            "months_with_data": self.months_with_data(),
            "kpi_table": [
                {
                    "indicator": key,
                    "value": self.value(key),
                    "previous": self.value(key, 1),
                    "change": self.change(key),
                    "rolling_3_months": self.rolling(key),
                    "rolling_months": self.rolling_months(key),
                }
                for key in layout.INDICATORS
            ],
            "feedback": [_plain(line) for line in self.feedback],
            "actions": [_plain(item) for item in self.actions],
            "root_causes": [
                {
                    "department": row.department,
                    "root_cause_id": row.root_cause_id,
                    "summary": row.summary,
                    "category": row.category.code,
                    "tickets": row.tickets,
                }
                for row in self.root_causes
            ],
        }


def _plain(value: Any) -> Any:
    out = {}
    for field in attrs.fields(type(value)):
        item = getattr(value, field.name)
        out[field.name] = item.isoformat() if hasattr(item, "isoformat") else item
    return out


#: The builders moved to :mod:`aftersales.reports.builders` (old path: a DeprecationWarning).
__getattr__ = lazy_attributes(
    __name__,
    {},
    deprecated={
        "daily": "aftersales.reports.builders:daily",
        "weekly": "aftersales.reports.builders:weekly",
        "monthly": "aftersales.reports.builders:monthly",
    },
)
