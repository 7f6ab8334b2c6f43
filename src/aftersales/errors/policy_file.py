"""The error of an SLA policy file refused: every bad path of the file at once.

:class:`PolicyFileRefused` (an :class:`~aftersales.errors.InvalidData`, so
also a ``ValueError``) lists each problem of a policy file under its dotted
path (``policies.standard.metrics[0].targets.urgent``). Imports the errors only.

Example:
    >>> error = PolicyFileRefused.from_problems([
    ...     ("format", "2 is not a format; accepted: 1"), ("default", "missing; accepted: a name")])
    >>> isinstance(error, ValueError), [path for path, _ in error.problems]
    (True, ['format', 'default'])
"""

from __future__ import annotations

from aftersales.errors import InvalidData

__all__ = ["PolicyFileRefused"]


class PolicyFileRefused(InvalidData):
    """An SLA policy file (or document) that cannot be used; ``problems`` names each bad path.

    Raised by :func:`aftersales.sla.policy_file.load_policy_file` and by
    :meth:`aftersales.sla.policy_document.PolicyDocument.build`; nothing is
    half-read and no store is written.

    Example:
        >>> from aftersales.sla.policy_file import load_policy_file
        >>> load_policy_file('format = 1\\ndefault = "standard"\\ncolour = "red"\\n')
        Traceback (most recent call last):
        ...
        aftersales.errors.policy_file.PolicyFileRefused: 2 invalid values:
          colour: an unknown key; accepted: 'format', 'default', 'priority', 'substatuses', 'policies', 'rules'
          policies: missing; accepted: a table of named policies, e.g. [policies.standard]
    """
