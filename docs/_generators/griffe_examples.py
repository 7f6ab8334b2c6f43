"""A griffe extension for the API reference: ``Example:`` sections are doctest examples.

The library's docstrings use Google style with a singular ``Example:``
heading; griffe only knows the plural, so this renames it before parsing and
the ``>>>`` sessions render as code.
"""

from __future__ import annotations

import re
from typing import Any

from griffe import Extension, Object

_HEADING = re.compile(r"^(\s*)Example:\s*$", flags=re.M)


class ExampleSections(Extension):
    def on_instance(self, *, obj: Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = _HEADING.sub(r"\1Examples:", obj.docstring.value)
