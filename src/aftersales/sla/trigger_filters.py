"""Trigger filters as data: the conditions an SLA trigger may put on its event, by name.

A :class:`~aftersales.sla.triggers.Trigger` may filter its event with any
function; a policy file cannot hold a function, so it names one of these
filters instead. A :class:`TriggerFilter` is a value (equal filters compare
equal) and is called like the function it stands for. :func:`filter_of`
names the built-in metrics' own functions as filters, so a policy written in
code with them can be written as a file. Imports the metrics only.

Example:
    >>> from aftersales.sla.triggers import Trigger
    >>> low = Trigger("record_visit", TriggerFilter("score_below", 3), "visit scored under 3")
    >>> low.when == TriggerFilter("score_below", 3), low.when.commands
    (True, ('record_visit',))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import attrs

from aftersales.errors import InvalidData

__all__ = ["FILTER_KINDS", "TriggerFilter", "filter_of"]

#: Each filter's command (the event it reads) and what it keeps, by name.
FILTER_KINDS: Final = {
    "score_below": ("record_visit", "a return visit scored under the value (1–5)"),
    "visit_reopens": ("record_visit", "a return visit that leaves the problem unresolved"),
    "visit_closes": ("record_visit", "a return visit that closes the ticket"),
    "outbound": ("record_contact", "a contact the desk made to the customer"),
    "inbound": ("record_contact", "a contact from the customer"),
    "onsite": ("record_progress", "progress recorded with the engineer on site"),
}


def _kind(instance: TriggerFilter, attribute: attrs.Attribute[str], value: object) -> None:
    if value not in FILTER_KINDS:
        message = (
            f"{value!r} is not a trigger filter; accepted: {', '.join(map(repr, FILTER_KINDS))}"
        )
        raise InvalidData(f"when: {message}", problems=[("when", message)])


@attrs.frozen(slots=True)
class TriggerFilter:
    """A named condition on a trigger's event; ``value`` is the threshold of ``score_below``.

    Example:
        >>> TriggerFilter("score_below", 7)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: when.score_below: 7 is not a score threshold; accepted: an integer from 1 to 5
        >>> TriggerFilter("outbound").commands
        ('record_contact',)
    """

    kind: str = attrs.field(validator=_kind)
    value: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.kind == "score_below":
            if (
                isinstance(self.value, bool)
                or not isinstance(self.value, int)
                or not (1 <= self.value <= 5)
            ):
                path = "when.score_below"
                message = (
                    f"{self.value!r} is not a score threshold; accepted: an integer from 1 to 5"
                )
                raise InvalidData(f"{path}: {message}", problems=[(path, message)])
        elif self.value is not None:
            path = f"when.{self.kind}"
            message = f"{self.value!r}: this filter takes no value; accepted: none"
            raise InvalidData(f"{path}: {message}", problems=[(path, message)])

    @property
    def commands(self) -> tuple[str, ...]:
        """The commands whose events this filter reads (a trigger on another is refused)."""
        return (FILTER_KINDS[self.kind][0],)

    def __call__(self, event: Any) -> bool:
        """True when ``event`` passes the filter."""
        if self.kind == "score_below":
            assert self.value is not None
            return bool(event.score < self.value)
        if self.kind in ("visit_reopens", "visit_closes"):
            return bool(event.visit_closes) is (self.kind == "visit_closes")
        if self.kind in ("outbound", "inbound"):
            return bool(event.inbound) is (self.kind == "inbound")
        return bool(event.onsite)


_METRICS = "aftersales.sla.metrics"
_HELPDESK = "aftersales.sla.helpdesk_metrics"
#: The built-in metrics' filter functions (module, qualified name) and the filter each is.
_BUILT_IN: Final = {
    (_METRICS, "_visit_reopens"): TriggerFilter("visit_reopens"),
    (_METRICS, "_outbound"): TriggerFilter("outbound"),
    (_METRICS, "_onsite"): TriggerFilter("onsite"),
    (_HELPDESK, "_inbound"): TriggerFilter("inbound"),
    (_HELPDESK, "_outbound"): TriggerFilter("outbound"),
    (_HELPDESK, "_closes"): TriggerFilter("visit_closes"),
    (_HELPDESK, "_resumed.<locals>.<lambda>"): TriggerFilter("visit_reopens"),
    (_HELPDESK, "_periodic_update.<locals>.<lambda>"): TriggerFilter("visit_reopens"),
}
_SCORE_LAMBDA: Final = (_METRICS, "default_metrics.<locals>.<lambda>")


def filter_of(function: Callable[..., Any] | None) -> TriggerFilter | None:
    """The filter ``function`` is, when it is a filter or one of the built-in metrics' functions.

    ``None`` for ``None``; :class:`~aftersales.errors.InvalidData` for another
    function (a policy file cannot express it).

    Example:
        >>> from aftersales.sla.metrics import default_metrics
        >>> low_score = default_metrics(visit_threshold=4)[3].starts[0]
        >>> filter_of(low_score.when)
        TriggerFilter(kind='score_below', value=4)
        >>> filter_of(lambda event: True)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: when: a function (<lambda>) a policy file cannot express; accepted: a TriggerFilter or a built-in metric's filter
    """
    if function is None or isinstance(function, TriggerFilter):
        return function
    where = (str(getattr(function, "__module__", "")), str(getattr(function, "__qualname__", "")))
    cells: tuple[Any, ...] = getattr(function, "__closure__", None) or ()
    built_in = _BUILT_IN.get(where)
    if built_in is not None and not cells:
        return built_in
    if where == _SCORE_LAMBDA and len(cells) == 1 and isinstance(cells[0].cell_contents, int):
        return TriggerFilter("score_below", cells[0].cell_contents)
    name = getattr(function, "__name__", type(function).__name__)
    message = (
        f"a function ({name}) a policy file cannot express;"
        " accepted: a TriggerFilter or a built-in metric's filter"
    )
    raise InvalidData(f"when: {message}", problems=[("when", message)])
