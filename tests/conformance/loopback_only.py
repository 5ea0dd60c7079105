"""Refuse every connection that does not go to the loopback interface (our tests never leave the machine).

Used by the conformance suite's conftest.py and by scripts/upstream-conformance/emulator_plugin.py, so a test
that reaches for the production Hub or a CDN fails at once instead of sending a request anywhere.
"""

import ipaddress
import socket

_LOCAL_NAMES = {"localhost", "127.0.0.1", "::1"}


def _is_loopback(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    if not isinstance(host, str):
        return False
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def refuse_non_loopback_connections() -> None:
    """Patch the socket module of this process: connections and name look-ups beyond loopback fail."""
    if getattr(socket, "_loopback_only", False):
        return
    original_connect = socket.socket.connect
    original_getaddrinfo = socket.getaddrinfo

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            raise ConnectionRefusedError(f"tests: no network beyond loopback ({address[0]})")
        return original_connect(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if host is not None and not _is_loopback(host):
            raise socket.gaierror(socket.EAI_NONAME, f"tests: no network beyond loopback ({host})")
        return original_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect
    socket.getaddrinfo = getaddrinfo
    socket._loopback_only = True
