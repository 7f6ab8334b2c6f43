"""The reply templates service: add, revise, retire, read every version, render and suggest for a ticket.

:class:`ReplyTemplates` ties a :class:`~aftersales.storage.ports.ReplyTemplateStore`
(every version kept) to a clock. It renders a template for a ticket with the
ticket's next SLA due time when it is given an SLA policy, and suggests the
live templates that suit a ticket, rendered, best first
(:meth:`ReplyTemplates.suggest`). A :class:`~aftersales.KnowledgeBase` has one
as ``kb.replies``; ``kb.suggest_replies(ticket)`` is its ``suggest``.

**The order of suggestions.** Only live templates of the ticket's category
or of every category, of its channel or of every channel (and of the
language asked for, if any) are candidates. They come:

1. a template written for the ticket's category before one for every category;
2. then one written for its channel before one for every channel;
3. then by text relevance: Okapi BM25 (:class:`~aftersales.knowledge.Bm25Index`,
   the default index of the articles, the same tokenizer) of the template's
   title (counted twice) and body against the ticket's description, impact,
   customer's words and product model, built over the candidates at each
   call: a company has tens or hundreds of templates, not the thousands of
   articles a persistent index is for;
4. then the most recently changed first, then by code.

Example:
    >>> import pendulum
    >>> from aftersales import FixedClock
    >>> from aftersales.testing.samples import sample_ticket
    >>> replies = ReplyTemplates(clock=FixedClock(pendulum.datetime(2024, 5, 20, 9, tz="UTC")))
    >>> _ = replies.add("ack", title="受理确认", body="{customer_name}您好,工单 {ticket_id} 已受理。",
    ...                 by="王经理")
    >>> [s.reply.text for s in replies.suggest(sample_ticket())]
    ['XX科技有限公司您好,工单 T202405001 已受理。']
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import attrs
import pendulum

from aftersales import _checks as check
from aftersales.errors import CalendarError
from aftersales.knowledge.index import Bm25Index, IndexDocument
from aftersales.knowledge.replies import RenderedReply, render_reply
from aftersales.knowledge.reply_templates import LANGUAGES, ReplyTemplate
from aftersales.model.ticket import Ticket
from aftersales.service.timing import query_instant
from aftersales.sla import SlaPolicy
from aftersales.storage.memory.templates import MemoryReplyTemplateStore
from aftersales.storage.ports.templates import ReplyTemplateStore
from aftersales.time import Clock, SystemClock
from aftersales.vocab import Channel, ProblemCategory

__all__ = ["ReplySuggestion", "ReplyTemplates"]


@attrs.frozen(slots=True)
class ReplySuggestion:
    """A template suggested for a ticket: the template, its reply rendered for the ticket, its score.

    ``score`` is the text relevance (0 when the ticket's text shares nothing
    with the template); the order of a list of suggestions also weighs the
    category and the channel (see :mod:`aftersales.service.reply_templates`).

    Example:
        >>> ReplySuggestion.__name__
        'ReplySuggestion'
    """

    template: ReplyTemplate
    reply: RenderedReply
    score: float


class ReplyTemplates:
    """Reply templates (话术): add, revise, retire, read every version, render, suggest.

    Args:
        store: where the templates live (default: a new
            :class:`~aftersales.storage.MemoryReplyTemplateStore`); a
            ``MemoryStore``, ``SQLiteStore`` or ``PostgresStore`` is one.
        clock: where "now" comes from when a call gets no ``at=``.

    Example:
        >>> import pendulum
        >>> from aftersales import FixedClock
        >>> replies = ReplyTemplates(clock=FixedClock(pendulum.datetime(2024, 5, 20, tz="UTC")))
        >>> first = replies.add("ack", title="受理", body="您好 {customer_name}", by="王")
        >>> second = replies.revise("ack", by="李", body="{customer_name} 您好")
        >>> [(t.version, t.author) for t in replies.history("ack")]
        [(1, '王'), (2, '李')]
    """

    def __init__(
        self, store: ReplyTemplateStore | None = None, *, clock: Clock | None = None
    ) -> None:
        check.run_checks_on(
            {
                "store": (
                    store,
                    check.optional(
                        check.protocol(ReplyTemplateStore, "a store with save_reply_template()")
                    ),
                ),
                "clock": (clock, check.optional(check.protocol(Clock, "an object with now()"))),
            }
        )
        self.store: ReplyTemplateStore = MemoryReplyTemplateStore() if store is None else store
        self.clock: Clock = SystemClock() if clock is None else clock

    def _now(self, at: datetime | None) -> pendulum.DateTime:
        return self.clock.now() if at is None else check.aware(at, "at")

    # -- writing ---------------------------------------------------------------------

    def add(
        self,
        code: str,
        *,
        title: str,
        body: str,
        by: str,
        language: str = "zh",
        category: ProblemCategory | str | None = None,
        channel: Channel | str | None = None,
        at: datetime | None = None,
    ) -> ReplyTemplate:
        """Store version 1 of a new template; ``DuplicateId`` when ``code`` is taken.

        Everything is checked first (the body's placeholders among them), and
        nothing is stored on an error.
        """
        check.text(by, "by")
        template = ReplyTemplate(
            code=code,
            title=title,
            body=body,
            author=by,
            updated_at=self._now(at),
            language=language,  # type: ignore[arg-type]  # checked by the template
            category=category,  # type: ignore[arg-type]
            channel=channel,  # type: ignore[arg-type]
        )
        self.store.save_reply_template(template, expected_version=0)
        return template

    def revise(
        self, code: str, *, by: str, at: datetime | None = None, **changes: Any
    ) -> ReplyTemplate:
        """Store the next version of ``code`` with ``changes`` (title, body, language, category, channel).

        Changes that change nothing are refused (``InvalidData``), so every
        version differs from the one before. A retired template comes back
        with ``retired=False``.
        """
        current = self.store.get_reply_template(code)
        revised = current.revise(by=by, at=self._now(at), **changes)
        self.store.save_reply_template(revised, expected_version=current.version)
        return revised

    def retire(self, code: str, *, by: str, at: datetime | None = None) -> ReplyTemplate:
        """Store a retired version of ``code``: kept and readable, no longer suggested."""
        current = self.store.get_reply_template(code)
        retired = current.retire(by=by, at=self._now(at))
        self.store.save_reply_template(retired, expected_version=current.version)
        return retired

    # -- reading ---------------------------------------------------------------------

    def get(self, code: str) -> ReplyTemplate:
        """The latest version of ``code``; ``NotFound`` when there is none."""
        return self.store.get_reply_template(code)

    def history(self, code: str) -> list[ReplyTemplate]:
        """Every version of ``code``, oldest first; ``NotFound`` when there is none."""
        return self.store.find_reply_template_versions(code)

    def find(
        self,
        *,
        category: ProblemCategory | str | None = None,
        channel: Channel | str | None = None,
        language: str | None = None,
        include_retired: bool = False,
    ) -> list[ReplyTemplate]:
        """The latest versions that suit ``category`` and ``channel`` (codes, labels or terms), by code.

        Example:
            >>> ReplyTemplates().find(category="产品质量")
            []
        """
        check.run_checks_on(
            {
                "category": (category, check.optional(check.term(ProblemCategory))),
                "channel": (channel, check.optional(check.term(Channel))),
            }
        )
        return self.store.find_reply_templates(
            category=None if category is None else ProblemCategory.get(category).code,
            channel=None if channel is None else Channel.get(channel).code,
            language=language,
            include_retired=include_retired,
        )

    # -- for a ticket ----------------------------------------------------------------

    def due_at(
        self, ticket: Ticket, policy: SlaPolicy | None, at: datetime | None = None
    ) -> pendulum.DateTime | None:
        """The ticket's next SLA due time under ``policy`` at ``at`` (default: now), in its calendar's zone.

        ``None`` without a policy, when no clock runs (a closed ticket), or
        when the calendar cannot say (a year it has no holidays for).
        """
        check.run_checks_on(
            {
                "ticket": (ticket, check.instance_of(Ticket)),
                "policy": (policy, check.optional(check.instance_of(SlaPolicy))),
            }
        )
        read_at = query_instant(self.clock, at)
        if policy is None:
            return None
        try:
            due = policy.evaluate(ticket, read_at).next_due
        except CalendarError:
            return None
        return None if due is None else due.in_tz(policy.calendar.tz)

    def render(
        self,
        code: str,
        ticket: Ticket,
        *,
        policy: SlaPolicy | None = None,
        at: datetime | None = None,
    ) -> RenderedReply:
        """The latest version of ``code`` rendered for ``ticket`` (``{due_at}`` under ``policy``)."""
        due = self.due_at(ticket, policy, at)
        return render_reply(self.store.get_reply_template(code), ticket, due_at=due)

    def suggest(
        self,
        ticket: Ticket,
        *,
        policy: SlaPolicy | None = None,
        language: str | None = None,
        limit: int = 5,
        at: datetime | None = None,
    ) -> list[ReplySuggestion]:
        """Live templates that suit ``ticket``, rendered for it, best first (see the module).

        ``language`` keeps one language (``"zh"``/``"en"``); ``limit`` is 1 to
        1000. ``{due_at}`` is the ticket's next due time under ``policy``.
        """
        check.run_checks_on(
            {
                "ticket": (ticket, check.instance_of(Ticket)),
                "language": (language, check.optional(check.member_of(LANGUAGES))),
                "limit": (limit, check.integer(1, 1000)),
            }
        )
        candidates = self.store.find_reply_templates(
            category=ticket.category.code, channel=ticket.channel.code, language=language
        )
        due = self.due_at(ticket, policy, at)
        scores = _relevance(candidates, ticket)
        ranked = sorted(
            candidates,
            key=lambda t: (
                t.category is None,
                t.channel is None,
                -scores.get(t.code, 0.0),
                -t.updated_at.timestamp(),
                t.code,
            ),
        )
        return [
            ReplySuggestion(t, render_reply(t, ticket, due_at=due), scores.get(t.code, 0.0))
            for t in ranked[:limit]
        ]


def _relevance(templates: Sequence[ReplyTemplate], ticket: Ticket) -> dict[str, float]:
    """The BM25 score of each template's title and body against the ticket's text, by code."""
    index = Bm25Index()
    for template in templates:
        boosted, body = template.search_text()
        index.add(IndexDocument(template.code, body, boost=boosted))
    text = "\n".join(
        part
        for part in (
            ticket.description,
            ticket.impact,
            ticket.customer_words,
            ticket.product_model or "",
        )
        if part
    )
    hits = index.search(text, limit=min(1000, max(1, len(templates))))
    return {hit.id: hit.score for hit in hits}
