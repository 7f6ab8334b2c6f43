"""The text of a schedule file: from a path, from the text itself, or from fetched bytes.

:func:`~aftersales.calendar.load_schedule` and
:func:`~aftersales.calendar.schedules_from_ics` accept a file's path, the
file's text, or (for iCalendar) the bytes fetched from a URL. One rule tells
them apart: a ``str`` holding a line break, or starting with ``{``, is a text;
any other ``str`` or a ``pathlib.Path`` is a path. Files and bytes are UTF-8
(a byte-order mark is dropped).

Imports only the errors and the domain helpers.

Example:
    >>> schedule_text("BEGIN:VCALENDAR\\nEND:VCALENDAR\\n", accepted="a text").where
    'the text'
    >>> schedule_text(b"\\xef\\xbb\\xbfBEGIN:VCALENDAR", accepted="bytes", allow_bytes=True).text
    'BEGIN:VCALENDAR'
    >>> schedule_text(b"\\xff", accepted="bytes", allow_bytes=True)
    Traceback (most recent call last):
    ...
    aftersales.errors.ScheduleError: the content: byte 0 is not UTF-8; accepted: UTF-8 text
"""

from __future__ import annotations

import os
from pathlib import Path

import attrs

from aftersales._shown import shown
from aftersales.errors import ScheduleError

__all__ = ["SourceText", "schedule_text"]


@attrs.frozen(slots=True)
class SourceText:
    """A schedule's text, where it comes from (for messages) and its file's path, if any.

    Example:
        >>> SourceText("cn.ics", "BEGIN:VCALENDAR", Path("cn.ics")).path.suffix
        '.ics'
    """

    where: str
    text: str
    path: Path | None = None


def schedule_text(source: object, *, accepted: str, allow_bytes: bool = False) -> SourceText:
    """The text ``source`` names: a file's (read now), the text itself, or fetched bytes decoded.

    Args:
        source: a ``pathlib.Path`` or a file name, a text, or (``allow_bytes``) bytes.
        accepted: what the caller accepts, for the message refusing anything else.
        allow_bytes: whether ``bytes`` (the content fetched from a URL) are accepted.

    Raises:
        ScheduleError: a ``source`` of another type, a name holding NUL, or
            a file or bytes that are not UTF-8.
        OSError: a file that cannot be read.

    Example:
        >>> schedule_text(2031, accepted="a path or a text")
        Traceback (most recent call last):
        ...
        aftersales.errors.ScheduleError: source: 2031 is neither a path nor a schedule's text; accepted: a path or a text
    """
    if allow_bytes and isinstance(source, bytes | bytearray):
        return SourceText("the content", _decoded(bytes(source), "the content"))
    if not isinstance(source, str | os.PathLike) or "\x00" in str(os.fspath(source)):
        message = f"{shown(source)} is neither a path nor a schedule's text; accepted: {accepted}"
        raise ScheduleError(f"source: {message}", problems=[("source", message)])
    if isinstance(source, str) and ("\n" in source or source.lstrip().startswith("{")):
        return SourceText("the text", source)
    path = Path(source)
    return SourceText(str(path), _decoded(path.read_bytes(), str(path)), path)


def _decoded(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = f"byte {error.start} is not UTF-8; accepted: UTF-8 text"
        raise ScheduleError(f"{where}: {message}", problems=[("", message)]) from None
