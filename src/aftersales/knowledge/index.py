"""What a search index holds, and the default in-process index (BM25 over CJK bigrams + words).

A search index (the port :class:`aftersales.storage.ports.SearchIndex`) holds
:class:`IndexDocument` values (an id, the text to search, and the product and
category to filter on) and answers ranked queries with :class:`SearchHit`
values. :class:`Bm25Index` is the default: Okapi BM25 in memory over the
tokens of :func:`~aftersales.knowledge.text.tokenize`, so Chinese without
spaces, English, and both mixed are searched alike. The SQLite FTS5 and
PostgreSQL adapters (:mod:`aftersales.storage.sqlite.search_index`,
:mod:`aftersales.storage.postgres.search_index`) index the same tokens.

Example:
    >>> index = Bm25Index()
    >>> index.add(IndexDocument("KB-1", "打印机卡纸 进纸辊磨损", product="X200"))
    >>> index.add(IndexDocument("KB-2", "空调不制冷 缺氟", product="KFR-35"))
    >>> [hit.id for hit in index.search("x200 老是卡纸")]
    ['KB-1']
    >>> index.search("卡纸", product="KFR-35")
    []
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from typing import Any, ClassVar

import attrs

from aftersales import _checks as check
from aftersales._lazy import lazy_attributes
from aftersales.knowledge.text import tokenize

__all__ = [
    "Bm25Index",
    "IndexDocument",
    "SearchHit",
    "document_tokens",
    "search_filters",
]


@attrs.frozen(slots=True)
class IndexDocument:
    """What an index stores of one article: id, text, boosted text and filter fields.

    ``boost`` (title, tags, symptoms) counts twice for ranking.

    Example:
        >>> IndexDocument("KB-1", "进纸辊磨损", boost="打印机卡纸", category="product_quality").category
        'product_quality'
    """

    id: str
    text: str
    boost: str = ""
    product: str | None = None
    category: str | None = None

    _checks: ClassVar[check.Checks] = (
        ("id", check.identifier),
        ("text", check.optional_text),
        ("boost", check.optional_text),
        ("product", check.optional_name),
        ("category", check.optional_name),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)


def document_tokens(doc: IndexDocument) -> list[str]:
    """The tokens an index stores for ``doc``: the boosted text twice, then the text.

    Example:
        >>> document_tokens(IndexDocument("KB-1", "缺氟", boost="不制冷"))
        ['不制', '制冷', '不制', '制冷', '缺氟']
    """
    boosted = tokenize(doc.boost)
    return boosted + boosted + tokenize(doc.text)


@attrs.frozen(slots=True, order=True)
class SearchHit:
    """A ranked result: the document id and its score (higher is better).

    Example:
        >>> SearchHit("KB-1", 2.5).score
        2.5
    """

    id: str
    score: float


def _limit(value: Any) -> int:
    result: int = check.integer(1, 1000)(value, "limit")
    return result


def search_filters(product: object, category: object) -> tuple[str | None, str | None]:
    """The ``product`` and ``category`` filters of a search: each ``None`` or a non-blank text.

    Checked before any index is read, whatever the index: a list, a number,
    a NUL character or a lone surrogate is an ``InvalidData``, not a driver error.

    Example:
        >>> search_filters("X200", None)
        ('X200', None)
        >>> search_filters(["X200"], None)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: product: list is not a text; accepted: valid Unicode text without NUL characters
    """
    check.run_checks_on(
        {
            "product": (product, check.optional_name),
            "category": (category, check.optional_name),
        }
    )
    return product, category  # type: ignore[return-value]


class Bm25Index:
    """The default in-process search index: Okapi BM25, thread-safe.

    It implements :class:`~aftersales.storage.ports.SearchIndex`.

    ``k1`` saturates term frequency, ``b`` normalises by document length (the
    usual 1.2 and 0.75). Adding replaces atomically: a query sees the old or
    the new document, never half of one.

    Example:
        >>> index = Bm25Index()
        >>> index.add(IndexDocument("KB-1", "The printer jams on thick paper", product="X200"))
        >>> index.add(IndexDocument("KB-2", "Wi-Fi keeps dropping after update", product="R1"))
        >>> [h.id for h in index.search("paper jam in printer")]
        ['KB-1']
        >>> index.remove("KB-1"); len(index)
        1
    """

    def __init__(self, *, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self._lock = threading.Lock()
        self._docs: dict[str, IndexDocument] = {}
        self._lengths: dict[str, int] = {}
        self._terms: dict[str, Counter[str]] = {}
        self._postings: dict[str, dict[str, int]] = {}
        self._total_length = 0

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._docs

    def add(self, doc: IndexDocument) -> None:
        """Insert or replace ``doc``."""
        check.instance_of(IndexDocument)(doc, "doc")
        terms = Counter(document_tokens(doc))
        with self._lock:
            self._drop(doc.id)
            self._docs[doc.id] = doc
            self._terms[doc.id] = terms
            length = sum(terms.values())
            self._lengths[doc.id] = length
            self._total_length += length
            for term, count in terms.items():
                self._postings.setdefault(term, {})[doc.id] = count

    def remove(self, doc_id: str) -> None:
        """Forget ``doc_id`` (nothing happens when it is not indexed)."""
        with self._lock:
            self._drop(doc_id)

    def clear(self) -> None:
        """Forget every document."""
        with self._lock:
            self._docs.clear()
            self._lengths.clear()
            self._terms.clear()
            self._postings.clear()
            self._total_length = 0

    def _drop(self, doc_id: str) -> None:
        terms = self._terms.pop(doc_id, None)
        if terms is None:
            return
        del self._docs[doc_id]
        self._total_length -= self._lengths.pop(doc_id)
        for term in terms:
            posting = self._postings[term]
            del posting[doc_id]
            if not posting:
                del self._postings[term]

    def search(
        self,
        text: str,
        *,
        limit: int = 10,
        product: str | None = None,
        category: str | None = None,
    ) -> list[SearchHit]:
        """The best ``limit`` documents for ``text``, best first (ties by id)."""
        query = Counter(tokenize(check.optional_text(text, "text")))
        count = _limit(limit)
        product, category = search_filters(product, category)
        with self._lock:
            n = len(self._docs)
            if n == 0 or not query:
                return []
            average = self._total_length / n or 1.0
            scores: dict[str, float] = {}
            for term, weight in query.items():
                posting = self._postings.get(term)
                if not posting:
                    continue
                idf = math.log(1 + (n - len(posting) + 0.5) / (len(posting) + 0.5))
                for doc_id, tf in posting.items():
                    norm = self.k1 * (1 - self.b + self.b * self._lengths[doc_id] / average)
                    gain = idf * tf * (self.k1 + 1) / (tf + norm)
                    scores[doc_id] = scores.get(doc_id, 0.0) + weight * gain
            docs = self._docs
            ranked = sorted(
                (
                    (-score, doc_id)
                    for doc_id, score in scores.items()
                    if (product is None or docs[doc_id].product == product)
                    and (category is None or docs[doc_id].category == category)
                ),
            )
        return [SearchHit(doc_id, round(-negative, 6)) for negative, doc_id in ranked[:count]]


__getattr__ = lazy_attributes(
    __name__, {}, deprecated={"SearchIndex": "aftersales.storage.ports:SearchIndex"}
)
