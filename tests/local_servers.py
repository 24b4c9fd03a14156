"""Servers the notification tests start on free local ports: a minimal SMTP server and an HTTP server
that records POSTs (SMS gateway, WeCom / DingTalk robots). Real sockets, real protocols."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Inbox:
    """What a server received."""

    messages: list[Any] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # HTTP: the headers of each request, in the order of `messages`.
    headers: list[dict[str, str]] = field(default_factory=list)
    # How many of the next messages the server takes in full and then drops the connection without answering.
    drops: int = 0
    # SMTP: how many of the next messages the server takes in full and then refuses (554), keeping none.
    refusals: int = 0

    def take_drop(self) -> bool:
        """Whether to drop the connection after this message (counting it off `drops`)."""
        with self.lock:
            if self.drops > 0:
                self.drops -= 1
                return True
            return False

    def add(self, item: Any) -> None:
        with self.lock:
            self.messages.append(item)


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Enough of RFC 5321 for smtplib: greeting, EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        inbox: Inbox = self.server.inbox  # type: ignore[attr-defined]
        self.reply("220 localhost test SMTP")
        recipients: list[str] = []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            command = raw.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 localhost")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    line = self.rfile.readline()
                    if line in (b".\r\n", b".\n", b""):
                        break
                    lines.append(line[1:] if line.startswith(b"..") else line)
                message = email.message_from_bytes(b"".join(lines), policy=email.policy.default)
                assert isinstance(message, EmailMessage)
                with inbox.lock:
                    refuse, inbox.refusals = inbox.refusals > 0, max(inbox.refusals - 1, 0)
                if refuse:
                    self.reply("554 Transaction failed")
                    continue
                inbox.add((recipients, message))
                if inbox.take_drop():
                    return  # the whole message arrived; the answer never leaves
                self.reply("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class _ThreadingTCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def smtp_server() -> Iterator[tuple[int, Inbox]]:
    """An SMTP server on a free port; yields (port, received (recipients, message) pairs)."""
    server = _ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.inbox = Inbox()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], server.inbox  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


class _HTTPHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length) or b"{}")
        inbox: Inbox = self.server.inbox  # type: ignore[attr-defined]
        with inbox.lock:
            inbox.headers.append(dict(self.headers.items()))
        inbox.add((self.path, body))
        if inbox.take_drop():
            self.close_connection = True
            return  # the whole request arrived; the answer never leaves
        answer = self.server.answer  # type: ignore[attr-defined]
        payload = json.dumps(answer).encode()
        redirect = self.server.redirect  # type: ignore[attr-defined]
        self.send_response(307 if redirect else 200)
        if redirect:
            self.send_header("Location", redirect)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def http_server(answer: dict[str, Any] | None = None, redirect: str = "") -> Iterator[tuple[str, Inbox]]:
    """An HTTP server on a free port answering POSTs with `answer` (JSON), or with a redirect to `redirect`;
    yields (base URL, received (path, JSON body) pairs)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HTTPHandler)
    server.inbox = Inbox()  # type: ignore[attr-defined]
    server.answer = answer if answer is not None else {"errcode": 0, "errmsg": "ok"}  # type: ignore[attr-defined]
    server.redirect = redirect  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.inbox  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    """A local SMTP server, and Django's e-mail pointed at it over real SMTP."""
    with smtp_server() as (port, inbox):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 5
        yield inbox


@pytest.fixture
def gateway(settings: Any) -> Iterator[tuple[str, Inbox]]:
    """A local HTTP server standing in for the SMS gateway and the work-chat robots."""
    with http_server() as (base, inbox):
        settings.NOTIFICATIONS_SMS_SENDER = "congress.notifications.HttpSmsSender"
        settings.NOTIFICATIONS_SMS_GATEWAY_URL = f"{base}/sms"
        # The local server stands in for a robot host on the internet.
        settings.NOTIFICATIONS_WORK_CHAT_HOSTS = ["127.0.0.1"]
        settings.NOTIFICATIONS_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
        yield base, inbox
