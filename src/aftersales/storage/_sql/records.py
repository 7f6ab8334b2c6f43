"""The SQL adapters' root causes, improvement actions, knowledge articles and follow-ups.

Private: :class:`RecordTables` is a base of :class:`~aftersales.storage._sql.store.SQLStore`
that implements :class:`~aftersales.storage.ports.ImprovementStore`,
:class:`~aftersales.storage.ports.ArticleStore` and
:class:`~aftersales.storage.ports.FollowUpStore` on the tables of migration 4. Each
row holds the object's JSON (:func:`aftersales.serialization.to_json`) in
``data`` plus the columns its queries filter and order on; the JSON is what is
read back, the columns are only an index. Objects edited concurrently carry a
``version`` column and are saved with a conditional ``UPDATE … WHERE id = ?
AND version = ?``: no row matched means the version moved on, and the store
raises :class:`~aftersales.ConcurrencyError` having written nothing. The
queries are those of :mod:`aftersales.storage._record_queries`, which the
memory stores run too.
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
from aftersales.followup.tasks import FollowUpTask
from aftersales.improvement.actions import ImprovementAction
from aftersales.improvement.analysis import RootCause
from aftersales.improvement.lifecycle import ActionStatus
from aftersales.knowledge.article import ArticleStatus, ArticleUse, KnowledgeArticle
from aftersales.serialization import from_dict, parse_json, to_json
from aftersales.storage import _record_queries as queries
from aftersales.storage._sql.integrity import row_name
from aftersales.storage._sql.schema import insert_sql
from aftersales.storage.save_checks import (
    check_action_save,
    check_article_save,
    check_followup_save,
)
from aftersales.vocabulary import Vocabulary

__all__ = ["RecordTables"]

T = TypeVar("T")


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


#: The columns of the versioned record tables, ``id`` first, in the order of their rows.
_ACTION_COLUMNS = ("id", "version", "status", "cause_id", "owner", "due_at", "data")
_ARTICLE_COLUMNS = ("id", "version", "status", "product", "category", "data")
_FOLLOWUP_COLUMNS = ("id", "version", "customer_id", "due_at", "done", "data")
#: What an error calls a row of each versioned table.
_NAMES = {
    "improvement_actions": "improvement action",
    "knowledge_articles": "knowledge article",
    "followups": "follow-up",
}


class RecordTables:
    """Root causes, improvement actions, knowledge articles and follow-ups in SQL tables.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> from aftersales.testing.contracts import make_action
        >>> store = SQLiteStore(":memory:")
        >>> store.save_action(make_action("IA-1"), expected_version=0)
        >>> [a.id for a in store.find_actions(open_only=True)]
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

    def _write(self, write: Callable[..., None], *args: Any) -> None:
        """``write(cur, *args)`` in one transaction (in a savepoint inside a unit of work)."""
        with self._writing() as cur:
            write(cur, *args)

    def _select(self, query: queries.RecordQuery, columns: str) -> list[Any]:
        """The rows of ``query`` (see :mod:`aftersales.storage._record_queries`)."""
        return self._rows(*query.sql(columns, false=self.false_literal, time=self._ts))

    # -- root causes ---------------------------------------------------------------------

    def save_root_cause(self, cause: RootCause) -> None:
        """See :meth:`~aftersales.storage.ports.ImprovementStore.save_root_cause`.

        Replaces the row and its ``root_cause_tickets`` links in one transaction.
        """
        self._write(self._save_root_cause, cause)

    def _save_root_cause(self, cur: Any, cause: RootCause) -> None:
        check.instance_of(RootCause)(cause, "cause")
        row = (cause.id, cause.department, cause.category.code, to_json(cause))
        self._upsert(cur, "root_causes", ("id", "department", "category", "data"), row)
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
        where = row_name("root_causes", (cause_id,), "id")
        cause = self._read_as(RootCause, where, data)
        _expect(where, cause.id, cause_id, "root cause")
        return cause

    def get_root_cause(self, cause_id: str) -> RootCause:
        """See :meth:`~aftersales.storage.ports.ImprovementStore.get_root_cause`."""
        rows = self._rows("SELECT id, data FROM root_causes WHERE id = ?", (cause_id,))
        if not rows:
            raise NotFound("root cause", cause_id)
        return self._decode_root_cause(*rows[0])

    def find_root_causes(
        self, *, department: str | None = None, ticket_id: str | None = None
    ) -> list[RootCause]:
        """See :meth:`~aftersales.storage.ports.ImprovementStore.find_root_causes`.

        ``ticket_id`` reads the index ``root_cause_tickets_ticket``, then the
        causes by primary key.
        """
        query = queries.root_causes_query(department=department, ticket_id=ticket_id)
        rows = self._select(query, "id, data")
        return [self._decode_root_cause(*row) for row in rows]

    # -- improvement actions -------------------------------------------------------------

    def save_action(self, action: ImprovementAction, *, expected_version: int) -> None:
        """See :meth:`~aftersales.storage.ports.ImprovementStore.save_action`."""
        self._write(self._save_action, action, expected_version)

    def _save_action(self, cur: Any, action: ImprovementAction, expected_version: int) -> None:
        expected = check_action_save(action, expected_version)
        row = (
            action.id,
            action.version,
            action.status.value,
            action.cause_id,
            action.owner,
            self._ts(action.due_at),
            to_json(action),
        )
        if expected == 0:
            self._insert(cur, "improvement_actions", _ACTION_COLUMNS, row, "improvement action")
        else:
            self._update(cur, "improvement_actions", _ACTION_COLUMNS, row, expected)

    # -- versioned rows ------------------------------------------------------------------

    def _insert(
        self, cur: Any, table: str, columns: tuple[str, ...], row: tuple[Any, ...], what: str
    ) -> None:
        """Insert ``row`` (its first column the ``id``); ``DuplicateId`` of ``what`` when taken."""
        cur.execute(self._sql(f"{insert_sql(table, columns)} ON CONFLICT (id) DO NOTHING"), row)
        if cur.rowcount != 1:
            raise DuplicateId(what, row[0])

    def _upsert(self, cur: Any, table: str, columns: tuple[str, ...], row: tuple[Any, ...]) -> None:
        """Insert ``row`` (its first column the ``id``), or replace the row of that id."""
        updates = ", ".join(f"{name} = excluded.{name}" for name in columns[1:])
        cur.execute(
            self._sql(f"{insert_sql(table, columns)} ON CONFLICT (id) DO UPDATE SET {updates}"),
            row,
        )

    def _update(
        self,
        cur: Any,
        table: str,
        columns: tuple[str, ...],
        row: tuple[Any, ...],
        expected: int,
        *,
        missing: str | None = None,
    ) -> None:
        """Replace the row ``row[0]`` whose version is ``expected`` with ``row``.

        ``ConcurrencyError`` when no row has that version (``NotFound`` of
        ``missing``, when given, if there is no row at all).
        """
        assignments = ", ".join(f"{name} = ?" for name in columns[1:])
        cur.execute(
            self._sql(f"UPDATE {table} SET {assignments} WHERE id = ? AND version = ?"),
            (*row[1:], row[0], expected),
        )
        if cur.rowcount == 1:
            return
        cur.execute(self._sql(f"SELECT version FROM {table} WHERE id = ?"), (row[0],))
        found = cur.fetchone()
        actual = None if found is None else int(found[0])
        if actual is None and missing is not None:
            raise NotFound(missing, row[0])
        raise ConcurrencyError(_NAMES[table], row[0], expected=expected, actual=actual)

    def _decode_action(self, action_id: str, version: int, data: Any) -> ImprovementAction:
        where = row_name("improvement_actions", (action_id,), "id")
        action = self._read_as(ImprovementAction, where, data)
        _expect(where, action.id, action_id, "improvement action")
        _expect(where, action.version, version, "version")
        return action

    def get_action(self, action_id: str) -> ImprovementAction:
        """See :meth:`~aftersales.storage.ports.ImprovementStore.get_action`."""
        rows = self._rows(
            "SELECT id, version, data FROM improvement_actions WHERE id = ?", (action_id,)
        )
        if not rows:
            raise NotFound("improvement action", action_id)
        return self._decode_action(*rows[0])

    def find_actions(
        self,
        *,
        status: ActionStatus | None = None,
        cause_id: str | None = None,
        owner: str | None = None,
        open_only: bool = False,
    ) -> list[ImprovementAction]:
        """See :meth:`~aftersales.storage.ports.ImprovementStore.find_actions`."""
        query = queries.actions_query(
            status=status, cause_id=cause_id, owner=owner, open_only=open_only
        )
        rows = self._select(query, "id, version, data")
        return [self._decode_action(*row) for row in rows]

    # -- knowledge articles --------------------------------------------------------------

    def save_article(self, article: KnowledgeArticle, *, expected_version: int) -> None:
        """See :meth:`~aftersales.storage.ports.ArticleStore.save_article`.

        Moves the ``knowledge_articles`` row to the new version and appends it
        to ``knowledge_article_versions``, in one transaction.
        """
        self._write(self._save_article, article, expected_version)

    def _save_article(self, cur: Any, article: KnowledgeArticle, expected_version: int) -> None:
        expected = check_article_save(article, expected_version)
        data = to_json(article)
        row = (
            article.id,
            article.version,
            article.status.value,
            article.product,
            article.category.code,
            data,
        )
        if expected == 0:
            self._insert(cur, "knowledge_articles", _ARTICLE_COLUMNS, row, "knowledge article")
        else:
            self._update(cur, "knowledge_articles", _ARTICLE_COLUMNS, row, expected)
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
            where = row_name(table, (article_id,), "id")
        else:
            where = row_name(table, (article_id, version), "id, version")
        article = self._read_as(KnowledgeArticle, where, data)
        _expect(where, article.id, article_id, "article")
        _expect(where, article.version, version, "version")
        return article

    def get_article(self, article_id: str) -> KnowledgeArticle:
        """See :meth:`~aftersales.storage.ports.ArticleStore.get_article`."""
        rows = self._rows(
            "SELECT id, version, data FROM knowledge_articles WHERE id = ?", (article_id,)
        )
        if not rows:
            raise NotFound("knowledge article", article_id)
        return self._decode_article("knowledge_articles", *rows[0])

    def find_article_versions(self, article_id: str) -> list[KnowledgeArticle]:
        """See :meth:`~aftersales.storage.ports.ArticleStore.find_article_versions`."""
        rows = self._rows(
            "SELECT id, version, data FROM knowledge_article_versions WHERE id = ?"
            " ORDER BY version",
            (article_id,),
        )
        if not rows:
            raise NotFound("knowledge article", article_id)
        return [self._decode_article("knowledge_article_versions", *row) for row in rows]

    def find_articles(
        self,
        *,
        status: ArticleStatus | None = None,
        product: str | None = None,
        category: str | None = None,
    ) -> list[KnowledgeArticle]:
        """See :meth:`~aftersales.storage.ports.ArticleStore.find_articles`."""
        query = queries.articles_query(status=status, product=product, category=category)
        rows = self._select(query, "id, version, data")
        return [self._decode_article("knowledge_articles", *row) for row in rows]

    def save_use(self, use: ArticleUse) -> None:
        """See :meth:`~aftersales.storage.ports.ArticleStore.save_use`."""
        self._write(self._save_use, use)

    def _save_use(self, cur: Any, use: ArticleUse) -> None:
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

    def find_uses(self, article_id: str | None = None) -> list[ArticleUse]:
        """See :meth:`~aftersales.storage.ports.ArticleStore.find_uses`.

        Ordered by ``(at, article_id)``, then in the order they were recorded.
        """
        rows = self._select(queries.uses_query(article_id=article_id), "seq, article_id, data")
        return [self._decode_use(*row) for row in rows]

    def _decode_use(self, seq: int, article_id: str, data: Any) -> ArticleUse:
        where = row_name("knowledge_uses", (seq,), "seq")
        use = self._read_as(ArticleUse, where, data)
        _expect(where, use.article_id, article_id, "a use of article")
        return use

    # -- follow-ups ----------------------------------------------------------------------

    def _followup_row(self, task: FollowUpTask) -> tuple[Any, ...]:
        return (
            task.id,
            task.version,
            task.customer_id,
            self._ts(task.due_at),
            task.done,
            to_json(task),
        )

    def save_followup(self, task: FollowUpTask, *, expected_version: int) -> None:
        """See :meth:`~aftersales.storage.ports.FollowUpStore.save_followup`."""
        self._write(self._save_followup, task, expected_version)

    def _save_followup(self, cur: Any, task: FollowUpTask, expected_version: int) -> None:
        expected = check_followup_save(task, expected_version)
        row = self._followup_row(task)
        if expected == 0:
            self._insert(cur, "followups", _FOLLOWUP_COLUMNS, row, "follow-up")
        else:
            self._update(cur, "followups", _FOLLOWUP_COLUMNS, row, expected, missing="follow-up")

    def _decode_followup(self, task_id: str, version: int, data: Any) -> FollowUpTask:
        where = row_name("followups", (task_id,), "id")
        task = self._read_as(FollowUpTask, where, data)
        _expect(where, task.id, task_id, "follow-up")
        _expect(where, task.version, version, "version")
        return task

    def get_followup(self, task_id: str) -> FollowUpTask:
        """See :meth:`~aftersales.storage.ports.FollowUpStore.get_followup`."""
        rows = self._rows("SELECT id, version, data FROM followups WHERE id = ?", (task_id,))
        if not rows:
            raise NotFound("follow-up", task_id)
        return self._decode_followup(*rows[0])

    def find_followups(
        self,
        *,
        customer_id: str | None = None,
        open_only: bool = False,
        due_before: datetime | None = None,
    ) -> list[FollowUpTask]:
        """See :meth:`~aftersales.storage.ports.FollowUpStore.find_followups`.

        ``open_only`` reads the partial index ``followups_open_due (due_at, id)
        WHERE NOT done``, which also gives the order.
        """
        query = queries.followups_query(
            customer_id=customer_id, open_only=open_only, due_before=due_before
        )
        rows = self._select(query, "id, version, data")
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
