"""The SQL adapters' reply templates: the table ``reply_templates``, one row per version.

Private: :class:`ReplyTemplateTables` is a base of
:class:`~aftersales.storage._sql.store.SQLStore`. Migration 13 adds
``reply_templates (code, version, category, channel, language, retired,
updated_at, data)``, primary key ``(code, version)``: a version is appended,
never updated, and the latest version of a code is the one with the highest
``version``. ``data`` is the template's JSON
(:func:`aftersales.serialization.to_json`), what is read back; the other
columns are what :class:`~aftersales.storage.ports.templates.ReplyTemplateQuery`
filters on. A save reads the latest version and inserts the next one with
``ON CONFLICT (code, version) DO NOTHING``: of two writers that read the same
version, the second inserts nothing and gets a
:class:`~aftersales.ConcurrencyError`. ``check_integrity()`` names a row that
cannot be read back as the version of its code, and a code whose versions
are not 1, 2, … without a gap.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from aftersales import _checks as check
from aftersales.errors import ConcurrencyError, DuplicateId, NotFound, StorageError
from aftersales.knowledge.reply_templates import ReplyTemplate
from aftersales.serialization import to_json
from aftersales.storage._sql.integrity import row_name
from aftersales.storage._sql.schema import insert_sql
from aftersales.storage.ports.templates import ReplyTemplateQuery, check_template_save

__all__ = ["REPLY_TEMPLATES_VERSION", "ReplyTemplateTables", "template_filters"]

#: The schema version that brings the table ``reply_templates``.
REPLY_TEMPLATES_VERSION = 13

T = TypeVar("T")

_WHAT = "reply template"
_COLUMNS = ("code", "version", "category", "channel", "language", "retired", "updated_at", "data")
_LATEST = (
    "SELECT code, version, data FROM reply_templates AS t WHERE version ="
    " (SELECT max(version) FROM reply_templates AS v WHERE v.code = t.code)"
)


def template_filters(query: ReplyTemplateQuery, false: str) -> tuple[str, list[Any]]:
    """The SQL conditions of ``query`` (``?`` placeholders) and their parameters.

    ``false`` is the dialect's literal for a false boolean.

    Example:
        >>> template_filters(ReplyTemplateQuery.of(category="consultation", language="zh"), "0")
        (' AND retired = 0 AND language = ? AND (category IS NULL OR category = ?)', ['zh', 'consultation'])
    """
    sql = "" if query.include_retired else f" AND retired = {false}"
    params: list[Any] = []
    if query.language is not None:
        sql += " AND language = ?"
        params.append(query.language)
    for column in ("category", "channel"):
        value = getattr(query, column)
        if value is not None:
            sql += f" AND ({column} IS NULL OR {column} = ?)"
            params.append(value)
    return sql, params


class ReplyTemplateTables:
    """:class:`~aftersales.storage.ports.ReplyTemplateStore` on the table ``reply_templates``.

    Example:
        >>> import pendulum
        >>> from aftersales.storage import SQLiteStore
        >>> store = SQLiteStore(":memory:")
        >>> first = ReplyTemplate(code="ack", title="受理", body="您好 {customer_name}",
        ...     author="王", updated_at=pendulum.datetime(2024, 5, 1, tz="UTC"))
        >>> store.save_reply_template(first, expected_version=0)
        >>> second = first.revise(by="李", at=first.updated_at, body="{customer_name} 您好")
        >>> store.save_reply_template(second, expected_version=1)
        >>> store.get_reply_template("ack").body, len(store.find_reply_template_versions("ack"))
        ('{customer_name} 您好', 2)
    """

    #: SQL literal for "false" in a boolean column (the dialect sets it).
    false_literal: ClassVar[str] = "0"
    where: str = "store"

    # -- what SQLStore and the dialects provide -----------------------------------------

    def _reading(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _writing(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _sql(self, text: str) -> str:
        raise NotImplementedError

    def _ts(self, value: datetime | None) -> Any:
        raise NotImplementedError

    if TYPE_CHECKING:

        def _read_as(self, cls: type[T], where: str, data: Any) -> T:
            """The record tables' decoder (:class:`~aftersales.storage._sql.records.RecordTables`)."""
            ...

    # -- the port ------------------------------------------------------------------------

    def save_reply_template(self, template: ReplyTemplate, *, expected_version: int) -> None:
        """See :meth:`~aftersales.storage.ports.ReplyTemplateStore.save_reply_template`; one transaction."""
        expected = check_template_save(template, expected_version)
        row = (
            template.code,
            template.version,
            None if template.category is None else template.category.code,
            None if template.channel is None else template.channel.code,
            template.language,
            template.retired,
            self._ts(template.updated_at),
            to_json(template),
        )
        with self._writing() as cur:
            cur.execute(
                self._sql("SELECT max(version) FROM reply_templates WHERE code = ?"),
                (template.code,),
            )
            found = cur.fetchone()[0]
            actual = None if found is None else int(found)
            if expected == 0 and actual is not None:
                raise DuplicateId(_WHAT, template.code)
            if expected != 0 and actual != expected:
                raise ConcurrencyError(_WHAT, template.code, expected=expected, actual=actual)
            cur.execute(
                self._sql(
                    f"{insert_sql('reply_templates', _COLUMNS)} ON CONFLICT (code, version) DO NOTHING"
                ),
                row,
            )
            if cur.rowcount != 1:  # another writer stored this version since the read
                if expected == 0:
                    raise DuplicateId(_WHAT, template.code)
                raise ConcurrencyError(
                    _WHAT, template.code, expected=expected, actual=template.version
                )

    def get_reply_template(self, code: str) -> ReplyTemplate:
        """See :meth:`~aftersales.storage.ports.ReplyTemplateStore.get_reply_template`."""
        check.text(code, "code")
        rows = self._template_rows(f"{_LATEST} AND code = ?", [code])
        if not rows:
            raise NotFound(_WHAT, code)
        return self._decode_template(*rows[0])

    def find_reply_template_versions(self, code: str) -> list[ReplyTemplate]:
        """See :meth:`~aftersales.storage.ports.ReplyTemplateStore.find_reply_template_versions`."""
        check.text(code, "code")
        rows = self._template_rows(
            "SELECT code, version, data FROM reply_templates WHERE code = ? ORDER BY version",
            [code],
        )
        if not rows:
            raise NotFound(_WHAT, code)
        return [self._decode_template(*row) for row in rows]

    def find_reply_templates(
        self,
        *,
        category: str | None = None,
        channel: str | None = None,
        language: str | None = None,
        include_retired: bool = False,
    ) -> list[ReplyTemplate]:
        """See :meth:`~aftersales.storage.ports.ReplyTemplateStore.find_reply_templates`.

        The filters read the latest version's columns, so a template whose
        older version matched is not found.
        """
        query = ReplyTemplateQuery.of(
            category=category, channel=channel, language=language, include_retired=include_retired
        )
        conditions, params = template_filters(query, self.false_literal)
        rows = self._template_rows(f"{_LATEST}{conditions} ORDER BY code", params)
        return [self._decode_template(*row) for row in rows]

    # -- reading rows ---------------------------------------------------------------------

    def _template_rows(self, sql: str, params: list[Any]) -> list[Any]:
        with self._reading() as cur:
            cur.execute(self._sql(sql), params)
            return list(cur.fetchall())

    def _decode_template(self, code: str, version: int, data: Any) -> ReplyTemplate:
        """The template a row holds; ``StorageError`` naming the row when it holds another."""
        where = row_name("reply_templates", (code, version), "code, version")
        template = self._read_as(ReplyTemplate, where, data)
        if (template.code, template.version) != (code, version):
            raise StorageError(
                f"{where}: holds version {template.version} of {template.code!r};"
                " accepted: the template of the row's own code and version"
            )
        return template

    def _reply_template_problems(self) -> list[str]:
        """Each row of ``reply_templates`` that cannot be read back, each code with a gap."""
        rows = self._template_rows(
            "SELECT code, version, data FROM reply_templates ORDER BY code, version", []
        )
        problems: list[str] = []
        versions: dict[str, list[int]] = {}
        for code, version, data in rows:
            versions.setdefault(code, []).append(int(version))
            try:
                self._decode_template(code, version, data)
            except StorageError as error:
                problems.append(str(error))
        problems += [
            f"reply_templates rows of {code!r}: versions {found} are not 1 to {len(found)}"
            for code, found in versions.items()
            if found != list(range(1, len(found) + 1))
        ]
        return problems
