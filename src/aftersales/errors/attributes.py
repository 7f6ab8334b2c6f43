"""The error of custom attribute values a command refuses against the store's declarations.

:class:`AttributesRefused` (an :class:`~aftersales.errors.InvalidData`) lists
every refused attribute of one command at once: an undeclared name, a value
of the wrong kind or outside the declared choices, a required attribute
missing at intake or cleared. Each problem's path is ``attributes.<name>``;
its message names the value (contacts in it masked) and what is accepted.
Imports the errors only.

Example:
    >>> error = AttributesRefused.from_problems([
    ...     ("attributes.warranty_type", "'free' is not a choice of 保修类型; accepted: 'paid'"),
    ...     ("attributes.serial_number", "missing; accepted: a text (required on new tickets)")])
    >>> isinstance(error, ValueError), [path for path, _ in error.problems]
    (True, ['attributes.warranty_type', 'attributes.serial_number'])
"""

from __future__ import annotations

from aftersales.errors import InvalidData

__all__ = ["AttributesRefused"]


class AttributesRefused(InvalidData):
    """Custom attribute values a command refused; nothing was written.

    Raised by ``open_ticket(attributes=...)``, ``set_attributes`` and
    ``execute("set_attributes", ...)`` before the ticket is read or written.
    ``problems`` holds one ``(path, message)`` pair per refused attribute.

    Example:
        >>> from aftersales import AttributeDefinition, ServiceDesk
        >>> from aftersales.testing.samples import sample_ticket
        >>> desk = ServiceDesk()
        >>> desk.store.declare_attribute(AttributeDefinition(
        ...     "onsite", "需上门", "On site", kind="boolean"))
        >>> desk.store.save(sample_ticket("T1"), expected_version=0)
        >>> desk.set_attributes("T1", by="李工", attributes={"onsite": "yes", "colour": "red"})
        Traceback (most recent call last):
        ...
        aftersales.errors.attributes.AttributesRefused: 2 invalid values:
          attributes.onsite: 'yes' is not a boolean; accepted: true or false
          attributes.colour: is not a declared attribute; accepted: onsite
    """
