"""Products and purchases (购买产品/服务), with warranty status.

Example:
    >>> from datetime import date
    >>> purchase = Purchase(
    ...     product=Product(model="A型智能办公设备"),
    ...     purchased_on=date(2024, 3, 15),
    ...     serial_number="SN-A-0001",
    ...     warranty_months=12,
    ... )
    >>> purchase.warranty_ends_on
    datetime.date(2025, 3, 15)
    >>> purchase.in_warranty(date(2024, 5, 10))
    True
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

import attrs
import pendulum

from aftersales import _checks as check
from aftersales.time import ensure_aware

__all__ = ["Product", "Purchase"]


@attrs.frozen(slots=True)
class Product:
    """A product or service model that customers buy.

    Example:
        >>> Product(model="A型智能办公设备", name="智能办公一体机").model
        'A型智能办公设备'
    """

    model: str
    name: str | None = None

    _checks: ClassVar[check.Checks] = (("model", check.text), ("name", check.optional_name))

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)


@attrs.frozen(slots=True)
class Purchase:
    """One purchase: product, date, serial or order number, and warranty.

    ``warranty_months`` is the standard warranty; ``extended_months`` is added on
    top (bought, or granted as compensation). The warranty covers the purchase
    date up to, not including, ``warranty_ends_on``.

    Example:
        >>> from datetime import date
        >>> p = Purchase(product=Product("B型打印机"), purchased_on=date(2024, 1, 31),
        ...              order_number="SO-778", warranty_months=1, extended_months=1)
        >>> p.warranty_ends_on
        datetime.date(2024, 3, 31)
        >>> p.days_left(date(2024, 3, 30))
        1
    """

    product: Product
    purchased_on: date
    serial_number: str | None = None
    order_number: str | None = None
    warranty_months: int = 12
    extended_months: int = 0

    _checks: ClassVar[check.Checks] = (
        ("product", check.instance_of(Product)),
        ("purchased_on", check.a_date),
        ("serial_number", check.optional_name),
        ("order_number", check.optional_name),
        ("warranty_months", check.integer(0, 1200)),
        ("extended_months", check.integer(0, 1200)),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)

    @property
    def warranty_ends_on(self) -> date:
        """The first day no longer covered (month arithmetic clamps to the month's end)."""
        start = pendulum.Date(
            self.purchased_on.year, self.purchased_on.month, self.purchased_on.day
        )
        end = start.add(months=self.warranty_months + self.extended_months)
        return date(end.year, end.month, end.day)

    def in_warranty(self, at: date | datetime) -> bool:
        """True when ``at`` (a date, or an aware datetime's own local date) is covered."""
        return self.days_left(at) > 0

    def days_left(self, at: date | datetime) -> int:
        """Days of warranty left on ``at``, 0 when expired (negative never)."""
        day = _local_date(at)
        if day < self.purchased_on:
            return (self.warranty_ends_on - self.purchased_on).days
        return max(0, (self.warranty_ends_on - day).days)


def _local_date(at: date | datetime) -> date:
    if isinstance(at, datetime):
        aware = ensure_aware(at, "at")
        return date(aware.year, aware.month, aware.day)
    return at
