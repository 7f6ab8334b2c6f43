"""The SQL adapters' company vocabulary: the terms and aliases a company registered.

Private: :class:`VocabularyTables` is a base of
:class:`~aftersales.storage._sql.store.SQLStore`. Migration 5 adds two tables:
``vocabulary_terms (seq, kind, code, label_en, label_zh)`` and
``vocabulary_aliases (seq, kind, alias, code)``, ``seq`` keeping the order of
registration. The store's :class:`~aftersales.Vocabulary` is loaded from them
when it opens and read again when a lookup misses, so a term registered by
another process (or server) since is found without a restart.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import Any, TypeVar

from aftersales.errors import InvalidData
from aftersales.vocab import Term
from aftersales.vocabulary import TermRecord, Vocabulary

__all__ = ["VOCABULARY_VERSION", "VocabularyTables"]

T = TypeVar("T", bound=Term)

#: The schema version that brings the vocabulary tables.
VOCABULARY_VERSION = 5


class VocabularyTables:
    """A company's terms in the tables ``vocabulary_terms`` and ``vocabulary_aliases``.

    Example:
        >>> from aftersales import Channel
        >>> from aftersales.storage import SQLiteStore
        >>> store = SQLiteStore(":memory:")
        >>> store.register_term(Channel, "feishu", "Feishu", "飞书", aliases=("飞书群",))
        Channel('feishu')
        >>> store.vocabulary.records()[0].aliases
        ('飞书群',)
    """

    vocabulary: Vocabulary
    _has_tables: bool = False
    _local: Any

    # -- what SQLStore and the dialects provide -----------------------------------------

    def _reading(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _writing(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _sql(self, text: str) -> str:
        raise NotImplementedError

    def _table_names(self, cur: Any) -> set[str]:
        raise NotImplementedError

    def _lock_vocabulary(self, cur: Any) -> None:
        """Make registrations wait for each other (a write transaction is open on ``cur``)."""

    # -- reading ---------------------------------------------------------------------------

    def _open_vocabulary(self, schema_version: int) -> None:
        """Load the stored vocabulary (after the migrations brought the database to ``schema_version``).

        A database whose vocabulary tables are missing (an older schema, or
        dropped by hand: ``check_integrity()`` names them) opens with none.
        """
        with self._reading() as cur:
            self._has_tables = schema_version >= VOCABULARY_VERSION and {
                "vocabulary_terms",
                "vocabulary_aliases",
            } <= self._table_names(cur)
        self.vocabulary = Vocabulary(self._stored_terms)

    def _stored_terms(self) -> list[TermRecord]:
        if not self._has_tables:
            return []
        with self._reading() as cur:
            return self._read_terms(cur)

    def _read_terms(self, cur: Any) -> list[TermRecord]:
        cur.execute("SELECT kind, alias, code FROM vocabulary_aliases ORDER BY seq")
        aliases: dict[tuple[str, str], list[str]] = {}
        for kind, alias, code in cur.fetchall():
            aliases.setdefault((kind, code), []).append(alias)
        cur.execute("SELECT kind, code, label_en, label_zh FROM vocabulary_terms ORDER BY seq")
        return [
            TermRecord(kind, code, label_en, label_zh, tuple(aliases.get((kind, code), ())))
            for kind, code, label_en, label_zh in cur.fetchall()
        ]

    # -- registering -----------------------------------------------------------------------

    def register_term(
        self,
        kind: type[T],
        code: str,
        label_en: str,
        label_zh: str,
        *,
        aliases: Iterable[str] = (),
    ) -> T:
        """See :meth:`~aftersales.storage.VocabularyStore.register_term`.

        One transaction: the stored terms are read again (registrations wait
        for each other), the new term is checked against them and the
        defaults, and only then are its rows written.
        """
        with self._writing() as cur:
            self._lock_vocabulary(cur)
            stored = self._read_terms(cur)
            candidate = Vocabulary()
            candidate.load(stored)
            term = candidate.register(kind, code, label_en, label_zh, aliases=aliases)
            known = {(r.kind, r.code) for r in stored}
            known_aliases = {(r.kind, alias) for r in stored for alias in r.aliases}
            for record in candidate.records():
                if (record.kind, record.code) not in known:
                    cur.execute(
                        self._sql(
                            "INSERT INTO vocabulary_terms (kind, code, label_en, label_zh)"
                            " VALUES (?, ?, ?, ?)"
                        ),
                        (record.kind, record.code, record.label_en, record.label_zh),
                    )
                for alias in record.aliases:
                    if (record.kind, alias) not in known_aliases:
                        cur.execute(
                            self._sql(
                                "INSERT INTO vocabulary_aliases (kind, alias, code) VALUES (?, ?, ?)"
                            ),
                            (record.kind, alias, record.code),
                        )
        self.vocabulary.refresh()
        return term

    def _keep_terms(self, cur: Any, events: Iterable[object]) -> None:
        """Keep the process-registered terms ``events`` use, in the open transaction ``cur``.

        See :meth:`aftersales.Vocabulary.unkept`. The store's vocabulary is
        read again after the transaction ends (:meth:`_after_write`), so a
        rolled-back save leaves it as it was.
        """
        records = self.vocabulary.unkept(events)
        if not records or not self._has_tables:
            return
        self._lock_vocabulary(cur)
        stored = {(r.kind, r.code): r for r in self._read_terms(cur)}
        for record in records:
            kept = stored.get((record.kind, record.code))
            if kept is None:
                cur.execute(
                    self._sql(
                        "INSERT INTO vocabulary_terms (kind, code, label_en, label_zh)"
                        " VALUES (?, ?, ?, ?)"
                    ),
                    (record.kind, record.code, record.label_en, record.label_zh),
                )
            elif (kept.label_en, kept.label_zh) != (record.label_en, record.label_zh):
                message = (
                    f"{record.code!r} is stored as {kept.label_en!r}/{kept.label_zh!r}, not"
                    f" {record.label_en!r}/{record.label_zh!r}; accepted: the stored term"
                )
                raise InvalidData(f"{record.kind}: {message}", problems=[(record.kind, message)])
            for alias in record.aliases:
                if kept is None or alias not in kept.aliases:
                    cur.execute(
                        self._sql(
                            "INSERT INTO vocabulary_aliases (kind, alias, code) VALUES (?, ?, ?)"
                        ),
                        (record.kind, alias, record.code),
                    )
        self._local.terms_written = True

    def _after_write(self) -> None:
        """Read the vocabulary again when the last write kept terms (committed or not)."""
        if getattr(self._local, "terms_written", False):
            self._local.terms_written = False
            self.vocabulary.refresh()

    # -- checks ----------------------------------------------------------------------------

    def _vocabulary_problems(self) -> list[str]:
        """The stored rows that do not make a vocabulary, each named by table and row."""
        with self._reading() as cur:
            records = self._read_terms(cur)
            cur.execute(
                "SELECT a.kind, a.alias, a.code FROM vocabulary_aliases AS a"
                " LEFT JOIN vocabulary_terms AS t ON t.kind = a.kind AND t.code = a.code"
                " WHERE t.code IS NULL ORDER BY a.seq"
            )
            orphans = cur.fetchall()
        problems = [
            f"vocabulary_terms row (kind={record.kind!r}, code={record.code!r}): {message}"
            for record, message in Vocabulary().load(records)
        ]
        problems += [
            f"vocabulary_aliases row (kind={kind!r}, alias={alias!r}): names {code!r},"
            " which vocabulary_terms does not hold"
            for kind, alias, code in orphans
        ]
        return problems
