"""A picture of one SLA clock cycle: which stretches counted, which were skipped.

:func:`timeline_svg` draws a :class:`~aftersales.sla.MetricResult` as a
self-contained SVG bar on real time: working stretches that counted, hours
off / weekends / holidays that were skipped, pauses, the warning levels
crossed and the due time. It needs nothing but the standard library, so front
ends and reports can embed it as is.

Imports the results and the calendar's reasons; no other SLA module imports it.

Example:
    >>> from aftersales.calendar import WorkCalendar
    >>> from aftersales.sla import SlaPolicy
    >>> from aftersales.testing.samples import sample_ticket
    >>> ticket = sample_ticket()
    >>> result = SlaPolicy.default(WorkCalendar.china()).evaluate(ticket, ticket.updated_at)[
    ...     "first_response"]
    >>> svg = timeline_svg(result)
    >>> svg.startswith("<svg") and "counted" in svg
    True
"""

from __future__ import annotations

from html import escape

import pendulum

from aftersales import _checks as check
from aftersales.calendar import OFF_HOURS, SPECIAL_CLOSED, WEEKEND
from aftersales.errors import UnknownValue
from aftersales.sla.results import MetricResult, SlaState

__all__ = ["timeline_svg"]

_COLOURS = {
    "counted": "#2f6fdb",
    "skipped": "#d9dde4",
    "paused": "#f2b233",
    "remaining": "#ffffff",
}
_STATE_COLOURS = {
    SlaState.MET: "#1e9e5a",
    SlaState.BREACHED: "#d93a3a",
    SlaState.RUNNING: "#2f6fdb",
    SlaState.PAUSED: "#f2b233",
    SlaState.CANCELLED: "#8a8f98",
    SlaState.NOT_APPLICABLE: "#8a8f98",
}
#: States whose cycle ended without a measure: the picture marks the end, not a due time.
_ENDED = (SlaState.CANCELLED, SlaState.NOT_APPLICABLE)
_WORDS = {
    "counted": ("计入", "counted"),
    "skipped": ("跳过", "skipped"),
    "paused": ("暂停", "paused"),
    "remaining": ("剩余", "remaining"),
    "due": ("到期", "due"),
    "warning": ("预警", "warning"),
    "start": ("开始", "start"),
    "ended": ("结束", "ended"),
}


#: The calendar's generic reasons, in Chinese (holiday names come localised already).
_REASONS = {
    (OFF_HOURS, "zh"): "非工作时间",
    (WEEKEND, "zh"): "周末",
    (SPECIAL_CLOSED, "zh"): "特殊安排",
}


def _word(key: str, lang: str) -> str:
    zh, en = _WORDS[key]
    return zh if lang == "zh" else en


def timeline_svg(result: MetricResult, *, lang: str = "en", width: int = 760) -> str:
    """The cycle of ``result`` as an SVG timeline (``lang`` ``"en"`` or ``"zh"``).

    Real time runs left to right from the cycle's start to the later of its
    last stretch and its due time. Counted working time is blue, skipped
    non-working time grey (with the holiday's name when there is room), pauses
    amber, and the working time still left before the due time is an outline.
    Ticks mark the warning levels crossed; the due time is a line in the
    state's colour. A cycle that ended ``not_applicable`` or ``cancelled`` has
    no due time: a grey line marks when it ended, labelled with the state.

    Example:
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.sla import SlaPolicy
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> report = SlaPolicy.default(WorkCalendar.china()).evaluate(ticket, ticket.updated_at)
        >>> timeline_svg(report["resolution"], lang="zh").count("<rect") >= 3
        True
    """
    if lang not in ("en", "zh"):
        raise UnknownValue("lang", lang, ["en", "zh"])
    width = check.integer(100, 10_000)(width, "width")
    calendar = result.calendar
    zone = calendar.tz
    start = result.started_at
    last = result.intervals[-1].end if result.intervals else start
    stopped = result.stopped_at
    ended = result.state in _ENDED and stopped is not None
    due = stopped if ended and stopped is not None else result.due_at
    end = max(last, due)
    span = max((end - start).total_seconds(), 1.0)
    left, right, top, bar = 16, 16, 44, 30
    inner = width - left - right

    def x(moment: pendulum.DateTime) -> float:
        return left + inner * (moment - start).total_seconds() / span

    shapes: list[str] = []

    def rect(a: pendulum.DateTime, b: pendulum.DateTime, kind: str, label: str) -> None:
        x0, x1 = x(a), x(b)
        if x1 - x0 < 0.2:
            return
        stroke = ' stroke="#2f6fdb" stroke-dasharray="4 3"' if kind == "remaining" else ""
        shapes.append(
            f'<rect x="{x0:.1f}" y="{top}" width="{x1 - x0:.1f}" height="{bar}" '
            f'fill="{_COLOURS[kind]}"{stroke}><title>{escape(label)}</title></rect>'
        )
        if kind == "skipped" and label and _text_width(label) + 8 < x1 - x0:
            shapes.append(
                f'<text x="{(x0 + x1) / 2:.1f}" y="{top + bar / 2 + 4}" font-size="10" '
                f'text-anchor="middle" fill="#555">{escape(label)}</text>'
            )

    def stamp(moment: pendulum.DateTime) -> str:
        return moment.in_timezone(zone).format("MM-DD HH:mm")

    for interval in result.intervals:
        if interval.kind == "paused":
            rect(interval.start, interval.end, "paused", _word("paused", lang))
            continue
        for segment in calendar.segments(interval.start, interval.end):
            if segment.working:
                rect(segment.start, segment.end, "counted", _word("counted", lang))
            else:
                reason = segment.reason or ""
                rect(segment.start, segment.end, "skipped", _REASONS.get((reason, lang), reason))
    if result.state in (SlaState.RUNNING, SlaState.PAUSED) and due > last:
        rect(last, due, "remaining", _word("remaining", lang))

    for level, moment in enumerate(result.warned_at, start=1):
        xm = x(moment)
        shapes.append(
            f'<line x1="{xm:.1f}" y1="{top - 6}" x2="{xm:.1f}" y2="{top + bar + 6}" '
            f'stroke="#e07b00" stroke-width="2"><title>{_word("warning", lang)} {level}: '
            f"{stamp(moment)}</title></line>"
        )
    colour = _STATE_COLOURS[result.state]
    xd = x(due)
    shapes.append(
        f'<line x1="{xd:.1f}" y1="{top - 10}" x2="{xd:.1f}" y2="{top + bar + 10}" '
        f'stroke="{colour}" stroke-width="3"/>'
    )
    anchor = "end" if xd > width - 120 else "start"
    mark = f"{_word('ended', lang)} ({result.state.label(lang)})" if ended else _word("due", lang)
    shapes.append(
        f'<text x="{xd + (-4 if anchor == "end" else 4):.1f}" y="{top + bar + 24}" font-size="11" '
        f'text-anchor="{anchor}" fill="{colour}">{escape(mark)} {stamp(due)}</text>'
    )
    shapes.append(
        f'<text x="{left}" y="{top + bar + 24}" font-size="11" fill="#333">'
        f"{_word('start', lang)} {stamp(start)}</text>"
    )
    title = (
        f"{result.metric} #{result.cycle + 1} · {result.state.label(lang)} · "
        f"{_hours(result.elapsed.total_seconds())} / {_hours(result.budget.total_seconds())}"
    )
    legend = []
    for index, kind in enumerate(("counted", "skipped", "paused", "remaining")):
        lx = left + index * 110
        stroke = ' stroke="#2f6fdb" stroke-dasharray="3 2"' if kind == "remaining" else ""
        legend.append(
            f'<rect x="{lx}" y="{top + bar + 36}" width="12" height="12" '
            f'fill="{_COLOURS[kind]}"{stroke}/><text x="{lx + 16}" y="{top + bar + 46}" '
            f'font-size="11" fill="#333">{_word(kind, lang)}</text>'
        )
    height = top + bar + 58
    body = "".join(shapes + legend)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" role="img" '
        f'aria-label="{escape(title)}"><text x="{left}" y="24" font-size="14" '
        f'font-weight="bold" fill="#222">{escape(title)}</text>{body}</svg>'
    )


def _text_width(text: str, size: int = 10) -> float:
    """Rough rendered width: CJK characters are square, others about 0.6 em."""
    return sum(size if ord(ch) >= 0x2E80 else 0.6 * size for ch in text)


def _hours(seconds: float) -> str:
    minutes = int(seconds) // 60
    return f"{minutes // 60}h{minutes % 60:02d}m"
