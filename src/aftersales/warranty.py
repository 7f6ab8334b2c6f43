"""Warranty checks for the service-confirmation step (保修判定).

:func:`warranty_status` answers, for a ticket's :class:`~aftersales.model.Purchase`
at an instant: in or out of warranty, by the standard or the extended period,
the days left and the end date. KPIs split by :attr:`WarrantyStatus.state`.
:func:`extend_warranty` grants extra months (an extended warranty given as
compensation) and returns the new purchase.

The instant's own local date decides (pass it in the customer's zone): the
warranty covers the purchase date up to, not including, its end date.

Example:
    >>> import pendulum
    >>> from aftersales.testing.samples import sample_ticket
    >>> status = warranty_status(sample_ticket(), pendulum.datetime(2024, 5, 10, 14, 30, tz="Asia/Shanghai"))
    >>> status.state.label_zh, status.days_left, status.ends_on.isoformat()
    ('保修期内', 309, '2025-03-15')
"""

from __future__ import annotations

from datetime import date, datetime

import attrs
import pendulum

from aftersales import _checks as check
from aftersales.errors import InvalidData
from aftersales.model.product import Purchase
from aftersales.model.ticket import Ticket
from aftersales.vocab import _Labelled

__all__ = [
    "WarrantyState",
    "WarrantyStatus",
    "check_warranty",
    "extend_warranty",
    "warranty_status",
]


class WarrantyState(_Labelled):
    """In or out of warranty, and by which period (the key KPIs split by).

    Example:
        >>> [s.label_zh for s in WarrantyState]
        ['保修期内', '延保期内', '已过保', '无购买信息']
    """

    IN_WARRANTY = ("in_warranty", "保修期内")
    EXTENDED = ("extended", "延保期内")
    OUT_OF_WARRANTY = ("out_of_warranty", "已过保")
    UNKNOWN = ("unknown", "无购买信息")

    @property
    def covered(self) -> bool:
        """True in the standard or the extended warranty."""
        return self in (WarrantyState.IN_WARRANTY, WarrantyState.EXTENDED)


@attrs.frozen(slots=True)
class WarrantyStatus:
    """The warranty of one purchase on one date.

    ``ends_on`` is the first day not covered (standard plus extension);
    ``standard_ends_on`` the end of the standard warranty alone. Both are
    ``None`` (and ``days_left`` 0) when there is no purchase on record.

    Example:
        >>> WarrantyStatus(WarrantyState.UNKNOWN, on=date(2024, 5, 1), days_left=0,
        ...                ends_on=None, standard_ends_on=None, extended_months=0).covered
        False
    """

    state: WarrantyState
    on: date
    days_left: int
    ends_on: date | None
    standard_ends_on: date | None
    extended_months: int

    @property
    def covered(self) -> bool:
        """True when repairs are under warranty on :attr:`on`."""
        return self.state.covered

    def label(self, lang: str = "en") -> str:
        """A short line for the confirmation step.

        Example:
            >>> from aftersales.model import Product, Purchase
            >>> p = Purchase(product=Product("B型打印机"), purchased_on=date(2024, 1, 1))
            >>> check_warranty(p, date(2024, 12, 22)).label("zh")
            '保修期内,剩余 10 天(至 2025-01-01)'
        """
        if self.ends_on is None:
            return self.state.label(lang)
        if lang == "zh":
            if self.covered:
                return f"{self.state.label_zh},剩余 {self.days_left} 天(至 {self.ends_on})"
            return f"{self.state.label_zh}(保修至 {self.ends_on})"
        if self.covered:
            return f"{self.state.label('en')}, {self.days_left} days left (until {self.ends_on})"
        return f"{self.state.label('en')} (warranty ended {self.ends_on})"


def _day(at: object) -> date:
    if isinstance(at, datetime):
        aware = check.aware(at, "at")
        local = pendulum.instance(at) if at.tzinfo is not None else aware
        return date(local.year, local.month, local.day)
    return check.a_date(at, "at")


def check_warranty(purchase: Purchase | None, at: date | datetime) -> WarrantyStatus:
    """The warranty of ``purchase`` on ``at`` (a date, or an aware datetime's local date).

    Example:
        >>> from aftersales.model import Product, Purchase
        >>> p = Purchase(product=Product("B型打印机"), purchased_on=date(2023, 1, 10),
        ...              warranty_months=12, extended_months=12)
        >>> check_warranty(p, date(2023, 6, 1)).state.value
        'in_warranty'
        >>> check_warranty(p, date(2024, 6, 1)).state.value
        'extended'
        >>> check_warranty(p, date(2025, 1, 10)).state.value
        'out_of_warranty'
        >>> check_warranty(None, date(2025, 1, 10)).state.value
        'unknown'
    """
    day = _day(at)
    if purchase is None:
        return WarrantyStatus(WarrantyState.UNKNOWN, day, 0, None, None, 0)
    check.instance_of(Purchase)(purchase, "purchase")
    standard = attrs.evolve(purchase, extended_months=0).warranty_ends_on
    ends = purchase.warranty_ends_on
    days_left = purchase.days_left(day)
    if days_left == 0:
        state = WarrantyState.OUT_OF_WARRANTY
    elif day < standard:
        state = WarrantyState.IN_WARRANTY
    else:
        state = WarrantyState.EXTENDED
    return WarrantyStatus(state, day, days_left, ends, standard, purchase.extended_months)


def warranty_status(ticket: Ticket, at: date | datetime) -> WarrantyStatus:
    """The warranty of the ticket's purchase on ``at`` (``UNKNOWN`` without a purchase).

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> warranty_status(sample_ticket(), date(2025, 3, 15)).state.value
        'out_of_warranty'
    """
    check.instance_of(Ticket)(ticket, "ticket")
    return check_warranty(ticket.purchase, at)


def extend_warranty(purchase: Purchase, months: int) -> Purchase:
    """The purchase with ``months`` more extended warranty (compensation, or bought).

    Example:
        >>> from aftersales.model import Product, Purchase
        >>> p = Purchase(product=Product("B型打印机"), purchased_on=date(2024, 1, 31))
        >>> extend_warranty(p, 6).warranty_ends_on
        datetime.date(2025, 7, 31)
        >>> extend_warranty(p, 0)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: months: 0 is out of range; accepted: an integer from 1 to 120
    """
    check.instance_of(Purchase)(purchase, "purchase")
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 120:
        message = f"{months!r} is out of range; accepted: an integer from 1 to 120"
        raise InvalidData(f"months: {message}", problems=[("months", message)])
    return attrs.evolve(purchase, extended_months=purchase.extended_months + months)
