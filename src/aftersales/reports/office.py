"""What the PowerPoint and Excel writers share: the file to write, the optional library, the fills.

Example:
    >>> checked_output("/no/such/folder/x.xlsx", ".xlsx")
    Traceback (most recent call last):
    ...
    aftersales.errors.InvalidData: /no/such/folder/x.xlsx: the folder /no/such/folder does not exist; accepted: a .xlsx file in an existing folder
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from aftersales.errors import InvalidData
from aftersales.reports.blocks import Chart, Paragraph, Section, Table

__all__ = ["MARK_FILLS", "checked_output", "optional_module", "xml_safe", "xml_text"]

#: The fill of a cell marked ``met`` or ``missed`` (RGB), in a deck and a workbook.
MARK_FILLS: Final = {"met": (0xDC, 0xFC, 0xE7), "missed": (0xFE, 0xE2, 0xE2)}


def checked_output(path: str | os.PathLike[str], suffix: str, *, flag: str = "") -> Path:
    """``path`` as a file to write: refused when it is a folder or its folder is missing.

    ``flag`` (e.g. ``"--pptx"``) is named before the path in the error.

    Example:
        >>> import tempfile
        >>> checked_output(tempfile.gettempdir(), ".pptx")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: ... is a folder; accepted: a .pptx file in an existing folder
    """
    where = Path(path)
    named = f"{flag} {where}" if flag else str(where)
    accepted = f"accepted: a {suffix} file in an existing folder"
    if where.is_dir():
        raise InvalidData(f"{named} is a folder; {accepted}")
    if not where.parent.is_dir():
        raise InvalidData(f"{named}: the folder {where.parent} does not exist; {accepted}")
    return where


def optional_module(name: str, package: str, what: str) -> Any:
    """The module ``name``, imported now; ``InvalidData`` naming the ``report`` extra when missing.

    Example:
        >>> optional_module("no_such_module_here", "no-such", "Decks")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: Decks need the optional package no-such (...); accepted: pip install 'aftersales[report]', or --md / --html
    """
    try:
        return importlib.import_module(name)
    except ImportError as error:
        message = (
            f"{what} need the optional package {package} ({error});"
            " accepted: pip install 'aftersales[report]', or --md / --html"
        )
        raise InvalidData(message, problems=[(package, message)]) from None


#: What an XML document cannot hold: control characters (tab and line breaks excepted),
#: lone surrogates and the two non-characters U+FFFE, U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters an office file (XML) cannot hold.

    Example:
        >>> xml_text("a\\x02b\\tc")
        'ab\\tc'
    """
    return _NOT_XML.sub("", text)


def _block(block: Table | Paragraph | Chart) -> Table | Paragraph | Chart:
    if isinstance(block, Paragraph):
        return attrs.evolve(block, text=xml_text(block.text))
    if isinstance(block, Table):
        rows = [[xml_text(cell) for cell in row] for row in block.rows]
        return Table([xml_text(h) for h in block.headers], rows, block.marks)
    return Chart(
        block.kind,
        xml_text(block.title),
        [xml_text(label) for label in block.x_labels],
        [(xml_text(name), values) for name, values in block.series],
        [xml_text(label) for label in block.labels],
    )


def xml_safe(sections: Sequence[Section]) -> list[Section]:
    """``sections`` with every text passed through :func:`xml_text`.

    Example:
        >>> xml_safe([Section("a\\x00", [Paragraph("b\\x1b")], key="kpi")])
        [Section(title='a', blocks=[Paragraph(text='b', kind='text')], key='kpi')]
    """
    return [Section(xml_text(s.title), [_block(b) for b in s.blocks], key=s.key) for s in sections]
