"""Storage port of the installed base a store keeps: units in service per product model.

Part of :mod:`aftersales.storage.ports` (imports the domain only). The
monthly report flags a product batch failure (产品批次故障率超标) when a
model's tickets divided by its units in service cross the failure-rate line
(``KpiOptions.failure_rate_threshold``); the units come from another system
(the ERP, the sales ledger), so the host saves them in the store and every
report of the store reads them. :meth:`InstalledBaseStore.save_installed_base`
sets the units of the models it is given (the others keep theirs), all of
them in one transaction; the checks here are the ones every adapter runs
before writing, so a refusal writes nothing.

Example:
    >>> from aftersales.storage import MemoryStore, SQLiteStore
    >>> isinstance(MemoryStore(), InstalledBaseStore), isinstance(SQLiteStore(":memory:"), InstalledBaseStore)
    (True, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.errors import InvalidData

__all__ = ["InstalledBaseStore", "check_installed_base"]

#: The longest product model name, in characters.
_MODEL_LENGTH = check.MAX_KEY_TEXT


@runtime_checkable
class InstalledBaseStore(Protocol):
    """Units in service per product model (for failure rates).

    Example:
        >>> from aftersales.storage import MemoryStore
        >>> store = MemoryStore()
        >>> store.save_installed_base({"B型扫地机器人": 1500, "A型智能办公设备": 6000})
        >>> store.save_installed_base({"B型扫地机器人": 1600})
        >>> store.find_installed_base()
        {'A型智能办公设备': 6000, 'B型扫地机器人': 1600}
    """

    def save_installed_base(self, units: Mapping[str, int]) -> None:
        """Set the units in service of each product model in ``units`` (others keep theirs).

        Each model is a non-blank text of at most 191 characters, each count an
        integer from 0 to 2,147,483,647; every bad entry is refused at once
        with :class:`~aftersales.errors.InvalidData`, and nothing is written.
        """
        ...

    def find_installed_base(self) -> dict[str, int]:
        """Every stored product model's units in service, in model order."""
        ...


def check_installed_base(units: object) -> dict[str, int]:
    """``units`` as the stores keep it; ``InvalidData`` listing every bad entry otherwise.

    Example:
        >>> check_installed_base({"B型扫地机器人": 1500})
        {'B型扫地机器人': 1500}
        >>> check_installed_base({"": 3, "C型": -1})
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: 2 invalid values:
          units['']: '' is not a product model; accepted: a non-blank text of at most 191 characters
          units['C型']: -1 is out of range; accepted: an integer from 0 to 2147483647
    """
    if not isinstance(units, Mapping):
        message = (
            f"{type(units).__name__} is not a mapping; accepted: a mapping of product models to"
            " units in service, e.g. {'B型扫地机器人': 1500}"
        )
        raise InvalidData(f"units: {message}", problems=[("units", message)])
    problems: list[tuple[str, str]] = []
    for model, count in units.items():
        path = f"units[{shown(model)}]"
        if (
            not isinstance(model, str)
            or not model.strip()
            or len(model) > _MODEL_LENGTH
            or check.text_problem(model) is not None
        ):
            problems.append(
                (
                    path,
                    f"{shown(model)} is not a product model; accepted: a non-blank text of at"
                    f" most {_MODEL_LENGTH} characters",
                )
            )
        try:
            check.integer(0)(count, path)
        except InvalidData as error:
            problems += error.problems
    if problems:
        raise InvalidData.from_problems(problems)
    return dict(units)
