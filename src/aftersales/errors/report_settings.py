"""The error of a report's settings refused: KPI targets or host-supplied figures.

:class:`ReportSettingsRefused` (an :class:`~aftersales.errors.InvalidData`)
lists every problem of a targets or figures file (or mapping) at once, each
under its dotted path (``targets.closure.at_least``, ``figures[0].value``).
Imports the errors only.

Example:
    >>> error = ReportSettingsRefused.from_problems([
    ...     ("targets.speed", "'speed' is not an indicator; accepted: 'received', 'closure', …")])
    >>> isinstance(error, ValueError), error.problems[0][0]
    (True, 'targets.speed')
"""

from __future__ import annotations

from aftersales.errors import InvalidData

__all__ = ["ReportSettingsRefused"]


class ReportSettingsRefused(InvalidData):
    """KPI targets or host-supplied figures that cannot be used; ``problems`` names each one.

    Raised by :meth:`aftersales.reports.KpiTargets.from_toml` / ``from_dict``,
    :func:`aftersales.reports.external_figures_from_toml` and the constructors
    of :class:`~aftersales.reports.KpiTarget` and
    :class:`~aftersales.reports.ExternalFigure`; nothing is half-read.

    Example:
        >>> from aftersales.reports import KpiTargets
        >>> KpiTargets.from_toml('[targets]\\nclosure = { at_least = "95" }')
        Traceback (most recent call last):
        ...
        aftersales.errors.report_settings.ReportSettingsRefused: targets.closure.at_least: '95' is not a number; accepted: a number such as 95 or 2.5
    """
