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

__all__ = ["Contact", "Customer", "mask_email", "mask_phone"]

_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{4,24}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def mask_phone(phone: str) -> str:
    """Hide the middle of a phone number, keeping the last 4 digits (and the first 3 of 11+).

    Separators are dropped; numbers of 7 digits or fewer keep only their last 4.

    Example:
        >>> mask_phone("138-1234-5678")
        '138****5678'
        >>> mask_phone("+86 138 1234 5678")
        '+86138****5678'
        >>> mask_phone("5678123")
        '***8123'
    """
    plus = "+" if phone.startswith("+") else ""
    digits = re.sub(r"\D", "", phone)
    if len(digits) >= 11:
        return f"{plus}{digits[:-8]}****{digits[-4:]}"
    return f"{plus}{'*' * (len(digits) - 4)}{digits[-4:]}"


def mask_email(email: str) -> str:
    """Hide the local part of an e-mail address except its first character.

    Example:
        >>> mask_email("li@example.com")
        'l*@example.com'
    """
    local, _, domain = email.partition("@")
    return f"{local[0]}{'*' * (len(local) - 1)}@{domain}"


def _phone(value: object, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _PHONE.match(value) or "*" in value:
        raise InvalidData(
            f"{name}: {value!r} is not a phone number",
            problems=[(name, f"{value!r} is not a phone number; accepted: digits, + - and spaces")],
        )
    return value


def _email(value: object, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _EMAIL.match(value):
        raise InvalidData(
            f"{name}: {value!r} is not an e-mail address",
            problems=[(name, f"{value!r} is not an e-mail address; accepted: name@domain.tld")],
        )
    return value


@attrs.frozen(slots=True)
class Contact:
    """A contact person and how to reach them (联系人 / 联系方式).

    Contact details are confidential: show :meth:`masked` outside the owning team.
    A masked contact is for display only and is not accepted back as a contact.

    Example:
        >>> Contact(name="王女士", phone="13900001111").masked()
        MaskedContact(name='王女士', phone='139****1111', email=None, role=None)
    """

    name: str
    phone: str | None = None
    email: str | None = None
    role: str | None = None

    _checks: ClassVar[check.Checks] = (
        ("name", check.text),
        ("phone", _phone),
        ("email", _email),
        ("role", check.optional_name),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)

    def masked(self) -> MaskedContact:
        """The contact with phone and e-mail masked (``138****5678``, ``z***@example.com``)."""
        return MaskedContact(
            name=self.name,
            phone=None if self.phone is None else mask_phone(self.phone),
            email=None if self.email is None else mask_email(self.email),
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
    """

    id: str
    name: str
    industry: str | None = None
    contacts: tuple[Contact, ...] = ()
    key_account: bool = False

    _checks: ClassVar[check.Checks] = (
        ("id", check.identifier),
        ("name", check.text),
        ("industry", check.optional_name),
        ("contacts", check.tuple_of(check.instance_of(Contact))),
        ("key_account", check.flag),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)

    @property
    def primary_contact(self) -> Contact | None:
        """The first contact, or ``None``."""
        return self.contacts[0] if self.contacts else None
