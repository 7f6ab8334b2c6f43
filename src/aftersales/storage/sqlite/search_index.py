"""A :class:`~aftersales.storage.ports.SearchIndex` on SQLite FTS5 (standard library only).

FTS5 has no tokenizer for Chinese, so the index stores *pre-tokenized* text:
the tokens of :func:`~aftersales.knowledge.text.tokenize` (CJK bigrams and
English words), each spelled in plain ASCII
(:func:`~aftersales.storage._sql.search_index.ascii_token`) so that FTS5's
``unicode61`` tokenizer keeps every one of them whole. Ranking is FTS5's own
``bm25()``. One table holds the index; a file path keeps it across
processes, ``":memory:"`` (the default) does not.

Example:
    >>> from aftersales.knowledge import IndexDocument
    >>> index = SQLiteSearchIndex()
    >>> index.add(IndexDocument("KB-1", "打印机卡纸 进纸辊磨损", product="X200"))
    >>> index.add(IndexDocument("KB-2", "Air conditioner not cooling, low refrigerant"))
    >>> [hit.id for hit in index.search("X200 卡纸")], [hit.id for hit in index.search("cooling")]
    (['KB-1'], ['KB-2'])
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.errors import StorageError
from aftersales.knowledge.index import IndexDocument
from aftersales.storage._sql.search_index import (
    SQLSearchIndex,
    ascii_token,
    query_terms,
    table_name,
)

__all__ = ["SQLiteSearchIndex", "ascii_token", "query_terms", "table_name"]


class SQLiteSearchIndex(SQLSearchIndex):
    """:class:`~aftersales.storage.ports.SearchIndex` in an SQLite FTS5 table.

    Args:
        path: the database file (``":memory:"`` by default).
        table: the FTS5 table's name (created when missing).

    Example:
        >>> from aftersales.knowledge import IndexDocument
        >>> index = SQLiteSearchIndex(table="kb_search")
        >>> index.add(IndexDocument("KB-1", "洗衣机 脱水时 剧烈 震动", category="product_quality"))
        >>> index.search("脱水震动", category="usage_guidance")
        []
        >>> len(index), "KB-1" in index
        (1, True)
    """

    def __init__(self, path: str | Path = ":memory:", *, table: str = "knowledge_fts") -> None:
        super().__init__(table)
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

    def _fetch(self, sql: str, params: Sequence[object]) -> list[Any]:
        rows: list[Any] = self._db.execute(sql, params).fetchall()
        return rows

    def _replace(self, doc: IndexDocument, body: str) -> None:
        """``DELETE`` then ``INSERT`` in one transaction."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.execute(f"DELETE FROM {self.table} WHERE doc_id = ?", (doc.id,))
            self._db.execute(
                f"INSERT INTO {self.table} (doc_id, product, category, body) VALUES (?, ?, ?, ?)",
                (doc.id, doc.product, doc.category, body),
            )
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _matching(self, tokens: list[str]) -> tuple[str, object]:
        match = " OR ".join(f'"{token}"' for token in tokens)
        return (
            f"SELECT doc_id, bm25({self.table}) AS rank FROM {self.table}"
            f" WHERE {self.table} MATCH ?",
            f"body : ({match})",
        )

    def _score(self, rank: float) -> float:
        """``bm25()`` is lower for a better match."""
        return -rank
