"""Tags (标签): the free labels a team sorts and finds tickets by, in one normal form.

A tag is taken as a person types it and kept in one normal form, so that
``"VIP"``, ``" vip "`` and ``"ＶＩＰ"`` are one tag: Unicode NFKC (full-width
letters, digits and punctuation become their usual forms), white space
trimmed and every run of it made one space, then case-folded (Latin and the
other scripts with a case; Chinese has none and is kept as typed). The normal
form is a fixed point: normalising a normal tag gives it back.

Refused with :class:`~aftersales.errors.InvalidTag`, naming the tag: a tag
that is not a text, blank, longer than :data:`MAX_TAG_LENGTH` characters, or
holding a list separator (``,`` ``;`` ``、``, also full-width) or a control
character. A list of tags is refused whole when one of them is bad (every
bad one named), and a single string offered for a list is refused (it would
be read as one tag per character). A ticket holds at most :data:`MAX_TAGS`
tags. Imports the checks and the masking only.

Example:
    >>> normal_tag(" ＶＩＰ  客户 ")
    'vip 客户'
    >>> tag_set(["VIP", "vip", "返修"])
    ('vip', '返修')
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any, Final

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.errors.ticket_details import InvalidTag
from aftersales.model.masking import default_masking

__all__ = ["MAX_TAGS", "MAX_TAG_LENGTH", "TAG_RULE", "normal_tag", "tag_set"]

#: The longest tag, in characters (of its normal form).
MAX_TAG_LENGTH: Final = 40
#: The most tags one ticket holds.
MAX_TAGS: Final = 50
#: What a tag may be, as the errors say it.
TAG_RULE: Final = f"a tag of 1 to {MAX_TAG_LENGTH} characters without , ; 、 or control characters"
#: The separators a list of tags is typed with (after NFKC: full-width ones are these).
_SEPARATORS: Final = (",", ";", "、")


def _refused(name: str, value: object, reason: str) -> InvalidTag:
    shown_value = default_masking().text(shown(value))
    message = f"{shown_value} {reason}; accepted: {TAG_RULE}"
    return InvalidTag(f"{name}: {message}", problems=[(name, message)])


def normal_tag(value: Any, name: str = "tag") -> str:
    """The normal form of the tag ``value``; :class:`~aftersales.errors.InvalidTag` if refused.

    Example:
        >>> normal_tag("Ｒｅｐａｉｒ\\tAgain")
        'repair again'
        >>> normal_tag("   ", "tags[1]")
        Traceback (most recent call last):
        ...
        aftersales.errors.ticket_details.InvalidTag: tags[1]: '   ' is blank; accepted: a tag of 1 to 40 characters without , ; 、 or control characters
    """
    if not isinstance(value, str):
        raise _refused(name, type(value).__name__, "is not a text")
    problem = check.text_problem(value)
    if problem is not None:
        raise _refused(name, value, problem)
    tag = " ".join(unicodedata.normalize("NFKC", value).split()).casefold()
    if not tag:
        raise _refused(name, value, "is blank")
    for separator in _SEPARATORS:
        if separator in tag:
            raise _refused(name, value, f"holds {separator!r}")
    control = next((c for c in tag if unicodedata.category(c).startswith("C")), None)
    if control is not None:
        raise _refused(name, value, f"holds the control character U+{ord(control):04X}")
    if len(tag) > MAX_TAG_LENGTH:
        raise _refused(name, value, f"is {len(tag)} characters long")
    return tag


def tag_set(values: Any, name: str = "tags", *, non_empty: bool = False) -> tuple[str, ...]:
    """The normal forms of the tags ``values``, without repeats, sorted.

    Every bad tag is named at once (``tags[2]``); a text, a mapping or anything but a
    list is refused whole; ``non_empty`` refuses a list without any tag.

    Example:
        >>> tag_set(("b", "A", "a"))
        ('a', 'b')
        >>> tag_set("vip")
        Traceback (most recent call last):
        ...
        aftersales.errors.ticket_details.InvalidTag: tags: 'str' is not a list of tags; accepted: a tag of 1 to 40 characters without , ; 、 or control characters
    """
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise _refused(name, type(values).__name__, "is not a list of tags")
    found: set[str] = set()
    problems: list[tuple[str, str]] = []
    for index, value in enumerate(values):
        try:
            found.add(normal_tag(value, f"{name}[{index}]"))
        except InvalidTag as error:
            problems += error.problems
        if index >= MAX_TAGS * 4:  # far more than a ticket holds: stop reading
            raise _refused(name, f"over {index} items", "is too long a list")
    if problems:
        raise InvalidTag.from_problems(problems)
    if non_empty and not found:
        raise _refused(name, "[]", "has no tag")
    return tuple(sorted(found))
