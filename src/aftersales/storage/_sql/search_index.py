"""What the SQL search indexes share: one table of pre-tokenized text, queried the same way.

Private. Neither SQLite's FTS5 nor PostgreSQL's parsers segment Chinese, so
both indexes store the tokens of :func:`~aftersales.knowledge.text.tokenize`
(CJK bigrams and English words), each spelled in ASCII
(:func:`ascii_token`), and search for any of a query's tokens.
:class:`SQLSearchIndex` is everything but the dialect: counting, lookup,
removal, the filters, the order and the limit of a search. A dialect
(:class:`~aftersales.storage.sqlite.SQLiteSearchIndex`,
:class:`~aftersales.storage.postgres.PostgresSearchIndex`) gives the
connection, how a document is replaced and how a query matches and ranks.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import Any, ClassVar

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.errors import InvalidData
from aftersales.knowledge.index import IndexDocument, SearchHit, document_tokens, search_filters
from aftersales.knowledge.text import tokenize

__all__ = ["SQLSearchIndex", "ascii_token", "query_terms", "table_name"]

_TABLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def ascii_token(token: str) -> str:
    """A token spelled in ASCII letters and digits only, distinct for distinct tokens.

    English words get a ``w`` prefix; anything else becomes ``c`` and the
    code points in hex (5 digits each).

    Example:
        >>> ascii_token("x200"), ascii_token("卡纸")
        ('wx200', 'c0536107eb8')
    """
    if token.isascii():
        return f"w{token}"
    return "c" + "".join(f"{ord(char):05x}" for char in token)


def query_terms(text: str, limit: int) -> tuple[list[str], int]:
    """The distinct ASCII tokens of a query, sorted, and the checked ``limit`` (1–1000).

    Example:
        >>> query_terms("卡纸 X200", 5)
        (['c0536107eb8', 'wx200'], 5)
    """
    tokens = sorted({ascii_token(t) for t in tokenize(check.optional_text(text, "text"))})
    return tokens, check.integer(1, 1000)(limit, "limit")


def table_name(value: object) -> str:
    """A safe SQL table name (lower-case identifier), or ``InvalidData``.

    Example:
        >>> table_name("kb; drop")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: table: 'kb; drop' is not a table name; accepted: a lower-case identifier
    """
    if not isinstance(value, str) or not _TABLE.match(value):
        message = f"{shown(value)} is not a table name; accepted: a lower-case identifier"
        raise InvalidData(f"table: {message}", problems=[("table", message)])
    return value


class SQLSearchIndex:
    """A :class:`~aftersales.storage.ports.SearchIndex` in the SQL table ``table``.

    The table has the columns ``doc_id``, ``product``, ``category`` and
    ``body`` (the ASCII tokens, space-separated). Statements are written with
    ``?`` placeholders (see :attr:`placeholder`) and run one at a time under a
    lock, on the dialect's connection ``_db``.

    Example:
        >>> from aftersales.storage.sqlite import SQLiteSearchIndex
        >>> issubclass(SQLiteSearchIndex, SQLSearchIndex)
        True
    """

    #: Placeholder of the driver (``?`` or ``%s``).
    placeholder: ClassVar[str] = "?"
    #: ``ORDER BY`` of the rank: ``"rank"`` (lower is better) or ``"rank DESC"``.
    rank_order: ClassVar[str] = "rank"
    _db: Any

    def __init__(self, table: object) -> None:
        self.table = table_name(table)
        self._lock = threading.Lock()

    # -- what a dialect provides ------------------------------------------------------

    def _fetch(self, sql: str, params: Sequence[object]) -> list[Any]:
        """Run one statement on the connection (the lock is held); the rows it returns."""
        raise NotImplementedError

    def _replace(self, doc: IndexDocument, body: str) -> None:
        """Insert ``doc`` with ``body``, replacing any row of its id, atomically (lock held)."""
        raise NotImplementedError

    def _matching(self, tokens: list[str]) -> tuple[str, object]:
        """``SELECT doc_id, <rank> AS rank FROM … WHERE <any of tokens>`` and its parameter."""
        raise NotImplementedError

    def _score(self, rank: float) -> float:
        """The hit's score (higher is better) of a row's ``rank``."""
        return rank

    # -- the index ----------------------------------------------------------------------

    def _run(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        if self.placeholder != "?":
            sql = sql.replace("?", self.placeholder)
        with self._lock:
            return self._fetch(sql, params)

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def __len__(self) -> int:
        rows = self._run(f"SELECT count(*) FROM {self.table}")
        return int(rows[0][0]) if rows else 0

    def __contains__(self, doc_id: object) -> bool:
        return bool(self._run(f"SELECT 1 FROM {self.table} WHERE doc_id = ?", (str(doc_id),)))

    def add(self, doc: IndexDocument) -> None:
        """Insert or replace ``doc`` (atomically)."""
        check.instance_of(IndexDocument)(doc, "doc")
        body = " ".join(ascii_token(t) for t in document_tokens(doc))
        with self._lock:
            self._replace(doc, body)

    def remove(self, doc_id: str) -> None:
        """Forget ``doc_id`` (nothing happens when it is not indexed)."""
        self._run(f"DELETE FROM {self.table} WHERE doc_id = ?", (doc_id,))

    def clear(self) -> None:
        """Forget every document."""
        self._run(f"DELETE FROM {self.table}")

    def search(
        self,
        text: str,
        *,
        limit: int = 10,
        product: str | None = None,
        category: str | None = None,
    ) -> list[SearchHit]:
        """The best ``limit`` documents for ``text`` by the dialect's rank, best first."""
        tokens, count = query_terms(text, limit)
        product, category = search_filters(product, category)
        if not tokens:
            return []
        sql, match = self._matching(tokens)
        params: list[object] = [match]
        if product is not None:
            sql += " AND product = ?"
            params.append(product)
        if category is not None:
            sql += " AND category = ?"
            params.append(category)
        sql += f" ORDER BY {self.rank_order}, doc_id LIMIT ?"
        params.append(count)
        rows = self._run(sql, params)
        return [SearchHit(str(doc_id), round(self._score(float(rank)), 6)) for doc_id, rank in rows]
