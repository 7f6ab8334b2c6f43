"""Deprecated: the report renderer was split; import from the modules below instead.

* :mod:`aftersales.reports.blocks`: ``Table``, ``Paragraph``, ``Chart``, ``Section``;
* :mod:`aftersales.reports.layout`: ``INDICATORS``, ``indicator_value`` and the
  ``daily_sections`` / ``weekly_sections`` / ``monthly_sections`` of each report;
* :mod:`aftersales.reports.markdown`: ``markdown``;
* :mod:`aftersales.reports.html`: ``html``;
* :mod:`aftersales.reports.charts`: ``charts_available`` (pygal, optional).

Every name still resolves here for one release, with a :class:`DeprecationWarning`
naming its new place (``INDICATORS`` and ``charts_available`` are also in
:mod:`aftersales.reports`).
"""

from __future__ import annotations

from aftersales._lazy import lazy_attributes

__getattr__ = lazy_attributes(
    __name__,
    {},
    deprecated={
        "Chart": "aftersales.reports.blocks:Chart",
        "Paragraph": "aftersales.reports.blocks:Paragraph",
        "Section": "aftersales.reports.blocks:Section",
        "Table": "aftersales.reports.blocks:Table",
        "INDICATORS": "aftersales.reports.layout:INDICATORS",
        "indicator_value": "aftersales.reports.layout:indicator_value",
        "daily_sections": "aftersales.reports.layout:daily_sections",
        "weekly_sections": "aftersales.reports.layout:weekly_sections",
        "monthly_sections": "aftersales.reports.layout:monthly_sections",
        "markdown": "aftersales.reports.markdown:markdown",
        "html": "aftersales.reports.html:html",
        "charts_available": "aftersales.reports.charts:charts_available",
    },
)
