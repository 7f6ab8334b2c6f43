"""The store methods' names before the naming convention, kept for one release.

Private, a base of every shipped store and unit of work. The ports name
methods ``save_<record>``, ``get_<record>`` and ``find_<records>`` (see
:mod:`aftersales.storage.ports`); each old name here gives the new method
with a :class:`DeprecationWarning` naming both. An old name is present only
where its new method is: a follow-up store has no ``actions``.

Example:
    >>> import warnings
    >>> from aftersales.storage import MemoryFollowUpStore
    >>> store = MemoryFollowUpStore()
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     store.followups()
    []
    >>> print(caught[0].message)
    MemoryFollowUpStore.followups is deprecated and will be removed in the next release; use MemoryFollowUpStore.find_followups
    >>> hasattr(store, "actions")
    False
"""

from __future__ import annotations

from collections.abc import Callable

from aftersales._renamed import renamed_attribute
from aftersales.followup.tasks import FollowUpTask
from aftersales.improvement.analysis import RootCause

__all__ = ["RenamedStoreVerbs"]


def _for_ticket(
    find_root_causes: Callable[..., list[RootCause]],
) -> Callable[[str], list[RootCause]]:
    """``root_causes_for_ticket(ticket_id)`` as it was, from ``find_root_causes``."""

    def root_causes_for_ticket(ticket_id: str) -> list[RootCause]:
        return find_root_causes(ticket_id=ticket_id)

    return root_causes_for_ticket


def _adding(save_followup: Callable[..., None]) -> Callable[[FollowUpTask], None]:
    """``add_followup(task)`` as it was, from ``save_followup``."""

    def add_followup(task: FollowUpTask) -> None:
        save_followup(task, expected_version=0)

    return add_followup


class RenamedStoreVerbs:
    """The old method names of the stores and units of work, each giving its new method.

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> isinstance(MemoryStore(), RenamedStoreVerbs), hasattr(MemoryStore(), "articles")
        (True, False)
    """

    __slots__ = ()

    customers = renamed_attribute("find_customers")
    root_causes = renamed_attribute("find_root_causes")
    root_causes_for_ticket = renamed_attribute(
        "find_root_causes", adapt=_for_ticket, instead="find_root_causes(ticket_id=...)"
    )
    actions = renamed_attribute("find_actions")
    articles = renamed_attribute("find_articles")
    article_versions = renamed_attribute("find_article_versions")
    record_use = renamed_attribute("save_use")
    uses = renamed_attribute("find_uses")
    add_followup = renamed_attribute(
        "save_followup", adapt=_adding, instead="save_followup(task, expected_version=0)"
    )
    followups = renamed_attribute("find_followups")
