"""Import and export of the follow-up template (售后服务跟进记录) as CSV and Excel files.

Legacy follow-up records kept in spreadsheets become tickets, and tickets go
back to spreadsheets, with the template's fields (DOMAIN §1) as columns:

* :func:`import_records` reads a ``.csv`` or ``.xlsx`` file, turns each row
  into a ticket with a back-dated history that reaches the row's 关闭状态
  (:mod:`~aftersales.transfer.history` states the rule), and writes them all
  in one unit of work, or raises :class:`ImportRejected` listing every bad
  cell (row as Excel numbers it, heading, masked value, reason, what is
  accepted) and writes nothing. Importing a file twice creates nothing new.
* :func:`export_records` writes tickets as template rows, contacts masked,
  or revealed through the host's access policy with every reveal recorded
  (:class:`RevealRequest`).
* :class:`ImportMapping` reads a mapping file (TOML): other headings, value
  maps (优先级 "高" → 紧急), defaults for empty cells.
* :data:`TEMPLATE` is the registry of columns (:class:`Columns` of
  :class:`Column`), to which later fields can be added.

Excel workbooks need openpyxl (the ``xlsx`` extra); CSV needs nothing more.
The package is part of the service layer: it drives the
:class:`~aftersales.ServiceDesk`. See ``docs/import-export.md``.

Example:
    >>> import tempfile, pathlib, pendulum
    >>> from aftersales import FixedClock, ServiceDesk
    >>> from aftersales.testing.samples import sample_ticket
    >>> from aftersales.views import AllowedViewers
    >>> clock = FixedClock(pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai"))
    >>> old = ServiceDesk(clock=clock)
    >>> old.store.save(sample_ticket("T202405001"), expected_version=0)
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "records.xlsx"
    >>> reveal = RevealRequest(by="王经理", purpose="迁移到新系统", access=AllowedViewers({"王经理"}))
    >>> export_records(old, file, reveal=reveal).rows
    1
    >>> new = ServiceDesk(clock=clock)
    >>> import_records(new, file).created
    ('T202405001',)
    >>> template_cells(new.get("T202405001")) == template_cells(sample_ticket("T202405001"))
    True
"""

from aftersales.transfer.columns import CellContext, Column, Columns, WriteContext
from aftersales.transfer.exporting import ExportResult, RevealRequest, export_records
from aftersales.transfer.importing import ImportResult, import_records, template_cells
from aftersales.transfer.mapping import ImportMapping
from aftersales.transfer.problems import CellProblem, ImportRejected
from aftersales.transfer.template import TEMPLATE

__all__ = [
    "TEMPLATE",
    "CellContext",
    "CellProblem",
    "Column",
    "Columns",
    "ExportResult",
    "ImportMapping",
    "ImportRejected",
    "ImportResult",
    "RevealRequest",
    "WriteContext",
    "export_records",
    "import_records",
    "template_cells",
]
