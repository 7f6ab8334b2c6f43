"""The report's output flags: ``--pptx FILE``, ``--xlsx FILE`` and ``--templates DIR``.

:func:`add_output_options` declares them on a report command;
:func:`report_outputs` checks them before the store is read (a file in a
missing folder, a templates path that is no folder: refused, nothing
written); :meth:`ReportOutputs.write` writes the deck and the workbook, the
workbook with a sheet of the period's tickets read from the store (contacts
masked).

Example:
    >>> import argparse
    >>> parser = argparse.ArgumentParser()
    >>> add_output_options(parser)
    >>> outputs = report_outputs(parser.parse_args(["--pptx", "deck.pptx"]))
    >>> outputs.pptx.name, outputs.xlsx, outputs.files
    ('deck.pptx', None, True)
"""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from typing import Any

import attrs

from aftersales.errors import InvalidData
from aftersales.model.ticket import Ticket
from aftersales.reports.office import checked_output
from aftersales.reports.xlsx_writer import tickets_of_period

__all__ = ["ReportOutputs", "add_output_options", "report_outputs", "write_demo_files"]


def add_output_options(sub: argparse.ArgumentParser) -> None:
    """Declare ``--pptx``, ``--xlsx`` and ``--templates`` on a report command.

    Example:
        >>> parser = argparse.ArgumentParser()
        >>> add_output_options(parser)
        >>> parser.parse_args(["--xlsx", "r.xlsx", "--templates", "tpl"]).templates
        'tpl'
    """
    sub.add_argument(
        "--pptx", metavar="FILE", help="write a PowerPoint deck here (needs the report extra)"
    )
    sub.add_argument(
        "--xlsx",
        metavar="FILE",
        help="write an Excel workbook here: a sheet per section and the period's tickets"
        " (contacts masked)",
    )
    sub.add_argument(
        "--templates",
        metavar="DIR",
        help="a folder of report templates (page.html.j2, section_kpi.md.j2, logo.html.j2 …)"
        " used before the package's own for --md, --html and the printed Markdown",
    )


@attrs.frozen(slots=True)
class ReportOutputs:
    """The office files to write and the templates folder, checked.

    Example:
        >>> ReportOutputs().files
        False
    """

    pptx: Path | None = None
    xlsx: Path | None = None
    templates: Path | None = None

    @property
    def files(self) -> bool:
        """True when a deck or a workbook is to be written."""
        return self.pptx is not None or self.xlsx is not None

    def tickets(self, store: Any, report: Any) -> list[Ticket] | None:
        """The tickets of the workbook's sheet, read while the store is open (None: no workbook)."""
        if self.xlsx is None:
            return None
        return tickets_of_period(store, report.period, report.read_at)

    def write(self, report: Any, lang: str, tickets: list[Ticket] | None) -> None:
        """Write the deck and the workbook, printing each path."""
        if self.pptx is not None:
            report.to_pptx(self.pptx, lang)
            print(f"PowerPoint: {self.pptx}")
        if self.xlsx is not None:
            report.to_xlsx(self.xlsx, lang, tickets=tickets)
            print(f"Excel: {self.xlsx}")


def report_outputs(args: argparse.Namespace) -> ReportOutputs:
    """The checked ``--pptx``, ``--xlsx`` and ``--templates`` of ``args``.

    Example:
        >>> report_outputs(argparse.Namespace(pptx=None, xlsx=None, templates="/no/such/dir"))
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: --templates /no/such/dir is not a folder; accepted: a folder of report templates (*.html.j2, *.md.j2)
    """
    templates = None
    if args.templates is not None:
        templates = Path(args.templates)
        if not templates.is_dir():
            raise InvalidData(
                f"--templates {templates} is not a folder;"
                " accepted: a folder of report templates (*.html.j2, *.md.j2)"
            )
    return ReportOutputs(
        pptx=None if args.pptx is None else checked_output(args.pptx, ".pptx", flag="--pptx"),
        xlsx=None if args.xlsx is None else checked_output(args.xlsx, ".xlsx", flag="--xlsx"),
        templates=templates,
    )


def write_demo_files(report: Any, store: Any, base: Path, lang: str) -> list[str]:
    """The demo's deck and workbook beside its Markdown: ``base`` + ``.pptx`` / ``.xlsx``.

    Returns the lines the demo prints: each file's path, or why it was left out
    (python-pptx or openpyxl not installed).

    Example:
        >>> import tempfile
        >>> from aftersales.calendar import WorkCalendar
        >>> from aftersales.reports import monthly
        >>> from aftersales.testing.samples import sample_ticket
        >>> report = monthly([sample_ticket()], "2024-05", calendar=WorkCalendar.china())
        >>> base = Path(tempfile.mkdtemp()) / "monthly-2024-05.zh"
        >>> [line.split(":")[0] for line in write_demo_files(report, [sample_ticket()], base, "zh")]
        ['monthly report (PowerPoint)', 'monthly report (Excel)']
    """
    lines = []
    for module, suffix, kind in (("pptx", ".pptx", "PowerPoint"), ("openpyxl", ".xlsx", "Excel")):
        label = f"monthly report ({kind}): "
        if importlib.util.find_spec(module) is None:
            lines.append(
                f"{label}left out, {module} is not installed (pip install 'aftersales[report]')"
            )
            continue
        path = base.with_name(base.name + suffix)
        if suffix == ".pptx":
            report.to_pptx(path, lang)
        else:
            report.to_xlsx(path, lang, tickets=store)
        lines.append(f"{label}{path}")
    return lines
