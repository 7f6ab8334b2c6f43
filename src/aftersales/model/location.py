"""Where the problem is (问题地点), for service on site: the address and the region.

A :class:`Location` has a street ``address`` (天河路385号太古汇1座1203室) and a
``region`` in free text (广东省广州市天河区, or a company's own service area
such as 华南区), with the administrative ``province``, ``city`` and
``district`` when the host knows them; at least one of them is given.

An address points at a person's home or desk: it is personal data, like a
phone number. Reprs and error messages never show it; the public views show
the region, the province, city and district as they are and the address
masked by :func:`masked_address` (its first characters before any digit, at
most four, then one ``*`` per character hidden), unless a recorded reveal
(``ServiceDesk.reveal_contact``) unmasks the ticket's contact and address.
See ``docs/privacy.md``. Imports the checks and the masking only.

Example:
    >>> place = Location("天河路385号太古汇1座1203室", "广州市天河区", province="广东省")
    >>> place.region, place.masked().address
    ('广州市天河区', '天河路**************')
    >>> place
    Location(address='天河路**************', region='广州市天河区', province='广东省', city=None, district=None)
"""

from __future__ import annotations

from typing import Any, ClassVar, Final

import attrs

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.errors import InvalidData
from aftersales.model.masking import default_masking

__all__ = ["Location", "masked_address"]

_MAX_ADDRESS: Final = 500
_MAX_REGION: Final = 200
_MAX_PART: Final = 50
#: How many leading characters of an address a masked view keeps, at most.
_KEPT: Final = 4


def masked_address(address: str) -> str:
    """``address`` as public views show it: at most 4 leading characters before any digit, then ``*``.

    One ``*`` per character hidden; an address starting with a digit is hidden whole.

    Example:
        >>> masked_address("天河路385号"), masked_address("Room 1203, 385 Tianhe Rd")
        ('天河路****', 'Room********************')
        >>> masked_address("385号"), masked_address("")
        ('****', '')
    """
    kept = 0
    while kept < min(_KEPT, len(address)) and not address[kept].isdigit():
        kept += 1
    return address[:kept] + "*" * (len(address) - kept)


def _address(value: Any, name: str) -> str:
    """An address: possibly empty, one to 500 characters of valid text; never shown in an error."""
    if not isinstance(value, str):
        message = f"{type(value).__name__} is not a text; accepted: an address of up to {_MAX_ADDRESS} characters"
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
    problem = check.text_problem(value)
    if len(value) > _MAX_ADDRESS or problem is not None:
        what = problem or f"is {len(value)} characters long"
        message = (
            f"the address {what} (not shown: it is personal data);"
            f" accepted: valid text of up to {_MAX_ADDRESS} characters"
        )
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
    return value


def _limited(most: int, *, optional: bool) -> check.Check:
    """A region's text: up to ``most`` characters; ``None`` or non-blank when ``optional``."""

    def checked(value: Any, name: str) -> Any:
        if value is None and optional:
            return None
        if (
            isinstance(value, str)
            and len(value) <= most
            and (value.strip() or not optional)
            and check.text_problem(value) is None
        ):
            return value
        shown_value = (
            default_masking().text(shown(value)) if isinstance(value, str) else type(value).__name__
        )
        accepted = (
            f"None or a non-blank text of up to {most} characters"
            if optional
            else (f"a text of up to {most} characters")
        )
        message = f"{shown_value} is not a region's name; accepted: {accepted}"
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])

    return checked


@attrs.frozen(slots=True)
class Location:
    """Where service is given on site: a street address and the region it is in.

    Args:
        address: the street address, personal data (masked in views), or "".
        region: the region in free text (广东省广州市天河区, 华南区), or "".
        province, city, district: the administrative divisions, when known.

    At least one of them is given; texts are kept as written.

    Example:
        >>> Location(region="华南区").address
        ''
        >>> Location("")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: location: no address, region, province, city or district; accepted: at least one of them
    """

    address: str = attrs.field(default="", repr=lambda value: repr(masked_address(value)))
    region: str = ""
    province: str | None = attrs.field(default=None, kw_only=True)
    city: str | None = attrs.field(default=None, kw_only=True)
    district: str | None = attrs.field(default=None, kw_only=True)

    _checks: ClassVar[check.Checks] = (
        ("address", _address),
        ("region", _limited(_MAX_REGION, optional=False)),
        ("province", _limited(_MAX_PART, optional=True)),
        ("city", _limited(_MAX_PART, optional=True)),
        ("district", _limited(_MAX_PART, optional=True)),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)
        parts = (self.address, self.region, self.province, self.city, self.district)
        if not any(part and part.strip() for part in parts):
            message = (
                "no address, region, province, city or district; accepted: at least one of them"
            )
            raise InvalidData(f"location: {message}", problems=[("location", message)])

    def masked(self) -> Location:
        """This location with its address masked (:func:`masked_address`), as public views show it.

        Example:
            >>> Location("长江路18号", "南京市").masked().address
            '长江路***'
        """
        return attrs.evolve(self, address=masked_address(self.address))
