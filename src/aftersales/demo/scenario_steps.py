"""What every demo scenario does to a desk: move its clock, set the attributes its store declares.

Example:
    >>> from aftersales import ServiceDesk
    >>> attributes_declared(ServiceDesk(), warranty_type="保内")
    {}
"""

from __future__ import annotations

from aftersales._shown import shown
from aftersales.errors import InvalidData
from aftersales.service.attribute_arguments import declared_attributes
from aftersales.service.desk import ServiceDesk
from aftersales.time import FixedClock

__all__ = ["attributes_declared", "moving_clock", "set_declared_attributes"]


def moving_clock(desk: ServiceDesk) -> FixedClock:
    """The desk's clock, which the scenarios move on; ``InvalidData`` unless a :class:`FixedClock`.

    Example:
        >>> import pendulum
        >>> from aftersales import ServiceDesk
        >>> start = pendulum.datetime(2026, 10, 12, 9, 5, tz="Asia/Shanghai")
        >>> moving_clock(ServiceDesk(clock=FixedClock(start))).now() == start
        True
    """
    clock = desk.clock
    if not isinstance(clock, FixedClock):
        message = (
            f"{shown(clock)} is not a FixedClock; accepted: a desk on a FixedClock, whose"
            " time the scenarios move on, e.g. ServiceDesk(clock=FixedClock(...))"
        )
        raise InvalidData(f"desk.clock: {message}", problems=[("desk.clock", message)])
    return clock


def attributes_declared(desk: ServiceDesk, **values: str) -> dict[str, str]:
    """``values`` when the desk's store declares the demo attributes, else none.

    Example:
        >>> from aftersales import ServiceDesk
        >>> attributes_declared(ServiceDesk(), replaced_part="研磨电机")
        {}
    """
    declared = declared_attributes(desk)
    return {name: value for name, value in values.items() if name in declared}


def set_declared_attributes(desk: ServiceDesk, ticket_id: str, *, by: str, **values: str) -> None:
    """Set ``values`` on the ticket, those the store declares (nothing when it declares none).

    Example:
        >>> from aftersales import ServiceDesk
        >>> set_declared_attributes(ServiceDesk(), "T1", by="王工程师", replaced_part="研磨电机")
    """
    found = attributes_declared(desk, **values)
    if found:
        desk.set_attributes(ticket_id, by=by, attributes=found)
