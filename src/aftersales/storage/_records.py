"""The SQL adapters' root causes, improvement actions, knowledge articles and follow-ups.

Private: :class:`RecordTables` is a base of :class:`~aftersales.storage._sql.SQLStore`
that implements :class:`~aftersales.improvement.ImprovementStore`,
:class:`~aftersales.knowledge.ArticleStore` and
:class:`~aftersales.followup.FollowUpStore` on the tables of migration 4. Each
row holds the object's JSON (:func:`aftersales.serialization.to_json`) in
``data`` plus the columns its queries filter and order on; the JSON is what is
read back, the columns are only an index. Objects edited concurrently carry a
``version`` column and are saved with a conditional ``UPDATE … WHERE id = ?
AND version = ?``: no row matched means the version moved on, and the store
raises :class:`~aftersales.ConcurrencyError` having written nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Set
from contextlib import AbstractContextManager
from datetime import datetime
from functools import partial
from typing import Any, ClassVar, TypeVar

from aftersales import _checks as check
from aftersales.errors import (
    ConcurrencyError,
    DuplicateId,
    InvalidData,
    NotFound,
    StorageError,
    UnsupportedSchemaVersion,
)
from aftersales.followup import FollowUpTask
from aftersales.improvement.actions import ImprovementAction
from aftersales.improvement.analysis import RootCause
from aftersales.improvement.lifecycle import ActionStatus
from aftersales.knowledge.article import ArticleStatus, ArticleUse, KnowledgeArticle
from aftersales.serialization import from_dict, parse_json, to_json
from aftersales.vocabulary import Vocabulary

__all__ = ["RecordTables"]

T = TypeVar("T")

_OPEN_ACTIONS = tuple(status.value for status in ActionStatus if status.is_open)


def _row_name(table: str, key: tuple[Any, ...], names: str) -> str:
    if len(key) == 1:
        return f"{table} row {key[0]!r}"
    pairs = ", ".join(
        f"{name}={value!r}" for name, value in zip(names.split(", "), key, strict=True)
    )
    return f"{table} row ({pairs})"


def _decode(cls: type[T], where: str, data: Any) -> T:
    """``data`` (JSON text, or what the driver made of it) as a ``cls``; ``StorageError`` naming ``where``."""
    try:
        parsed = parse_json(data) if isinstance(data, str | bytes) else data
        return from_dict(cls, parsed)
    except UnsupportedSchemaVersion as error:
        raise StorageError(f"{where}: {error}") from error
    except (ValueError, TypeError, InvalidData) as error:
        raise StorageError(f"{where}: unreadable: {error}") from error


def _expect(where: str, found: object, wanted: object, what: str) -> None:
    if found != wanted:
        raise StorageError(f"{where}: holds {what} {found!r}, not {wanted!r}")


class RecordTables:
    """Root causes, improvement actions, knowledge articles and follow-ups in SQL tables.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> from aftersales.improvement.contract import make_action
        >>> store = SQLiteStore(":memory:")
        >>> store.save_action(make_action("IA-1"), expected_version=0)
        >>> [a.id for a in store.actions(open_only=True)]
        ['IA-1']
    """

    #: SQL literal for "false" in a boolean column (must match the partial indexes).
    false_literal: ClassVar[str] = "0"
    where: str = "store"
    vocabulary: Vocabulary

    # -- what SQLStore provides ---------------------------------------------------------

    def _reading(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _writing(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _sql(self, text: str) -> str:
        raise NotImplementedError

    def _ts(self, value: datetime | None) -> Any:
        raise NotImplementedError

    def _read_as(self, cls: type[T], where: str, data: Any) -> T:
        """``data`` decoded as a ``cls`` under the store's vocabulary (see :func:`_decode`)."""
        with self.vocabulary.active():
            return _decode(cls, where, data)

    def _rows(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[Any]:
        with self._reading() as cur:
            cur.execute(self._sql(sql), params)
            return list(cur.fetchall())

    # -- root causes ---------------------------------------------------------------------

    def save_root_cause(self, cause: RootCause) -> None:
        """See :meth:`~aftersales.improvement.ImprovementStore.save_root_cause`.

        Replaces the row and its ``root_cause_tickets`` links in one transaction.
        """
        with self._writing() as cur:
            self._save_root_cause(cur, cause)

    def _save_root_cause(self, cur: Any, cause: RootCause) -> None:
        check.instance_of(RootCause)(cause, "cause")
        cur.execute(
            self._sql(
                "INSERT INTO root_causes (id, department, category, data) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET department = excluded.department,"
                " category = excluded.category, data = excluded.data"
            ),
            (cause.id, cause.department, cause.category.code, to_json(cause)),
        )
        cur.execute(
            self._sql("DELETE FROM root_cause_tickets WHERE root_cause_id = ?"), (cause.id,)
        )
        if cause.ticket_ids:
            cur.executemany(
                self._sql(
                    "INSERT INTO root_cause_tickets (root_cause_id, ticket_id) VALUES (?, ?)"
                ),
                [(cause.id, ticket_id) for ticket_id in cause.ticket_ids],
            )

    def _decode_root_cause(self, cause_id: str, data: Any) -> RootCause:
        where = _row_name("root_causes", (cause_id,), "id")
        cause = self._read_as(RootCause, where, data)
        _expect(where, cause.id, cause_id, "root cause")
        return cause

    def get_root_cause(self, cause_id: str) -> RootCause:
        """See :meth:`~aftersales.improvement.ImprovementStore.get_root_cause`."""
        rows = self._rows("SELECT id, data FROM root_causes WHERE id = ?", (cause_id,))
        if not rows:
            raise NotFound("root cause", cause_id)
        return self._decode_root_cause(*rows[0])

    def root_causes(self, *, department: str | None = None) -> list[RootCause]:
        """See :meth:`~aftersales.improvement.ImprovementStore.root_causes`."""
        if department is None:
            rows = self._rows("SELECT id, data FROM root_causes ORDER BY id")
        else:
            rows = self._rows(
                "SELECT id, data FROM root_causes WHERE department = ? ORDER BY id", (department,)
            )
        return [self._decode_root_cause(*row) for row in rows]

    def root_causes_for_ticket(self, ticket_id: str) -> list[RootCause]:
        """See :meth:`~aftersales.improvement.ImprovementStore.root_causes_for_ticket`.

        Reads the index ``root_cause_tickets_ticket``, then the causes by primary key.
        """
        rows = self._rows(
            "SELECT c.id, c.data FROM root_cause_tickets AS l"
            " JOIN root_causes AS c ON c.id = l.root_cause_id"
            " WHERE l.ticket_id = ? ORDER BY c.id",
            (ticket_id,),
        )
        return [self._decode_root_cause(*row) for row in rows]

    # -- improvement actions -------------------------------------------------------------

    def save_action(self, action: ImprovementAction, *, expected_version: int) -> None:
        """See :meth:`~aftersales.improvement.ImprovementStore.save_action`."""
        with self._writing() as cur:
            self._save_action(cur, action, expected_version)

    def _save_action(self, cur: Any, action: ImprovementAction, expected_version: int) -> None:
        check.instance_of(ImprovementAction)(action, "action")
        expected = check.integer(0)(expected_version, "expected_version")
        if action.version <= expected:
            message = (
                f"{action.version} is not newer than expected_version {expected};"
                f" accepted: a version above {expected}"
            )
            raise InvalidData(f"action.version: {message}", problems=[("action.version", message)])
        row = (
            action.version,
            action.status.value,
            action.cause_id,
            action.owner,
            self._ts(action.due_at),
            to_json(action),
        )
        if expected == 0:
            cur.execute(
                self._sql(
                    "INSERT INTO improvement_actions"
                    " (id, version, status, cause_id, owner, due_at, data)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
                ),
                (action.id, *row),
            )
            if cur.rowcount != 1:
                raise DuplicateId("improvement action", action.id)
            return
        cur.execute(
            self._sql(
                "UPDATE improvement_actions SET version = ?, status = ?, cause_id = ?, owner = ?,"
                " due_at = ?, data = ? WHERE id = ? AND version = ?"
            ),
            (*row, action.id, expected),
        )
        if cur.rowcount != 1:
            actual = self._version_of(cur, "improvement_actions", action.id)
            raise ConcurrencyError(
                "improvement action", action.id, expected=expected, actual=actual
            )

    def _version_of(self, cur: Any, table: str, key: str) -> int | None:
        cur.execute(self._sql(f"SELECT version FROM {table} WHERE id = ?"), (key,))
        found = cur.fetchone()
        return None if found is None else int(found[0])

    def _decode_action(self, action_id: str, version: int, data: Any) -> ImprovementAction:
        where = _row_name("improvement_actions", (action_id,), "id")
        action = self._read_as(ImprovementAction, where, data)
        _expect(where, action.id, action_id, "improvement action")
        _expect(where, action.version, version, "version")
        return action

    def get_action(self, action_id: str) -> ImprovementAction:
        """See :meth:`~aftersales.improvement.ImprovementStore.get_action`."""
        rows = self._rows(
            "SELECT id, version, data FROM improvement_actions WHERE id = ?", (action_id,)
        )
        if not rows:
            raise NotFound("improvement action", action_id)
        return self._decode_action(*rows[0])

    def actions(
        self,
        *,
        status: ActionStatus | None = None,
        cause_id: str | None = None,
        owner: str | None = None,
        open_only: bool = False,
    ) -> list[ImprovementAction]:
        """See :meth:`~aftersales.improvement.ImprovementStore.actions`."""
        wanted = None if status is None else check.member(ActionStatus)(status, "status")
        clauses, params = _equal_to(
            ("status", None if wanted is None else wanted.value),
            ("cause_id", cause_id),
            ("owner", owner),
        )
        if open_only:
            clauses.append(f"status IN ({', '.join('?' * len(_OPEN_ACTIONS))})")
            params.extend(_OPEN_ACTIONS)
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        rows = self._rows(
            f"SELECT id, version, data FROM improvement_actions{where} ORDER BY due_at, id", params
        )
        return [self._decode_action(*row) for row in rows]

    # -- knowledge articles --------------------------------------------------------------

    def save_article(self, article: KnowledgeArticle, *, expected_version: int) -> None:
        """See :meth:`~aftersales.knowledge.ArticleStore.save_article`.

        Moves the ``knowledge_articles`` row to the new version and appends it
        to ``knowledge_article_versions``, in one transaction.
        """
        with self._writing() as cur:
            self._save_article(cur, article, expected_version)

    def _save_article(self, cur: Any, article: KnowledgeArticle, expected_version: int) -> None:
        check.instance_of(KnowledgeArticle)(article, "article")
        expected = check.integer(0)(expected_version, "expected_version")
        if article.version != expected + 1:
            message = f"{article.version} does not follow {expected}; accepted: {expected + 1}"
            raise InvalidData(
                f"article.version: {message}", problems=[("article.version", message)]
            )
        data = to_json(article)
        row = (article.version, article.status.value, article.product, article.category.code, data)
        if expected == 0:
            cur.execute(
                self._sql(
                    "INSERT INTO knowledge_articles (id, version, status, product, category, data)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
                ),
                (article.id, *row),
            )
            if cur.rowcount != 1:
                raise DuplicateId("knowledge article", article.id)
        else:
            cur.execute(
                self._sql(
                    "UPDATE knowledge_articles SET version = ?, status = ?, product = ?,"
                    " category = ?, data = ? WHERE id = ? AND version = ?"
                ),
                (*row, article.id, expected),
            )
            if cur.rowcount != 1:
                actual = self._version_of(cur, "knowledge_articles", article.id)
                raise ConcurrencyError(
                    "knowledge article", article.id, expected=expected, actual=actual
                )
        cur.execute(
            self._sql(
                "INSERT INTO knowledge_article_versions (id, version, data) VALUES (?, ?, ?)"
            ),
            (article.id, article.version, data),
        )

    def _decode_article(
        self, table: str, article_id: str, version: int, data: Any
    ) -> KnowledgeArticle:
        if table == "knowledge_articles":
            where = _row_name(table, (article_id,), "id")
        else:
            where = _row_name(table, (article_id, version), "id, version")
        article = self._read_as(KnowledgeArticle, where, data)
        _expect(where, article.id, article_id, "article")
        _expect(where, article.version, version, "version")
        return article

    def get_article(self, article_id: str) -> KnowledgeArticle:
        """See :meth:`~aftersales.knowledge.ArticleStore.get_article`."""
        rows = self._rows(
            "SELECT id, version, data FROM knowledge_articles WHERE id = ?", (article_id,)
        )
        if not rows:
            raise NotFound("knowledge article", article_id)
        return self._decode_article("knowledge_articles", *rows[0])

    def article_versions(self, article_id: str) -> list[KnowledgeArticle]:
        """See :meth:`~aftersales.knowledge.ArticleStore.article_versions`."""
        rows = self._rows(
            "SELECT id, version, data FROM knowledge_article_versions WHERE id = ?"
            " ORDER BY version",
            (article_id,),
        )
        if not rows:
            raise NotFound("knowledge article", article_id)
        return [self._decode_article("knowledge_article_versions", *row) for row in rows]

    def articles(
        self,
        *,
        status: ArticleStatus | None = None,
        product: str | None = None,
        category: str | None = None,
    ) -> list[KnowledgeArticle]:
        """See :meth:`~aftersales.knowledge.ArticleStore.articles`."""
        wanted = None if status is None else check.member(ArticleStatus)(status, "status")
        code = getattr(category, "code", category)
        clauses, params = _equal_to(
            ("status", None if wanted is None else wanted.value),
            ("product", product),
            ("category", code),
        )
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        rows = self._rows(
            f"SELECT id, version, data FROM knowledge_articles{where} ORDER BY id", params
        )
        return [self._decode_article("knowledge_articles", *row) for row in rows]

    def record_use(self, use: ArticleUse) -> None:
        """See :meth:`~aftersales.knowledge.ArticleStore.record_use`."""
        with self._writing() as cur:
            self._record_use(cur, use)

    def _record_use(self, cur: Any, use: ArticleUse) -> None:
        check.instance_of(ArticleUse)(use, "use")
        cur.execute(self._sql("SELECT 1 FROM knowledge_articles WHERE id = ?"), (use.article_id,))
        if cur.fetchone() is None:
            raise NotFound("knowledge article", use.article_id)
        cur.execute(
            self._sql(
                "INSERT INTO knowledge_uses (article_id, ticket_id, at, data) VALUES (?, ?, ?, ?)"
            ),
            (use.article_id, use.ticket_id, self._ts(use.at), to_json(use)),
        )

    def uses(self, article_id: str | None = None) -> list[ArticleUse]:
        """See :meth:`~aftersales.knowledge.ArticleStore.uses`.

        Ordered by ``(at, article_id)``, then in the order they were recorded.
        """
        sql = "SELECT seq, article_id, data FROM knowledge_uses"
        params: tuple[Any, ...] = ()
        if article_id is not None:
            sql += " WHERE article_id = ?"
            params = (article_id,)
        rows = self._rows(sql + " ORDER BY at, article_id, seq", params)
        return [self._decode_use(*row) for row in rows]

    def _decode_use(self, seq: int, article_id: str, data: Any) -> ArticleUse:
        where = _row_name("knowledge_uses", (seq,), "seq")
        use = self._read_as(ArticleUse, where, data)
        _expect(where, use.article_id, article_id, "a use of article")
        return use

    # -- follow-ups ----------------------------------------------------------------------

    def add_followup(self, task: FollowUpTask) -> None:
        """See :meth:`~aftersales.followup.FollowUpStore.add_followup`."""
        with self._writing() as cur:
            self._add_followup(cur, task)

    def _followup_row(self, task: FollowUpTask) -> tuple[Any, ...]:
        return (task.version, task.customer_id, self._ts(task.due_at), task.done, to_json(task))

    def _add_followup(self, cur: Any, task: FollowUpTask) -> None:
        check.instance_of(FollowUpTask)(task, "task")
        cur.execute(
            self._sql(
                "INSERT INTO followups (id, version, customer_id, due_at, done, data)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
            ),
            (task.id, *self._followup_row(task)),
        )
        if cur.rowcount != 1:
            raise DuplicateId("follow-up", task.id)

    def save_followup(self, task: FollowUpTask, *, expected_version: int) -> None:
        """See :meth:`~aftersales.followup.FollowUpStore.save_followup`."""
        with self._writing() as cur:
            self._save_followup(cur, task, expected_version)

    def _save_followup(self, cur: Any, task: FollowUpTask, expected_version: int) -> None:
        check.instance_of(FollowUpTask)(task, "task")
        expected = check.integer(1)(expected_version, "expected_version")
        if task.version <= expected:
            message = f"{task.version} is not newer than {expected}; accepted: above {expected}"
            raise InvalidData(f"task.version: {message}", problems=[("task.version", message)])
        cur.execute(
            self._sql(
                "UPDATE followups SET version = ?, customer_id = ?, due_at = ?, done = ?, data = ?"
                " WHERE id = ? AND version = ?"
            ),
            (*self._followup_row(task), task.id, expected),
        )
        if cur.rowcount != 1:
            actual = self._version_of(cur, "followups", task.id)
            if actual is None:
                raise NotFound("follow-up", task.id)
            raise ConcurrencyError("follow-up", task.id, expected=expected, actual=actual)

    def _decode_followup(self, task_id: str, version: int, data: Any) -> FollowUpTask:
        where = _row_name("followups", (task_id,), "id")
        task = self._read_as(FollowUpTask, where, data)
        _expect(where, task.id, task_id, "follow-up")
        _expect(where, task.version, version, "version")
        return task

    def get_followup(self, task_id: str) -> FollowUpTask:
        """See :meth:`~aftersales.followup.FollowUpStore.get_followup`."""
        rows = self._rows("SELECT id, version, data FROM followups WHERE id = ?", (task_id,))
        if not rows:
            raise NotFound("follow-up", task_id)
        return self._decode_followup(*rows[0])

    def followups(
        self,
        *,
        customer_id: str | None = None,
        open_only: bool = False,
        due_before: datetime | None = None,
    ) -> list[FollowUpTask]:
        """See :meth:`~aftersales.followup.FollowUpStore.followups`.

        ``open_only`` reads the partial index ``followups_open_due (due_at, id)
        WHERE NOT done``, which also gives the order.
        """
        limit = None if due_before is None else check.aware(due_before, "due_before")
        clauses, params = _equal_to(("customer_id", customer_id))
        if open_only:
            clauses.append(f"done = {self.false_literal}")
        if limit is not None:
            clauses.append("due_at <= ?")
            params.append(self._ts(limit))
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        rows = self._rows(
            f"SELECT id, version, data FROM followups{where} ORDER BY due_at, id", params
        )
        return [self._decode_followup(*row) for row in rows]

    # -- checks --------------------------------------------------------------------------

    def _record_problems(self, missing: Set[str] = frozenset()) -> list[str]:
        """Every row of the record tables decoded, and their links checked: the problems found.

        The tables in ``missing`` (known not to exist) are left out.
        """
        readers: tuple[tuple[str, str, Callable[..., Any]], ...] = (
            ("root_causes", "id, data", self._decode_root_cause),
            ("improvement_actions", "id, version, data", self._decode_action),
            (
                "knowledge_articles",
                "id, version, data",
                partial(self._decode_article, "knowledge_articles"),
            ),
            (
                "knowledge_article_versions",
                "id, version, data",
                partial(self._decode_article, "knowledge_article_versions"),
            ),
            ("knowledge_uses", "seq, article_id, data", self._decode_use),
            ("followups", "id, version, data", self._decode_followup),
        )
        problems: list[str] = []
        links: dict[str, set[str]] = {}
        linked = not missing & {"root_causes", "root_cause_tickets"}
        if linked:
            for cause_id, ticket_id in self._rows(
                "SELECT root_cause_id, ticket_id FROM root_cause_tickets"
            ):
                links.setdefault(cause_id, set()).add(ticket_id)
        for table, columns, read in readers:
            if table in missing:
                continue
            key = columns.rsplit(", ", 1)[0]
            for row in self._rows(f"SELECT {columns} FROM {table} ORDER BY {key}"):
                try:
                    found = read(*row)
                except StorageError as error:
                    problems.append(str(error))
                    if table == "root_causes":
                        links.pop(row[0], None)
                    continue
                if (
                    linked
                    and table == "root_causes"
                    and set(found.ticket_ids) != links.pop(found.id, set())
                ):
                    problems.append(
                        f"root_cause_tickets rows of root cause {found.id!r} differ from its ticket_ids"
                    )
        problems += [
            f"root_cause_tickets rows of missing root cause {cause_id!r}"
            for cause_id in sorted(links)
        ]
        if missing & {"knowledge_articles", "knowledge_article_versions"}:
            return problems
        problems += [
            f"knowledge_articles row {article_id!r}: version {version} but"
            + (" no row in" if latest is None else f" version {latest} is the latest in")
            + " knowledge_article_versions"
            for article_id, version, latest in self._rows(
                "SELECT a.id, a.version, max(v.version) FROM knowledge_articles AS a"
                " LEFT JOIN knowledge_article_versions AS v ON v.id = a.id"
                " GROUP BY a.id, a.version"
                " HAVING max(v.version) IS NULL OR max(v.version) <> a.version ORDER BY a.id"
            )
        ]
        return problems


def _equal_to(*pairs: tuple[str, Any]) -> tuple[list[str], list[Any]]:
    """``column = ?`` clauses and their parameters for the pairs whose value is given."""
    given = [(column, value) for column, value in pairs if value is not None]
    return [f"{column} = ?" for column, _ in given], [value for _, value in given]
