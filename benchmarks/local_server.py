"""What the load benchmarks share: a throwaway PostgreSQL database, a free loopback port,
and a signed-in HTTP client using the standard library only.

Used by `person_record_load.py` and `marac_load.py`, which sit beside it.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import socket
import sys
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

HOST = "127.0.0.1"


@contextlib.contextmanager
def throwaway_database(server_url: str, name: str) -> Iterator[str]:
    """Create database `name` on the server, yield its URL, and always drop it."""
    import psycopg

    def admin(statement: str) -> None:
        with psycopg.connect(server_url.rstrip("/") + "/postgres", autocommit=True) as connection:
            connection.execute(statement)

    admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin(f"CREATE DATABASE {name}")
    try:
        yield server_url.rstrip("/") + f"/{name}"
    finally:
        admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass
class Client:
    """One browser: a keep-alive connection and its cookies (standard library only)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict[str, str] | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: open a new one, once.
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, content

    def sign_in(self, username: str, password: str) -> None:
        status, page = self.request("GET", "/accounts/sign-in/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            sys.exit(f"The sign-in page did not load (HTTP {status}).")
        form = {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": token.group(1).decode(),
        }
        status, _ = self.request("POST", "/accounts/sign-in/", form)
        if status != 302 or "sessionid" not in self.cookies:
            sys.exit(f"Signing in as {username} failed (HTTP {status}).")
