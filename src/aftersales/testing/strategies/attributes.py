"""Hypothesis strategies for custom attributes: declarations, values as commands give them, stored values.

:data:`SAMPLE_ATTRIBUTES` declares one attribute of each kind (the ones the
demo, the state machine and the command strategies use);
:func:`attribute_definitions` draws declarations of every kind,
:func:`attribute_inputs` values a command may give for a declaration (codes
or labels, dates as text or ``date``, numbers as ``int``, ``float`` or
``Decimal``), and :func:`attribute_values` the values tickets hold, of every
JSON kind and at the edges (2**53 - 1, 500-character texts, SQL
metacharacters). :mod:`aftersales.testing.strategies` re-exports them.
Requires the ``test`` extra (hypothesis).

Example:
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(attribute_definitions().flatmap(lambda d: st.tuples(st.just(d), attribute_inputs(d))))
    ... def check(pair):
    ...     definition, value = pair
    ...     assert definition.fits(definition.normalised(value, "attributes.x"))
    >>> check()
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

from aftersales.model.attribute_values import (
    MAX_ATTRIBUTE_TEXT,
    MAX_SAFE_INTEGER,
    AttributeValue,
    AttributeValues,
)
from aftersales.model.attributes import (
    AttributeChoice,
    AttributeDefinition,
    AttributeDefinitions,
    AttributeKind,
)
from aftersales.testing.strategies.values import texts

__all__ = [
    "SAMPLE_ATTRIBUTES",
    "attribute_definitions",
    "attribute_inputs",
    "attribute_names",
    "attribute_values",
    "set_attributes_arguments",
]

#: One attribute of each kind, as an after-sales team declares them.
SAMPLE_ATTRIBUTES = AttributeDefinitions(
    [
        AttributeDefinition("serial_number", "设备序列号", "Serial number", kind="text"),
        AttributeDefinition(
            "warranty_type",
            "保修类型",
            "Warranty type",
            kind="choice",
            choices=[
                ("in_warranty", "保内", "In warranty"),
                ("extended", "延保", "Extended warranty"),
                ("paid", "保外付费", "Paid repair"),
            ],
        ),
        AttributeDefinition(
            "parts",
            "更换部件",
            "Parts replaced",
            kind="multi_choice",
            choices=[
                ("power", "电源", "Power supply"),
                ("board", "主板", "Main board"),
                ("fan", "风扇", "Fan"),
            ],
        ),
        AttributeDefinition("onsite", "需上门", "On-site service", kind="boolean"),
        AttributeDefinition("bought_on", "购买日期", "Bought on", kind="date"),
        AttributeDefinition("repair_cost", "维修费用", "Repair cost", kind="number"),
    ]
)


def attribute_names() -> st.SearchStrategy[str]:
    """Attribute names: a letter, then up to 39 of ``a–z 0–9 _``.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(attribute_names())
        ... def check(name):
        ...     assert name[0].isalpha() and len(name) <= 40
        >>> check()
    """
    return st.from_regex(r"\A[a-z][a-z0-9_]{0,39}\Z")


_CODES = st.from_regex(r"\A[a-z][a-z0-9_.:-]{0,15}\Z")


@st.composite
def _choices(draw: st.DrawFn) -> tuple[AttributeChoice, ...]:
    codes = draw(st.lists(_CODES, min_size=1, max_size=5, unique=True))
    return tuple(AttributeChoice(code, f"选项{i}", f"Option {i}") for i, code in enumerate(codes))


@st.composite
def attribute_definitions(draw: st.DrawFn, *, name: str | None = None) -> AttributeDefinition:
    """Declarations of every kind (``name`` given or drawn), with 1–5 choices for the choice kinds.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=10)
        ... @given(attribute_definitions())
        ... def check(definition):
        ...     assert bool(definition.choices) is definition.kind.has_choices
        >>> check()
    """
    kind = draw(st.sampled_from(list(AttributeKind)))
    chosen = draw(attribute_names()) if name is None else name
    return AttributeDefinition(
        chosen,
        f"属性 {chosen}",
        f"Attribute {chosen}",
        kind=kind,
        required=draw(st.booleans()),
        choices=draw(_choices()) if kind.has_choices else (),
    )


def _dates() -> st.SearchStrategy[date]:
    return st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


def _numbers() -> st.SearchStrategy[Any]:
    whole = st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
    return st.one_of(
        whole,
        st.sampled_from([0, 1, -1, MAX_SAFE_INTEGER, -MAX_SAFE_INTEGER, 0.1, 2.5, -0.0, 1e-300]),
        st.floats(allow_nan=False, allow_infinity=False).filter(
            lambda f: not f.is_integer() or abs(f) <= MAX_SAFE_INTEGER
        ),
        st.decimals(
            allow_nan=False, allow_infinity=False, places=2, min_value=-(10**9), max_value=10**9
        ),
    )


def _labels_or_codes(choice: AttributeChoice) -> st.SearchStrategy[str]:
    return st.sampled_from([choice.code, choice.label_zh, choice.label_en])


def attribute_inputs(definition: AttributeDefinition) -> st.SearchStrategy[Any]:
    """Values a command may give for ``definition``, in every accepted form.

    Example:
        >>> from hypothesis import given, settings
        >>> onsite = SAMPLE_ATTRIBUTES.get("onsite")
        >>> @settings(max_examples=5)
        ... @given(attribute_inputs(onsite))
        ... def check(value):
        ...     assert isinstance(value, bool)
        >>> check()
    """
    kind = definition.kind
    if kind is AttributeKind.TEXT:
        return st.one_of(texts(), st.sampled_from(["'; DROP TABLE tickets; --", "x" * 500]))
    if kind is AttributeKind.NUMBER:
        return _numbers()
    if kind is AttributeKind.DATE:
        return _dates() | _dates().map(date.isoformat)
    if kind is AttributeKind.BOOLEAN:
        return st.booleans()
    choices = st.sampled_from(definition.choices).flatmap(_labels_or_codes)
    if kind is AttributeKind.CHOICE:
        return choices
    return st.lists(choices, min_size=1, max_size=4)


def _stored_value() -> st.SearchStrategy[AttributeValue]:
    text = st.one_of(
        texts(),
        st.sampled_from(["'; DROP TABLE tickets; --", "true", "12", "x" * MAX_ATTRIBUTE_TEXT]),
    )
    number = st.one_of(
        st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER),
        st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer()),
    )
    codes = st.lists(texts(12), min_size=1, max_size=4).map(lambda c: tuple(sorted(set(c))))
    return st.one_of(text, number, st.booleans(), codes)


def attribute_values(
    *, names: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[AttributeValues]:
    """Values tickets hold: 0–5 names (from ``names``, or drawn), each a value of any JSON kind.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=10)
        ... @given(attribute_values())
        ... def check(values):
        ...     assert AttributeValues.trusted(values.plain()) == values
        >>> check()
    """
    return st.dictionaries(
        attribute_names() if names is None else names, _stored_value(), max_size=5
    ).map(AttributeValues)


@st.composite
def set_attributes_arguments(
    draw: st.DrawFn, held: AttributeValues, declared: AttributeDefinitions = SAMPLE_ATTRIBUTES
) -> dict[str, Any]:
    """The fields of an ``AttributesSet`` that changes ``held`` (a ticket's values).

    One or two declared values set (normalised as the desk records them), or
    a held value cleared; never a change to nothing.

    Example:
        >>> from hypothesis import given, settings
        >>> from aftersales.model.attribute_values import NO_ATTRIBUTES
        >>> @settings(max_examples=10)
        ... @given(set_attributes_arguments(NO_ATTRIBUTES))
        ... def check(fields):
        ...     assert fields["attributes"] and fields["cleared"] == ()
        >>> check()
    """
    if held and draw(st.booleans()):
        return {"attributes": AttributeValues(), "cleared": (draw(st.sampled_from(sorted(held))),)}
    chosen = draw(st.lists(st.sampled_from(list(declared)), min_size=1, max_size=2, unique=True))
    values = {
        item.name: item.normalised(draw(attribute_inputs(item)), f"attributes.{item.name}")
        for item in chosen
    }
    changed = {
        name: value
        for name, value in values.items()
        if name not in held or held[name] != value or type(held[name]) is not type(value)
    }
    if not changed:
        return {"attributes": AttributeValues(), "cleared": (sorted(values)[0],)}
    return {"attributes": AttributeValues(changed), "cleared": ()}
