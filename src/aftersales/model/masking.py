"""The masking policy (脱敏规则): how phone numbers and e-mail addresses are shown.

Contact details are confidential. Every repr, error message and public view of
the library shows them masked by a :class:`MaskingPolicy`; the stored form
(:func:`aftersales.serialization.to_dict`) keeps the full values, since it is
the data itself, not a view of it.

The default keeps the first 3 and the last 4 digits of a mobile number, as is
common practice; the rule "hide the last four digits" of the template's form is
:attr:`PhoneRule.HIDE_LAST_FOUR`. Whatever the rule, a masked value always hides
something: a number of 4 digits or fewer is hidden whole, and so is a one-letter
e-mail local part.

Reprs and error messages use the process default, :func:`default_masking`; a
host whose rule differs sets it once at start-up with
:func:`set_default_masking`. Views built on request (``Contact.masked``, the
customer archive) take a policy as an argument.

Example:
    >>> policy = MaskingPolicy()
    >>> policy.phone("13812345678"), policy.email("zhang.san@example.com")
    ('138****5678', 'z********@example.com')
    >>> MaskingPolicy(phone_rule=PhoneRule.HIDE_LAST_FOUR).phone("138 1234 5678")
    '1381234****'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum
from typing import ClassVar, Final, Literal

import attrs

from aftersales import _checks as check
from aftersales._shown import shown

__all__ = [
    "MASKED_FIELD",
    "MaskingPolicy",
    "PhoneRule",
    "default_masking",
    "set_default_masking",
]

#: The ``attrs`` field metadata key that marks a field holding a phone number
#: (value ``"phone"``) or an e-mail address (value ``"email"``): such a field is
#: shown masked in reprs and named masked in errors (the serializer reads it too).
MASKED_FIELD: Final = "aftersales.masked"

ContactKind = Literal["phone", "email"]

_PHONE_SEPARATORS = frozenset("+- ")


class PhoneRule(StrEnum):
    """Which digits of a phone number a masked view hides.

    ``keep_ends`` (the default, common practice): a number of 11 digits or more
    keeps its last 4 digits and its first 3, or up to 5 when it is longer
    (a country code: ``138****5678``, ``+86138****5678``); a shorter one keeps
    only its last 4 (``***8123``). ``hide_last_four`` (the template's form): the
    last 4 digits are hidden (``1381234****``). Both hide a number of 4 digits
    or fewer whole.

    Example:
        >>> PhoneRule("hide_last_four") is PhoneRule.HIDE_LAST_FOUR
        True
    """

    KEEP_ENDS = "keep_ends"
    HIDE_LAST_FOUR = "hide_last_four"


#: A mainland China mobile number in free text (``+86``/``86`` and 3-4-4 spacing allowed).
_MOBILE_IN_TEXT: Final = re.compile(r"(?<![\d+])(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)")
#: An e-mail address in free text.
_EMAIL_IN_TEXT: Final = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")


@attrs.frozen(slots=True)
class MaskingPolicy:
    """How contact details are masked: the phone rule and the e-mail rule.

    ``phone_rule`` picks the digits hidden (see :class:`PhoneRule`); separators
    are dropped and a leading ``+`` is kept. ``email_visible`` is how many
    leading characters of the e-mail's local part stay visible (``0`` hides it
    all); the domain is shown. A masked value never shows its whole number or
    local part, and keeps the length of what it hides (one ``*`` per character).

    Example:
        >>> MaskingPolicy().phone("+86 138 1234 5678")
        '+86138****5678'
        >>> MaskingPolicy(email_visible=0).email("li@example.com")
        '**@example.com'
        >>> MaskingPolicy().email("a@example.com")
        '*@example.com'
        >>> MaskingPolicy(phone_rule="hide_last_four").phone_rule
        <PhoneRule.HIDE_LAST_FOUR: 'hide_last_four'>
    """

    phone_rule: PhoneRule = PhoneRule.KEEP_ENDS
    email_visible: int = 1

    _checks: ClassVar[check.Checks] = (
        ("phone_rule", check.member(PhoneRule)),
        ("email_visible", check.integer(0, 64)),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)

    def phone(self, phone: str) -> str:
        """``phone`` masked: its digits under the phone rule, after its ``+`` if any.

        Example:
            >>> MaskingPolicy().phone("138-1234-5678")
            '138****5678'
        """
        plus = "+" if phone.startswith("+") else ""
        digits = re.sub(r"\D", "", phone)
        return plus + _apply(self._digit_pattern(len(digits)), digits)

    def email(self, email: str) -> str:
        """``email`` masked: the first ``email_visible`` characters of its local part, its domain.

        Example:
            >>> MaskingPolicy(email_visible=2).email("zhang@example.com")
            'zh***@example.com'
        """
        local, at, domain = email.partition("@")
        return self._local(local) + at + domain

    def text(self, text: str) -> str:
        """``text`` with every mainland mobile number and e-mail address written in it masked.

        For free text that may quote a contact (a note, a purpose, a
        comment): numbers such as ``13812345678`` or ``+86 138 1234 5678``
        and addresses are recognised by their form; other numbers (landlines,
        order numbers, ticket ids) are left as written.

        Example:
            >>> MaskingPolicy().text("客户请回电 13812345678 或写信 li.wei@example.com")
            '客户请回电 138****5678 或写信 l*****@example.com'
            >>> MaskingPolicy().text("订单 T20260930-010026，座机 010-62345678")
            '订单 T20260930-010026，座机 010-62345678'
        """
        masked = _MOBILE_IN_TEXT.sub(lambda found: self.phone(re.sub(r"[ -]", "", found[0])), text)
        return _EMAIL_IN_TEXT.sub(lambda found: self.email(found[0]), masked)

    def describe(self, value: object, kind: ContactKind) -> str:
        """``value``, offered as a phone number or e-mail address and refused, as an error shows it.

        A string is masked character by character under the rule, so that its
        shape stays recognisable: in a phone number ``*`` hides a digit and ``?``
        marks a character that is not accepted; in an e-mail address the local
        part is masked and so are the digits of whatever follows the ``@``.
        A whole number offered as a phone number is masked as one; any other
        value is named by its type only.

        Example:
            >>> policy = MaskingPolicy()
            >>> policy.describe("13812345678x", "phone")
            "'138****5678?' (masked)"
            >>> policy.describe("zhang.san@example", "email")
            "'z********@example' (masked)"
            >>> policy.describe(13812345678, "phone"), policy.describe(["x"], "email")
            ('the number 138****5678', 'a list')
            >>> policy.describe(5, "email"), policy.describe(object(), "phone")
            ('a number', 'an object')
        """
        if isinstance(value, str):
            masked = self._conceal_phone(value) if kind == "phone" else self._conceal_email(value)
            return f"{shown(masked)} (masked)"
        if value is None or isinstance(value, bool):
            return repr(value)
        if isinstance(value, int) and kind == "phone":
            return f"the number {self._conceal_phone(str(value))}"
        if isinstance(value, int | float):
            return "a number"
        kind_of_value = type(value).__name__
        return f"{'an' if kind_of_value[0] in 'aeiouAEIOU' else 'a'} {kind_of_value}"

    # -- the rule -----------------------------------------------------------------

    def _digit_pattern(self, count: int) -> str:
        """``count`` marks, ``k`` for a digit kept and ``*`` for one hidden."""
        if count <= 4:
            return "*" * count
        if self.phone_rule is PhoneRule.HIDE_LAST_FOUR:
            return "k" * (count - 4) + "****"
        if count >= 11:
            head = min(count - 8, 5)  # 3 digits, or 5 with a country code
            return "k" * head + "*" * (count - head - 4) + "kkkk"
        return "*" * (count - 4) + "kkkk"

    def _local(self, local: str) -> str:
        kept = max(0, min(self.email_visible, len(local) - 1))
        return local[:kept] + "*" * (len(local) - kept)

    def _conceal_phone(self, text: str) -> str:
        digits = [c for c in text if c.isascii() and c.isdigit()]
        masked = iter(_apply(self._digit_pattern(len(digits)), "".join(digits)))
        return "".join(
            next(masked) if c.isascii() and c.isdigit() else (c if c in _PHONE_SEPARATORS else "?")
            for c in text
        )

    def _conceal_email(self, text: str) -> str:
        local, at, rest = text.partition("@")
        return self._local(local) + at + re.sub(r"\d", "*", rest)


def _apply(pattern: str, digits: str) -> str:
    return "".join(d if mark == "k" else "*" for mark, d in zip(pattern, digits, strict=True))


_default = MaskingPolicy()


def default_masking() -> MaskingPolicy:
    """The process default policy: what reprs, error messages and ``Contact.masked()`` use.

    Example:
        >>> default_masking()
        MaskingPolicy(phone_rule=<PhoneRule.KEEP_ENDS: 'keep_ends'>, email_visible=1)
    """
    return _default


def set_default_masking(policy: MaskingPolicy) -> MaskingPolicy:
    """Make ``policy`` the process default and return the previous one.

    Call it once at start-up, before any contact is shown; it applies to every
    thread. Views that take a policy argument still use the one they are given.

    Example:
        >>> from aftersales.model import Contact
        >>> previous = set_default_masking(MaskingPolicy(phone_rule=PhoneRule.HIDE_LAST_FOUR))
        >>> Contact(name="王女士", phone="13900001111")
        Contact(name='王女士', phone='1390000****', email=None, role=None)
        >>> _ = set_default_masking(previous)
    """
    global _default
    previous, _default = _default, check.instance_of(MaskingPolicy)(policy, "policy")
    return previous


def masked_repr(kind: ContactKind) -> Callable[[object], str]:
    """The ``repr`` of an ``attrs`` field holding a phone number or an e-mail address.

    It masks with the process default policy at the time the repr is made.

    Example:
        >>> masked_repr("phone")("13812345678")
        "'138****5678'"
    """

    def masked(value: object) -> str:
        if not isinstance(value, str):
            return repr(value)
        policy = default_masking()
        return repr(policy.phone(value) if kind == "phone" else policy.email(value))

    return masked
