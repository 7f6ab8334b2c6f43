"""The knowledge base (知识库): refined solutions, searched and reused next time.

* :class:`KnowledgeArticle` (symptoms, root cause, solution steps, product,
  category, tags, source tickets; draft → published → retired; every version
  kept), :class:`ArticleUse` (each use counted) and :func:`index_document`;
* :class:`Bm25Index` (BM25 over CJK bigrams and English words, in process) and
  :func:`tokenize`;
* re-exported here from the layers above, imported on first use:
  :class:`KnowledgeBase` (draft from a closed ticket, publish, revise, retire,
  ``search(text, product=, category=)`` and ``suggest(ticket)``; the service,
  :mod:`aftersales.service.knowledge_base`), :class:`SQLiteSearchIndex` (FTS5)
  and :class:`PostgresSearchIndex` (``to_tsvector('simple', …)``, needs
  psycopg), the storage adapters of the search index port.

This package is domain: its modules import the domain only. The store and
index ports are in :mod:`aftersales.storage.ports` (``ArticleStore``,
``SearchIndex``) and the memory store in :mod:`aftersales.storage.memory`;
their old names here warn.

Example:
    >>> from aftersales.knowledge import tokenize
    >>> tokenize("扫地机器人 won't charge")
    ['扫地', '地机', '机器', '器人', 'won', 't', 'charge']
"""

from typing import TYPE_CHECKING

from aftersales._lazy import lazy_attributes
from aftersales.errors import InvalidArticleTransition
from aftersales.knowledge.article import (
    REVISABLE_FIELDS,
    ArticleStatus,
    ArticleUse,
    KnowledgeArticle,
    index_document,
)
from aftersales.knowledge.index import Bm25Index, IndexDocument, SearchHit, document_tokens
from aftersales.knowledge.text import tokenize

if TYPE_CHECKING:
    from aftersales.service.knowledge_base import ArticleHit, ArticleUsage, KnowledgeBase
    from aftersales.storage.postgres.search_index import PostgresSearchIndex
    from aftersales.storage.sqlite.search_index import SQLiteSearchIndex

__all__ = [
    "REVISABLE_FIELDS",
    "ArticleHit",
    "ArticleStatus",
    "ArticleUsage",
    "ArticleUse",
    "Bm25Index",
    "IndexDocument",
    "InvalidArticleTransition",
    "KnowledgeArticle",
    "KnowledgeBase",
    "PostgresSearchIndex",
    "SQLiteSearchIndex",
    "SearchHit",
    "document_tokens",
    "index_document",
    "tokenize",
]

__getattr__ = lazy_attributes(
    __name__,
    {
        "ArticleHit": "aftersales.service.knowledge_base:ArticleHit",
        "ArticleUsage": "aftersales.service.knowledge_base:ArticleUsage",
        "KnowledgeBase": "aftersales.service.knowledge_base:KnowledgeBase",
        "PostgresSearchIndex": "aftersales.storage.postgres.search_index:PostgresSearchIndex",
        "SQLiteSearchIndex": "aftersales.storage.sqlite.search_index:SQLiteSearchIndex",
    },
    deprecated={
        "ArticleStore": "aftersales.storage.ports:ArticleStore",
        "MemoryArticleStore": "aftersales.storage.memory:MemoryArticleStore",
        "SearchIndex": "aftersales.storage.ports:SearchIndex",
    },
)
