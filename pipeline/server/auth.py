"""Who may use the server: every request but `/api/health`, the login page and the static
files carries the operator's token.

- The API takes `Authorization: Bearer TOKEN`.
- The page takes a cookie set by the login form: HttpOnly, SameSite=Strict (a form on
  another site cannot post with it), holding an HMAC of the token, not the token itself.
- Tokens are compared in constant time (`hmac.compare_digest`).
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
from typing import Optional
from urllib.parse import quote

COOKIE = "vanban_session"
COOKIE_MAX_AGE = 12 * 3600
OPEN_PATHS = ("/api/health", "/login", "/static/")
MIN_TOKEN_CHARS = 16


def generate_token() -> str:
    return secrets.token_urlsafe(24)


def session_value(token: str) -> str:
    """What the cookie holds: proof of the token that does not reveal it."""
    return hmac.new(token.encode(), b"vanban page session v1", hashlib.sha256).hexdigest()


def token_matches(given: Optional[str], token: str) -> bool:
    if not given:
        return False
    return hmac.compare_digest(given.encode(), token.encode())


def cookie_matches(given: Optional[str], token: str) -> bool:
    if not given:
        return False
    return hmac.compare_digest(given.encode(), session_value(token).encode())


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def safe_next(target: Optional[str]) -> str:
    """A local path to go back to after login; anything else (another site, `//host`) → `/`."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _is_open(path: str) -> bool:
    return path == "/api/health" or path == "/login" or path.startswith("/static/")


class TokenMiddleware:
    """ASGI middleware: refuse every request without the token (401 JSON for /api/, a redirect
    to the login form for a page)."""

    def __init__(self, app, token: str):
        if not token:
            raise ValueError("the server needs a token")
        self.app = app
        self.token = token

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or _is_open(scope.get("path", "")):
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        auth = headers.get("authorization", "")
        bearer = auth[7:].strip() if auth[:7].lower() == "bearer " else None
        cookie = _cookie(headers.get("cookie", ""), COOKIE)
        if token_matches(bearer, self.token) or cookie_matches(cookie, self.token):
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        if path.startswith("/api/"):
            reason = "wrong token" if bearer or cookie else "this request needs a token: Authorization: Bearer TOKEN"
            body = json.dumps({"detail": {"error": "Unauthorized", "message": reason}}).encode()
            await send({"type": "http.response.start", "status": 401,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"www-authenticate", b'Bearer realm="vanban"'),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        query = scope.get("query_string", b"").decode("latin-1")
        here = path + ("?" + query if query else "")
        location = "/login?next=" + quote(here, safe="")
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", location.encode("latin-1")), (b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})


def _cookie(header: str, name: str) -> Optional[str]:
    for part in header.split(";"):
        k, _, v = part.strip().partition("=")
        if k == name:
            return v
    return None
