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
from aftersales.model.masking import default_masking
from aftersales.model.substatus import SubStatuses
from aftersales.reports import layout
from aftersales.reports.blocks import Section
from aftersales.reports.comparisons import PeriodComparisons
from aftersales.reports.external_figures import ExternalFigure
from aftersales.reports.html import html
from aftersales.reports.indicators import INDICATORS
from aftersales.reports.labels import check_lang, text
from aftersales.reports.lines import ActionItem, FeedbackLine, TicketLine
from aftersales.reports.markdown import markdown
from aftersales.reports.office_methods import OfficeFiles
from aftersales.reports.targets import KpiTargets
from aftersales.reports.templating import TemplateSource
from aftersales.vocabulary import Vocabulary

__all__ = [
    "ActionItem",
    "DailyReport",
    "FeedbackLine",
    "MonthlyReport",
    "TicketLine",
    "WeeklyReport",
]


def _masked_text(text: str) -> str:
    """The repr of free text with the contacts written in it masked."""
    return repr(default_masking().text(text))


class _Rendered(OfficeFiles):
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

    def to_markdown(self, lang: str = "zh", *, templates: TemplateSource = None) -> str:
        """The report as GitHub-flavoured Markdown in ``lang`` (``"zh"`` or ``"en"``).

        Every string that comes from data is escaped (see
        :func:`~aftersales.reports.escaping.escape_markdown`): a Markdown
        renderer shows it as text and builds no tag, link or image from it.
        ``templates`` (a folder or a Jinja2 loader) overrides the package's
        templates (see :mod:`~aftersales.reports.templating`).
        """
        check_lang(lang)
        with self._labels():
            return markdown(
                self.title(lang),
                self.sections(lang),
                note=self.read_note(lang),
                lang=lang,
                templates=templates,
            )

    def to_html(
        self, lang: str = "zh", *, charts: bool = True, templates: TemplateSource = None
    ) -> str:
        """The report as one self-contained HTML page; charts as inline SVG when pygal is installed.

        ``templates`` (a folder or a Jinja2 loader) overrides the package's
        templates (see :mod:`~aftersales.reports.templating`).
        """
        check_lang(lang)
        with self._labels():
            return html(
                self.title(lang),
                self.sections(lang),
                lang=lang,
                charts=charts,
                note=self.read_note(lang),
                templates=templates,
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
class MonthlyReport(_Rendered, PeriodComparisons):
    """The monthly report (月报) — also the quarterly (季报) and yearly (年报) one, by its period.

    Laid out as the deck a supervisor presents (:mod:`~aftersales.reports.deck_layout`):
    overview; KPIs (each against its target in ``targets``, 环比 as
    :meth:`period_change`, 同比 as :meth:`year_change` when last year has
    data, the rolling 3-period average of :meth:`rolling`; the host's
    ``external_figures``; SLA achievement); problems and challenges; the
    improvement plan (``actions``); customer feedback; summary and outlook
    (:meth:`outlook`, with the supervisor's ``supervisor_notes``).
    ``history`` holds the two previous periods' figures, the most recent
    first; ``year_ago`` the same period a year before, ``None`` when it
    received no ticket.

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
    #: The KPI table's targets (met / missed marks; no column when empty).
    targets: KpiTargets = attrs.field(factory=KpiTargets.default)
    #: Figures the host supplies from other systems, shown in the KPI section.
    external_figures: tuple[ExternalFigure, ...] = ()
    #: The same period a year before (同比), ``None`` when it received no ticket.
    year_ago: KpiFigures | None = None
    #: The supervisor's own text for the summary and outlook (plain text or Markdown, shown escaped).
    supervisor_notes: str = attrs.field(default="", repr=_masked_text)

    @property
    def kind(self) -> str:
        """``"monthly"``, ``"quarterly"`` or ``"yearly"``, by the period.

        Example:
            >>> from aftersales.reports import quarterly
            >>> from aftersales.calendar import WorkCalendar
            >>> quarterly([], "2026-Q3", calendar=WorkCalendar.china()).kind
            'quarterly'
        """
        return {"quarter": "quarterly", "year": "yearly"}.get(self.period.kind, "monthly")

    def title(self, lang: str) -> str:
        """The report's title."""
        return f"{text(self.kind, lang)} {self.period.label}"

    def sections(self, lang: str) -> list[Section]:
        """The report's sections."""
        return layout.monthly_sections(self, lang)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the figures, the KPI table (targets, marks, 环比 and 同比),
        the host's figures and the summary and outlook."""
        return {
            "kind": self.kind,
            "period": self.period.label,
            "read_at": self._read_at_local(),
            "figures": self.figures.to_dict(),
            "history": [f.to_dict() for f in self.history],
            "year_ago": None if self.year_ago is None else self.year_ago.to_dict(),
            "months_with_data": self.months_with_data(),
            "targets": self.targets.to_dict(),
            "kpi_table": [self.kpi_row(key) for key in INDICATORS],
            "external_figures": [figure.to_dict() for figure in self.external_figures],
            "outlook": self.outlook().to_dict(),
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
