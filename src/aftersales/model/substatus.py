"""Sub-statuses: what an open ticket waits on inside its lifecycle status (待备件, 待厂家 …).

A company declares its :class:`SubStatus` values, each under one open
lifecycle status and each naming the SLA clocks it pauses; a
:class:`SubStatuses` catalog holds them (on the SLA policy, which checks the
clock names). A ticket's ``substatus`` is set by the ``set_substatus`` command
and cleared by any step of the lifecycle that changes the status, so a
sub-status never outlives the status it belongs to. :func:`substatus_path` gives
the sub-status after each event of a ticket's history, which the SLA clocks
and the KPIs read. Imports the vocabulary and the checks only.

Example:
    >>> parts = SubStatus("waiting_parts", "待备件", "waiting for spare parts",
    ...                   under="in_progress", pauses=("resolution",))
    >>> parts.under.label_zh, sorted(parts.pauses)
    ('执行中', ['resolution'])
    >>> SubStatuses([parts]).get("待备件").code
    'waiting_parts'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.errors import InvalidData, UnknownValue
from aftersales.vocab import TicketStatus

if TYPE_CHECKING:
    from aftersales.model.ticket import Ticket

__all__ = ["AFTER_SALES_SUBSTATUSES", "SubStatus", "SubStatuses", "substatus_path"]

#: The command that sets (or clears) a ticket's sub-status.
SET_SUBSTATUS = "set_substatus"


def _open_status(value: Any, name: str) -> TicketStatus:
    status: TicketStatus = check.member(TicketStatus)(value, name)
    if not status.is_open:
        open_ones = [s.value for s in TicketStatus if s.is_open]
        message = f"{shown(value)} is not an open status; accepted: one of {open_ones}"
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
    return status


def _clock_names(value: Any, name: str) -> frozenset[str]:
    return frozenset(check.tuple_of(check.identifier)(value, name))


@attrs.frozen(slots=True)
class SubStatus:
    """One declared sub-status: a code, labels, its lifecycle status, the clocks it pauses.

    Args:
        code: stable identifier, stored on tickets (``"waiting_parts"``).
        label_zh, label_en: labels for views and reports.
        under: the open lifecycle status it belongs to (a value, member or
            Chinese label).
        pauses: names of the SLA metrics that do not run while a ticket is in
            it (checked against the policy's metrics by the policy).

    Example:
        >>> SubStatus("waiting_manufacturer", "待厂家", "waiting for the manufacturer",
        ...           under="分析中").under
        <TicketStatus.ANALYSING: 'analysing'>
    """

    code: str
    label_zh: str
    label_en: str
    under: TicketStatus = attrs.field(kw_only=True)
    pauses: frozenset[str] = attrs.field(default=frozenset(), kw_only=True)

    _checks: ClassVar[check.Checks] = (
        ("code", check.identifier),
        ("label_zh", check.text),
        ("label_en", check.text),
        ("under", _open_status),
        ("pauses", _clock_names),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)

    def label(self, lang: str = "en") -> str:
        """The label in ``lang`` (``"en"`` or ``"zh"``).

        Example:
            >>> AFTER_SALES_SUBSTATUSES.get("waiting_parts").label("zh")
            '待备件'
        """
        if lang == "zh":
            return self.label_zh
        if lang == "en":
            return self.label_en
        raise UnknownValue("lang", lang, ["en", "zh"])


class SubStatuses:
    """A company's sub-statuses, in their declared order; codes and labels are unique.

    Example:
        >>> catalog = AFTER_SALES_SUBSTATUSES
        >>> [s.code for s in catalog.under("in_progress")]
        ['waiting_parts', 'waiting_customer_return']
        >>> catalog.get("waiting_prts")
        Traceback (most recent call last):
        ...
        aftersales.errors.UnknownValue: substatus: 'waiting_prts' is not a known value; accepted: ...
    """

    __slots__ = ("_by_code", "_items")

    def __init__(self, items: Iterable[SubStatus] = ()) -> None:
        declared = check.tuple_of(check.instance_of(SubStatus))(items, "substatuses")
        problems: list[tuple[str, str]] = []
        seen: dict[str, int] = {}
        for index, item in enumerate(declared):
            for key in (item.code, item.label_zh, item.label_en):
                if key in seen:
                    problems.append(
                        (
                            f"substatuses[{index}]",
                            f"{shown(key)} is also substatuses[{seen[key]}];"
                            " accepted: distinct codes and labels",
                        )
                    )
                seen.setdefault(key, index)
        if problems:
            raise InvalidData.from_problems(problems)
        self._items: tuple[SubStatus, ...] = declared
        self._by_code: dict[str, SubStatus] = {item.code: item for item in declared}

    def __iter__(self) -> Iterator[SubStatus]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SubStatuses):
            return NotImplemented
        return self._items == other._items

    def __hash__(self) -> int:
        return hash(self._items)

    def __repr__(self) -> str:
        return f"SubStatuses({[item.code for item in self._items]!r})"

    def get(self, value: object) -> SubStatus:
        """The sub-status with this code or label; :class:`UnknownValue` otherwise."""
        if isinstance(value, SubStatus) and self._by_code.get(value.code) == value:
            return value
        for item in self._items:
            if value in (item.code, item.label_zh, item.label_en):
                return item
        raise UnknownValue("substatus", value, [item.code for item in self._items])

    def under(self, status: object) -> tuple[SubStatus, ...]:
        """The sub-statuses declared under ``status``, in their order."""
        found = check.member(TicketStatus)(status, "status")
        return tuple(item for item in self._items if item.under is found)

    def pausing(self, metric: str) -> frozenset[str]:
        """The codes of the sub-statuses that pause the metric named ``metric``.

        Example:
            >>> sorted(AFTER_SALES_SUBSTATUSES.pausing("resolution"))
            ['waiting_customer_return', 'waiting_manufacturer', 'waiting_parts']
        """
        return frozenset(item.code for item in self._items if metric in item.pauses)


#: The after-sales sub-statuses of the procedures: waiting for spare parts and for
#: the customer to send the product back (under execution), waiting for the
#: manufacturer (under analysis). Each pauses the resolution clock and the
#: helpdesk's agent work time (the time is on hold); waiting for the customer
#: pauses the requester wait time too (the customer holds the ticket).
AFTER_SALES_SUBSTATUSES = SubStatuses(
    [
        SubStatus(
            "waiting_parts",
            "待备件",
            "waiting for spare parts",
            under=TicketStatus.IN_PROGRESS,
            pauses=frozenset({"resolution", "agent_work"}),
        ),
        SubStatus(
            "waiting_customer_return",
            "待客户寄回",
            "waiting for the customer to send the product",
            under=TicketStatus.IN_PROGRESS,
            pauses=frozenset({"resolution", "agent_work", "requester_wait"}),
        ),
        SubStatus(
            "waiting_manufacturer",
            "待厂家",
            "waiting for the manufacturer",
            under=TicketStatus.ANALYSING,
            pauses=frozenset({"resolution", "agent_work"}),
        ),
    ]
)


def substatus_path(ticket: Ticket) -> tuple[str | None, ...]:
    """The sub-status after each event of ``ticket``'s history (``None``: none).

    ``set_substatus`` sets it (or clears it with ``None``); a step that changes
    the lifecycle status clears it.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> set(substatus_path(ticket))
        {None}
    """
    path: list[str | None] = []
    current: str | None = None
    previous: TicketStatus | None = None
    for event, status in zip(ticket.history, ticket.statuses, strict=True):
        if event.command == SET_SUBSTATUS:
            current = event.substatus  # type: ignore[attr-defined]
        elif status is not previous:
            current = None
        previous = status
        path.append(current)
    return tuple(path)
