"""Deprecated: the service desk moved to :mod:`aftersales.service.desk`.

``from aftersales import ServiceDesk`` is unchanged; importing a name from
``aftersales.desk`` still works for one release, with a DeprecationWarning.

Example:
    >>> import warnings
    >>> import aftersales.desk
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     aftersales.desk.ServiceDesk.__module__
    'aftersales.service.desk'
"""

from aftersales._lazy import moved_module

__getattr__ = moved_module(__name__, "aftersales.service.desk")
