"""Hypothesis strategies for the model's plain values: ids, texts, instants, customers, purchases, priority scales.

Built from the public constructors; :mod:`aftersales.testing.strategies`
re-exports them. Requires the ``test`` extra (hypothesis).

Example:
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(customers(), purchases())
    ... def check(customer, purchase):
    ...     assert customer.id.startswith("C") and purchase.product.model
    >>> check()
"""

from __future__ import annotations

from datetime import date, datetime

import pendulum
from hypothesis import strategies as st

from aftersales.model.customer import Contact, Customer
from aftersales.model.product import Product, Purchase
from aftersales.model.satisfaction import DimensionScore
from aftersales.priority_levels import PriorityLevel, PriorityScale
from aftersales.vocab import Priority, SatisfactionDimension

__all__ = [
    "aware_datetimes",
    "contacts",
    "customers",
    "dimension_scores",
    "ids",
    "priority_scales",
    "purchases",
    "texts",
]

_ZONES = ("UTC", "Asia/Shanghai", "Europe/Berlin", "America/New_York", "Asia/Kolkata")


def ids(prefix: str = "T") -> st.SearchStrategy[str]:
    """Valid ids such as ``T0042`` or ``C202405001``.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(ids("C"))
        ... def check(value):
        ...     assert value.startswith("C") and len(value) == 10
        >>> check()
    """
    return st.integers(min_value=0, max_value=10**9 - 1).map(lambda n: f"{prefix}{n:09d}")


def texts(max_size: int = 40) -> st.SearchStrategy[str]:
    """Non-blank texts mixing Chinese, Latin, digits, punctuation and SQL metacharacters.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(texts(max_size=10))
        ... def check(text):
        ...     assert text.strip() and len(text) <= 10
        >>> check()
    """
    alphabet = st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(categories=("L", "N", "P", "S", "Zs"), max_codepoint=0x2FFF),
        st.sampled_from("'\";%_\\--/*"),
    )
    return st.text(alphabet, min_size=1, max_size=max_size).filter(lambda s: bool(s.strip()))


def aware_datetimes(
    min_value: datetime | None = None,
    max_value: datetime | None = None,
    zones: tuple[str, ...] = _ZONES,
) -> st.SearchStrategy[pendulum.DateTime]:
    """Aware pendulum datetimes (whole seconds) in a sample of zones incl. DST ones.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(aware_datetimes())
        ... def check(moment):
        ...     assert moment.tzinfo is not None
        >>> check()
    """
    low = (min_value or datetime(2020, 1, 1)).replace(tzinfo=None)
    high = (max_value or datetime(2030, 12, 31)).replace(tzinfo=None)
    return st.builds(
        lambda naive, zone: pendulum.instance(naive.replace(microsecond=0), tz=zone),
        st.datetimes(min_value=low, max_value=high),
        st.sampled_from(zones),
    )


def contacts() -> st.SearchStrategy[Contact]:
    """Contacts with mainland mobile numbers and/or e-mail addresses.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(contacts())
        ... def check(contact):
        ...     assert contact.masked().name == contact.name
        >>> check()
    """
    phones = st.integers(min_value=13000000000, max_value=19999999999).map(str)
    emails = st.from_regex(r"\A[a-z][a-z0-9.]{0,11}@[a-z]{2,8}\.(com|cn|net)\Z")
    return st.builds(
        Contact,
        name=texts(12),
        phone=st.none() | phones,
        email=st.none() | emails,
        role=st.none() | texts(10),
    )


def customers() -> st.SearchStrategy[Customer]:
    """Customers with 0–3 contacts.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(customers())
        ... def check(customer):
        ...     assert customer.id.startswith("C")
        >>> check()
    """
    return st.builds(
        Customer,
        id=ids("C"),
        name=texts(20),
        industry=st.none() | texts(8),
        contacts=st.lists(contacts(), max_size=3).map(tuple),
        key_account=st.booleans(),
    )


def purchases() -> st.SearchStrategy[Purchase]:
    """Purchases with serial or order numbers and 0–60 months of warranty.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(purchases())
        ... def check(purchase):
        ...     assert purchase.warranty_ends_on >= purchase.purchased_on
        >>> check()
    """
    return st.builds(
        Purchase,
        product=st.builds(Product, model=texts(16), name=st.none() | texts(16)),
        purchased_on=st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31)),
        serial_number=st.none() | ids("SN"),
        order_number=st.none() | ids("SO"),
        warranty_months=st.integers(0, 60),
        extended_months=st.integers(0, 24),
    )


def dimension_scores() -> st.SearchStrategy[tuple[DimensionScore, ...]]:
    """Scores by satisfaction dimension: one to all of the registered dimensions, each 1–5.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(dimension_scores())
        ... def check(scores):
        ...     assert [s.dimension.code for s in scores] == sorted({s.dimension.code for s in scores})
        >>> check()
    """
    return st.lists(
        st.sampled_from(SatisfactionDimension.members()), min_size=1, unique=True
    ).flatmap(
        lambda dimensions: st.tuples(
            *(st.builds(DimensionScore, st.just(d), st.integers(1, 5)) for d in dimensions)
        ).map(lambda scores: tuple(sorted(scores, key=lambda s: s.dimension.code)))
    )


_LEVEL_CODES = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)


@st.composite
def priority_scales(draw: st.DrawFn, *, max_levels: int = 6) -> PriorityScale:
    """Priority scales of 1 to ``max_levels`` levels, most urgent first, and the two built-in ones.

    Codes and English labels are drawn identifiers (a seed's value among
    them at times), Chinese labels distinct texts; each level reports as a
    seed priority no more urgent than the level before it.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=10)
        ... @given(priority_scales())
        ... def check(scale):
        ...     ranks = [level.reports_as.rank for level in scale]
        ...     assert ranks == sorted(ranks, reverse=True)
        >>> check()
    """
    built_in = draw(st.sampled_from([None, "three", "four"]))
    if built_in == "three":
        return PriorityScale.three_levels()
    if built_in == "four":
        return PriorityScale.four_levels()
    size = draw(st.integers(1, max_levels))
    seeds = sorted(draw(st.lists(st.sampled_from(list(Priority)), min_size=size, max_size=size)))
    codes = st.sampled_from([p.value for p in Priority]) | _LEVEL_CODES
    names = draw(st.lists(codes, min_size=2 * size, max_size=2 * size, unique=True))
    return PriorityScale(
        [
            PriorityLevel(names[i], f"级别{i}", names[size + i], reports_as=seeds[-1 - i])
            for i in range(size)
        ]
    )
