"""The mapping file of an import: other headings, value maps, defaults, the zone and the sheet.

A legacy spreadsheet seldom uses the template's words exactly. A mapping file
(TOML) says how to read it::

    [options]
    timezone = "Asia/Shanghai"   # the zone of the file's local times
    sheet = "跟进记录"            # the workbook's sheet (default: the first)

    [headings]                    # a heading of the file = a column (heading or key)
    "客户ID号" = "客户编号"
    "紧急程度" = "priority"

    [values."优先级"]             # per column: a cell as written = what the column reads
    "高" = "紧急"
    "中" = "重要"
    "低" = "一般"

    [defaults]                    # what an empty cell, or a missing column, holds
    "渠道" = "电话"
    "问题类型" = "产品质量"

Columns are named by their Chinese or English heading, their key or an
alias. A value map replaces a whole cell whose trimmed text (compared without
regard to case) is one of its keys; the replacement is then read as the
column reads any cell. Everything is checked when the file is loaded:
:class:`~aftersales.errors.InvalidData` names each offending entry by its
place in the file. Imports: the domain only.

Example:
    >>> mapping = ImportMapping.from_dict({
    ...     "headings": {"紧急程度": "priority"},
    ...     "values": {"优先级": {"高": "紧急"}},
    ...     "defaults": {"渠道": "电话"}})
    >>> mapping.column_of("紧急程度"), mapping.mapped("priority", "高"), mapping.defaults
    ('priority', '紧急', {'channel': '电话'})
    >>> ImportMapping.from_dict({"headings": {"紧急程度": "urgency"}})
    Traceback (most recent call last):
    ...
    aftersales.errors.InvalidData: headings.'紧急程度': 'urgency' names no column; accepted: a heading or key of the template, e.g. 优先级 or priority
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import pendulum

from aftersales.errors import InvalidData
from aftersales.transfer.columns import Columns, heading_key
from aftersales.transfer.template import TEMPLATE

__all__ = ["ImportMapping"]

_SECTIONS = ("options", "headings", "values", "defaults")
_OPTIONS = ("timezone", "sheet")


@attrs.frozen(slots=True)
class ImportMapping:
    """Heading aliases, value maps and defaults for reading a legacy file (see the module).

    ``headings`` maps a file's heading (as compared: see
    :func:`~aftersales.transfer.columns.heading_key`) to a column key;
    ``values`` maps a column key to ``{cell: replacement}``; ``defaults``
    maps a column key to the text of an empty cell.

    Example:
        >>> ImportMapping().timezone, ImportMapping().column_of("客户编号")
        (None, None)
    """

    headings: Mapping[str, str] = attrs.field(factory=dict)
    values: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)
    defaults: Mapping[str, str] = attrs.field(factory=dict)
    timezone: str | None = None
    sheet: str | None = None

    @classmethod
    def load(cls, path: str | Path, columns: Columns = TEMPLATE) -> ImportMapping:
        """Read and check the mapping file at ``path`` (TOML, UTF-8).

        Example:
            >>> import tempfile, pathlib
            >>> file = pathlib.Path(tempfile.mkdtemp()) / "mapping.toml"
            >>> _ = file.write_text('[values."优先级"]\\n"高" = "紧急"\\n', encoding="utf-8")
            >>> ImportMapping.load(file).values
            {'priority': {'高': '紧急'}}
        """
        where = Path(path)
        try:
            data = tomllib.loads(where.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            message = f"is not valid TOML ({error}); accepted: a mapping file as docs/import-export.md shows"
            raise InvalidData(f"{where}: {message}", problems=[(str(where), message)]) from None
        except UnicodeDecodeError:
            message = "is not UTF-8 text; accepted: a TOML file in UTF-8"
            raise InvalidData(f"{where}: {message}", problems=[(str(where), message)]) from None
        return cls.from_dict(data, columns)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], columns: Columns = TEMPLATE) -> ImportMapping:
        """The mapping a parsed TOML document describes, every entry checked against ``columns``."""
        problems: list[tuple[str, str]] = []
        for section in data:
            if section not in _SECTIONS:
                problems.append((section, f"is not a section; accepted: {', '.join(_SECTIONS)}"))
        options = _table(data, "options", problems)
        for name in options:
            if name not in _OPTIONS:
                problems.append((f"options.{name}", f"accepted: {', '.join(_OPTIONS)}"))
        timezone = _text(options, "timezone", "options", problems)
        if timezone is not None:
            try:
                pendulum.timezone(timezone)
            except (ValueError, OSError):
                problems.append(
                    ("options.timezone", f"{timezone!r} is not a time zone; accepted: an IANA name")
                )
        headings = {}
        for heading, target in _table(data, "headings", problems).items():
            key = _column(columns, target, f"headings.{heading!r}", problems)
            if key is not None:
                headings[heading_key(heading)] = key
        values: dict[str, dict[str, str]] = {}
        for name, table in _table(data, "values", problems).items():
            key = _column(columns, name, f"values.{name!r}", problems, what=name)
            if not isinstance(table, dict):
                problems.append(
                    (f"values.{name!r}", "is not a table; accepted: cell = replacement")
                )
                continue
            mapped = {}
            for cell, replacement in table.items():
                if not isinstance(replacement, str):
                    where = f"values.{name!r}.{cell!r}"
                    problems.append((where, "is not a text; accepted: a quoted replacement"))
                else:
                    mapped[cell.strip().casefold()] = replacement
            if key is not None:
                values[key] = mapped
        defaults = {}
        for name, value in _table(data, "defaults", problems).items():
            key = _column(columns, name, f"defaults.{name!r}", problems, what=name)
            if not isinstance(value, str):
                problems.append((f"defaults.{name!r}", "is not a text; accepted: a quoted value"))
            elif key is not None:
                defaults[key] = value
        if problems:
            raise InvalidData.from_problems(problems)
        return cls(
            headings=headings,
            values=values,
            defaults=defaults,
            timezone=timezone,
            sheet=_text(options, "sheet", "options", []),
        )

    def column_of(self, heading: object) -> str | None:
        """The column key a file's heading is mapped to, or ``None``."""
        return self.headings.get(heading_key(heading))

    def mapped(self, key: str, cell: object) -> object:
        """``cell`` replaced by the value map of column ``key``, when one of its keys matches."""
        table = self.values.get(key)
        if not table or not isinstance(cell, str | int | float):
            return cell
        return table.get(str(cell).strip().casefold(), cell)


def _table(data: Mapping[str, Any], name: str, problems: list[tuple[str, str]]) -> dict[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        problems.append((name, "is not a table; accepted: a [section] of key = value lines"))
        return {}
    return table


def _text(
    table: Mapping[str, Any], name: str, section: str, problems: list[tuple[str, str]]
) -> str | None:
    value = table.get(name)
    if value is not None and not isinstance(value, str):
        problems.append((f"{section}.{name}", "is not a text; accepted: a quoted value"))
        return None
    return value


def _column(
    columns: Columns,
    name: object,
    where: str,
    problems: list[tuple[str, str]],
    *,
    what: object = None,
) -> str | None:
    column = columns.find(name) if isinstance(name, str) else None
    if column is None:
        shown_name = name if what is None else what
        problems.append(
            (
                where,
                f"{shown_name!r} names no column; accepted: a heading or key of the template,"
                " e.g. 优先级 or priority",
            )
        )
        return None
    return column.key
