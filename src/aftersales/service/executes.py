"""The one method the desk's typed command methods stand on: ``execute``, by the command's name.

:class:`ExecutesCommands` declares it once for the mixins that give each
command its typed method (:mod:`~aftersales.service.named_commands`,
:mod:`~aftersales.service.detail_commands`,
:mod:`~aftersales.service.attribute_commands`,
:mod:`~aftersales.service.sla_policy_commands`); the desk implements it.

Example:
    >>> from aftersales import ServiceDesk
    >>> issubclass(ServiceDesk, ExecutesCommands)
    True
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from aftersales.model.ticket import Ticket

__all__ = ["ExecutesCommands"]


class ExecutesCommands(abc.ABC):
    """A base whose typed command methods call :meth:`execute` (see :meth:`aftersales.ServiceDesk.execute`).

    Example:
        >>> ExecutesCommands.execute.__isabstractmethod__
        True
    """

    @abc.abstractmethod
    def execute(
        self,
        command: str,
        ticket_id: str,
        payload: Mapping[str, Any],
        *,
        by: str,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """Run the command named ``command`` with ``payload`` as its arguments."""
