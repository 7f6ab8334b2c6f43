"""Benchmark: knowledge-base search quality (recall@5, MRR) on a labelled set.

Run:  .venv/bin/python benchmarks/knowledge.py [--postgres] [-v]

Data: ``benchmarks/data/knowledge_set.json`` — 204 realistic after-sales
articles (printers, air conditioners, robot vacuums, routers, washing
machines, fridges, smart locks, an office device; logistics, returns,
invoices, warranty, service complaints), 145 in Chinese and 59 in English,
and 107 customer-style queries (55 Chinese, 37 English, 15 mixed) written in
the customers' own words, each labelled with its relevant article ids (one
query about a problem that several product models share has them all).

Metrics, per language and overall:

* recall@5: the share of a query's relevant articles found in the first 5
  results, averaged over queries;
* MRR: the mean of 1 / rank of the first relevant result (0 when none is in
  the first 10).

Indexes: the default in-process ``Bm25Index`` (through ``KnowledgeBase.search``),
``SQLiteSearchIndex`` (FTS5) and, with ``--postgres``, ``PostgresSearchIndex``
on a throwaway cluster. The goal is recall@5 ≥ 0.9 for the default index; the
script exits with status 1 when it is missed, or when an index returns an
article that is not in the set. The set is small: a full run takes about a
second, so there is no smaller size.
"""

from __future__ import annotations

import os
import sys

# benchmarks/calendar.py shadows the stdlib ``calendar``: keep this folder off the path.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from contextlib import ExitStack  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pendulum  # noqa: E402

from aftersales.knowledge import (  # noqa: E402
    Bm25Index,
    KnowledgeArticle,
    KnowledgeBase,
    SQLiteSearchIndex,
)
from aftersales.storage.ports import SearchIndex  # noqa: E402

DATA = Path(__file__).parent / "data" / "knowledge_set.json"
AT = pendulum.datetime(2024, 6, 1, 9, tz="Asia/Shanghai")


def load() -> dict[str, Any]:
    """The labelled set."""
    data: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return data


def build(index: SearchIndex, articles: list[dict[str, Any]]) -> KnowledgeBase:
    """A knowledge base with every article of the set published into ``index``."""
    kb = KnowledgeBase(index=index)
    for row in articles:
        kb.add(
            KnowledgeArticle(
                id=row["id"],
                title=row["title"],
                symptoms=row["symptoms"],
                root_cause=row["root_cause"],
                solution_steps=tuple(row["solution_steps"]),
                category=row["category"],
                product=row["product"],
                tags=tuple(row["tags"]),
                created_at=AT,
                created_by="bench",
                status="published",
            )
        )
    return kb


def evaluate(
    kb: KnowledgeBase, queries: list[dict[str, Any]], known: set[str]
) -> dict[str, dict[str, float]]:
    """recall@5 and MRR per query language and overall (``unknown``: results outside ``known``)."""
    by_lang: dict[str, list[tuple[float, float]]] = {}
    unknown = 0
    for query in queries:
        ranked = [hit.article.id for hit in kb.search(query["query"], limit=10)]
        unknown += len(set(ranked) - known)
        relevant = set(query["relevant"])
        recall = len(relevant & set(ranked[:5])) / len(relevant)
        first = next((i for i, doc in enumerate(ranked, 1) if doc in relevant), None)
        rr = 0.0 if first is None else 1 / first
        by_lang.setdefault(query["lang"], []).append((recall, rr))
        by_lang.setdefault("all", []).append((recall, rr))
    out: dict[str, dict[str, float]] = {
        lang: {
            "queries": len(rows),
            "recall@5": round(sum(r for r, _ in rows) / len(rows), 3),
            "mrr": round(sum(m for _, m in rows) / len(rows), 3),
        }
        for lang, rows in by_lang.items()
    }
    out["all"]["unknown"] = unknown
    return out


def misses(kb: KnowledgeBase, queries: list[dict[str, Any]]) -> list[str]:
    """The queries whose relevant articles are not all in the first 5."""
    out = []
    for query in queries:
        ranked = [hit.article.id for hit in kb.search(query["query"], limit=5)]
        if not set(query["relevant"]) <= set(ranked):
            out.append(f"  {query['query']!r}: wanted {query['relevant']}, got {ranked}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="also PostgresSearchIndex")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the missed queries")
    args = parser.parse_args(argv)
    data = load()
    articles, queries = data["articles"], data["queries"]
    print(f"{len(articles)} articles, {len(queries)} queries")
    with ExitStack() as stack:
        indexes: list[tuple[str, SearchIndex]] = [
            ("Bm25Index (default)", Bm25Index()),
            ("SQLiteSearchIndex (FTS5)", SQLiteSearchIndex()),
        ]
        if args.postgres:
            from aftersales.knowledge import PostgresSearchIndex
            from aftersales.testing.postgres import temporary_cluster

            dsn = stack.enter_context(temporary_cluster())
            indexes.append(("PostgresSearchIndex", PostgresSearchIndex(dsn)))
        results = {}
        for name, index in indexes:
            kb = build(index, articles)
            started = time.perf_counter()
            results[name] = evaluate(kb, queries, {row["id"] for row in articles})
            elapsed = time.perf_counter() - started
            print(f"\n{name}  ({len(queries) / elapsed:,.0f} queries/s)")
            for lang in ("zh", "en", "mixed", "all"):
                row = results[name][lang]
                print(
                    f"  {lang:<6} n={row['queries']:<4} recall@5={row['recall@5']:.3f}"
                    f"  MRR={row['mrr']:.3f}"
                )
            if args.verbose:
                print("\n".join(misses(kb, queries)))
    default = results["Bm25Index (default)"]["all"]["recall@5"]
    print(f"\ngoal recall@5 >= 0.9 for the default index: {'met' if default >= 0.9 else 'NOT met'}")
    unknown = sum(int(row["all"]["unknown"]) for row in results.values())
    print(
        f"agreement: {unknown} results outside the labelled set; the default index"
        f" {'meets' if default >= 0.9 else 'MISSES'} its goal on the labels"
    )
    return 0 if default >= 0.9 and unknown == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
