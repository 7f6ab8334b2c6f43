"""Survey answers the KPIs read beside the tickets: :class:`NpsResponse`.

Example:
    >>> import pendulum
    >>> NpsResponse(customer_id="C1", score=10, at=pendulum.datetime(2026, 10, 3, tz="UTC")).ticket_id is None
    True
"""

from __future__ import annotations

import attrs
import pendulum

from aftersales import _checks as check

__all__ = ["NpsResponse"]


@attrs.frozen(slots=True, kw_only=True)
class NpsResponse:
    """One answer to "how likely are you to recommend us?" (0–10), from a survey.

    NPS is not a ticket field: surveys are usually sent per customer, not per
    ticket, so answers come in as their own records.

    Example:
        >>> import pendulum
        >>> NpsResponse(customer_id="C1", score=9, at=pendulum.datetime(2026, 10, 3, tz="UTC")).score
        9
        >>> NpsResponse(customer_id="C1", score=11, at=pendulum.datetime(2026, 10, 3, tz="UTC"))
        Traceback (most recent call last):
        ...
        aftersales.errors.ScoreOutOfRange: score: 11 is out of range; accepted: an integer from 0 to 10
    """

    customer_id: str
    score: int
    at: pendulum.DateTime
    ticket_id: str | None = None
    comment: str = ""

    def __attrs_post_init__(self) -> None:
        check.run_checks(
            self,
            (
                ("customer_id", check.identifier),
                ("score", check.score(0, 10)),
                ("at", check.aware),
                ("ticket_id", check.optional(check.identifier)),
                ("comment", check.optional_text),
            ),
        )
