"""The custom attributes as template columns: one column per declared attribute, read and written.

The export appends one column per attribute the store declares
(:func:`with_attribute_columns`), under its Chinese or English label; the
import finds the same columns by label or name and reads them back, each cell
checked by its declaration. A cell holds a value as a person writes it: a
text, a number, a date ``YYYY-MM-DD`` (or an Excel date), 是/否 (yes/no, true/false),
a choice's label or code, the choices of a multiple choice separated by
``、`` ``,`` or ``;``. :func:`record_attributes` gives the values a row's
record read, for ``open_ticket``. Imports: the domain only.

Example:
    >>> from aftersales.model.attributes import AttributeDefinition, AttributeDefinitions
    >>> declared = AttributeDefinitions([AttributeDefinition("parts", "更换部件", "Parts",
    ...     kind="multi_choice", choices=[("fan", "风扇", "Fan"), ("board", "主板", "Board")])])
    >>> column = attribute_columns(declared)[0]
    >>> column.key, column.heading_zh, column.read("风扇、board", None)
    ('attributes.parts', '更换部件', ('board', 'fan'))
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from aftersales.errors import InvalidData
from aftersales.errors.import_cells import CellError
from aftersales.model.attribute_values import AttributeValue
from aftersales.model.attributes import AttributeDefinition, AttributeDefinitions, AttributeKind
from aftersales.model.ticket import Ticket
from aftersales.transfer.cells import cell_text
from aftersales.transfer.columns import CellContext, CellValue, Column, Columns, WriteContext
from aftersales.transfer.record import TemplateRecord

__all__ = ["ATTRIBUTE_KEY", "attribute_columns", "record_attributes", "with_attribute_columns"]

#: The prefix of an attribute column's key: ``attributes.serial_number``.
ATTRIBUTE_KEY: Final = "attributes."

_TRUE: Final = frozenset({"是", "yes", "y", "true", "1", "√"})
_FALSE: Final = frozenset({"否", "no", "n", "false", "0", "×"})
_SEPARATORS: Final = re.compile(r"\s*[、,，;；]\s*")


def _value(definition: AttributeDefinition, cell: object) -> object:
    """A cell as the value handed to the declaration's check."""
    kind = definition.kind
    if kind is AttributeKind.NUMBER and not isinstance(cell, int | float):
        try:
            return Decimal(cell_text(cell).replace(",", ""))
        except InvalidOperation:
            return cell_text(cell)
    if kind is AttributeKind.DATE and isinstance(cell, datetime):
        return cell.date() if cell.time() == datetime.min.time() else cell
    if kind is AttributeKind.DATE and isinstance(cell, date):
        return cell
    if kind is AttributeKind.BOOLEAN:
        text = cell_text(cell).casefold()
        return True if text in _TRUE else False if text in _FALSE else text
    if kind is AttributeKind.MULTI_CHOICE:
        return [part for part in _SEPARATORS.split(cell_text(cell)) if part]
    return cell_text(cell)


def _reader(definition: AttributeDefinition) -> Any:
    accepted = definition.accepted
    if definition.kind is AttributeKind.BOOLEAN:
        accepted = "是 or 否 (yes or no)"
    elif definition.kind is AttributeKind.MULTI_CHOICE:
        listed = ", ".join(f"{c.label_zh} ({c.code})" for c in definition.choices)
        accepted = f"some of {listed}, separated by 、 or ,"

    def read(cell: object, context: CellContext | None) -> AttributeValue:
        try:
            return definition.normalised(_value(definition, cell), definition.name)
        except InvalidData as error:
            reason = error.problems[0][1].split("; accepted:")[0]
            raise CellError(reason.replace(f"{definition.name}: ", ""), accepted) from None

    return read


def _writer(definition: AttributeDefinition, lang: str) -> Any:
    def write(ticket: Ticket, context: WriteContext) -> CellValue:
        value = ticket.attributes.get(definition.name)
        if value is None:
            return None
        if isinstance(value, bool) and definition.fits(value):
            return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
        return definition.shown(value, lang)

    return write


def attribute_columns(declared: AttributeDefinitions, lang: str = "zh") -> tuple[Column, ...]:
    """One column per declared attribute, in declaration order, written in ``lang``.

    A required attribute's column is required (a row must fill it, or the
    mapping file give a default under its key).

    Example:
        >>> from aftersales.model.attributes import AttributeDefinition
        >>> onsite = AttributeDefinition("onsite", "需上门", "On site", kind="boolean")
        >>> column = attribute_columns(AttributeDefinitions([onsite]), "en")[0]
        >>> column.names, column.read("是", None)
        (('attributes.onsite', '需上门', 'On site', 'onsite'), True)
    """
    return tuple(
        Column(
            f"{ATTRIBUTE_KEY}{definition.name}",
            definition.label_zh,
            definition.label_en,
            read=_reader(definition),
            write=_writer(definition, lang),
            required=definition.required,
            aliases=(definition.name,),
            template=False,
        )
        for definition in declared
    )


def with_attribute_columns(
    columns: Columns, declared: AttributeDefinitions, lang: str = "zh"
) -> Columns:
    """``columns`` with a column appended for each declared attribute it has no column for.

    A label that another column's heading already takes raises
    :class:`~aftersales.errors.InvalidData` naming both.

    Example:
        >>> from aftersales.model.attributes import AttributeDefinition
        >>> from aftersales.transfer.template import TEMPLATE
        >>> onsite = AttributeDefinition("onsite", "需上门", "On site", kind="boolean")
        >>> len(with_attribute_columns(TEMPLATE, AttributeDefinitions([onsite])))
        22
    """
    found = columns
    keys = set(columns.column_keys())
    for column in attribute_columns(declared, lang):
        if column.key not in keys:
            found = found.with_column(column)
    return found


def record_attributes(record: TemplateRecord) -> dict[str, AttributeValue]:
    """The attribute values a row's cells gave (empty cells give none).

    Example:
        >>> from types import SimpleNamespace
        >>> record_attributes(SimpleNamespace(extras={"attributes.onsite": True, "x": 1}))
        {'onsite': True}
    """
    return {
        key.removeprefix(ATTRIBUTE_KEY): value
        for key, value in record.extras.items()
        if key.startswith(ATTRIBUTE_KEY) and value is not None
    }
