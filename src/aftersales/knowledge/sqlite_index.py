"""A :class:`~aftersales.knowledge.SearchIndex` on SQLite FTS5 (standard library only).

FTS5 has no tokenizer for Chinese, so the index stores *pre-tokenized* text:
the tokens of :func:`~aftersales.knowledge.text.tokenize` (CJK bigrams and
English words), each spelled in plain ASCII (:func:`ascii_token`) so that
FTS5's ``unicode61`` tokenizer keeps every one of them whole. Ranking is
FTS5's own ``bm25()``. One table holds the index; a file path keeps it across
processes, ``":memory:"`` (the default) does not.

Example:
    >>> index = SQLiteSearchIndex()
    >>> index.add(IndexDocument("KB-1", "打印机卡纸 进纸辊磨损", product="X200"))
    >>> index.add(IndexDocument("KB-2", "Air conditioner not cooling, low refrigerant"))
    >>> [hit.id for hit in index.search("X200 卡纸")], [hit.id for hit in index.search("cooling")]
    (['KB-1'], ['KB-2'])
"""

from __future__ import annotations

import re
import sqlite3
import threading
from pathlib import Path

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.errors import InvalidData, StorageError
from aftersales.knowledge.index import IndexDocument, SearchHit, document_tokens, search_filters
from aftersales.knowledge.text import tokenize

__all__ = ["SQLiteSearchIndex", "ascii_token"]

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

    Shared by the SQL indexes, which store the same ASCII spelling of the tokens.

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


class SQLiteSearchIndex:
    """:class:`~aftersales.knowledge.SearchIndex` in an SQLite FTS5 table.

    Args:
        path: the database file (``":memory:"`` by default).
        table: the FTS5 table's name (created when missing).

    Example:
        >>> index = SQLiteSearchIndex(table="kb_search")
        >>> index.add(IndexDocument("KB-1", "洗衣机 脱水时 剧烈 震动", category="product_quality"))
        >>> index.search("脱水震动", category="usage_guidance")
        []
        >>> len(index), "KB-1" in index
        (1, True)
    """

    def __init__(self, path: str | Path = ":memory:", *, table: str = "knowledge_fts") -> None:
        self.table = table_name(table)
        self._lock = threading.Lock()
        location = check.database_path(path)
        try:
            self._db = sqlite3.connect(location, check_same_thread=False, isolation_level=None)
            self._db.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.table} USING fts5("
                "doc_id UNINDEXED, product UNINDEXED, category UNINDEXED, body,"
                " tokenize = 'unicode61')"
            )
        except sqlite3.Error as error:
            raise StorageError(
                f"path: cannot open {shown(location)} ({error}); accepted: ':memory:' or a file"
                " in an existing, writable directory"
            ) from error

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def __len__(self) -> int:
        with self._lock:
            (count,) = self._db.execute(f"SELECT count(*) FROM {self.table}").fetchone()
        return int(count)

    def __contains__(self, doc_id: object) -> bool:
        with self._lock:
            row = self._db.execute(
                f"SELECT 1 FROM {self.table} WHERE doc_id = ?", (str(doc_id),)
            ).fetchone()
        return row is not None

    def add(self, doc: IndexDocument) -> None:
        """Insert or replace ``doc`` (in one transaction)."""
        check.instance_of(IndexDocument)(doc, "doc")
        body = " ".join(ascii_token(t) for t in document_tokens(doc))
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(f"DELETE FROM {self.table} WHERE doc_id = ?", (doc.id,))
                self._db.execute(
                    f"INSERT INTO {self.table} (doc_id, product, category, body)"
                    " VALUES (?, ?, ?, ?)",
                    (doc.id, doc.product, doc.category, body),
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def remove(self, doc_id: str) -> None:
        """Forget ``doc_id`` (nothing happens when it is not indexed)."""
        with self._lock:
            self._db.execute(f"DELETE FROM {self.table} WHERE doc_id = ?", (doc_id,))

    def clear(self) -> None:
        """Forget every document."""
        with self._lock:
            self._db.execute(f"DELETE FROM {self.table}")

    def search(
        self,
        text: str,
        *,
        limit: int = 10,
        product: str | None = None,
        category: str | None = None,
    ) -> list[SearchHit]:
        """The best ``limit`` documents for ``text`` by FTS5 ``bm25()``, best first."""
        tokens, count = query_terms(text, limit)
        product, category = search_filters(product, category)
        if not tokens:
            return []
        match = " OR ".join(f'"{token}"' for token in tokens)
        sql = (
            f"SELECT doc_id, bm25({self.table}) AS rank FROM {self.table}"
            f" WHERE {self.table} MATCH ?"
        )
        params: list[object] = [f"body : ({match})"]
        if product is not None:
            sql += " AND product = ?"
            params.append(product)
        if category is not None:
            sql += " AND category = ?"
            params.append(category)
        sql += " ORDER BY rank, doc_id LIMIT ?"
        params.append(count)
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
        return [SearchHit(str(doc_id), round(-float(rank), 6)) for doc_id, rank in rows]
