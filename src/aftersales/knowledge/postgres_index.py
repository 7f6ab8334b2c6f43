"""A :class:`~aftersales.knowledge.SearchIndex` on PostgreSQL full-text search (psycopg 3).

PostgreSQL's parsers do not segment Chinese either, so, as for FTS5, the
index stores pre-tokenized text (CJK bigrams and English words, spelled in
ASCII by :func:`~aftersales.knowledge.sqlite_index.ascii_token`) in a
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

import threading
from typing import Any

import psycopg

from aftersales import _checks as check
from aftersales.knowledge.index import IndexDocument, SearchHit, document_tokens, search_filters
from aftersales.knowledge.sqlite_index import ascii_token, query_terms, table_name

__all__ = ["PostgresSearchIndex"]


class PostgresSearchIndex:
    """:class:`~aftersales.knowledge.SearchIndex` in a PostgreSQL table.

    Args:
        conninfo: a libpq connection string or URL.
        table: the table's name (created with its GIN index when missing).

    Example:
        >>> PostgresSearchIndex.__name__
        'PostgresSearchIndex'
    """

    def __init__(self, conninfo: str, *, table: str = "knowledge_search") -> None:
        self.table = table_name(table)
        self._lock = threading.Lock()
        self._db: psycopg.Connection[Any] = psycopg.connect(conninfo, autocommit=True)
        with self._lock:
            self._db.execute(
                f"CREATE TABLE IF NOT EXISTS {self.table} ("
                " doc_id text PRIMARY KEY, product text, category text,"
                " body text NOT NULL, tsv tsvector NOT NULL)"
            )
            self._db.execute(
                f"CREATE INDEX IF NOT EXISTS {self.table}_tsv ON {self.table} USING gin (tsv)"
            )

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def __len__(self) -> int:
        with self._lock:
            row = self._db.execute(f"SELECT count(*) FROM {self.table}").fetchone()
        return 0 if row is None else int(row[0])

    def __contains__(self, doc_id: object) -> bool:
        with self._lock:
            row = self._db.execute(
                f"SELECT 1 FROM {self.table} WHERE doc_id = %s", (str(doc_id),)
            ).fetchone()
        return row is not None

    def add(self, doc: IndexDocument) -> None:
        """Insert or replace ``doc`` (one statement, so atomic)."""
        check.instance_of(IndexDocument)(doc, "doc")
        body = " ".join(ascii_token(t) for t in document_tokens(doc))
        with self._lock:
            self._db.execute(
                f"INSERT INTO {self.table} (doc_id, product, category, body, tsv)"
                " VALUES (%s, %s, %s, %s, to_tsvector('simple', %s))"
                " ON CONFLICT (doc_id) DO UPDATE SET product = EXCLUDED.product,"
                " category = EXCLUDED.category, body = EXCLUDED.body, tsv = EXCLUDED.tsv",
                (doc.id, doc.product, doc.category, body, body),
            )

    def remove(self, doc_id: str) -> None:
        """Forget ``doc_id`` (nothing happens when it is not indexed)."""
        with self._lock:
            self._db.execute(f"DELETE FROM {self.table} WHERE doc_id = %s", (doc_id,))

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
        """The best ``limit`` documents for ``text`` by ``ts_rank``, best first."""
        tokens, count = query_terms(text, limit)
        product, category = search_filters(product, category)
        if not tokens:
            return []
        sql = (
            f"SELECT doc_id, ts_rank(tsv, q) AS rank"
            f" FROM {self.table}, to_tsquery('simple', %s) AS q WHERE tsv @@ q"
        )
        params: list[object] = [" | ".join(tokens)]
        if product is not None:
            sql += " AND product = %s"
            params.append(product)
        if category is not None:
            sql += " AND category = %s"
            params.append(category)
        sql += " ORDER BY rank DESC, doc_id LIMIT %s"
        params.append(count)
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
        return [SearchHit(str(doc_id), round(float(rank), 6)) for doc_id, rank in rows]
