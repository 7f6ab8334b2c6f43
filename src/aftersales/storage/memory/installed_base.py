"""The memory adapter's installed base: a dictionary of units by product model behind a lock.

Private: a base of :class:`~aftersales.storage.memory.MemoryStore`, the
reference the SQL stores are held to by the contract suite
(:mod:`aftersales.testing.contracts.installed_base`).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

from aftersales.storage.ports.installed_base import check_installed_base

__all__ = ["MemoryInstalledBase"]


class MemoryInstalledBase:
    """:class:`~aftersales.storage.InstalledBaseStore` in memory; thread-safe.

    Example:
        >>> store = MemoryInstalledBase()
        >>> store.save_installed_base({"B型扫地机器人": 1500})
        >>> store.find_installed_base()
        {'B型扫地机器人': 1500}
    """

    _installed_lock = threading.Lock()

    def _installed_rows(self) -> dict[str, int]:
        rows: dict[str, int] | None = getattr(self, "_installed_units", None)
        if rows is None:
            with self._installed_lock:
                rows = getattr(self, "_installed_units", None)
                if rows is None:
                    rows = {}
                    self._installed_units = rows
        return rows

    def save_installed_base(self, units: Mapping[str, int]) -> None:
        """See :meth:`~aftersales.storage.InstalledBaseStore.save_installed_base`."""
        checked = check_installed_base(units)
        rows = self._installed_rows()
        with self._installed_lock:
            rows.update(checked)

    def find_installed_base(self) -> dict[str, int]:
        """See :meth:`~aftersales.storage.InstalledBaseStore.find_installed_base`."""
        rows = self._installed_rows()
        with self._installed_lock:
            return {model: rows[model] for model in sorted(rows)}
