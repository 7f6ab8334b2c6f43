"""The knowledge base (知识库): refined solutions, searched and reused next time.

* :class:`KnowledgeArticle` (symptoms, root cause, solution steps, product,
  category, tags, source tickets; draft → published → retired; every version
  kept), :class:`ArticleUse` (each use counted) and :func:`index_document`;
* :class:`Bm25Index` (BM25 over CJK bigrams and English words, in process) and
  :func:`tokenize`;
* :class:`ReplyTemplate` (话术: a reply text with placeholders, by category and
  channel, every version kept), :data:`PLACEHOLDERS`, and :func:`render_reply`
  giving a :class:`RenderedReply` for a ticket, contacts masked;
* re-exported here from the layers above, imported on first use:
  :class:`KnowledgeBase` (draft from a closed ticket, publish, revise, retire,
  ``search(text, product=, category=)``, ``suggest(ticket)`` and
  ``suggest_replies(ticket)``; the service,
  :mod:`aftersales.service.knowledge_base`), :class:`ReplyTemplates` and
  :class:`ReplySuggestion` (the templates' service,
  :mod:`aftersales.service.reply_templates`), :class:`SQLiteSearchIndex` (FTS5)
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
from aftersales.knowledge.replies import RenderedReply, format_due_at, render_reply
from aftersales.knowledge.reply_templates import PLACEHOLDERS, ReplyTemplate, placeholders_of
from aftersales.knowledge.text import tokenize

if TYPE_CHECKING:
    from aftersales.service.knowledge_base import ArticleHit, ArticleUsage, KnowledgeBase
    from aftersales.service.reply_templates import ReplySuggestion, ReplyTemplates
    from aftersales.storage.postgres.search_index import PostgresSearchIndex
    from aftersales.storage.sqlite.search_index import SQLiteSearchIndex

__all__ = [
    "PLACEHOLDERS",
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
    "RenderedReply",
    "ReplySuggestion",
    "ReplyTemplate",
    "ReplyTemplates",
    "SQLiteSearchIndex",
    "SearchHit",
    "document_tokens",
    "format_due_at",
    "index_document",
    "placeholders_of",
    "render_reply",
    "tokenize",
]

__getattr__ = lazy_attributes(
    __name__,
    {
        "ArticleHit": "aftersales.service.knowledge_base:ArticleHit",
        "ArticleUsage": "aftersales.service.knowledge_base:ArticleUsage",
        "KnowledgeBase": "aftersales.service.knowledge_base:KnowledgeBase",
        "PostgresSearchIndex": "aftersales.storage.postgres.search_index:PostgresSearchIndex",
        "ReplySuggestion": "aftersales.service.reply_templates:ReplySuggestion",
        "ReplyTemplates": "aftersales.service.reply_templates:ReplyTemplates",
        "SQLiteSearchIndex": "aftersales.storage.sqlite.search_index:SQLiteSearchIndex",
    },
    deprecated={
        "ArticleStore": "aftersales.storage.ports:ArticleStore",
        "MemoryArticleStore": "aftersales.storage.memory:MemoryArticleStore",
        "SearchIndex": "aftersales.storage.ports:SearchIndex",
    },
)
