"""Knowledge articles (知识库条目): the refined solution of a problem, versioned.

Example:
    >>> import pendulum
    >>> at = pendulum.datetime(2024, 5, 20, 10, tz="Asia/Shanghai")
    >>> article = KnowledgeArticle(
    ...     id="KB-1", title="A型智能办公设备频繁死机", symptoms="开机后频繁死机,约每小时一次",
    ...     root_cause="内存模块接触不良", solution_steps=("断电后重新插拔内存条", "仍死机则更换内存"),
    ...     category="product_quality", product="A型智能办公设备", tags=("死机", "内存"),
    ...     created_at=at, created_by="李工")
    >>> article.status.label_zh, article.version
    ('草稿', 1)
    >>> article.publish(by="王经理", at=at.add(hours=1)).status.label_zh
    '已发布'
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

import attrs
import pendulum

from aftersales import _checks as check
from aftersales.errors import InvalidArticleTransition, InvalidData
from aftersales.knowledge.index import IndexDocument
from aftersales.vocab import ProblemCategory, RootCauseCategory, _Labelled

__all__ = [
    "REVISABLE_FIELDS",
    "ArticleStatus",
    "ArticleUse",
    "InvalidArticleTransition",
    "KnowledgeArticle",
    "index_document",
]


class ArticleStatus(_Labelled):
    """Where an article stands: draft, published (searchable) or retired.

    Example:
        >>> ArticleStatus.RETIRED.label_zh
        '已停用'
    """

    DRAFT = ("draft", "草稿")
    PUBLISHED = ("published", "已发布")
    RETIRED = ("retired", "已停用")


#: What each article command may do: ``(command, from status) → to status``.
_MOVES: dict[tuple[str, ArticleStatus], ArticleStatus] = {
    ("publish", ArticleStatus.DRAFT): ArticleStatus.PUBLISHED,
    ("revise", ArticleStatus.DRAFT): ArticleStatus.DRAFT,
    ("revise", ArticleStatus.PUBLISHED): ArticleStatus.PUBLISHED,
    ("retire", ArticleStatus.DRAFT): ArticleStatus.RETIRED,
    ("retire", ArticleStatus.PUBLISHED): ArticleStatus.RETIRED,
}

#: The fields :meth:`KnowledgeArticle.revise` may change.
REVISABLE_FIELDS: tuple[str, ...] = (
    "title",
    "symptoms",
    "root_cause",
    "solution_steps",
    "category",
    "product",
    "tags",
    "root_cause_category",
    "source_ticket_ids",
)


def _tags(value: Any, name: str) -> tuple[str, ...]:
    tags: tuple[str, ...] = check.tuple_of(check.text)(value, name)
    cleaned = tuple(dict.fromkeys(t.strip() for t in tags))
    return tags if cleaned == tags else cleaned


def _ids(value: Any, name: str) -> tuple[str, ...]:
    ids: tuple[str, ...] = check.tuple_of(check.identifier)(value, name)
    unique = tuple(dict.fromkeys(ids))
    return ids if unique == ids else unique


@attrs.frozen(slots=True, kw_only=True)
class KnowledgeArticle:
    """One knowledge-base article: symptoms, root cause, solution steps, and where it came from.

    ``version`` grows by one with every change (publish, revise, retire); a
    store keeps every version. Only published articles are searchable.

    Example:
        >>> import pendulum
        >>> at = pendulum.datetime(2024, 5, 20, 10, tz="Asia/Shanghai")
        >>> a = KnowledgeArticle(id="KB-2", title="t", symptoms="s", root_cause="r",
        ...     solution_steps=(), category="consultation", created_at=at, created_by="李工")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: solution_steps: is empty; accepted: at least one item
    """

    id: str
    title: str
    symptoms: str
    root_cause: str
    solution_steps: tuple[str, ...]
    category: ProblemCategory
    created_at: pendulum.DateTime
    created_by: str
    product: str | None = None
    tags: tuple[str, ...] = ()
    root_cause_category: RootCauseCategory | None = None
    source_ticket_ids: tuple[str, ...] = ()
    status: ArticleStatus = ArticleStatus.DRAFT
    version: int = 1
    updated_at: pendulum.DateTime | None = None
    updated_by: str | None = None
    change_note: str = ""

    _checks: ClassVar[check.Checks] = (
        ("id", check.identifier),
        ("title", check.text),
        ("symptoms", check.text),
        ("root_cause", check.text),
        ("solution_steps", check.tuple_of(check.text, non_empty=True)),
        ("category", check.term(ProblemCategory)),
        ("created_at", check.aware),
        ("created_by", check.text),
        ("product", check.optional_name),
        ("tags", _tags),
        ("root_cause_category", check.optional(check.term(RootCauseCategory))),
        ("source_ticket_ids", _ids),
        ("status", check.member(ArticleStatus)),
        ("version", check.integer(1)),
        ("updated_at", check.optional_aware),
        ("updated_by", check.optional_name),
        ("change_note", check.optional_text),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)
        if self.updated_at is not None and self.updated_at < self.created_at:
            message = f"{self.updated_at.isoformat()} is before created_at; accepted: a later time"
            raise InvalidData(f"updated_at: {message}", problems=[("updated_at", message)])

    @property
    def last_changed_at(self) -> pendulum.DateTime:
        """``updated_at``, or ``created_at`` for a first version."""
        return self.updated_at if self.updated_at is not None else self.created_at

    def allowed_commands(self) -> tuple[str, ...]:
        """The commands allowed in the current status, sorted."""
        return tuple(sorted(c for c, s in _MOVES if s is self.status))

    def _next(
        self, command: str, by: str, at: datetime, note: str, **changes: Any
    ) -> KnowledgeArticle:
        target = _MOVES.get((command, self.status))
        if target is None:
            raise InvalidArticleTransition(self.id, self.status, command, self.allowed_commands())
        stamp = check.aware(at, "at")
        if stamp < self.last_changed_at:
            message = (
                f"{stamp.isoformat()} is before the last change at "
                f"{self.last_changed_at.isoformat()}; accepted: that time or later"
            )
            raise InvalidData(f"at: {message}", problems=[("at", message)])
        return attrs.evolve(
            self,
            status=target,
            version=self.version + 1,
            updated_at=stamp,
            updated_by=by,
            change_note=note,
            **changes,
        )

    def publish(self, *, by: str, at: datetime, note: str = "") -> KnowledgeArticle:
        """draft → published (searchable)."""
        return self._next("publish", by, at, note)

    def retire(self, *, by: str, at: datetime, reason: str) -> KnowledgeArticle:
        """draft / published → retired (no longer searchable); the reason is kept."""
        return self._next("retire", by, at, check.text(reason, "reason"))

    def revise(self, *, by: str, at: datetime, note: str = "", **changes: Any) -> KnowledgeArticle:
        """A new version with some of :data:`REVISABLE_FIELDS` changed (status unchanged).

        Example:
            >>> import pendulum
            >>> at = pendulum.datetime(2024, 5, 20, 10, tz="Asia/Shanghai")
            >>> a = KnowledgeArticle(id="KB-3", title="t", symptoms="s", root_cause="r",
            ...     solution_steps=("step",), category="consultation", created_at=at,
            ...     created_by="李工")
            >>> a.revise(by="王", at=at, tags=("新",)).tags
            ('新',)
            >>> a.revise(by="王", at=at, status="published")
            Traceback (most recent call last):
            ...
            aftersales.errors.InvalidData: status: cannot be revised; accepted: title, symptoms, root_cause, solution_steps, category, product, tags, root_cause_category, source_ticket_ids
        """
        unknown = [name for name in changes if name not in REVISABLE_FIELDS]
        if unknown:
            message = f"cannot be revised; accepted: {', '.join(REVISABLE_FIELDS)}"
            raise InvalidData.from_problems([(name, message) for name in unknown])
        if not changes:
            message = f"nothing to revise; accepted: one or more of {', '.join(REVISABLE_FIELDS)}"
            raise InvalidData(f"changes: {message}", problems=[("changes", message)])
        return self._next("revise", by, at, note, **changes)

    def search_text(self) -> tuple[str, str]:
        """What an index reads: ``(boosted text, body text)``.

        The boosted part (title, tags, product, symptoms) weighs twice.

        Example:
            >>> import pendulum
            >>> a = KnowledgeArticle(id="KB-4", title="空调不制冷", symptoms="出风不凉",
            ...     root_cause="缺氟", solution_steps=("检漏", "补氟"), category="product_quality",
            ...     created_at=pendulum.datetime(2024, 5, 1, tz="UTC"), created_by="李工")
            >>> a.search_text()
            ('空调不制冷\\n出风不凉', '缺氟\\n检漏\\n补氟')
        """
        boosted = "\n".join(
            [self.title, *self.tags, *([self.product] if self.product else []), self.symptoms]
        )
        body = "\n".join([self.root_cause, *self.solution_steps])
        return boosted, body


@attrs.frozen(slots=True, kw_only=True)
class ArticleUse:
    """One use of an article on a ticket (counted so reports can show which knowledge helps).

    Example:
        >>> import pendulum
        >>> ArticleUse(article_id="KB-1", ticket_id="T9", by="李工",
        ...            at=pendulum.datetime(2024, 6, 1, tz="UTC"), helpful=True).helpful
        True
    """

    article_id: str
    ticket_id: str
    by: str
    at: pendulum.DateTime
    helpful: bool = True
    article_version: int | None = None

    _checks: ClassVar[check.Checks] = (
        ("article_id", check.identifier),
        ("ticket_id", check.identifier),
        ("by", check.text),
        ("at", check.aware),
        ("helpful", check.flag),
        ("article_version", check.optional(check.integer(1))),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)


def index_document(article: KnowledgeArticle) -> IndexDocument:
    """The :class:`IndexDocument` of an article (filters: product model, category code).

    Example:
        >>> import pendulum
        >>> a = KnowledgeArticle(id="KB-4", title="空调不制冷", symptoms="出风不凉",
        ...     root_cause="缺氟", solution_steps=("补氟",), category="product_quality",
        ...     product="KFR-35", created_at=pendulum.datetime(2024, 5, 1, tz="UTC"),
        ...     created_by="李工")
        >>> index_document(a).category
        'product_quality'
    """
    boosted, body = article.search_text()
    return IndexDocument(
        id=article.id,
        text=body,
        boost=boosted,
        product=article.product,
        category=article.category.code,
    )
