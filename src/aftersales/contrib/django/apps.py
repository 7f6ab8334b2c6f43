"""The app's configuration: label ``aftersales``, so its tables and admin pages are ``aftersales``'s.

Example:
    >>> AftersalesConfig.label, AftersalesConfig.name
    ('aftersales', 'aftersales.contrib.django')
"""

from __future__ import annotations

from django.apps import AppConfig

__all__ = ["AftersalesConfig"]


class AftersalesConfig(AppConfig):
    """``INSTALLED_APPS += ["aftersales.contrib.django"]`` picks this configuration.

    Example:
        >>> AftersalesConfig.verbose_name
        'After-sales service 售后服务'
    """

    name = "aftersales.contrib.django"
    label = "aftersales"
    verbose_name = "After-sales service 售后服务"
    default_auto_field = "django.db.models.BigAutoField"
