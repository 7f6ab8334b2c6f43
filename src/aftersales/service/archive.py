"""The customer archive (客户档案): purchases, problems and how they were solved, satisfaction.

:func:`customer_archive` builds a :class:`CustomerArchive` from a store
(``store.get_customer`` and ``store.find(TicketQuery(customer_id=...))``).
Contact details are confidential: they are masked (``138****5678``) unless the
caller asks for them with ``reveal_contacts=True``. A service over any store
with customers and tickets; it imports the domain only.

Example:
    >>> from aftersales.storage import MemoryStore
    >>> from aftersales.model import Contact, Customer
    >>> from aftersales.testing.samples import sample_ticket
    >>> store = MemoryStore()
    >>> store.save_customer(Customer(id="C202405001", name="XX科技有限公司",
    ...                              contacts=(Contact(name="张先生", phone="13812345678"),)))
    >>> store.save(sample_ticket(), expected_version=0)
    >>> archive = customer_archive(store, "C202405001")
    >>> archive.contacts[0].phone, archive.problems[0].solution
    ('138****5678', '保修期内免费上门更换内存模块')
    >>> archive.mean_satisfaction, [p.product.model for p in archive.purchases]
    (5.0, ['A型智能办公设备'])
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

import attrs
import pendulum

from aftersales.model.customer import Contact, Customer
from aftersales.model.events import ExecutionFinished, ResolvedOnFirstContact
from aftersales.model.masking import MaskingPolicy, default_masking
from aftersales.model.product import Purchase
from aftersales.model.query import TicketQuery
from aftersales.model.ticket import Ticket
from aftersales.vocab import ProblemCategory, RootCauseCategory, TicketStatus

__all__ = [
    "ArchiveContact",
    "ArchiveSource",
    "ArchivedProblem",
    "CustomerArchive",
    "SatisfactionPoint",
    "customer_archive",
]


@attrs.frozen(slots=True, repr=False)
class ArchiveContact:
    """A contact as the archive shows it: masked unless revealed on purpose.

    Its repr masks a revealed contact too: revealing is for the view, not for logs.

    Example:
        >>> ArchiveContact.of(Contact(name="王女士", phone="13900001111"), reveal=False).phone
        '139****1111'
        >>> ArchiveContact.of(Contact(name="王女士", phone="13900001111"), reveal=True)
        ArchiveContact(name='王女士', phone='139****1111', email=None, role=None, masked=False)
    """

    name: str
    phone: str | None
    email: str | None
    role: str | None
    masked: bool

    @classmethod
    def of(
        cls, contact: Contact, *, reveal: bool, policy: MaskingPolicy | None = None
    ) -> ArchiveContact:
        """The archive's view of ``contact`` (``reveal``: show phone and e-mail in full).

        ``policy`` masks it (default: the process default policy).
        """
        if reveal:
            return cls(contact.name, contact.phone, contact.email, contact.role, False)
        masked = contact.masked(policy)
        return cls(masked.name, masked.phone, masked.email, masked.role, True)

    def __repr__(self) -> str:
        phone, email = self.phone, self.email
        if not self.masked:
            policy = default_masking()
            phone = None if phone is None else policy.phone(phone)
            email = None if email is None else policy.email(email)
        return (
            f"ArchiveContact(name={self.name!r}, phone={phone!r}, email={email!r},"
            f" role={self.role!r}, masked={self.masked!r})"
        )


@attrs.frozen(slots=True)
class ArchivedProblem:
    """One ticket of the customer: the problem, its cause, how it was solved, the score.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> ArchivedProblem.of(sample_ticket()).root_cause.label_zh
        '硬件故障'
    """

    ticket_id: str
    received_at: pendulum.DateTime
    category: ProblemCategory
    description: str
    status: TicketStatus
    root_cause: RootCauseCategory | None
    finding: str | None
    solution: str | None
    resolved_at: pendulum.DateTime | None
    satisfaction: int | None
    product_model: str | None

    @classmethod
    def of(cls, ticket: Ticket) -> ArchivedProblem:
        """The archive line of ``ticket``."""
        analyses = ticket.analyses
        return cls(
            ticket_id=ticket.id,
            received_at=ticket.received_at,
            category=ticket.category,
            description=ticket.description,
            status=ticket.status,
            root_cause=ticket.root_cause,
            finding=analyses[-1].finding if analyses else None,
            solution=_how_solved(ticket),
            resolved_at=ticket.resolved_at,
            satisfaction=ticket.satisfaction,
            product_model=ticket.product_model,
        )


def _how_solved(ticket: Ticket) -> str | None:
    if ticket.solution is not None:
        return ticket.solution.summary
    for event in reversed(ticket.history):
        if isinstance(event, ResolvedOnFirstContact):
            return event.answer
        if isinstance(event, ExecutionFinished):
            return event.summary
    return None


@attrs.frozen(slots=True)
class SatisfactionPoint:
    """One return-visit score in the customer's satisfaction history.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> SatisfactionPoint.__name__
        'SatisfactionPoint'
    """

    at: pendulum.DateTime
    ticket_id: str
    score: int
    comment: str


@attrs.frozen(slots=True)
class CustomerArchive:
    """Everything the team knows about one customer, oldest first.

    Example:
        >>> CustomerArchive(customer_id="C1", name="某公司", industry=None, key_account=False,
        ...                 contacts=(), purchases=(), problems=(), satisfaction=()).open_problems
        ()
    """

    customer_id: str
    name: str
    industry: str | None
    key_account: bool
    contacts: tuple[ArchiveContact, ...]
    purchases: tuple[Purchase, ...]
    problems: tuple[ArchivedProblem, ...]
    satisfaction: tuple[SatisfactionPoint, ...]

    @property
    def open_problems(self) -> tuple[ArchivedProblem, ...]:
        """Problems not closed or cancelled yet."""
        return tuple(p for p in self.problems if p.status.is_open)

    @property
    def mean_satisfaction(self) -> float | None:
        """Mean of every return-visit score (``None`` without any), 2 decimals."""
        if not self.satisfaction:
            return None
        return round(sum(p.score for p in self.satisfaction) / len(self.satisfaction), 2)


def _purchases(tickets: Iterable[Ticket]) -> tuple[Purchase, ...]:
    seen: dict[tuple[object, ...], Purchase] = {}
    for ticket in tickets:
        p = ticket.purchase
        if p is None:
            continue
        key = (p.product.model, p.purchased_on, p.serial_number, p.order_number)
        seen[key] = p  # the latest ticket's record wins (an extension granted later shows)
    return tuple(sorted(seen.values(), key=lambda p: (p.purchased_on, p.product.model)))


@runtime_checkable
class ArchiveSource(Protocol):
    """What the archive reads: a customer by id and tickets by query (any :class:`~aftersales.storage.ports.Store`).

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> isinstance(MemoryStore(), ArchiveSource)
        True
    """

    def get_customer(self, customer_id: str) -> Customer:
        """The stored customer; ``NotFound`` when there is none."""
        ...

    def find(self, query: TicketQuery) -> list[Ticket]:
        """The tickets matching ``query``."""
        ...


def customer_archive(
    store: ArchiveSource,
    customer_id: str,
    *,
    reveal_contacts: bool = False,
    masking: MaskingPolicy | None = None,
) -> CustomerArchive:
    """The archive of ``customer_id`` from a store with customers and tickets.

    Contacts are masked by ``masking`` (default: the process default policy)
    unless ``reveal_contacts`` is true.

    Contacts are the customer's own followed by those named on tickets (each
    person once, by name and phone, or e-mail without a phone); purchases are those recorded on tickets; problems and scores are in
    time order. ``NotFound`` when the customer is not stored.
    """
    customer = store.get_customer(customer_id)
    tickets = list(store.find(TicketQuery(customer_id=customer_id)))
    tickets.sort(key=lambda t: (t.received_at, t.id))
    contacts: dict[tuple[object, ...], Contact] = {}
    for contact in (*customer.contacts, *(t.contact for t in tickets if t.contact is not None)):
        # one person once: the same name and phone (or e-mail, without a phone)
        contacts.setdefault((contact.name, contact.phone or contact.email), contact)
    points = sorted(
        (
            SatisfactionPoint(visit.at, t.id, visit.score, visit.comment)
            for t in tickets
            for visit in t.visits
        ),
        key=lambda p: (p.at, p.ticket_id),
    )
    return CustomerArchive(
        customer_id=customer.id,
        name=customer.name,
        industry=customer.industry,
        key_account=customer.key_account,
        contacts=tuple(
            ArchiveContact.of(c, reveal=reveal_contacts, policy=masking) for c in contacts.values()
        ),
        purchases=_purchases(tickets),
        problems=tuple(ArchivedProblem.of(t) for t in tickets),
        satisfaction=tuple(points),
    )
