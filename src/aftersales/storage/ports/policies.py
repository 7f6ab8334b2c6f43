"""Storage port of the SLA policies a store has adopted: every version, each from an instant.

Part of :mod:`aftersales.storage.ports` (imports the domain only). Operations
staff adopt a policy file (``aftersales sla policy load FILE --db DB --from
2026-12-01``); the store keeps every adopted
:class:`~aftersales.sla.policy_document.PolicyDocument` under a version
number (1, 2, …, in adoption order) with the instant it takes effect, when
it was adopted and a note. :meth:`PolicyStore.policy_in_force` is the
version a ticket registered at an instant is judged under: of the versions
in effect by then, the one taking effect latest (a later adoption wins a
tie). Nothing is ever rewritten: a change is a new version. The checks here
are the ones every adapter runs before writing, so a refusal writes nothing.

Example:
    >>> from aftersales.storage import MemoryStore, SQLiteStore
    >>> isinstance(MemoryStore(), PolicyStore), isinstance(SQLiteStore(":memory:"), PolicyStore)
    (True, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol, runtime_checkable

import attrs
import pendulum

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.errors import InvalidData
from aftersales.sla.policy_document import PolicyDocument

__all__ = ["PolicyStore", "PolicyVersion", "check_adoption", "in_force"]


@attrs.frozen(slots=True, kw_only=True)
class PolicyVersion:
    """One adopted policy: its version, the document, from when, when adopted, and why.

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> from aftersales.testing.samples import sample_policy_document
        >>> store = MemoryStore()
        >>> store.adopt_policy(sample_policy_document(), pendulum.datetime(2026, 12, 1), note="v1")
        1
        >>> store.policy_versions()[0].note
        'v1'
    """

    version: int
    document: PolicyDocument = attrs.field(repr=False)
    effective_from: datetime
    adopted_at: datetime
    note: str = ""


@runtime_checkable
class PolicyStore(Protocol):
    """The SLA policies adopted in a store, by version and effective instant.

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> from aftersales.testing.samples import sample_policy_document
        >>> store = MemoryStore()
        >>> store.adopt_policy(sample_policy_document(), pendulum.datetime(2026, 12, 1))
        1
        >>> store.policy_in_force(pendulum.datetime(2026, 11, 30)) is None
        True
        >>> store.policy_in_force(pendulum.datetime(2026, 12, 2)).version
        1
    """

    def adopt_policy(
        self, document: PolicyDocument, effective_from: datetime, *, note: str = ""
    ) -> int:
        """Keep ``document`` as the next version, in force from ``effective_from``; its version.

        ``InvalidData`` (nothing written) for anything but a
        :class:`~aftersales.sla.policy_document.PolicyDocument`, a naive
        ``effective_from`` or a note that is not a text.
        """
        ...

    def policy_versions(self) -> list[PolicyVersion]:
        """Every adopted version, oldest first."""
        ...

    def policy_in_force(self, at: datetime) -> PolicyVersion | None:
        """The version in force at ``at`` (``None``: none yet); ``InvalidData`` for a naive ``at``."""
        ...


def check_adoption(
    document: object, effective_from: object, note: object
) -> tuple[PolicyDocument, pendulum.DateTime, str]:
    """``adopt_policy``'s arguments checked (``effective_from`` in UTC), every problem at once.

    Example:
        >>> check_adoption("policy.toml", None, 3)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: 3 invalid values:
          document: 'policy.toml' is not a PolicyDocument; accepted: one, e.g. from load_policy_file(path)
          effective_from: None is not a datetime; accepted: an aware datetime
          note: int is not a text; accepted: valid Unicode text without NUL characters
    """
    problems: list[tuple[str, str]] = []
    if not isinstance(document, PolicyDocument):
        message = (
            f"{shown(document)} is not a PolicyDocument; accepted: one, e.g. from"
            " load_policy_file(path)"
        )
        problems.append(("document", message))
    when = None
    try:
        when = check.aware(effective_from, "effective_from")
    except InvalidData as error:
        problems.extend(error.problems)
    try:
        text = check.optional_text(note, "note")
    except InvalidData as error:
        problems.extend(error.problems)
    if problems:
        raise InvalidData.from_problems(problems)
    assert isinstance(document, PolicyDocument)
    assert when is not None
    return document, when, text


def in_force(versions: Iterable[PolicyVersion], at: object) -> PolicyVersion | None:
    """Of ``versions``, the one in force at ``at``: taking effect latest by then, then adopted last.

    Example:
        >>> in_force([], pendulum.datetime(2026, 12, 1)) is None
        True
    """
    when = check.aware(at, "at")
    found = None
    for version in versions:
        if version.effective_from <= when and (
            found is None
            or (version.effective_from, version.version) > (found.effective_from, found.version)
        ):
            found = version
    return found
