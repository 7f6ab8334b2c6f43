"""What the deck reports (``report monthly|quarterly|yearly``) take beside the store: targets,
the host's figures and the supervisor's notes, and the ``--quarter`` / ``--year`` forms.

``--targets FILE`` is a TOML file of KPI targets
(:meth:`~aftersales.reports.KpiTargets.from_toml`), ``--figures FILE`` a TOML
file of ``[[figures]]`` from other systems
(:func:`~aftersales.reports.external_figures_from_toml`), ``--notes FILE``
the supervisor's text (UTF-8, plain text or Markdown; shown as text). Each
file is read and checked before the store is opened; a bad one is refused
with every problem named.

Example:
    >>> import argparse
    >>> parser = argparse.ArgumentParser()
    >>> add_deck_options(parser)
    >>> deck_arguments(parser.parse_args([]))
    {}
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from aftersales.errors import InvalidData
from aftersales.reports.external_figures import external_figures_from_toml
from aftersales.reports.targets import KpiTargets

__all__ = [
    "DECK_FORMS",
    "DECK_KINDS",
    "DECK_REPORT_KINDS",
    "add_deck_options",
    "deck_arguments",
    "quarter",
    "year_label",
]

#: The report kinds laid out as the deck (and so taking these options).
DECK_KINDS = ("monthly", "quarterly", "yearly")

#: The written form of a quarter and a year, for help texts.
DECK_FORMS = {"quarter": "YYYY-Qn", "year": "YYYY"}

#: The longest supervisor's text accepted, in characters.
MOST_NOTES = 20_000


def quarter(value: str) -> str:
    """A calendar quarter, ``YYYY-Qn`` with n from 1 to 4.

    Example:
        >>> quarter("2026-Q4")
        '2026-Q4'
        >>> quarter("2026Q4")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: '2026Q4' is not a quarter; accepted: YYYY-Qn with n 1–4, e.g. 2026-Q4
    """
    found = re.fullmatch(r"(\d{4})-Q([1-4])", value)
    if found is None or int(found[1]) < 1:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a quarter; accepted: YYYY-Qn with n 1–4, e.g. 2026-Q4"
        )
    return value


def year_label(value: str) -> str:
    """A calendar year, four digits.

    Example:
        >>> year_label("2026")
        '2026'
        >>> year_label("26")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: '26' is not a year; accepted: four digits, e.g. 2026
    """
    if not re.fullmatch(r"\d{4}", value) or int(value) < 1:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a year; accepted: four digits, e.g. 2026"
        )
    return value


def add_deck_options(sub: argparse.ArgumentParser) -> None:
    """Add ``--targets``, ``--figures`` and ``--notes`` to a deck report's parser."""
    sub.add_argument(
        "--targets",
        metavar="FILE",
        help="KPI targets, a TOML file: [targets] closure = { at_least = 95 } … (default: the"
        " built-in targets, see docs/reports.md)",
    )
    sub.add_argument(
        "--figures",
        metavar="FILE",
        help="figures from other systems, a TOML file of [[figures]] (key, label_zh, label_en,"
        " value, unit, target, direction), shown in the KPI section",
    )
    sub.add_argument(
        "--notes",
        metavar="FILE",
        help="the supervisor's own text for the summary and outlook (UTF-8 text or Markdown)",
    )


def _notes(value: str) -> str:
    path = Path(value)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        message = f"{path} cannot be read ({error.__class__.__name__}); accepted: a UTF-8 text file"
        raise InvalidData(f"--notes: {message}", problems=[("--notes", message)]) from None
    if len(text) > MOST_NOTES:
        message = (
            f"{path} holds {len(text)} characters; accepted: at most {MOST_NOTES:,}"
            " (the notes are a page of the deck)"
        )
        raise InvalidData(f"--notes: {message}", problems=[("--notes", message)])
    return text


def deck_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """The deck builder's keyword arguments the options name (``targets``,
    ``external_figures``, ``notes``), each file read and checked."""
    arguments: dict[str, Any] = {}
    if getattr(args, "targets", None) is not None:
        arguments["targets"] = KpiTargets.from_toml(Path(args.targets))
    if getattr(args, "figures", None) is not None:
        arguments["external_figures"] = external_figures_from_toml(Path(args.figures))
    if getattr(args, "notes", None) is not None:
        arguments["notes"] = _notes(args.notes)
    return arguments


#: The quarterly and yearly reports as the parser lists its report kinds:
#: (kind, flag, type, example, description).
DECK_REPORT_KINDS = (
    (
        "quarterly",
        "quarter",
        quarter,
        "2026-Q4",
        "The quarterly report: the monthly deck over a quarter, against the two quarters\n"
        "before (环比, rolling 3-quarter average) and the same quarter last year (同比).",
    ),
    (
        "yearly",
        "year",
        year_label,
        "2026",
        "The yearly report: the monthly deck over a year, against the two years before\n"
        "(the previous year is also its 同比).",
    ),
)
