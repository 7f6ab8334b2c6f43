"""Storage port of the reply templates (话术): every version kept, the latest found by where it applies.

Part of :mod:`aftersales.storage.ports` (imports the domain only).
:class:`ReplyTemplateStore` is what :class:`~aftersales.knowledge.ReplyTemplates`
needs; :class:`ReplyTemplateQuery` is the checked filter of
``find_reply_templates``, one description that the memory store runs over
objects (:meth:`ReplyTemplateQuery.admits`) and the SQL stores turn into
``WHERE`` (:mod:`aftersales.storage._sql.templates`); :func:`check_template_save`
is the check of a save's arguments every adapter runs before writing.

Example:
    >>> from aftersales.storage import MemoryStore, SQLiteStore
    >>> isinstance(MemoryStore(), ReplyTemplateStore)
    True
    >>> isinstance(SQLiteStore(":memory:"), ReplyTemplateStore)
    True
"""

from __future__ import annotations

from typing import Any, Protocol, cast, runtime_checkable

import attrs

from aftersales import _checks as check
from aftersales.errors import InvalidData
from aftersales.knowledge.reply_templates import LANGUAGES, ReplyTemplate

__all__ = ["ReplyTemplateQuery", "ReplyTemplateStore", "check_template_save"]


@runtime_checkable
class ReplyTemplateStore(Protocol):
    """Reply templates with their version history.

    Example:
        >>> from aftersales.storage import MemoryReplyTemplateStore
        >>> isinstance(MemoryReplyTemplateStore(), ReplyTemplateStore)
        True
    """

    def save_reply_template(self, template: ReplyTemplate, *, expected_version: int) -> None:
        """Store a new version of ``template``; the stored version must be ``expected_version``.

        ``expected_version`` 0 means a new template (``DuplicateId`` when the
        code is taken); otherwise ``ConcurrencyError`` when the stored latest
        version differs (also when there is none). ``template.version`` must be
        ``expected_version + 1`` (``InvalidData`` otherwise). Every version
        stays readable through :meth:`find_reply_template_versions`. Nothing is
        written on error.
        """
        ...

    def get_reply_template(self, code: str) -> ReplyTemplate:
        """The latest version; ``NotFound`` when there is none."""
        ...

    def find_reply_template_versions(self, code: str) -> list[ReplyTemplate]:
        """Every stored version, oldest first; ``NotFound`` when there is none."""
        ...

    def find_reply_templates(
        self,
        *,
        category: str | None = None,
        channel: str | None = None,
        language: str | None = None,
        include_retired: bool = False,
    ) -> list[ReplyTemplate]:
        """The latest versions passing :class:`ReplyTemplateQuery` of the arguments, by code.

        ``InvalidData`` for an argument of the wrong kind, before anything is read.
        """
        ...


def _code(value: Any, name: str) -> str | None:
    return None if value is None else check.text(value, name)


@attrs.frozen(slots=True, kw_only=True)
class ReplyTemplateQuery:
    """The filter of ``find_reply_templates``, checked: which latest versions it admits.

    ``category`` and ``channel`` (codes) admit the templates that apply to
    them: of that category (channel) or of every one (``None`` on the
    template); ``language`` (``"zh"``/``"en"``) admits that language; a
    retired template only with ``include_retired``. A filter left ``None``
    admits everything.

    Example:
        >>> import pendulum
        >>> t = ReplyTemplate(code="t", title="t", body="b", author="a", channel="phone",
        ...     updated_at=pendulum.datetime(2024, 5, 1, tz="UTC"))
        >>> ReplyTemplateQuery.of(channel="phone").admits(t), ReplyTemplateQuery.of(channel="email").admits(t)
        (True, False)
        >>> ReplyTemplateQuery.of(language="fr")
        Traceback (most recent call last):
        ...
        aftersales.errors.UnknownValue: language: 'fr' is not a known value; accepted: 'zh', 'en'
    """

    category: str | None = None
    channel: str | None = None
    language: str | None = None
    include_retired: bool = False

    @classmethod
    def of(
        cls,
        *,
        category: object = None,
        channel: object = None,
        language: object = None,
        include_retired: object = False,
    ) -> ReplyTemplateQuery:
        """The query of ``find_reply_templates``' arguments; ``InvalidData`` naming a bad one."""
        check.run_checks_on(
            {
                "category": (category, _code),
                "channel": (channel, _code),
                "language": (language, check.optional(check.member_of(LANGUAGES))),
                "include_retired": (include_retired, check.flag),
            }
        )
        return cls(
            category=category,  # type: ignore[arg-type]
            channel=channel,  # type: ignore[arg-type]
            language=language,  # type: ignore[arg-type]
            include_retired=include_retired,  # type: ignore[arg-type]
        )

    def admits(self, template: ReplyTemplate) -> bool:
        """True when ``template`` (a latest version) passes every filter."""
        return (
            (self.include_retired or not template.retired)
            and (self.language is None or template.language == self.language)
            and (
                self.category is None
                or template.category is None
                or template.category.code == self.category
            )
            and (
                self.channel is None
                or template.channel is None
                or template.channel.code == self.channel
            )
        )


def check_template_save(template: object, expected_version: object) -> int:
    """Check a ``save_reply_template``: the version right after ``expected_version``; that version.

    Example:
        >>> import pendulum
        >>> t = ReplyTemplate(code="t", title="t", body="b", author="a",
        ...     updated_at=pendulum.datetime(2024, 5, 1, tz="UTC"))
        >>> check_template_save(t, 1)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: template.version: 1 does not follow expected_version 1; accepted: 2
    """
    check.run_checks_on(
        {
            "template": (template, check.instance_of(ReplyTemplate)),
            "expected_version": (expected_version, check.integer(0)),
        }
    )
    version: int = cast(ReplyTemplate, template).version
    expected: int = cast(int, expected_version)
    if version != expected + 1:
        message = f"{version} does not follow expected_version {expected}; accepted: {expected + 1}"
        raise InvalidData(f"template.version: {message}", problems=[("template.version", message)])
    return expected
