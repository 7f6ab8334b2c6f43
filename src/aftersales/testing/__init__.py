"""Tools for testing code built on ``aftersales``.

``aftersales.testing.samples`` holds realistic sample tickets (no extra
dependency). The hypothesis strategies and the storage contract suite live in
submodules that import hypothesis and pytest only when imported themselves.

Example:
    >>> from aftersales.testing.samples import sample_ticket
    >>> sample_ticket().customer_name
    'XX科技有限公司'
"""
