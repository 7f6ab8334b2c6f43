"""The follow-up policy: the points after a purchase and after closure, and their due times.

:class:`FollowUpPolicy` lists the :class:`FollowUpPoint` values (default: one
week, one month and three months, :data:`DEFAULT_POINTS`) after a purchase and
after a ticket's closure. Each point gives a
:class:`~aftersales.followup.tasks.FollowUpTask` due at the end of the working
day it falls on (or the next working day) on a
:class:`~aftersales.WorkCalendar`. Domain: this module imports the model, the
calendar and the follow-up tasks only.

Example:
    >>> from aftersales import WorkCalendar
    >>> from aftersales.testing.samples import sample_ticket
    >>> tasks = DEFAULT_FOLLOWUP_POLICY.for_closed_ticket(sample_ticket(), WorkCalendar.china())
    >>> [(t.point, t.due_at.in_tz("Asia/Shanghai").to_date_string()) for t in tasks]
    [('1w', '2024-05-20'), ('1m', '2024-06-13'), ('3m', '2024-08-13')]
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, ClassVar

import attrs
import pendulum

from aftersales import _checks as check
from aftersales.calendar import WorkCalendar
from aftersales.errors import InvalidData
from aftersales.followup.tasks import FollowUpTask, FollowUpTrigger, _point_code
from aftersales.model.product import Purchase
from aftersales.model.ticket import Ticket
from aftersales.vocab import TicketStatus

__all__ = ["DEFAULT_FOLLOWUP_POLICY", "DEFAULT_POINTS", "FollowUpPoint", "FollowUpPolicy"]


@attrs.frozen(slots=True)
class FollowUpPoint:
    """One follow-up point: ``days`` and ``months`` after the anchor, with labels.

    Example:
        >>> FollowUpPoint("2w", "two weeks", "两周回访", days=14).days
        14
        >>> FollowUpPoint("0", "now", "立即", days=0)
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: days: 0 days and 0 months is no delay; accepted: at least one day or month
    """

    code: str
    label_en: str
    label_zh: str
    days: int = 0
    months: int = 0

    _checks: ClassVar[check.Checks] = (
        ("code", _point_code),
        ("label_en", check.text),
        ("label_zh", check.text),
        ("days", check.integer(0, 3660)),
        ("months", check.integer(0, 120)),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)
        if self.days == 0 and self.months == 0:
            message = "0 days and 0 months is no delay; accepted: at least one day or month"
            raise InvalidData(f"days: {message}", problems=[("days", message)])

    def label(self, lang: str = "en") -> str:
        """The label in ``lang``."""
        return self.label_zh if lang == "zh" else self.label_en


#: One week, one month and three months.
DEFAULT_POINTS: tuple[FollowUpPoint, ...] = (
    FollowUpPoint("1w", "one week", "一周回访", days=7),
    FollowUpPoint("1m", "one month", "一个月回访", months=1),
    FollowUpPoint("3m", "three months", "三个月回访", months=3),
)


def _points(value: Any, name: str) -> tuple[FollowUpPoint, ...]:
    points: tuple[FollowUpPoint, ...] = check.tuple_of(check.instance_of(FollowUpPoint))(
        value, name
    )
    codes = [p.code for p in points]
    for index, code in enumerate(codes):
        if code in codes[:index]:
            message = f"{code!r} is used twice; accepted: each code once"
            raise InvalidData(
                f"{name}[{index}].code: {message}", problems=[(f"{name}[{index}].code", message)]
            )
    return points


def _task_id(*parts: object) -> str:
    digest = hashlib.sha1("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]
    return f"FU-{digest}"


@attrs.frozen(slots=True)
class FollowUpPolicy:
    """The follow-up points after a purchase and after a ticket's closure.

    A point's due time is the end of the working day on which ``anchor +
    days + months`` falls (in the calendar's zone), or of the next working day.

    Example:
        >>> policy = FollowUpPolicy(after_purchase=(), after_closure=DEFAULT_POINTS[:1])
        >>> [p.code for p in policy.points(FollowUpTrigger.AFTER_CLOSURE)]
        ['1w']
    """

    after_purchase: tuple[FollowUpPoint, ...] = DEFAULT_POINTS
    after_closure: tuple[FollowUpPoint, ...] = DEFAULT_POINTS

    _checks: ClassVar[check.Checks] = (
        ("after_purchase", _points),
        ("after_closure", _points),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)

    def points(self, trigger: FollowUpTrigger) -> tuple[FollowUpPoint, ...]:
        """The points of ``trigger``."""
        if trigger is FollowUpTrigger.AFTER_PURCHASE:
            return self.after_purchase
        return self.after_closure

    @staticmethod
    def due_at(point: FollowUpPoint, anchor: datetime, calendar: WorkCalendar) -> pendulum.DateTime:
        """When ``point`` after ``anchor`` is due on ``calendar``.

        Example:
            >>> import pendulum
            >>> from aftersales import WorkCalendar
            >>> friday = pendulum.datetime(2024, 9, 27, 15, tz="Asia/Shanghai")
            >>> FollowUpPolicy.due_at(DEFAULT_POINTS[0], friday, WorkCalendar.china())
            DateTime(2024, 10, 8, 18, 0, 0, tzinfo=Timezone('Asia/Shanghai'))
        """
        start = pendulum.instance(check.aware(anchor, "anchor")).in_tz(calendar.tz)
        target = start.add(days=point.days, months=point.months)
        return calendar.add_working_days(target, 0)

    def for_closed_ticket(self, ticket: Ticket, calendar: WorkCalendar) -> list[FollowUpTask]:
        """The tasks after a closed ticket (``InvalidData`` when it is not closed).

        Example:
            >>> from aftersales import WorkCalendar
            >>> from aftersales.testing.samples import sample_ticket
            >>> len(DEFAULT_FOLLOWUP_POLICY.for_closed_ticket(sample_ticket(), WorkCalendar.china()))
            3
        """
        check.instance_of(Ticket)(ticket, "ticket")
        if ticket.status is not TicketStatus.CLOSED or ticket.closed_at is None:
            message = f"{ticket.status.value}; accepted: a closed ticket"
            raise InvalidData(f"ticket.status: {message}", problems=[("ticket.status", message)])
        return [
            FollowUpTask(
                id=_task_id("closure", ticket.id, point.code),
                customer_id=ticket.customer_id,
                trigger=FollowUpTrigger.AFTER_CLOSURE,
                point=point.code,
                anchor_at=ticket.closed_at,
                due_at=self.due_at(point, ticket.closed_at, calendar),
                source_ticket_id=ticket.id,
                product_model=ticket.product_model,
            )
            for point in self.after_closure
        ]

    def for_purchase(
        self, customer_id: str, purchase: Purchase, calendar: WorkCalendar
    ) -> list[FollowUpTask]:
        """The tasks after a purchase, counted from the start of its date in the calendar's zone.

        Example:
            >>> from datetime import date
            >>> from aftersales import WorkCalendar
            >>> from aftersales.model import Product, Purchase
            >>> p = Purchase(product=Product("W10滚筒洗衣机"), purchased_on=date(2024, 6, 3),
            ...              order_number="SO-1")
            >>> [t.due_at.in_tz("Asia/Shanghai").to_date_string()
            ...  for t in DEFAULT_FOLLOWUP_POLICY.for_purchase("C1", p, WorkCalendar.china())]
            ['2024-06-11', '2024-07-03', '2024-09-03']
        """
        check.identifier(customer_id, "customer_id")
        check.instance_of(Purchase)(purchase, "purchase")
        day = purchase.purchased_on
        anchor = pendulum.datetime(day.year, day.month, day.day, tz=calendar.tz)
        ref = (purchase.product.model, day, purchase.serial_number, purchase.order_number)
        return [
            FollowUpTask(
                id=_task_id("purchase", customer_id, *ref, point.code),
                customer_id=customer_id,
                trigger=FollowUpTrigger.AFTER_PURCHASE,
                point=point.code,
                anchor_at=anchor,
                due_at=self.due_at(point, anchor, calendar),
                product_model=purchase.product.model,
                serial_number=purchase.serial_number,
                order_number=purchase.order_number,
            )
            for point in self.after_purchase
        ]


#: One week, one month and three months after purchase and after closure.
DEFAULT_FOLLOWUP_POLICY = FollowUpPolicy()
