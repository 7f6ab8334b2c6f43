"""The memory adapter's adopted SLA policies: every version, behind a lock.

Private: a base of :class:`~aftersales.storage.memory.MemoryStore`, the
reference the SQL stores are held to by the contract suite
(:mod:`aftersales.testing.contracts.policies`).
"""

from __future__ import annotations

import threading
from datetime import datetime

import pendulum

from aftersales.sla.policy_document import PolicyDocument
from aftersales.storage.ports.policies import PolicyVersion, check_adoption, in_force

__all__ = ["MemoryPolicies"]


class MemoryPolicies:
    """:class:`~aftersales.storage.ports.PolicyStore` in memory.

    Example:
        >>> from aftersales.testing.samples import sample_policy_document
        >>> store = MemoryPolicies()
        >>> store.adopt_policy(sample_policy_document(), pendulum.datetime(2026, 12, 1))
        1
        >>> [v.version for v in store.policy_versions()]
        [1]
    """

    _policies_lock = threading.Lock()

    def _policy_rows(self) -> list[PolicyVersion]:
        rows: list[PolicyVersion] | None = getattr(self, "_policy_versions", None)
        if rows is None:
            with self._policies_lock:
                rows = getattr(self, "_policy_versions", None)
                if rows is None:
                    rows = []
                    self._policy_versions = rows
        return rows

    def adopt_policy(
        self, document: PolicyDocument, effective_from: datetime, *, note: str = ""
    ) -> int:
        """See :meth:`~aftersales.storage.ports.PolicyStore.adopt_policy`."""
        checked, when, text = check_adoption(document, effective_from, note)
        rows = self._policy_rows()
        with self._policies_lock:
            version = len(rows) + 1
            rows.append(
                PolicyVersion(
                    version=version,
                    document=checked,
                    effective_from=when,
                    adopted_at=pendulum.now("UTC"),
                    note=text,
                )
            )
        return version

    def policy_versions(self) -> list[PolicyVersion]:
        """See :meth:`~aftersales.storage.ports.PolicyStore.policy_versions`."""
        rows = self._policy_rows()
        with self._policies_lock:
            return list(rows)

    def policy_in_force(self, at: datetime) -> PolicyVersion | None:
        """See :meth:`~aftersales.storage.ports.PolicyStore.policy_in_force`."""
        return in_force(self.policy_versions(), at)
