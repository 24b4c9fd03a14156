"""Requests the portal sends to other servers: the SMS gateway and the work-chat group robots.

A robot address is typed by a user, so a request to it must never be a way into the office's own
network: the host must be one of the robot services (settings.NOTIFICATIONS_WORK_CHAT_HOSTS), the
address it resolves to must not be loopback, private, link-local or otherwise reserved (unless it lies
in settings.NOTIFICATIONS_OUTBOUND_ALLOWED_NETWORKS), and that is checked on the connected socket
itself, so a name that resolves one way when checked and another when connecting gains nothing. No
request follows a redirect.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import socket
import ssl
from collections.abc import Collection
from urllib.parse import urlsplit

from django.conf import settings


class OutboundRefused(Exception):
    """A request the portal will not send, or an answer it will not follow."""


class AnswerLost(Exception):
    """The request (or e-mail) was handed over in full, but no answer came back: the other side may have
    acted on it, so sending it again could repeat it."""


def _networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(n, strict=False) for n in settings.NOTIFICATIONS_OUTBOUND_ALLOWED_NETWORKS]


def is_inward(address: str) -> bool:
    """The address belongs to this machine or a private network and is not among the allowed networks."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip in network for network in _networks()):
        return False
    # Not global covers loopback, private, link-local, shared (CGNAT), reserved and unspecified ranges.
    return not ip.is_global or ip.is_multicast


class _Guarded:
    """Mixed into http.client's connections: after connecting, the peer's address is checked."""

    sock: socket.socket

    def _check_peer(self) -> None:
        peer = self.sock.getpeername()[0]
        if is_inward(peer):
            self.sock.close()
            raise OutboundRefused(f"refused to send to an inward address ({peer})")


class _GuardedHTTPConnection(_Guarded, http.client.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        self._check_peer()


class _GuardedHTTPSConnection(_Guarded, http.client.HTTPSConnection):
    def __init__(self, host: str, port: int | None = None, *, timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)

    def connect(self) -> None:
        # The TCP connection first, checked, then TLS on top of it (HTTPSConnection.connect does both).
        http.client.HTTPConnection.connect(self)
        self._check_peer()
        self.sock = self.tls.wrap_socket(self.sock, server_hostname=self.host)


def post_json(
    url: str,
    payload: dict[str, object],
    *,
    timeout: float,
    hosts: Collection[str] | None = None,
    idempotency_key: str = "",
) -> bytes:
    """POST `payload` as JSON and return the answer's body; an answer other than 2xx raises.

    With `hosts`, the address must name one of them and may not lead inward (see the module's text). An
    `idempotency_key` goes in the Idempotency-Key header, the same on every attempt of one message. A
    failure once the request is written in full (a timeout or a dropped connection while waiting for the
    answer) raises AnswerLost: the server may have acted on it."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise OutboundRefused(f"not an HTTP address: {url!r}")
    guarded = hosts is not None
    if guarded and parts.hostname.lower() not in {h.lower() for h in hosts or ()}:
        raise OutboundRefused(f"{parts.hostname} is not a work-chat robot host")
    kind: type[http.client.HTTPConnection]
    if parts.scheme == "https":
        kind = _GuardedHTTPSConnection if guarded else http.client.HTTPSConnection
    else:
        kind = _GuardedHTTPConnection if guarded else http.client.HTTPConnection
    connection = kind(parts.hostname, parts.port, timeout=timeout)
    target = parts.path or "/"
    if parts.query:
        target = f"{target}?{parts.query}"
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    try:
        connection.request("POST", target, body=body, headers=headers)
        try:
            response = connection.getresponse()
            answer = response.read()
        except (OSError, http.client.HTTPException) as error:
            raise AnswerLost(f"no answer after the request was sent: {error!r}") from error
    finally:
        connection.close()
    if 300 <= response.status < 400:
        raise OutboundRefused(f"answered {response.status} (a redirect, not followed)")
    if response.status >= 400:
        raise OutboundRefused(f"answered HTTP {response.status}: {answer[:200]!r}")
    return answer
