"""The base of every ticket event: which ticket, its position, when and by whom.

An event knows the lifecycle command it records (``command``), checks its own
fields on construction, may refuse a ticket it contradicts (``check_against``)
and knows how it changes the ticket (``fold``, on a
:class:`~aftersales.model.fields.TicketDraft`). Imports: the model's fields and
the domain's checks only.

Example:
    >>> import pendulum
    >>> from aftersales.model.events import Acknowledged
    >>> event = Acknowledged(ticket_id="T1", seq=2, by="李工",
    ...                      at=pendulum.datetime(2024, 5, 10, 14, 42, tz="Asia/Shanghai"))
    >>> event.command, event.at.isoformat()
    ('acknowledge', '2024-05-10T06:42:00+00:00')
"""

from __future__ import annotations

from typing import ClassVar

import attrs
import pendulum

from aftersales import _checks as check
from aftersales.model.fields import TicketDraft
from aftersales.time import utc_us

__all__ = ["BASE_CHECKS", "TicketEvent"]

#: The checks of the fields every event has; an event class adds its own after them.
BASE_CHECKS: check.Checks = (
    ("ticket_id", check.identifier),
    ("seq", check.integer(1)),
    ("at", check.aware),
    ("by", check.text),
)


@attrs.frozen(slots=True, kw_only=True)
class TicketEvent:
    """Base of all ticket events: which ticket, its position, when and by whom.

    ``seq`` is the event's 1-based position in the ticket's history, which is
    also the ticket's version once the event is applied. ``at`` is stored in UTC.

    Example:
        >>> from aftersales.model.events import VisitRecorded
        >>> issubclass(VisitRecorded, TicketEvent)
        True
        >>> VisitRecorded.command
        'record_visit'
    """

    ticket_id: str
    seq: int
    at: pendulum.DateTime
    by: str
    #: ``at`` in microseconds since the Unix epoch, derived on construction for the
    #: clock arithmetic of SLA and KPI code (not stored, not compared).
    at_us: int = attrs.field(init=False, eq=False, repr=False)

    command: ClassVar[str] = ""
    type: ClassVar[str] = ""
    _checks: ClassVar[check.Checks] = BASE_CHECKS

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)
        object.__setattr__(self, "at_us", utc_us(self.at))

    def check_against(self, draft: TicketDraft) -> None:
        """Refuse an event that contradicts the ticket it is applied to (beyond its status)."""

    def fold(self, draft: TicketDraft) -> None:
        """Apply this event's change to a ticket being rebuilt."""
