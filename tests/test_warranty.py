"""Warranty checks at the service-confirmation step."""

from __future__ import annotations

from datetime import date, timedelta

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales import InvalidData, NaiveDatetimeError, ServiceDesk
from aftersales.model import Product, Purchase
from aftersales.serialization import from_dict, to_dict
from aftersales.testing.samples import sample_ticket
from aftersales.testing.strategies import purchases
from aftersales.warranty import (
    WarrantyState,
    WarrantyStatus,
    check_warranty,
    extend_warranty,
    warranty_status,
)

PRINTER = Purchase(product=Product("B型打印机"), purchased_on=date(2024, 1, 31), warranty_months=12)


def test_in_extended_out_and_unknown() -> None:
    extended = extend_warranty(PRINTER, 6)  # compensation: 6 more months
    assert extended.extended_months == 6
    # standard ends 2025-01-31, extension to 2025-07-31 (both exclusive)
    assert check_warranty(extended, date(2025, 1, 30)).state is WarrantyState.IN_WARRANTY
    on_last_standard = check_warranty(extended, date(2025, 1, 30))
    assert on_last_standard.days_left == 182  # 1 day of January + 28 + 31 + 30 + 31 + 30 + 31
    status = check_warranty(extended, date(2025, 1, 31))
    assert (status.state, status.standard_ends_on, status.ends_on) == (
        WarrantyState.EXTENDED,
        date(2025, 1, 31),
        date(2025, 7, 31),
    )
    assert status.label("zh") == "延保期内,剩余 181 天(至 2025-07-31)"
    gone = check_warranty(extended, date(2025, 7, 31))
    assert (gone.state, gone.days_left, gone.covered) == (WarrantyState.OUT_OF_WARRANTY, 0, False)
    assert gone.label("en") == "out of warranty (warranty ended 2025-07-31)"
    assert check_warranty(None, date(2025, 1, 1)).state.label_zh == "无购买信息"


def test_the_instants_own_local_date_decides() -> None:
    # 2025-01-30 23:30 in Shanghai is still the 30th there, but already 15:30 UTC of the 30th;
    # 2025-01-31 01:00 in Shanghai is the 31st there and 17:00 UTC on the 30th.
    late = pendulum.datetime(2025, 1, 31, 1, tz="Asia/Shanghai")
    assert check_warranty(PRINTER, late).state is WarrantyState.OUT_OF_WARRANTY
    assert check_warranty(PRINTER, late.in_tz("UTC")).state is WarrantyState.IN_WARRANTY
    with pytest.raises(NaiveDatetimeError):
        check_warranty(PRINTER, pendulum.naive(2025, 1, 1))


def test_warranty_status_of_a_ticket(desk: ServiceDesk) -> None:
    from tests.helpers import open_sample

    ticket = sample_ticket()  # bought 2024-03-15, 12 months
    status = warranty_status(ticket, ticket.occurred_at)
    assert status.state is WarrantyState.IN_WARRANTY
    assert status.days_left == (date(2025, 3, 15) - date(2024, 5, 10)).days
    assert warranty_status(open_sample(desk), ticket.occurred_at).state is WarrantyState.UNKNOWN
    assert from_dict(WarrantyStatus, to_dict(status)) == status


@given(purchases(), st.integers(0, 6000))
def test_covered_exactly_while_days_are_left(purchase: Purchase, offset: int) -> None:
    day = purchase.purchased_on + timedelta(offset)
    status = check_warranty(purchase, day)
    assert status.covered == (status.days_left > 0) == (day < purchase.warranty_ends_on)
    if status.state is WarrantyState.EXTENDED:
        assert purchase.extended_months > 0
    longer = check_warranty(extend_warranty(purchase, 3), day)
    assert longer.days_left >= status.days_left
    assert longer.ends_on is not None
    assert status.ends_on is not None
    assert longer.ends_on > status.ends_on


def test_extension_months_are_checked() -> None:
    for months in (0, -1, 121, True):
        with pytest.raises(InvalidData, match="months"):
            extend_warranty(PRINTER, months)  # type: ignore[arg-type]
