"""Hypothesis strategies for a ticket's details: tags as people type them, attachment references, locations.

:func:`typed_tags` draws tags in the forms people type (cases, full-width
letters, spaces around and inside, Chinese), each of which
:func:`~aftersales.model.tags.normal_tag` accepts; :func:`attachment_refs`
draws valid :class:`~aftersales.model.attachments.AttachmentRef` values of
every scheme the checks name (with phone numbers in some names, as real file
names have); :func:`locations` draws valid
:class:`~aftersales.model.location.Location` values; :func:`detail_arguments`
draws the arguments of the commands on them and :func:`command_applies` says
whether a ticket can take such a command at all (:func:`ready_for` makes it
able to). Requires the ``test`` extra (hypothesis).

Example:
    >>> from hypothesis import given, settings
    >>> from aftersales.model.tags import normal_tag
    >>> @settings(max_examples=20)
    ... @given(typed_tags())
    ... def check(tag):
    ...     assert normal_tag(normal_tag(tag)) == normal_tag(tag)
    >>> check()
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import pendulum
from hypothesis import strategies as st

from aftersales.errors import UnknownValue
from aftersales.errors.ticket_details import InvalidTag
from aftersales.lifecycle import TRANSITIONS
from aftersales.model.attachments import AttachmentRef
from aftersales.model.events import EVENTS_BY_COMMAND
from aftersales.model.events.details import MAX_ATTACHMENTS
from aftersales.model.location import Location
from aftersales.model.tags import MAX_TAG_LENGTH, MAX_TAGS, normal_tag
from aftersales.model.ticket import Ticket

__all__ = [
    "attachment_refs",
    "command_applies",
    "detail_arguments",
    "locations",
    "ready_for",
    "typed_tags",
]

_WORDS = ("VIP", "vip", "返修", "上门", "Repeat", "ＶＩＰ", "大客户", "Ⅱ期", "Straße", "ΣΊΣΥΦΟΣ")


def typed_tags() -> st.SearchStrategy[str]:
    """Tags as typed: known words in mixed forms and random letters, spaced around and inside.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=10)
        ... @given(typed_tags())
        ... def check(tag):
        ...     assert tag.strip()
        >>> check()
    """
    letters = st.text(
        st.characters(
            categories=("Lu", "Ll", "Lo", "Nd"), exclude_characters="、", max_codepoint=0xFFFF
        ),
        min_size=1,
        max_size=12,
    )
    words = st.lists(st.sampled_from(_WORDS) | letters, min_size=1, max_size=3)
    spaces = st.sampled_from(["", " ", "  ", "\t", "\u3000"])
    return st.builds(
        lambda parts, before, between, after: before + between.join(parts) + after,
        words,
        spaces,
        st.sampled_from([" ", "  ", "\u3000"]),
        spaces,
    ).filter(_fits)


def _fits(tag: str) -> bool:
    """True when the tag's normal form is short enough (NFKC may lengthen a character)."""
    try:
        return len(normal_tag(tag)) <= MAX_TAG_LENGTH
    except InvalidTag:
        return False


_URIS = (
    "https://files.example.com/T1/{name}",
    "s3://after-sales/T1/{name}",
    "file:///srv/share/T1/{name}",
    "dms:documents/4711",
)
_NAMES = ("现场照片.jpg", "签收单.pdf", "报修单-13812345678.pdf", "log.txt", "故障视频.mp4")
_TYPES = ("image/jpeg", "application/pdf", "text/plain", "video/mp4", "application/vnd.ms-excel")


def attachment_refs(*, latest: pendulum.DateTime | None = None) -> st.SearchStrategy[AttachmentRef]:
    """Valid attachment references, attached no later than ``latest`` (default: 2024-06-01 UTC).

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=10)
        ... @given(attachment_refs())
        ... def check(ref):
        ...     assert len(ref.sha256) == 64 and ref.size >= 0
        >>> check()
    """
    end = latest if latest is not None else pendulum.datetime(2024, 6, 1, tz="UTC")
    return st.builds(
        lambda uri, name, media_type, size, digest, by, seconds: AttachmentRef(
            uri=uri.format(name=name),
            name=name,
            media_type=media_type,
            size=size,
            sha256=digest,
            attached_by=by,
            attached_at=end.subtract(seconds=seconds),
        ),
        st.sampled_from(_URIS),
        st.sampled_from(_NAMES),
        st.sampled_from(_TYPES),
        st.integers(0, 2**40),
        st.binary(min_size=32, max_size=32).map(bytes.hex),
        st.sampled_from(["李工", "王工", "客户上传"]),
        st.integers(0, 30 * 24 * 3600),
    )


def locations() -> st.SearchStrategy[Location]:
    """Valid locations: an address, a region, administrative divisions, or some of them.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=10)
        ... @given(locations())
        ... def check(place):
        ...     assert place.masked().region == place.region
        >>> check()
    """
    addresses = st.sampled_from(
        ["", "天河路385号太古汇1座1203室", "长江路18号", "Room 5, 1 Main St"]
    )
    regions = st.sampled_from(["", "广东省广州市天河区", "华南区", "上海市浦东新区"])
    parts = st.none() | st.sampled_from(["广东省", "广州市", "天河区", "浦东新区"])
    return st.builds(
        lambda address, region, province, city, district: Location(
            address,
            region or ("华东区" if not (address or province or city or district) else ""),
            province=province,
            city=city,
            district=district,
        ),
        addresses,
        regions,
        parts,
        parts,
        parts,
    )


#: The commands on a ticket's details, and whether a ticket can take each one at all.
_APPLIES: dict[str, Callable[[Ticket], bool]] = {
    "add_tags": lambda ticket: len(ticket.tags) < MAX_TAGS,
    "remove_tags": lambda ticket: bool(ticket.tags),
    "attach": lambda ticket: len(ticket.attachments) < MAX_ATTACHMENTS,
    "detach": lambda ticket: bool(ticket.attachments),
}


def command_applies(command: str, ticket: Ticket) -> bool:
    """False for a command no arguments make valid on ``ticket`` (its status aside).

    ``remove_tags`` on a ticket without tags, ``detach`` on one without
    attachments, ``add_tags`` and ``attach`` on one at its limit; every other
    command applies. A walk over the lifecycle picks among the allowed
    commands that apply.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> command_applies("remove_tags", sample_ticket()), command_applies("add_tags", sample_ticket())
        (False, True)
    """
    applies = _APPLIES.get(command)
    return True if applies is None else applies(ticket)


def detail_arguments(
    command: str, ticket: Ticket, at: pendulum.DateTime
) -> st.SearchStrategy[dict[str, Any]]:
    """Event fields for a command on ``ticket``'s details: valid when the command applies.

    ``add_tags`` draws typed tags the ticket does not have, ``remove_tags`` tags
    the ticket has, ``attach`` a file not attached yet (attached no later than
    ``at``), ``detach`` an attached file's digest, ``set_location`` another
    location or ``None``. Where the command does not apply (see
    :func:`command_applies`), arguments the model refuses.

    Example:
        >>> from hypothesis import given, settings
        >>> from aftersales.testing.samples import sample_ticket
        >>> ticket = sample_ticket()
        >>> @settings(max_examples=5)
        ... @given(detail_arguments("add_tags", ticket, ticket.updated_at))
        ... def check(arguments):
        ...     assert arguments["tags"]
        >>> check()
    """
    if command == "add_tags":
        new = typed_tags().filter(lambda tag: normal_tag(tag) not in ticket.tags)
        return st.fixed_dictionaries({"tags": st.lists(new, min_size=1, max_size=3).map(tuple)})
    if command == "remove_tags":
        held = sorted(ticket.tags) or ["vip"]
        return st.fixed_dictionaries(
            {"tags": st.lists(st.sampled_from(held), min_size=1, unique=True).map(tuple)}
        )
    if command == "attach":
        attached = {a.sha256 for a in ticket.attachments}
        refs = attachment_refs(latest=at).filter(lambda ref: ref.sha256 not in attached)
        return st.fixed_dictionaries({"attachment": refs})
    if command == "detach":
        digests = [a.sha256 for a in ticket.attachments] or ["0" * 64]
        return st.fixed_dictionaries(
            {"sha256": st.sampled_from(digests), "reason": st.sampled_from(["", "传错了文件"])}
        )
    if command == "set_location":
        others = locations().filter(lambda place: place != ticket.location)
        choices = others | st.none() if ticket.location is not None else others
        return st.fixed_dictionaries(
            {"location": choices, "reason": st.sampled_from(["", "客户搬迁"])}
        )
    raise UnknownValue(
        "command", command, ["add_tags", "remove_tags", "attach", "detach", "set_location"]
    )


#: The command that gives a ticket what each command takes off.
_GIVING: Final = {"remove_tags": "add_tags", "detach": "attach"}


def ready_for(command: str, ticket: Ticket) -> st.SearchStrategy[Ticket]:
    """``ticket``, with a tag or an attachment added first when ``command`` would take one off it.

    For ``remove_tags`` on a ticket without tags (``detach``: without
    attachments) whose status takes the command, the ticket after one
    ``add_tags`` (``attach``) event at its last instant; any other ticket as it is.

    Example:
        >>> from hypothesis import given, settings
        >>> from aftersales.testing.samples import sample_ticket
        >>> @settings(max_examples=5)
        ... @given(ready_for("detach", sample_ticket()))
        ... def check(ticket):
        ...     assert command_applies("detach", ticket)
        >>> check()
    """
    giving = _GIVING.get(command)
    if (
        giving is None
        or command_applies(command, ticket)
        or not TRANSITIONS.is_allowed(ticket.status, command)
    ):
        return st.just(ticket)
    at = ticket.updated_at
    return detail_arguments(giving, ticket, at).map(
        lambda fields: ticket.apply(
            ticket.new_event(EVENTS_BY_COMMAND[giving], by="李工", at=at, **fields)
        )
    )
