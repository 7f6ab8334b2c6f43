"""Importing legacy follow-up records: every row becomes a ticket, or nothing is written.

:func:`import_records` reads a ``.csv`` or ``.xlsx`` file whose columns are
the template's fields (:data:`~aftersales.transfer.template.TEMPLATE`, under
their Chinese or English headings, or others a mapping file names), reads each
row cell by cell, turns it into a ticket through the service desk's commands
back-dated by the history rule (:mod:`aftersales.transfer.history`), and only
when every row is good writes all the tickets, and the customers the store does
not know yet, in one unit of work. A file with bad cells raises
:class:`~aftersales.transfer.problems.ImportRejected` listing every one of
them (row as Excel numbers it, heading, value with contacts masked, reason,
what is accepted), having written nothing. The custom attributes the store
declares are read from their columns (see :mod:`aftersales.transfer.attributes`).
``dry_run=True`` checks everything
and writes nothing; ``partial=True`` writes the good rows and returns the
problems of the others.

Importing the same file again creates nothing: a row's ticket id is its
工单号, or a hash of 客户编号, 问题发生时间 and 问题描述; a row whose ticket is
stored already with the same cells is counted as unchanged, and one whose
stored ticket differs is refused (an import never changes a stored ticket).

Example:
    >>> import tempfile, pathlib, pendulum
    >>> from aftersales import FixedClock, ServiceDesk
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "legacy.csv"
    >>> _ = file.write_text(
    ...     "客户编号,客户名称,问题发生时间,问题描述,优先级,初步对接人,关闭状态,更新时间,渠道,问题类型\\n"
    ...     "C202405001,XX科技有限公司,2024-05-10 14:30,开机后黑屏,紧急,李工,处理中,"
    ...     "2024-05-10 15:00,电话,产品质量\\n", encoding="utf-8")
    >>> desk = ServiceDesk(clock=FixedClock(pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")))
    >>> result = import_records(desk, file)
    >>> result.created, desk.get(result.created[0]).received_at.isoformat()
    (('IMP-C1EC9601B0076B4ACCE3',), '2024-05-10T07:00:00+00:00')
    >>> import_records(desk, file).unchanged == result.created
    True
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import attrs

from aftersales.errors import AftersalesError, NotFound
from aftersales.errors.import_cells import RowConflict
from aftersales.model.attributes import AttributeDefinitions
from aftersales.model.customer import Contact, Customer
from aftersales.model.masking import default_masking
from aftersales.model.ticket import Ticket
from aftersales.service.attribute_arguments import declared_attributes
from aftersales.service.desk import ServiceDesk
from aftersales.storage.ports import Save, TicketStore
from aftersales.transfer.attributes import record_attributes, with_attribute_columns
from aftersales.transfer.cells import format_instant
from aftersales.transfer.columns import CellContext, Columns, WriteContext
from aftersales.transfer.history import placed, planned_steps
from aftersales.transfer.mapping import ImportMapping
from aftersales.transfer.problems import CellProblem, ImportRejected, shown_cell
from aftersales.transfer.reading import Table, read_table
from aftersales.transfer.record import TemplateRecord, read_record
from aftersales.transfer.staging import StagingStore
from aftersales.transfer.template import TEMPLATE
from aftersales.vocabulary import Vocabulary

__all__ = ["ImportResult", "import_records", "template_cells"]

DEFAULT_TZ = "Asia/Shanghai"


@attrs.frozen(slots=True)
class ImportResult:
    """What an import did: rows read, tickets created or found unchanged, customers added.

    ``problems`` is empty unless ``partial=True`` loaded the good rows
    despite them; ``written`` is false after a dry run.

    Example:
        >>> ImportResult("x.csv", 0, (), (), (), (), (), dry_run=True).written
        False
    """

    source: str
    rows: int
    created: tuple[str, ...]
    unchanged: tuple[str, ...]
    customers_created: tuple[str, ...]
    problems: tuple[CellProblem, ...]
    ignored_headings: tuple[str, ...]
    dry_run: bool = False

    @property
    def written(self) -> bool:
        """True when the tickets were written (not a dry run, and something to write)."""
        return not self.dry_run and bool(self.created or self.customers_created)


def template_cells(
    ticket: Ticket, columns: Columns = TEMPLATE, *, tz: str = DEFAULT_TZ
) -> tuple[Any, ...]:
    """The ticket's cells under ``columns``, contact unmasked: what "the same ticket" compares.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> template_cells(sample_ticket())[:2]
        ('C202405001', 'XX科技有限公司')
    """
    context = WriteContext(contact=ticket.contact, tz=tz)
    return tuple(column.write(ticket, context) for column in columns)


def import_records(
    target: ServiceDesk | TicketStore,
    path: str | Path,
    *,
    mapping: ImportMapping | str | Path | None = None,
    dry_run: bool = False,
    partial: bool = False,
    tz: str | None = None,
    sheet: str | None = None,
    columns: Columns = TEMPLATE,
) -> ImportResult:
    """Import the follow-up records of ``path`` into the desk's store (or the store given).

    A desk lends its clock (更新时间 may not lie after its now), its
    return-visit threshold and its SLA policy (the read models written with
    each ticket); a store is used with a default desk. ``mapping`` is an
    :class:`~aftersales.transfer.mapping.ImportMapping` or the path of its
    TOML file; ``tz`` (default: the mapping's ``timezone``, else
    Asia/Shanghai) is the zone of the file's local times; ``sheet`` the
    workbook's sheet (default: the mapping's, else the first).

    Raises :class:`~aftersales.transfer.problems.ImportRejected` with every
    bad cell (nothing written; with ``partial=True`` only for a bad heading
    row), :class:`~aftersales.errors.InvalidData` for a file or mapping that
    cannot be read.
    """
    desk = target if isinstance(target, ServiceDesk) else ServiceDesk(target)
    store = desk.store
    declared = declared_attributes(desk)
    columns = with_attribute_columns(columns, declared)
    if mapping is None:
        mapping = ImportMapping()
    elif not isinstance(mapping, ImportMapping):
        mapping = ImportMapping.load(mapping, columns)
    source = Path(path)
    zone = tz or mapping.timezone or DEFAULT_TZ
    table = read_table(source, sheet=sheet or mapping.sheet)
    vocabulary = getattr(store, "vocabulary", None)
    with vocabulary.active() if isinstance(vocabulary, Vocabulary) else nullcontext():
        run = _Run(desk, columns, mapping, CellContext(tz=zone), source.name, declared)
        run.read(table)
    if run.problems and not partial:
        raise ImportRejected(run.problems, source=source.name)
    saves = [Save(ticket, 0, projection=desk.projector.project(ticket)) for ticket in run.tickets()]
    customers = run.new_customers()
    if not dry_run and (saves or customers):
        _write(store, saves, customers)
    return ImportResult(
        source=source.name,
        rows=len(table.rows),
        created=tuple(save.ticket.id for save in saves),
        unchanged=tuple(run.unchanged),
        customers_created=tuple(customer.id for customer in customers),
        problems=tuple(sorted(run.problems, key=lambda problem: problem.row)),
        ignored_headings=run.ignored,
        dry_run=dry_run,
    )


def _write(store: Any, saves: list[Save], customers: list[Customer]) -> None:
    """Write the tickets and customers in one unit of work (or one bulk save without one)."""
    unit_of_work = getattr(store, "unit_of_work", None)
    if unit_of_work is None:
        bulk = getattr(store, "save_many", None)
        if bulk is not None:
            bulk(saves)
        else:
            for save in saves:
                store.save(save.ticket, expected_version=0, projection=save.projection)
        return
    with unit_of_work() as unit:
        if hasattr(unit, "save_many"):
            unit.save_many(saves)
        else:
            for save in saves:
                unit.save(save.ticket, expected_version=0, projection=save.projection)
        for customer in customers:
            unit.save_customer(customer)


class _Run:
    """One import in progress: the staging desk, the records read, the problems found."""

    def __init__(
        self,
        desk: ServiceDesk,
        columns: Columns,
        mapping: ImportMapping,
        context: CellContext,
        source: str,
        declared: AttributeDefinitions | None = None,
    ) -> None:
        self.desk = desk
        self.columns = columns
        self.mapping = mapping
        self.context = context
        self.source = source
        self.staging = StagingStore(getattr(desk.store, "vocabulary", None), declared)
        self.staging_desk = ServiceDesk(
            self.staging,
            clock=desk.clock,
            priority_rules=None,
            visit_threshold=desk.visit_threshold,
            max_clock_skew=desk.max_clock_skew,
        )
        self.problems: list[CellProblem] = []
        self.unchanged: list[str] = []
        self.ignored: tuple[str, ...] = ()
        self.headings: dict[str, str] = {}
        self.where: dict[str, int] = {}
        self._seen: dict[str, tuple[int, tuple[Any, ...]]] = {}
        self._records: dict[str, TemplateRecord] = {}

    # -- the heading row --------------------------------------------------------------

    def _header(self, headings: tuple[str, ...]) -> dict[str, int]:
        """The column index of each key, the headings by key; problems of the heading row."""
        where: dict[str, int] = {}
        ignored = []
        for index, heading in enumerate(headings):
            if not heading:
                continue
            key = self.mapping.column_of(heading)
            if key is None:
                column = self.columns.find(heading)
                key = None if column is None else column.key
            if key is None:
                ignored.append(heading)
            elif key in where:
                first = headings[where[key]]
                self.problems.append(
                    CellProblem(
                        1,
                        heading,
                        "",
                        f"names the same column as {first!r}",
                        "one column per field (rename or remove one)",
                    )
                )
            else:
                where[key] = index
                self.headings[key] = heading
        self.ignored = tuple(ignored)
        for column in self.columns:
            self.headings.setdefault(column.key, column.heading_zh)
            if (
                column.required
                and column.key not in where
                and column.key not in self.mapping.defaults
            ):
                self.problems.append(
                    CellProblem(
                        1,
                        column.heading_zh,
                        "",
                        "is not a column of the file",
                        f"a column headed {column.heading_zh} or {column.heading_en}, or a"
                        " [headings] entry or [defaults] value in the mapping file",
                    )
                )
        return where

    # -- the rows -----------------------------------------------------------------------

    def read(self, table: Table) -> None:
        """Read every row of ``table`` into a staged ticket, or problems."""
        where = self.where = self._header(table.headings)
        if self.problems:
            raise ImportRejected(self.problems, source=self.source)
        for number, row in table.rows:
            cells = {key: row[index] for key, index in where.items() if index < len(row)}
            record, problems = read_record(
                number,
                cells,
                columns=self.columns,
                headings=self.headings,
                mapping=self.mapping,
                context=self.context,
            )
            if record is None:
                self.problems += problems
                continue
            self._stage(record)

    def _problem(
        self, record: TemplateRecord, key: str, cell: object, reason: str, accepted: str
    ) -> None:
        column = self.columns.get(key)
        shown = shown_cell(cell, contact=column.contact)
        self.problems.append(CellProblem(record.row, self.headings[key], shown, reason, accepted))

    def _stage(self, record: TemplateRecord) -> None:
        """Build the record's ticket on the staging desk, or note why it cannot be."""
        limit = self.desk.clock.now().add(seconds=self.desk.max_clock_skew.total_seconds())
        if record.updated_at > limit:
            self._problem(
                record,
                "updated_at",
                format_instant(record.updated_at, self.context.tz),
                "is later than now",
                f"a time up to {limit.in_timezone(self.context.tz).format('YYYY-MM-DD HH:mm')}",
            )
            return
        try:
            steps = placed(
                planned_steps(record, visit_threshold=self.desk.visit_threshold),
                record.updated_at,
            )
        except RowConflict as conflict:
            self._problem(record, conflict.key, None, conflict.reason, conflict.accepted)
            return
        ticket_id = record.ticket_id
        if ticket_id in self.staging or ticket_id in self._seen:
            self._repeated(record)
            return
        try:
            ticket = self._build(record, steps)
        except _StepRefused as refused:
            self.staging.discard(ticket_id)
            self._problem(
                record, refused.key, None, refused.reason, "a value the lifecycle accepts"
            )
            return
        cells = template_cells(ticket, self.columns, tz=self.context.tz)
        self._seen[ticket_id] = (record.row, cells)
        self._records[ticket_id] = record
        if ticket_id in self.desk.store:
            self.staging.discard(ticket_id)
            self._compare_stored(record, cells)

    def _repeated(self, record: TemplateRecord) -> None:
        """A second row of the same ticket: unchanged when its cells are the same, else refused."""
        first_row, _ = self._seen[record.ticket_id]
        first = self._records[record.ticket_id]
        if attrs.evolve(first, row=record.row) == record:
            self.unchanged.append(record.ticket_id)
            return
        key = "ticket_id" if "ticket_id" in self.where else "description"
        self._problem(
            record,
            key,
            None,
            f"makes the same ticket {record.ticket_id} as row {first_row}, with other cells",
            "one row per ticket (a 工单号 of its own, or another 问题发生时间 or 问题描述)",
        )

    def _compare_stored(self, record: TemplateRecord, cells: tuple[Any, ...]) -> None:
        stored = template_cells(
            self.desk.store.get(record.ticket_id), self.columns, tz=self.context.tz
        )
        if stored == cells:
            self.unchanged.append(record.ticket_id)
            return
        index = next(i for i, (a, b) in enumerate(zip(stored, cells, strict=True)) if a != b)
        column = self.columns.columns[index]
        was = shown_cell(stored[index], contact=column.contact) or "empty"
        self._problem(
            record,
            column.key,
            cells[index],
            f"differs from ticket {record.ticket_id}, already in the store with {was}"
            " (an import does not change stored tickets)",
            "the stored value, or a row of a new ticket",
        )

    def _build(self, record: TemplateRecord, steps: list[Any]) -> Ticket:
        desk = self.staging_desk
        first = steps[0]
        contacts = (record.contact,) if record.contact is not None else ()
        with _attributed(first.key):
            ticket = desk.open_ticket(
                customer=Customer(
                    id=record.customer_id, name=record.customer_name, contacts=contacts
                ),
                channel=record.channel,
                category=record.category,
                description=record.description,
                occurred_at=record.occurred_at,
                by=first.by,
                priority=record.priority,
                contact=record.contact,
                purchase=record.purchase,
                demands=record.demands,
                handler=record.handler,
                ticket_id=record.ticket_id,
                at=first.at,
                attributes=record_attributes(record),
            )
        for step in steps[1:]:
            with _attributed(step.key):
                ticket = desk.execute(step.command, ticket.id, step.payload, by=step.by, at=step.at)
        return ticket

    # -- results ------------------------------------------------------------------------

    def tickets(self) -> list[Ticket]:
        """The new tickets of the good rows."""
        bad_rows = {problem.row for problem in self.problems}
        return [
            ticket
            for ticket in self.staging.tickets()
            if self._records[ticket.id].row not in bad_rows
        ]

    def new_customers(self) -> list[Customer]:
        """The customers of the new tickets that the store does not have yet, with their contacts."""
        store = self.desk.store
        if not hasattr(store, "get_customer"):
            return []
        found: dict[str, tuple[str, list[Contact]]] = {}
        known: set[str] = set()
        for ticket in self.tickets():
            customer_id = ticket.customer_id
            if customer_id in known:
                continue
            if customer_id not in found:
                try:
                    store.get_customer(customer_id)
                except NotFound:
                    found[customer_id] = (ticket.customer_name, [])
                else:
                    known.add(customer_id)
                    continue
            contacts = found[customer_id][1]
            if ticket.contact is not None and ticket.contact not in contacts:
                contacts.append(ticket.contact)
        return [
            Customer(id=customer_id, name=name, contacts=tuple(contacts))
            for customer_id, (name, contacts) in found.items()
        ]


class _StepRefused(Exception):
    def __init__(self, key: str, reason: str) -> None:
        super().__init__(reason)
        self.key = key
        self.reason = reason


@contextmanager
def _attributed(key: str) -> Iterator[None]:
    """Turn a refusal of the desk into a problem of the column ``key``, contacts masked."""
    try:
        yield
    except AftersalesError as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        reason = default_masking().text(first_line).split("; accepted:")[0]
        raise _StepRefused(key, f"is refused by the lifecycle: {reason}") from None
