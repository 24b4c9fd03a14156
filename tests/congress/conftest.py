"""Fixtures of the core app's tests: the local SMTP and HTTP servers of the notification tests."""

from tests.local_servers import gateway, smtp  # noqa: F401
