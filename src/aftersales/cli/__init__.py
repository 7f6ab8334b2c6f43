"""The ``aftersales`` command line: ``aftersales demo`` and ``aftersales report …``.

:func:`main` (in :mod:`aftersales.cli.program`, the console script's entry point
``aftersales.cli:main``) parses the arguments (:func:`build_parser`) and runs
the command; :func:`render_ticket` and :func:`render_sla` print a ticket's
follow-up record, history and SLA clocks for a terminal. The private modules
hold the strict argument types (``_args``), what the commands do
(``_commands``) and the ticket's text (``_ticket_text``). An entry point: it
may import every layer, and no other part of the library imports it.

Example:
    >>> build_parser().parse_args(["demo", "--lang", "en"]).lang
    'en'
"""

from aftersales.cli._ticket_text import render_sla, render_ticket
from aftersales.cli.program import build_parser, main

__all__ = ["build_parser", "main", "render_sla", "render_ticket"]
