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
from aftersales.reports.labels import check_lang
from aftersales.sla import SlaPolicy
from aftersales.storage.protocols import TicketQuery, TicketStore
from aftersales.time import ensure_aware

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


@attrs.frozen(slots=True)
class TicketLine:
    """One ticket as a line of the daily report.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> TicketLine.of(sample_ticket()).category
        'product_quality'
    """

    ticket_id: str
    customer_name: str
    channel: str
    category: str
    priority: str
    status: str
    description: str
    received_at: pendulum.DateTime

    @classmethod
    def of(cls, ticket: Ticket) -> TicketLine:
        """The line of ``ticket``."""
        return cls(
            ticket.id,
            ticket.customer_name,
            ticket.channel.code,
            ticket.category.code,
            ticket.priority.value,
            ticket.status.value,
            ticket.description,
            ticket.received_at,
        )


@attrs.frozen(slots=True)
class FeedbackLine:
    """A return visit scored under its threshold, with the customer's words.

    Example:
        >>> import pendulum
        >>> FeedbackLine("T1", "XX", "product_quality", 2, "太慢", pendulum.datetime(2026, 10, 3, tz="UTC")).score
        2
    """

    ticket_id: str
    customer_name: str
    category: str
    score: int
    comment: str
    at: pendulum.DateTime


@attrs.frozen(slots=True)
class ActionItem:
    """An open improvement action shown in the monthly report's plan section.

    The improvement-tracking module fills these; the report only shows them.

    Example:
        >>> from datetime import date
        >>> ActionItem("同批次内存模块增加老化测试", "质量部", date(2026, 11, 15)).status
        'open'
    """

    title: str
    owner: str
    due: Any
    status: str = "open"

    @classmethod
    def from_action(
        cls, action: ImprovementAction, *, now: datetime, lang: str = "zh"
    ) -> ActionItem:
        """The report line of an improvement action: due date local to its zone, status
        label, and the reasons it lags behind at ``now`` when it does.

        Example:
            >>> import pendulum
            >>> from aftersales.improvement import ImprovementAction
            >>> at = pendulum.datetime(2026, 11, 2, 9, tz="Asia/Shanghai")
            >>> action = ImprovementAction.plan(
            ...     id="A1", problem="频繁死机", cause_id="RC-1", category="product_quality",
            ...     type="long_term_prevention", title="内存模块增加老化测试", owner="质量部",
            ...     acceptance="同批次返修率 < 1%", at=at, by="李工", due_at=at.add(days=14))
            >>> ActionItem.from_action(action, now=at.add(days=20))
            ActionItem(title='内存模块增加老化测试', owner='质量部', due='2026-11-16', status='计划中 · 已逾期 / 本周无进展')
        """
        moment = ensure_aware(now, "now")
        status = action.status.label(lang)
        behind = [row for row in lagging([action], moment) if row.action.id == action.id]
        if behind:
            reasons = " / ".join(reason.label(lang) for reason in behind[0].reasons)
            status = f"{status} · {reasons}"
        due = action.due_at.in_timezone(action.created_at.tzinfo).date().isoformat()  # type: ignore[arg-type]
        return cls(action.title, action.owner, due, status)


def _tickets(source: TicketStore | Iterable[Ticket], kpis: ServiceKpis) -> list[Ticket]:
    """The tickets a period's figures need: the cohort, the look-back and the backlog."""
    if not isinstance(source, TicketStore):
        return list(source)
    start = kpis.period.start.subtract(seconds=kpis.options.repeat_window.total_seconds())
    end = kpis.as_of if kpis.as_of > kpis.period.end else kpis.period.end
    found: dict[str, Ticket] = {}
    queries = (
        TicketQuery(received_from=start, received_before=end),
        # open at as_of: either still open now, or changed at or after as_of
        TicketQuery(received_before=start, open_only=True),
        TicketQuery(received_before=start, updated_from=kpis.as_of),
    )
    for query in queries:
        for ticket in _paged(source, query):
            found[ticket.id] = ticket
    return sorted(found.values(), key=lambda t: (t.received_at, t.id))


def _paged(store: TicketStore, query: TicketQuery, size: int = 2000) -> Iterable[Ticket]:
    after: str | None = None
    while True:
        page = store.find(attrs.evolve(query, limit=size, after_id=after))
        yield from page
        if len(page) < size:
            return
        after = page[-1].id


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

    def sections(self, lang: str) -> list[Any]:
        raise NotImplementedError

    def title(self, lang: str) -> str:
        raise NotImplementedError

    def to_markdown(self, lang: str = "zh") -> str:
        """The report as GitHub-flavoured Markdown in ``lang`` (``"zh"`` or ``"en"``)."""
        from aftersales.reports.render import markdown

        check_lang(lang)
        return markdown(self.title(lang), self.sections(lang))

    def to_html(self, lang: str = "zh", *, charts: bool = True) -> str:
        """The report as one self-contained HTML page; charts as inline SVG when pygal is installed."""
        from aftersales.reports.render import html

        check_lang(lang)
        return html(self.title(lang), self.sections(lang), lang=lang, charts=charts)


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
            "figures": self.figures.to_dict(),
            "previous": self.previous.to_dict(),
            "lagging": [_plain(item) for item in self.lagging],
        }


@attrs.frozen(slots=True, kw_only=True)
class MonthlyReport(_Rendered):
    """The monthly report (月报).

    Sections: overview; KPI table with month-on-month change and the rolling
    3-month average (this month and the two before); SLA achievement; TOP
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

    def rolling(self, indicator: str) -> float | None:
        """The mean of this month and the two before, over the months that measured it."""
        values = [self.value(indicator, i) for i in range(len(self.history) + 1)]
        known = [v for v in values if v is not None]
        return sum(known) / len(known) if known else None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        from aftersales.reports.render import INDICATORS

        return {
            "kind": "monthly",
            "period": self.period.label,
            "figures": self.figures.to_dict(),
            "history": [f.to_dict() for f in self.history],
            "kpi_table": [
                {
                    "indicator": key,
                    "value": self.value(key),
                    "previous": self.value(key, 1),
                    "change": self.change(key),
                    "rolling_3_months": self.rolling(key),
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
    as_of: datetime | None = None,
) -> DailyReport:
    """The daily report of ``day`` (``"2026-10-12"`` or a day :class:`Period`).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> daily([], "2026-10-12", calendar=WorkCalendar.china()).figures.received
        0
    """
    period = _period(day, "day", calendar)
    kpis = _kpis(period, calendar, policy, options, key_customers, None, as_of)
    tickets = _tickets(source, kpis)
    _fill(kpis, tickets, ())
    lines = []
    for ticket in tickets:
        seen = _as_of(ticket, kpis)
        if seen is not None and period.contains(seen.received_at):
            lines.append(TicketLine.of(seen))
    return DailyReport(period=period, figures=kpis.result(), tickets=tuple(lines))


def weekly(
    source: TicketStore | Iterable[Ticket],
    week: str | Period,
    *,
    calendar: WorkCalendar,
    policy: SlaPolicy | None = None,
    options: KpiOptions | None = None,
    key_customers: Collection[str] = frozenset(),
    actions: Iterable[ImprovementAction] = (),
    as_of: datetime | None = None,
) -> WeeklyReport:
    """The weekly report of ``week`` (``"2026-W42"``, any day in it, or a week :class:`Period`).

    ``actions`` are the improvement actions to follow up: the open ones that lag
    behind at the end of the week (overdue, not started near their due date, no
    progress note for a week) are listed with their reasons.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> weekly([], "2026-10-14", calendar=WorkCalendar.china()).period.label
        '2026-W42'
    """
    period = _period(week, "week", calendar)
    kpis = _kpis(period, calendar, policy, options, key_customers, None, as_of)
    before = _kpis(period.previous(), calendar, policy, options, key_customers, None, None)
    tickets = _tickets(source, kpis)
    _fill(kpis, tickets, ())
    _fill(before, _tickets(source, before) if isinstance(source, TicketStore) else tickets, ())
    behind = tuple(
        ActionItem.from_action(row.action, now=kpis.as_of) for row in lagging(actions, kpis.as_of)
    )
    return WeeklyReport(
        period=period, figures=kpis.result(), previous=before.result(), lagging=behind
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
    as_of: datetime | None = None,
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
        as_of: when the figures are read (default: the end of the month).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> monthly([], "2026-10", calendar=WorkCalendar.china()).figures.closure.value is None
        True
    """
    period = _period(month, "month", calendar)
    surveys = list(surveys)
    read_at = period.end if as_of is None else ensure_aware(as_of, "as_of")
    items: list[ActionItem] = []
    for index, item in enumerate(actions):
        if isinstance(item, ImprovementAction):
            if item.status.is_open:
                items.append(ActionItem.from_action(item, now=read_at))
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
            as_of if index == 0 else None,
        )
        tickets = cached if cached is not None else _tickets(source, kpis)
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
