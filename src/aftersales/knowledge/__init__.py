"""The knowledge base (知识库): refined solutions, searched and reused next time.

* :class:`KnowledgeArticle` (symptoms, root cause, solution steps, product,
  category, tags, source tickets; draft → published → retired; every version
  kept) and :class:`ArticleUse` (each use counted);
* :class:`KnowledgeBase`: draft from a closed ticket, publish, revise, retire,
  ``search(text, product=, category=)`` and ``suggest(ticket)``;
* :class:`SearchIndex`, the index port, with :class:`Bm25Index` (BM25 over CJK
  bigrams and English words, in process), :class:`SQLiteSearchIndex` (FTS5)
  and :class:`PostgresSearchIndex` (``to_tsvector('simple', …)``, lazily
  imported: needs psycopg);
* :class:`ArticleStore` with :class:`MemoryArticleStore`.

Example:
    >>> from aftersales.knowledge import tokenize
    >>> tokenize("扫地机器人 won't charge")
    ['扫地', '地机', '机器', '器人', 'won', 't', 'charge']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aftersales.knowledge.article import (
    REVISABLE_FIELDS,
    ArticleStatus,
    ArticleUse,
    InvalidArticleTransition,
    KnowledgeArticle,
)
from aftersales.knowledge.base import ArticleHit, ArticleUsage, KnowledgeBase, index_document
from aftersales.knowledge.index import (
    Bm25Index,
    IndexDocument,
    SearchHit,
    SearchIndex,
    document_tokens,
)
from aftersales.knowledge.sqlite_index import SQLiteSearchIndex
from aftersales.knowledge.store import ArticleStore, MemoryArticleStore
from aftersales.knowledge.text import tokenize

if TYPE_CHECKING:
    from aftersales.knowledge.postgres_index import PostgresSearchIndex


__all__ = [
    "REVISABLE_FIELDS",
    "ArticleHit",
    "ArticleStatus",
    "ArticleStore",
    "ArticleUsage",
    "ArticleUse",
    "Bm25Index",
    "IndexDocument",
    "InvalidArticleTransition",
    "KnowledgeArticle",
    "KnowledgeBase",
    "MemoryArticleStore",
    "PostgresSearchIndex",
    "SQLiteSearchIndex",
    "SearchHit",
    "SearchIndex",
    "document_tokens",
    "index_document",
    "tokenize",
]


def __getattr__(name: str) -> Any:
    if name == "PostgresSearchIndex":
        from aftersales.knowledge.postgres_index import PostgresSearchIndex

        return PostgresSearchIndex
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
