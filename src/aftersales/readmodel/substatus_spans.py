"""A ticket's stays in its sub-statuses (待备件 …), as its facts keep them and the KPIs read them.

A stay (:class:`SpanFacts`) begins at the ``set_substatus`` event that gives
the ticket a sub-status and ends at the next event that changes it: another
``set_substatus``, or any change of status, which clears it (see
:func:`~aftersales.model.substatus.substatus_path`). A stay still going on at
the ticket's last event has no end yet. :func:`substatus_spans` lists a
ticket's stays with their working time on a calendar; :func:`substatus_time`
reduces them to one row per sub-status, what a
:class:`~aftersales.kpi.TicketFacts` holds: the stays that ended (how many,
their working and calendar time) and whether the ticket is in it still.
Domain layer: imports only the model.

Example:
    >>> import pendulum
    >>> from aftersales.model.events import SubstatusSet
    >>> from aftersales.testing.samples import sample_ticket
    >>> opened = sample_ticket()
    >>> ticket = type(opened).replay(opened.history[:4])  # in progress
    >>> at = ticket.updated_at.add(hours=1)
    >>> ticket = ticket.apply(ticket.new_event(SubstatusSet, by="李工", at=at,
    ...                                        substatus="waiting_parts"))
    >>> ticket = ticket.apply(ticket.new_event(SubstatusSet, by="李工", at=at.add(hours=3),
    ...                                        substatus=None))
    >>> spans = substatus_spans(ticket, lambda start, end: end - start)
    >>> [(s.substatus, s.calendar_us // 3_600_000_000) for s in spans]
    [('waiting_parts', 3)]
    >>> substatus_time(spans)
    (('waiting_parts', 1, 10800000000, 10800000000, False),)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from aftersales.model.substatus import substatus_path
from aftersales.model.ticket import Ticket

__all__ = ["SpanFacts", "SubstatusRow", "substatus_spans", "substatus_time"]

#: One sub-status of a ticket: code, stays ended, their working µs, their
#: calendar µs, and whether the ticket is in it (a stay not ended).
SubstatusRow = tuple[str, int, int, int, bool]


@attrs.frozen(slots=True)
class SpanFacts:
    """One stay in a sub-status: its code, when it began and ended (µs since the epoch).

    ``ended_us`` and ``work_us`` (its working time on the facts' calendar)
    are ``None`` while the stay goes on.

    Example:
        >>> SpanFacts("waiting_parts", 0, 7_200_000_000, 3_600_000_000).calendar_us
        7200000000
    """

    substatus: str
    started_us: int
    ended_us: int | None
    work_us: int | None

    @property
    def calendar_us(self) -> int | None:
        """The stay's calendar time in µs (``None`` while it goes on)."""
        return None if self.ended_us is None else self.ended_us - self.started_us


def substatus_spans(
    ticket: Ticket, working_time: Callable[[int, int], float]
) -> tuple[SpanFacts, ...]:
    """The stays of ``ticket`` in its sub-statuses, in time order.

    ``working_time(start_us, end_us)`` measures a stay's working time (µs).
    """
    history = ticket.history
    path = substatus_path(ticket)
    spans: list[SpanFacts] = []
    current: str | None = None
    started = 0
    for event, code in zip(history, path, strict=True):
        if code == current:
            continue
        instant = event.at_us
        if current is not None:
            spans.append(SpanFacts(current, started, instant, int(working_time(started, instant))))
        current, started = code, instant
    if current is not None:
        spans.append(SpanFacts(current, started, None, None))
    return tuple(spans)


def substatus_time(spans: Iterable[SpanFacts]) -> tuple[SubstatusRow, ...]:
    """One :data:`SubstatusRow` per sub-status the stays were in, by code.

    Example:
        >>> substatus_time([SpanFacts("waiting_parts", 0, 10, 4), SpanFacts("waiting_parts", 20, None, None)])
        (('waiting_parts', 1, 4, 10, True),)
    """
    rows: dict[str, list[int]] = {}
    for span in spans:
        row = rows.setdefault(span.substatus, [0, 0, 0, 0])
        if span.ended_us is None or span.work_us is None:
            row[3] = 1
            continue
        row[0] += 1
        row[1] += span.work_us
        row[2] += span.ended_us - span.started_us
    return tuple(
        (code, ended, work, calendar, bool(waiting))
        for code, (ended, work, calendar, waiting) in sorted(rows.items())
    )
