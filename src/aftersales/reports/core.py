"""Daily, weekly and monthly reports: value objects built from tickets.

A builder (:func:`daily`, :func:`weekly`, :func:`monthly`) reads the tickets
it needs from a store (any :class:`~aftersales.storage.TicketStore`) or from
an iterable of tickets, feeds :class:`~aftersales.kpi.ServiceKpis` and returns
an immutable report. Every report renders the same content three ways:
``to_dict()``, ``to_markdown(lang)`` and ``to_html(lang)`` (a self-contained
page; charts as inline SVG when pygal is installed).

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.testing.samples import sample_ticket
    >>> report = monthly([sample_ticket()], "2024-05", calendar=WorkCalendar.china())
    >>> report.figures.received, report.to_markdown(lang="en").splitlines()[0]
    (1, '# After-sales monthly report 2024-05')
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from typing import Any

import attrs
import pendulum

from aftersales.calendar import WorkCalendar
from aftersales.errors import InvalidData
from aftersales.improvement.actions import ImprovementAction, lagging
from aftersales.improvement.analysis import RootCause, RootCauseRow, root_cause_rows
from aftersales.kpi.periods import Period
from aftersales.kpi.service import KpiFigures, KpiOptions, NpsResponse, ServiceKpis, as_of
from aftersales.model.events import VisitRecorded
from aftersales.model.ticket import Ticket
from aftersales.reports.labels import check_lang, text
from aftersales.reports.lines import ActionItem, FeedbackLine, TicketLine
from aftersales.reports.reading import read_at, tickets_for
from aftersales.sla import SlaPolicy
from aftersales.storage.protocols import TicketStore
from aftersales.time import Clock
from aftersales.vocabulary import Vocabulary, vocabulary_of

__all__ = [
    "ActionItem",
    "DailyReport",
    "FeedbackLine",
    "MonthlyReport",
    "TicketLine",
    "WeeklyReport",
    "daily",
    "monthly",
    "weekly",
]


def _period(value: str | Period, kind: str, calendar: WorkCalendar) -> Period:
    tz = str(calendar.tz)
    period = value if isinstance(value, Period) else Period.parse(value, tz)
    if period.kind != kind:
        # a day or any date in the week/month is fine: take the period holding it
        period = Period.of_date(kind, period.first, period.tz)  # type: ignore[arg-type]
    return period


def _kpis(
    period: Period,
    calendar: WorkCalendar,
    policy: SlaPolicy | None,
    options: KpiOptions | None,
    key_customers: Collection[str],
    installed_base: Mapping[str, int] | None,
    at: datetime | None,
) -> ServiceKpis:
    return ServiceKpis(
        period,
        calendar,
        policy=policy,
        as_of=at,
        options=options,
        key_customers=key_customers,
        installed_base=dict(installed_base or {}),
    )


def _fill(kpis: ServiceKpis, tickets: Iterable[Ticket], surveys: Iterable[NpsResponse]) -> None:
    for ticket in tickets:
        kpis.add(ticket)
    for response in surveys:
        kpis.add_survey(response)


class _Rendered:
    """Rendering shared by the three reports (sections → Markdown / HTML)."""

    period: Period
    figures: KpiFigures

    def sections(self, lang: str) -> list[Any]:
        raise NotImplementedError

    def title(self, lang: str) -> str:
        raise NotImplementedError

    @property
    def read_at(self) -> pendulum.DateTime:
        """The instant the figures were read at (see :func:`~aftersales.reports.reading.read_at`).

        Example:
            >>> import pendulum
            >>> from aftersales.calendar import WorkCalendar
            >>> at = pendulum.datetime(2026, 10, 12, 15, tz="Asia/Shanghai")
            >>> daily([], "2026-10-12", calendar=WorkCalendar.china(), at=at).read_at == at
            True
        """
        return self.figures.as_of

    def _read_at_local(self) -> str:
        return self.read_at.in_timezone(self.period.tz).isoformat()

    def read_note(self, lang: str) -> str:
        """The line under the title: when the figures were read, and whether the period is over.

        Example:
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
        from aftersales.reports.render import markdown

        check_lang(lang)
        with self._labels():
            return markdown(self.title(lang), self.sections(lang), note=self.read_note(lang))

    def to_html(self, lang: str = "zh", *, charts: bool = True) -> str:
        """The report as one self-contained HTML page; charts as inline SVG when pygal is installed."""
        from aftersales.reports.render import html

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

    def title(self, lang: str) -> str:
        """The report's title."""
        from aftersales.reports.labels import text

        return f"{text('daily', lang)} {self.period.label}"

    def sections(self, lang: str) -> list[Any]:
        """The report's sections (see :mod:`aftersales.reports.render`)."""
        from aftersales.reports.render import daily_sections

        return daily_sections(self, lang)

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

    def title(self, lang: str) -> str:
        """The report's title."""
        from aftersales.reports.labels import text

        return f"{text('weekly', lang)} {self.period.label}"

    def sections(self, lang: str) -> list[Any]:
        """The report's sections."""
        from aftersales.reports.render import weekly_sections

        return weekly_sections(self, lang)

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
    problems and the four quadrants; satisfaction and feedback; major events
    flagged apart; the improvement plan (``actions``, filled by improvement
    tracking). ``history`` holds the two previous months' figures, the most
    recent first.

    Example:
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

    def title(self, lang: str) -> str:
        """The report's title."""
        from aftersales.reports.labels import text

        return f"{text('monthly', lang)} {self.period.label}"

    def sections(self, lang: str) -> list[Any]:
        """The report's sections."""
        from aftersales.reports.render import monthly_sections

        return monthly_sections(self, lang)

    def value(self, indicator: str, months_back: int = 0) -> float | None:
        """An indicator of the KPI table (see :data:`~aftersales.reports.render.INDICATORS`)
        for this month (0) or one of the two before (1, 2).

        Example:
            >>> from aftersales.calendar import WorkCalendar
            >>> from aftersales.testing.samples import sample_ticket
            >>> report = monthly([sample_ticket()], "2024-05", calendar=WorkCalendar.china())
            >>> report.value("received"), report.value("received", 1)
            (1.0, 0.0)
        """
        from aftersales.reports.render import indicator_value

        figures = self.figures if months_back == 0 else self.history[months_back - 1]
        return indicator_value(indicator, figures)

    def change(self, indicator: str) -> float | None:
        """This month minus the previous month (percentage points for rates)."""
        now, before = self.value(indicator), self.value(indicator, 1)
        return None if now is None or before is None else now - before

    def months_with_data(self) -> int:
        """How many of this month and the two before received at least one ticket.

        Example:
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
            >>> from aftersales.calendar import WorkCalendar
            >>> report = monthly([], "2026-10", calendar=WorkCalendar.china())
            >>> report.rolling_months("received"), report.rolling("received")
            (0, None)
        """
        return len(self._rolling_values(indicator))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        from aftersales.reports.render import INDICATORS

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
                for key in INDICATORS
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


def daily(
    source: TicketStore | Iterable[Ticket],
    day: str | Period,
    *,
    calendar: WorkCalendar,
    policy: SlaPolicy | None = None,
    options: KpiOptions | None = None,
    key_customers: Collection[str] = frozenset(),
    at: datetime | None = None,
    clock: Clock | None = None,
) -> DailyReport:
    """The daily report of ``day`` (``"2026-10-12"`` or a day :class:`Period`).

    ``at`` is the instant the figures are read at; by default
    ``min(clock.now(), end of the day)`` (see :func:`~aftersales.reports.reading.read_at`;
    the clock is the system clock unless given).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> daily([], "2026-10-12", calendar=WorkCalendar.china()).figures.received
        0
    """
    period = _period(day, "day", calendar)
    at = read_at(period, at=at, clock=clock)
    kpis = _kpis(period, calendar, policy, options, key_customers, None, at)
    tickets = tickets_for(source, kpis)
    _fill(kpis, tickets, ())
    lines = []
    for ticket in tickets:
        seen = _as_of(ticket, kpis)
        if seen is not None and period.contains(seen.received_at):
            lines.append(TicketLine.of(seen))
    return DailyReport(
        period=period,
        figures=kpis.result(),
        tickets=tuple(lines),
        vocabulary=vocabulary_of(source),
    )


def weekly(
    source: TicketStore | Iterable[Ticket],
    week: str | Period,
    *,
    calendar: WorkCalendar,
    policy: SlaPolicy | None = None,
    options: KpiOptions | None = None,
    key_customers: Collection[str] = frozenset(),
    actions: Iterable[ImprovementAction] = (),
    at: datetime | None = None,
    clock: Clock | None = None,
) -> WeeklyReport:
    """The weekly report of ``week`` (``"2026-W42"``, any day in it, or a week :class:`Period`).

    ``actions`` are the improvement actions to follow up: the open ones that lag
    behind when the report is read (overdue, not started near their due date, no
    progress note for a week) are listed with their reasons.

    ``at`` is the instant the figures are read at; by default
    ``min(clock.now(), end of the week)``. The previous week is read at
    ``min(at, its end)``.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> weekly([], "2026-10-14", calendar=WorkCalendar.china()).period.label
        '2026-W42'
    """
    period = _period(week, "week", calendar)
    at = read_at(period, at=at, clock=clock)
    kpis = _kpis(period, calendar, policy, options, key_customers, None, at)
    previous = period.previous()
    before = _kpis(previous, calendar, policy, options, key_customers, None, min(at, previous.end))
    tickets = tickets_for(source, kpis)
    _fill(kpis, tickets, ())
    _fill(before, tickets_for(source, before) if isinstance(source, TicketStore) else tickets, ())
    behind = tuple(
        ActionItem.from_action(row.action, now=kpis.as_of) for row in lagging(actions, kpis.as_of)
    )
    return WeeklyReport(
        period=period,
        figures=kpis.result(),
        previous=before.result(),
        lagging=behind,
        vocabulary=vocabulary_of(source),
    )


def monthly(
    source: TicketStore | Iterable[Ticket],
    month: str | Period,
    *,
    calendar: WorkCalendar,
    policy: SlaPolicy | None = None,
    options: KpiOptions | None = None,
    key_customers: Collection[str] = frozenset(),
    surveys: Iterable[NpsResponse] = (),
    installed_base: Mapping[str, int] | None = None,
    actions: Iterable[ActionItem | ImprovementAction] = (),
    root_causes: Iterable[RootCause] = (),
    at: datetime | None = None,
    clock: Clock | None = None,
) -> MonthlyReport:
    """The monthly report of ``month`` (``"2026-10"`` or a month :class:`Period`).

    Args:
        source: a ticket store, or the tickets themselves.
        calendar: the working calendar; its zone decides the month's boundaries.
        policy: the SLA policy (``None``: no SLA section figures).
        options: KPI definitions (:class:`~aftersales.kpi.KpiOptions`).
        key_customers: ids of key customers (their return-visit coverage).
        surveys: NPS answers (:class:`~aftersales.kpi.NpsResponse`).
        installed_base: units in service per product model (failure rates).
        actions: improvement actions for the plan section: open
            :class:`~aftersales.improvement.ImprovementAction` objects (listed with
            their status and lag reasons) or ready-made :class:`ActionItem` lines.
        root_causes: root causes to list by responsible department, with the number
            of the month's tickets each explains (those explaining none are left out).
        at: the instant the figures are read at (default: ``min(clock.now(),
            end of the month)``, see :func:`~aftersales.reports.reading.read_at`);
            each of the two previous months is read at ``min(at, its end)``.
        clock: where "now" comes from when ``at`` is not given (default: the
            system clock).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> monthly([], "2026-10", calendar=WorkCalendar.china()).figures.closure.value is None
        True
    """
    period = _period(month, "month", calendar)
    surveys = list(surveys)
    at = read_at(period, at=at, clock=clock)
    items: list[ActionItem] = []
    for index, item in enumerate(actions):
        if isinstance(item, ImprovementAction):
            if item.status.is_open:
                items.append(ActionItem.from_action(item, now=at))
        elif isinstance(item, ActionItem):
            items.append(item)
        else:
            message = f"{item!r} is not an ActionItem or ImprovementAction"
            raise InvalidData(
                f"actions[{index}]: {message}", problems=[(f"actions[{index}]", message)]
            )
    causes = list(root_causes)
    for index, cause in enumerate(causes):
        if not isinstance(cause, RootCause):
            message = f"{cause!r} is not a RootCause"
            raise InvalidData(
                f"root_causes[{index}]: {message}", problems=[(f"root_causes[{index}]", message)]
            )
    months = [period, period.previous(), period.previous().previous()]
    results: list[KpiFigures] = []
    feedback: list[FeedbackLine] = []
    rows: list[RootCauseRow] = []
    cached = None if isinstance(source, TicketStore) else list(source)
    for index, each in enumerate(months):
        kpis = _kpis(
            each,
            calendar,
            policy,
            options,
            key_customers,
            installed_base,
            at if index == 0 else min(at, each.end),
        )
        tickets = cached if cached is not None else tickets_for(source, kpis)
        _fill(kpis, tickets, surveys)
        results.append(kpis.result())
        if index == 0:
            feedback = _feedback(tickets, kpis)
            rows = root_cause_rows(causes, tickets=tickets, start=period.start, end=period.end)
    return MonthlyReport(
        period=period,
        figures=results[0],
        history=tuple(results[1:]),
        feedback=tuple(feedback),
        actions=tuple(items),
        root_causes=tuple(rows),
        vocabulary=vocabulary_of(source),
    )


def _as_of(ticket: Ticket, kpis: ServiceKpis) -> Ticket | None:
    return as_of(ticket, kpis.as_of)


def _feedback(tickets: Iterable[Ticket], kpis: ServiceKpis) -> list[FeedbackLine]:
    """Low-score visits of the cohort, lowest score first, then latest first."""
    lines = []
    for ticket in tickets:
        seen = _as_of(ticket, kpis)
        if seen is None or not kpis.period.contains(seen.received_at):
            continue
        for visit in seen.visits:
            if isinstance(visit, VisitRecorded) and visit.low_score:
                lines.append(
                    FeedbackLine(
                        seen.id,
                        seen.customer_name,
                        seen.category.code,
                        visit.score,
                        visit.comment,
                        visit.at,
                    )
                )
    lines.sort(key=lambda line: (line.score, -line.at.timestamp(), line.ticket_id))
    return lines
