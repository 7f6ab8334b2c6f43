"""What every route of the API reads: the desk, the host's hooks, the calendar and the limits.

Imports: the service layer, the domain, the API's auth.

Example:
    >>> from aftersales import ServiceDesk
    >>> settings = ApiSettings.of(ServiceDesk())
    >>> settings.desk().store is settings.desk().store, settings.max_limit
    (True, 500)
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import attrs

from aftersales import _checks as check
from aftersales.api.auth import AuthHook, NoContactAccess, NotPermitted, Principal, read_only
from aftersales.calendar import WorkCalendar
from aftersales.service.desk import ServiceDesk
from aftersales.service.knowledge_base import KnowledgeBase
from aftersales.sla import SlaPolicy
from aftersales.storage.ports import ArticleStore, ReplyTemplateStore
from aftersales.views import ContactAccess

__all__ = ["ApiSettings", "DeskSource", "may_write"]

#: A desk, or a function returning the desk a request uses.
DeskSource = ServiceDesk | Callable[[], ServiceDesk]


@attrs.frozen(slots=True, kw_only=True)
class ApiSettings:
    """The settings behind one router (see :func:`~aftersales.api.create_router`).

    Example:
        >>> from aftersales import ServiceDesk
        >>> ApiSettings.of(ServiceDesk(), poll_interval=0).poll_interval
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: poll_interval: 0 is not a number of seconds; accepted: from 0.01 to 60
    """

    desk: Callable[[], ServiceDesk]
    auth: AuthHook
    access: ContactAccess
    calendar: WorkCalendar | None
    policy: SlaPolicy | None
    knowledge: Callable[[ServiceDesk], KnowledgeBase]
    poll_interval: float
    max_limit: int = 500

    @classmethod
    def of(
        cls,
        desk: DeskSource,
        *,
        auth: AuthHook | None = None,
        access: ContactAccess | None = None,
        calendar: WorkCalendar | None = None,
        policy: SlaPolicy | None = None,
        knowledge: KnowledgeBase | None = None,
        poll_interval: float = 0.5,
    ) -> ApiSettings:
        """Checked settings, with the documented defaults for what is not given."""
        check.run_checks_on(
            {
                "desk": (desk, _desk_source),
                "auth": (auth, check.optional(check.function("auth(request) -> Principal"))),
                "access": (
                    access,
                    check.optional(
                        check.protocol(ContactAccess, "decide(viewer, ticket, purpose, *, at)")
                    ),
                ),
                "calendar": (calendar, check.optional(check.instance_of(WorkCalendar))),
                "policy": (policy, check.optional(check.instance_of(SlaPolicy))),
                "knowledge": (knowledge, check.optional(check.instance_of(KnowledgeBase))),
                "poll_interval": (poll_interval, check.seconds(0.01, 60)),
            }
        )
        return cls(
            desk=(lambda: desk) if isinstance(desk, ServiceDesk) else desk,
            auth=read_only if auth is None else auth,
            access=NoContactAccess() if access is None else access,
            calendar=calendar,
            policy=policy,
            knowledge=_knowledge_of(knowledge),
            poll_interval=float(poll_interval),
        )

    def report_calendar(self, desk: ServiceDesk) -> WorkCalendar:
        """The calendar reports read on: the one given, else the SLA policy's, else China's."""
        if self.calendar is not None:
            return self.calendar
        policy = self.sla_policy(desk)
        return policy.calendar if policy is not None else WorkCalendar.china()

    def sla_policy(self, desk: ServiceDesk) -> SlaPolicy | None:
        """The SLA policy of reports and the worklist: the one given, else the desk's."""
        return self.policy if self.policy is not None else desk.sla_policy


def _desk_source(value: object, name: str) -> DeskSource:
    if isinstance(value, ServiceDesk):
        return value
    return check.function("a ServiceDesk, or desk() -> ServiceDesk")(value, name)  # type: ignore[no-any-return]


def _knowledge_of(given: KnowledgeBase | None) -> Callable[[ServiceDesk], KnowledgeBase]:
    """The knowledge base of a desk: ``given``, or one over the desk's store, indexed once.

    Its reply templates are the desk's store's when it keeps them (every
    store of the library does).
    """
    if given is not None:
        return lambda desk: given
    built: dict[int, KnowledgeBase] = {}
    lock = threading.Lock()

    def of(desk: ServiceDesk) -> KnowledgeBase:
        with lock:
            found = built.get(id(desk.store))
            if found is None:
                store = desk.store if isinstance(desk.store, ArticleStore) else None
                templates = desk.store if isinstance(desk.store, ReplyTemplateStore) else None
                found = KnowledgeBase(store, clock=desk.clock, templates=templates)
                found.rebuild_index()
                built[id(desk.store)] = found
            return found

    return of


def may_write(principal: Principal, action: str) -> str:
    """The name of ``principal`` as the ``by`` of ``action``; ``NotPermitted`` for a reader.

    Example:
        >>> may_write(Principal("李工"), "acknowledge")
        '李工'
    """
    if not principal.may_write:
        raise NotPermitted(principal.name, action)
    return principal.name
