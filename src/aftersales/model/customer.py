"""Customers and their contacts (客户, 联系人), with contact masking.

Example:
    >>> contact = Contact(name="张先生", phone="13812345678", email="zhang.san@example.com")
    >>> contact.masked().phone
    '138****5678'
    >>> contact.masked().email
    'z********@example.com'
"""

from __future__ import annotations

import re
from typing import ClassVar

import attrs

from aftersales import _checks as check
from aftersales.errors import InvalidData
from aftersales.model.masking import (
    MASKED_FIELD,
    MaskingPolicy,
    default_masking,
    masked_repr,
)
from aftersales.model.stored_form import OMITTED_WHEN_NONE

__all__ = ["Contact", "Customer", "mask_email", "mask_phone"]

_PHONE = re.compile(r"\+?[0-9][0-9 \-]{4,24}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_STANDARD = MaskingPolicy()


def mask_phone(phone: str) -> str:
    """Hide the middle of a phone number, keeping the last 4 digits (and the first 3 of 11+).

    Separators are dropped; numbers of 11 digits or more keep at most their
    first 5 (a country code and 3), numbers of 5 to 10 digits keep only their
    last 4, numbers of 4 digits or fewer are hidden whole. This is the library's
    default :class:`~aftersales.model.masking.MaskingPolicy`; see there for the
    alternatives.

    Example:
        >>> mask_phone("138-1234-5678")
        '138****5678'
        >>> mask_phone("+86 138 1234 5678")
        '+86138****5678'
        >>> mask_phone("5678123")
        '***8123'
    """
    return _STANDARD.phone(phone)


def mask_email(email: str) -> str:
    """Hide the local part of an e-mail address except its first character.

    A one-character local part is hidden whole (the library's default
    :class:`~aftersales.model.masking.MaskingPolicy`).

    Example:
        >>> mask_email("li@example.com")
        'l*@example.com'
    """
    return _STANDARD.email(email)


_PHONE_ACCEPTED = "digits, spaces and '-', optionally after a '+' (5 to 25 characters)"


def _phone(value: object, name: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and _PHONE.fullmatch(value):
        return value
    described = default_masking().describe(value, "phone")
    if isinstance(value, str) and "*" in value:
        message = f"{described} looks masked; accepted: the full number, {_PHONE_ACCEPTED}"
    else:
        marks = "; ? marks a character not accepted" if "?" in described else ""
        message = f"{described} is not a phone number{marks}; accepted: {_PHONE_ACCEPTED}"
    raise InvalidData(f"{name}: {message}", problems=[(name, message)])


def _email(value: object, name: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and _EMAIL.fullmatch(value):
        return value
    message = (
        f"{default_masking().describe(value, 'email')} is not an e-mail address;"
        " accepted: name@domain.tld"
    )
    raise InvalidData(f"{name}: {message}", problems=[(name, message)])


@attrs.frozen(slots=True)
class Contact:
    """A contact person and how to reach them (联系人 / 联系方式).

    Contact details are confidential: show :meth:`masked` outside the owning team.
    A masked contact is for display only and is not accepted back as a contact.
    The repr (and str) shows phone and e-mail masked by the process default
    policy; equality, hashing and the stored form use the full values.

    Example:
        >>> contact = Contact(name="王女士", phone="13900001111")
        >>> contact
        Contact(name='王女士', phone='139****1111', email=None, role=None)
        >>> contact.phone
        '13900001111'
        >>> contact.masked()
        MaskedContact(name='王女士', phone='139****1111', email=None, role=None)
    """

    name: str
    phone: str | None = attrs.field(
        default=None, repr=masked_repr("phone"), metadata={MASKED_FIELD: "phone"}
    )
    email: str | None = attrs.field(
        default=None, repr=masked_repr("email"), metadata={MASKED_FIELD: "email"}
    )
    role: str | None = None

    _checks: ClassVar[check.Checks] = (
        ("name", check.text),
        ("phone", _phone),
        ("email", _email),
        ("role", check.optional_name),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)

    def masked(self, policy: MaskingPolicy | None = None) -> MaskedContact:
        """The contact with phone and e-mail masked (``138****5678``, ``z***@example.com``).

        ``policy`` is the masking rule (default: the process default,
        :func:`~aftersales.model.masking.default_masking`).

        Example:
            >>> from aftersales.model.masking import PhoneRule
            >>> contact = Contact(name="张先生", phone="13812345678")
            >>> contact.masked(MaskingPolicy(phone_rule=PhoneRule.HIDE_LAST_FOUR)).phone
            '1381234****'
        """
        if policy is None:
            policy = default_masking()
        check.instance_of(MaskingPolicy)(policy, "policy")
        return MaskedContact(
            name=self.name,
            phone=None if self.phone is None else policy.phone(self.phone),
            email=None if self.email is None else policy.email(self.email),
            role=self.role,
        )


@attrs.frozen(slots=True)
class MaskedContact:
    """A contact as shown outside the owning team: phone and e-mail masked.

    Example:
        >>> Contact(name="李工", email="li.gong@example.com").masked().email
        'l******@example.com'
    """

    name: str
    phone: str | None
    email: str | None
    role: str | None


@attrs.frozen(slots=True)
class Customer:
    """A customer (客户): a company or a person, with its CRM id and contacts.

    ``tier`` (a service level such as ``"vip"`` or ``"standard"``) and
    ``contract`` (the code of its service contract) are what SLA rules look at
    (:class:`~aftersales.sla.SlaRule`); both are left out of the stored form
    while unset.

    Example:
        >>> customer = Customer(
        ...     id="C202405001",
        ...     name="XX科技有限公司",
        ...     industry="制造业",
        ...     contacts=(Contact(name="张先生", phone="13812345678"),),
        ...     key_account=True,
        ... )
        >>> customer.primary_contact.name
        '张先生'
        >>> customer.contacts  # shown masked; stored in full
        (Contact(name='张先生', phone='138****5678', email=None, role=None),)
        >>> Customer(id="C2", name="乙公司", tier="vip", contract="GOLD-2026").tier
        'vip'

    """

    id: str
    name: str
    industry: str | None = None
    contacts: tuple[Contact, ...] = ()
    key_account: bool = False
    tier: str | None = attrs.field(default=None, kw_only=True, metadata={OMITTED_WHEN_NONE: True})
    contract: str | None = attrs.field(
        default=None, kw_only=True, metadata={OMITTED_WHEN_NONE: True}
    )

    _checks: ClassVar[check.Checks] = (
        ("id", check.identifier),
        ("name", check.text),
        ("industry", check.optional_name),
        ("contacts", check.tuple_of(check.instance_of(Contact))),
        ("key_account", check.flag),
        ("tier", check.optional(check.identifier)),
        ("contract", check.optional(check.identifier)),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)

    @property
    def primary_contact(self) -> Contact | None:
        """The first contact, or ``None``."""
        return self.contacts[0] if self.contacts else None
