"""SLA triggers: the ticket events that start, stop, resume or void a clock.

Imports only the lifecycle (the command names), the event model and the errors.

Example:
    >>> visit = Trigger("record_visit", lambda e: e.score < 3, "visit scored under 3")
    >>> visit.command, visit.label
    ('record_visit', 'visit scored under 3')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from aftersales._shown import shown
from aftersales.errors import InvalidData, UnknownValue
from aftersales.lifecycle import TRANSITIONS, current_command
from aftersales.model.events import TicketEvent

__all__ = ["Trigger"]


@attrs.frozen(slots=True)
class Trigger:
    """An event that starts, stops, resumes or voids a clock: a command, optionally filtered.

    ``unless`` holds triggers that keep this one from firing when one of them
    matched an earlier event since the clock last started, stopped or resumed
    (since the ticket opened, before any cycle): "execution finished, unless an
    on-site visit was booked". A command's old name (``customer_agrees``) is
    taken as its new one (``record_agreement``), with a :class:`DeprecationWarning`.

    Example:
        >>> low = Trigger("record_visit", lambda e: e.low_score, "low-score visit")
        >>> low.command, low.label
        ('record_visit', 'low-score visit')
        >>> remote = Trigger("finish_execution", unless=(Trigger("book_onsite_visit"),))
        >>> [t.command for t in remote.unless]
        ['book_onsite_visit']
    """

    command: str
    when: Callable[[Any], bool] | None = attrs.field(default=None, eq=False)
    label: str = ""
    unless: tuple[Trigger, ...] = attrs.field(default=(), kw_only=True)

    def __attrs_post_init__(self) -> None:
        if isinstance(self.command, str):  # an old command name becomes its new one (warns)
            object.__setattr__(self, "command", current_command(self.command, stacklevel=3))
        if self.command not in TRANSITIONS.commands and self.command != "open_ticket":
            raise UnknownValue("command", self.command, ("open_ticket", *TRANSITIONS.commands))
        if not isinstance(self.unless, tuple) or not all(
            isinstance(t, Trigger) and not t.unless for t in self.unless
        ):
            message = (
                f"{shown(self.unless)}; accepted: a tuple of Trigger values"
                " without an unless of their own"
            )
            raise InvalidData(f"unless: {message}", problems=[("unless", message)])
        if self.when is not None and not callable(self.when):
            message = (
                f"{type(self.when).__name__} is not callable; accepted: None or a function"
                " of the event"
            )
            raise InvalidData(f"when: {message}", problems=[("when", message)])
        if not isinstance(self.label, str):
            message = f"{type(self.label).__name__} is not a text; accepted: a text"
            raise InvalidData(f"label: {message}", problems=[("label", message)])

    def matches(self, event: TicketEvent) -> bool:
        """True when ``event`` records this command and passes the filter.

        ``unless`` is not looked at here: it depends on the events before, which
        the clock follows.
        """
        return event.command == self.command and (self.when is None or bool(self.when(event)))
