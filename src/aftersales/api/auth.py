"""Who is asking: the principal of a request, the host's authentication hook, and its refusals.

The HTTP API never decides on its own who may do what. The host supplies an
*auth hook*: a FastAPI dependency (any callable FastAPI can call, such as
``hook(request: Request) -> Principal``) that returns the :class:`Principal`
of the request, or raises :class:`NotAuthenticated` (HTTP 401) or
:class:`NotPermitted` (HTTP 403). The principal's ``name`` is recorded as the
``by`` of every command it runs; ``may_write`` says whether it may run
commands at all. Two hooks are ready-made: :func:`read_only` (the default of
:func:`~aftersales.api.create_router`: everyone reads, nobody writes) and
:func:`bearer_token` (``aftersales serve --token``: one shared secret).

Revealing a contact is a separate decision, the host's
:class:`~aftersales.views.ContactAccess` policy; :class:`NoContactAccess`, the
default, refuses every reveal. Imports: the library's errors and views, and
FastAPI (the ``api`` extra).

Example:
    >>> from starlette.requests import Request
    >>> read_only(Request({"type": "http", "headers": []}))
    Principal(name='anonymous', may_write=False)
"""

from __future__ import annotations

import hmac
from collections.abc import Callable

import attrs
import pendulum
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from aftersales import _checks as check
from aftersales.errors import NotAuthenticated, NotPermitted
from aftersales.model.ticket import Ticket
from aftersales.views import AccessDecision

__all__ = [
    "AuthHook",
    "NoContactAccess",
    "NotAuthenticated",
    "NotPermitted",
    "Principal",
    "bearer_token",
    "read_only",
]

#: A FastAPI dependency returning the request's :class:`Principal`.
AuthHook = Callable[..., "Principal"]


@attrs.frozen(slots=True)
class Principal:
    """The caller of a request as the host's auth hook names it.

    ``name`` becomes the ``by`` (operator) of the commands it runs;
    ``may_write`` is false for a caller that may only read.

    Example:
        >>> Principal("李工").may_write
        True
        >>> Principal(" ")
        Traceback (most recent call last):
        ...
        aftersales.errors.InvalidData: name: ' ' is empty; accepted: a non-blank text
    """

    name: str
    may_write: bool = True

    def __attrs_post_init__(self) -> None:
        check.run_checks(self, (("name", check.text), ("may_write", check.flag)))


def read_only(request: Request) -> Principal:
    """The default auth hook: every request reads as ``anonymous``, and none may write.

    Example:
        >>> from starlette.requests import Request
        >>> read_only(Request({"type": "http", "headers": []})).may_write
        False
    """
    return Principal("anonymous", may_write=False)


def bearer_token(token: str, *, name: str = "api") -> AuthHook:
    """An auth hook granting :class:`Principal` ``name`` (may write) to ``Authorization: Bearer token``.

    Any other request raises :class:`NotAuthenticated`; the comparison takes
    the same time whatever the token sent. The hook declares the bearer
    scheme, so OpenAPI shows it.

    Example:
        >>> from fastapi.security import HTTPAuthorizationCredentials
        >>> hook = bearer_token("s3cret", name="前台")
        >>> hook(HTTPAuthorizationCredentials(scheme="Bearer", credentials="s3cret"))
        Principal(name='前台', may_write=True)
        >>> hook(HTTPAuthorizationCredentials(scheme="Bearer", credentials="guess"))
        Traceback (most recent call last):
        ...
        aftersales.errors.NotAuthenticated: not authenticated: the bearer token is wrong; accepted: credentials the API's auth hook accepts
    """
    secret = check.text(token, "token").encode()
    principal = Principal(name)
    scheme = HTTPBearer(auto_error=False, description="the token given to `aftersales serve`")

    def authenticated(
        credentials: HTTPAuthorizationCredentials | None = Depends(scheme),  # noqa: B008
    ) -> Principal:
        if credentials is None:
            raise NotAuthenticated("no 'Authorization: Bearer <token>' header")
        if not hmac.compare_digest(credentials.credentials.encode(), secret):
            raise NotAuthenticated("the bearer token is wrong")
        return principal

    return authenticated


class NoContactAccess:
    """The default :class:`~aftersales.views.ContactAccess` of the API: every reveal is refused.

    Example:
        >>> from aftersales.testing.samples import sample_ticket
        >>> at = pendulum.datetime(2024, 5, 14, 9, tz="Asia/Shanghai")
        >>> NoContactAccess().decide("王经理", sample_ticket(), "回访", at=at).granted
        False
    """

    reason = "the API has no contact access policy; accepted: create_router(..., access=policy)"

    def decide(
        self, viewer: str, ticket: Ticket, purpose: str, *, at: pendulum.DateTime
    ) -> AccessDecision:
        """Refused, saying how the host grants reveals."""
        return AccessDecision(
            ticket_id=ticket.id,
            viewer=viewer,
            purpose=purpose,
            granted=False,
            at=at,
            reason=self.reason,
        )
