"""How deep plain data may nest, checked without recursion.

``json.loads`` and the converter recurse once per level: a document nested
100,000 deep (or a Python list nested 1,000 deep) raises ``RecursionError``
from inside them. These checks walk the text or the data with a loop and an
explicit stack, and refuse anything deeper than the limit with an
:class:`~aftersales.errors.InvalidData` naming the path where it got too deep.

Example:
    >>> data_too_deep([[["x"]]], limit=2)
    '$[0][0]'
    >>> text_too_deep('{"a": [[1]]}', limit=2)
    '$.a[0]'
    >>> text_too_deep('{"n": 1, "b": [0, {"c": [[]]}]}', limit=3)
    '$.b[1].c'
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["data_too_deep", "depth_problem", "text_too_deep"]

_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_PATH_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},:]')
_SHOWN_PARTS = 8


def _render(parts: list[str]) -> str:
    if len(parts) > 2 * _SHOWN_PARTS:
        hidden = len(parts) - 2 * _SHOWN_PARTS
        parts = [*parts[:_SHOWN_PARTS], f"…({hidden} more)…", *parts[-_SHOWN_PARTS:]]
    return "$" + "".join(parts)


def text_too_deep(text: str, *, limit: int) -> str | None:
    """The path of the first container of JSON ``text`` nested deeper than ``limit``, or ``None``.

    Brackets inside strings do not count. Malformed text is left to the JSON parser.

    Example:
        >>> text_too_deep('["[[[[", {"k": []}]', limit=3) is None
        True
    """
    if text.count("[") + text.count("{") <= limit:
        return None
    depth = 0
    for token in _BRACKETS.findall(text):
        if token in ("[", "{"):
            depth += 1
            if depth > limit:
                return _text_path(text, limit)
        elif token in ("]", "}"):
            depth -= 1
    return None


def _text_path(text: str, limit: int) -> str:
    """The path to the container at depth ``limit + 1``: keys and indexes, tracked token by token."""
    stack: list[list[Any]] = []  # [kind, index or key] per open container
    last_string = ""
    for token in _PATH_TOKENS.findall(text):
        if token[0] == '"':
            last_string = token
        elif token == ":" and stack and stack[-1][0] == "{":
            try:
                stack[-1][1] = str(json.loads(last_string))
            except ValueError:
                stack[-1][1] = last_string
        elif token == "," and stack and stack[-1][0] == "[":
            stack[-1][1] += 1
        elif token in ("[", "{"):
            if len(stack) == limit:
                return _render([_part(kind, key) for kind, key in stack])
            stack.append([token, 0 if token == "[" else ""])
        elif token in ("]", "}") and stack:
            stack.pop()
    return "$"  # pragma: no cover - only called when the text is too deep


def _part(kind: str, key: Any) -> str:
    return f"[{key}]" if kind == "[" else f".{key}"


def data_too_deep(data: Any, *, limit: int) -> str | None:
    """The path of the first list, tuple or mapping nested deeper than ``limit``, or ``None``.

    A container that holds itself is too deep as well.

    Example:
        >>> loop: list[Any] = []
        >>> loop.append(loop)
        >>> data_too_deep(loop, limit=3)
        '$[0][0][0]'
    """
    stack: list[tuple[Any, int, tuple[str, ...]]] = [(data, 0, ())]
    while stack:
        value, depth, path = stack.pop()
        if isinstance(value, Mapping):
            children = [(f".{key}", item) for key, item in value.items()]
        elif isinstance(value, list | tuple):
            children = [(f"[{i}]", item) for i, item in enumerate(value)]
        else:
            continue
        if depth == limit:
            return _render(list(path))
        stack.extend(
            (item, depth + 1, (*path, part))
            for part, item in reversed(children)
            if isinstance(item, Mapping | list | tuple)
        )
    return None


def depth_problem(path: str, limit: int) -> tuple[str, str]:
    """The ``(path, message)`` problem of data nested too deep.

    Example:
        >>> depth_problem("$[0]", 64)
        ('$[0]', 'nested deeper than 64 levels; accepted: at most 64 levels of lists and objects')
    """
    return (
        path,
        f"nested deeper than {limit} levels; accepted: at most {limit} levels of lists and objects",
    )
