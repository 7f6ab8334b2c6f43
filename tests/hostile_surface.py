"""The public surface driven with hostile arguments, for ``tests/test_hostile_inputs.py``.

A :class:`Surface` is one public callable with one valid call: a desk command
on a ticket in the right status, a store method, a constructor, a calendar or
serialization function. :func:`attempt` substitutes one hostile value for one
argument of that call and classifies what happened; :func:`table` does it for
every surface, argument and value (``python -m tests.hostile_surface`` prints
the summary, also against another checkout through ``PYTHONPATH``).
"""

from __future__ import annotations

import contextlib
import inspect
import re
import reprlib
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from aftersales import (
    AftersalesError,
    AttributeDefinition,
    Channel,
    ConcurrencyError,
    Contact,
    Customer,
    DuplicateId,
    FixedClock,
    IntakeFacts,
    InvalidTransition,
    MemoryStore,
    NotFound,
    ProblemCategory,
    Product,
    Purchase,
    Save,
    ServiceDesk,
    SlaPolicy,
    SQLiteStore,
    Ticket,
    TicketQuery,
    TicketStatus,
    WorkCalendar,
    serialization,
)
from aftersales.kpi import Period, ServiceKpis
from aftersales.readmodel.reading import FactsRequest
from aftersales.sla.policy_file import dump_policy_file
from aftersales.testing.contracts import (
    head_office_calendar,
    make_reply_template,
    make_survey,
    outlet_team,
)
from aftersales.testing.samples import sample_policy_document, sample_ticket
from aftersales.testing.strategies import SAMPLE_ATTRIBUTES
from aftersales.views import AllowedViewers
from tests.helpers import CUSTOMER, START, SUBSTATUSES, command_kwargs

#: ``(label, value)``: each is substituted for one argument of a valid call.
HOSTILE: tuple[tuple[str, Any], ...] = (
    ("None", None),
    ("True", True),
    ("False", False),
    ("0", 0),
    ("-1", -1),
    ("2**63", 2**63),
    ("10**30", 10**30),
    ("nan", float("nan")),
    ("inf", float("inf")),
    ("1.0", 1.0),
    ("empty", ""),
    ("blank", " "),
    ("surrogate", "a\ud800b"),
    ("nul", "a\x00b"),
    ("100k-text", "x" * 100_000),
    ("naive", datetime(2026, 10, 9, 9, 0)),
    ("datetime.max", datetime.max.replace(tzinfo=UTC)),
    ("year-9999", datetime(9999, 1, 1, tzinfo=UTC)),
    ("list", ["a"]),
    ("dict", {"a": 1}),
    ("bytes", b"a"),
    ("object", object()),
    ("wrong-type", Product(model="A型")),
)


def _deep(levels: int) -> Any:
    value: Any = []
    for level in range(levels):
        value = [value] if level % 2 else {"a": value}
    return value


HOSTILE = (
    *HOSTILE,
    ("deep-nesting", _deep(1000)),  # lists and dicts, 1,000 levels
    ("deep-json", "[" * 100_000 + "]" * 100_000),
)

#: Errors about the *state* (the value was well formed): a ticket that is not
#: there, a version that moved on, a command the status does not allow.
STATE_ERRORS = (ConcurrencyError, DuplicateId, InvalidTransition, NotFound)

TZ = "Asia/Shanghai"
STORE_KINDS = ("memory", "sqlite-memory", "sqlite-file")

#: The command each ticket of the world is ready for, by its status.
_STATUS_OF = {
    "acknowledge": TicketStatus.RECEIVED,
    "resolve_on_first_contact": TicketStatus.RECEIVED,
    "record_analysis": TicketStatus.ANALYSING,
    "propose_solution": TicketStatus.ANALYSING,
    "record_agreement": TicketStatus.AWAITING_CONFIRMATION,
    "record_dispute": TicketStatus.AWAITING_CONFIRMATION,
    "book_onsite_visit": TicketStatus.IN_PROGRESS,
    "record_progress": TicketStatus.IN_PROGRESS,
    "report_new_problem": TicketStatus.IN_PROGRESS,
    "finish_execution": TicketStatus.IN_PROGRESS,
    "record_visit": TicketStatus.AWAITING_VISIT,
    "reopen": TicketStatus.CLOSED,
}
_PATH = ["acknowledge", "propose_solution", "record_agreement", "finish_execution", "record_visit"]
_WALK = {
    TicketStatus.RECEIVED: 0,
    TicketStatus.ANALYSING: 1,
    TicketStatus.AWAITING_CONFIRMATION: 2,
    TicketStatus.IN_PROGRESS: 3,
    TicketStatus.AWAITING_VISIT: 4,
    TicketStatus.CLOSED: 5,
}


def calendar() -> WorkCalendar:
    """Office hours in Shanghai, every year computable."""
    return WorkCalendar(TZ, dict.fromkeys(range(5), (("09:00", "12:00"), ("13:30", "18:00"))))


POLICY = SlaPolicy.default(calendar()).with_options(substatuses=SUBSTATUSES)


def _template() -> list[tuple[Ticket, Any]]:
    """One ticket in each status of ``_WALK`` (with its due time), walked through a desk."""
    desk = ServiceDesk(clock=FixedClock(START), sla=POLICY)
    for status, steps in _WALK.items():
        ticket_id = f"T-{status.value}"
        desk.open_ticket(
            customer=CUSTOMER,
            channel=Channel.PHONE,
            category=ProblemCategory.PRODUCT_QUALITY,
            description="开机后黑屏,指示灯不亮",
            occurred_at=START.subtract(minutes=15),
            by="李工",
            ticket_id=ticket_id,
            contact=Contact(name="张先生", phone="13812345678"),
            purchase=Purchase(Product("A型智能办公设备"), date(2026, 1, 5)),
        )
        for command in _PATH[:steps]:
            ticket = desk.get(ticket_id)
            getattr(desk, command)(ticket_id, by="李工", **command_kwargs(command, ticket))
        for command in ("add_tags", "attach"):  # a tag and a file for remove_tags and detach
            ticket = desk.get(ticket_id)
            getattr(desk, command)(ticket_id, by="李工", **command_kwargs(command, ticket))
    tickets = desk.find(TicketQuery())
    return [(t, POLICY.evaluate(t, START).next_due if t.is_open else None) for t in tickets]


TEMPLATE = _template()
#: The reply template every world holds (see :mod:`tests.hostile_replies`).
SEEDED_REPLY = make_reply_template("RT-1", category="product_quality")


@dataclass
class World:
    """A store holding the template tickets and a customer, and a desk over it."""

    kind: str
    directory: Path
    store: Any = None
    desk: ServiceDesk = field(init=False)
    clock: FixedClock = field(init=False)
    _count: int = 0

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """A fresh store with the template, a desk over it on a clock at ``START``."""
        if self.store is not None and hasattr(self.store, "close"):
            self.store.close()
        if self.kind == "memory":
            self.store = MemoryStore()
        elif self.kind == "sqlite-memory":
            self.store = SQLiteStore(":memory:")
        else:
            self._count += 1
            self.store = SQLiteStore(self.directory / f"world-{self._count}.db")
        self.store.save_customer(
            Customer(
                id=CUSTOMER.id, name=CUSTOMER.name, contacts=(Contact("张先生", "13812345678"),)
            )
        )
        self.store.save_many([Save(t, 0, due) for t, due in TEMPLATE])
        self.store.save_reply_template(SEEDED_REPLY, expected_version=0)
        self.store.save_calendar("广州网点", head_office_calendar(saturday=True))
        self.store.save_team(outlet_team())
        self.store.save_survey(make_survey("S-1", ticket_id="T1", satisfaction=4, comment="好"))
        self.store.save_installed_base({"B型扫地机器人": 1500})
        self.store.adopt_policy(sample_policy_document(), START, note="标准")
        for definition in SAMPLE_ATTRIBUTES:
            self.store.declare_attribute(definition)
        self.clock = FixedClock(START)
        self.desk = ServiceDesk(self.store, clock=self.clock, sla=POLICY)

    def snapshot(self) -> tuple[Any, ...]:
        """Everything stored, as JSON: tickets with their history, the due order, customers."""
        store = self.store
        tickets = [serialization.to_json(t) for t in store.find(TicketQuery())]
        due_order = [t.id for t in store.find(TicketQuery(order="due"))]
        customers = [serialization.to_json(c) for c in store.find_customers()]
        replies = [
            serialization.to_json(version)
            for template in store.find_reply_templates(include_retired=True)
            for version in store.find_reply_template_versions(template.code)
        ]
        teams = [t.to_json() for t in store.find_teams()]
        calendars = [(n, d.to_json()) for n, d in store.find_calendars().items()]
        attributes = [serialization.to_json(d) for d in store.attribute_definitions()]
        surveys = [serialization.to_json(s) for s in store.find_surveys()]
        units = store.find_installed_base()
        policies = [
            (v.version, dump_policy_file(v.document), v.effective_from, v.adopted_at, v.note)
            for v in store.policy_versions()
        ]
        return (
            tickets,
            due_order,
            customers,
            replies,
            teams,
            calendars,
            attributes,
            surveys,
            units,
            policies,
        )


@dataclass(frozen=True)
class Surface:
    """One public callable and a valid call of it: ``call(world, overrides)``."""

    name: str
    call: Callable[[World, dict[str, Any]], Any]
    params: tuple[str, ...]
    stores: bool = False


def parameters(function: Callable[..., Any], skip: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The names of ``function``'s arguments a caller may pass (no ``self``, no ``*args``)."""
    kinds = (inspect.Parameter.VAR_KEYWORD, inspect.Parameter.VAR_POSITIONAL)
    return tuple(
        name
        for name, p in inspect.signature(function).parameters.items()
        if name not in ("self", "cls", *skip) and p.kind not in kinds and not name.startswith("_")
    )


# -- the desk -----------------------------------------------------------------------------


def _ticket_for(command: str) -> str:
    return f"T-{_STATUS_OF.get(command, TicketStatus.ANALYSING).value}"


def _desk_command(command: str) -> Surface:
    def call(world: World, overrides: dict[str, Any]) -> Any:
        ticket_id = _ticket_for(command)
        kwargs: dict[str, Any] = {"ticket_id": ticket_id, "by": "李工"}
        kwargs.update(command_kwargs(command, world.desk.get(ticket_id)))
        kwargs.update(overrides)
        return getattr(world.desk, command)(**kwargs)

    return Surface(f"desk.{command}", call, parameters(getattr(ServiceDesk, command)), stores=True)


_OPEN = {
    "customer": CUSTOMER,
    "channel": Channel.PHONE,
    "category": ProblemCategory.PRODUCT_QUALITY,
    "description": "开机后黑屏,指示灯不亮",
    "occurred_at": START.subtract(minutes=15),
    "by": "李工",
    "priority": None,
    "facts": IntakeFacts(product_unusable=True),
    "contact": Contact(name="张先生", phone="13812345678"),
    "purchase": Purchase(Product("A型智能办公设备"), date(2026, 1, 5)),
    "demands": ["repair"],
    "ticket_type": "投诉",
    "impact": "前台 1 台设备",
    "customer_words": "打开就黑屏",
    "handler": "王工",
    "ticket_id": "T-new",
}

_READS: dict[str, dict[str, Any]] = {
    "get": {"ticket_id": "T-analysing"},
    "history": {"ticket_id": "T-analysing"},
    "find": {"query": TicketQuery(status="analysing")},
    "warranty": {"ticket_id": "T-analysing", "at": START},
    "sla": {"ticket_id": "T-analysing"},
    "check_sla": {"ticket_id": "T-analysing", "by": "sla"},
    "sla_watchlist": {"due_before": START.add(days=1)},
    "sweep_sla": {"at": START, "batch": 50, "by": "sla"},
    "open_ticket": _OPEN,
    "reveal_contact": {
        "ticket_id": "T-analysing",
        "by": "王经理",
        "purpose": "投诉处理",
        "access": AllowedViewers({"王经理"}),
    },
    "execute": {
        "command": "add_note",
        "ticket_id": "T-analysing",
        "payload": {"text": "客户只在上午有空"},
        "by": "李工",
    },
}


def _desk_read(method: str) -> Surface:
    def call(world: World, overrides: dict[str, Any]) -> Any:
        return getattr(world.desk, method)(**{**_READS[method], **overrides})

    return Surface(f"desk.{method}", call, parameters(getattr(ServiceDesk, method)), stores=True)


def desk_surfaces() -> list[Surface]:
    """Every public method of :class:`ServiceDesk`."""
    names = sorted(
        name
        for name, member in inspect.getmembers(ServiceDesk, inspect.isfunction)
        if not name.startswith("_")
    )
    return [_desk_read(n) if n in _READS else _desk_command(n) for n in names]


# -- the stores ---------------------------------------------------------------------------

_STORE_CALLS: dict[str, dict[str, Any]] = {
    "get": {"ticket_id": "T-analysing"},
    "history": {"ticket_id": "T-analysing"},
    "find": {"query": TicketQuery(open_only=True)},
    "stream": {"query": TicketQuery(open_only=True), "batch": 2},
    "count": {"query": TicketQuery(open_only=True)},
    "get_customer": {"customer_id": CUSTOMER.id},
    "save_customer": {"customer": Customer(id="C2", name="YY有限公司")},
    "find_customers": {"limit": 5, "after_id": "C0"},
    "find_alerts_due": {"at": START, "include_recorded": True, "limit": 5, "after": None},
    "find_facts": {
        "received_from": START,
        "received_before": START.add(days=1),
        "ticket_ids": ["T-analysing"],
        "key": "k",
    },
    "save_projections": {"items": []},
    "read_facts": {
        "request": FactsRequest.of(ServiceKpis(Period.parse("2024-05", TZ), calendar()))
    },
    "save": {"ticket": sample_ticket("T-saved"), "expected_version": 0, "due_at": START},
    "declare_attribute": {
        "definition": AttributeDefinition("colour", "颜色", "Colour", kind="text")
    },
    "attribute_definitions": {},
}


def _store_method(method: str) -> Surface:
    def call(world: World, overrides: dict[str, Any]) -> Any:
        result = getattr(world.store, method)(**{**_STORE_CALLS[method], **overrides})
        # a stream is read to its end
        return list(result) if method in ("stream", "find_facts") else result

    return Surface(f"store.{method}", call, parameters(getattr(MemoryStore, method)), stores=True)


def store_surfaces() -> list[Surface]:
    """The ticket and customer methods of the stores."""
    return [_store_method(name) for name in _STORE_CALLS]


def all_surfaces() -> list[Surface]:
    """Every surface of the table."""
    from tests.hostile_calls import (
        calendar_surfaces,
        constructor_surfaces,
        knowledge_surfaces,
        serialization_surfaces,
    )
    from tests.hostile_policies import policy_surfaces
    from tests.hostile_replies import reply_surfaces
    from tests.hostile_surveys import survey_surfaces
    from tests.hostile_teams import team_surfaces

    return [
        *desk_surfaces(),
        *store_surfaces(),
        *knowledge_surfaces(),
        *reply_surfaces(),
        *team_surfaces(),
        *survey_surfaces(),
        *policy_surfaces(),
        *calendar_surfaces(),
        *serialization_surfaces(),
        *constructor_surfaces(),
    ]


# -- running and classifying ----------------------------------------------------------------

_SHORT = reprlib.Repr()
_SHORT.maxstring = 40
_SHORT.maxother = 40
_SHORT.maxlevel = 3


@dataclass(frozen=True)
class Outcome:
    """What one hostile call did: ``accepted``, ``refused``, ``state`` or ``raw``."""

    surface: str
    param: str
    label: str
    kind: str
    error: BaseException | None = None
    changed: bool = False
    forms: tuple[str, ...] = ()

    @property
    def problem(self) -> str | None:
        """Why this outcome breaks the rule, or ``None`` when it keeps it."""
        if self.kind == "raw":
            return f"raw {type(self.error).__name__}: {_SHORT.repr(str(self.error))}"
        if self.changed:
            return "the store changed although the call was refused"
        if self.kind == "refused":
            message = str(self.error)
            if "accepted" not in message:
                return f"no 'accepted' in {_SHORT.repr(message)}"
            if (self.surface, self.param) in DOCUMENTS:
                return None  # the error names the path inside the document
            # as the path of a problem ("at: …", "steps[0]: …"), or as the other side of
            # a relation between two arguments ("due_at: … is before created_at")
            named = re.search(rf"(?<![\w]){re.escape(self.param)}(?![\w])", message)
            if not named and not any(form in message for form in self.forms):
                return f"{self.param!r} not named in {_SHORT.repr(message)}"
        return None


#: Arguments holding a whole document: errors name paths inside it (``$`` is its root).
DOCUMENTS = frozenset(
    {
        ("serialization.from_dict", "data"),
        ("serialization.from_json", "text"),
        ("new CalendarDefinition.from_dict", "data"),  # named by its file, ``where``
        ("new CalendarDefinition.from_toml", "text"),
        ("new Team.from_dict", "data"),
        ("load_policy_file", "source"),  # a policy file: named by the paths inside
    }
)


def attempt(surface: Surface, world: World, param: str, label: str, value: Any) -> Outcome:
    """Call ``surface`` with ``param=value`` and classify the outcome.

    A refused call must leave the store as it was; after an accepted one that
    changed it, the world is rebuilt for the next call.
    """
    before = world.snapshot() if surface.stores else None

    def outcome(kind: str, error: BaseException | None = None) -> Outcome:
        changed = surface.stores and kind != "accepted" and world.snapshot() != before
        if changed or (kind == "accepted" and surface.stores and world.snapshot() != before):
            world.reset()
        return Outcome(surface.name, param, label, kind, error, changed, _forms(value))

    try:
        surface.call(world, {param: value})
    except AftersalesError as error:
        return outcome("state" if isinstance(error, STATE_ERRORS) else "refused", error)
    except TypeError as error:
        if "unexpected keyword argument" in str(error):
            return outcome("binding", error)
        return outcome("raw", error)
    except Exception as error:
        return outcome("raw", error)
    return outcome("accepted")


def _forms(value: Any) -> tuple[str, ...]:
    """How a message may show ``value`` itself: an aware instant in ISO 8601 (as given, or UTC)."""
    if isinstance(value, datetime) and value.utcoffset() is not None:
        with contextlib.suppress(OverflowError):
            return (value.isoformat(), value.astimezone(UTC).isoformat())
    return ()


def run_surface(surface: Surface, world: World, param: str) -> list[Outcome]:
    """Every hostile value substituted for ``param`` of ``surface``."""
    return [attempt(surface, world, param, label, value) for label, value in HOSTILE]


def _kinds(surface: Surface) -> tuple[str, ...]:
    """The store kinds ``surface`` runs on: a desk's commands on SQLite in memory (the desk
    checks its arguments before any store; the stores' own refusals are the store
    surfaces'), the stores' own methods on all three kinds."""
    if not surface.stores:
        return ("none",)
    if surface.name.startswith("desk."):
        return ("sqlite-memory",)
    return STORE_KINDS


def cases() -> Iterator[tuple[Surface, str, str]]:
    """``(surface, parameter, store kind)`` of every row group of the table."""
    for surface in all_surfaces():
        for param in surface.params:
            for kind in _kinds(surface):
                yield surface, param, kind


def table(directory: Path) -> list[Outcome]:
    """The whole table, run in ``directory`` (hostile file names land there)."""
    outcomes: list[Outcome] = []
    worlds: dict[str, World] = {}
    with contextlib.chdir(directory):
        for surface, param, kind in cases():
            world = worlds.get(kind)
            if world is None:
                world = worlds[kind] = World("memory" if kind == "none" else kind, directory)
            outcomes.extend(run_surface(surface, world, param))
    return outcomes


def main() -> None:  # pragma: no cover - a report for people
    """Print the counts of the table and every call breaking the rule."""
    with tempfile.TemporaryDirectory() as directory:
        outcomes = table(Path(directory))
    kinds = Counter(o.kind for o in outcomes)
    raw = Counter(type(o.error).__name__ for o in outcomes if o.kind == "raw")
    print(f"calls: {len(outcomes)}  " + "  ".join(f"{k}: {n}" for k, n in sorted(kinds.items())))
    print("raw exceptions by type:", dict(raw.most_common()))
    for outcome in outcomes:
        if outcome.problem is not None:
            print(f"  {outcome.surface}({outcome.param}={outcome.label}): {outcome.problem}")


if __name__ == "__main__":  # pragma: no cover
    main()
