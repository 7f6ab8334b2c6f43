"""Attachment references (附件): where a file about a ticket is, and how to know it is that file.

The library keeps references, not files: an :class:`AttachmentRef` says where
the host stored the file (``uri``), what it is (``name``, ``media_type``,
``size`` in bytes), its SHA-256 digest (so anyone can check that the file at
the URI is the one attached) and who attached it when. The host's own storage
(an object store, a file share, a document system) keeps the bytes.

Only syntax is checked: a ``uri`` is an absolute URI (RFC 3986; non-ASCII
characters allowed, as IRIs have them) of any scheme — ``https``, ``s3``,
``file`` or a host's own (``dms:``) — without white space or control
characters; ``http(s)`` needs a host and ``s3`` a bucket and a key. The
scheme is lower-cased; nothing is fetched. A ``media_type`` is
``type/subtype`` as RFC 6838 names them (lower-cased, without parameters).
A file's ``name`` or ``uri`` may hold a phone number (``报修单-13812345678.pdf``):
reprs and errors show them masked, and so do the public views.
Imports the checks and the masking only.

Example:
    >>> import pendulum
    >>> ref = AttachmentRef(
    ...     uri="S3://after-sales/T1/现场照片.jpg", name="现场照片.jpg", media_type="Image/JPEG",
    ...     size=482_113, sha256="9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",
    ...     attached_by="王工", attached_at=pendulum.datetime(2024, 5, 11, 10, tz="Asia/Shanghai"))
    >>> ref.uri, ref.media_type, ref.sha256[:8]
    ('s3://after-sales/T1/现场照片.jpg', 'image/jpeg', '9f86d081')
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Final

import attrs
import pendulum

from aftersales import _checks as check
from aftersales._shown import shown
from aftersales.errors import InvalidData
from aftersales.model.masking import default_masking

__all__ = ["MAX_SIZE", "AttachmentRef", "sha256_digest"]

#: The largest size accepted, in bytes: the largest integer JSON carries exactly (2⁵³ − 1).
MAX_SIZE: Final = 2**53 - 1
_MAX_URI: Final = 2048
_MAX_NAME: Final = 255
_SCHEME: Final = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):(.+)\Z", re.DOTALL)
#: White space, control characters and the characters RFC 3986 never allows in a URI.
_NOT_IN_URI: Final = re.compile(r'[\s\x00-\x1f\x7f-\x9f<>"{}|\\^`]')
_BAD_ESCAPE: Final = re.compile(r"%(?![0-9A-Fa-f]{2})")
_NAME_PART: Final = r"[a-z0-9][a-z0-9!#$&^_.+\-]{0,126}"
_MEDIA_TYPE: Final = re.compile(rf"{_NAME_PART}/{_NAME_PART}\Z")
_SHA256: Final = re.compile(r"[0-9a-f]{64}\Z")
_URI_RULE: Final = (
    "an absolute URI such as https://host/path, s3://bucket/key, file:///path or"
    " scheme:rest, without white space"
)


def _masked(value: object) -> str:
    """A text as errors and reprs show it: short, and any phone or e-mail in it masked."""
    return default_masking().text(shown(value))


def _bad(name: str, value: object, reason: str, accepted: str) -> InvalidData:
    message = f"{_masked(value)} {reason}; accepted: {accepted}"
    return InvalidData(f"{name}: {message}", problems=[(name, message)])


def _uri(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise _bad(name, type(value).__name__, "is not a text", _URI_RULE)
    if len(value) > _MAX_URI:
        raise _bad(name, value, f"is {len(value)} characters long", f"up to {_MAX_URI}")
    found = _SCHEME.match(value)
    if found is None:
        raise _bad(name, value, "has no scheme", _URI_RULE)
    if _NOT_IN_URI.search(value) or check.text_problem(value):
        raise _bad(name, value, "holds white space or a character URIs do not allow", _URI_RULE)
    if _BAD_ESCAPE.search(value):
        raise _bad(name, value, "holds a % not followed by two hex digits", _URI_RULE)
    scheme, rest = found.group(1).lower(), found.group(2)
    if scheme in ("http", "https") and not re.match(r"//[^/?#]+", rest):
        raise _bad(name, value, f"is an {scheme} URI without a host", f"{scheme}://host/path")
    if scheme == "s3" and not re.match(r"//[^/?#]+/[^?#]+", rest):
        raise _bad(name, value, "is an s3 URI without a bucket and a key", "s3://bucket/key")
    normal = f"{scheme}:{rest}"
    return value if normal == value else normal


def _file_name(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise _bad(name, type(value).__name__, "is not a text", "a file name")
    if not value.strip() or len(value) > _MAX_NAME or check.text_problem(value):
        raise _bad(
            name, value, "is blank, too long or not valid text", f"1 to {_MAX_NAME} characters"
        )
    if any(c < " " or c == "\x7f" for c in value):
        raise _bad(name, value, "holds a control character", "a file name on one line")
    return value


def _media_type(value: Any, name: str) -> str:
    if not isinstance(value, str) or not _MEDIA_TYPE.match(value.lower()):
        raise _bad(
            name, value, "is not a media type", "type/subtype as RFC 6838 names them (image/jpeg)"
        )
    normal = value.lower()
    return value if normal == value else normal


def _size(value: Any, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_SIZE:
        raise _bad(name, value, "is not a size in bytes", f"an integer from 0 to {MAX_SIZE}")
    return value


def _sha256(value: Any, name: str) -> str:
    if not isinstance(value, str) or not _SHA256.match(value.lower()):
        raise _bad(name, value, "is not a SHA-256 digest", "64 hexadecimal digits")
    normal = value.lower()
    return value if normal == value else normal


def sha256_digest(value: Any, name: str) -> str:
    """A SHA-256 digest in its normal form (64 lower-case hexadecimal digits).

    Example:
        >>> sha256_digest("AB" * 32, "sha256")[:6]
        'ababab'
    """
    return _sha256(value, name)


@attrs.frozen(slots=True, kw_only=True)
class AttachmentRef:
    """A reference to a file about a ticket: where it is, what it is, its digest, who attached it.

    ``attached_at`` is aware (stored in UTC); ``sha256`` is the file's digest,
    which identifies the attachment on its ticket (``detach`` takes it).

    Example:
        >>> import pendulum
        >>> ref = AttachmentRef(uri="https://files.example.com/报修单-13812345678.pdf",
        ...     name="报修单-13812345678.pdf", media_type="application/pdf", size=0,
        ...     sha256="e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ...     attached_by="李工", attached_at=pendulum.datetime(2024, 5, 10, tz="UTC"))
        >>> ref.name in repr(ref), "138****5678" in repr(ref)
        (False, True)
        >>> AttachmentRef(uri="报修单.pdf", name="x", media_type="pdf", size=-1, sha256="00",
        ...     attached_by="李工", attached_at=pendulum.datetime(2024, 5, 10, tz="UTC"))
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: 4 invalid values:
          uri: '报修单.pdf' has no scheme; accepted: an absolute URI such as https://host/path, s3://bucket/key, file:///path or scheme:rest, without white space
          media_type: 'pdf' is not a media type; accepted: type/subtype as RFC 6838 names them (image/jpeg)
          size: -1 is not a size in bytes; accepted: an integer from 0 to 9007199254740991
          sha256: '00' is not a SHA-256 digest; accepted: 64 hexadecimal digits
    """

    uri: str = attrs.field(repr=_masked)
    name: str = attrs.field(repr=_masked)
    media_type: str
    size: int
    sha256: str
    attached_by: str
    attached_at: pendulum.DateTime

    _checks: ClassVar[check.Checks] = (
        ("uri", _uri),
        ("name", _file_name),
        ("media_type", _media_type),
        ("size", _size),
        ("sha256", _sha256),
        ("attached_by", check.text),
        ("attached_at", check.aware),
    )

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, self._checks)
