"""The columns of the follow-up template: keys, Chinese and English headings, readers, writers.

A :class:`Column` is one field of the follow-up record as a spreadsheet holds
it: a stable ``key`` (``priority``), its headings (``优先级`` / ``Priority``)
and other names that find it, whether a row must fill it, how a cell becomes
a value (``read``) and how a ticket becomes a cell (``write``). A
:class:`Columns` registry is an ordered, immutable set of them, in which a
file's headings are looked up; :data:`~aftersales.transfer.template.TEMPLATE`
holds the template's 18 fields and the three extra columns the library
writes. A later field (ticket type, location, a custom attribute) is one more
:class:`Column` given to :meth:`Columns.with_column`. Imports: the domain only.

Example:
    >>> from aftersales.transfer.template import TEMPLATE
    >>> TEMPLATE.find(" 客户期望/诉求 ").key, TEMPLATE.find("priority").heading_zh
    ('demands', '优先级')
    >>> TEMPLATE.find("备注") is None
    True
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

import attrs

from aftersales.errors import InvalidData
from aftersales.model.customer import Contact, MaskedContact
from aftersales.model.ticket import Ticket

__all__ = ["CellContext", "CellValue", "Column", "Columns", "WriteContext", "heading_key"]

#: What a writer puts in a cell: text, a real date (naive, in the export's zone), or nothing.
CellValue = str | datetime | None


@attrs.frozen(slots=True)
class CellContext:
    """What a reader needs besides the cell: the zone of the file's local times.

    Example:
        >>> CellContext().tz
        'Asia/Shanghai'
    """

    tz: str = "Asia/Shanghai"


@attrs.frozen(slots=True)
class WriteContext:
    """What a writer needs besides the ticket: the zone of local times, and the contact to show.

    ``contact`` is the ticket's contact as the export may show it: masked
    unless a reveal was recorded.

    Example:
        >>> WriteContext(contact=None).tz
        'Asia/Shanghai'
    """

    contact: Contact | MaskedContact | None
    tz: str = "Asia/Shanghai"


#: ``read(cell, context) -> value``; raises :class:`~aftersales.errors.import_cells.CellError`.
Reader = Callable[[Any, CellContext], Any]
#: ``write(ticket, context) -> cell``.
Writer = Callable[[Ticket, WriteContext], CellValue]


def heading_key(heading: object) -> str:
    """A heading as it is compared: trimmed, case-folded, runs of spaces and ``_`` made one space.

    Example:
        >>> heading_key("  Customer_ID "), heading_key("客户期望 / 诉求")
        ('customer id', '客户期望/诉求')
    """
    text = "" if heading is None else str(heading)
    text = re.sub(r"\s*/\s*", "/", text.strip())
    return re.sub(r"[\s_]+", " ", text).casefold()


@attrs.frozen(slots=True)
class Column:
    """One column of the template: key, headings, whether required, its reader and writer.

    ``required``: an empty cell is refused (unless the mapping file gives a
    default). ``contact``: the cell holds contact details, masked wherever a
    report shows it. ``template``: one of the 18 fields of the template (the
    others are the library's own additions).

    Example:
        >>> column = Column("remark", "备注", "Remark", read=lambda cell, context: cell,
        ...                 write=lambda ticket, context: None)
        >>> column.names
        ('remark', '备注', 'Remark')
    """

    key: str
    heading_zh: str
    heading_en: str
    read: Reader = attrs.field(eq=False, repr=False)
    write: Writer = attrs.field(eq=False, repr=False)
    required: bool = False
    aliases: tuple[str, ...] = ()
    contact: bool = False
    template: bool = True

    @property
    def names(self) -> tuple[str, ...]:
        """Every name that finds the column: key, headings, aliases."""
        return (self.key, self.heading_zh, self.heading_en, *self.aliases)

    def heading(self, lang: str = "zh") -> str:
        """The heading the export writes in ``lang`` (``"zh"`` or ``"en"``)."""
        return self.heading_en if lang == "en" else self.heading_zh


@attrs.frozen(slots=True)
class Columns:
    """An ordered registry of columns, looked up by any of their names.

    Two columns may not share a key or a name (``InvalidData`` naming both).

    Example:
        >>> from aftersales.transfer.template import TEMPLATE
        >>> len(TEMPLATE), sum(column.template for column in TEMPLATE)
        (21, 18)
    """

    columns: tuple[Column, ...]
    _index: dict[str, Column] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        index: dict[str, Column] = {}
        for column in self.columns:
            for name in column.names:
                key = heading_key(name)
                other = index.get(key)
                if other is not None and other.key != column.key:
                    message = (
                        f"{name!r} of column {column.key!r} already names column {other.key!r};"
                        " accepted: a name no other column has"
                    )
                    raise InvalidData(f"columns: {message}", problems=[("columns", message)])
                index[key] = column
        keys = [column.key for column in self.columns]
        if len(set(keys)) != len(keys):
            message = f"two columns share a key in {keys}; accepted: distinct keys"
            raise InvalidData(f"columns: {message}", problems=[("columns", message)])
        object.__setattr__(self, "_index", index)

    def __iter__(self) -> Iterator[Column]:
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)

    def find(self, heading: object) -> Column | None:
        """The column a heading (or key, or alias) names, or ``None``."""
        return self._index.get(heading_key(heading))

    def get(self, key: str) -> Column:
        """The column with this key; ``KeyError`` when there is none."""
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    def with_column(self, column: Column, *, after: str | None = None) -> Columns:
        """A registry with ``column`` added (at the end, or after the column keyed ``after``).

        Example:
            >>> from aftersales.transfer.template import TEMPLATE
            >>> remark = Column("remark", "备注", "Remark", read=lambda cell, context: cell,
            ...                 write=lambda ticket, context: None)
            >>> [c.key for c in TEMPLATE.with_column(remark, after="description")][6:8]
            ['description', 'remark']
        """
        columns = list(self.columns)
        where = len(columns)
        if after is not None:
            where = [c.key for c in columns].index(after) + 1
        columns.insert(where, column)
        return Columns(tuple(columns))

    def column_keys(self) -> tuple[str, ...]:
        """The keys, in order."""
        return tuple(column.key for column in self.columns)

    def required(self) -> Iterable[Column]:
        """The columns a row must fill."""
        return (column for column in self.columns if column.required)
