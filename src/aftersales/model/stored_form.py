"""The stored form's rule for fields added after values were stored: left out while ``None``.

A field added to a stored class (a ticket, an event, a customer) carries
:data:`OMITTED_WHEN_NONE` in its metadata, and every writer of the stored
form (cattrs, the trusted encoder, the trusted text writer, snapshots) leaves
it out while it holds ``None`` (a collection field whose default is empty,
declared with :func:`omitted_when_empty`: while it is empty); so a value that
does not use the field is written, and read back, exactly as before. Imports
nothing of the model.

Example:
    >>> import attrs
    >>> @attrs.frozen
    ... class Sample:
    ...     code: str | None = attrs.field(default=None, metadata={OMITTED_WHEN_NONE: True})
    >>> omitted_fields(Sample)
    frozenset({'code'})
"""

from __future__ import annotations

from typing import Any, Final

import attrs

__all__ = [
    "OMITTED_WHEN_NONE",
    "omitted_fields",
    "omitted_when_empty",
    "omitted_when_none",
    "omitted_while_empty",
]


#: Field metadata: the stored form leaves the field out while it holds ``None``, and
#: writes it after the other fields when set. A field added after values were stored
#: carries it (``attrs.field(default=None, kw_only=True, metadata={OMITTED_WHEN_NONE: True})``),
#: so that a value not using the field is written, and read back, exactly as before:
#: a ticket of a three-level store has no ``priority_level``, and its events and
#: snapshot are the text they always were.
OMITTED_WHEN_NONE: Final = "aftersales.omitted_when_none"


def omitted_when_none() -> Any:
    """An optional keyword field (default ``None``) that the stored form leaves out while ``None``.

    For a class whose fields are all keyword-only (the events); in another
    class declare ``attrs.field(default=None, kw_only=True,
    metadata={OMITTED_WHEN_NONE: True})`` itself, since mypy's attrs plugin
    does not see through this function.

    Example:
        >>> @attrs.frozen(kw_only=True)
        ... class Sample:
        ...     code: str | None = omitted_when_none()
        >>> Sample().code, omitted_fields(Sample)
        (None, frozenset({'code'}))
    """
    return attrs.field(default=None, kw_only=True, metadata={OMITTED_WHEN_NONE: True})


def omitted_fields(cls: type) -> frozenset[str]:
    """The fields of the attrs class ``cls`` whose metadata holds :data:`OMITTED_WHEN_NONE`.

    Example:
        >>> from aftersales.model.fields import TicketFields
        >>> "priority_level" in omitted_fields(TicketFields)
        True
    """
    return frozenset(
        field.name for field in attrs.fields(cls) if field.metadata.get(OMITTED_WHEN_NONE)
    )


def omitted_when_empty(factory: type) -> Any:
    """An optional keyword collection field (default: ``factory()``, empty) left out while empty.

    The same rule as :func:`omitted_when_none` for a collection: the stored form
    leaves the field out while it is empty (a ticket without tags is written as
    before tags existed), and a text without it reads back empty. As with
    :func:`omitted_when_none`, a class whose mypy must see the default declares
    ``attrs.field(factory=..., kw_only=True, metadata={OMITTED_WHEN_NONE: True})``.

    Example:
        >>> @attrs.frozen(kw_only=True)
        ... class Sample:
        ...     codes: tuple[str, ...] = omitted_when_empty(tuple)
        >>> Sample().codes, omitted_while_empty(Sample)
        ((), frozenset({'codes'}))
    """
    return attrs.field(factory=factory, kw_only=True, metadata={OMITTED_WHEN_NONE: True})


def omitted_while_empty(cls: type) -> frozenset[str]:
    """The omitted fields of ``cls`` whose default is an empty collection: left out while empty.

    The other omitted fields (default ``None``) are left out while ``None``.

    Example:
        >>> from aftersales.model.fields import TicketFields
        >>> "tags" in omitted_while_empty(TicketFields), "priority_level" in omitted_while_empty(TicketFields)
        (True, False)
    """
    return frozenset(
        field.name
        for field in attrs.fields(cls)
        if field.metadata.get(OMITTED_WHEN_NONE) and isinstance(field.default, attrs.Factory)  # type: ignore[arg-type]
    )
