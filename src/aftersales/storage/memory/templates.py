"""The memory adapter's reply templates: every version of each, in a dictionary behind a lock.

:class:`MemoryReplyTemplateStore` stands alone (the default store of
:class:`~aftersales.knowledge.ReplyTemplates`) and is a base of
:class:`~aftersales.storage.memory.MemoryStore`; it is the reference the SQL
stores are held to by the contract suite
(:mod:`aftersales.testing.contracts.templates`).
"""

from __future__ import annotations

import threading

from aftersales import _checks as check
from aftersales.errors import ConcurrencyError, DuplicateId, NotFound
from aftersales.knowledge.reply_templates import ReplyTemplate
from aftersales.storage.ports.templates import ReplyTemplateQuery, check_template_save

__all__ = ["MemoryReplyTemplateStore"]

_WHAT = "reply template"


class MemoryReplyTemplateStore:
    """:class:`~aftersales.storage.ports.ReplyTemplateStore` in memory; thread-safe.

    Example:
        >>> import pendulum
        >>> store = MemoryReplyTemplateStore()
        >>> first = ReplyTemplate(code="ack", title="受理", body="您好 {customer_name}",
        ...     author="王", updated_at=pendulum.datetime(2024, 5, 1, tz="UTC"))
        >>> store.save_reply_template(first, expected_version=0)
        >>> store.save_reply_template(first.retire(by="王", at=first.updated_at), expected_version=1)
        >>> [t.retired for t in store.find_reply_template_versions("ack")], store.find_reply_templates()
        ([False, True], [])
    """

    _templates_lock = threading.Lock()

    def _template_versions(self) -> dict[str, list[ReplyTemplate]]:
        table: dict[str, list[ReplyTemplate]] | None = getattr(self, "_template_rows", None)
        if table is None:
            with self._templates_lock:
                table = getattr(self, "_template_rows", None)
                if table is None:
                    table = {}
                    self._template_rows = table
        return table

    def save_reply_template(self, template: ReplyTemplate, *, expected_version: int) -> None:
        """See :meth:`~aftersales.storage.ports.ReplyTemplateStore.save_reply_template`."""
        expected = check_template_save(template, expected_version)
        table = self._template_versions()
        with self._templates_lock:
            versions = table.get(template.code)
            if expected == 0 and versions is not None:
                raise DuplicateId(_WHAT, template.code)
            actual = None if versions is None else versions[-1].version
            if expected != 0 and actual != expected:
                raise ConcurrencyError(_WHAT, template.code, expected=expected, actual=actual)
            table.setdefault(template.code, []).append(template)

    def get_reply_template(self, code: str) -> ReplyTemplate:
        """See :meth:`~aftersales.storage.ports.ReplyTemplateStore.get_reply_template`."""
        return self.find_reply_template_versions(code)[-1]

    def find_reply_template_versions(self, code: str) -> list[ReplyTemplate]:
        """See :meth:`~aftersales.storage.ports.ReplyTemplateStore.find_reply_template_versions`."""
        check.text(code, "code")
        table = self._template_versions()
        with self._templates_lock:
            versions = table.get(code)
            if versions is None:
                raise NotFound(_WHAT, code)
            return list(versions)

    def find_reply_templates(
        self,
        *,
        category: str | None = None,
        channel: str | None = None,
        language: str | None = None,
        include_retired: bool = False,
    ) -> list[ReplyTemplate]:
        """See :meth:`~aftersales.storage.ports.ReplyTemplateStore.find_reply_templates`."""
        query = ReplyTemplateQuery.of(
            category=category, channel=channel, language=language, include_retired=include_retired
        )
        table = self._template_versions()
        with self._templates_lock:
            latest = [table[code][-1] for code in sorted(table)]
        return [template for template in latest if query.admits(template)]
