"""A company's own vocabulary: the channels, categories, demands and root causes it adds.

The open vocabularies (:class:`~aftersales.Channel`,
:class:`~aftersales.ProblemCategory`, :class:`~aftersales.Demand`,
:class:`~aftersales.RootCauseCategory`) ship with process-wide defaults. A
:class:`Vocabulary` holds what one company adds on top of them — terms and
aliases (other names that find a term, such as ``"微信"`` for the WeChat
official account) — and belongs to that company's store: two stores in one
process do not see each other's values. While ``vocabulary.active()`` is
entered (in the current thread or task, through a
:class:`contextvars.ContextVar`), ``Channel.get``, ``Channel.members``,
``Channel.is_registered`` and the checks of every event consult it first, so
events still validate as they are built, without a registry passed around.
The stores and :class:`~aftersales.ServiceDesk` enter it for you.

Example:
    >>> from aftersales import Channel, UnknownValue
    >>> company = Vocabulary()
    >>> feishu = company.register(Channel, "feishu", "Feishu", "飞书", aliases=("飞书群",))
    >>> with company.active():
    ...     Channel.get("飞书群") is feishu
    True
    >>> Channel.get("feishu")
    Traceback (most recent call last):
    ...
    aftersales.errors.UnknownValue: channel: 'feishu' is not a known value; accepted: ...
"""

from __future__ import annotations

import functools
import threading
import typing
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from contextvars import Token
from typing import Any, TypeVar, cast

import attrs

from aftersales._terms import TermLayer, plan
from aftersales.errors import InvalidData
from aftersales.vocab import _ACTIVE, _KINDS, SHIPPED_CODES, Term

__all__ = ["TermRecord", "Vocabulary", "in_store_vocabulary", "terms_in", "vocabulary_of"]

T = TypeVar("T", bound=Term)
F = TypeVar("F", bound=Callable[..., Any])


@attrs.frozen(slots=True)
class TermRecord:
    """One company registration as a store keeps it: the vocabulary, the term, its aliases.

    ``kind`` is the vocabulary's name: ``"channel"``, ``"problem_category"``,
    ``"demand"`` or ``"root_cause_category"`` (or a ``Term`` subclass's own).

    Example:
        >>> TermRecord("channel", "feishu", "Feishu", "飞书", ("飞书群",)).aliases
        ('飞书群',)
    """

    kind: str
    code: str
    label_en: str
    label_zh: str
    aliases: tuple[str, ...] = ()


def _kind_name(kind: type[Term]) -> str:
    if not (isinstance(kind, type) and issubclass(kind, Term)) or kind is Term:
        accepted = ", ".join(sorted(_KINDS))
        message = f"{kind!r} is not an open vocabulary; accepted: {accepted}"
        raise InvalidData(f"kind: {message}", problems=[("kind", message)])
    return kind._kind


class Vocabulary:
    """A company's own terms of the open vocabularies, over the process-wide defaults.

    Lookups find a company term first (by code, label or alias), then a
    default. ``source``, when given, returns the records a store keeps; they
    are loaded at once, and read again whenever a lookup misses, so a term
    another process registered since is found without a restart. Thread-safe.

    Example:
        >>> from aftersales import Channel, ProblemCategory
        >>> company = Vocabulary()
        >>> company.register(Channel, "wechat", "WeChat official account", "公众号消息",
        ...                  aliases=("微信",))
        Channel('wechat')
        >>> company.get(Channel, "微信") == Channel.WECHAT
        True
        >>> company.get(ProblemCategory, "屏幕碎裂")
        Traceback (most recent call last):
        ...
        aftersales.errors.UnknownValue: problem_category: '屏幕碎裂' is not a known value; accepted: ...
    """

    def __init__(self, source: Callable[[], Iterable[TermRecord]] | None = None) -> None:
        self._source = source
        self._lock = threading.RLock()
        self._layers: dict[type[Term], TermLayer] = {}
        self._records: tuple[TermRecord, ...] = ()
        if source is not None:
            self.load(source())

    def __repr__(self) -> str:
        return f"Vocabulary(<{len(self._records)} company terms>)"

    # -- lookups -------------------------------------------------------------------------

    def lookup(self, kind: type[T], value: object) -> T | None:
        """The term of ``kind`` that ``value`` is or names; ``None`` when there is none.

        Example:
            >>> from aftersales import Channel
            >>> Vocabulary().lookup(Channel, "电话")
            Channel('phone')
        """
        own = self._layers.get(kind)
        if own is not None:
            found = own.find(value)
            if found is not None:
                return found  # type: ignore[no-any-return]
            code = getattr(value, "code", None)
            if isinstance(code, str) and code in own.terms:
                return None  # the company's term of that code is another one
        return kind._defaults.find(value)

    def get(self, kind: type[T], value: object) -> T:
        """The term of ``kind`` that ``value`` is or names; ``UnknownValue`` otherwise.

        A miss reads the store's records again first (see the class).

        Example:
            >>> from aftersales import Demand
            >>> Vocabulary().get(Demand, "退款")
            Demand('refund')
        """
        found = self.lookup(kind, value)
        if found is None and self._source is not None and self.refresh():
            found = self.lookup(kind, value)
        if found is None:
            raise kind._unknown(value, (term.code for term in self.members(kind)))
        return found

    def members(self, kind: type[T]) -> tuple[T, ...]:
        """Every term of ``kind``: the defaults, then the company's own, in registration order.

        Example:
            >>> from aftersales import Channel
            >>> Vocabulary().members(Channel) == Channel.members()
            True
        """
        own = self._layers.get(kind)
        defaults = kind._defaults.terms
        if own is None:
            return tuple(defaults.values())
        merged = {code: own.terms.get(code, term) for code, term in defaults.items()}
        merged.update(own.terms)
        return tuple(merged.values())

    def is_registered(self, value: object) -> bool:
        """True when ``value`` is a term of this vocabulary (a company term or a default).

        Example:
            >>> from aftersales import Channel
            >>> Vocabulary().is_registered(Channel.PHONE), Vocabulary().is_registered("phone")
            (True, False)
        """
        return isinstance(value, Term) and self.lookup(type(value), value) is not None

    def active(self) -> AbstractContextManager[Vocabulary]:
        """Make this the vocabulary every term lookup consults inside the ``with`` block.

        Scoped to the current thread or task; blocks nest, the innermost wins.

        Example:
            >>> from aftersales import Channel
            >>> company = Vocabulary()
            >>> _ = company.register(Channel, "feishu", "Feishu", "飞书")
            >>> with company.active():
            ...     [c.code for c in Channel.members()][-1]
            'feishu'
        """
        return _Activation(self)

    # -- registering ---------------------------------------------------------------------

    def register(
        self,
        kind: type[T],
        code: str,
        label_en: str,
        label_zh: str,
        *,
        aliases: Iterable[str] = (),
    ) -> T:
        """Add a term of ``kind`` (and ``aliases`` that find it) to this vocabulary only.

        Idempotent for the same labels (new aliases are added); ``InvalidData``
        naming both terms for a code registered with other labels, or for an
        alias, code or label that already names another term; nothing is
        changed then. A store's ``register_term`` also keeps the term.

        Example:
            >>> from aftersales import Channel, InvalidData
            >>> company = Vocabulary()
            >>> company.register(Channel, "feishu", "Feishu", "飞书")
            Channel('feishu')
            >>> company.register(Channel, "feishu", "Lark", "飞书")
            Traceback (most recent call last):
            ...
            aftersales.errors.InvalidData: channel: 'feishu' is already registered as 'Feishu'/'飞书', not 'Lark'/'飞书'; accepted: the same labels, or a new code
        """
        name = _kind_name(kind)
        with self._lock:
            own = self._layers.get(kind, TermLayer())
            term = kind(code, label_en, label_zh)
            existing, fresh = plan(name, [own, kind._defaults], term, aliases)
            if existing is not None:
                term = existing
            if term.code in own.terms and not fresh:
                return term
            layer = own.copy()
            layer.add(term, fresh)
            self._layers = {**self._layers, kind: layer}
            self._records = self._records_of(self._layers)
        return term

    def unkept(self, events: Iterable[object]) -> list[TermRecord]:
        """The process-registered terms ``events`` use that this vocabulary does not hold yet.

        A term registered with the class-level ``register`` (``Channel.register``)
        rather than in a store is a company's own value too; a store keeps it,
        with its aliases, when it saves a ticket that uses it, so that every
        other process reading the store knows it. Shipped defaults need no
        keeping. Raises ``InvalidData`` naming both terms when the company
        already has another term under the same code.

        Example:
            >>> from aftersales import Channel
            >>> from aftersales.model.events import ContactRecorded
            >>> import pendulum
            >>> lark = Channel.register("lark_im", "Lark IM", "飞书消息", aliases=("飞书IM",))
            >>> event = ContactRecorded(ticket_id="T1", seq=2, by="李工", channel=lark,
            ...     summary="已回复", at=pendulum.datetime(2026, 10, 9, tz="UTC"))
            >>> Vocabulary().unkept([event])
            [TermRecord(kind='channel', code='lark_im', label_en='Lark IM', label_zh='飞书消息', aliases=('飞书IM',))]
            >>> Vocabulary().unkept([attrs.evolve(event, channel=Channel.PHONE)])
            []
        """
        found: dict[tuple[type[Term], str], Term] = {}
        for event in events:
            for term in terms_in(event):
                kind = type(term)
                if (
                    term.code in SHIPPED_CODES.get(kind, ())
                    and kind._defaults.terms.get(term.code) == term
                ):
                    continue
                own = self._layers.get(kind)
                if own is not None and own.terms.get(term.code) == term:
                    continue
                found[kind, term.code] = term
        if not found:
            return []
        candidate = Vocabulary()
        candidate.load(self._records)
        records = []
        for (kind, _), term in found.items():
            aliases = [a for a, code in kind._defaults.aliases.items() if code == term.code]
            candidate.register(kind, term.code, term.label_en, term.label_zh, aliases=aliases)
            records.append(
                TermRecord(kind._kind, term.code, term.label_en, term.label_zh, tuple(aliases))
            )
        return records

    # -- what a store keeps ----------------------------------------------------------------

    def records(self) -> tuple[TermRecord, ...]:
        """The company's own registrations, in registration order within each vocabulary.

        Example:
            >>> from aftersales import Channel
            >>> company = Vocabulary()
            >>> _ = company.register(Channel, "feishu", "Feishu", "飞书", aliases=["飞书群"])
            >>> company.records()
            (TermRecord(kind='channel', code='feishu', label_en='Feishu', label_zh='飞书', aliases=('飞书群',)),)
        """
        return self._records

    def load(self, records: Iterable[TermRecord]) -> list[tuple[TermRecord, str]]:
        """Replace the company's own terms with ``records``; the records refused, and why.

        A record is refused when its vocabulary is unknown in this process or
        it conflicts with an earlier record; a stored record may redefine a
        default registered in this process (the store's wins).

        Example:
            >>> company = Vocabulary()
            >>> refused = company.load([TermRecord("channel", "feishu", "Feishu", "飞书"),
            ...                         TermRecord("channel", "feishu", "Lark", "飞书"),
            ...                         TermRecord("fax_kind", "fax", "Fax", "传真")])
            >>> for _, message in refused:
            ...     print(message)
            channel: 'feishu' is already registered as 'Feishu'/'飞书', not 'Lark'/'飞书'; accepted: the same labels, or a new code
            kind: 'fax_kind' is not an open vocabulary; accepted: channel, demand, problem_category, root_cause_category...
        """
        layers: dict[type[Term], TermLayer] = {}
        refused: list[tuple[TermRecord, str]] = []
        for record in records:
            kind = _KINDS.get(record.kind)
            if kind is None:
                message = (
                    f"{record.kind!r} is not an open vocabulary;"
                    f" accepted: {', '.join(sorted(_KINDS))}"
                )
                refused.append((record, f"kind: {message}"))
                continue
            layer = layers.setdefault(kind, TermLayer())
            term = kind(record.code, record.label_en, record.label_zh)
            try:
                existing, fresh = plan(record.kind, [layer], term, record.aliases)
            except InvalidData as error:
                refused.append((record, str(error)))
                continue
            layer.add(term if existing is None else existing, fresh)
        with self._lock:
            self._layers = layers
            self._records = self._records_of(layers)
        return refused

    def refresh(self) -> bool:
        """Read the store's records again; True when they changed (False without a store).

        Example:
            >>> Vocabulary().refresh()
            False
        """
        if self._source is None:
            return False
        records = list(self._source())  # read without the lock: the source may wait for its store
        with self._lock:
            before = self._records
            self.load(records)
            return self._records != before

    @staticmethod
    def _records_of(layers: dict[type[Term], TermLayer]) -> tuple[TermRecord, ...]:
        records = []
        for kind, layer in layers.items():
            aliases: dict[str, list[str]] = {}
            for alias, code in layer.aliases.items():
                aliases.setdefault(code, []).append(alias)
            records += [
                TermRecord(
                    kind._kind, t.code, t.label_en, t.label_zh, tuple(aliases.get(t.code, ()))
                )
                for t in layer.terms.values()
            ]
        return tuple(records)


def vocabulary_of(source: object) -> Vocabulary | None:
    """The vocabulary a value built from ``source`` should render its labels with.

    A store's own (``source.vocabulary``), else the one active now, else ``None``
    (the process defaults).

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> store = MemoryStore()
        >>> vocabulary_of(store) is store.vocabulary, vocabulary_of([])
        (True, None)
    """
    own = getattr(source, "vocabulary", None)
    if isinstance(own, Vocabulary):
        return own
    active = _ACTIVE.get()
    return active if isinstance(active, Vocabulary) else None


_TERM_FIELDS: dict[type, tuple[str, ...]] = {}


def terms_in(record: object) -> list[Term]:
    """The open-vocabulary terms an attrs record holds in its fields (tuples of terms included).

    Records nested in a field (``VisitRecorded.dimensions``: scores, each with
    its dimension) are searched too.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> terms_in(sample_ticket().history[0])
        [Channel('phone'), ProblemCategory('product_quality'), Demand('repair')]
        >>> import attrs
        >>> visit = attrs.evolve(sample_ticket().history[-1], dimensions={"服务态度": 5})
        >>> terms_in(visit)
        [Channel('return_visit_call'), SatisfactionDimension('service_attitude')]
    """
    cls = type(record)
    names = _TERM_FIELDS.get(cls)
    if names is None:
        names = _TERM_FIELDS[cls] = _term_fields(cls) if attrs.has(cls) else ()
    found: list[Term] = []
    for name in names:
        value = getattr(record, name)
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, Term):
                found.append(item)
            elif attrs.has(type(item)):
                found += terms_in(item)
    return found


def _term_fields(cls: type) -> tuple[str, ...]:
    """The fields of the attrs class ``cls`` whose declared type may hold a term."""
    try:
        hints = typing.get_type_hints(cls)
    except (NameError, TypeError):  # a name only imported for type checking: read the text
        return tuple(f.name for f in attrs.fields(cls) if _names_a_kind(f.type))
    return tuple(f.name for f in attrs.fields(cls) if _holds_terms(hints.get(f.name), 0))


def _holds_terms(declared: object, depth: int) -> bool:
    """True for a ``Term`` kind, or a union, tuple or attrs record that may hold one."""
    if isinstance(declared, type):
        if issubclass(declared, Term):
            return True
        if not attrs.has(declared) or depth > 3:
            return False
        try:
            hints = typing.get_type_hints(declared)
        except (NameError, TypeError):
            return any(_names_a_kind(f.type) for f in attrs.fields(declared))
        return any(_holds_terms(hints.get(f.name), depth + 1) for f in attrs.fields(declared))
    return any(_holds_terms(arg, depth + 1) for arg in typing.get_args(declared))


def _names_a_kind(annotation: object) -> bool:
    """True for an annotation whose text names a ``Term`` kind (alone, optional or in a tuple)."""
    text = annotation if isinstance(annotation, str) else repr(annotation)
    return any(name in text for name in (*(k.__name__ for k in _KINDS.values()), "Term"))


class _Activation(AbstractContextManager[Vocabulary]):
    """The ``with`` block of :meth:`Vocabulary.active` (cheap: it runs for every row a store reads)."""

    __slots__ = ("_token", "_vocabulary")

    def __init__(self, vocabulary: Vocabulary) -> None:
        self._vocabulary = vocabulary
        self._token: Token[Any] | None = None

    def __enter__(self) -> Vocabulary:
        self._token = _ACTIVE.set(self._vocabulary)
        return self._vocabulary

    def __exit__(self, *exc: object) -> None:
        if self._token is not None:
            _ACTIVE.reset(self._token)
            self._token = None


def in_store_vocabulary(method: F) -> F:
    """Run ``method`` under the vocabulary of ``self.store``, when that store keeps one.

    How :class:`~aftersales.ServiceDesk` runs its commands: the events they
    build accept the company terms of the desk's store, and only those.

    Example:
        >>> from aftersales import Channel
        >>> from aftersales.storage import MemoryStore
        >>> class Intake:
        ...     def __init__(self, store):
        ...         self.store = store
        ...     @in_store_vocabulary
        ...     def channel(self, name):
        ...         return Channel.get(name)
        >>> store = MemoryStore()
        >>> _ = store.register_term(Channel, "feishu", "Feishu", "飞书")
        >>> Intake(store).channel("飞书")
        Channel('feishu')
    """

    @functools.wraps(method)
    def run(self: object, *args: Any, **kwargs: Any) -> Any:
        vocabulary = getattr(getattr(self, "store", None), "vocabulary", None)
        if not isinstance(vocabulary, Vocabulary):
            return method(self, *args, **kwargs)
        with vocabulary.active():
            return method(self, *args, **kwargs)

    return cast(F, run)
