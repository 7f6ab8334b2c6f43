"""The SQL adapters' installed base: the table ``installed_base``.

Private: :class:`InstalledBaseTables` is a base of
:class:`~aftersales.storage._sql.store.SQLStore`. Migration 18 adds
``installed_base (product_model, units, updated_at)``, one row per product
model. A save updates the rows of the models it is given and inserts the
others, in one transaction. ``check_integrity()`` names a row whose units
are not an integer (a typed column) or are negative.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

import pendulum

from aftersales.storage._sql.integrity import row_name
from aftersales.storage.ports.installed_base import check_installed_base

__all__ = ["InstalledBaseTables"]


class InstalledBaseTables:
    """:class:`~aftersales.storage.InstalledBaseStore` on the table ``installed_base``.

    Example:
        >>> from aftersales.storage import SQLiteStore
        >>> store = SQLiteStore(":memory:")
        >>> store.save_installed_base({"B型扫地机器人": 1500, "A型智能办公设备": 6000})
        >>> store.find_installed_base()
        {'A型智能办公设备': 6000, 'B型扫地机器人': 1500}
    """

    # -- what SQLStore and the dialects provide -----------------------------------------

    def _reading(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _writing(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _sql(self, text: str) -> str:
        raise NotImplementedError

    def _ts(self, value: datetime | None) -> Any:
        raise NotImplementedError

    # -- the port ------------------------------------------------------------------------

    def save_installed_base(self, units: Mapping[str, int]) -> None:
        """See :meth:`~aftersales.storage.InstalledBaseStore.save_installed_base`; one transaction."""
        checked = check_installed_base(units)
        now = self._ts(pendulum.now("UTC"))
        with self._writing() as cur:
            for model, count in sorted(checked.items()):
                cur.execute(
                    self._sql("SELECT units FROM installed_base WHERE product_model = ?"), (model,)
                )
                if cur.fetchone() is None:
                    cur.execute(
                        self._sql(
                            "INSERT INTO installed_base (product_model, units, updated_at)"
                            " VALUES (?, ?, ?)"
                        ),
                        (model, count, now),
                    )
                else:
                    cur.execute(
                        self._sql(
                            "UPDATE installed_base SET units = ?, updated_at = ?"
                            " WHERE product_model = ?"
                        ),
                        (count, now, model),
                    )

    def find_installed_base(self) -> dict[str, int]:
        """See :meth:`~aftersales.storage.InstalledBaseStore.find_installed_base`."""
        with self._reading() as cur:
            cur.execute("SELECT product_model, units FROM installed_base ORDER BY product_model")
            return {model: int(units) for model, units in cur.fetchall()}

    def _installed_base_problems(self) -> list[str]:
        """Each row of ``installed_base`` whose units are negative."""
        with self._reading() as cur:
            cur.execute(
                "SELECT product_model, units FROM installed_base WHERE units < 0"
                " ORDER BY product_model"
            )
            rows = cur.fetchall()
        return [
            f"{row_name('installed_base', (model,), 'product_model')}: units {units} is negative;"
            " accepted: 0 or more (save_installed_base again)"
            for model, units in rows
        ]
