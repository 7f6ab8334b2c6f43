"""The registry behind an open vocabulary: terms by code, and the names that find them.

Private. :class:`aftersales.vocab.Term` keeps one :class:`TermLayer` per open
vocabulary for the process-wide defaults; an :class:`aftersales.Vocabulary`
keeps one more per vocabulary for a company's own terms, looked up first.
:func:`plan` checks a registration against the layers it would join without
changing them, so a refused registration leaves every layer as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from aftersales.errors import InvalidData

__all__ = ["CODE", "TermLayer", "plan"]

#: A term's code: lower-case snake_case, 1–64 characters.
CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_ALIAS_MAX = 100


class TermLayer:
    """Terms by code, and the labels and aliases that name them (first registration wins).

    Example:
        >>> from aftersales.vocab import Channel
        >>> layer = TermLayer()
        >>> layer.add(Channel("feishu", "Feishu", "飞书"), ["飞书群"])
        >>> layer.find("飞书群"), layer.find("Feishu"), layer.find("lark")
        (Channel('feishu'), Channel('feishu'), None)
    """

    __slots__ = ("aliases", "names", "terms")

    def __init__(self) -> None:
        self.terms: dict[str, Any] = {}
        self.names: dict[str, str] = {}
        self.aliases: dict[str, str] = {}

    def copy(self) -> TermLayer:
        """A copy that can be changed without changing this layer."""
        layer = TermLayer()
        layer.terms, layer.names, layer.aliases = (
            dict(self.terms),
            dict(self.names),
            dict(self.aliases),
        )
        return layer

    def add(self, term: Any, aliases: Iterable[str] = ()) -> None:
        """Add ``term`` and its ``aliases`` (already checked with :func:`plan`)."""
        self.terms[term.code] = term
        self.names.setdefault(term.label_en, term.code)
        self.names.setdefault(term.label_zh, term.code)
        for alias in aliases:
            self.aliases[alias] = term.code
            self.names[alias] = term.code

    def find(self, value: object) -> Any | None:
        """The term ``value`` is (an equal term) or names (code, label, alias); ``None`` otherwise."""
        if isinstance(value, str):
            code = value if value in self.terms else self.names.get(value)
            return None if code is None else self.terms[code]
        code = getattr(value, "code", None)
        if not isinstance(code, str):
            return None
        found = self.terms.get(code)
        return value if found is value or (found is not None and found == value) else None

    def holder(self, name: str) -> str | None:
        """The code of the term ``name`` is the code, a label or an alias of, if any."""
        if name in self.terms:
            return name
        if name in self.aliases:
            return self.aliases[name]
        return next((t.code for t in self.terms.values() if name in (t.label_en, t.label_zh)), None)


def _shape_problems(kind: str, term: Any, aliases: Sequence[object]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if not isinstance(term.code, str) or not CODE.match(term.code):
        problems.append(
            ("code", f"{term.code!r} is not a valid code; accepted: lower-case snake_case, 1–64")
        )
    for name in ("label_en", "label_zh"):
        text = getattr(term, name)
        if not isinstance(text, str) or not text.strip():
            problems.append((name, f"{text!r} is empty; accepted: a non-empty label"))
    for index, alias in enumerate(aliases):
        if not isinstance(alias, str) or not alias.strip() or len(alias) > _ALIAS_MAX:
            problems.append(
                (
                    f"aliases[{index}]",
                    f"{alias!r} is not an alias; accepted: a non-blank text of at most"
                    f" {_ALIAS_MAX} characters",
                )
            )
    return problems


def _holder(layers: Sequence[TermLayer], name: str) -> str | None:
    return next((h for layer in layers if (h := layer.holder(name)) is not None), None)


def plan(
    kind: str, layers: Sequence[TermLayer], term: Any, aliases: Iterable[object] = ()
) -> tuple[Any | None, tuple[str, ...]]:
    """Check registering ``term`` with ``aliases`` in the first of ``layers``.

    Returns the equal term already registered in a layer (``None`` when the
    term is new) and the aliases that are not yet known. Raises
    ``InvalidData`` listing every problem: a malformed code, label or alias;
    the code registered with other labels; a code, label or alias that
    already names another term (as its code, a label or an alias).

    Example:
        >>> from aftersales.vocab import Channel
        >>> layer = TermLayer()
        >>> layer.add(Channel("feishu", "Feishu", "飞书"))
        >>> plan("channel", [layer], Channel("feishu", "Feishu", "飞书"), ["飞书群"])
        (Channel('feishu'), ('飞书群',))
        >>> plan("channel", [layer], Channel("lark", "Lark", "飞书国际版"), ["飞书"])
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: channel.aliases[0]: '飞书' already names 'feishu'; accepted: a name no other channel uses
    """
    wanted = tuple(aliases) if not isinstance(aliases, str) else (aliases,)
    problems = _shape_problems(kind, term, wanted)
    if problems:
        raise InvalidData.from_problems(problems)
    existing = next((layer.terms[term.code] for layer in layers if term.code in layer.terms), None)
    if existing is not None and existing != term:
        problems.append(
            (
                kind,
                f"{term.code!r} is already registered as {existing.label_en!r}/"
                f"{existing.label_zh!r}, not {term.label_en!r}/{term.label_zh!r};"
                " accepted: the same labels, or a new code",
            )
        )
    if existing is None:
        for field, name in (
            ("code", term.code),
            ("label_en", term.label_en),
            ("label_zh", term.label_zh),
        ):
            holder = _holder(layers, name)
            if holder is not None and holder != term.code:
                problems.append(
                    (
                        f"{kind}.{field}",
                        f"{name!r} already names {holder!r}; accepted: a name no other {kind} uses",
                    )
                )
    fresh: list[str] = []
    for index, alias in enumerate(wanted):
        assert isinstance(alias, str)  # checked by _shape_problems
        holder = _holder(layers, alias)
        if holder is None:
            if alias not in fresh and alias not in (term.label_en, term.label_zh, term.code):
                fresh.append(alias)
        elif holder != term.code:
            problems.append(
                (
                    f"{kind}.aliases[{index}]",
                    f"{alias!r} already names {holder!r}; accepted: a name no other {kind} uses",
                )
            )
    if problems:
        raise InvalidData.from_problems(problems)
    return existing, tuple(fresh)
