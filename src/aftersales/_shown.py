"""How an offending value is shown in an error message: short, and never failing.

``repr`` is not safe on hostile input: a list nested 1,000 deep raises
``RecursionError``, an integer of 5,000 digits raises ``ValueError``, a
100,000-character string makes a 100,000-character message. :func:`shown`
keeps the start and the end of long texts, three levels of containers and a
few items of each, at most 240 characters in all, and falls back to the
type's name when ``repr`` fails.

Example:
    >>> shown("x" * 100_000)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxx...xxxxxxxxxxxxxxxxxxxxxxxxxxx' (100000 characters)"
"""

from __future__ import annotations

import reprlib

__all__ = ["shown"]

_LONG = 60
_MOST = 240


class _Short(reprlib.Repr):
    """``reprlib.Repr`` with every limit small; the level limit also keeps it recursion-free."""

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel = 3
        self.maxstring = _LONG
        self.maxother = 80
        self.maxlong = 40
        for name in ("maxtuple", "maxlist", "maxarray", "maxdict", "maxset", "maxfrozenset"):
            setattr(self, name, 4)

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 128:  # repr itself may refuse: "Exceeds the limit (4300 digits)"
            return f"<an integer of {x.bit_length()} bits>"
        return super().repr_int(x, level)


_SHORT = _Short()


def shown(value: object) -> str:
    """A short, safe ``repr`` of ``value`` for an error message.

    Example:
        >>> shown([[[[["deep"]]]]])
        '[[[[...]]]]'
        >>> shown(10**5000)
        '<an integer of 16610 bits>'
        >>> shown("a\\ud800b")
        "'a\\\\ud800b'"
    """
    try:
        text = _SHORT.repr(value)
    except Exception:  # a broken __repr__, or one that recurses without end
        return f"<a {type(value).__name__}>"
    if len(text) > _MOST:  # a few items, each short, can still add up
        text = f"{text[: _MOST - 60]}…{text[-59:]}"
    if isinstance(value, str) and len(value) > _LONG:
        text += f" ({len(value)} characters)"
    return text
