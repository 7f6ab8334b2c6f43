"""The values of a ticket's custom attributes: plain JSON values under a company's own names.

A company declares its own fields (``设备序列号``, ``保修类型`` …, see
:mod:`aftersales.model.attributes`); a ticket holds their values in
:class:`AttributeValues`, an immutable mapping from attribute name to value.
The values are JSON-safe and tell their own kind, so that a ticket reads back
whatever is declared later (a history never consults the declarations):

* a text, a choice's code and a date (ISO ``YYYY-MM-DD``) are strings;
* a number is an ``int`` (``|n| <= 2**53 - 1``, what JSON readers keep
  exactly) or a finite ``float`` that is not a whole number (``3.0`` is
  stored as ``3``);
* a boolean is ``True`` or ``False``;
* a multiple choice is a sorted tuple of distinct codes (a JSON array).

:func:`value_texts` gives the texts the SQL stores index a value under (a
multiple choice one per code), and :func:`query_text` the text a query value
is compared with; ``TicketQuery(attributes=...)`` matches when they are
equal, on every store. Imports the checks and the masking only.

Example:
    >>> values = AttributeValues({"serial_number": "SN-0158", "parts": ["fan", "board"]})
    >>> dict(values)
    {'parts': ('board', 'fan'), 'serial_number': 'SN-0158'}
    >>> value_texts(values["parts"]), query_text(3.0, "amount")
    (('board', 'fan'), '3')
    >>> AttributeValues({"Serial No": 1.5, "count": float("nan")})
    Traceback (most recent call last):
    ...
    aftersales.errors.InvalidData: 2 invalid values:
      attributes.Serial No: is not an attribute name; accepted: 1–40 of a–z 0–9 _, starting with a letter
      attributes.count: nan is not a finite number; accepted: a text, a number, a boolean or a list of codes
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.errors import InvalidData
from aftersales.model.masking import default_masking

__all__ = [
    "MAX_ATTRIBUTE_TEXT",
    "MAX_SAFE_INTEGER",
    "NO_ATTRIBUTES",
    "AttributeValue",
    "AttributeValues",
    "attribute_name",
    "attribute_value",
    "attribute_values",
    "query_text",
    "value_texts",
]

#: A custom attribute's value, as a ticket holds it.
AttributeValue = str | int | float | bool | tuple[str, ...]

#: The longest text (or choice code) an attribute value holds, in characters: short
#: enough for every store's index on the values (PostgreSQL's b-tree takes ~2,700 bytes).
MAX_ATTRIBUTE_TEXT: Final = 500
#: The largest whole number an attribute holds: 2**53 - 1, what a JSON reader in a
#: browser keeps exactly.
MAX_SAFE_INTEGER: Final = 2**53 - 1

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_NAME_RULE = "1–40 of a–z 0–9 _, starting with a letter"
_KINDS = "a text, a number, a boolean or a list of codes"


def _shown(value: object) -> str:
    """``value`` as an error shows it: short, any phone number or e-mail in it masked."""
    return default_masking().text(shown(value))


def _bad(name: str, message: str) -> InvalidData:
    return InvalidData(f"{name}: {message}", problems=[(name, message)])


def attribute_name(value: Any, name: str) -> str:
    """An attribute name: 1–40 of ``a–z 0–9 _``, starting with a letter.

    Example:
        >>> attribute_name("serial_number", "name")
        'serial_number'
        >>> attribute_name("序列号", "name")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: name: '序列号' is not an attribute name; accepted: 1–40 of a–z 0–9 _, starting with a letter
    """
    if not isinstance(value, str) or not _NAME.match(value):
        raise _bad(name, f"{_shown(value)} is not an attribute name; accepted: {_NAME_RULE}")
    return value


def attribute_text(value: Any, name: str) -> str:
    """A text of a value: non-blank, at most :data:`MAX_ATTRIBUTE_TEXT` characters, storable."""
    found = check.text(value, name)
    if len(found) > MAX_ATTRIBUTE_TEXT:
        message = f"{len(found)} characters is too long; accepted: up to {MAX_ATTRIBUTE_TEXT}"
        raise _bad(name, message)
    return found


def number(value: Any, name: str) -> int | float:
    """A number as an attribute holds it: whole numbers as ``int``, others as a finite ``float``.

    An ``int`` (not a bool), a ``float`` or a :class:`~decimal.Decimal` is
    taken; a whole number must lie within ±:data:`MAX_SAFE_INTEGER`, and a
    decimal becomes the nearest float.

    Example:
        >>> number(3.0, "n"), number(Decimal("2.50"), "n"), number(-0.0, "n")
        (3, 2.5, 0)
    """
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise _bad(name, f"{_shown(value)} is not a number; accepted: an integer or a decimal")
    if isinstance(value, Decimal | float) and not math.isfinite(value):
        raise _bad(name, f"{value} is not a finite number; accepted: {_KINDS}")
    found: int | float
    if isinstance(value, Decimal):
        found = int(value) if value == value.to_integral_value() else float(value)
    else:
        found = value
    if isinstance(found, float) and found.is_integer():
        found = int(found)
    if isinstance(found, int) and abs(found) > MAX_SAFE_INTEGER:
        raise _bad(
            name,
            f"{_shown(found)} is too large; accepted: a number from"
            f" -{MAX_SAFE_INTEGER} to {MAX_SAFE_INTEGER}",
        )
    return found


def _codes(value: Any, name: str) -> tuple[str, ...]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise _bad(name, f"{_shown(value)} is not a list of codes; accepted: {_KINDS}")
    items = list(value)
    if not items:
        raise _bad(name, f"[] is empty; accepted: {_KINDS} (clear an attribute instead)")
    problems: list[tuple[str, str]] = []
    codes: list[str] = []
    for index, item in enumerate(items):
        try:
            codes.append(attribute_text(item, f"{name}[{index}]"))
        except InvalidData as error:
            problems += error.problems
    if problems:
        raise InvalidData.from_problems(problems)
    return tuple(sorted(set(codes)))


def attribute_value(value: Any, name: str) -> AttributeValue:
    """``value`` as a ticket holds it, whatever its declared kind; ``InvalidData`` otherwise.

    Texts as they are (non-blank, at most :data:`MAX_ATTRIBUTE_TEXT`
    characters), numbers as :func:`number` makes them, booleans, and lists of
    codes sorted without repeats. A date (not a datetime) becomes its ISO text.

    Example:
        >>> attribute_value(date(2024, 5, 10), "bought_on"), attribute_value(("b", "a", "b"), "x")
        ('2024-05-10', ('a', 'b'))
    """
    if isinstance(value, str):
        return attribute_text(value, name)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return number(value, name)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return _codes(value, name)
    raise _bad(name, f"{_shown(value)} is not an attribute value; accepted: {_KINDS}")


def value_texts(value: AttributeValue) -> tuple[str, ...]:
    """The texts a store indexes ``value`` under: one per code of a multiple choice, else one.

    A boolean is ``"true"``/``"false"``, a number its shortest decimal text.

    Example:
        >>> value_texts(True), value_texts(12), value_texts(0.1), value_texts(("a", "b"))
        (('true',), ('12',), ('0.1',), ('a', 'b'))
    """
    if isinstance(value, tuple):
        return value
    return (_text_of(value),)


def _text_of(value: str | int | float | bool) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return value
    return repr(value)


def query_text(value: Any, name: str) -> str:
    """The text a query's ``value`` is compared with: the text of one value (not of a list).

    A multiple choice matches when one of its codes is this text.

    Example:
        >>> query_text(date(2024, 5, 10), "bought_on"), query_text(False, "onsite")
        ('2024-05-10', 'false')
        >>> query_text(["a"], "parts")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: parts: ['a'] is a list; accepted: one value (a list attribute matches when it holds it)
    """
    if isinstance(value, list | tuple | set | frozenset):
        message = (
            f"{_shown(value)} is a list; accepted: one value"
            " (a list attribute matches when it holds it)"
        )
        raise _bad(name, message)
    found = attribute_value(value, name)
    assert not isinstance(found, tuple)
    return _text_of(found)


class AttributeValues(Mapping[str, AttributeValue]):
    """A ticket's custom attribute values by name, sorted by name; immutable and hashable.

    Built from a mapping (or ``(name, value)`` pairs) checked with
    :func:`attribute_name` and :func:`attribute_value`, every problem listed at
    once under ``attributes.<name>``. Two are equal when they hold the same
    names and values of the same kinds (``True`` is not ``1``). The repr masks
    any phone number or e-mail address written into a text.

    Example:
        >>> values = AttributeValues({"warranty": "in_warranty", "onsite": True})
        >>> values["onsite"], len(values), values == AttributeValues([("onsite", True),
        ...     ("warranty", "in_warranty")])
        (True, 2, True)
        >>> AttributeValues({"onsite": 1}) == AttributeValues({"onsite": True})
        False
        >>> AttributeValues({"callback": "回电 13812345678"})
        AttributeValues({'callback': '回电 138****5678'})
    """

    __slots__ = ("_hash", "_items", "_values")

    _items: tuple[tuple[str, AttributeValue], ...]
    _values: dict[str, AttributeValue]
    _hash: int | None

    def __init__(
        self,
        values: Mapping[str, Any] | Iterable[tuple[str, Any]] = (),
        *,
        path: str = "attributes",
    ) -> None:
        pairs = list(values.items() if isinstance(values, Mapping) else values)
        problems: list[tuple[str, str]] = []
        checked: dict[str, AttributeValue] = {}
        for key, value in pairs:
            if isinstance(key, str):
                masked = default_masking().text(key)  # a key may quote a phone number too
                where = f"{path}.{masked}" if path else masked
            else:
                where = f"{path}[{_shown(key)}]"
            try:
                attribute_name(key, where)
            except InvalidData:
                problems.append((where, f"is not an attribute name; accepted: {_NAME_RULE}"))
                continue
            try:
                checked[key] = attribute_value(value, where)
            except InvalidData as error:
                problems += error.problems
        if problems:
            raise InvalidData.from_problems(problems)
        self._set(checked)

    @classmethod
    def trusted(cls, values: Mapping[str, Any]) -> AttributeValues:
        """Values this library wrote itself (a stored form), unchecked; lists become tuples.

        Example:
            >>> AttributeValues.trusted({"parts": ["board", "fan"]})["parts"]
            ('board', 'fan')
        """
        made = cls.__new__(cls)
        made._set({k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})
        return made

    def _set(self, values: Mapping[str, AttributeValue]) -> None:
        items = tuple(sorted(values.items()))
        object.__setattr__(self, "_items", items)
        object.__setattr__(self, "_values", dict(items))
        object.__setattr__(self, "_hash", None)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"AttributeValues is immutable; {name!r} cannot be set")

    def __getitem__(self, name: str) -> AttributeValue:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def _key(self) -> tuple[tuple[str, type, AttributeValue], ...]:
        return tuple((name, type(value), value) for name, value in self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, AttributeValues):
            return self._key() == other._key()
        if isinstance(other, Mapping):
            try:
                return self._key() == AttributeValues(other)._key()
            except InvalidData:
                return False
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        found = self._hash
        if found is None:
            found = hash(self._key())
            object.__setattr__(self, "_hash", found)
        return found

    def __repr__(self) -> str:
        return f"AttributeValues({default_masking().text(repr(dict(self._items)))})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (AttributeValues.trusted, (dict(self._items),))

    def plain(self) -> dict[str, Any]:
        """The stored form: a dict sorted by name, a multiple choice as a list.

        Example:
            >>> AttributeValues({"parts": ("fan",), "model": "A型"}).plain()
            {'model': 'A型', 'parts': ['fan']}
        """
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self._items}

    def updated(
        self, values: Mapping[str, AttributeValue], cleared: Iterable[str] = ()
    ) -> AttributeValues:
        """These values with ``values`` set and the names in ``cleared`` removed.

        Example:
            >>> AttributeValues({"a": "x", "b": True}).updated({"c": 2}, cleared=["a"]).plain()
            {'b': True, 'c': 2}
        """
        merged = {**self._values, **values}
        for name in cleared:
            merged.pop(name, None)
        made = AttributeValues.__new__(AttributeValues)
        made._set(merged)
        return made


def attribute_values(value: Any, name: str) -> AttributeValues:
    """An :class:`AttributeValues`, or a mapping checked into one (paths ``name.<attribute>``).

    Example:
        >>> attribute_values({"onsite": True}, "attributes")
        AttributeValues({'onsite': True})
    """
    if isinstance(value, AttributeValues):
        return value
    if not isinstance(value, Mapping):
        message = f"{_shown(value)} is not a mapping; accepted: attribute names and their values"
        raise InvalidData(f"{name}: {message}", problems=[(name, message)])
    return AttributeValues(value, path=name)


#: A ticket without custom attributes (the default, left out of the stored form).
NO_ATTRIBUTES: Final = AttributeValues()
