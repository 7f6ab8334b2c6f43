"""The SLA notice events: a clock crossed a warning level or went past its target.

Recorded once per clock cycle and level, so that a host notifies once (see
:meth:`aftersales.ServiceDesk.check_sla`). Imports: the event base only.

Example:
    >>> SlaWarning.type, SlaBreached.type
    ('sla_warning', 'sla_breached')
"""

from __future__ import annotations

from typing import ClassVar

import attrs
import pendulum

from aftersales import _checks as check
from aftersales.model.events.base import BASE_CHECKS, TicketEvent

__all__ = [
    "SlaBreached",
    "SlaCrossing",
    "SlaWarning",
]


@attrs.frozen(slots=True, kw_only=True)
class SlaCrossing(TicketEvent):
    """What an SLA notice records: which clock, which cycle and level, and when.

    ``at`` is when the crossing was noticed; ``crossed_at`` when it happened.

    Example:
        >>> issubclass(SlaWarning, SlaCrossing) and issubclass(SlaBreached, SlaCrossing)
        True
    """

    metric: str
    cycle: int
    level: int
    crossed_at: pendulum.DateTime
    due_at: pendulum.DateTime

    _checks: ClassVar[check.Checks] = BASE_CHECKS + (
        ("metric", check.identifier),
        ("cycle", check.integer(0)),
        ("level", check.integer(1, 99)),
        ("crossed_at", check.aware),
        ("due_at", check.aware),
    )


@attrs.frozen(slots=True, kw_only=True)
class SlaWarning(SlaCrossing):
    """An SLA clock crossed a warning level (recorded once, so hosts notify once).

    Example:
        >>> SlaWarning.command
        'record_sla_warning'
    """

    command: ClassVar[str] = "record_sla_warning"
    type: ClassVar[str] = "sla_warning"


@attrs.frozen(slots=True, kw_only=True)
class SlaBreached(SlaCrossing):
    """An SLA clock went past its target (recorded once, so hosts notify once).

    Example:
        >>> SlaBreached.command
        'record_sla_breach'
    """

    command: ClassVar[str] = "record_sla_breach"
    type: ClassVar[str] = "sla_breached"
