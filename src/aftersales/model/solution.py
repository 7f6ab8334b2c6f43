"""One step of a solution plan (解决方案): what, by whom, by when.

Example:
    >>> import pendulum
    >>> step = SolutionStep(action="更换内存模块", executor="王工程师",
    ...                     deadline=pendulum.datetime(2024, 5, 12, 18, 0, tz="Asia/Shanghai"))
    >>> step.deadline.isoformat()
    '2024-05-12T10:00:00+00:00'
"""

from __future__ import annotations

from typing import ClassVar

import attrs
import pendulum

from aftersales import _checks as check

__all__ = ["SolutionStep"]


@attrs.frozen(slots=True)
class SolutionStep:
    """A concrete step of the agreed plan, with its executor and deadline.

    Example:
        >>> import pendulum
        >>> SolutionStep("寄送操作手册", "客服小刘", pendulum.datetime(2024, 5, 11, tz="UTC")).executor
        '客服小刘'
    """

    action: str
    executor: str
    deadline: pendulum.DateTime

    _checks: ClassVar[check.Checks] = (
        ("action", check.text),
        ("executor", check.text),
        ("deadline", check.aware),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)
