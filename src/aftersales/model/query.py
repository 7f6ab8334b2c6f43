"""A selection of tickets: the filters, the order and the page a query asks for.

:class:`TicketQuery` is a domain value: reports, services and stores all
describe "which tickets" with it, and its :meth:`~TicketQuery.select` is the
reference semantics every store's ``find`` agrees with. It imports only the
domain (model, vocabulary, checks).

Example:
    >>> from aftersales.testing.samples import sample_ticket
    >>> TicketQuery(open_only=True).matches(sample_ticket())
    False
    >>> ORDERS
    ('received', 'due')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Final, Literal, TypeVar, cast

import attrs
import pendulum

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.errors import InvalidData, NotFound, UnknownValue
from aftersales.model.attribute_values import attribute_name, query_text, value_texts
from aftersales.model.tags import tag_set
from aftersales.model.ticket import Ticket
from aftersales.vocab import Channel, Priority, ProblemCategory, Term, TicketStatus, TicketType

__all__ = ["ORDERS", "Order", "TicketQuery"]


def _optional_limit(value: Any, name: str) -> int | None:
    return None if value is None else check.integer(0)(value, name)


def _optional_id(value: Any, name: str) -> str | None:
    return None if value is None else check.identifier(value, name)


def _attribute_filters(value: Any, name: str) -> tuple[tuple[str, str], ...]:
    """A mapping of attribute names to values (or such pairs) as sorted ``(name, text)`` pairs."""
    pairs = value.items() if isinstance(value, Mapping) else check.items(value, name)
    problems: list[tuple[str, str]] = []
    found: dict[str, str] = {}
    for pair in pairs:
        if not (isinstance(pair, tuple) and len(pair) == 2):
            message = (
                f"{shown(pair)} is not a (name, value) pair; accepted: a mapping of names to values"
            )
            problems.append((name, message))
            continue
        key, wanted = pair
        where = f"{name}.{key}" if isinstance(key, str) else name
        try:
            found[attribute_name(key, where)] = query_text(wanted, where)
        except InvalidData as error:
            problems += error.problems
    if problems:
        raise InvalidData.from_problems(problems)
    return tuple(sorted(found.items()))


def _as_given(value: Iterable[str]) -> Any:
    """The tags as given (a list, a set …): the field's check reads and normalises them."""
    return value


def _given_filters(
    value: Mapping[str, Any] | Iterable[tuple[str, Any]],
) -> tuple[tuple[str, str], ...]:
    """The attribute filters as given (a mapping, or pairs): checked with the other fields."""
    return cast(tuple[tuple[str, str], ...], value)


def _tags(value: Any, name: str) -> frozenset[str]:
    """A list of tags, in their normal forms (``InvalidTag`` naming a bad one)."""
    normal = frozenset(tag_set(value, name))
    return value if normal == value else normal


#: How a store's ``find`` orders its results (see :class:`TicketQuery`).
Order = Literal["received", "due"]
#: The accepted values of ``TicketQuery.order``.
ORDERS: Final[tuple[Order, ...]] = ("received", "due")


def _order(value: Any, name: str) -> Order:
    if isinstance(value, str) and value in ORDERS:
        return value
    raise UnknownValue(name, value, ORDERS)


T = TypeVar("T", bound=Term)


def _term_or_text(vocabulary: type[Term]) -> check.Check:
    """A term of the active vocabulary, or else a term or a text for the store to look up."""
    strict = check.term(vocabulary)

    def term_or_text(value: Any, name: str) -> Term | str:
        try:
            return strict(value, name)  # type: ignore[no-any-return]
        except UnknownValue:
            if (isinstance(value, str) and value.strip()) or isinstance(value, vocabulary):
                return value
            raise

    return term_or_text


def _as_term(vocabulary: type[T], value: T | str) -> T | None:
    """``value`` as a term of the active vocabulary (``None``, matching nothing, when unknown)."""
    if not isinstance(value, str):
        return value
    try:
        return vocabulary.get(value)
    except UnknownValue:
        return None


@attrs.frozen(slots=True, kw_only=True)
class TicketQuery:
    """A filter over stored tickets; every given field must match.

    Periods are half-open: ``received_from <= received_at < received_before``
    (likewise ``updated_from``/``updated_before``). ``due_before`` selects open
    tickets whose SLA due time (given to the store's ``save``) is earlier than
    it. ``substatus`` selects the tickets in that sub-status (a code, as
    tickets record it). ``tags`` selects the tickets that have every one of
    the tags given (a list, in any form: ``["VIP"]`` finds the tag ``vip``). ``ticket_type`` selects the tickets whose type was
    recorded as that one (a ticket without a type matches no type).
    ``attributes`` (a mapping of custom attribute names to values) selects the
    tickets whose attribute has that value, compared by its text (see
    :func:`~aftersales.model.attribute_values.query_text`); a multiple choice
    matches when it holds the value; it is kept as sorted ``(name, text)`` pairs. Datetimes must be aware; they are normalised to UTC. Codes,
    labels, aliases and terms are accepted for the vocabulary fields; one that
    the active vocabulary does not know (a company's own channel, say) is
    kept as given and looked up by the store in its own vocabulary in
    ``find`` and ``count`` (see :meth:`resolved`), which raise
    ``UnknownValue`` for a typo.

    ``order`` chooses the order of the results, a stable order for keyset
    paging (pass the last ticket's id as ``after_id`` for the next page, which
    continues after that ticket's key):

    * ``"received"`` (default): ``(received_at, id)``;
    * ``"due"``: ``(due_at, id)``, earliest due first; tickets without a due
      time come after every ticket with one, by id. ``order="due"`` filters
      nothing; with ``due_before`` (open tickets with a due time only) it is
      the SLA worklist, and the SQL stores read it from their ``due_at`` index.

    :meth:`sort_key` and :meth:`select` are the reference semantics of the
    order and of paging.

    Example:
        >>> import pendulum
        >>> query = TicketQuery(status="analysing", priority=Priority.URGENT, limit=50,
        ...                     due_before=pendulum.datetime(2024, 5, 11, 9, tz="Asia/Shanghai"))
        >>> query.status, query.due_before.isoformat(), query.limit
        (<TicketStatus.ANALYSING: 'analysing'>, '2024-05-11T01:00:00+00:00', 50)
        >>> from aftersales.testing.samples import sample_ticket
        >>> TicketQuery(product_model="A型智能办公设备").matches(sample_ticket())
        True
        >>> TicketQuery(due_before=query.due_before, order="due", limit=50).order
        'due'
        >>> TicketQuery(order="deadline")
        Traceback (most recent call last):
        ...
        aftersales.errors.UnknownValue: order: 'deadline' is not a known value; accepted: 'received', 'due'
    """

    status: TicketStatus | None = None
    substatus: str | None = None
    priority: Priority | None = None
    customer_id: str | None = None
    assignee: str | None = None
    channel: Channel | str | None = None
    category: ProblemCategory | str | None = None
    ticket_type: TicketType | str | None = None
    product_model: str | None = None
    tags: frozenset[str] = attrs.field(default=frozenset(), converter=_as_given)
    attributes: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_given_filters)
    received_from: pendulum.DateTime | None = None
    received_before: pendulum.DateTime | None = None
    updated_from: pendulum.DateTime | None = None
    updated_before: pendulum.DateTime | None = None
    due_before: pendulum.DateTime | None = None
    open_only: bool = False
    limit: int | None = None
    after_id: str | None = None
    order: Order = "received"

    def __attrs_post_init__(self) -> None:
        check.run_checks(
            self,
            [
                ("status", check.optional(check.member(TicketStatus))),
                ("substatus", _optional_id),
                ("priority", check.optional(check.member(Priority))),
                ("customer_id", _optional_id),
                ("assignee", check.optional_name),
                ("channel", check.optional(_term_or_text(Channel))),
                ("category", check.optional(_term_or_text(ProblemCategory))),
                ("ticket_type", check.optional(_term_or_text(TicketType))),
                ("product_model", check.optional_name),
                ("tags", _tags),
                ("attributes", _attribute_filters),
                ("received_from", check.optional_aware),
                ("received_before", check.optional_aware),
                ("updated_from", check.optional_aware),
                ("updated_before", check.optional_aware),
                ("due_before", check.optional_aware),
                ("open_only", check.flag),
                ("limit", _optional_limit),
                ("after_id", _optional_id),
                ("order", _order),
            ],
        )

    def resolved(self) -> TicketQuery:
        """This query with its vocabulary fields looked up in the active vocabulary.

        A store calls it under its own vocabulary before running the query;
        ``UnknownValue`` (naming the field and the accepted codes) when a
        value names no term there.

        Example:
            >>> from aftersales import Vocabulary
            >>> company = Vocabulary()
            >>> _ = company.register(Channel, "feishu", "Feishu", "飞书", aliases=["飞书群"])
            >>> query = TicketQuery(channel="飞书群")
            >>> query.channel
            '飞书群'
            >>> with company.active():
            ...     query.resolved().channel
            Channel('feishu')
            >>> query.resolved()
            Traceback (most recent call last):
            ...
            aftersales.errors.UnknownValue: channel: '飞书群' is not a known value; accepted: ...
        """
        channel = check.optional(check.term(Channel))(self.channel, "channel")
        category = check.optional(check.term(ProblemCategory))(self.category, "category")
        ticket_type = check.optional(check.term(TicketType))(self.ticket_type, "ticket_type")
        if (
            channel is self.channel
            and category is self.category
            and ticket_type is self.ticket_type
        ):
            return self
        return attrs.evolve(self, channel=channel, category=category, ticket_type=ticket_type)

    def matches(self, ticket: Ticket, due_at: datetime | None = None) -> bool:
        """True when ``ticket`` (whose SLA due time is ``due_at``) passes every filter.

        Paging (``limit``, ``after_id``) aside. This is the reference semantics
        every adapter's ``find`` must agree with.

        Example:
            >>> import pendulum
            >>> from aftersales.testing.samples import sample_ticket
            >>> at = pendulum.datetime(2030, 1, 1, tz="UTC")
            >>> TicketQuery(due_before=at).matches(sample_ticket(), due_at=at.subtract(days=1))
            False
        """
        return (
            (self.status is None or ticket.status is self.status)
            and (self.substatus is None or ticket.substatus == self.substatus)
            and (self.priority is None or ticket.priority is self.priority)
            and (self.customer_id is None or ticket.customer_id == self.customer_id)
            and (self.assignee is None or ticket.assignee == self.assignee)
            and (self.channel is None or ticket.channel == _as_term(Channel, self.channel))
            and (
                self.category is None or ticket.category == _as_term(ProblemCategory, self.category)
            )
            and (
                self.ticket_type is None
                or (
                    ticket.ticket_type is not None
                    and ticket.ticket_type == _as_term(TicketType, self.ticket_type)
                )
            )
            and (self.product_model is None or ticket.product_model == self.product_model)
            and self.tags <= ticket.tags
            and all(
                name in ticket.attributes and text in value_texts(ticket.attributes[name])
                for name, text in self.attributes
            )
            and (self.received_from is None or ticket.received_at >= self.received_from)
            and (self.received_before is None or ticket.received_at < self.received_before)
            and (self.updated_from is None or ticket.updated_at >= self.updated_from)
            and (self.updated_before is None or ticket.updated_at < self.updated_before)
            and (
                self.due_before is None
                or (ticket.is_open and due_at is not None and due_at < self.due_before)
            )
            and (not self.open_only or ticket.is_open)
        )

    def sort_key(self, ticket: Ticket, due_at: datetime | None = None) -> tuple[Any, ...]:
        """The key ``find`` orders ``ticket`` (whose SLA due time is ``due_at``) by.

        ``order="received"``: ``(received_at, id)``; ``order="due"``: ``(0,
        due_at, id)``, or ``(1, id)`` without a due time, so those come last.
        ``after_id`` keeps the tickets whose key is greater than its ticket's.

        Example:
            >>> import pendulum
            >>> from aftersales.testing.samples import sample_ticket
            >>> at = pendulum.datetime(2030, 1, 1, tz="UTC")
            >>> TicketQuery(order="due").sort_key(sample_ticket(), at)
            (0, DateTime(2030, 1, 1, 0, 0, 0, tzinfo=Timezone('UTC')), 'T202405001')
            >>> TicketQuery(order="due").sort_key(sample_ticket())
            (1, 'T202405001')
        """
        if self.order == "due":
            return (1, ticket.id) if due_at is None else (0, due_at, ticket.id)
        return (ticket.received_at, ticket.id)

    def select(self, stored: Mapping[str, tuple[Ticket, datetime | None]]) -> list[Ticket]:
        """This query run over ``stored`` (ticket id → ``(ticket, due_at)``): the reference ``find``.

        Filters with :meth:`matches`, orders by :meth:`sort_key`, keeps what
        follows ``after_id`` (``NotFound`` when it is not in ``stored``), then
        at most ``limit`` tickets.

        Example:
            >>> import pendulum
            >>> from aftersales.testing.samples import sample_ticket
            >>> at = pendulum.datetime(2030, 1, 1, tz="UTC")
            >>> stored = {"T1": (sample_ticket("T1"), None), "T2": (sample_ticket("T2"), at)}
            >>> [t.id for t in TicketQuery(order="due").select(stored)]
            ['T2', 'T1']
            >>> [t.id for t in TicketQuery(order="due", after_id="T2").select(stored)]
            ['T1']
        """
        keyed = sorted(
            (self.sort_key(ticket, due_at), ticket)
            for ticket, due_at in stored.values()
            if self.matches(ticket, due_at)
        )
        if self.after_id is not None:
            try:
                anchor = self.sort_key(*stored[self.after_id])
            except KeyError:
                raise NotFound("ticket", self.after_id) from None
            keyed = [(key, ticket) for key, ticket in keyed if key > anchor]
        tickets = [ticket for _, ticket in keyed]
        return tickets if self.limit is None else tickets[: self.limit]
