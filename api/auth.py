"""Who may write and read: the API key policy, checked at start and on every request.

A key short enough to guess, or an empty one that an empty `Bearer` header would match, is refused at
start. So is a server reachable from other machines with no key at all, unless the operator names that
choice (`NEWSQA_ALLOW_OPEN_WRITES`): open writes are never the silent result of a forgotten variable.
"""

from __future__ import annotations

import ipaddress
import secrets

from fastapi import Depends, Header, HTTPException, Request

from api.settings import WebSettings

MIN_KEY_CHARS = 16


class AuthConfigError(ValueError):
    """A setting that would make the service unsafe to start; the message is one line for the operator."""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def auth_mode(settings: WebSettings, host: str | None = None) -> str:
    """The mode the service will run in, as the start-up log states it; raises when it is unsafe."""
    key = settings.api_key.get_secret_value() if settings.api_key is not None else None
    if key is not None and len(key.strip()) < MIN_KEY_CHARS:
        raise AuthConfigError(
            f"NEWSQA_API_KEY must be at least {MIN_KEY_CHARS} characters (it has {len(key.strip())}); "
            "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(24))'"
        )
    if key is None and host is not None and not _is_loopback(host) and not settings.allow_open_writes:
        raise AuthConfigError(
            f"refusing to serve on {host} without NEWSQA_API_KEY: anyone who can reach it could write and delete "
            "articles; set a key, or set NEWSQA_ALLOW_OPEN_WRITES=true to accept that"
        )
    writes = "key" if key else "open"
    reads = "key" if key and settings.api_key_read else "open"
    return f"writes: {writes}, reads: {reads}"


def _check_key(settings: WebSettings, authorization: str | None, needed: bool) -> None:
    key = settings.api_key
    if key is None or not needed:
        return
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(
        token.strip().encode(), key.get_secret_value().strip().encode()
    ):
        raise HTTPException(401, "missing or invalid API key", headers={"WWW-Authenticate": "Bearer"})


def _settings(request: Request) -> WebSettings:
    return request.app.state.service.settings


def write_access(settings: WebSettings = Depends(_settings), authorization: str | None = Header(None)) -> None:
    _check_key(settings, authorization, needed=True)


def read_access(settings: WebSettings = Depends(_settings), authorization: str | None = Header(None)) -> None:
    _check_key(settings, authorization, needed=settings.api_key_read)
