"""Custom attributes declared by a company: its own fields on tickets, with labels in zh and en.

A company adds the fields its follow-up record needs (设备序列号, 保修类型,
上门地址类型 …) by declaring an :class:`AttributeDefinition` in its store:
a name (the key tickets and queries use), labels in Chinese and English, an
:class:`AttributeKind` (text, number, date, choice, multiple choice,
boolean), whether new tickets must have it, and for the choice kinds the
:class:`AttributeChoice` values. :class:`AttributeDefinitions` is a store's
declarations, in declaration order.

A declaration checks values when a command sets them
(:meth:`AttributeDefinition.normalised`, run by the desk) and labels them
when they are shown (:meth:`AttributeDefinitions.shown`); a ticket's history
never consults it. So changing a declaration never makes a stored ticket
unreadable: adding a choice or relabelling changes what new commands accept
and how values read; a value that no longer fits (a choice removed, a kind
changed, an attribute no longer declared) is kept as it was stored and shown
as a *legacy* value; an attribute declared required later is required on new
tickets only. Imports the checks, the vocabulary and the attribute values.

Example:
    >>> warranty = AttributeDefinition(
    ...     "warranty_type", "保修类型", "Warranty type", kind="choice",
    ...     choices=[("in_warranty", "保内", "In warranty"), ("paid", "保外付费", "Paid")])
    >>> warranty.normalised("保内", "attributes.warranty_type")
    'in_warranty'
    >>> warranty.normalised("free", "attributes.warranty_type")
    Traceback (most recent call last):
    ...
    aftersales.errors.InvalidData: attributes.warranty_type: 'free' is not a choice of 保修类型; accepted: 'in_warranty' (保内), 'paid' (保外付费)
    >>> [(s.shown_zh, s.legacy) for s in AttributeDefinitions([warranty]).shown({"warranty_type": "paid"})]
    [('保外付费', False)]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any, ClassVar, Final, cast

import attrs

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.errors import InvalidData, UnknownValue
from aftersales.model.attribute_values import (
    AttributeValue,
    attribute_name,
    attribute_text,
    number,
    value_texts,
)
from aftersales.model.masking import default_masking
from aftersales.vocab import _Labelled

__all__ = [
    "AttributeChoice",
    "AttributeDefinition",
    "AttributeDefinitions",
    "AttributeKind",
    "ShownAttribute",
]

#: The longest label of an attribute or a choice, in characters (a column heading).
MAX_LABEL: Final = 60


class AttributeKind(_Labelled):
    """What an attribute holds.

    Example:
        >>> AttributeKind.MULTI_CHOICE.label_zh, AttributeKind.parse("日期")
        ('多选', <AttributeKind.DATE: 'date'>)
    """

    TEXT = ("text", "文本")
    NUMBER = ("number", "数字")
    DATE = ("date", "日期")
    CHOICE = ("choice", "单选")
    MULTI_CHOICE = ("multi_choice", "多选")
    BOOLEAN = ("boolean", "是否")

    @property
    def has_choices(self) -> bool:
        """True for the two choice kinds.

        Example:
            >>> AttributeKind.CHOICE.has_choices, AttributeKind.TEXT.has_choices
            (True, False)
        """
        return self in (AttributeKind.CHOICE, AttributeKind.MULTI_CHOICE)


def _label(value: Any, name: str) -> str:
    found = check.text(value, name)
    if len(found) > MAX_LABEL or found != found.strip():
        message = (
            f"{_shown(found)} is not a label; accepted: 1–{MAX_LABEL} characters"
            " without surrounding spaces"
        )
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
    return found


@attrs.frozen(slots=True)
class AttributeChoice:
    """One value of a choice attribute: a code (what tickets store) and its labels.

    Example:
        >>> AttributeChoice("in_warranty", "保内", "In warranty").label("zh")
        '保内'
    """

    code: str
    label_zh: str
    label_en: str

    _checks: ClassVar[check.Checks] = (
        ("code", check.identifier),
        ("label_zh", _label),
        ("label_en", _label),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)

    def label(self, lang: str = "en") -> str:
        """The label in ``lang`` (``"en"`` or ``"zh"``)."""
        return _in(lang, self.label_zh, self.label_en)


def _in(lang: str, zh: str, en: str) -> str:
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    raise UnknownValue("lang", lang, ["en", "zh"])


def _choice(value: Any, name: str) -> AttributeChoice:
    if isinstance(value, AttributeChoice):
        return value
    if isinstance(value, list | tuple) and len(value) == 3:
        try:
            return AttributeChoice(*value)
        except InvalidData as error:
            message = "; ".join(m for _, m in error.problems)
            raise InvalidData(f"{name}: {message}", problems=[(name, message)]) from None
    message = (
        f"{_shown(value)} is not a choice; accepted: an AttributeChoice"
        " or (code, label_zh, label_en)"
    )
    raise InvalidData(f"{name}: {message}", problems=[(name, message)])


def _given_kind(value: AttributeKind | str) -> AttributeKind:
    """The kind as given (a member, its value or Chinese label): checked with the other fields."""
    return cast(AttributeKind, value)


def _given_choices(
    value: Iterable[AttributeChoice | tuple[str, str, str]],
) -> tuple[AttributeChoice, ...]:
    """The choices as given (values or triples): checked with the other fields."""
    return cast(tuple[AttributeChoice, ...], value)


_BOOLEAN_SHOWN: Final = {True: ("是", "yes"), False: ("否", "no")}


@attrs.frozen(slots=True)
class AttributeDefinition:
    """One custom attribute a store declares (see the module's documentation for the change rule).

    Args:
        name: the key tickets, queries and payloads use (``serial_number``):
            1–40 of ``a–z 0–9 _``, starting with a letter.
        label_zh, label_en: the labels views, exports and imports use (at most
            60 characters).
        kind: an :class:`AttributeKind` (its value or Chinese label).
        required: new tickets must be opened with a value, and it cannot be
            cleared; tickets opened before it was required are left as they are.
        choices: the values of a ``choice`` or ``multi_choice`` attribute
            (:class:`AttributeChoice` or ``(code, label_zh, label_en)``), at
            least one, codes and labels distinct; no choices for other kinds.

    Example:
        >>> serial = AttributeDefinition("serial_number", "设备序列号", "Serial number",
        ...                              kind="text", required=True)
        >>> serial.kind.label_zh, serial.accepted
        ('文本', 'a text of 1–500 characters')
    """

    name: str
    label_zh: str
    label_en: str
    kind: AttributeKind = attrs.field(kw_only=True, converter=_given_kind)
    required: bool = attrs.field(default=False, kw_only=True)
    choices: tuple[AttributeChoice, ...] = attrs.field(
        default=(), kw_only=True, converter=_given_choices
    )

    _checks: ClassVar[check.Checks] = (
        ("name", attribute_name),
        ("label_zh", _label),
        ("label_en", _label),
        ("kind", check.member(AttributeKind)),
        ("required", check.flag),
        ("choices", check.tuple_of(_choice)),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)
        problems: list[tuple[str, str]] = []
        if self.kind.has_choices and not self.choices:
            problems.append(("choices", f"is empty; accepted: at least one choice for {self.kind}"))
        if not self.kind.has_choices and self.choices:
            problems.append(("choices", f"are given; accepted: none for a {self.kind} attribute"))
        seen: dict[str, int] = {}
        for index, choice in enumerate(self.choices):
            for key in dict.fromkeys((choice.code, choice.label_zh, choice.label_en)):
                if key in seen and seen[key] != index:
                    problems.append(
                        (
                            f"choices[{index}]",
                            f"{_shown(key)} is also choices[{seen[key]}];"
                            " accepted: distinct codes and labels",
                        )
                    )
                seen.setdefault(key, index)
        if problems:
            raise InvalidData.from_problems(problems)

    def label(self, lang: str = "en") -> str:
        """The attribute's label in ``lang`` (``"en"`` or ``"zh"``)."""
        return _in(lang, self.label_zh, self.label_en)

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of the choices, in their declared order."""
        return tuple(choice.code for choice in self.choices)

    @property
    def accepted(self) -> str:
        """What a command may set it to, as an error message says it.

        Example:
            >>> AttributeDefinition("onsite", "需上门", "On site", kind="boolean").accepted
            'true or false'
        """
        listed = ", ".join(f"{c.code!r} ({c.label_zh})" for c in self.choices)
        return {
            AttributeKind.TEXT: "a text of 1–500 characters",
            AttributeKind.NUMBER: "a number (an integer or a decimal)",
            AttributeKind.DATE: "a date YYYY-MM-DD",
            AttributeKind.CHOICE: listed,
            AttributeKind.MULTI_CHOICE: f"a list of {listed}",
            AttributeKind.BOOLEAN: "true or false",
        }[self.kind]

    def choice(self, value: object) -> AttributeChoice | None:
        """The declared choice with this code or label, or ``None``."""
        for choice in self.choices:
            if value in (choice.code, choice.label_zh, choice.label_en):
                return choice
        return None

    def normalised(self, value: Any, path: str) -> AttributeValue:
        """``value`` as a ticket stores it, checked against this declaration (the desk's check).

        Texts are stripped; numbers become ``int`` or ``float`` (see
        :func:`~aftersales.model.attribute_values.number`); a date is a
        :class:`datetime.date` or a ``YYYY-MM-DD`` text, stored as that text;
        a choice is a code or a label, stored as the code; a multiple choice is
        a list of them, stored sorted without repeats; a boolean is ``True`` or
        ``False``. Anything else raises :class:`~aftersales.errors.InvalidData`
        at ``path`` naming the value (contacts in it masked) and :attr:`accepted`.

        Example:
            >>> parts = AttributeDefinition("parts", "更换部件", "Parts", kind="multi_choice",
            ...     choices=[("fan", "风扇", "Fan"), ("board", "主板", "Board")])
            >>> parts.normalised(["风扇", "board", "fan"], "parts")
            ('board', 'fan')
        """
        try:
            return self._normalised(value, path)
        except _Refused:
            message = f"{_shown(value)} is not {self._what()}; accepted: {self.accepted}"
            raise InvalidData(f"{path}: {message}", problems=[(path, message)]) from None

    def _what(self) -> str:
        if self.kind.has_choices:
            return f"a choice of {self.label_zh}"
        return f"a {self.kind.value}"

    def _normalised(self, value: Any, path: str) -> AttributeValue:
        kind = self.kind
        if kind is AttributeKind.TEXT:
            if not isinstance(value, str):
                raise _Refused
            return attribute_text(value.strip(), path)
        if kind is AttributeKind.NUMBER:
            try:
                return number(value, path)
            except InvalidData as error:
                if "too large" in error.problems[0][1]:
                    raise
                raise _Refused from None
        if kind is AttributeKind.DATE:
            return _iso_date(value)
        if kind is AttributeKind.BOOLEAN:
            if not isinstance(value, bool):
                raise _Refused
            return value
        if kind is AttributeKind.CHOICE:
            found = self.choice(value) if isinstance(value, str) else None
            if found is None:
                raise _Refused
            return found.code
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
            raise _Refused
        items = list(value)
        problems = [
            (f"{path}[{index}]", f"{_shown(item)} is not a choice of {self.label_zh}")
            for index, item in enumerate(items)
            if not isinstance(item, str) or self.choice(item) is None
        ]
        if problems:
            accepted = f"; accepted: {', '.join(repr(code) for code in self.codes)}"
            raise InvalidData.from_problems([(p, m + accepted) for p, m in problems])
        return tuple(sorted({self.choice(item).code for item in items}))  # type: ignore[union-attr]

    def fits(self, value: AttributeValue) -> bool:
        """True when ``value`` is one this declaration would store now (otherwise a legacy value).

        Example:
            >>> onsite = AttributeDefinition("onsite", "需上门", "On site", kind="boolean")
            >>> onsite.fits(True), onsite.fits("yes")
            (True, False)
        """
        kind = self.kind
        if kind is AttributeKind.TEXT:
            return isinstance(value, str)
        if kind is AttributeKind.NUMBER:
            return isinstance(value, int | float) and not isinstance(value, bool)
        if kind is AttributeKind.DATE:
            try:
                return isinstance(value, str) and _iso_date(value) == value
            except _Refused:
                return False
        if kind is AttributeKind.BOOLEAN:
            return isinstance(value, bool)
        if kind is AttributeKind.CHOICE:
            return isinstance(value, str) and value in self.codes
        return isinstance(value, tuple) and all(code in self.codes for code in value)

    def shown(self, value: AttributeValue, lang: str = "zh") -> str:
        """``value`` as a person reads it in ``lang``: a choice's label, 是/否 (yes/no) …

        A choice no longer declared is shown by its code; any other value that
        does not fit the declaration is shown as stored.

        Example:
            >>> onsite = AttributeDefinition("onsite", "需上门", "On site", kind="boolean")
            >>> onsite.shown(True), onsite.shown(False, "en")
            ('是', 'no')
        """
        _in(lang, "", "")
        if self.kind.has_choices and isinstance(value, str | tuple):
            codes = value if isinstance(value, tuple) else (value,)
            labels = [_label_of(self.choice(code), code, lang) for code in codes]
            return _joined(labels, lang)
        if isinstance(value, bool) and self.fits(value):
            return _in(lang, *_BOOLEAN_SHOWN[value])
        return _stored_text(value, lang)


class _Refused(Exception):
    """A value of the wrong kind for a declaration (turned into InvalidData by ``normalised``)."""


def _iso_date(value: Any) -> str:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise _Refused from None
    raise _Refused


def _shown(value: object) -> str:
    """``value`` as an error shows it: short, any phone number or e-mail in it masked."""
    return default_masking().text(shown(value))


def _label_of(choice: AttributeChoice | None, code: str, lang: str) -> str:
    return code if choice is None else choice.label(lang)


def _joined(texts: Iterable[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(texts)


def _stored_text(value: AttributeValue, lang: str) -> str:
    return _joined(value_texts(value), lang)


@attrs.frozen(slots=True)
class ShownAttribute:
    """One attribute of a ticket as a view shows it: labels, the stored value, the value as read.

    ``legacy`` is true for a value the current declarations would not store
    (an attribute no longer declared, a choice removed, a kind changed); its
    labels are then the name (when undeclared) and its value is shown as stored.

    Example:
        >>> ShownAttribute("onsite", "需上门", "On site", True, "是", "yes", legacy=False).shown_en
        'yes'
    """

    name: str
    label_zh: str
    label_en: str
    value: AttributeValue
    shown_zh: str
    shown_en: str
    legacy: bool = attrs.field(kw_only=True)


class AttributeDefinitions:
    """A store's declared attributes, in declaration order; names and labels are distinct.

    Example:
        >>> declared = AttributeDefinitions([
        ...     AttributeDefinition("serial_number", "设备序列号", "Serial number", kind="text"),
        ...     AttributeDefinition("onsite", "需上门", "On site", kind="boolean")])
        >>> declared.names, declared.get("onsite").label_zh, declared.by_label("Serial number").name
        (('serial_number', 'onsite'), '需上门', 'serial_number')
        >>> [(s.name, s.shown_zh, s.legacy) for s in declared.shown({"old_field": 3, "onsite": False})]
        [('onsite', '否', False), ('old_field', '3', True)]
    """

    __slots__ = ("_by_name", "_items")

    def __init__(self, items: Iterable[AttributeDefinition] = ()) -> None:
        declared = check.tuple_of(check.instance_of(AttributeDefinition))(items, "definitions")
        problems: list[tuple[str, str]] = []
        seen: dict[str, int] = {}
        for index, item in enumerate(declared):
            for key in dict.fromkeys((item.name, item.label_zh, item.label_en)):
                if key in seen:
                    problems.append(
                        (
                            f"definitions[{index}]",
                            f"{_shown(key)} is also definitions[{seen[key]}];"
                            " accepted: distinct names and labels",
                        )
                    )
                seen.setdefault(key, index)
        if problems:
            raise InvalidData.from_problems(problems)
        self._items: tuple[AttributeDefinition, ...] = declared
        self._by_name: dict[str, AttributeDefinition] = {item.name: item for item in declared}

    def __iter__(self) -> Iterator[AttributeDefinition]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AttributeDefinitions):
            return NotImplemented
        return self._items == other._items

    def __hash__(self) -> int:
        return hash(self._items)

    def __repr__(self) -> str:
        return f"AttributeDefinitions({list(self._by_name)!r})"

    @property
    def names(self) -> tuple[str, ...]:
        """The declared names, in declaration order."""
        return tuple(self._by_name)

    @property
    def required(self) -> tuple[AttributeDefinition, ...]:
        """The attributes new tickets must have."""
        return tuple(item for item in self._items if item.required)

    def get(self, name: object) -> AttributeDefinition:
        """The declaration of ``name``; :class:`~aftersales.errors.UnknownValue` otherwise."""
        found = self._by_name.get(name) if isinstance(name, str) else None
        if found is None:
            raise UnknownValue("attribute", name, self.names)
        return found

    def by_label(self, label: str) -> AttributeDefinition | None:
        """The declaration with this Chinese or English label (or name), or ``None``."""
        for item in self._items:
            if label in (item.label_zh, item.label_en, item.name):
                return item
        return None

    def shown(self, values: Mapping[str, AttributeValue]) -> tuple[ShownAttribute, ...]:
        """``values`` (a ticket's attributes) as views show them: declared ones first, in order.

        Then the undeclared ones by name, as legacy values labelled by their name.
        """
        found: list[ShownAttribute] = []
        for item in self._items:
            if item.name in values:
                value = values[item.name]
                found.append(
                    ShownAttribute(
                        item.name,
                        item.label_zh,
                        item.label_en,
                        value,
                        item.shown(value, "zh"),
                        item.shown(value, "en"),
                        legacy=not item.fits(value),
                    )
                )
        for name in sorted(set(values) - set(self._by_name)):
            value = values[name]
            found.append(
                ShownAttribute(
                    name,
                    name,
                    name,
                    value,
                    _stored_text(value, "zh"),
                    _stored_text(value, "en"),
                    legacy=True,
                )
            )
        return tuple(found)
