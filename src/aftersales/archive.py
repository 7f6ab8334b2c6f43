"""Deprecated: the customer archive moved to :mod:`aftersales.service.archive`.

``from aftersales import customer_archive, CustomerArchive`` is unchanged;
importing a name from ``aftersales.archive`` still works for one release, with
a DeprecationWarning.

Example:
    >>> import warnings
    >>> import aftersales.archive
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     aftersales.archive.customer_archive.__module__
    'aftersales.service.archive'
"""

from aftersales._lazy import moved_module

__getattr__ = moved_module(__name__, "aftersales.service.archive")
