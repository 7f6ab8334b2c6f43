"""Integrations with application frameworks, each behind its own extra.

:mod:`aftersales.contrib.django` is the Django app (``pip install "aftersales[django]"``).
Nothing else in :mod:`aftersales` imports a framework.

Example:
    >>> import aftersales.contrib
    >>> aftersales.contrib.__name__
    'aftersales.contrib'
"""
