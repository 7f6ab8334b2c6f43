"""A :class:`~aftersales.storage.ports.SearchIndex` on PostgreSQL full-text search (psycopg 3).

PostgreSQL's parsers do not segment Chinese either, so, as for FTS5, the
index stores pre-tokenized text (CJK bigrams and English words, spelled in
ASCII by :func:`~aftersales.storage._sql.search_index.ascii_token`) in a
``tsvector`` built with ``to_tsvector('simple', …)`` and a GIN index. A query
is the OR of its tokens; ranking is ``ts_rank`` without length normalisation
(the best of the variants tried on ``benchmarks/knowledge.py``).

Example (needs a running PostgreSQL server, so it is shown, not run)::

    with temporary_cluster() as dsn:
        index = PostgresSearchIndex(dsn)
        index.add(IndexDocument("KB-1", "打印机卡纸"))
        [hit.id for hit in index.search("卡纸")]
    # → ['KB-1']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import psycopg

from aftersales.knowledge.index import IndexDocument
from aftersales.storage._sql.search_index import SQLSearchIndex

__all__ = ["PostgresSearchIndex"]


class PostgresSearchIndex(SQLSearchIndex):
    """:class:`~aftersales.storage.ports.SearchIndex` in a PostgreSQL table.

    Args:
        conninfo: a libpq connection string or URL.
        table: the table's name (created with its GIN index when missing).

    Example:
        >>> PostgresSearchIndex.__name__
        'PostgresSearchIndex'
    """

    placeholder: ClassVar[str] = "%s"
    rank_order: ClassVar[str] = "rank DESC"

    def __init__(self, conninfo: str, *, table: str = "knowledge_search") -> None:
        super().__init__(table)
        self._db: psycopg.Connection[Any] = psycopg.connect(conninfo, autocommit=True)
        self._run(
            f"CREATE TABLE IF NOT EXISTS {self.table} ("
            " doc_id text PRIMARY KEY, product text, category text,"
            " body text NOT NULL, tsv tsvector NOT NULL)"
        )
        self._run(f"CREATE INDEX IF NOT EXISTS {self.table}_tsv ON {self.table} USING gin (tsv)")

    def _fetch(self, sql: str, params: Sequence[object]) -> list[Any]:
        cur = self._db.execute(sql, params)
        return cur.fetchall() if cur.description is not None else []

    def _replace(self, doc: IndexDocument, body: str) -> None:
        """One ``INSERT … ON CONFLICT DO UPDATE``, so atomic."""
        self._db.execute(
            f"INSERT INTO {self.table} (doc_id, product, category, body, tsv)"
            " VALUES (%s, %s, %s, %s, to_tsvector('simple', %s))"
            " ON CONFLICT (doc_id) DO UPDATE SET product = EXCLUDED.product,"
            " category = EXCLUDED.category, body = EXCLUDED.body, tsv = EXCLUDED.tsv",
            (doc.id, doc.product, doc.category, body, body),
        )

    def _matching(self, tokens: list[str]) -> tuple[str, object]:
        return (
            f"SELECT doc_id, ts_rank(tsv, q) AS rank"
            f" FROM {self.table}, to_tsquery('simple', ?) AS q WHERE tsv @@ q",
            " | ".join(tokens),
        )
