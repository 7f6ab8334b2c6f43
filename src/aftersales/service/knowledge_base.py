"""The knowledge base service: articles from closed tickets, publishing, search, suggestions.

:class:`KnowledgeBase` ties an :class:`~aftersales.storage.ports.ArticleStore`
(every version kept) to a :class:`~aftersales.storage.ports.SearchIndex`
(published articles only) and a clock. The articles, their index documents
and the in-process index are the domain's (:mod:`aftersales.knowledge`); this
module imports them, the storage ports and the memory adapter. Beside the
articles, ``kb.replies`` keeps the reply templates (话术,
:class:`~aftersales.service.reply_templates.ReplyTemplates`), and
:meth:`KnowledgeBase.suggest_replies` suggests them for a ticket, rendered.

Example:
    >>> import pendulum
    >>> from aftersales import FixedClock
    >>> from aftersales.testing.samples import sample_ticket
    >>> kb = KnowledgeBase(clock=FixedClock(pendulum.datetime(2024, 5, 20, 9, tz="Asia/Shanghai")))
    >>> draft = kb.draft_from_ticket(sample_ticket(), by="李工", article_id="KB-1")
    >>> draft.root_cause, draft.source_ticket_ids
    ('远程诊断日志显示内存校验错误,判断为内存模块故障', ('T202405001',))
    >>> article = kb.publish("KB-1", by="王经理")
    >>> [hit.article.id for hit in kb.search("办公设备 死机")]
    ['KB-1']
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import attrs
import pendulum

from aftersales import _checks as check
from aftersales.errors import InvalidData
from aftersales.knowledge.article import (
    ArticleStatus,
    ArticleUse,
    KnowledgeArticle,
    index_document,
)
from aftersales.knowledge.index import Bm25Index
from aftersales.model.events import ExecutionFinished, ResolvedOnFirstContact
from aftersales.model.ticket import Ticket
from aftersales.service.reply_templates import ReplySuggestion, ReplyTemplates
from aftersales.sla import SlaPolicy
from aftersales.storage.memory import MemoryArticleStore
from aftersales.storage.ports import ArticleStore, ReplyTemplateStore, SearchIndex
from aftersales.time import Clock, SystemClock
from aftersales.vocab import ProblemCategory, TicketStatus

__all__ = ["ArticleHit", "ArticleUsage", "KnowledgeBase"]


@attrs.frozen(slots=True)
class ArticleHit:
    """A search result: the article and its score (higher is better).

    Example:
        >>> ArticleHit.__name__
        'ArticleHit'
    """

    article: KnowledgeArticle
    score: float


@attrs.frozen(slots=True)
class ArticleUsage:
    """How often an article was used on tickets, and how often it helped.

    Example:
        >>> ArticleUsage("KB-1", "t", uses=4, helpful=3, tickets=3).helpful_rate
        0.75
    """

    article_id: str
    title: str
    uses: int
    helpful: int
    tickets: int

    @property
    def helpful_rate(self) -> float | None:
        """Share of uses marked helpful (``None`` when never used)."""
        return None if self.uses == 0 else round(self.helpful / self.uses, 4)


def _solution_steps(ticket: Ticket) -> tuple[str, ...]:
    solution = ticket.solution
    if solution is not None and solution.steps:
        return tuple(step.action for step in solution.steps)
    for event in reversed(ticket.history):
        if isinstance(event, ResolvedOnFirstContact):
            return (event.answer,)
        if isinstance(event, ExecutionFinished):
            return (event.summary,)
    return ()


class KnowledgeBase:
    """Draft, publish, revise, retire, search and suggest knowledge articles.

    Args:
        store: where articles and their uses live (default: a new memory store).
        index: the search index (default: a new :class:`Bm25Index`). An index
            that outlives the process (FTS5, PostgreSQL) can be rebuilt from
            the store with :meth:`rebuild_index`.
        clock: where "now" comes from when a command gets no ``at=``.
        templates: where the reply templates live (``kb.replies``); default:
            ``store`` when it keeps them too (a SQL store does), else a new
            memory store.

    Example:
        >>> kb = KnowledgeBase()
        >>> kb.search("anything"), kb.replies.find()
        ([], [])
    """

    def __init__(
        self,
        store: ArticleStore | None = None,
        index: SearchIndex | None = None,
        *,
        clock: Clock | None = None,
        templates: ReplyTemplateStore | None = None,
    ) -> None:
        self.store: ArticleStore = MemoryArticleStore() if store is None else store
        self.index: SearchIndex = Bm25Index() if index is None else index
        self.clock: Clock = SystemClock() if clock is None else clock
        check.optional(check.protocol(ReplyTemplateStore, "a store with save_reply_template()"))(
            templates, "templates"
        )
        if templates is None and isinstance(store, ReplyTemplateStore):
            templates = store
        self.replies = ReplyTemplates(templates, clock=self.clock)

    def _now(self, at: datetime | None) -> pendulum.DateTime:
        return self.clock.now() if at is None else check.aware(at, "at")

    # -- writing ---------------------------------------------------------------------

    def add(self, article: KnowledgeArticle) -> KnowledgeArticle:
        """Store a new article (a first version, draft or published).

        Example:
            >>> import pendulum
            >>> kb = KnowledgeBase()
            >>> a = kb.add(KnowledgeArticle(id="KB-9", title="路由器频繁掉线",
            ...     symptoms="Wi-Fi 每隔几分钟断开", root_cause="固件缺陷",
            ...     solution_steps=("升级固件到 2.1.8",), category="product_quality",
            ...     created_at=pendulum.datetime(2024, 5, 1, tz="UTC"), created_by="李工",
            ...     status="published"))
            >>> [h.article.id for h in kb.search("wifi 掉线")]
            ['KB-9']
        """
        check.instance_of(KnowledgeArticle)(article, "article")
        if article.version != 1:
            message = f"{article.version} is not a first version; accepted: 1"
            raise InvalidData(
                f"article.version: {message}", problems=[("article.version", message)]
            )
        self.store.save_article(article, expected_version=0)
        self._sync(article)
        return article

    def draft_from_ticket(
        self,
        ticket: Ticket,
        *,
        by: str,
        article_id: str | None = None,
        title: str | None = None,
        tags: Iterable[str] = (),
        at: datetime | None = None,
    ) -> KnowledgeArticle:
        """Draft an article from a closed ticket and store it.

        Symptoms are the ticket's description (with the customer's words);
        the root cause is the latest analysis finding; the solution steps are
        the latest solution's steps (or the first-contact answer, or the
        execution summary). Refused unless the ticket is closed and has both.
        """
        check.instance_of(Ticket)(ticket, "ticket")
        problems = []
        if ticket.status is not TicketStatus.CLOSED:
            problems.append(("ticket.status", f"{ticket.status.value}; accepted: closed"))
        analyses = ticket.analyses
        if not analyses:
            problems.append(("ticket.analyses", "none recorded; accepted: a ticket with a finding"))
        steps = _solution_steps(ticket)
        if not steps:
            problems.append(
                ("ticket.solution", "none recorded; accepted: a ticket with a solution")
            )
        if problems:
            raise InvalidData.from_problems(problems)
        at = self._now(at)
        symptoms = ticket.description
        if ticket.customer_words:
            symptoms = f"{symptoms}\n客户原话:“{ticket.customer_words}”"
        product = ticket.product_model
        article = KnowledgeArticle(
            id=article_id if article_id is not None else f"KB-{uuid.uuid4().hex[:12]}",
            title=title if title is not None else _title(product, ticket.description),
            symptoms=symptoms,
            root_cause=analyses[-1].finding,
            solution_steps=steps,
            category=ticket.category,
            product=product,
            tags=tuple(tags),
            root_cause_category=ticket.root_cause,
            source_ticket_ids=(ticket.id,),
            created_at=at,
            created_by=by,
        )
        return self.add(article)

    def publish(
        self, article_id: str, *, by: str, note: str = "", at: datetime | None = None
    ) -> KnowledgeArticle:
        """draft → published; the article becomes searchable."""
        current = self.store.get_article(article_id)
        return self._save(current, current.publish(by=by, at=self._now(at), note=note))

    def revise(
        self,
        article_id: str,
        *,
        by: str,
        note: str = "",
        at: datetime | None = None,
        **changes: Any,
    ) -> KnowledgeArticle:
        """A new version with ``changes``; a published article is re-indexed at once."""
        current = self.store.get_article(article_id)
        return self._save(current, current.revise(by=by, at=self._now(at), note=note, **changes))

    def retire(
        self, article_id: str, *, by: str, reason: str, at: datetime | None = None
    ) -> KnowledgeArticle:
        """→ retired, with the reason; the article leaves the index, its versions stay."""
        current = self.store.get_article(article_id)
        return self._save(current, current.retire(by=by, at=self._now(at), reason=reason))

    def _save(self, current: KnowledgeArticle, new: KnowledgeArticle) -> KnowledgeArticle:
        self.store.save_article(new, expected_version=current.version)
        self._sync(new)
        return new

    def _sync(self, article: KnowledgeArticle) -> None:
        if article.status is ArticleStatus.PUBLISHED:
            self.index.add(index_document(article))
        else:
            self.index.remove(article.id)

    def rebuild_index(self) -> int:
        """Re-index every published article from the store; returns how many."""
        self.index.clear()
        published = self.store.find_articles(status=ArticleStatus.PUBLISHED)
        for article in published:
            self.index.add(index_document(article))
        return len(published)

    # -- reading ---------------------------------------------------------------------

    def get(self, article_id: str) -> KnowledgeArticle:
        """The latest version of an article; ``NotFound`` when there is none."""
        return self.store.get_article(article_id)

    def versions(self, article_id: str) -> list[KnowledgeArticle]:
        """Every version of an article, oldest first."""
        return self.store.find_article_versions(article_id)

    def search(
        self,
        text: str,
        *,
        product: str | None = None,
        category: ProblemCategory | str | None = None,
        limit: int = 10,
    ) -> list[ArticleHit]:
        """Published articles for ``text``, best first (Chinese, English or mixed).

        ``product`` (a product model) and ``category`` (a problem category,
        code or label) keep only the articles that match them. Every argument
        is checked before the index is read: ``text`` is a text (it may be
        empty), ``product`` ``None`` or a non-blank text, ``limit`` 1 to 1000;
        anything else raises ``InvalidData`` naming it.
        """
        check.run_checks_on(
            {
                "text": (text, check.optional_text),
                "product": (product, check.optional_name),
                "limit": (limit, check.integer(1, 1000)),
            }
        )
        code = None if category is None else check.term(ProblemCategory)(category, "category").code
        hits = self.index.search(text, limit=limit, product=product, category=code)
        return self._articles(hits)

    def suggest(self, ticket: Ticket, *, limit: int = 5) -> list[ArticleHit]:
        """Published articles likely to solve ``ticket``, best first.

        The query is the ticket's description, impact and the customer's
        words; articles about the ticket's product weigh 1.5×, articles in its
        problem category 1.2× (others still show, after them).
        """
        check.instance_of(Ticket)(ticket, "ticket")
        count = check.integer(1, 1000)(limit, "limit")
        product = ticket.product_model
        text = "\n".join(
            part
            for part in (ticket.description, ticket.impact, ticket.customer_words, product or "")
            if part
        )
        hits = self._articles(self.index.search(text, limit=min(1000, count * 4)))
        ranked = sorted(
            (
                ArticleHit(
                    hit.article,
                    round(
                        hit.score
                        * (1.5 if product is not None and hit.article.product == product else 1.0)
                        * (1.2 if hit.article.category == ticket.category else 1.0),
                        6,
                    ),
                )
                for hit in hits
            ),
            key=lambda hit: (-hit.score, hit.article.id),
        )
        return ranked[:count]

    def suggest_replies(
        self,
        ticket: Ticket,
        *,
        policy: SlaPolicy | None = None,
        language: str | None = None,
        limit: int = 5,
    ) -> list[ReplySuggestion]:
        """Reply templates for ``ticket``, rendered for it, best first (beside :meth:`suggest`).

        See :meth:`ReplyTemplates.suggest <aftersales.service.reply_templates.ReplyTemplates.suggest>`:
        the ticket's category first, then its channel, then text relevance;
        ``{due_at}`` is the ticket's next due time under ``policy``.

        Example:
            >>> from aftersales.testing.samples import sample_ticket
            >>> KnowledgeBase().suggest_replies(sample_ticket())
            []
        """
        return self.replies.suggest(ticket, policy=policy, language=language, limit=limit)

    def _articles(self, hits: Iterable[Any]) -> list[ArticleHit]:
        found = []
        for hit in hits:
            article = self.store.get_article(hit.id)
            if article.status is ArticleStatus.PUBLISHED:  # an index lagging behind the store
                found.append(ArticleHit(article, hit.score))
        return found

    # -- use counting ------------------------------------------------------------------

    def record_use(
        self,
        article_id: str,
        *,
        ticket_id: str,
        by: str,
        helpful: bool = True,
        at: datetime | None = None,
    ) -> ArticleUse:
        """Count one use of an article on a ticket (``helpful``: it solved the problem)."""
        article = self.store.get_article(article_id)
        use = ArticleUse(
            article_id=article_id,
            ticket_id=ticket_id,
            by=by,
            at=self._now(at),
            helpful=helpful,
            article_version=article.version,
        )
        self.store.save_use(use)
        return use

    def usage(
        self, *, start: datetime | None = None, end: datetime | None = None
    ) -> list[ArticleUsage]:
        """Uses per article in ``[start, end)`` (default: all time), most used first.

        Example:
            >>> KnowledgeBase().usage()
            []
        """
        lower = None if start is None else check.aware(start, "start")
        upper = None if end is None else check.aware(end, "end")
        uses = [
            u
            for u in self.store.find_uses()
            if (lower is None or u.at >= lower) and (upper is None or u.at < upper)
        ]
        counts = Counter(u.article_id for u in uses)
        helpful = Counter(u.article_id for u in uses if u.helpful)
        tickets: dict[str, set[str]] = {}
        for u in uses:
            tickets.setdefault(u.article_id, set()).add(u.ticket_id)
        rows = [
            ArticleUsage(
                article_id,
                self.store.get_article(article_id).title,
                counts[article_id],
                helpful[article_id],
                len(tickets[article_id]),
            )
            for article_id in counts
        ]
        return sorted(rows, key=lambda r: (-r.uses, -r.helpful, r.article_id))


def _title(product: str | None, description: str) -> str:
    first = description.strip().splitlines()[0][:60]
    return f"{product}: {first}" if product else first
