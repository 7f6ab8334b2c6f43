"""总结与展望: the summary of a period read from its figures, and what the next period holds.

:func:`summarize` reads a deck report (monthly, quarterly, yearly) and returns
an :class:`Outlook`:

- highlights: every indicator that met its target, then the (at most three)
  biggest improvements against the previous period;
- lowlights: every indicator that missed its target (host-supplied figures
  included), then the (at most three) biggest declines;
- the improvement actions due in the next period (from the report's actions);
- the main risks: SLA cycles breached, major events (a customer's batch
  complaint, a product batch failing above its threshold), actions overdue at
  the period's end, and tickets in the oldest backlog-ageing bucket.

The supervisor's text comes last, phone numbers and e-mail addresses in it
masked (:meth:`~aftersales.model.masking.MaskingPolicy.text`) like every
contact the reports show.

Improvements and declines follow :data:`~aftersales.reports.indicators.BETTER`
and are ranked by the size of their change: percentage points for rates,
percent for counts and durations, points for scores, NPS and ratios (all on
a scale near 0–100 except ratios and scores, which rarely lead). An
indicator already listed for its target is not listed again.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.reports import monthly
    >>> from aftersales.testing.samples import sample_ticket
    >>> report = monthly([sample_ticket()], "2024-05", calendar=WorkCalendar.china())
    >>> [item.indicator for item in summarize(report).highlights if item.kind == "target_met"][:3]
    ['closure', 'repeat', 'reopen']
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Protocol

import attrs

from aftersales.kpi.figures import KpiFigures
from aftersales.kpi.periods import Period
from aftersales.model.masking import default_masking
from aftersales.reports.changes import Change
from aftersales.reports.external_figures import ExternalFigure
from aftersales.reports.indicators import BETTER, INDICATORS
from aftersales.reports.lines import ActionItem
from aftersales.reports.targets import KpiTargets

__all__ = ["Outlook", "OutlookItem", "action_due", "summarize"]

#: How many improvements and declines the summary lists at most.
MOST_CHANGES = 3


class _DeckContent(Protocol):
    """What the summary reads from a report."""

    @property
    def period(self) -> Period: ...
    @property
    def figures(self) -> KpiFigures: ...
    @property
    def actions(self) -> tuple[ActionItem, ...]: ...
    @property
    def targets(self) -> KpiTargets: ...
    @property
    def external_figures(self) -> tuple[ExternalFigure, ...]: ...
    @property
    def supervisor_notes(self) -> str: ...
    def value(self, indicator: str, months_back: int = 0) -> float | None: ...
    def period_change(self, indicator: str) -> Change: ...


@attrs.frozen(slots=True)
class OutlookItem:
    """One line of the summary: what ``kind`` of line, about which indicator, with its figures.

    ``kind`` is ``target_met``, ``target_missed``, ``improved``, ``declined``
    (``indicator`` an indicator key or a host figure's key), ``sla_breached``
    (``indicator`` the SLA metric, ``count`` the cycles breached),
    ``major_event`` (``indicator`` the event kind, ``subject`` its customer
    or product, ``count`` its tickets, ``value`` the failure rate),
    ``overdue_action`` (``indicator`` its owner, ``subject`` the action,
    ``due`` its due date) or ``old_backlog``
    (``subject`` the ageing bucket, ``count`` its tickets).

    Example:
        >>> OutlookItem("target_missed", "onsite_24h", value=12.2, target=90.0).kind
        'target_missed'
    """

    kind: str
    indicator: str = ""
    value: float | None = None
    target: float | None = None
    direction: str = ""
    change: Change | None = None
    count: int | None = None
    subject: str = ""
    due: date | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        data: dict[str, Any] = {
            name: getattr(self, name) for name in ("kind", "indicator", "value", "target")
        }
        data.update(direction=self.direction, count=self.count, subject=self.subject)
        data["due"] = None if self.due is None else self.due.isoformat()
        data["change"] = None if self.change is None else self.change.to_dict()
        return data


@attrs.frozen(slots=True)
class Outlook:
    """The summary and outlook of a period (see :func:`summarize`), and the supervisor's own text.

    Example:
        >>> Outlook((), (), (), (), "下月重点:备件").to_dict()["supervisor"]
        '下月重点:备件'
    """

    highlights: tuple[OutlookItem, ...]
    lowlights: tuple[OutlookItem, ...]
    actions_due: tuple[ActionItem, ...]
    risks: tuple[OutlookItem, ...]
    supervisor: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "highlights": [item.to_dict() for item in self.highlights],
            "lowlights": [item.to_dict() for item in self.lowlights],
            "actions_due": [
                {"title": a.title, "owner": a.owner, "due": _iso(a.due), "status": a.status}
                for a in self.actions_due
            ],
            "risks": [item.to_dict() for item in self.risks],
            "supervisor": self.supervisor,
        }


def _iso(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def action_due(item: ActionItem) -> date | None:
    """The due date of an action line: a date, a date-time (its date) or an ISO date text.

    Example:
        >>> action_due(ActionItem("a", "b", "2026-12-15")), action_due(ActionItem("a", "b", "soon"))
        (datetime.date(2026, 12, 15), None)
    """
    due = item.due
    if isinstance(due, datetime):
        return due.date()
    if isinstance(due, date):
        return due
    if isinstance(due, str):
        try:
            return date.fromisoformat(due[:10])
        except ValueError:
            return None
    return None


def _changes(report: _DeckContent, skip: set[str]) -> tuple[list[OutlookItem], list[OutlookItem]]:
    better: list[tuple[float, OutlookItem]] = []
    worse: list[tuple[float, OutlookItem]] = []
    for key in INDICATORS:
        sense = BETTER[key]
        change = report.period_change(key)
        if sense == 0 or key in skip or change.value is None or change.value == 0:
            continue
        item = OutlookItem("improved", key, value=report.value(key), change=change)
        gain = sense * change.value
        if gain > 0:
            better.append((gain, item))
        else:
            worse.append((-gain, attrs.evolve(item, kind="declined")))
    ranked = [
        [item for _, item in sorted(group, key=lambda pair: -pair[0])[:MOST_CHANGES]]
        for group in (better, worse)
    ]
    return ranked[0], ranked[1]


def summarize(report: _DeckContent) -> Outlook:
    """The summary and outlook of ``report`` (see the module's description for each part).

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.reports import monthly
        >>> outlook = summarize(monthly([], "2026-10", calendar=WorkCalendar.china()))
        >>> outlook.highlights, outlook.lowlights, outlook.risks
        ((), (), ())
    """
    met: list[OutlookItem] = []
    missed: list[OutlookItem] = []
    for target in report.targets:
        value = report.value(target.indicator)
        verdict = target.met_by(value)
        if verdict is None:
            continue
        item = OutlookItem(
            "target_met" if verdict else "target_missed",
            target.indicator,
            value=value,
            target=target.value,
            direction=target.direction,
        )
        (met if verdict else missed).append(item)
    for figure in report.external_figures:
        if figure.mark is not None:
            item = OutlookItem(
                "target_met" if figure.mark == "met" else "target_missed",
                figure.key,
                value=figure.value,
                target=figure.target,
                direction=figure.direction,
            )
            (met if figure.mark == "met" else missed).append(item)
    improved, declined = _changes(report, {item.indicator for item in (*met, *missed)})
    following = report.period.next()
    due = tuple(
        a
        for a in report.actions
        if (day := action_due(a)) is not None and following.first <= day <= following.last
    )
    return Outlook(
        tuple(met + improved),
        tuple(missed + declined),
        due,
        tuple(_risks(report)),
        default_masking().text(report.supervisor_notes),
    )


def _risks(report: _DeckContent) -> list[OutlookItem]:
    f = report.figures
    risks = [
        OutlookItem("sla_breached", item.metric, count=item.breached)
        for item in f.sla
        if item.breached > 0
    ]
    for event in f.events:
        subject = event.name if event.kind == "customer_batch" else event.key
        risks.append(
            OutlookItem(
                "major_event",
                event.kind,
                value=None if event.rate is None else 100 * event.rate,
                count=event.count,
                subject=subject,
            )
        )
    for action in report.actions:
        day = action_due(action)
        if day is not None and day <= report.period.last:
            risks.append(OutlookItem("overdue_action", action.owner, subject=action.title, due=day))
    if f.ageing and f.ageing[-1][1] > 0:
        name, count = f.ageing[-1]
        risks.append(OutlookItem("old_backlog", subject=name, count=count))
    return risks
